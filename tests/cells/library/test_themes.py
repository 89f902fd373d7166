"""Themes in the library: every theme opens with the same words, so lists show the year and what
sets each apart, the full title in a tooltip and on the material's page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from lantoa.cells.labels import theme_gist, theme_heading, theme_short
from lantoa.documents.models import Theme
from tests.cells.library.conftest import share
from tests.conftest import page_text, tr

D = dt.date
OPENING = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về "
THEME_2023 = (
    OPENING + "phát huy sức mạnh đại đoàn kết toàn dân tộc, xây dựng quê hương Châu Thành giàu đẹp, văn minh"
)
THEME_2024 = (
    OPENING + 'tinh thần tự lực, tự cường, khát vọng vươn lên gắn với phong trào thi đua "Đồng khởi mới"'
)


def _theme(unit, year, title):
    return Theme.objects.create(
        scope=Theme.Scope.YEAR, unit=unit, issuer_name=unit.name, year=year, title=title
    )


def test_a_theme_is_named_by_its_year_and_what_sets_it_apart(tree):
    theme = _theme(tree.district, 2024, THEME_2024)

    assert theme_heading(theme) == tr("Theme %(year)s", year=2024)
    assert theme_gist(theme) == "tinh thần tự lực, tự cường, khát vọng vươn lên gắn với…"
    assert theme_short(theme) == f"{tr('Theme %(year)s', year=2024)}: {theme_gist(theme)}"


def test_a_whole_term_theme_and_a_short_one(tree):
    term = Theme(
        scope=Theme.Scope.TERM, issuer_name="Ban Chấp hành Trung ương", title=OPENING + "ý chí tự lực"
    )
    short = Theme(scope=Theme.Scope.YEAR, year=2025, issuer_name="", title="Đoàn kết, đổi mới")

    assert theme_short(term) == f"{tr('Whole-term theme')}: ý chí tự lực"
    assert theme_short(short) == f"{tr('Theme %(year)s', year=2025)}: Đoàn kết, đổi mới"


def test_library_lists_themes_apart_with_the_full_title_as_a_tooltip(cell_secretary, tree):
    theme_2023, theme_2024 = _theme(tree.district, 2023, THEME_2023), _theme(tree.district, 2024, THEME_2024)
    material = share(tree.phuoc_thanh, "Bác Hồ với đức tính tiết kiệm", themes=[theme_2024])

    response = cell_secretary.client.get(reverse("cells:library"))
    detail = cell_secretary.client.get(reverse("cells:material", args=[material.public_id]))

    html = response.content.decode()
    short_2023, short_2024 = theme_short(theme_2023), theme_short(theme_2024)
    assert short_2023 != short_2024
    full = THEME_2024.replace('"', "&quot;")
    assert f'<option value="{theme_2024.pk}" title="{full}">{short_2024}</option>' in html
    assert f'<span title="{full}">{short_2024}</span>' in html
    assert f"{tr('Theme %(year)s', year=2024)}: {THEME_2024}" in page_text(detail)


def test_the_share_form_offers_themes_by_their_short_names(cell_secretary, tree):
    theme = _theme(tree.district, 2024, THEME_2024)

    response = cell_secretary.client.get(reverse("cells:material_create") + "?unit=phuoc-thanh")

    labels = [label for _value, label in response.context["form"].fields["themes"].choices]
    assert theme_short(theme) in labels
