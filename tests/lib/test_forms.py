from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils import translation

from lantoa.lib.forms import EMPTY_LABEL, BootstrapFormMixin, VNDateField, with_blank
from lantoa.org.models import Unit


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


# --- the empty choice ------------------------------------------------------------------------


class _ChoiceForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    must = forms.ModelChoiceField(queryset=Unit.objects.none())
    own_label = forms.ModelChoiceField(queryset=Unit.objects.none(), empty_label="(không có)")
    kind = forms.ChoiceField(choices=[*BLANK_CHOICE_DASH, ("a", "A")])
    blank = forms.ChoiceField(choices=with_blank([("a", "A")]))
    dash = forms.ChoiceField(choices=[("", "—"), ("a", "A")])


def test_bootstrap_mixin_replaces_djangos_dashes_by_the_translated_empty_label():
    form = _ChoiceForm()

    with translation.override("vi"):
        firsts = [str(next(iter(form.fields[name].choices))[1]) for name in form.fields]

    assert firsts == ["— Chọn —", "— Chọn —", "(không có)", "— Chọn —", "— Chọn —", "—"]


def test_with_blank_puts_the_empty_choice_first_and_keeps_the_field_required():
    form = _ChoiceForm({"blank": ""})

    assert with_blank([("a", "A")]) == [("", EMPTY_LABEL), ("a", "A")]
    assert "blank" in form.errors
    with translation.override("en"):
        assert str(EMPTY_LABEL) == "— Choose —"


def test_bootstrap_mixin_leaves_choices_computed_on_demand_unread():
    calls = []

    def choices():
        calls.append(1)
        return [("", "---------"), ("a", "A")]

    class _LazyForm(BootstrapFormMixin, forms.Form):
        pick = forms.ChoiceField(choices=choices)

    _LazyForm()

    assert calls == []
