from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "lantoa.documents"
    label = "documents"
