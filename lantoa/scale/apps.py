from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """No models: an app only so that ``manage.py seed_scale`` is found."""

    name = "lantoa.scale"
    label = "scale"
