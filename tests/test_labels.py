"""Every model and field has a Vietnamese name, and every record a readable label: the audit
log, Django's own messages ("Đảng viên với … đã tồn tại") and any list show them, never
"Filing object (1286)" or "submitted on"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from lantoa.audit.queries import shown_value

LANTOA_MODELS = [model for model in apps.get_models() if model.__module__.startswith("lantoa.")]


def _vietnamese(label: object) -> str:
    with translation.override("vi"):
        return str(label)


def _english(label: object) -> str:
    with translation.override("en"):
        return str(label)


@pytest.mark.parametrize("model", LANTOA_MODELS, ids=lambda model: model._meta.label)
def test_every_model_has_a_vietnamese_name_and_a_label_for_its_records(model):
    meta = model._meta

    assert isinstance(meta.verbose_name, Promise), f"{meta.label} has no translatable verbose_name"
    assert _vietnamese(meta.verbose_name) != _english(meta.verbose_name)
    assert _vietnamese(meta.verbose_name_plural) != _english(meta.verbose_name_plural)
    assert model.__str__ is not models.Model.__str__, (
        f"{meta.label} would read “{meta.object_name} object (1)”"
    )


@pytest.mark.parametrize("model", LANTOA_MODELS, ids=lambda model: model._meta.label)
def test_every_field_has_a_vietnamese_name(model):
    untranslated = [
        field.name
        for field in model._meta.get_fields()
        # ``id`` is Django's own and never shown; reverse relations are named on the other side.
        if field.concrete and field.name != "id"
        if not isinstance(field.verbose_name, Promise)
        or _vietnamese(field.verbose_name) == _english(field.verbose_name)
    ]

    assert untranslated == []


def test_moments_kept_in_the_history_read_as_on_the_pages():
    assert shown_value("2026-12-06T12:56:36.176750+00:00") == "19:56 06/12/2026"
    assert shown_value("06/12/2026") == "06/12/2026"
    assert shown_value(dt.date(2026, 12, 6).isoformat()) == "2026-12-06"
