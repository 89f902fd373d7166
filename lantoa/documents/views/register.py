"""The document register: list, issue, read, download; terms of committees."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lantoa.audit.queries import history_for
from lantoa.lib.forms import apply_validation_error
from lantoa.lib.text import whole_number
from lantoa.org.access import Capability, get_unit_for_user, scope_for
from lantoa.org.models import Unit
from lantoa.web.downloads import export_response, pdf_export_response

from .. import exporters, services
from ..access import get_document_for_user
from ..forms import DocumentForm, TermForm
from ..models import Document, DocumentSystem
from ..queries import documents_in_scope, search_key
from ..types import TYPE_CHOICES

# Documents a plan or obligation can point to: directives, resolutions, conclusions, guidance.
DIRECTIVE_TYPES = ("NQ", "CT", "KL", "QĐ", "QĐi", "HD", "KH", "CTr", "TT")


def writable_units(request: HttpRequest) -> QuerySet[Unit]:
    scope = scope_for(request.user)
    # By the folded name, so "Đảng ủy xã …" sorts with D and "Chi bộ ấp …" with "a", not after Z.
    return Unit.objects.filter(pk__in=scope.unit_ids_now(Capability.WRITE_PROGRAMME)).order_by(
        "search_text", "name"
    )


def directive_choices(request: HttpRequest) -> QuerySet[Document]:
    scope = scope_for(request.user)
    return documents_in_scope(scope).filter(type_code__in=DIRECTIVE_TYPES).order_by("-issued_on")


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    documents = documents_in_scope(scope).select_related("issuer_unit")
    query = request.GET.get("q", "").strip()
    type_code = request.GET.get("type", "")
    year = request.GET.get("year", "")
    if query:
        # People type the number as printed ("Số 01-KH/HU", "Số: 15/QĐ-UBND"): the word "Số" is
        # not part of the symbol.
        folded = re.sub(r"^so:?\s+", "", search_key(query))
        # Every word, in any order: "01-KH/DU chuyen de" finds "01-KH/ĐU … chuyên đề …".
        for word in folded.split():
            documents = documents.filter(search_text__contains=word)
    if type_code:
        documents = documents.filter(type_code=type_code)
    if (year_number := whole_number(year, high=9999)) is not None:
        documents = documents.filter(year=year_number)
    page = Paginator(documents.order_by("-issued_on", "-number", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "query": query,
            "type_code": type_code,
            "year": year,
            "types": TYPE_CHOICES,
            "can_issue": scope.can_anywhere_now(Capability.WRITE_PROGRAMME),
        },
    )


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    units = writable_units(request)
    if not units.exists():
        raise PermissionDenied(_("Your role can only read documents."))
    form = DocumentForm(
        request.POST or None, request.FILES or None, units=units, directives=directive_choices(request)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploaded = data.pop("file")
        try:
            with transaction.atomic():
                document = services.issue_document(actor=request.user, **data)
                if uploaded:
                    services.attach_file(actor=request.user, document=document, uploaded=uploaded)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(line)s registered.") % {"line": document.number_line})
            return redirect("documents:detail", public_id=document.public_id)
    return render(request, "documents/form.html", {"form": form, "title": _("Register a document")})


@login_required
def document_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    document = get_document_for_user(request.user, public_id)
    # Linked documents only as far as the user may read them: a provincial directive is
    # implemented by every district's plan, and another district's plans are not theirs to see.
    readable = documents_in_scope(scope_for(request.user))
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "printable": printable(document),
            "attachments": document.attachments.all(),
            "implements": readable.filter(implemented_by=document),
            "implemented_by": readable.filter(implements=document).select_related("issuer_unit"),
            "filings": document.filings.select_related("obligation", "unit"),
            "audit": history_for(document, show_sensitive=False),
        },
    )


@login_required
def attachment_download(request: HttpRequest, public_id: str, attachment_id: int) -> FileResponse:
    document = get_document_for_user(request.user, public_id)
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
def unit_terms(request: HttpRequest, key: str) -> HttpResponse:
    """A committee's terms: Party document numbers restart in each."""
    unit = get_unit_for_user(request.user, key)
    scope = scope_for(request.user)
    can_write = scope.can_now(Capability.WRITE_PROGRAMME, unit)
    form = TermForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Your role here can only read."))
        if form.is_valid():
            try:
                services.create_term(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Term added."))
                return redirect("documents:terms", key=unit.key)
    return render(
        request,
        "documents/terms.html",
        {"unit": unit, "terms": unit.terms.order_by("-starts_on"), "form": form, "can_write": can_write},
    )


def printable(document: Document) -> bool:
    """Only Party documents of our units are laid out here (36-HD/VPTW): a State document (a UBND
    decision) has another heading and must not come out under "ĐẢNG CỘNG SẢN VIỆT NAM"."""
    return document.issuer_unit_id is not None and document.system == DocumentSystem.PARTY


@login_required
def document_docx(request: HttpRequest, public_id: str) -> HttpResponse:
    document = get_document_for_user(request.user, public_id)
    if not printable(document):
        raise Http404(_("Only documents of units in Lan Tỏa are printed here."))
    return export_response(
        request,
        exporters.document_docx(document),
        content_type=exporters.DOCX_CONTENT_TYPE,
        filename=exporters.document_filename(document, "docx"),
        obj=document,
        unit=document.issuer_unit,
    )


@login_required
def document_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """PDF through LibreOffice; where it is not installed the page says so instead of failing."""
    document = get_document_for_user(request.user, public_id)
    if not printable(document):
        raise Http404(_("Only documents of units in Lan Tỏa are printed here."))
    return pdf_export_response(
        request,
        lambda: exporters.document_docx(document),
        filename=exporters.document_filename(document, "pdf"),
        docx_url=reverse("documents:docx", kwargs={"public_id": document.public_id}),
        obj=document,
        unit=document.issuer_unit,
    )
