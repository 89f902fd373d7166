"""The "not found" page: says why in the reader's language, never an exception's class name.

Django's own view prints the message only when it is a plain ``str``; the funnels raise lazy
translations, which it would show as "Http404". A resolver's miss carries a dict of the patterns
tried: nothing of that is for the reader.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = exception.args[0] if exception.args else ""
    text = str(message) if isinstance(message, str | Promise) else ""
    return render(request, "404.html", {"exception": text}, status=404)
