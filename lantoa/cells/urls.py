"""Cell life URLs: meetings, attendance and minutes (urls_meetings), the study-material library
and the internal bulletin (urls_library)."""

from django.urls import include, path

app_name = "cells"
urlpatterns = [
    path("", include("lantoa.cells.urls_meetings")),
    path("", include("lantoa.cells.urls_library")),
]
