from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lantoa.demo"
    label = "demo"
