"""Vietnamese formats in templates (the vi filters are a builtin of every template)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from lantoa.web.templatetags.vi import get_item, mask


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_vn_filters_render_the_house_formats_without_loading():
    out = _render(
        "{{ day|vn_date }} {{ n|vn_int }} {{ money|vn_money }} {{ actual|vn_percent:target }}",
        day=dt.date(2024, 3, 5),
        n=1525,
        money=50000,
        actual=66,
        target=47,
    )

    assert out == "05/03/2024 1.525 50.000 đ 140,43%"


def test_vn_filters_render_nothing_for_none():
    assert _render("[{{ x|vn_date }}][{{ x|vn_int }}][{{ x|vn_money }}]", x=None) == "[][][]"


@pytest.mark.parametrize("value", ["Kinh", "Khmer", "Phật giáo", "083123456789"])
def test_mask_gives_every_value_the_same_mask(value):
    # A mask as long as the value would tell "Kinh" (4) from "Khmer" (5).
    assert mask(value) == "••••••"


@pytest.mark.parametrize("blank", ["", None])
def test_mask_of_nothing_is_empty(blank):
    assert mask(blank) == ""


def test_get_item_looks_up_by_a_variable_key():
    assert (get_item({3: "ba"}, 3), get_item({3: "ba"}, 4), get_item(None, 3)) == ("ba", None, None)
