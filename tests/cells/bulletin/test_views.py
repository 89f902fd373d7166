"""The bulletin pages as people use them: the secretary assigns from the rotation, the member
writes from a phone, the editor returns, accepts, orders and publishes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lantoa.cells.models import Article, ArticleStatus, BulletinIssue
from lantoa.cells.queries.bulletin import FAIRNESS_RULE
from lantoa.cells.services import bulletin as services
from lantoa.lib.vi import format_month_in_text
from lantoa.org.models import ActivityExemption, Role
from tests.cells.bulletin.conftest import assign, written
from tests.conftest import BEFORE_THE_REFORM, page_text, persona, tr

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
S = ArticleStatus


def _article_url(article):
    return reverse("cells:article", args=[article.public_id])


def test_cell_page_explains_the_rule_and_why_each_member_is_suggested(
    cell_secretary, tree, cell, issue, current_issue
):
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 1, 8), S.PUBLISHED)
    ActivityExemption.objects.create(member=cell.cuong, valid_from=D(2024, 1, 1), reason="Tuổi cao")

    response = cell_secretary.client.get(reverse("cells:bulletin_cell", args=["phuoc-thanh"]))

    text = page_text(response)
    assert tr(str(FAIRNESS_RULE)) in text
    assert f"Trần Thị Bình — {tr('has never written an article')}" in text
    assert f"Nguyễn Văn An — {tr('last time: %(month)s', month=format_month_in_text(D(2024, 1, 1)))}" in text
    assert f"Lê Văn Cường — {tr('exempt from Party activity')}" in text
    assert [e.name for e in response.context["suggested"]] == ["Trần Thị Bình", "Nguyễn Văn An"]
    # The form starts on the suggestion and on the issue collecting articles.
    form = response.context["form"]
    assert (form.initial["member"], form.initial["issue"]) == (cell.binh.pk, current_issue.public_id)


def test_secretary_assigns_the_suggested_member(cell_secretary, tree, cell, current_issue):
    response = cell_secretary.client.post(
        reverse("cells:bulletin_cell", args=["phuoc-thanh"]),
        {
            "issue": str(current_issue.public_id),
            "member": cell.cuong.pk,
            "topic": "Bác Hồ với nông dân",
            "due_on": "31/12/2099",
        },
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert (
        article.author,
        article.cell,
        article.topic,
        article.due_on,
        article.by_rotation,
        article.assigned_on,
    ) == (
        cell.cuong,
        tree.phuoc_thanh,
        "Bác Hồ với nông dân",
        D(2099, 12, 31),
        True,
        timezone.localdate(),
    )


def _cell_page(persona, data=None):
    url = reverse("cells:bulletin_cell", args=["phuoc-thanh"])
    return persona.client.post(url, data) if data is not None else persona.client.get(url)


def test_assignment_offers_only_issues_still_collecting_articles(
    cell_secretary, admin_persona, tree, cell, issue, current_issue
):
    """The district's March 2024 issue is still "open" but its deadline is long past (assigning
    for it could only be refused); another district's and a published issue are not offered."""
    today = timezone.localdate()
    services.open_issue(
        actor=admin_persona.user, unit=tree.other_district, period=D(2024, 3, 1), deadline=D(2099, 1, 1)
    )
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    published = services.open_issue(
        actor=admin_persona.user, unit=tree.province, period=last_month, deadline=D(2099, 1, 1)
    )
    BulletinIssue.objects.filter(pk=published.pk).update(status=BulletinIssue.Status.PUBLISHED)

    response = _cell_page(cell_secretary)

    assert list(response.context["form"].fields["issue"].queryset) == [current_issue]
    assert 'id="assign"' in response.content.decode()


def test_an_empty_due_date_takes_the_issues_deadline(cell_secretary, cell, current_issue):
    response = _cell_page(
        cell_secretary,
        {"issue": str(current_issue.public_id), "member": cell.an.pk, "topic": "Bác Hồ với nông dân"},
    )

    assert response.status_code == 302
    assert Article.objects.get().due_on == current_issue.deadline


def test_with_no_issue_collecting_articles_the_page_says_so_instead_of_a_form(cell_secretary, cell, issue):
    response = _cell_page(cell_secretary)

    text = page_text(response)
    assert (
        tr(
            "No bulletin issue is collecting articles now. When the committee above opens the next issue, "
            "you can assign articles for it here."
        )
        in text
    )
    assert '<form id="assign"' not in response.content.decode()
    assert tr("Assign an article") in text


def test_a_refused_assignment_lists_the_errors_at_the_top_of_the_form(cell_secretary, cell, current_issue):
    response = _cell_page(
        cell_secretary,
        {"issue": str(current_issue.public_id), "member": cell.an.pk, "topic": "", "due_on": "01/01/2020"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    form = html[html.index('<form id="assign"') :]
    summary = form[: form.index('<div class="mb-3">')]  # before the first field
    summary_text = " ".join(summary.split())
    assert tr("The article was not assigned:") in summary_text
    assert tr("Topic") in summary_text
    assert tr("This field is required.") in summary_text
    # Still next to the field as well, and the page opens at the form.
    assert list(response.context["form"].errors) == ["topic"]
    assert 'action="#assign"' in form


def test_secretary_sees_what_is_overdue(cell_secretary, tree, cell, issue):
    late = assign(cell_secretary, issue, cell.an, topic="Bài trễ hạn")
    written(cell.binh, tree.phuoc_thanh, issue, D(2024, 3, 1), S.SUBMITTED)
    on_time = assign(cell_secretary, issue, cell.cuong, topic="Bài còn hạn")
    Article.objects.filter(pk=on_time.pk).update(due_on=D(2099, 1, 1))

    response = cell_secretary.client.get(reverse("cells:bulletin_cell", args=["phuoc-thanh"]))

    assert [a.topic for a in response.context["overdue"]] == [late.topic]


def test_member_writes_and_hands_in_from_their_list(author, cell_secretary, cell, issue):
    article = assign(cell_secretary, issue, cell.an)

    mine = author.client.get(reverse("cells:my_articles"))
    response = author.client.post(
        _article_url(article),
        {
            "action": "submit",
            "submit-title": "Tiết kiệm theo lời Bác",
            "submit-text": "Bác dạy: cần, kiệm, liêm, chính.",
        },
    )

    assert [a.pk for a in mine.context["articles"]] == [article.pk]
    assert tr("Write and hand in") in page_text(mine)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.title, article.submitted_on) == (
        S.SUBMITTED,
        "Tiết kiệm theo lời Bác",
        timezone.localdate(),
    )


def test_the_article_page_offers_each_role_its_own_moves(author, cell_secretary, district_staff, cell, issue):
    article = assign(cell_secretary, issue, cell.an)

    def offered(persona):
        context = persona.client.get(_article_url(article)).context
        return [move for move in ("submit", "accept", "return", "cancel") if context[f"may_{move}"]]

    assert offered(author) == ["submit"]
    assert offered(cell_secretary) == ["cancel"]
    assert offered(district_staff) == ["cancel"]  # Ban Tuyên giáo also follow the cells
    author.client.post(
        _article_url(article), {"action": "submit", "submit-title": "Bài", "submit-text": "Nội dung"}
    )
    assert offered(author) == []
    assert offered(district_staff) == ["accept", "return"]


def test_editor_returns_with_a_comment_and_the_author_sees_it(
    author, cell_secretary, district_staff, cell, issue
):
    article = assign(cell_secretary, issue, cell.an)
    author.client.post(
        _article_url(article), {"action": "submit", "submit-title": "Bài", "submit-text": "Nháp"}
    )

    empty = district_staff.client.post(_article_url(article), {"action": "return", "return-comment": ""})
    district_staff.client.post(
        _article_url(article), {"action": "return", "return-comment": "Thêm ví dụ ở chi bộ."}
    )
    page = page_text(author.client.get(_article_url(article)))

    assert empty.status_code == 200
    assert list(empty.context["forms"]["return"].errors) == ["comment"]
    assert Article.objects.get(pk=article.pk).status == S.RETURNED
    assert f"{tr('The editor asks:')} Thêm ví dụ ở chi bộ." in page


def test_secretary_cannot_accept_through_the_page(author, cell_secretary, cell, issue):
    article = assign(cell_secretary, issue, cell.an)
    author.client.post(
        _article_url(article), {"action": "submit", "submit-title": "Bài", "submit-text": "Nội dung"}
    )

    response = cell_secretary.client.post(
        _article_url(article), {"action": "accept", "accept-title": "Bài", "accept-text": "x"}
    )

    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == S.SUBMITTED


def test_an_unknown_action_is_not_found(cell_secretary, cell, issue):
    article = assign(cell_secretary, issue, cell.an)

    assert cell_secretary.client.post(_article_url(article), {"action": "delete"}).status_code == 404


def test_editor_orders_and_publishes_the_issue(district_staff, cell_secretary, tree, cell, issue):
    first = written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 2), S.SUBMITTED)
    second = written(cell.binh, tree.phuoc_thanh, issue, D(2024, 3, 2), S.SUBMITTED)
    for article, title in ((first, "Bài của An"), (second, "Bài của Bình")):
        district_staff.client.post(
            _article_url(article), {"action": "accept", "accept-title": title, "accept-text": "Nội dung"}
        )
    issue_url = reverse("cells:bulletin_issue", args=[issue.public_id])

    district_staff.client.post(
        reverse("cells:bulletin_order", args=[issue.public_id]),
        {f"order-{first.public_id}": "2", f"order-{second.public_id}": "1"},
    )
    before = district_staff.client.get(issue_url)
    district_staff.client.post(reverse("cells:bulletin_publish", args=[issue.public_id]))
    after = district_staff.client.get(issue_url)

    assert [a.title for a in before.context["accepted"]] == ["Bài của Bình", "Bài của An"]
    assert [a.title for a in after.context["published"]] == ["Bài của Bình", "Bài của An"]
    assert BulletinIssue.objects.get().status == BulletinIssue.Status.PUBLISHED
    # Published, the issue is readable and printable by every cell under the district.
    secretary_page = cell_secretary.client.get(issue_url)
    assert [a.title for a in secretary_page.context["published"]] == ["Bài của Bình", "Bài của An"]
    neighbour = persona(tree.tan_thanh, Role.SECRETARY)
    assert "Bài của Bình Nội dung Trần Thị Bình – Chi bộ ấp Phước Thạnh" in page_text(
        neighbour.client.get(issue_url)
    )
    assert (
        cell_secretary.client.get(reverse("cells:bulletin_docx", args=[issue.public_id])).status_code == 200
    )


def test_publishing_an_empty_issue_is_refused_with_a_message(district_staff, issue):
    response = district_staff.client.post(
        reverse("cells:bulletin_publish", args=[issue.public_id]), follow=True
    )

    assert BulletinIssue.objects.get().status == BulletinIssue.Status.OPEN
    assert tr("Accept at least one article before publishing.") in page_text(response)


def test_editor_opens_the_next_issue(district_staff, issue):
    response = district_staff.client.post(
        reverse("cells:bulletin"), {"unit": "chau-thanh", "period": "4/2024", "deadline": "20/04/2024"}
    )

    april = BulletinIssue.objects.get(number=2)
    assert response.status_code == 302
    assert response.url == reverse("cells:bulletin_issue", args=[april.public_id])
    assert (april.period, april.deadline, april.title) == (
        D(2024, 4, 1),
        D(2024, 4, 20),
        "Bản tin sinh hoạt nội bộ",
    )


def test_opening_a_month_twice_shows_the_error(district_staff, issue):
    response = district_staff.client.post(
        reverse("cells:bulletin"), {"unit": "chau-thanh", "period": "03/2024", "deadline": "20/03/2024"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["period"]


def test_a_cell_secretary_is_not_offered_the_issue_form(cell_secretary, issue):
    response = cell_secretary.client.get(reverse("cells:bulletin"))

    assert response.context["form"] is None
    assert [i.number for i in response.context["page"]] == [1]
    assert [cell.key for cell, _overdue in response.context["own_cells"]] == ["phuoc-thanh"]
