"""includes/form_fields.html: every field's help and errors are tied to it, so a screen reader reads
them with the field (aria-describedby names ids that exist)."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string

from lantoa.lib.forms import BootstrapFormMixin


class SampleForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="Họ và tên", help_text="Như trên thẻ đảng viên.")
    card = forms.CharField(label="Số thẻ", max_length=8)
    kinds = forms.MultipleChoiceField(
        label="Loại đơn vị",
        choices=[("cell", "Chi bộ"), ("commune", "Đảng bộ xã")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Chọn ít nhất một loại.",
    )
    note = forms.CharField(label="Ghi chú", required=False)


def _render(form: forms.Form) -> str:
    return render_to_string("includes/form_fields.html", {"form": form})


def _described_by(html: str) -> dict[str, list[str]]:
    """Each element's id (or tag) → the ids its aria-describedby names."""
    found = {}
    for tag in re.finditer(r"<(\w+)([^>]*\baria-describedby=\"([^\"]*)\"[^>]*)>", html):
        own = re.search(r'\bid="([^"]*)"', tag.group(2))
        found[own.group(1) if own else tag.group(1)] = tag.group(3).split()
    return found


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]*)"', html))


def test_help_texts_and_errors_have_the_ids_their_fields_point_at():
    form = SampleForm(data={"card": "830010011"})

    html = _render(form)

    assert _described_by(html) == {
        "id_name": ["id_name_helptext", "id_name_error"],
        "id_card": ["id_card_error"],
        "fieldset": ["id_kinds_helptext", "id_kinds_error"],
    }
    assert {ref for refs in _described_by(html).values() for ref in refs} <= _ids(html)
    assert 'id="id_card_error"' in html
    assert html.count('aria-invalid="true"') == 4  # name, card and the two kind boxes


def test_a_field_without_help_or_error_points_nowhere():
    html = _render(SampleForm())

    assert _described_by(html) == {"id_name": ["id_name_helptext"], "fieldset": ["id_kinds_helptext"]}
    assert "_error" not in html


def test_a_list_of_checkboxes_is_a_group_named_by_its_legend():
    html = _render(SampleForm())

    group = html[html.index("<fieldset") : html.index("</fieldset>")]
    assert re.search(r"<legend[^>]*>Loại đơn vị", group)
    assert 'for=""' not in html
