"""Folding Vietnamese text for diacritic-insensitive search.

"Nguyễn Thanh Hiền" and "nguyen thanh hien" fold to the same key, on every database, because the
folded text is stored in a ``search_text`` column instead of relying on a database extension.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

_SPACES = re.compile(r"\s+")
# đ/Đ is a separate letter, not d + a combining mark, so NFD alone does not fold it.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(text: str | None, *, low: int = 0, high: int = 2**62) -> int | None:
    """A whole number typed in a field or a query string (ASCII digits only: ``str.isdigit``
    also says yes to "²" and "٣", which ``int`` then refuses or reads), or None when it is not
    one or lies outside ``low``..``high`` (an id or a year that could never match)."""
    text = (text or "").strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics and collapse whitespace."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def normalize_name(text: str | None) -> str:
    """A person's or unit's name as stored: NFC, single spaces, no surrounding blanks."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


# ---------------------------------------------------------------------------------------------
# Text as it may be stored: one set of rules for every input path (forms, import, later an API)
# ---------------------------------------------------------------------------------------------


class TextProblem(ValueError):
    """Text that cannot be stored: a code from ``TEXT_PROBLEMS`` and its parameters, so that a
    form says it at once and an import keeps it to say in the reader's language."""

    def __init__(self, problem: str, **params: object) -> None:
        super().__init__(problem)
        self.code = problem
        self.params = params

    @property
    def message(self) -> str:
        return str(TEXT_PROBLEMS[self.code]) % self.params


TEXT_PROBLEMS = {
    "bidi": _("contains a character that reverses the direction of the text"),
    "control": _("contains an invisible control character (U+%(codepoint)04X)"),
    "unassigned": _("contains a character that cannot be shown (U+%(codepoint)04X)"),
    "name_start": _("a name starts with a letter"),
    "name_char": _("a name holds letters, spaces and the signs ' - . only, not “%(char)s”"),
    "not_digits": _("a card number is digits only"),
}

# Invisible characters that copying from Word or a web page brings along: dropped.
_DROPPED = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Spacing characters that are a plain space in a one-line field.
_SPACE_LIKE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# Characters that reorder text for display (right-to-left overrides, embeddings, isolates,
# marks): they make a name read differently from what is stored.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` as it may be stored: NFC; line breaks as ``\\n`` (only in long text, elsewhere a
    space); tabs and odd spaces as a space; invisible formatting characters dropped; surrounding
    blanks removed. Raises ``TextProblem`` for control characters, bidirectional overrides and
    characters that have no meaning yet (unassigned, private use)."""
    text = unicodedata.normalize("NFC", value).translate(_DROPPED)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ")
    text = _SPACE_LIKE.sub(" ", text)
    for ch in text:
        if ch == "\n":
            continue
        if ch in _BIDI:
            raise TextProblem("bidi")
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf"):
            raise TextProblem("control", codepoint=ord(ch))
        if category in ("Co", "Cn", "Cs"):
            raise TextProblem("unassigned", codepoint=ord(ch))
    if multiline:
        return "\n".join(line.strip() for line in text.split("\n")).strip()
    return text.strip()


def printable(text: str | None) -> str:
    """Stored text made safe for a document or a sheet: the characters XML forbids and the
    direction overrides removed. What the input rules refuse never gets stored, but a record made
    before them, or by another path, must not make an export fail."""
    if not text:
        return ""
    return "".join(
        ch
        for ch in str(text)
        if ch in "\t\n\r" or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _BIDI)
    )


# A person's name: letters (with their marks), spaces, and the few signs names use: the
# apostrophe and hyphen of names such as "H'Hen Niê" or "Y-Moan Ê Ban", and a dot.
_NAME_SIGNS = frozenset(" '’-.")


def check_person_name(name: str) -> None:
    """Raise ``TextProblem`` unless ``name`` (already cleaned) is made of letters and name signs
    and starts with a letter."""
    if not name:
        return
    if not unicodedata.category(name[0]).startswith("L"):
        raise TextProblem("name_start")
    for ch in name:
        if ch not in _NAME_SIGNS and not unicodedata.category(ch).startswith(("L", "M")):
            raise TextProblem("name_char", char=ch)


def check_digits(value: str) -> None:
    """Raise ``TextProblem`` unless ``value`` is digits only (a card number)."""
    if value and not (value.isascii() and value.isdigit()):
        raise TextProblem("not_digits")


def initials_of(full_name: str) -> str:
    """ "Nguyễn Thị Hồng" → "N. T. H.": what a list may show of someone whose name it must not."""
    return " ".join(f"{word[0].upper()}." for word in full_name.split() if word[:1].isalpha())[:60]
