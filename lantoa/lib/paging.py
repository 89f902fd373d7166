"""Pages of a long, filtered list whose total comes with the page.

Django's ``Paginator`` asks the database twice: ``COUNT(*)`` for the total, then the page's slice.
When finding the matches is the expensive part (a name searched over a province's 200 000
people, each checked against the user's reach), that work is done twice. Here the page's query
also carries ``COUNT(*) OVER ()``: the database counts the matches it has already found to sort
them, and one query gives both. A page past the end (or below 1) falls back to the plain count and
Django's answer, its last page.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "page_total"
# Past this, an offset no database takes (a hand-typed page=99999999999999999999).
LAST_PAGE_ASKED = 10_000_000


class CountedInPagePaginator(Paginator):
    """``get_page`` as Django's, in one query when the page has rows."""

    object_list: QuerySet[Any]

    def get_page(self, number: Any) -> Page:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if not 1 <= wanted <= LAST_PAGE_ASKED:  # Django's answer: the last page
            return super().get_page(number)
        start = (wanted - 1) * self.per_page
        rows = list(self.object_list.annotate(**{TOTAL: Window(Count("pk"))})[start : start + self.per_page])
        if not rows:
            return super().get_page(number)
        self.__dict__["count"] = getattr(rows[0], TOTAL)  # ``count`` is a cached property
        return Page(rows, wanted, self)
