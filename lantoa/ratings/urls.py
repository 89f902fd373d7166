from django.urls import path

from . import target_views, views

app_name = "ratings"

urlpatterns = [
    path("ratings/", views.index, name="index"),
    path("ratings/r/<uuid:public_id>/", views.rating_detail, name="rating"),
    path("ratings/r/<uuid:public_id>/discipline/", views.discipline_create, name="discipline_create"),
    path("ratings/targets/<slug:key>/", target_views.target_page, name="targets"),
    path("ratings/targets/<slug:key>/new/", target_views.target_create, name="target_create"),
    path("ratings/targets/actual/<int:target_id>/", target_views.actual_enter, name="actual_enter"),
    path("ratings/<slug:key>/<str:year>/", views.unit_year, name="unit_year"),
    path("ratings/<slug:key>/<str:year>/labels/", views.labels, name="labels"),
]
