"""Access funnel for documents and obligations.

Documents travel downwards: a user reads the documents of their own units, dated while those
units were in reach, and of the committees above them (that is where directives and plans come
from), plus the catalogue of outside documents. Obligations likewise: those set by their units
or by a committee above them. Writing needs Capability.WRITE_PROGRAMME on the unit concerned
today: a closed district's documents are history.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lantoa.org.access import Capability, may_read_unit_record, scope_for

from .models import Document, Obligation


def get_document_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> Document:
    scope = scope_for(user)
    document = Document.objects.select_related("issuer_unit", "term").filter(public_id=public_id).first()
    if document is None:
        raise Http404(_("No such document in your area."))
    if document.issuer_unit_id is not None and not may_read_unit_record(
        scope, document.issuer_unit_id, document.issued_on
    ):
        raise Http404(_("No such document in your area."))
    if write and (
        document.issuer_unit_id is None
        or not scope.can_now(Capability.WRITE_PROGRAMME, document.issuer_unit_id)
    ):
        raise PermissionDenied(_("Your role here can only read."))
    return document


def get_obligation_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> Obligation:
    scope = scope_for(user)
    obligation = Obligation.objects.select_related("unit", "theme").filter(public_id=public_id).first()
    if obligation is None or not may_read_unit_record(scope, obligation.unit_id, obligation.deadline):
        raise Http404(_("No such obligation in your area."))
    if write and not scope.can_now(Capability.WRITE_PROGRAMME, obligation.unit_id):
        raise PermissionDenied(_("Your role here can only read."))
    return obligation
