"""Folding Vietnamese text for diacritic-insensitive search.

"Nguyễn Thanh Hiền" and "nguyen thanh hien" fold to the same key, on every database, because the
folded text is stored in a ``search_text`` column instead of relying on a database extension.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ is a separate letter, not d + a combining mark, so NFD alone does not fold it.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


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
