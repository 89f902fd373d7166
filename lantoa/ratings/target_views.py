"""Term targets: a committee's targets for a term against the actuals, year by year and for the
whole term, each counted figure opening the records behind it; adding a target; entering an
actual with its evidence where the records cannot count it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lantoa.audit.services import record_create, record_update, snapshot
from lantoa.documents.models import Term
from lantoa.lib.forms import BootstrapFormMixin
from lantoa.lib.text import whole_number
from lantoa.org.access import Capability, get_unit_for_user, scope_for
from lantoa.org.models import Unit

from . import targets
from .models import Indicator, LabelKind, TargetActual, TermTarget

TARGET_FIELDS = ("term", "position", "text", "indicator", "label", "target", "measure")
ACTUAL_FIELDS = ("target", "year", "value", "evidence", "entered_on")


def _term(request: HttpRequest, unit: Unit) -> tuple[list[Term], Term | None]:
    terms = list(Term.objects.filter(unit=unit).order_by("-starts_on"))
    wanted = whole_number(request.GET.get("term"))
    chosen = next((t for t in terms if t.pk == wanted), None)
    if chosen is None and terms:
        today = scope_for(request.user).today
        # The term in course, else the latest that has targets, else the latest.
        current = [t for t in terms if t.starts_on <= today and (t.ends_on is None or today <= t.ends_on)]
        with_targets = set(TermTarget.objects.filter(term__in=terms).values_list("term_id", flat=True))
        chosen = next((t for t in current if t.pk in with_targets), None) or next(
            (t for t in terms if t.pk in with_targets), current[0] if current else terms[0]
        )
    return terms, chosen


@login_required
@require_GET
def target_page(request: HttpRequest, key: str) -> HttpResponse:
    scope = scope_for(request.user)
    unit = get_unit_for_user(request.user, key)
    terms, term = _term(request, unit)
    rows = []
    if term is not None:
        if not scope.can_during(Capability.VIEW, unit, term.starts_on, term.ends_on):
            raise Http404(_("No such unit in your area."))
        found = list(TermTarget.objects.filter(term=term).select_related("term__unit", "label"))
        rows = targets.target_rows(found, scope.today)
    drill = None
    target_id, year = whole_number(request.GET.get("target")), whole_number(request.GET.get("year"))
    for row in rows:
        for row_year, actual in row.years:
            if row.target.pk == target_id and row_year == year and actual.drillable:
                drill = (row.target, year, list(targets.units_behind(row.target, year, scope.today)))
    return render(
        request,
        "ratings/targets.html",
        {
            "unit": unit,
            "terms": terms,
            "term": term,
            "rows": rows,
            "drill": drill,
            "can_edit": scope.can_now(Capability.WRITE_PROGRAMME, unit),
        },
    )


class TargetForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = TermTarget
        fields = ("position", "text", "indicator", "label", "target", "measure")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["label"].queryset = LabelKind.objects.all()  # type: ignore[attr-defined]
        self.fields["label"].required = False
        self.fields["target"].localize = True
        self.fields["target"].widget.is_localized = True

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("indicator") == Indicator.CELLS_LABELLED and not data.get("label"):
            self.add_error("label", _("Choose the label the cells must hold."))
        return data


@login_required
def target_create(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, key, write=Capability.WRITE_PROGRAMME)
    terms, term = _term(request, unit)
    term = next(
        (t for t in terms if t.pk == whole_number(request.POST.get("term") or request.GET.get("term"))), term
    )
    if term is None:
        raise Http404(_("This unit has no term recorded."))
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = form.save(commit=False)
        target.term = term
        try:
            target.full_clean()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            with transaction.atomic():
                target.save()
                record_create(actor=request.user, obj=target, fields=TARGET_FIELDS, unit=unit)
            messages.success(request, _("Target added."))
            return redirect(f"{_targets_url(unit)}?term={term.pk}")
    return render(
        request,
        "ratings/target_form.html",
        {"form": form, "unit": unit, "term": term, "terms": terms},
        status=400 if form.errors else 200,
    )


def _targets_url(unit: Unit) -> str:
    return reverse("ratings:targets", kwargs={"key": unit.key})


class ActualForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1900, max_value=2100)
    # localize: "98,5" as a Vietnamese page writes it (98.5 on an English one).
    value = forms.DecimalField(
        label=gettext_lazy("Actual"), max_digits=12, decimal_places=2, min_value=0, localize=True
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The report, minutes or count the figure comes from (number and date)."),
    )


@login_required
def actual_enter(request: HttpRequest, target_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    target = TermTarget.objects.select_related("term__unit").filter(pk=target_id).first()
    if target is None or not scope.can(Capability.VIEW, target.term.unit):
        raise Http404(_("No such target in your area."))
    unit = target.term.unit
    if not scope.can_now(Capability.WRITE_PROGRAMME, unit):
        raise PermissionDenied(_("Your role does not enter this unit's figures."))
    if target.indicator != Indicator.ENTERED:
        raise Http404(_("This target is counted from the records."))
    years = targets.years_of(target, scope.today)
    form = ActualForm(request.POST or None, initial={"year": years[-1] if years else scope.today.year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["year"] not in years:
            form.add_error("year", _("The year must fall within the term, up to this year."))
        else:
            with transaction.atomic():
                actual = TargetActual.objects.filter(target=target, year=data["year"]).first()
                before = snapshot(actual, ACTUAL_FIELDS) if actual else None
                actual = actual or TargetActual(target=target, year=data["year"])
                actual.value, actual.evidence = data["value"], data["evidence"]
                actual.entered_on, actual.entered_by = scope.today, request.user  # type: ignore[assignment]  # logged in
                actual.save()
                if before is None:
                    record_create(actor=request.user, obj=actual, fields=ACTUAL_FIELDS, unit=unit)
                else:
                    record_update(
                        actor=request.user, obj=actual, before=before, fields=ACTUAL_FIELDS, unit=unit
                    )
            messages.success(request, _("Figure saved."))
            return redirect(f"{_targets_url(unit)}?term={target.term_id}")
    return render(
        request,
        "ratings/actual_form.html",
        {"form": form, "target": target, "unit": unit},
        status=400 if form.errors else 200,
    )
