"""The Party's rules on a member's dates, one set for every path that records them (the forms,
the import, later an API).

- Born on or after 01/01/1900 and not in the future.
- Admitted on or after 03/02/1930 (the Party's founding), not in the future, and at 18 or older:
  Điều lệ Đảng, Điều 1 admits "công dân Việt Nam từ mười tám tuổi trở lên".
- A full member from the day of admission at the earliest, and not in the future.

``member_date_problems`` returns (field, code, params) so that a form and an import each say it
their own way; ``DATE_MESSAGES`` has the words.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from lantoa.lib.vi import format_date

EARLIEST_BIRTH = dt.date(1900, 1, 1)
PARTY_FOUNDED = dt.date(1930, 2, 3)
ADMISSION_AGE = 18

DATE_MESSAGES = {
    "birth_future": _("the date of birth %(date)s is in the future"),
    "birth_too_early": _("the date of birth %(date)s is before 01/01/1900"),
    "admission_future": _("the date of admission %(date)s is in the future"),
    "admission_too_early": _("the date of admission %(date)s is before the Party was founded (03/02/1930)"),
    "birth_after_admission": _(
        "the date of birth %(birth)s is not before the date of admission %(admitted)s"
    ),
    "admission_too_young": _(
        "admitted on %(admitted)s at %(age)d years old: the Party Charter admits citizens from 18"
    ),
    "full_before_admission": _(
        "the date of full membership %(full)s is before the date of admission %(admitted)s"
    ),
    "full_future": _("the date of full membership %(date)s is in the future"),
}


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years from ``birth`` to ``day`` (someone born on 29 February turns a year older on
    1 March in other years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February → 28 February in a common year): the day one
    turns ``years`` old when born on ``day``, counting as ``age_on`` does."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28) + dt.timedelta(days=1)


def member_date_problems(
    *, birth: dt.date | None, admitted: dt.date | None, full: dt.date | None, today: dt.date
) -> list[tuple[str, str, dict[str, object]]]:
    """What is wrong with these dates, as (field, code, params); nothing when all is right.
    A missing date is not checked (whether it is required is the caller's business)."""
    problems: list[tuple[str, str, dict[str, object]]] = []
    if birth is not None:
        if birth > today:
            problems.append(("birth_date", "birth_future", {"date": format_date(birth)}))
        elif birth < EARLIEST_BIRTH:
            problems.append(("birth_date", "birth_too_early", {"date": format_date(birth)}))
    if admitted is not None:
        if admitted > today:
            problems.append(("admitted_on", "admission_future", {"date": format_date(admitted)}))
        elif admitted < PARTY_FOUNDED:
            problems.append(("admitted_on", "admission_too_early", {"date": format_date(admitted)}))
        if birth is not None and birth >= admitted:
            problems.append(
                (
                    "birth_date",
                    "birth_after_admission",
                    {"birth": format_date(birth), "admitted": format_date(admitted)},
                )
            )
        elif birth is not None and age_on(birth, admitted) < ADMISSION_AGE:
            age = age_on(birth, admitted)
            problems.append(
                ("admitted_on", "admission_too_young", {"admitted": format_date(admitted), "age": age})
            )
        if full is not None and full < admitted:
            problems.append(
                (
                    "full_member_on",
                    "full_before_admission",
                    {"full": format_date(full), "admitted": format_date(admitted)},
                )
            )
    if full is not None and full > today:
        problems.append(("full_member_on", "full_future", {"date": format_date(full)}))
    return problems
