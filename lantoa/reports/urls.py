from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("reports/", views.report_page, name="index"),
    path("reports/records/", views.records_page, name="records"),
    path("reports/generate/", views.generate, name="generate"),
    path("reports/runs/<uuid:public_id>/", views.run_page, name="run"),
    path("reports/runs/<uuid:public_id>/file.<str:fmt>", views.download, name="download"),
]
