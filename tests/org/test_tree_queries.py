from __future__ import annotations

import datetime as dt

from lantoa.org import queries

D = dt.date


def test_subtree_as_of_date_follows_the_2025_move(tree):
    before = queries.subtree_ids(tree.district, D(2024, 6, 1))
    after = queries.subtree_ids(tree.province, D(2025, 8, 1))

    assert before == {
        tree.district.pk,
        tree.an_khanh.pk,
        tree.phuoc_thanh.pk,
        tree.tan_thach.pk,
        tree.tan_thanh.pk,
        tree.women.pk,
    }
    # After 1/7/2025 the district is gone; An Khánh hangs directly under the province.
    assert tree.district.pk not in after
    assert {tree.an_khanh.pk, tree.phuoc_thanh.pk} <= after
    assert queries.subtree_ids(tree.district, D(2025, 8, 1)) == set()


def test_path_to_root_is_dated(tree):
    assert [u.key for u in queries.path_to_root(tree.phuoc_thanh, D(2024, 1, 1))] == [
        "ben-tre",
        "chau-thanh",
        "an-khanh",
        "phuoc-thanh",
    ]
    assert [u.key for u in queries.path_to_root(tree.phuoc_thanh, D(2025, 7, 1))] == [
        "ben-tre",
        "an-khanh",
        "phuoc-thanh",
    ]


def test_ever_under_keeps_units_that_moved_away(tree):
    assert tree.phuoc_thanh.pk in queries.ever_under_ids(tree.district)
    assert tree.other_cell.pk not in queries.ever_under_ids(tree.district)


def test_subtree_is_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        queries.subtree_ids(tree.province, D(2024, 1, 1))
