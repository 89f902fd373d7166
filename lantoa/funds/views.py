"""Pages of a savings fund: the funds a user reads, a fund's page, the month's collection sheet
(one tap per member at the meeting), money in, the ledger with its reversals, the children and
their consents and disbursements, and the statement on screen, in Word and in Excel.

Every fetch goes through ``access`` (404 outside the user's units, 403 where the role only
reads); every child is shown through ``lib.privacy`` (initials and birth year unless the reader
is one of the fund's managers, whose reading of full data is logged)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.cells.models import Meeting
from lantoa.cells.queries.meetings import add_months, parse_month
from lantoa.lib import privacy
from lantoa.lib.forms import apply_validation_error, flash_errors
from lantoa.lib.text import whole_number
from lantoa.lib.vi import format_month
from lantoa.org.access import fetch_for_user, scope_for
from lantoa.org.models import Membership, Person, Unit
from lantoa.web.downloads import export_response

from . import access, exporters, queries, services
from .forms import (
    BeneficiaryForm,
    ConsentForm,
    DisbursementForm,
    ExemptionForm,
    FundForm,
    MoneyInForm,
    PeriodForm,
    ReceiptForm,
    ReverseForm,
    RuleForm,
)
from .models import Beneficiary, Consent, ConsentUse, Disbursement, EntryKind, Fund, LedgerEntry

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_member_id(user: Any) -> int | None:
    return scope_for(user).member_id


def _child_rows(user: Any, children: list[Beneficiary], unit_id: int) -> list[dict[str, Any]]:
    """Each child as the reader may see them: the name for the fund's managers (a logged
    viewing), the initials and birth year for everyone else."""
    full = privacy.read_in_full(user, children, unit=unit_id, what="list")
    return [{"child": child, "full": child.pk in full} for child in children]


# ---------------------------------------------------------------------------------------------
# The funds a user reads
# ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    funds = (
        Fund.objects.filter(access.readable_funds_filter(request.user))
        .select_related("unit")
        .order_by("unit__search_text", "unit__name", "opened_on")
    )
    page = Paginator(funds, PAGE_SIZE).get_page(request.GET.get("page"))
    managed = access.managed_unit_ids(request.user)
    return render(request, "funds/index.html", {"page": page, "managed": managed, "may_open": bool(managed)})


# ---------------------------------------------------------------------------------------------
# A fund
# ---------------------------------------------------------------------------------------------


@login_required
def fund_create(request: HttpRequest) -> HttpResponse:
    """A unit's keepers open its fund (a unit may keep more than one, for different purposes)."""
    today = scope_for(request.user).today
    units = list(
        Unit.objects.filter(pk__in=access.managed_unit_ids(request.user))
        .exclude(valid_to__lt=today)
        .order_by("search_text", "name")
    )
    if not units:
        if request.method == "POST":
            raise PermissionDenied(_("Only the treasurer or the secretary of a unit opens its fund."))
        return render(request, "funds/fund_form.html", {"form": None})
    form = FundForm(request.POST or None, units=units, initial={"opened_on": today, "unit": units[0].pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = services.open_fund(
                actor=request.user,
                unit=next(u for u in units if u.pk == data["unit"]),
                name=data["name"],
                purpose=data["purpose"],
                opened_on=data["opened_on"],
                monthly_amount=data["monthly_amount"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The fund is open."))
            return redirect("funds:fund", public_id=fund.public_id)
    return render(request, "funds/fund_form.html", {"form": form})


@login_required
def rule_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """A new monthly amount from a month on, as the cell decided (earlier months keep theirs)."""
    fund = access.get_fund_for_user(request.user, public_id, write=True)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_rule(actor=request.user, fund=fund, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("The new amount applies from %(month)s.")
                % {"month": format_month(form.cleaned_data["valid_from"])},
            )
            return redirect("funds:fund", public_id=fund.public_id)
    return render(
        request, "funds/form.html", {"fund": fund, "form": form, "title": _("Change the monthly amount")}
    )


@login_required
@require_GET
def fund_page(request: HttpRequest, public_id: str) -> HttpResponse:
    fund = access.get_fund_for_user(request.user, public_id)
    today = scope_for(request.user).today
    year = today.year
    totals = queries.statement(fund, dt.date(year, 1, 1), today, with_entries=False)
    children = list(fund.beneficiaries.order_by("sponsored_from", "pk"))
    member_id = _own_member_id(request.user)
    mine = (
        queries.savings(fund, dt.date(year, 1, 1), dt.date(year, 12, 1), today=today, member_ids={member_id})
        if member_id
        else []
    )
    return render(
        request,
        "funds/fund.html",
        {
            "fund": fund,
            "balance": services.balance(fund, today),
            "totals": totals,
            "year": year,
            "children": _child_rows(request.user, children, fund.unit_id),
            "mine": mine[0] if mine else None,
            "months": [dt.date(year, m, 1) for m in range(1, 13)],
            "is_manager": access.may_keep_fund(request.user, fund),
            "may_oversee": access.may_oversee_fund(request.user, fund),
            "rule": fund.rules.filter(valid_from__lte=today).order_by("-valid_from").first(),
            "next_rule": fund.rules.filter(valid_from__gt=today).order_by("valid_from").first(),
        },
    )


# ---------------------------------------------------------------------------------------------
# The month's collection sheet
# ---------------------------------------------------------------------------------------------


def _month_of(request: HttpRequest, fund: Fund, today: dt.date) -> dt.date | None:
    """The month asked for; this month (or the fund's last) when none is; None when what was
    typed is not a month (the sheet says so, and nothing is booked for another month)."""
    text = (request.POST.get("month") if request.method == "POST" else request.GET.get("month")) or ""
    if not text.strip():
        return min(today, fund.closed_on or today).replace(day=1)
    return parse_month(text)


def _meeting_of(request: HttpRequest, fund: Fund) -> Meeting | None:
    key = request.GET.get("meeting") or request.POST.get("meeting")
    if not key:
        return None
    try:
        return Meeting.objects.filter(public_id=key, unit_id=fund.unit_id).first()
    except (ValidationError, ValueError):
        return None


@login_required
def savings_sheet(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET: who saved for the month and who owes what; POST (the fund's managers): the members
    tapped at the meeting are booked for the month."""
    fund = access.get_fund_for_user(request.user, public_id, write=request.method == "POST")
    today = scope_for(request.user).today
    asked = _month_of(request, fund, today)
    if asked is None:
        messages.error(request, _("Enter a month as mm/yyyy, e.g. 03/2024."))
        if request.method == "POST":
            return redirect(request.path)
    month = asked or today.replace(day=1)
    meeting = _meeting_of(request, fund)
    if request.method == "POST":
        ids = {
            pk for v in request.POST.getlist("members")[:500] if (pk := whole_number(v, low=1)) is not None
        }
        if not ids:
            messages.error(request, _("No member was ticked: tap the name of each member who saves."))
            return redirect(f"{request.path}?month={format_month(month)}")
        day = meeting.date if meeting is not None else today
        try:
            done = services.record_contributions(
                actor=request.user, fund=fund, month=month, member_ids=ids, day=day, meeting=meeting
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            if done.entries:
                messages.success(
                    request,
                    _("Savings of %(count)s members for %(month)s recorded.")
                    % {"count": len(done.entries), "month": format_month(month)},
                )
            if done.already_paid:
                messages.info(
                    request,
                    _("Already recorded before: %(names)s.")
                    % {"names": ", ".join(m.person.full_name for m in done.already_paid)},
                )
        query = f"?month={format_month(month)}" + (f"&meeting={meeting.public_id}" if meeting else "")
        return redirect(f"{request.path}{query}")
    oversee = access.may_oversee_fund(request.user, fund)
    members, paid, excused, amount = queries.month_sheet(fund, month)
    own = _own_member_id(request.user)
    if not oversee:
        members = [m for m in members if m.pk == own]
    year_start = dt.date(month.year, 1, 1)
    owing = queries.savings(
        fund, year_start, dt.date(month.year, 12, 1), today=today, member_ids=None if oversee else {own or 0}
    )
    return render(
        request,
        "funds/savings.html",
        {
            "fund": fund,
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1) if add_months(month, 1) <= today else None,
            "meeting": meeting,
            "rows": [{"member": m, "paid": m.pk in paid, "excused": m.pk in excused} for m in members],
            "amount": amount,
            "collected": len(paid) * amount,
            "paid_count": len(paid),
            "owing": [row for row in owing if row.owed],
            "is_manager": access.may_keep_fund(request.user, fund),
            "oversee": oversee,
        },
    )


@login_required
def exemption_create(request: HttpRequest, public_id: str) -> HttpResponse:
    fund = access.get_fund_for_user(request.user, public_id, write=True)
    today = scope_for(request.user).today
    members = services.members_in_month(fund, today.replace(day=1))
    form = ExemptionForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = next(m for m in members if m.pk == data["member"])
        try:
            services.record_exemption(
                actor=request.user,
                fund=fund,
                member=member,
                first_month=data["first_month"],
                last_month=data["last_month"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Exemption recorded."))
            return redirect("funds:savings", public_id=fund.public_id)
    return render(
        request, "funds/form.html", {"fund": fund, "form": form, "title": _("Excuse a member from saving")}
    )


# ---------------------------------------------------------------------------------------------
# Money in, the ledger, reversals
# ---------------------------------------------------------------------------------------------


@login_required
def money_in(request: HttpRequest, public_id: str) -> HttpResponse:
    fund = access.get_fund_for_user(request.user, public_id, write=True)
    form = MoneyInForm(request.POST or None, initial={"kind": "donation"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == "opening":
                services.record_opening(
                    actor=request.user,
                    fund=fund,
                    day=data["day"],
                    amount=data["amount"],
                    reason=data["reason"],
                )
            else:
                services.record_donation(
                    actor=request.user,
                    fund=fund,
                    day=data["day"],
                    amount=data["amount"],
                    source=data["source"],
                    reason=data["reason"],
                )
        except ValidationError as exc:
            apply_validation_error(form, exc, {"occurred_on": "day"})
        else:
            messages.success(request, _("Recorded in the ledger."))
            return redirect("funds:ledger", public_id=fund.public_id)
    return render(request, "funds/form.html", {"fund": fund, "form": form, "title": _("Money received")})


def _period(request: HttpRequest, today: dt.date) -> tuple[dt.date, dt.date, PeriodForm]:
    form = PeriodForm(request.GET or None)
    start, end = dt.date(today.year, 1, 1), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if end < start:
            form.add_error("end", _("The end is before the start."))
            start, end = dt.date(today.year, 1, 1), today
    return start, end, form


@login_required
@require_GET
def ledger(request: HttpRequest, public_id: str) -> HttpResponse:
    fund = access.get_fund_for_user(request.user, public_id)
    today = scope_for(request.user).today
    start, end, form = _period(request, today)
    entries = (
        LedgerEntry.objects.filter(fund=fund, occurred_on__range=(start, end))
        .select_related("member__person", "beneficiary", "reverses", "reversed_by", "recorded_by")
        .order_by("-occurred_on", "-number")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    children = list({entry.beneficiary_id: entry.beneficiary for entry in page if entry.beneficiary}.values())
    full = privacy.read_in_full(request.user, children, unit=fund.unit_id, what="ledger")
    return render(
        request,
        "funds/ledger.html",
        {
            "fund": fund,
            "page": page,
            "form": form,
            "start": start,
            "end": end,
            "full": full,
            "is_manager": access.may_keep_fund(request.user, fund),
            "oversee": access.may_oversee_fund(request.user, fund),
            "own_member": _own_member_id(request.user),
            "reverse_form": ReverseForm(),
            "REVERSAL": EntryKind.REVERSAL,
        },
    )


@login_required
@require_POST
def reverse_entry(request: HttpRequest, public_id: str, number: int) -> HttpResponse:
    fund = access.get_fund_for_user(request.user, public_id, write=True)
    entry = LedgerEntry.objects.filter(fund=fund, number=number).first()
    if entry is None:
        raise Http404(_("No such entry in this fund."))
    form = ReverseForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
    else:
        try:
            reversal = services.reverse(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request,
                _("Entry %(number)s reversed by entry %(reversal)s.")
                % {"number": number, "reversal": reversal.number},
            )
    return redirect("funds:ledger", public_id=fund.public_id)


# ---------------------------------------------------------------------------------------------
# Children
# ---------------------------------------------------------------------------------------------


def _form_data(form: BeneficiaryForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
def child_create(request: HttpRequest, public_id: str) -> HttpResponse:
    fund = access.get_fund_for_user(request.user, public_id, write=True)
    form = BeneficiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.add_beneficiary(actor=request.user, fund=fund, **_form_data(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The child is recorded. Record the guardian's consent next."))
            return redirect("funds:child", public_id=child.public_id)
    return render(request, "funds/form.html", {"fund": fund, "form": form, "title": _("Sponsor a child")})


@login_required
@require_GET
def child_page(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access.get_beneficiary_for_user(request.user, public_id)
    fund = child.fund
    full = child.pk in privacy.read_in_full(request.user, [child], unit=fund.unit_id)
    payments = list(
        Disbursement.objects.filter(beneficiary=child)
        .select_related("entry__reversed_by", "handed_by")
        .order_by("-slot")
    )
    return render(
        request,
        "funds/child.html",
        {
            "fund": fund,
            "child": child,
            "full": full,
            "payments": payments,
            "consents": list(child.consents.order_by("-given_on", "-pk")) if full else [],
            "uses": [
                (use, access.consent_covers(child, use.value, scope_for(request.user).today))
                for use in ConsentUse
            ],
            "is_manager": full and access.may_keep_fund(request.user, fund),
            "payable": child.sponsored_to is None or child.sponsored_to >= scope_for(request.user).today,
            "paid_total": -sum(p.entry.amount for p in payments if not hasattr(p.entry, "reversed_by")),
        },
    )


@login_required
def child_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access.get_beneficiary_for_user(request.user, public_id, write=True)
    fields = services.BENEFICIARY_FIELDS
    form = BeneficiaryForm(request.POST or None, initial={f: getattr(child, f) for f in fields})
    if not form.is_bound:
        privacy.record_viewing(actor=request.user, obj=child, unit=child.fund.unit_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_beneficiary(actor=request.user, child=child, **_form_data(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("funds:child", public_id=child.public_id)
    return render(request, "funds/form.html", {"fund": child.fund, "form": form, "title": child.full_name})


@login_required
def consent_create(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access.get_beneficiary_for_user(request.user, public_id, write=True)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("funds:child", public_id=child.public_id)
    return render(
        request,
        "funds/form.html",
        {"fund": child.fund, "form": form, "title": _("Record a consent"), "child": child},
    )


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, public_id: str, consent_id: int) -> HttpResponse:
    child = access.get_beneficiary_for_user(request.user, public_id, write=True)
    consent = Consent.objects.filter(beneficiary=child, pk=consent_id).first()
    if consent is None:
        raise Http404(_("No such consent."))
    try:
        services.withdraw_consent(actor=request.user, consent=consent, day=scope_for(request.user).today)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Consent withdrawn from today."))
    return redirect("funds:child", public_id=child.public_id)


def _handers(fund: Fund, today: dt.date) -> list[Person]:
    """Who may hand money over: the unit's members today."""
    ids = Membership.objects.filter(unit_id=fund.unit_id, valid_from__lte=today).exclude(valid_to__lt=today)
    return list(Person.objects.filter(party_member__memberships__in=ids).distinct().order_by("full_name"))


@login_required
def disbursement_create(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access.get_beneficiary_for_user(request.user, public_id, write=True)
    today = scope_for(request.user).today
    people = _handers(child.fund, today)
    own = scope_for(request.user).person_id
    form = DisbursementForm(
        request.POST or None,
        request.FILES or None,
        people=people,
        initial={
            "day": today,
            "amount": child.scheduled_amount,
            "handed_by": own,
            "received_by": child.guardian_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_disbursement(
                actor=request.user,
                child=child,
                day=data["day"],
                amount=data["amount"],
                handed_by=next(p for p in people if p.pk == data["handed_by"]),
                received_by=data["received_by"],
                receipt=data["receipt"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc, {"receipt": "receipt", "file": "receipt", "slot": "day"})
        else:
            messages.success(request, _("Disbursement recorded."))
            return redirect("funds:child", public_id=child.public_id)
    return render(
        request,
        "funds/form.html",
        {
            "fund": child.fund,
            "form": form,
            "title": _("Hand over money to %(child)s") % {"child": child.full_name},
            "multipart": True,
            "balance": services.balance(child.fund, today),
        },
    )


def _disbursement_for_manager(user: Any, public_id: str) -> Disbursement:
    disbursement = fetch_for_user(
        Disbursement.objects.select_related("beneficiary__fund__unit", "entry"),
        public_id=public_id,
        may_read=lambda found: access.may_read_fund(user, found.beneficiary.fund),
        not_found=_("No such disbursement in your area."),
    )
    # The receipt carries the guardian's name and signature: the fund's managers only.
    if not access.is_manager(user, disbursement.beneficiary.fund):
        raise PermissionDenied(_("Only the fund's managers open receipts."))
    return disbursement


@login_required
@require_GET
def receipt_download(request: HttpRequest, public_id: str) -> FileResponse:
    disbursement = _disbursement_for_manager(request.user, public_id)
    if not disbursement.receipt:
        raise Http404(_("No receipt was attached."))
    privacy.record_viewing(
        actor=request.user,
        obj=disbursement.beneficiary,
        unit=disbursement.beneficiary.fund.unit_id,
        what="receipt",
    )
    return FileResponse(
        disbursement.receipt.open("rb"), as_attachment=True, filename=disbursement.receipt_name
    )


@login_required
@require_POST
def receipt_attach(request: HttpRequest, public_id: str) -> HttpResponse:
    disbursement = _disbursement_for_manager(request.user, public_id)
    if not access.may_keep_fund(request.user, disbursement.beneficiary.fund):
        raise PermissionDenied(_("Your role here can only read."))
    form = ReceiptForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_receipt(
                actor=request.user, disbursement=disbursement, receipt=form.cleaned_data["receipt"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Receipt attached."))
    else:
        flash_errors(request, form)
    return redirect("funds:child", public_id=disbursement.beneficiary.public_id)


# ---------------------------------------------------------------------------------------------
# Statements
# ---------------------------------------------------------------------------------------------


def _named_children(user: Any, st: queries.Statement) -> set[int]:
    """Children whose names a statement file prints: a consent covering statements in force on
    the statement's last day, and a reader who sees the child in full on screen (the fund's
    keepers, who read it out at the meeting; a logged viewing). Everyone else's file shows the
    initials, as their screen does."""
    consented = [
        line.child for line in st.children if access.consent_covers(line.child, ConsentUse.STATEMENT, st.end)
    ]
    return privacy.read_in_full(user, consented, unit=st.fund.unit_id, what="statement file")


@login_required
@require_GET
def statement_page(request: HttpRequest, public_id: str, fmt: str = "") -> HttpResponse:
    fund = access.get_fund_for_user(request.user, public_id)
    today = scope_for(request.user).today
    start, end, form = _period(request, today)
    if fmt not in ("", "docx", "xlsx"):
        raise Http404(_("No such file."))
    st = queries.statement(fund, start, end)
    if fmt and not form.errors:
        # The file lists each member's savings: for those who oversee the unit, not a plain member.
        if not access.may_oversee_fund(request.user, fund):
            raise PermissionDenied(_("The statement file lists every member's savings; ask the treasurer."))
        named = _named_children(request.user, st)
        make = exporters.statement_docx if fmt == "docx" else exporters.statement_xlsx
        return export_response(
            request,
            make(st, named=named, printed_on=today),
            content_type=DOCX if fmt == "docx" else XLSX,
            filename=exporters.statement_filename(st, fmt),
            obj=fund,
            unit=fund.unit_id,
        )
    full = privacy.read_in_full(
        request.user, [line.child for line in st.children], unit=fund.unit_id, what="statement"
    )
    return render(
        request,
        "funds/statement.html",
        {
            "fund": fund,
            "st": st,
            "form": form,
            "full": full,
            "query": request.GET.urlencode(),
            "oversee": access.may_oversee_fund(request.user, fund),
            "own_member": _own_member_id(request.user),
        },
    )
