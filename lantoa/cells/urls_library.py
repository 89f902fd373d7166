"""Study material (the library) and the internal bulletin with its article rotation."""

from django.urls import path

from .views import bulletin, library

urlpatterns = [
    path("library/", library.library, name="library"),
    path("library/new/", library.material_create, name="material_create"),
    path("library/<uuid:public_id>/", library.material_detail, name="material"),
    path("library/<uuid:public_id>/edit/", library.material_edit, name="material_edit"),
    path("library/<uuid:public_id>/file/", library.material_file, name="material_file"),
    path("bulletin/", bulletin.bulletin, name="bulletin"),
    path("bulletin/mine/", bulletin.my_articles, name="my_articles"),
    path("bulletin/<uuid:public_id>/", bulletin.issue_detail, name="bulletin_issue"),
    path("bulletin/<uuid:public_id>/order/", bulletin.issue_order, name="bulletin_order"),
    path("bulletin/<uuid:public_id>/publish/", bulletin.issue_publish, name="bulletin_publish"),
    path("bulletin/<uuid:public_id>/docx/", bulletin.issue_docx, name="bulletin_docx"),
    path("bulletin/articles/<uuid:public_id>/", bulletin.article_detail, name="article"),
    path("bulletin/articles/<uuid:public_id>/file/", bulletin.article_file, name="article_file"),
    path("units/<slug:key>/bulletin/", bulletin.cell_bulletin, name="bulletin_cell"),
]
