"""The statistics registry: every figure of the dashboard, the reports, their files and the
command line is one of these, counted in one place (``base`` says what a statistic is)."""

from __future__ import annotations

from .base import Column, Context, Family, Figure, Measure, Records, Statistic, Value
from .funds import FundsFamily
from .honours import HonoursFamily
from .meetings import MeetingsFamily
from .organisation import OrganisationFamily
from .programme import CommitmentsFamily, PlansFamily, PracticesFamily
from .ratings import RatingsFamily, TargetsFamily

# In the order of the review report's sections.
FAMILIES: tuple[Family, ...] = (
    OrganisationFamily(),
    PlansFamily(),
    CommitmentsFamily(),
    MeetingsFamily(),
    HonoursFamily(),
    PracticesFamily(),
    RatingsFamily(),
    TargetsFamily(),
    FundsFamily(),
)


def family_of(statistic_id: str) -> Family | None:
    return next((family for family in FAMILIES if family.owns(statistic_id)), None)


__all__ = [
    "FAMILIES",
    "Column",
    "Context",
    "Family",
    "Figure",
    "Measure",
    "Records",
    "Statistic",
    "Value",
    "family_of",
]
