from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "lantoa.imports"
    label = "imports"
