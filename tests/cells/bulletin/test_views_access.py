"""Every bulletin view against the personas: anonymous → login; another district → 404 without
the data; the read-only council member → 403 on anything that writes; in scope → the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantoa.cells import urls_library
from lantoa.cells.models import Article, ArticleStatus, BulletinIssue
from lantoa.cells.services import bulletin as services
from tests.cells.bulletin.conftest import assign
from tests.conftest import BEFORE_THE_REFORM, heading, page_text, tr

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)


@dataclass
class World:
    issue: BulletinIssue
    article: Article


@pytest.fixture
def world(cell_secretary, author, cell, issue) -> World:
    article = assign(cell_secretary, issue, cell.an, topic="Bác Hồ với đức tính tiết kiệm")
    services.move_article(
        actor=author.user,
        article=article,
        to=ArticleStatus.SUBMITTED,
        title="Tấm gương tiết kiệm của Bác",
        text="Bác dạy: tiết kiệm không phải là bủn xỉn.",
        uploaded=SimpleUploadedFile("bai-viet-an.docx", b"PK"),
    )
    return World(issue, article)


ROUTES: dict[str, Callable[[World], str]] = {
    "bulletin": lambda w: reverse("cells:bulletin"),
    "my_articles": lambda w: reverse("cells:my_articles"),
    "bulletin_issue": lambda w: reverse("cells:bulletin_issue", args=[w.issue.public_id]),
    "bulletin_order": lambda w: reverse("cells:bulletin_order", args=[w.issue.public_id]),
    "bulletin_publish": lambda w: reverse("cells:bulletin_publish", args=[w.issue.public_id]),
    "bulletin_docx": lambda w: reverse("cells:bulletin_docx", args=[w.issue.public_id]),
    "article": lambda w: reverse("cells:article", args=[w.article.public_id]),
    "article_file": lambda w: reverse("cells:article_file", args=[w.article.public_id]),
    "bulletin_cell": lambda w: reverse("cells:bulletin_cell", args=["phuoc-thanh"]),
}
BULLETIN_NAMES = set(ROUTES)
# What Châu Thành's bulletin could give away on another district's pages.
SECRETS = ["Tấm gương tiết kiệm của Bác", "Nguyễn Văn An", "bủn xỉn", "Phước Thạnh", "Châu Thành"]


def test_every_bulletin_url_is_in_the_matrix():
    names = {pattern.name for pattern in urls_library.urlpatterns}
    library = {"library", "material_create", "material", "material_edit", "material_file"}

    assert names - library == BULLETIN_NAMES


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_anonymous_is_sent_to_login(anonymous, world, name):
    url = ROUTES[name](world)

    response = anonymous.get(url)

    assert response.status_code == 302
    target = urlsplit(response.url)
    assert (target.path, parse_qs(target.query)) == (reverse("accounts:login"), {"next": [url]})


OUT_OF_SCOPE = [
    ("bulletin_issue", "get"),
    ("bulletin_order", "post"),
    ("bulletin_publish", "post"),
    ("bulletin_docx", "get"),
    ("article", "get"),
    ("article", "post"),
    ("article_file", "get"),
    ("bulletin_cell", "get"),
    ("bulletin_cell", "post"),
]


@pytest.mark.parametrize(("name", "method"), OUT_OF_SCOPE)
def test_another_district_gets_404_without_the_data(outsider, world, name, method):
    data = {"action": "accept", "title": "x", "text": "x", "topic": "x"} if method == "post" else None

    response = getattr(outsider.client, method)(ROUTES[name](world), data)

    assert response.status_code == 404
    assert [s for s in SECRETS if s in response.content.decode()] == []
    assert Article.objects.get().status == ArticleStatus.SUBMITTED


@pytest.mark.parametrize("name", ["bulletin", "my_articles"])
def test_another_districts_lists_hold_nothing_of_chau_thanh(outsider, world, name):
    response = outsider.client.get(ROUTES[name](world))

    assert response.status_code == 200
    assert [s for s in SECRETS if s in response.content.decode()] == []


def test_another_district_cannot_open_an_issue_for_chau_thanh(outsider, world):
    response = outsider.client.post(
        ROUTES["bulletin"](world), {"unit": "chau-thanh", "period": "04/2024", "deadline": "20/04/2024"}
    )

    assert response.status_code == 403
    assert BulletinIssue.objects.count() == 1


WRITES = [
    ("bulletin", {"unit": "chau-thanh", "period": "04/2024", "deadline": "20/04/2024"}),
    ("bulletin_order", {}),
    ("bulletin_publish", {}),
    ("article", {"action": "accept", "title": "x", "text": "x"}),
    ("article", {"action": "return", "comment": "x"}),
    ("article", {"action": "cancel"}),
    ("article", {"action": "submit", "title": "x", "text": "x"}),
    ("bulletin_cell", {"topic": "x", "member": "1"}),
]


@pytest.mark.parametrize(("name", "data"), WRITES)
def test_read_only_role_is_refused_every_write(council_member, world, name, data):
    response = council_member.client.post(ROUTES[name](world), data)

    assert response.status_code == 403
    assert (BulletinIssue.objects.count(), Article.objects.count()) == (1, 1)
    assert Article.objects.get().status == ArticleStatus.SUBMITTED


def test_read_only_role_cannot_print_an_issue_before_it_is_published(council_member, world):
    assert council_member.client.get(ROUTES["bulletin_docx"](world)).status_code == 403


# What each page or download holds: a 200 alone could be any page.
PAGES = {
    "bulletin": ("Internal bulletin", "Số 1 – tháng 3/2024"),
    "my_articles": ("My articles", "You have no articles to write."),
    "bulletin_issue": ("Bản tin sinh hoạt nội bộ", "Tấm gương tiết kiệm của Bác"),
    "article": ("Tấm gương tiết kiệm của Bác", "Bác dạy: tiết kiệm không phải là bủn xỉn."),
    "bulletin_cell": ("Bulletin articles · Chi bộ ấp Phước Thạnh", "Trần Thị Bình"),
}
DOWNLOADS = {
    "article_file": ("bai-viet-an", ".docx"),
    "bulletin_docx": ("ban-tin-so-1-03-2024", ".docx"),
}


def assert_shows(response, name: str) -> None:
    assert response.status_code == 200
    if name in DOWNLOADS:
        stem, extension = DOWNLOADS[name]
        filename = response["Content-Disposition"].split('filename="')[1].rstrip('"')
        assert (filename.startswith(stem), filename.endswith(extension)) == (True, True), filename
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.startswith(b"PK")  # a Word file, not an error page
        return
    title, row = PAGES[name]
    first, _, rest = title.partition(" · ")
    assert heading(response) == (f"{tr(first)} · {rest}" if rest else tr(first))
    assert tr(row) in page_text(response)


@pytest.mark.parametrize(
    "name", ["bulletin", "my_articles", "bulletin_issue", "article", "article_file", "bulletin_cell"]
)
def test_read_only_role_reads(council_member, world, name):
    assert_shows(council_member.client.get(ROUTES[name](world)), name)


@pytest.mark.parametrize(
    "name",
    [
        "bulletin",
        "my_articles",
        "bulletin_issue",
        "bulletin_docx",
        "article",
        "article_file",
        "bulletin_cell",
    ],
)
def test_in_scope_pages_answer(district_staff, world, name):
    assert_shows(district_staff.client.get(ROUTES[name](world)), name)


@pytest.mark.parametrize("name", ["bulletin_order", "bulletin_publish"])
def test_post_only_views_refuse_get(district_staff, world, name):
    assert district_staff.client.get(ROUTES[name](world)).status_code == 405


def test_a_plain_member_reads_only_their_own_article(tree, author, world, cell_secretary, cell, issue):
    from lantoa.org.models import Role
    from tests.conftest import persona

    other = assign(cell_secretary, issue, cell.binh, topic="Bác Hồ với thanh niên")
    neighbour = persona(tree.phuoc_thanh, Role.MEMBER)

    assert_shows(author.client.get(ROUTES["article"](world)), "article")
    assert author.client.get(reverse("cells:article", args=[other.public_id])).status_code == 404
    assert neighbour.client.get(ROUTES["article"](world)).status_code == 404
    # Their own cell, but the rotation page lists cell mates' absences: in scope, role too weak.
    assert author.client.get(ROUTES["bulletin_cell"](world)).status_code == 403


def test_the_cell_page_is_for_cells_only(district_staff, world):
    assert district_staff.client.get(reverse("cells:bulletin_cell", args=["an-khanh"])).status_code == 404
