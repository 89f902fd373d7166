"""Links to units that the reader may open, plain names for the rest.

A breadcrumb, a history or a person's cells name units outside the reader's scope (the province
above a cell secretary, the cell a member left); a link there only leads to "not found". The
scope is computed once per request (``scope_for``), so a page with many names costs no query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from lantoa.lib.vi import format_date
from lantoa.org.access import Capability, scope_for

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_link(
    context: template.Context,
    unit: Any = None,
    on: dt.date | None = None,
    pk: int | None = None,
    key: str | None = None,
    name: str | None = None,
) -> SafeString:
    """``{% unit_link unit on %}`` or ``{% unit_link pk=… key=… name=… %}`` (for annotated rows):
    the unit's name, as a link to its page (as of ``on``) when the reader may see it."""
    if unit is not None:
        pk, key, name = unit.pk, unit.key, unit.name
    if not key:
        return format_html("{}", name or "")
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or pk is None or not scope_for(user).can(Capability.VIEW, pk):
        return format_html("{}", name)
    url = reverse("org:unit", args=[key])
    if on:
        url = f"{url}?on={format_date(on)}"
    return format_html('<a href="{}">{}</a>', url, name)
