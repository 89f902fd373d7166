from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "lantoa.org"
    label = "org"

    def ready(self) -> None:
        # ``field__any_of``: the tree's unit ids as one parameter (lantoa.lib.lookups).
        from lantoa.lib import lookups

        lookups.register()
