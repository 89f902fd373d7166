from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.start, name="start"),
    path("export/<slug:key>/members.xlsx", views.export_members, name="export_members"),
]
