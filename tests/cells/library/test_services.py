"""Sharing and correcting material: what is accepted, what is stored, what the audit keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.cells.models import MaterialKind, StudyMaterial
from lantoa.cells.services import library as services
from lantoa.documents.services import set_yearly_theme
from tests.cells.library.conftest import share
from tests.factories import member_in

D = dt.date


def _entries(material):
    return list(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(StudyMaterial), target_id=str(material.pk)
        ).order_by("id")
    )


def test_sharing_a_file_with_a_theme_and_a_sharer_is_stored_and_audited(tree, district_staff):
    theme = set_yearly_theme(actor=None, unit=tree.district, year=2024, title="Chuyên đề năm 2024")
    lan = member_in(tree.phuoc_thanh, name="Lê Thị Lan")

    material = services.share_material(
        actor=district_staff.user,
        unit=tree.phuoc_thanh,
        kind=MaterialKind.FILE,
        title="  Tài liệu   sinh hoạt chuyên đề 2024 ",
        url="",
        uploaded=SimpleUploadedFile("chuyen-de-2024.pdf", b"%PDF-1.4"),
        themes=[theme],
        shared_by=lan.person,
        shared_on=D(2024, 3, 5),
    )

    material.refresh_from_db()
    assert (material.title, material.file.name.rsplit("/", 1)[-1], material.in_library) == (
        "Tài liệu sinh hoạt chuyên đề 2024",
        "chuyen-de-2024.pdf",
        True,
    )
    assert material.search_text == "tai lieu sinh hoat chuyen de 2024 le thi lan"
    [entry] = _entries(material)
    assert (entry.action, entry.unit_id, entry.actor_id) == (
        AuditAction.CREATE,
        tree.phuoc_thanh.pk,
        district_staff.user.pk,
    )
    assert entry.changes["themes"] == [None, "2024 Chuyên đề năm 2024"]
    assert entry.changes["shared_by"] == [None, "Lê Thị Lan"]


def test_a_story_may_live_in_its_summary_alone(tree):
    material = share(
        tree.phuoc_thanh, "Chuyện Bác với cụ già", url="", summary="Bác nhường áo ấm cho cụ già."
    )

    assert (material.url, bool(material.file)) == ("", False)


@pytest.mark.parametrize(
    ("kind", "extra", "field"),
    [
        (MaterialKind.VIDEO, {"url": ""}, "url"),
        (MaterialKind.FILE, {"url": "", "summary": "Chỉ có tóm tắt"}, "url"),
        (MaterialKind.ARTICLE, {"url": "ftp://may-chu/bai.doc"}, "url"),
        (MaterialKind.ARTICLE, {"uploaded": SimpleUploadedFile("virus.exe", b"MZ")}, "file"),
        (MaterialKind.ARTICLE, {"uploaded": SimpleUploadedFile("clip.mp4", b"\x00")}, "file"),
        (MaterialKind.VIDEO, {"url": "", "uploaded": SimpleUploadedFile("bai.pdf", b"%PDF")}, "file"),
    ],
)
def test_material_that_cannot_be_used_is_refused(tree, kind, extra, field):
    with pytest.raises(ValidationError) as caught:
        share(tree.phuoc_thanh, "Tài liệu", kind=kind, **extra)

    assert set(caught.value.message_dict) == {field}
    assert StudyMaterial.objects.count() == 0


def test_a_short_clip_may_be_uploaded_but_not_above_20_mb(tree):
    clip = SimpleUploadedFile("clip.mp4", b"\x00\x00")
    big = SimpleUploadedFile("phim.mp4", b"\x00")
    big.size = 20 * 1024 * 1024 + 1

    share(tree.phuoc_thanh, "Clip Bác Hồ đọc Tuyên ngôn", kind=MaterialKind.VIDEO, url="", uploaded=clip)
    with pytest.raises(ValidationError) as caught:
        share(tree.phuoc_thanh, "Phim tài liệu", kind=MaterialKind.VIDEO, url="", uploaded=big)

    assert set(caught.value.message_dict) == {"file"}
    assert list(StudyMaterial.objects.values_list("title", flat=True)) == ["Clip Bác Hồ đọc Tuyên ngôn"]


def test_the_sharer_must_belong_to_the_unit(tree):
    outsider = member_in(tree.tan_thanh, name="Phạm Văn Khác")

    with pytest.raises(ValidationError) as caught:
        share(tree.phuoc_thanh, "Tài liệu", shared_by=outsider.person)

    assert set(caught.value.message_dict) == {"shared_by"}


def test_correcting_rebuilds_the_search_text_and_audits_the_change(tree, cell_secretary):
    material = share(
        tree.phuoc_thanh, "Bác Hồ với thiếu nhi", url="", uploaded=SimpleUploadedFile("a.pdf", b"%PDF")
    )
    theme = set_yearly_theme(actor=None, unit=tree.district, year=2024, title="Chuyên đề năm 2024")

    services.update_material(
        actor=cell_secretary.user,
        material=material,
        kind=MaterialKind.ARTICLE,
        title="Bác Hồ với thiếu niên, nhi đồng",
        summary="",
        url="https://baotanglichsu.vn/thieu-nhi",
        remove_file=True,
        themes=[theme],
        shared_on=D(2024, 3, 5),
        in_library=False,
    )

    material.refresh_from_db()
    assert (material.search_text, bool(material.file), material.in_library) == (
        "bac ho voi thieu nien, nhi dong",
        False,
        False,
    )
    update = _entries(material)[-1]
    assert update.action == AuditAction.UPDATE
    assert sorted(update.changes) == ["file", "in_library", "themes", "title", "url"]


def test_correcting_nothing_writes_no_audit_entry(tree):
    material = share(tree.phuoc_thanh, "Bác Hồ với thiếu nhi")

    services.update_material(
        actor=None,
        material=material,
        kind=material.kind,
        title=material.title,
        url=material.url,
        shared_on=material.shared_on,
    )

    assert [entry.action for entry in _entries(material)] == [AuditAction.CREATE]
