"""How cell-life pages name things: a study theme in a few words, a user by the person's name."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from lantoa.documents.models import Theme

# Every theme opens with the same words (the programme's own name), so a theme cut after 60
# letters reads like every other one: its short form drops them and keeps what sets it apart.
COMMON_OPENING = re.compile(
    r"^\s*học tập và làm theo tư tưởng,? đạo đức,? phong cách hồ chí minh\s*(?:về\s+)?", re.IGNORECASE
)
SHORT_LENGTH = 60


def theme_heading(theme: Theme) -> str:
    """ "Chuyên đề 2024", "Chuyên đề toàn khóa": which theme, by its year or its scope."""
    if theme.year:
        return _("Theme %(year)s") % {"year": theme.year}
    if theme.scope == Theme.Scope.TERM:
        return str(Theme.Scope.TERM.label)
    return _("Theme")


def theme_gist(theme: Theme, length: int = SHORT_LENGTH) -> str:
    """The words that set the theme apart, cut at a word boundary: "tinh thần tự lực, tự cường…"."""
    text = " ".join(theme.title.split())
    rest = COMMON_OPENING.sub("", text) or text
    if len(rest) > length:
        cut = rest[: length - 1].rsplit(" ", 1)[0] if " " in rest[: length - 1] else rest[: length - 1]
        rest = cut.rstrip(" ,;:") + "…"
    return rest


def theme_short(theme: Theme, length: int = SHORT_LENGTH) -> str:
    """ "Chuyên đề 2024: tinh thần tự lực, tự cường…": for lists and choices; the full title goes
    in a tooltip and on the material's page."""
    return f"{theme_heading(theme)}: {theme_gist(theme, length)}"


def user_name(user: Any) -> str:
    """A user as a person: the account's full name, else the name of the person it belongs to,
    the login name only when there is neither."""
    if user is None:
        return ""
    full = user.get_full_name().strip()
    if full:
        return str(full)
    person = getattr(user, "person", None)  # a user without a person raises, which getattr absorbs
    if person is not None and person.full_name:
        return str(person.full_name)
    return str(user.get_username())
