"""Template tags and filters: Vietnamese formats (a builtin of every template) and unit links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from lantoa.org.access import scope_for
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

    assert out == "05/03/2024 1.525 50.000\u00a0đ 140,43%"  # the "đ" stays on the number's line


def test_vn_filters_render_nothing_for_none():
    assert _render("[{{ x|vn_date }}][{{ x|vn_int }}][{{ x|vn_money }}]", x=None) == "[][][]"


@pytest.mark.parametrize("value", ["Kinh", "Khmer", "Phật giáo", "083123456789", "", None])
def test_mask_gives_every_value_the_same_mask_and_nothing_too(value):
    # A mask as long as the value would tell "Kinh" (4) from "Khmer" (5); an empty mask would
    # tell a stored value from none.
    assert mask(value) == "••••••"


def test_get_item_looks_up_by_a_variable_key():
    assert (get_item({3: "ba"}, 3), get_item({3: "ba"}, 4), get_item(None, 3)) == ("ba", None, None)


# --- unit_link -------------------------------------------------------------------------------


def _render_link(user, source, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load unit_links %}" + source).render(Context({"request": request, **context}))


def test_unit_link_links_units_in_scope_and_names_the_rest(cell_secretary, tree):
    source = (
        "{% unit_link cell on %}|{% unit_link province %}|{% unit_link pk=cell.pk key=cell.key name=odd %}"
    )

    out = _render_link(
        cell_secretary.user,
        source,
        cell=tree.phuoc_thanh,
        province=tree.province,
        on=dt.date(2024, 3, 5),
        odd="Ấp <PT>",
    )

    assert out.split("|") == [
        f'<a href="{reverse("org:unit", args=["phuoc-thanh"])}?on=05/03/2024">Chi bộ ấp Phước Thạnh</a>',
        "Tỉnh ủy Bến Tre",
        f'<a href="{reverse("org:unit", args=["phuoc-thanh"])}">Ấp &lt;PT&gt;</a>',
    ]


def test_unit_link_without_a_key_or_a_reader_is_plain_text(tree):
    out = Template("{% load unit_links %}{% unit_link cell %}|{% unit_link name='—' %}").render(
        Context({"cell": tree.phuoc_thanh})
    )

    assert out == "Chi bộ ấp Phước Thạnh|—"


def test_unit_link_costs_no_query_once_the_scope_is_known(cell_secretary, tree, django_assert_num_queries):
    scope_for(cell_secretary.user)
    with django_assert_num_queries(0):
        _render_link(
            cell_secretary.user,
            "{% for u in units %}{% unit_link u %}{% endfor %}",
            units=[tree.province, tree.district, tree.an_khanh, tree.phuoc_thanh],
        )
