"""Helpers for the import tests: build .xlsx and .csv files in memory, check and import them.

Today is whatever the machine says; the tree fixture's district closed on 30/6/2025, so imports
go into units that are open today (Đảng ủy xã An Khánh with its cells, Tân Thạch, ...).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from lantoa.imports.checking import Plan, check_file
from lantoa.imports.columns import COLUMNS
from lantoa.imports.services import write_plan
from lantoa.org.models import Role, Unit
from tests.conftest import Persona, Tree
from tests.factories import RoleGrantFactory, UnitFactory, member_in

D = dt.date
BIRTH, ADMITTED, FULL = D(1980, 4, 30), D(2005, 9, 2), D(2006, 9, 2)
HEADERS = [column.header for column in COLUMNS]


def xlsx_bytes(rows: Sequence[Sequence[Any]], headers: Sequence[Any] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[Any] = HEADERS,
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def member_row(
    name: str = "Trần Văn Bình",
    card: Any = "90000001",
    *,
    birth: Any = BIRTH,
    gender: Any = "Nam",
    ethnicity: Any = "Kinh",
    religion: Any = "Không",
    id_number: Any = "083080001111",
    phone: Any = "0912000111",
    admitted: Any = ADMITTED,
    full: Any = FULL,
    cell: Any = "Chi bộ ấp Phước Thạnh",
    number: Any = 1,
) -> list[Any]:
    """A row in template column order (STT first)."""
    return [number, name, card, birth, gender, ethnicity, religion, id_number, phone, admitted, full, cell]


def name_for(n: int) -> str:
    """A distinct given name for the n-th generated member, in letters (a name holds no digits):
    0 → "An", 27 → "Bình Bình"."""
    given = ["An", "Bình", "Cúc", "Dũng", "Hà", "Khoa", "Lan", "Minh", "Nam", "Phúc", "Quang", "Sơn", "Tâm"]
    words = []
    while True:
        words.append(given[n % len(given)])
        n //= len(given)
        if not n:
            return " ".join(reversed(words))


def check(unit: Unit, content: bytes, name: str = "members.xlsx", actor: Any = None) -> Plan:
    """The check as ``actor`` makes it (``None``: the command line, which may do everything)."""
    return check_file(io.BytesIO(content), name, unit, actor=actor)


def run_import(unit: Unit, content: bytes, name: str = "members.xlsx", actor: Any = None) -> Plan:
    """Check and write, failing the test with the problems if there are any."""
    plan = check(unit, content, name, actor)
    assert [problem.message for problem in plan.problems] == []
    write_plan(plan, actor=actor)
    return plan


def messages_of(plan: Plan) -> list[str]:
    return [problem.message for problem in plan.problems]


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    """These tests read the English msgids, whatever the catalogue holds; test_messages.py
    checks the Vietnamese."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def an_thanh(tree: Tree) -> Unit:
    """A second cell under Đảng ủy xã An Khánh, for transfers."""
    return UnitFactory(key="an-thanh", name="Chi bộ ấp An Thạnh", parent=tree.an_khanh)


def logged_in(unit: Unit, role: str) -> Persona:
    grant = RoleGrantFactory(unit=unit, role=role, valid_from=D(2020, 1, 1))
    client = Client()
    client.force_login(grant.user)
    return Persona(client, grant.user)


@pytest.fixture
def commune_secretary(tree: Tree) -> Persona:
    """Secretary of Đảng ủy xã An Khánh: may import into the commune and see sensitive data."""
    return logged_in(tree.an_khanh, Role.SECRETARY)


@pytest.fixture
def stranger_member(tree: Tree) -> Any:
    """A member in Giồng Trôm (outside Châu Thành) holding card number 99000111."""
    return member_in(tree.other_cell, name="Lê Thị Bí Mật", card_number="99000111")
