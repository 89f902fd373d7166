"""Writing the study-material library: share a material, correct it. Each function checks the
material, writes, and records the audit entry in the same transaction.

Video is shared as a link (Lan Tỏa runs on intranets: nothing is embedded from the internet, a
link is only shown); a short clip may be uploaded as an .mp4 within the common 20 MB limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.audit.models import AuditAction
from lantoa.audit.services import Snapshot, build_entry, diff, snapshot
from lantoa.documents.models import Theme
from lantoa.lib.text import fold, normalize_name
from lantoa.lib.vi import format_date
from lantoa.org.models import Person, Unit

from ..models import MaterialKind, StudyMaterial
from ..queries.library import people_of_unit

MATERIAL_FIELDS = ("kind", "title", "summary", "url", "file", "shared_by", "shared_on", "in_library")
DOCUMENT_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png"})
VIDEO_SUFFIXES = frozenset({".mp4"})
MAX_MATERIAL_BYTES = 20 * 1024 * 1024
_SEARCH_MAX = StudyMaterial._meta.get_field("search_text").max_length or 800


def material_search_text(*, title: str, summary: str, sharer_name: str = "") -> str:
    """Folded title, sharer and summary, cut at a word to fit the column (the summary goes last:
    the tail of a long summary is what a search can miss)."""
    parts = [title, sharer_name, summary]
    text = fold(" ".join(part for part in parts if part))
    if len(text) <= _SEARCH_MAX:
        return text
    return text[: _SEARCH_MAX + 1].rsplit(" ", 1)[0]


def check_material_file(uploaded: UploadedFile, kind: str) -> None:
    suffix = PurePath(uploaded.name or "").suffix.lower()
    allowed = VIDEO_SUFFIXES if kind == MaterialKind.VIDEO else DOCUMENT_SUFFIXES
    if suffix not in allowed:
        message = (
            _("A video is shared as a link, or uploaded as an .mp4 file.")
            if kind == MaterialKind.VIDEO
            else _("Files of type %(suffix)s are not accepted; use PDF, Word or a photo (JPG, PNG).")
            % {"suffix": suffix or "?"}
        )
        raise ValidationError({"file": message})
    if (uploaded.size or 0) > MAX_MATERIAL_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB; share a link instead.")})


def _state(material: StudyMaterial) -> Snapshot:
    state = snapshot(material, MATERIAL_FIELDS)
    state["themes"] = ", ".join(sorted(str(theme) for theme in material.themes.all()))
    return state


def _check(
    *,
    unit: Unit,
    kind: str,
    title: str,
    summary: str,
    url: str,
    has_file: bool,
    shared_by: Person | None,
    shared_on: dt.date,
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the material a title.")
    if not url and not has_file and not (kind == MaterialKind.ARTICLE and summary.strip()):
        errors["url"] = (
            _("Give a link or upload a file, or write the story in the summary.")
            if kind == MaterialKind.ARTICLE
            else _("Give a link or upload a file.")
        )
    if url and not url.lower().startswith(("http://", "https://")):
        errors["url"] = _("A link starts with http:// or https://.")
    if shared_by is not None and not people_of_unit(unit, shared_on).filter(pk=shared_by.pk).exists():
        errors["shared_by"] = _("%(name)s was not a member of %(unit)s on %(date)s.") % {
            "name": shared_by.full_name,
            "unit": unit.name,
            "date": format_date(shared_on),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def share_material(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    title: str,
    shared_on: dt.date,
    summary: str = "",
    url: str = "",
    uploaded: UploadedFile | None = None,
    themes: Iterable[Theme] = (),
    shared_by: Person | None = None,
    in_library: bool = True,
) -> StudyMaterial:
    """Record material shared in ``unit``. ``in_library`` puts it in the district's library, where
    every unit of the district finds it. Side effects: the file is stored; one audit entry."""
    title, summary, url = normalize_name(title), summary.strip(), url.strip()
    _check(
        unit=unit,
        kind=kind,
        title=title,
        summary=summary,
        url=url,
        has_file=uploaded is not None,
        shared_by=shared_by,
        shared_on=shared_on,
    )
    if uploaded is not None:
        check_material_file(uploaded, kind)
    material = StudyMaterial(
        unit=unit,
        kind=kind,
        title=title,
        summary=summary,
        url=url,
        shared_by=shared_by,
        shared_on=shared_on,
        in_library=in_library,
        search_text=material_search_text(
            title=title, summary=summary, sharer_name=shared_by.full_name if shared_by else ""
        ),
    )
    if uploaded is not None:
        material.file.save(PurePath(uploaded.name or "file").name, uploaded, save=False)
    material.save()
    material.themes.set(list(themes))
    build_entry(
        actor=actor, action=AuditAction.CREATE, obj=material, unit=unit, changes=diff({}, _state(material))
    ).save()
    return material


@transaction.atomic
def update_material(
    *,
    actor: Any,
    material: StudyMaterial,
    kind: str,
    title: str,
    shared_on: dt.date,
    summary: str = "",
    url: str = "",
    uploaded: UploadedFile | None = None,
    remove_file: bool = False,
    themes: Iterable[Theme] = (),
    shared_by: Person | None = None,
    in_library: bool = True,
) -> StudyMaterial:
    """Correct a material. A new upload replaces the file; ``remove_file`` drops it. Side effects:
    the search text is rebuilt; one audit entry with what changed (nothing when nothing did)."""
    before = _state(material)
    title, summary, url = normalize_name(title), summary.strip(), url.strip()
    keeps_file = bool(material.file) and not remove_file
    _check(
        unit=material.unit,
        kind=kind,
        title=title,
        summary=summary,
        url=url,
        has_file=uploaded is not None or keeps_file,
        shared_by=shared_by,
        shared_on=shared_on,
    )
    if uploaded is not None:
        check_material_file(uploaded, kind)
    elif keeps_file and kind != material.kind:
        # The stored file must still suit the kind (an .mp4 is not a "document").
        check_material_file(material.file, kind)
    material.kind, material.title, material.summary, material.url = kind, title, summary, url
    material.shared_by, material.shared_on, material.in_library = shared_by, shared_on, in_library
    material.search_text = material_search_text(
        title=title, summary=summary, sharer_name=shared_by.full_name if shared_by else ""
    )
    if uploaded is not None:
        material.file.save(PurePath(uploaded.name or "file").name, uploaded, save=False)
    elif remove_file:
        material.file = ""
    material.save(update_fields=[*MATERIAL_FIELDS, "search_text"])
    material.themes.set(list(themes))
    changes = diff(before, _state(material))
    if changes:
        build_entry(
            actor=actor, action=AuditAction.UPDATE, obj=material, unit=material.unit, changes=changes
        ).save()
    return material
