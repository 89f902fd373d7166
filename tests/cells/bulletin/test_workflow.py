"""The article's editorial cycle: each move by the right role, the wrong role refused, and the
audit row every move leaves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.cells.models import Article, ArticleStatus, BulletinIssue
from lantoa.cells.services import bulletin as services
from lantoa.org.models import Role
from tests.cells.bulletin.conftest import MARCH, assign, written
from tests.conftest import BEFORE_THE_REFORM, persona
from tests.factories import member_in

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
S = ArticleStatus
TEXT = "Bác dạy: tiết kiệm không phải là bủn xỉn.\nMỗi đảng viên bớt một bữa tiệc để giúp trẻ mồ côi."


def _submit(author, article, **kwargs):
    kwargs.setdefault("title", "Tiết kiệm theo lời Bác")
    kwargs.setdefault("text", TEXT)
    return services.move_article(
        actor=author.user, article=article, to=S.SUBMITTED, today=D(2024, 3, 12), **kwargs
    )


def _moves(article):
    return [
        entry.changes["status"]
        for entry in AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Article),
            target_id=str(article.pk),
            action=AuditAction.UPDATE,
        ).order_by("id")
        if "status" in entry.changes
    ]


def test_full_cycle_returned_resubmitted_accepted_published(
    cell_secretary, district_staff, author, cell, issue
):
    article = assign(cell_secretary, issue, cell.an)
    _submit(author, article, title="Bản nháp")
    services.move_article(
        actor=district_staff.user, article=article, to=S.RETURNED, comment="Thêm một câu chuyện cụ thể."
    )
    _submit(author, article)
    services.move_article(
        actor=district_staff.user, article=article, to=S.EDITED, text=TEXT + "\nLời bình của ban biên tập."
    )

    services.publish_issue(actor=district_staff.user, issue=issue, today=D(2024, 3, 28))

    article.refresh_from_db()
    issue.refresh_from_db()
    assert (article.status, article.title, article.submitted_on, article.order) == (
        S.PUBLISHED,
        "Tiết kiệm theo lời Bác",
        D(2024, 3, 12),
        1,
    )
    assert article.text.endswith("Lời bình của ban biên tập.")
    assert article.comment == "Thêm một câu chuyện cụ thể."
    assert (issue.status, issue.published_on) == (BulletinIssue.Status.PUBLISHED, D(2024, 3, 28))
    assert _moves(article) == [
        [str(before.label), str(after.label)]
        for before, after in (
            (S.ASSIGNED, S.SUBMITTED),
            (S.SUBMITTED, S.RETURNED),
            (S.RETURNED, S.SUBMITTED),
            (S.SUBMITTED, S.EDITED),
            (S.EDITED, S.PUBLISHED),
        )
    ]


def test_assignment_is_audited_and_marked_when_it_follows_the_rotation(cell_secretary, cell, issue):
    first = assign(cell_secretary, issue, cell.cuong)  # Lê Văn Cường leads the never-written, by name
    other = assign(cell_secretary, issue, cell.binh, topic="Bác Hồ với thanh niên")  # An was next

    assert (first.by_rotation, other.by_rotation) == (True, False)
    entry = AuditEntry.objects.get(
        target_type=ContentType.objects.get_for_model(Article),
        target_id=str(first.pk),
        action=AuditAction.CREATE,
    )
    assert (entry.unit_id, entry.changes["topic"]) == (first.cell_id, [None, "Bác Hồ với đức tính tiết kiệm"])


def test_only_the_cells_officers_assign(tree, author, council_member, outsider, cell, issue):
    for who in (author, council_member, outsider):
        with pytest.raises(PermissionDenied):
            assign(who, issue, cell.an)
    assert Article.objects.count() == 0


def test_assignment_checks_member_issue_and_dates(tree, cell_secretary, women_secretary, cell, issue):
    stranger = member_in(tree.women, name="Người Ngoài Chi Bộ")
    with pytest.raises(ValidationError) as not_member:
        assign(cell_secretary, issue, stranger, cell=tree.phuoc_thanh)
    assign(cell_secretary, issue, cell.an)
    with pytest.raises(ValidationError) as twice:
        assign(cell_secretary, issue, cell.an)
    with pytest.raises(ValidationError) as early:
        services.assign_article(
            actor=cell_secretary.user,
            cell=tree.phuoc_thanh,
            issue=issue,
            author=cell.binh,
            topic="Bài",
            due_on=D(2024, 3, 1),
            assigned_on=D(2024, 3, 2),
        )

    assert set(not_member.value.message_dict) == {"member"}
    assert set(twice.value.message_dict) == {"member"}
    assert set(early.value.message_dict) == {"due_on"}


def test_a_cell_of_another_district_does_not_write_for_this_bulletin(tree, outsider, issue):
    member = member_in(tree.other_cell, name="Lê Văn Giồng")
    giong_secretary = outsider

    with pytest.raises(ValidationError) as caught:
        assign(giong_secretary, issue, member)

    assert set(caught.value.message_dict) == {"issue"}


@pytest.mark.parametrize("who", ["cell_secretary", "district_staff", "council_member"])
def test_only_the_author_submits(request, cell_secretary, author, cell, issue, who):
    article = assign(cell_secretary, issue, cell.an)
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        _submit(actor, article)

    article.refresh_from_db()
    assert (article.status, article.text) == (S.ASSIGNED, "")


def test_submit_needs_a_title_and_text_or_a_file(cell_secretary, author, cell, issue):
    article = assign(cell_secretary, issue, cell.an)

    with pytest.raises(ValidationError) as empty:
        _submit(author, article, text="  ")
    _submit(author, article, text="", uploaded=SimpleUploadedFile("bai-viet.docx", b"PK word"))

    article.refresh_from_db()
    assert set(empty.value.message_dict) == {"text"}
    assert (article.status, article.file.name.rsplit("/", 1)[-1]) == (S.SUBMITTED, "bai-viet.docx")


def test_submit_refuses_a_program_file(cell_secretary, author, cell, issue):
    article = assign(cell_secretary, issue, cell.an)

    with pytest.raises(ValidationError) as caught:
        _submit(author, article, uploaded=SimpleUploadedFile("bai.exe", b"MZ"))

    assert set(caught.value.message_dict) == {"file"}


@pytest.mark.parametrize("who", ["cell_secretary", "author", "council_member"])
@pytest.mark.parametrize("to", [S.EDITED, S.RETURNED])
def test_only_the_editor_accepts_or_returns(request, cell_secretary, author, cell, issue, who, to):
    article = assign(cell_secretary, issue, cell.an)
    _submit(author, article)

    with pytest.raises(PermissionDenied):
        services.move_article(actor=request.getfixturevalue(who).user, article=article, to=to, comment="Sửa")

    assert Article.objects.get(pk=article.pk).status == S.SUBMITTED


def test_return_needs_a_comment(cell_secretary, district_staff, author, cell, issue):
    article = assign(cell_secretary, issue, cell.an)
    _submit(author, article)

    with pytest.raises(ValidationError) as caught:
        services.move_article(actor=district_staff.user, article=article, to=S.RETURNED, comment=" ")

    assert set(caught.value.message_dict) == {"comment"}


def test_accepting_a_file_only_article_needs_its_text_pasted_in(
    cell_secretary, district_staff, author, cell, issue
):
    article = assign(cell_secretary, issue, cell.an)
    _submit(author, article, text="", uploaded=SimpleUploadedFile("bai.pdf", b"%PDF"))

    with pytest.raises(ValidationError):
        services.move_article(actor=district_staff.user, article=article, to=S.EDITED)
    services.move_article(actor=district_staff.user, article=article, to=S.EDITED, text=TEXT)

    assert Article.objects.get(pk=article.pk).text == TEXT


def test_moves_that_are_not_in_the_cycle_are_refused(cell_secretary, district_staff, author, cell, issue):
    article = assign(cell_secretary, issue, cell.an)

    for to in (S.EDITED, S.PUBLISHED, S.RETURNED):
        with pytest.raises(ValidationError):
            services.move_article(actor=district_staff.user, article=article, to=to, comment="x")
    _submit(author, article)
    with pytest.raises(ValidationError):
        services.move_article(actor=cell_secretary.user, article=article, to=S.CANCELLED)
    services.move_article(actor=district_staff.user, article=article, to=S.EDITED)
    with pytest.raises(ValidationError) as direct:
        services.move_article(actor=district_staff.user, article=article, to=S.PUBLISHED)

    assert Article.objects.get(pk=article.pk).status == S.EDITED
    assert direct.value.messages  # "Articles are published with their issue."


def test_a_stale_page_cannot_move_an_article_twice(cell_secretary, district_staff, author, cell, issue):
    article = assign(cell_secretary, issue, cell.an)
    _submit(author, article)
    stale = Article.objects.get(pk=article.pk)
    services.move_article(actor=district_staff.user, article=article, to=S.EDITED)

    with pytest.raises(ValidationError):
        services.move_article(actor=district_staff.user, article=stale, to=S.RETURNED, comment="Sửa")

    assert Article.objects.get(pk=article.pk).status == S.EDITED


def test_the_cell_cancels_an_assignment_the_author_cannot(cell_secretary, author, cell, issue):
    article = assign(cell_secretary, issue, cell.an)

    with pytest.raises(PermissionDenied):
        services.move_article(actor=author.user, article=article, to=S.CANCELLED)
    services.move_article(actor=cell_secretary.user, article=article, to=S.CANCELLED)

    assert Article.objects.get(pk=article.pk).status == S.CANCELLED
    # Cancelled, the member may be given the issue again.
    assert assign(cell_secretary, issue, cell.an).status == S.ASSIGNED


def test_publishing_takes_only_accepted_articles_in_the_editors_order(
    cell_secretary, district_staff, author, cell, issue
):
    first, second, late = (
        assign(cell_secretary, issue, member, topic=topic)
        for member, topic in ((cell.an, "Bài một"), (cell.binh, "Bài hai"), (cell.cuong, "Bài ba"))
    )
    second_author = persona(cell.binh.memberships.get().unit, Role.MEMBER)
    cell.binh.person.user = second_author.user
    cell.binh.person.save()
    _submit(author, first, title="Bài một")
    _submit(second_author, second, title="Bài hai")
    for article in (first, second):
        services.move_article(actor=district_staff.user, article=article, to=S.EDITED)
    services.set_print_order(actor=district_staff.user, issue=issue, articles=[second, first])

    services.publish_issue(actor=district_staff.user, issue=issue, today=D(2024, 3, 28))

    rows = list(
        Article.objects.filter(issue=issue)
        .order_by(F("order").asc(nulls_last=True), "id")
        .values_list("title", "status", "order")
    )
    assert rows == [("Bài hai", S.PUBLISHED, 1), ("Bài một", S.PUBLISHED, 2), ("", S.ASSIGNED, None)]
    late_author = persona(late.cell, Role.MEMBER)
    cell.cuong.person.user = late_author.user
    cell.cuong.person.save()
    with pytest.raises(ValidationError):  # the issue is out: nothing more goes in
        _submit(late_author, late)


def test_publishing_needs_the_editor_and_an_accepted_article(cell_secretary, district_staff, issue):
    with pytest.raises(PermissionDenied):
        services.publish_issue(actor=cell_secretary.user, issue=issue)
    with pytest.raises(ValidationError):
        services.publish_issue(actor=district_staff.user, issue=issue)

    assert BulletinIssue.objects.get(pk=issue.pk).status == BulletinIssue.Status.OPEN


# --- issues ----------------------------------------------------------------------------------------


def test_issue_numbers_follow_each_committee(tree, district_staff, issue):
    april = services.open_issue(
        actor=district_staff.user, unit=tree.district, period=D(2024, 4, 15), deadline=D(2024, 4, 20)
    )
    commune = services.open_issue(
        actor=district_staff.user, unit=tree.an_khanh, period=MARCH, deadline=D(2024, 3, 25)
    )

    assert (issue.number, april.number, april.period, commune.number) == (1, 2, D(2024, 4, 1), 1)
    assert (
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(BulletinIssue),
            target_id=str(april.pk),
            action=AuditAction.CREATE,
        ).count()
        == 1
    )


def test_one_issue_a_month_opened_by_an_editor_of_a_committee(tree, district_staff, cell_secretary, issue):
    with pytest.raises(ValidationError) as twice:
        services.open_issue(
            actor=district_staff.user, unit=tree.district, period=MARCH, deadline=D(2024, 3, 20)
        )
    with pytest.raises(PermissionDenied):
        services.open_issue(
            actor=cell_secretary.user, unit=tree.district, period=D(2024, 5, 1), deadline=D(2024, 5, 20)
        )
    with pytest.raises(ValidationError) as by_cell:
        services.open_issue(
            actor=cell_secretary.user, unit=tree.phuoc_thanh, period=D(2024, 5, 1), deadline=D(2024, 5, 20)
        )
    with pytest.raises(ValidationError) as closed:
        services.open_issue(
            actor=district_staff.user, unit=tree.district, period=D(2025, 8, 1), deadline=D(2025, 8, 20)
        )

    assert set(twice.value.message_dict) == {"period"}
    assert set(by_cell.value.message_dict) == {"unit"}
    assert set(closed.value.message_dict) == {"period"}
    assert BulletinIssue.objects.count() == 1


def test_an_article_returned_after_its_issue_came_out_goes_to_the_issue_now_open(
    tree, district_staff, author, cell, issue
):
    """Found by trying the demo: the author of a returned article whose issue had been published
    was offered nothing but "cancel"; the article now goes to the issue collecting articles."""
    article = written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 2), S.RETURNED)
    BulletinIssue.objects.filter(pk=issue.pk).update(status=BulletinIssue.Status.PUBLISHED)
    april = services.open_issue(
        actor=district_staff.user, unit=tree.district, period=D(2024, 4, 1), deadline=D(2024, 4, 20)
    )
    article.refresh_from_db()

    page = author.client.get(reverse("cells:article", args=[article.public_id]))
    _submit(author, article, title="Bài đã sửa", text="Nội dung đã sửa")

    assert page.context["may_submit"] is True
    assert page.context["later_issue"] == april
    article.refresh_from_db()
    assert (article.issue, article.status) == (april, S.SUBMITTED)
