"""N+1 guard: the library page runs the same number of queries for 1 material as for 3."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.documents.services import set_yearly_theme
from tests.cells.library.conftest import share
from tests.factories import member_in


def _count(client, url, params=None):
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


def test_library_list_queries_do_not_grow_with_material(cell_secretary, tree):
    url = reverse("cells:library")
    theme = set_yearly_theme(actor=None, unit=tree.district, year=2024, title="Chuyên đề năm 2024")
    share(tree.phuoc_thanh, "Bác Hồ với đức tính tiết kiệm", themes=[theme])
    one, _response = _count(cell_secretary.client, url)

    lan = member_in(tree.tan_thanh, name="Lê Thị Lan")
    share(tree.tan_thanh, "Bác Hồ với thanh niên", themes=[theme], shared_by=lan.person)
    share(tree.women, "Bác Hồ với phụ nữ", kind="video")
    three, response = _count(cell_secretary.client, url)

    assert len(response.context["page"]) == 3
    assert three == one


def test_library_search_partial_queries_do_not_grow_either(cell_secretary, tree):
    url, params = reverse("cells:library"), {"q": "bac ho"}
    share(tree.phuoc_thanh, "Bác Hồ với đức tính tiết kiệm")
    cell_secretary.client.defaults["HTTP_HX_REQUEST"] = "true"
    one, _response = _count(cell_secretary.client, url, params)

    share(tree.tan_thanh, "Bác Hồ với thanh niên")
    share(tree.women, "Bác Hồ với phụ nữ")
    three, response = _count(cell_secretary.client, url, params)

    assert len(response.context["page"]) == 3
    assert three == one
