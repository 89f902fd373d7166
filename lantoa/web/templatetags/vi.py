"""Template filters for Vietnamese formats (loaded as a builtin in every template)."""

from __future__ import annotations

import datetime as dt

from django import template

from lantoa.lib import privacy, vi

register = template.Library()


@register.filter
def vn_date(value: dt.date | None) -> str:
    # A missing value reaches a template as "" (an attribute of None): nothing to write.
    return vi.format_date(value) if isinstance(value, dt.date) else ""


@register.filter
def vn_datetime(value: dt.datetime | None) -> str:
    """19:56 06/12/2026, in Vietnam's time."""
    return vi.format_datetime(value)


@register.filter
def vn_month(value: dt.date | None) -> str:
    """A month in a table, list or heading: 06/2025."""
    return "" if value is None else vi.format_month(value)


@register.filter
def vn_month_text(value: dt.date | None) -> str:
    """A month after "tháng" in a sentence: 6/2025."""
    return "" if value is None else vi.format_month_in_text(value)


@register.filter
def vn_int(value: int | None) -> str:
    """1.525 (1,525 on an English page)."""
    return vi.for_reader(vi.format_int(value))


@register.filter
def vn_figure(value: object) -> str:
    """66, 98,25 (98.25 on an English page): a count or a measure that may have decimals."""
    if value is None or value == "":
        return ""
    return vi.for_reader(vi.format_figure(value))  # type: ignore[arg-type]


@register.filter
def vn_money(value: int | None) -> str:
    """1.200.000 đ, the "đ" kept on the number's line (a phone broke "50.000" from its "đ")."""
    return vi.for_reader(vi.format_money(value)).replace(" đ", "\u00a0đ")


@register.filter
def vn_percent(actual: int, target: int) -> str:
    """{{ actual|vn_percent:target }} → 140,43% (140.43% on an English page)."""
    return vi.for_reader(vi.format_percent(actual, target))


@register.filter
def vn_pct(value: object) -> str:
    """A percentage already computed (Decimal 57.14) → 57,14% (57.14% on an English page)."""
    if value is None or value == "":
        return ""
    return vi.for_reader(f"{vi.format_decimal(value)}%")  # type: ignore[arg-type]


@register.filter
def mask(value: str | None) -> str:
    """A sensitive value the reader may not see: always the same six dots, whether a value is
    stored or not and whatever its length (an empty field or "Kinh" against "Khmer" would give
    something away)."""
    return privacy.MASK


@register.filter
def get_item(mapping: dict | None, key: object) -> object:
    """{{ counts|get_item:unit.pk }}: look up a dict by a variable key."""
    return (mapping or {}).get(key)
