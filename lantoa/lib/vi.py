"""Vietnamese number, money, percentage and date formats used in pages, documents and sheets.

One definition each, so a figure reads the same on screen, in Word and in Excel:
dates ``05/03/2024``, integers ``1.525``, percentages ``140,43%``, money ``50.000 đ``.

Months have three forms, one helper each, and nothing else writes a month
(``tests/lib/test_vi.py`` fails on a ``%m/%Y`` or ``date:"m/Y"`` anywhere else):

- in a table, a list, a heading or a menu: ``format_month`` → ``06/2025`` (as it is typed);
- in running text, after the word "tháng" that the sentence supplies:
  ``format_month_in_text`` → ``6/2025``, read "tháng 6/2025";
- on the dateline of a Party document (Hướng dẫn 36-HD/VPTW) and in its titles:
  ``format_dateline`` → ``ngày 05 tháng 3 năm 2024``, ``format_dateline_month`` →
  ``tháng 02 năm 2024``: days below 10 and the months January and February take a leading zero
  (Nghị định 30/2020, which Party documents follow: 36-HD itself is dated "ngày 03 tháng 4 năm
  2018"); the zero keeps "ngày 1" from becoming "ngày 15" and "tháng 1" "tháng 11" by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone, translation


def format_int(value: int | None) -> str:
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def format_money(amount_dong: int | None) -> str:
    """Money is integer đồng everywhere; this is only its face."""
    if amount_dong is None:
        return ""
    return f"{format_int(amount_dong)} đ"


def format_decimal(value: Decimal | float | int, places: int = 2) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    text = format_int(int(whole))
    if fraction:
        text += "," + fraction
    return ("-" if rounded < 0 else "") + text


def format_figure(value: Decimal | int) -> str:
    """A figure that may have decimals: 66, 15,5 → "15,50", 98,25; whole numbers without them."""
    number = Decimal(value)
    return format_decimal(number, 0) if number == number.to_integral_value() else format_decimal(number)


_SEPARATORS_SWAPPED = str.maketrans(".,", ",.")


def for_reader(formatted: str) -> str:
    """A number made by the helpers above, as the page's reader writes numbers: Vietnamese
    ``1.525`` and ``140,43%``; English ``1,525`` and ``140.43%``. Pages only: Party documents
    and spreadsheets stay Vietnamese whatever the reader's language."""
    language = translation.get_language() or "vi"
    return formatted.translate(_SEPARATORS_SWAPPED) if language.startswith("en") else formatted


def percentage(actual: int | Decimal, target: int | Decimal) -> Decimal | None:
    """actual / target as a percentage, rounded half-up to 2 places; None when target is 0."""
    if not target:
        return None
    return (Decimal(actual) * 100 / Decimal(target)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_percent(actual: int | Decimal, target: int | Decimal) -> str:
    """66 against 47 → '140,43%' (never '66/47')."""
    value = percentage(actual, target)
    return "" if value is None else f"{format_decimal(value)}%"


# The date as people type it and as forms show it back.
DATE_INPUT_FORMAT = "%d/%m/%Y"


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(moment: dt.datetime | None) -> str:
    """A moment as pages show it, in Vietnam's time: ``19:56 06/12/2026``."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{local:%H:%M} {format_date(local)}"


def format_month(month: dt.date) -> str:
    """A month in a table, list or heading: ``06/2025``."""
    return f"{month.month:02d}/{month.year:04d}"


def format_month_in_text(month: dt.date) -> str:
    """A month in running text, after "tháng": ``6/2025`` (the sentence reads "tháng 6/2025")."""
    return f"{month.month}/{month.year:04d}"


def _dateline_month_number(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def format_dateline(day: dt.date) -> str:
    """The date of a Party document: ``ngày 05 tháng 3 năm 2024`` (see the module's notes)."""
    return f"ngày {day.day:02d} tháng {_dateline_month_number(day.month)} năm {day.year}"


def format_dateline_month(month: dt.date) -> str:
    """A month in a Party document's title or dateline: ``tháng 02 năm 2024``, ``tháng 3 năm 2024``."""
    return f"tháng {_dateline_month_number(month.month)} năm {month.year}"


_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


class DateParseError(ValueError):
    """Raised with a Vietnamese message naming what is wrong with the date."""


def parse_date(value: object) -> dt.date | None:
    """Read a date as people type it (dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd) or as Excel stores it.

    Blank → None. An impossible date (31/02/2024) or an unreadable one raises DateParseError.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            day, month, year = int(match["d"]), int(match["m"]), int(match["y"])
            try:
                return dt.date(year, month, day)
            except ValueError as exc:
                raise DateParseError(f"ngày không có thật: {text}") from exc
    raise DateParseError(f"không đọc được ngày '{text}' (ghi theo dạng dd/mm/yyyy)")
