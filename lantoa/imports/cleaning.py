"""Checking one row of a member sheet on its own, without the database.

``RowCleaner`` turns a row into typed values (a ``CleanRow``) or problems. What it needs from
stored data — the cells a row may name — is given to it ready-made (``CellIndex``), so checking
100 000 rows runs no query per row. Checks across rows and against stored members are in
``checking.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.datetime import from_excel

from lantoa.lib.text import TextProblem, check_digits, check_person_name, clean_text, fold, normalize_name
from lantoa.lib.vi import DateParseError, format_date, parse_date
from lantoa.org.member_dates import member_date_problems
from lantoa.org.reference import match_ethnicity, match_religion

from .columns import COLUMNS, DATE, GENDER, SENSITIVE_FIELDS, Column, is_masked, unneutralise
from .messages import Problem
from .parsing import HeaderMap

_DATE_SHAPE = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$")
_SPACES = re.compile(r"\s+")
_ID_NUMBER = re.compile(r"^(\d{12}|\d{9})$")
_GENDERS = {"nam": "M", "nu": "F", "Nam": "M", "Nữ": "F"}  # the last two: as typed, without folding


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellChoice:
    id: int
    key: str
    name: str
    valid_from: dt.date = dt.date.min


class CellIndex:
    """The cells a row may name: by key, by "name (key)" as exports write twins, or by name,
    accents and case ignored. Answers are cached: a sheet names the same few cells thousands
    of times."""

    def __init__(self, cells: Iterable[CellChoice], unit_name: str) -> None:
        self.unit_name = unit_name
        self.by_key: dict[str, CellChoice] = {}
        self.by_name: dict[str, list[CellChoice]] = {}
        for cell in cells:
            self.by_key[cell.key.lower()] = cell
            self.by_name.setdefault(fold(cell.name), []).append(cell)
        self._cache: dict[str, tuple[str, Any]] = {}

    def find(self, text: str) -> tuple[str, Any]:
        """("ok", cell) or (problem code, params)."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._cache[text] = self._find(text)
        return cached

    def _find(self, text: str) -> tuple[str, Any]:
        by_key = self.by_key.get(text.strip().lower())
        if by_key is not None:
            return "ok", by_key
        if text.rstrip().endswith(")") and "(" in text:
            suffix = text.rstrip()[:-1].rsplit("(", 1)[1].strip().lower()
            if suffix in self.by_key:
                return "ok", self.by_key[suffix]
        named = self.by_name.get(fold(text), [])
        if len(named) == 1:
            return "ok", named[0]
        if named:
            cells = ", ".join(f"{c.name} ({c.key})" for c in named)
            return "ambiguous_cell", {"value": text, "cells": cells}
        return "unknown_cell", {"value": text, "unit": self.unit_name}

    def twins(self) -> set[int]:
        """Ids of cells whose name another cell shares (exports write these as "name (key)")."""
        return {cell.id for group in self.by_name.values() if len(group) > 1 for cell in group}


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------


# The example row of templates handed out before 11/2026, which sat on the data sheet: a file
# that still holds it would import "Nguyễn Văn An" as a real member. Name and card number
# together, so that a real namesake is never refused.
TEMPLATE_EXAMPLE_CARD, TEMPLATE_EXAMPLE_NAME = "12345678", "nguyen van an"


@dataclass(slots=True)
class CleanRow:
    """A row that passed its own checks. ``values`` holds only what the file sets: a blank or
    masked cell is absent, so an update keeps the stored value."""

    row: int
    card: str | None
    name_key: str  # fold(full_name): recognises members who have no card number yet
    cell_id: int
    values: dict[str, Any]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps 80012345 as 80012345.0
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    return str(value).strip()


def _digits_from_number(value: Any) -> str | None:
    """A number cell's digits, or None when the cell is text. Excel drops leading zeros."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return None


class RowCleaner:
    """Checks one row at a time. Built once per file from the header map and the cell index."""

    def __init__(self, headers: HeaderMap, cells: CellIndex, today: dt.date) -> None:
        self.headers = headers
        self.cells = cells
        self.today = today
        self.columns: list[tuple[int, Column]] = [
            (position, column)
            for column in COLUMNS
            if column.field != "row_number" and (position := headers.positions.get(column.field)) is not None
        ]
        self.data_positions = [position for position, _column in self.columns]
        self.present = {column.field for _position, column in self.columns}
        # (row, card number) of every row whose card number could be read, problems or not: a
        # repeated number is reported even when the other row has its own problems.
        self.cards: list[tuple[int, str]] = []
        # Without a required column rows are still checked, to list every problem at once, but
        # none can become a member.
        self.complete = all(column.field in self.present for column in COLUMNS if column.required)
        self.labels = {column.field: headers.label(column.field) for column in COLUMNS}
        self.max_lengths = {column.field: column.max_length for column in COLUMNS if column.max_length}
        special = {
            "full_name": self._name,
            "card_number": self._card,
            "phone": self._phone,
            "id_number": self._id_number,
            "ethnicity": self._listed,
            "religion": self._listed,
            "cell": self._cell,
        }
        self.cleaners: list[tuple[int, str, Callable[[int, str, Any, list[Problem]], Any]]] = [
            (
                position,
                column.field,
                self._date
                if column.kind == DATE
                else self._gender
                if column.kind == GENDER
                else special.get(column.field, self._text),
            )
            for position, column in self.columns
        ]
        self.order = {headers.labels[name]: position for name, position in headers.positions.items()}

    def is_blank(self, values: Sequence[Any]) -> bool:
        """Rows with nothing but a row number (STT) are padding, not members."""
        size = len(values)
        for position in self.data_positions:
            if position < size:
                value = values[position]
                if value is not None and (not isinstance(value, str) or value.strip()):
                    return False
        return True

    def clean(self, row: int, values: Sequence[Any]) -> tuple[CleanRow | None, list[Problem]]:
        problems: list[Problem] = []
        found: dict[str, Any] = {}
        size = len(values)
        for position, name, clean_cell in self.cleaners:
            raw = values[position] if position < size else None
            if raw is None or raw == "":
                continue
            value = clean_cell(row, name, raw, problems)
            if value is not None:
                found[name] = value
        if (
            found.get("card_number") == TEMPLATE_EXAMPLE_CARD
            and fold(found.get("full_name")) == TEMPLATE_EXAMPLE_NAME
        ):
            # Only this problem: the others (its cell is not in this unit …) would mislead.
            return None, [Problem("template_example", row=row)]
        self._check_row(row, found, problems)
        if "card_number" in found:
            self.cards.append((row, found["card_number"]))
        if problems:
            problems.sort(key=lambda problem: self.order.get(problem.column, 0))  # as the row reads
        if problems or not self.complete:
            return None, problems
        cell = found.pop("cell")
        card = found.pop("card_number", None)
        return CleanRow(row, card, fold(found["full_name"]), cell.id, found), problems

    def _problem(self, code: str, row: int, field_name: str, **params: Any) -> Problem:
        return Problem(code, row=row, column=self.labels[field_name], params=params)

    # One cleaner per column, chosen once in __init__ (this loop runs a million times for 100 000
    # rows). Each returns the typed value, or None for "nothing given": blank, masked, or wrong
    # (then with a problem appended).

    def _text(self, row: int, name: str, raw: Any, problems: list[Problem]) -> str | None:
        text = raw.strip() if type(raw) is str else _as_text(raw)
        if not text:
            return None
        if not text.isascii() or not text.isprintable():
            # The rules every input path shares (lib.text.clean_text): NFC (text typed on a Mac
            # arrives decomposed), no control or direction characters. ASCII letters and digits
            # are what most cells hold, and pass as they are.
            try:
                text = clean_text(text)
            except TextProblem as exc:
                problems.append(self._problem(exc.code, row, name, **exc.params))
                return None
            if not text:
                return None
        if text[0] == "'":
            text = unneutralise(text)
        if text[0] == "•" and is_masked(text) and name in SENSITIVE_FIELDS:
            return None
        limit = self.max_lengths.get(name)
        if limit and len(text) > limit:
            problems.append(self._problem("too_long", row, name, max=limit))
            return None
        return text

    def _name(self, row: int, name: str, raw: Any, problems: list[Problem]) -> str | None:
        text = self._text(row, name, raw, problems)
        if not text:
            return None
        text = normalize_name(text)
        try:
            check_person_name(text)
        except TextProblem as exc:
            problems.append(self._problem(exc.code, row, name, **exc.params))
            return None
        return text

    def _card(self, row: int, name: str, raw: Any, problems: list[Problem]) -> str | None:
        if type(raw) is str and " " in raw:
            raw = _SPACES.sub("", raw)
        text = self._text(row, name, raw, problems)
        try:
            check_digits(text or "")
        except TextProblem as exc:
            problems.append(self._problem(exc.code, row, name, **exc.params))
            return None
        return text

    def _listed(self, row: int, name: str, raw: Any, problems: list[Problem]) -> str | None:
        """Ethnicity and religion: the official list's spelling of what the cell names."""
        text = self._text(row, name, raw, problems)
        if text is None:
            return None
        match = match_ethnicity(text) if name == "ethnicity" else match_religion(text)
        if match is None:
            problems.append(self._problem(f"unknown_{name}", row, name, value=text))
        return match

    def _phone(self, row: int, name: str, raw: Any, problems: list[Problem]) -> str | None:
        digits = _digits_from_number(raw)
        if digits is not None and len(digits) == 9:
            return "0" + digits  # 0912345678 typed into a number cell became 912345678
        return self._text(row, name, raw, problems)

    def _id_number(self, row: int, name: str, raw: Any, problems: list[Problem]) -> str | None:
        digits = _digits_from_number(raw)
        if digits is not None:
            # Citizen IDs begin with a 0 (the province code) that a number cell drops.
            text = (
                digits.zfill(12)
                if len(digits) in (10, 11)
                else digits.zfill(9)
                if len(digits) == 8
                else digits
            )
        else:
            typed = self._text(row, name, raw, problems)
            if typed is None:
                return None
            text = re.sub(r"[\s.]", "", typed)
        if not _ID_NUMBER.match(text):
            problems.append(self._problem("bad_id_number", row, name, value=text))
            return None
        return text

    def _gender(self, row: int, name: str, raw: Any, problems: list[Problem]) -> str | None:
        text = self._text(row, name, raw, problems)
        if text is None:
            return None
        gender = _GENDERS.get(text) or _GENDERS.get(fold(text))
        if gender is None:
            problems.append(self._problem("bad_gender", row, name, value=text))
        return gender

    def _cell(self, row: int, name: str, raw: Any, problems: list[Problem]) -> CellChoice | None:
        text = self._text(row, name, raw, problems)
        if text is None:
            return None
        status, found = self.cells.find(text)
        if status != "ok":
            problems.append(Problem(status, row=row, column=self.labels[name], params=found))
            return None
        return found

    def _date(self, row: int, name: str, raw: Any, problems: list[Problem]) -> dt.date | None:
        if type(raw) is dt.datetime:  # how Excel date cells arrive
            return raw.date()
        if isinstance(raw, dt.date):
            return raw.date() if isinstance(raw, dt.datetime) else raw
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            # A date in a cell formatted as a number: Excel's serial day count.
            if 1 <= raw < 2958466:
                value = from_excel(raw)
                return value.date() if isinstance(value, dt.datetime) else None
            problems.append(self._problem("date_unreadable", row, name, value=_as_text(raw)))
            return None
        text = _as_text(raw)
        if not text:
            return None
        try:
            return parse_date(text)
        except DateParseError:
            code = "date_impossible" if _DATE_SHAPE.match(text) else "date_unreadable"
            problems.append(self._problem(code, row, name, value=text))
            return None

    def _check_row(self, row: int, found: dict[str, Any], problems: list[Problem]) -> None:
        labels = self.labels
        flagged = {problem.column for problem in problems}
        for name in ("full_name", "admitted_on", "cell"):
            if name in self.present and name not in found and labels[name] not in flagged:
                problems.append(Problem("empty", row=row, column=labels[name]))
        if (
            "card_number" in self.present
            and "card_number" not in found
            and "birth_date" not in found
            and labels["card_number"] not in flagged
            and labels["birth_date"] not in flagged
        ):
            problems.append(Problem("no_card_no_birth", row=row, column=labels["card_number"]))
        admitted, full, birth = found.get("admitted_on"), found.get("full_member_on"), found.get("birth_date")
        problems.extend(check_dates(row, labels, admitted, full, birth, self.today))


def check_dates(
    row: int,
    labels: dict[str, str],
    admitted: dt.date | None,
    full: dt.date | None,
    birth: dt.date | None,
    today: dt.date,
) -> list[Problem]:
    """A member's dates against the Party's rules (``org.member_dates``, as the forms check them);
    also used with stored dates when a row changes only some."""
    return [
        Problem(code, row=row, column=labels[field_name], params=params)
        for field_name, code, params in member_date_problems(
            birth=birth, admitted=admitted, full=full, today=today
        )
    ]
