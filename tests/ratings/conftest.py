"""Ratings built through the product's services: members of a cell with their year's rating
opened, and one line each to propose and to decide. The dates are the caller's: each test module
pins today (``@pytest.mark.today``) so that the acts it dates are not in the future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from lantoa.org.models import PartyMember, Unit
from lantoa.ratings import services
from lantoa.ratings.models import Rating
from lantoa.ratings.services import Entry
from tests.factories import UnitFactory, member_in

D = dt.date
DOCUMENT = "Quyết định số 45-QĐ/ĐU ngày 20/12/2024"


def members_of(cell: Unit, count: int, *, prefix: str = "Đảng viên") -> list[PartyMember]:
    """``count`` members of ``cell`` since 2015, named "<prefix> 1", "<prefix> 2" ..."""
    return [member_in(cell, name=f"{prefix} {number}") for number in range(1, count + 1)]


def open_ratings(members: Iterable[PartyMember], year: int) -> list[Rating]:
    return [services.open_member_rating(member=member, year=year) for member in members]


def rated(cell: Unit, count: int, year: int, *, prefix: str = "Đảng viên") -> list[Rating]:
    """``count`` new members of ``cell`` with their ratings for ``year`` opened."""
    return open_ratings(members_of(cell, count, prefix=prefix), year)


def lines(ratings: Iterable[Rating], level: str, score: int | None = None) -> list[Entry]:
    return [Entry(rating, level, score) for rating in ratings]


def decide(
    body: Unit,
    year: int,
    entries: Sequence[Entry],
    day: dt.date,
    *,
    actor: object = None,
    quota_override: str = "",
    document: str = DOCUMENT,
) -> list[Rating]:
    return services.decide(
        actor=actor,
        body=body,
        year=year,
        entries=entries,
        day=day,
        document=document,
        quota_override=quota_override,
    )


def propose(cell: Unit, entries: Sequence[Entry], day: dt.date, *, actor: object = None) -> list[Rating]:
    return services.record_proposals(actor=actor, unit=cell, entries=entries, day=day, votes="7/7")


def cell_under(parent: Unit, name: str, *, residential: bool = False, **values: object) -> Unit:
    """A subordinate cell of ``parent`` (a hamlet's when ``residential``)."""
    return UnitFactory(name=name, parent=parent, residential=residential, **values)


def levels(ratings: Iterable[Rating]) -> list[str]:
    """The levels as the database holds them now, in the order given."""
    return [Rating.objects.get(pk=rating.pk).level for rating in ratings]
