"""Meetings, attendance and minutes (part of the ``cells`` namespace)."""

from django.urls import path

from .views import meetings as views
from .views.meetings import year

M = "meetings/<uuid:public_id>/"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/year/", year.meeting_year, name="meeting_year"),
    path("meetings/missing/", views.missing_meetings, name="missing_meetings"),
    path("meetings/missing.xlsx", views.missing_meetings_xlsx, name="missing_meetings_xlsx"),
    path(M, views.meeting_detail, name="meeting"),
    path(M + "edit/", views.meeting_edit, name="meeting_edit"),
    path(M + "hold/", views.meeting_hold, name="meeting_hold"),
    path(M + "approve/", views.meeting_approve, name="meeting_approve"),
    path(M + "resolution/", views.resolution, name="resolution"),
    path(M + "items/add/", views.agenda_add, name="agenda_add"),
    path(M + "items/<int:item_id>/", views.agenda_item, name="agenda_item"),
    path(M + "items/<int:item_id>/move/", views.agenda_move, name="agenda_move"),
    path(M + "items/<int:item_id>/remove/", views.agenda_remove, name="agenda_remove"),
    path(M + "items/<int:item_id>/opinions/", views.opinion_add, name="opinion_add"),
    path(
        M + "items/<int:item_id>/opinions/<int:opinion_id>/remove/",
        views.opinion_remove,
        name="opinion_remove",
    ),
    path(M + "attendance/", views.attendance, name="attendance"),
    path(M + "attendance/all-present/", views.attendance_all_present, name="attendance_all_present"),
    path(M + "attendance/<int:attendance_id>/", views.attendance_mark, name="attendance_mark"),
    path(M + "attendance/<int:attendance_id>/amend/", views.attendance_amend, name="attendance_amend"),
    path(M + "attendance/sheet.docx", views.attendance_sheet, name="attendance_sheet"),
    path(M + "attendance/print/", views.attendance_print, name="attendance_print"),
    path(M + "minutes.docx", views.minutes_docx, name="minutes_docx"),
    path(M + "minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
]
