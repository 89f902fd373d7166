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

from django.utils.translation import gettext_lazy as _

from lantoa.org.access import Capability, fetch_for_user, may_read_unit_record, scope_for

from .models import Document, Obligation


def get_document_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> Document:
    """Outside documents (no issuer in our tree) are everyone's to read and nobody's to change."""
    scope = scope_for(user)
    return fetch_for_user(
        Document.objects.select_related("issuer_unit", "term"),
        public_id=public_id,
        may_read=lambda document: (
            document.issuer_unit_id is None
            or may_read_unit_record(scope, document.issuer_unit_id, document.issued_on)
        ),
        write=write,
        may_write=lambda document: (
            document.issuer_unit_id is not None
            and scope.can_now(Capability.WRITE_PROGRAMME, document.issuer_unit_id)
        ),
        not_found=_("No such document in your area."),
    )


def get_obligation_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> Obligation:
    scope = scope_for(user)
    return fetch_for_user(
        Obligation.objects.select_related("unit", "theme"),
        public_id=public_id,
        may_read=lambda obligation: may_read_unit_record(scope, obligation.unit_id, obligation.deadline),
        write=write,
        may_write=lambda obligation: scope.can_now(Capability.WRITE_PROGRAMME, obligation.unit_id),
        not_found=_("No such obligation in your area."),
    )
