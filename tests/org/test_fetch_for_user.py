"""One way to fetch an object for a user (``lantoa.org.access.fetch_for_user``): missing, malformed
or out of reach all answer 404 with the same words; readable but not the user's to change, 403.
Every app's funnel goes through it, so a new funnel cannot drift into its own variant."""

from __future__ import annotations

import ast
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lantoa.org.access import fetch_for_user, get_person_for_user, get_unit_for_user
from lantoa.org.models import Role, Unit
from tests.conftest import persona

ROOT = Path(__file__).resolve().parents[2] / "lantoa"


def _message(call) -> str:
    with pytest.raises(Http404) as caught:
        call()
    return str(caught.value)


def test_missing_malformed_and_out_of_reach_read_the_same(tree, hien):
    outsider = persona(tree.other_cell, Role.SECRETARY).user

    answers = {
        _message(lambda: get_person_for_user(outsider, uuid.uuid4())),
        _message(lambda: get_person_for_user(outsider, "not-a-uuid")),
        _message(lambda: get_person_for_user(outsider, hien.person.public_id)),
    }

    assert len(answers) == 1


def test_readable_but_not_writable_is_403_and_writable_returns_the_object(tree):
    council = persona(tree.other_district, Role.COUNCIL).user
    secretary = persona(tree.other_cell, Role.SECRETARY).user

    assert get_unit_for_user(council, "ap-giong") == tree.other_cell
    with pytest.raises(PermissionDenied):
        get_unit_for_user(council, "ap-giong", write="manage_tree")
    assert get_unit_for_user(secretary, "ap-giong", write="write_programme") == tree.other_cell


def test_a_write_without_a_write_rule_is_refused(tree):
    with pytest.raises(PermissionDenied):
        fetch_for_user(
            Unit.objects.all(), key="ap-giong", may_read=lambda unit: True, not_found="x", write=True
        )


def _funnels() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("get_")
                and node.name.endswith(("_for_user", "_for_manager"))
            ):
                found.append((f"{path.relative_to(ROOT)}:{node.name}", node))
    return found


def test_every_funnel_fetches_through_the_one_pattern():
    funnels = _funnels()
    assert len(funnels) >= 10  # units, people, documents, obligations, meetings, issues, ...
    drifted = [
        name
        for name, node in funnels
        if not any(
            isinstance(call, ast.Call) and getattr(call.func, "id", "") == "fetch_for_user"
            for call in ast.walk(node)
        )
    ]
    assert drifted == []
