"""Shared fixtures: a small dated tree and one persona per role, for permission and leak tests.

The tree (as of 2024):

    Tỉnh ủy Bến Tre (province)
    ├── Huyện ủy Châu Thành (district, closes 30/6/2025)
    │   ├── Đảng ủy xã An Khánh (commune; moves under the province on 1/7/2025)
    │   │   └── Chi bộ ấp Phước Thạnh (cell)
    │   ├── Đảng ủy xã Tân Thạch (commune)
    │   │   └── Chi bộ ấp Tân Thạnh (cell)
    │   └── Chi bộ Hội LHPN huyện (grassroots cell, directly under the district)
    └── Huyện ủy Giồng Trôm (district: out of Châu Thành's scope)
        └── Chi bộ ấp Giồng (cell)
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
import time_machine
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.utils import translation
from time_machine import TimeMachineFixture

from lantoa.org.models import PartyMember, Role, Unit, UnitKind, UnitParentage
from tests import dated_tests
from tests.factories import RoleGrantFactory, UnitFactory, UserFactory, member_in

D = dt.date
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# A day after the district level ended (30/6/2025), for tests about "today's" tree:
# @pytest.mark.today(AFTER_THE_REFORM).
AFTER_THE_REFORM = D(2026, 11, 26)
# A Monday while the district still stood: its staff act for it (after 30/6/2025 they only read).
BEFORE_THE_REFORM = D(2025, 6, 2)


def ten_in_the_morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=VIETNAM)


def pytest_configure(config: pytest.Config) -> None:
    """``LANTOA_TEST_TODAY=dd/mm/yyyy`` runs the whole session on that day (at 10:00 in Vietnam,
    the clock ticking on), so the suite can be tried on the days that break naive date code."""
    pinned = os.environ.get("LANTOA_TEST_TODAY")
    if pinned:
        day = dt.datetime.strptime(pinned, "%d/%m/%Y").date()
        time_machine.travel(ten_in_the_morning(day), tick=True).start()
    config.pluginmanager.register(dated_tests.DatedTests(config), "lantoa-dated-tests")


@pytest.fixture(autouse=True)
def _interface_language() -> Iterator[None]:
    """Each test starts in the interface's default language: a request in English (a language
    cookie) leaves English active on the thread, and the next test's messages would read English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _today_of_the_test(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.today(D(2025, 11, 6))`` runs the test on that day, whatever day the suite
    runs on. Autouse, so the day is set before any other fixture (a login made on another day
    would have expired)."""
    marker = request.node.get_closest_marker("today")
    if marker:
        clock: TimeMachineFixture = request.getfixturevalue("time_machine")
        clock.move_to(ten_in_the_morning(marker.args[0]), tick=True)


@dataclass
class Tree:
    province: Unit
    district: Unit
    an_khanh: Unit
    phuoc_thanh: Unit
    tan_thach: Unit
    tan_thanh: Unit
    women: Unit
    other_district: Unit
    other_cell: Unit


@pytest.fixture
def tree(db: None) -> Tree:
    return build_tree()


def build_tree() -> Tree:
    """Bến Tre with Châu Thành (closed 30/6/2025; An Khánh moved up to the province) and Giồng
    Trôm; also called directly where a module builds its world once."""
    province = UnitFactory(
        key="ben-tre",
        name="Tỉnh ủy Bến Tre",
        kind=UnitKind.PROVINCE,
        short_code="TU",
        valid_from=D(1976, 1, 1),
    )
    district = UnitFactory(
        key="chau-thanh",
        name="Huyện ủy Châu Thành",
        kind=UnitKind.DISTRICT,
        short_code="HU",
        valid_from=D(1976, 1, 1),
        valid_to=D(2025, 6, 30),
        parent=province,
    )
    an_khanh = UnitFactory(
        key="an-khanh",
        name="Đảng ủy xã An Khánh",
        kind=UnitKind.COMMUNE,
        short_code="ĐU",
        valid_from=D(1976, 1, 1),
    )
    UnitParentage.objects.create(
        unit=an_khanh, parent=district, valid_from=D(1976, 1, 1), valid_to=D(2025, 6, 30)
    )
    UnitParentage.objects.create(unit=an_khanh, parent=province, valid_from=D(2025, 7, 1))
    phuoc_thanh = UnitFactory(key="phuoc-thanh", name="Chi bộ ấp Phước Thạnh", parent=an_khanh)
    tan_thach = UnitFactory(
        key="tan-thach", name="Đảng ủy xã Tân Thạch", kind=UnitKind.COMMUNE, short_code="ĐU", parent=district
    )
    tan_thanh = UnitFactory(key="tan-thanh", name="Chi bộ ấp Tân Thạnh", parent=tan_thach)
    women = UnitFactory(
        key="hoi-lhpn", name="Chi bộ Hội LHPN huyện", kind=UnitKind.GRASSROOTS_CELL, parent=district
    )
    other_district = UnitFactory(
        key="giong-trom", name="Huyện ủy Giồng Trôm", kind=UnitKind.DISTRICT, short_code="HU", parent=province
    )
    other_cell = UnitFactory(key="ap-giong", name="Chi bộ ấp Giồng", parent=other_district)
    return Tree(
        province, district, an_khanh, phuoc_thanh, tan_thach, tan_thanh, women, other_district, other_cell
    )


@dataclass
class Persona:
    client: Client
    user: object


def _persona(unit: Unit, role: str) -> Persona:
    grant = RoleGrantFactory(unit=unit, role=role, valid_from=D(2020, 1, 1))
    client = Client()
    client.force_login(grant.user)
    return Persona(client, grant.user)


@pytest.fixture
def admin_persona(tree: Tree) -> Persona:
    return _persona(tree.province, Role.ADMIN)


@pytest.fixture
def district_staff(tree: Tree) -> Persona:
    """Ban Tuyên giáo staff of Huyện ủy Châu Thành."""
    return _persona(tree.district, Role.PROPAGANDA)


@pytest.fixture
def cell_secretary(tree: Tree) -> Persona:
    """Secretary of Chi bộ ấp Phước Thạnh: in scope for that cell only."""
    return _persona(tree.phuoc_thanh, Role.SECRETARY)


@pytest.fixture
def council_member(tree: Tree) -> Persona:
    """Read-only role on the district."""
    return _persona(tree.district, Role.COUNCIL)


@pytest.fixture
def outsider(tree: Tree) -> Persona:
    """Secretary in another district: everything in Châu Thành is out of scope."""
    return _persona(tree.other_cell, Role.SECRETARY)


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def hien(tree: Tree) -> PartyMember:
    """Nguyễn Thanh Hiền, member of the women's union cell, with sensitive data that must not leak."""
    member = member_in(tree.women, name="Nguyễn Thanh Hiền")
    person = member.person
    person.ethnicity, person.religion, person.id_number = "Kinh", "Phật giáo", "083123456789"
    person.save()
    return member


def make_user_with(unit: Unit, role: str) -> object:
    return RoleGrantFactory(unit=unit, role=role).user


# ---------------------------------------------------------------------------------------------
# Added for the foundation suite (org, accounts, audit, web): page text, messages, more personas.
# ---------------------------------------------------------------------------------------------


# Tags that start a new line on screen; text inside inline tags (a, span, strong) runs on.
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "summary",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(response: HttpResponse) -> str:
    """What a person reads on the page: tags stripped, entities decoded, whitespace collapsed."""
    parser = _TextParser()
    parser.feed(response.content.decode())
    return " ".join("".join(parser.parts).split())


def heading(response: HttpResponse) -> str:
    """The page's first ``<h1>`` as a person reads it: says which page answered (an error page
    has a heading of its own)."""
    html = response.content.decode()
    start = html.find("<h1")
    if start < 0:
        return ""
    parser = _TextParser()
    parser.feed(html[start : html.find("</h1>", start) + len("</h1>")])
    return " ".join("".join(parser.parts).split())


def tr(message: str, **params: object) -> str:
    """``message`` as the interface shows it (Vietnamese, whatever the catalogue holds today)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(message)
    return text % params if params else text


def tr_count(singular: str, plural: str, count: int, *, context: str = "", **params: object) -> str:
    """A message with a count (``{% blocktranslate count %}``) as the interface shows it."""
    with translation.override(settings.LANGUAGE_CODE):
        if context:
            text = translation.npgettext(context, singular, plural, count)
        else:
            text = translation.ngettext(singular, plural, count)
    return text % params if params else text


def persona(unit: Unit, role: str, **grant: object) -> Persona:
    """A logged-in client holding ``role`` on ``unit`` (for one-off personas in a test)."""
    grant.setdefault("valid_from", D(2020, 1, 1))
    made = RoleGrantFactory(unit=unit, role=role, **grant)
    client = Client()
    client.force_login(made.user)
    return Persona(client, made.user)


@pytest.fixture
def women_secretary(tree: Tree) -> Persona:
    """Secretary of Chi bộ Hội LHPN huyện, the cell Nguyễn Thanh Hiền belongs to."""
    return persona(tree.women, Role.SECRETARY)


@pytest.fixture
def stranger(tree: Tree) -> PartyMember:
    """A member in Giồng Trôm with a name and sensitive values that must never reach Châu Thành."""
    member = member_in(tree.other_cell, name="Lê Thị Bí Mật", card_number="99000111")
    person = member.person
    person.ethnicity, person.religion, person.id_number = "Khmer", "Cao Đài", "083999888777"
    person.health_note = "Bệnh tim bẩm sinh"
    person.save()
    return member


__all__ = [
    "D",
    "Persona",
    "Tree",
    "UserFactory",
    "heading",
    "make_user_with",
    "member_in",
    "page_text",
    "persona",
    "tr",
]
