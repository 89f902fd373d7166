"""Pages of decisions and certificates: the list, a new decision (within the unit's authority),
a decision with its subjects, amounts and certificates, the QĐ in Word, each certificate and all
of them at once (Word, PDF; every print logged), revoking one subject; and the public page that
says whether a certificate is genuine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lantoa.audit.services import record_create
from lantoa.cells.exporters.minutes import DOCX_CONTENT_TYPE
from lantoa.documents.services import attach_file
from lantoa.lib.forms import apply_validation_error, flash_errors
from lantoa.org.access import Capability, scope_for
from lantoa.org.models import NON_PARTY_KINDS, Unit, UnitKind
from lantoa.web.downloads import export_response, pdf_export_response

from . import decisions
from .access import decisions_visible_filter, get_decision_for_user
from .certificate_docs import (
    FIELDS,
    TemplateProblem,
    check_template,
    render_certificate,
    render_certificates,
    template_for,
)
from .exporters import DecisionExporter
from .forms import DecisionFileForm, DecisionForm, RevokeForm
from .models import Certificate, CertificatePrint, CertificateTemplate, Decision, Recognition, RecognitionKind
from .views import acting_units, unit_to_act_for

PAGE_SIZE = 30
FORMATS = ("docx", "pdf")


def _deciding_units(request: HttpRequest) -> list[Unit]:
    """Units the user decides for today: Party units, and agencies (a head of agency grants
    State titles)."""
    return acting_units(request, excluded=NON_PARTY_KINDS - {UnitKind.AGENCY})


@login_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    # Each figure from a subquery of its own: summed over a join with the certificates, every
    # amount would be counted once per certificate.
    recognitions = Recognition.objects.filter(decision=OuterRef("pk")).values("decision")
    certificates = Certificate.objects.filter(decision=OuterRef("pk")).values("decision")
    rows = (
        Decision.objects.filter(decisions_visible_filter(scope))
        .select_related("unit", "form", "title", "document")
        .annotate(
            subjects=Subquery(recognitions.annotate(n=Count("id")).values("n")),
            total=Subquery(recognitions.annotate(s=Sum("amount")).values("s")),
            printed=Subquery(certificates.annotate(n=Count("id")).values("n")),
        )
        .order_by("-decided_on", "-id")
    )
    return render(
        request,
        "honours/decision_list.html",
        {
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_decide": bool(_deciding_units(request)),
        },
    )


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    units = _deciding_units(request)
    unit = unit_to_act_for(
        request,
        units,
        refused=_("Your role does not issue decisions."),
        refused_here=_("Your role does not issue decisions for this unit."),
    )
    if unit is None:
        return render(request, "honours/choose_unit.html", {"units": units, "deciding": True})
    today = timezone.localdate()
    form = DecisionForm(request.POST or None, decidable=decisions.decidable(unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = decisions.issue_decision(
                actor=request.user,
                unit=unit,
                kind=data["kind"],
                form=data["form"],
                title=data["title"],
                periodic=data["periodic"],
                year=data["year"],
                reason=data["reason"],
                decided_on=data["decided_on"],
                nominations=data["nominations"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Decision recorded as %(number)s.") % {"number": decision.document.number_line}
            )
            return redirect("honours:decision", public_id=decision.public_id)
    return render(
        request,
        "honours/decision_form.html",
        {"form": form, "unit": unit, "allowed": decisions.allowed_on(unit, today)},
    )


@login_required
@require_GET
def decision_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    decision = get_decision_for_user(request.user, public_id)
    can_write = scope_for(request.user).can_now(Capability.WRITE_PROGRAMME, decision.unit_id)
    recognitions = list(decision.recognitions.select_related("nomination__unit", "certificate"))
    return render(
        request,
        "honours/decision_detail.html",
        {
            "decision": decision,
            "recognitions": recognitions,
            # What is paid: a revoked recognition's amount is not.
            "total": sum(r.amount or 0 for r in recognitions if r.revoked_on is None),
            "can_write": can_write,
            "has_certificates": decision.kind != RecognitionKind.INTRODUCE,
            "pending": sum(1 for r in recognitions if r.revoked_on is None and not hasattr(r, "certificate")),
            "printed": sum(1 for r in recognitions if hasattr(r, "certificate")),
            "revoke_form": RevokeForm() if can_write else None,
            "prints": print_counts(decision) if can_write else {},
            "attachments": decision.document.attachments.order_by("uploaded_at", "pk"),
            "file_form": DecisionFileForm() if can_write else None,
        },
    )


@login_required
@require_POST
def decision_attach(request: HttpRequest, public_id: str) -> HttpResponse:
    """Attach a file to the decision's document in the register (the signed scan, the minutes)."""
    decision = get_decision_for_user(request.user, public_id, write=True)
    form = DecisionFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attach_file(
                actor=request.user,
                document=decision.document,
                uploaded=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The file is attached to the decision."))
    else:
        flash_errors(request, form)
    return redirect("honours:decision", public_id=decision.public_id)


@login_required
@require_GET
def decision_docx(request: HttpRequest, public_id: str) -> HttpResponse:
    decision = get_decision_for_user(request.user, public_id)
    exporter = DecisionExporter(decision)
    return export_response(
        request,
        exporter.render(),
        content_type=exporter.content_type,
        filename=exporter.filename,
        obj=decision.document,
        unit=decision.unit_id,
    )


@login_required
@require_POST
def certificates_issue(request: HttpRequest, public_id: str) -> HttpResponse:
    decision = get_decision_for_user(request.user, public_id, write=True)
    try:
        issued = decisions.issue_certificates(actor=request.user, decision=decision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)s certificate issued.", "%(count)s certificates issued.", len(issued))
            % {"count": len(issued)},
        )
    return redirect("honours:decision", public_id=decision.public_id)


@login_required
@require_POST
def recognition_revoke(request: HttpRequest, public_id: str, recognition_id: int) -> HttpResponse:
    decision = get_decision_for_user(request.user, public_id, write=True)
    recognition = decision.recognitions.filter(pk=recognition_id).select_related("nomination").first()
    if recognition is None:
        raise Http404(_("No such subject in this decision."))
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            decisions.revoke_recognition(
                actor=request.user,
                recognition=recognition,
                day=form.cleaned_data["revoked_on"],
                reason=form.cleaned_data["revoked_reason"],
            )
        except ValidationError as exc:
            messages.error(request, f"{recognition.subject_label}: {' '.join(exc.messages)}")
        else:
            messages.success(
                request, _("Recognition of %(name)s revoked.") % {"name": recognition.subject_label}
            )
    else:
        problems = [
            f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        ]
        messages.error(request, f"{recognition.subject_label}: {' '.join(problems)}")
    return redirect("honours:decision", public_id=decision.public_id)


def verify_url(request: HttpRequest, certificate: Certificate) -> str:
    return request.build_absolute_uri(reverse("honours:verify_code", kwargs={"code": certificate.code}))


def _print(
    request: HttpRequest,
    certificates: list[Certificate],
    make_docx: Callable[[], bytes],
    file_format: str,
    filename: str,
    docx_url: str,
    *,
    obj: Any,
    bulk: bool,
) -> HttpResponse:
    """The certificates as Word or PDF; each print logged once the file was made (a PDF that
    LibreOffice could not make printed nothing)."""
    unit = certificates[0].decision.unit_id
    if file_format == "pdf":
        response = pdf_export_response(
            request, make_docx, filename=f"{filename}.pdf", docx_url=docx_url, obj=obj, unit=unit
        )
    else:
        response = export_response(
            request,
            make_docx(),
            content_type=DOCX_CONTENT_TYPE,
            filename=f"{filename}.docx",
            obj=obj,
            unit=unit,
        )
    if response.status_code == 200:
        CertificatePrint.objects.bulk_create(
            CertificatePrint(
                certificate=c,
                printed_by=request.user if request.user.is_authenticated else None,
                file_format=file_format,
                bulk=bulk,
            )
            for c in certificates
        )
    return response


def _file_format(value: str) -> str:
    if value not in FORMATS:
        raise Http404(_("No such format."))
    return value


@login_required
@require_GET
def certificate_download(request: HttpRequest, public_id: str, serial: int, file_format: str) -> HttpResponse:
    """One certificate to print (its office only): the first print and every reprint logged."""
    decision = get_decision_for_user(request.user, public_id, write=True)
    file_format = _file_format(file_format)
    certificate = (
        decision.certificates.filter(serial=serial)
        .select_related("decision__document", "recognition")
        .first()
    )
    if certificate is None:
        raise Http404(_("No such certificate in this decision."))
    if certificate.recognition.revoked_on is not None:
        messages.error(
            request,
            _("The certificate of %(name)s was revoked: it is not printed again.")
            % {"name": certificate.holder_name},
        )
        return redirect("honours:decision", public_id=decision.public_id)
    filename = f"giay-chung-nhan-{decision.document.symbol.replace('/', '-')}-{serial:03}"

    def make_docx() -> bytes:
        return render_certificate(
            template_for(decision.unit, timezone.localdate()), certificate, verify_url(request, certificate)
        )

    docx_url = reverse("honours:certificate", args=[decision.public_id, serial, "docx"])
    return _print(
        request, [certificate], make_docx, file_format, filename, docx_url, obj=certificate, bulk=False
    )


@login_required
@require_GET
def certificates_download(request: HttpRequest, public_id: str, file_format: str) -> HttpResponse:
    """Every standing certificate of the decision, one per page, in one file to print."""
    decision = get_decision_for_user(request.user, public_id, write=True)
    file_format = _file_format(file_format)
    certificates = list(
        decision.certificates.filter(recognition__revoked_on__isnull=True).select_related(
            "decision__document"
        )
    )
    if not certificates:
        messages.error(request, _("No certificates to print: issue them first."))
        return redirect("honours:decision", public_id=decision.public_id)
    filename = f"giay-chung-nhan-{decision.document.symbol.replace('/', '-')}"

    def make_docx() -> bytes:
        return render_certificates(
            template_for(decision.unit, timezone.localdate()),
            [(c, verify_url(request, c)) for c in certificates],
        )

    docx_url = reverse("honours:certificates", args=[decision.public_id, "docx"])
    return _print(
        request, certificates, make_docx, file_format, filename, docx_url, obj=decision.document, bulk=True
    )


def _certificate_by_code(code: str) -> Certificate | None:
    # Dashes and spaces people type are dropped; anything else must be exactly a code.
    code = "".join(ch for ch in code.upper() if ch not in " -")
    if len(code) != decisions.CODE_LENGTH or any(ch not in decisions.CODE_ALPHABET for ch in code):
        return None
    return (
        Certificate.objects.filter(code=code)
        .select_related("recognition", "decision__document")
        .only(
            "code",
            "serial",
            "holder_name",
            "award",
            "granting_body",
            "decision_number",
            "decision_date",
            "recognition__revoked_on",
            "decision__document__type_code",
            "decision__document__issuer_code",
            "decision__document__number",
            "decision__document__system",
        )
        .first()
    )


@require_GET
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Anyone on the intranet, signed in or not, checks a certificate by its code or QR: genuine or
    not, valid or revoked, and the words printed on it; nothing else about the person."""
    code = code or request.GET.get("code", "")[:40]
    certificate = _certificate_by_code(code) if code else None
    return render(
        request,
        "honours/verify.html",
        {"code": code, "certificate": certificate, "looked_up": bool(code)},
        status=404 if code and certificate is None else 200,
    )


def print_counts(decision: Decision) -> dict[int, int]:
    """How many times each certificate was printed (the first and the reprints)."""
    return dict(
        CertificatePrint.objects.filter(certificate__decision=decision)
        .values_list("certificate_id")
        .annotate(n=Count("id"))
        .values_list("certificate_id", "n")
    )


MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def _certificate_unit(request: HttpRequest, units: list[Unit]) -> Unit | None:
    """The unit whose certificate template is shown (``?unit=``, or the user's only one)."""
    return unit_to_act_for(
        request,
        units,
        refused=_("Your role does not print certificates."),
        refused_here=_("Your role does not print certificates for this unit."),
    )


@login_required
def certificate_template(request: HttpRequest) -> HttpResponse:
    """The Word template a unit's certificates are printed from: download it, restyle it in Word
    keeping the {{ fields }}, upload it back. An upload is filled with a sample certificate first:
    a template that would fail, or print no name or code, is refused saying why."""
    units = _deciding_units(request)
    unit = _certificate_unit(request, units)
    if unit is None:
        return render(request, "honours/choose_unit.html", {"units": units, "template": True})
    problem = ""
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            problem = _("Choose the Word file to upload.")
        elif not (uploaded.name or "").lower().endswith(".docx"):
            problem = _("The template must be a Word (.docx) file.")
        elif (uploaded.size or 0) > MAX_TEMPLATE_BYTES:
            problem = _("The file is larger than 5 MB.")
        else:
            content = uploaded.read()
            try:
                check_template(content)
            except TemplateProblem as error:
                problem = str(error)
            else:
                template = CertificateTemplate.objects.create(
                    unit=unit,
                    content=content,
                    original_name=(uploaded.name or "mau.docx")[:255],
                    uploaded_by=request.user if request.user.is_authenticated else None,
                )
                record_create(actor=request.user, obj=template, fields=("unit", "original_name"), unit=unit)
                messages.success(
                    request, _("The new template is used for the certificates printed from now on.")
                )
                return redirect(f"{reverse('honours:certificate_template')}?unit={unit.key}")
    current = CertificateTemplate.objects.filter(unit=unit).order_by("-uploaded_at", "-id").first()
    return render(
        request,
        "honours/certificate_template.html",
        {"unit": unit, "current": current, "fields": FIELDS, "problem": problem},
        status=400 if problem else 200,
    )


@login_required
@require_GET
def certificate_template_download(request: HttpRequest) -> HttpResponse:
    """The template in use for the unit (its own, one from above, or Lan Tỏa's), to restyle."""
    units = _deciding_units(request)
    unit = _certificate_unit(request, units)
    if unit is None:
        return redirect("honours:certificate_template")
    return export_response(
        request,
        template_for(unit, timezone.localdate()),
        content_type=DOCX_CONTENT_TYPE,
        filename=f"mau-giay-chung-nhan-{unit.key}.docx",
        unit=unit.pk,
    )
