"""Every library view against the personas (anonymous → login, another district → 404 without
the data, the read-only council member → 403 on writes, in scope → the page), and what the
pages do."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantoa.cells.models import StudyMaterial
from tests.cells.library.conftest import share
from tests.conftest import BEFORE_THE_REFORM, heading, page_text, tr
from tests.factories import member_in

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date


@pytest.fixture
def story(tree) -> StudyMaterial:
    """Chi bộ ấp Phước Thạnh's story, with a file, in the district's library."""
    return share(
        tree.phuoc_thanh,
        "Bác Hồ với đức tính tiết kiệm",
        summary="Chuyện chiếc đồng hồ báo thức của Bác.",
        kind="video",
        url="https://www.youtube.com/watch?v=bac-ho",
        uploaded=SimpleUploadedFile("clip-bac-ho.mp4", b"\x00\x00"),
    )


LIBRARY_ROUTES: dict[str, Callable[[StudyMaterial], str]] = {
    "library": lambda m: reverse("cells:library"),
    "material_create": lambda m: reverse("cells:material_create") + "?unit=phuoc-thanh",
    "material": lambda m: reverse("cells:material", args=[m.public_id]),
    "material_edit": lambda m: reverse("cells:material_edit", args=[m.public_id]),
    "material_file": lambda m: reverse("cells:material_file", args=[m.public_id]),
}
SECRETS = ["Bác Hồ với đức tính tiết kiệm", "đồng hồ báo thức", "clip-bac-ho"]


@pytest.mark.parametrize("name", sorted(LIBRARY_ROUTES))
def test_anonymous_is_sent_to_login(anonymous, story, name):
    url = LIBRARY_ROUTES[name](story)

    response = anonymous.get(url)

    assert response.status_code == 302
    target = urlsplit(response.url)
    assert (target.path, parse_qs(target.query)) == (reverse("accounts:login"), {"next": [url]})


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("material", "get"),
        ("material_file", "get"),
        ("material_edit", "get"),
        ("material_edit", "post"),
        ("material_create", "get"),
        ("material_create", "post"),
    ],
)
def test_another_district_gets_404_without_the_data(outsider, story, name, method):
    data = {"kind": "article", "title": "x", "unit": "phuoc-thanh", "shared_on": "05/03/2024"}

    response = getattr(outsider.client, method)(
        LIBRARY_ROUTES[name](story), data if method == "post" else None
    )

    assert response.status_code == 404
    assert [s for s in SECRETS if s in response.content.decode()] == []
    assert list(StudyMaterial.objects.values_list("title", flat=True)) == ["Bác Hồ với đức tính tiết kiệm"]


def test_another_districts_library_page_holds_nothing_of_chau_thanh(outsider, story):
    response = outsider.client.get(LIBRARY_ROUTES["library"](story), {"q": "bac ho"})

    assert response.status_code == 200
    assert [s for s in SECRETS if s in response.content.decode()] == []


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("material_create", "get"),
        ("material_create", "post"),
        ("material_edit", "get"),
        ("material_edit", "post"),
    ],
)
def test_read_only_role_is_refused_every_write(council_member, story, name, method):
    data = {"kind": "article", "title": "Đổi tên", "shared_on": "05/03/2024", "url": "https://a.vn"}

    response = getattr(council_member.client, method)(
        LIBRARY_ROUTES[name](story), data if method == "post" else None
    )

    assert response.status_code == 403
    assert list(StudyMaterial.objects.values_list("title", flat=True)) == ["Bác Hồ với đức tính tiết kiệm"]


# Each page's heading and what it shows of the story: a 200 alone could be any page.
PAGES = {
    "library": ("Study material", "Bác Hồ với đức tính tiết kiệm"),
    "material_create": ("Share study material", "Chi bộ ấp Phước Thạnh"),
    "material": ("Bác Hồ với đức tính tiết kiệm", "Chuyện chiếc đồng hồ báo thức của Bác."),
    "material_edit": ("Correct study material", "Chuyện chiếc đồng hồ báo thức của Bác."),
}


def assert_shows(response, name: str) -> None:
    assert response.status_code == 200
    if name == "material_file":
        assert response["Content-Disposition"].startswith('attachment; filename="clip-bac-ho')
        assert b"".join(response.streaming_content) == b"\x00\x00"
        return
    title, shown = PAGES[name]
    assert heading(response) == tr(title)
    assert shown in page_text(response)


@pytest.mark.parametrize("name", ["library", "material", "material_file"])
def test_read_only_role_reads(council_member, story, name):
    assert_shows(council_member.client.get(LIBRARY_ROUTES[name](story)), name)


@pytest.mark.parametrize("name", sorted(LIBRARY_ROUTES))
def test_in_scope_pages_answer(cell_secretary, story, name):
    assert_shows(cell_secretary.client.get(LIBRARY_ROUTES[name](story)), name)


def test_library_page_searches_and_filters_with_htmx(cell_secretary, story, tree):
    share(tree.tan_thanh, "Bác Hồ với thanh niên", kind="article")
    url = reverse("cells:library")

    full = cell_secretary.client.get(url, {"q": "bac ho tiet kiem"})
    partial = cell_secretary.client.get(
        url, {"q": "Bác Hồ", "kind": "article"}, headers={"HX-Request": "true"}
    )

    assert [m.title for m in full.context["page"]] == ["Bác Hồ với đức tính tiết kiệm"]
    assert "<html" in full.content.decode()
    html = partial.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="lt-library-results">')
    assert [m.title for m in partial.context["page"]] == ["Bác Hồ với thanh niên"]


def test_a_video_link_is_shown_as_a_link_never_embedded(cell_secretary, story):
    response = cell_secretary.client.get(LIBRARY_ROUTES["material"](story))

    html = response.content.decode()
    assert '<a href="https://www.youtube.com/watch?v=bac-ho" rel="noopener noreferrer nofollow"' in html
    assert [tag for tag in ("<iframe", "<video", "<embed", "<object") if tag in html] == []
    assert "Chuyện chiếc đồng hồ báo thức của Bác." in page_text(response)


def test_the_file_is_always_a_download(cell_secretary, story):
    response = cell_secretary.client.get(LIBRARY_ROUTES["material_file"](story))

    # The stored name may carry a suffix the storage added to keep names unique.
    assert re.fullmatch(r'attachment; filename="clip-bac-ho(_\w+)?\.mp4"', response["Content-Disposition"])
    assert b"".join(response.streaming_content) == b"\x00\x00"


def test_a_secretary_shares_material_for_the_cell(cell_secretary, tree):
    lan = member_in(tree.phuoc_thanh, name="Lê Thị Lan")

    response = cell_secretary.client.post(
        reverse("cells:material_create"),
        {
            "unit": "phuoc-thanh",
            "kind": "article",
            "title": "Bác Hồ với người nông dân",
            "url": "https://baotanglichsu.vn/nong-dan",
            "summary": "Bác xắn quần lội ruộng tát nước cùng bà con.",
            "shared_by": str(lan.person.public_id),
            "shared_on": "05/03/2024",
            "in_library": "on",
            "file": SimpleUploadedFile("bai.docx", b"PK"),
        },
    )

    material = StudyMaterial.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cells:material", args=[material.public_id])
    assert (material.unit, material.shared_by, material.shared_on, material.in_library) == (
        tree.phuoc_thanh,
        lan.person,
        D(2024, 3, 5),
        True,
    )


def test_a_unit_outside_the_users_area_cannot_be_chosen(cell_secretary, tree):
    response = cell_secretary.client.post(
        reverse("cells:material_create"),
        {
            "unit": "tan-thanh",
            "kind": "article",
            "title": "x",
            "url": "https://a.vn",
            "shared_on": "05/03/2024",
        },
    )

    # Tân Thạnh's material is in the secretary's library, but the unit itself is not theirs.
    assert response.status_code == 404
    assert StudyMaterial.objects.count() == 0


def test_district_staff_choose_the_unit_first(district_staff):
    response = district_staff.client.get(reverse("cells:material_create"))

    assert response.templates[0].name == "cells/library/choose_unit.html"
    assert [u.key for u in response.context["units"]][:3] == ["phuoc-thanh", "tan-thanh", "hoi-lhpn"]


def test_the_form_reports_what_the_service_refuses(cell_secretary):
    response = cell_secretary.client.post(
        reverse("cells:material_create"),
        {"unit": "phuoc-thanh", "kind": "video", "title": "Phim", "shared_on": "05/03/2024"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["url"]


def test_correcting_through_the_page(cell_secretary, story):
    response = cell_secretary.client.post(
        LIBRARY_ROUTES["material_edit"](story),
        {"kind": "video", "title": "Bác Hồ và chiếc đồng hồ", "url": story.url, "shared_on": "06/03/2024"},
    )

    story.refresh_from_db()
    assert response.status_code == 302
    assert (story.title, story.shared_on, story.in_library) == (
        "Bác Hồ và chiếc đồng hồ",
        D(2024, 3, 6),
        False,
    )
    assert story.file.name.endswith(".mp4")


def test_material_page_lists_where_it_was_presented(cell_secretary, story, tree):
    from lantoa.cells.models import AgendaItem, AgendaKind, Meeting, MeetingStatus

    lan = member_in(tree.phuoc_thanh, name="Lê Thị Lan")
    meeting = Meeting.objects.create(
        unit=tree.phuoc_thanh, period=D(2024, 3, 1), date=D(2024, 3, 5), status=MeetingStatus.HELD
    )
    item = AgendaItem.objects.create(
        meeting=meeting, order=1, kind=AgendaKind.STUDY, title="Học tập", presenter=lan.person
    )
    item.materials.add(story)
    hidden = Meeting.objects.create(
        unit=tree.other_cell, period=D(2024, 3, 1), date=D(2024, 3, 6), status=MeetingStatus.HELD
    )
    AgendaItem.objects.create(meeting=hidden, order=1, kind=AgendaKind.STUDY, title="Học tập").materials.add(
        story
    )

    response = cell_secretary.client.get(LIBRARY_ROUTES["material"](story))

    assert [(i.meeting.unit.name, i.presenter.full_name) for i in response.context["uses"]] == [
        ("Chi bộ ấp Phước Thạnh", "Lê Thị Lan")
    ]
