from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from lantoa.lib.env import env_bool, env_choice, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("LANTOA_X", raw)

    assert env_bool("LANTOA_X", not value) is value


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("LANTOA_X", raising=False)

    assert env_bool("LANTOA_X", True) is True


def test_env_bool_fails_loudly_on_a_typo(monkeypatch):
    monkeypatch.setenv("LANTOA_X", "ture")

    with pytest.raises(ImproperlyConfigured) as caught:
        env_bool("LANTOA_X", False)

    assert str(caught.value) == "LANTOA_X must be one of 1/0, true/false, yes/no, on/off; got 'ture'"


def test_env_int_reads_a_number_and_defaults_on_blank(monkeypatch):
    monkeypatch.setenv("LANTOA_N", "42")
    assert env_int("LANTOA_N", 5) == 42
    monkeypatch.setenv("LANTOA_N", " ")
    assert env_int("LANTOA_N", 5) == 5


def test_env_int_fails_loudly_on_words(monkeypatch):
    monkeypatch.setenv("LANTOA_N", "ten")

    with pytest.raises(ImproperlyConfigured) as caught:
        env_int("LANTOA_N", 5)

    assert str(caught.value) == "LANTOA_N must be a whole number; got 'ten'"


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("LANTOA_L", " a.vn, ,b.vn ,")

    assert env_list("LANTOA_L") == ["a.vn", "b.vn"]


def test_env_list_default_is_a_copy(monkeypatch):
    monkeypatch.delenv("LANTOA_L", raising=False)
    default = ["x"]

    result = env_list("LANTOA_L", default)
    result.append("y")

    assert default == ["x"]


def test_env_str_returns_the_raw_value_or_the_default(monkeypatch):
    monkeypatch.delenv("LANTOA_S", raising=False)
    assert env_str("LANTOA_S", "d") == "d"
    monkeypatch.setenv("LANTOA_S", "")
    assert env_str("LANTOA_S", "d") == ""


def test_env_choice_refuses_an_unknown_value(monkeypatch):
    monkeypatch.setenv("LANTOA_TASKS", "celery")

    with pytest.raises(ImproperlyConfigured) as caught:
        env_choice("LANTOA_TASKS", ("database", "immediate"), "database")

    assert str(caught.value) == "LANTOA_TASKS must be one of database, immediate; got 'celery'"


def test_env_choice_is_case_insensitive(monkeypatch):
    monkeypatch.setenv("LANTOA_TASKS", " Immediate ")

    assert env_choice("LANTOA_TASKS", ("database", "immediate"), "database") == "immediate"
