from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from lantoa.lib.forms import BootstrapFormMixin, VNDateField


class _DateForm(BootstrapFormMixin, forms.Form):
    day = VNDateField()
    kind = forms.ChoiceField(choices=[("a", "A")])
    agree = forms.BooleanField(required=False)


@pytest.mark.parametrize("typed", ["05/03/2024", "5/3/2024", "05-03-2024", "05.03.2024", "2024-03-05"])
def test_vn_date_field_reads_day_first_dates(typed):
    form = _DateForm({"day": typed, "kind": "a"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2024, 3, 5)


def test_vn_date_field_refuses_an_impossible_date_with_a_clear_message():
    form = _DateForm({"day": "31/02/2024", "kind": "a"})

    with translation.override("en"):
        assert form.errors == {"day": ["Enter a real date as dd/mm/yyyy."]}


def test_vn_date_field_shows_a_date_back_as_dd_mm_yyyy():
    form = _DateForm(initial={"day": dt.date(2024, 3, 5)})

    assert 'value="05/03/2024"' in str(form["day"])


def test_bootstrap_mixin_gives_each_widget_its_class():
    form = _DateForm()

    assert [form.fields[name].widget.attrs["class"] for name in ("day", "kind", "agree")] == [
        "form-control",
        "form-select",
        "form-check-input",
    ]
