from django.urls import path

from .views import people, units

app_name = "org"
urlpatterns = [
    path("units/", units.tree, name="tree"),
    path("units/<slug:key>/tree/", units.tree_children, name="tree_children"),
    path("units/new/", units.unit_create, name="unit_create"),
    path("units/<slug:key>/", units.unit_detail, name="unit"),
    path("units/<slug:key>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<slug:key>/move/", units.unit_move, name="unit_move"),
    path("units/<slug:key>/close/", units.unit_close, name="unit_close"),
    path("units/<slug:key>/merge/", units.unit_merge, name="unit_merge"),
    path("units/<slug:key>/members/new/", people.member_create, name="member_create"),
    path("people/", people.people, name="people"),
    path("people/<uuid:public_id>/", people.person_detail, name="person"),
    path("people/<uuid:public_id>/sensitive/", people.person_sensitive, name="person_sensitive"),
    path("people/<uuid:public_id>/edit/", people.person_edit, name="person_edit"),
    path("people/<uuid:public_id>/transfer/", people.member_transfer, name="member_transfer"),
    path("people/<uuid:public_id>/card/", people.member_card, name="member_card"),
    path("people/<uuid:public_id>/posts/new/", people.position_create, name="position_create"),
    path("people/<uuid:public_id>/posts/<int:position_id>/end/", people.position_end, name="position_end"),
]
