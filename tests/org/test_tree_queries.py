from __future__ import annotations

import datetime as dt

import pytest

from lantoa.org import queries
from lantoa.org.models import Unit, UnitKind
from tests.factories import UnitFactory, member_in

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


# ---------------------------------------------------------------------------------------------
# Added: dates across the 2025 reorganisation, windows, ordering and query counts.
# ---------------------------------------------------------------------------------------------


def _keys(units):
    return [unit.key for unit in units]


def test_subtree_on_the_last_day_of_the_district_still_holds_an_khanh(tree):
    last_day = queries.subtree_ids(tree.district, D(2025, 6, 30))
    first_day_after = queries.subtree_ids(tree.province, D(2025, 7, 1))

    assert last_day == {
        tree.district.pk,
        tree.an_khanh.pk,
        tree.phuoc_thanh.pk,
        tree.tan_thach.pk,
        tree.tan_thanh.pk,
        tree.women.pk,
    }
    assert first_day_after == {
        tree.province.pk,
        tree.an_khanh.pk,
        tree.phuoc_thanh.pk,
        tree.other_district.pk,
        tree.other_cell.pk,
    }


def test_subtree_returns_units_as_a_queryset(tree):
    assert sorted(_keys(queries.subtree(tree.an_khanh, D(2024, 1, 1)))) == ["an-khanh", "phuoc-thanh"]


def test_subtree_before_a_unit_existed_is_empty(tree):
    assert queries.subtree_ids(tree.phuoc_thanh, D(1999, 12, 31)) == set()


def test_path_to_root_of_a_top_unit_is_itself(tree):
    assert _keys(queries.path_to_root(tree.province, D(2024, 1, 1))) == ["ben-tre"]


def test_path_to_root_is_two_queries(tree, django_assert_num_queries):
    with django_assert_num_queries(2):
        path = queries.path_to_root(tree.phuoc_thanh, D(2024, 1, 1))

    assert len(path) == 4


def test_children_follow_the_date_of_the_link(tree):
    before = queries.children(tree.district, D(2024, 6, 1)).order_by("key")
    after = queries.children(tree.district, D(2025, 8, 1)).order_by("key")
    province_after = queries.children(tree.province, D(2025, 8, 1)).order_by("key")

    assert _keys(before) == ["an-khanh", "hoi-lhpn", "tan-thach"]
    # An Khánh's link to the district ended on 30/6/2025: a later, different link must not
    # make it a child of the district again.
    assert _keys(after) == ["hoi-lhpn", "tan-thach"]
    assert _keys(province_after) == ["an-khanh", "giong-trom"]


def test_parent_on_follows_the_move(tree):
    assert queries.parent_on(tree.an_khanh, D(2025, 6, 30)) == tree.district
    assert queries.parent_on(tree.an_khanh, D(2025, 7, 1)) == tree.province
    assert queries.parent_on(tree.province, D(2025, 7, 1)) is None


def test_walk_down_clips_each_unit_to_its_link_and_the_root_window(tree):
    rows = queries.walk_down([(tree.district.pk, D(2025, 1, 1), D(2025, 12, 31))])

    by_unit = {row.unit_id: (row.parent_id, row.depth, row.window_from, row.window_to) for row in rows}
    # The district closes on 30/6/2025, so every window under it ends there.
    assert by_unit == {
        tree.district.pk: (None, 0, D(2025, 1, 1), D(2025, 6, 30)),
        tree.an_khanh.pk: (tree.district.pk, 1, D(2025, 1, 1), D(2025, 6, 30)),
        tree.tan_thach.pk: (tree.district.pk, 1, D(2025, 1, 1), D(2025, 6, 30)),
        tree.women.pk: (tree.district.pk, 1, D(2025, 1, 1), D(2025, 6, 30)),
        tree.phuoc_thanh.pk: (tree.an_khanh.pk, 2, D(2025, 1, 1), D(2025, 6, 30)),
        tree.tan_thanh.pk: (tree.tan_thach.pk, 2, D(2025, 1, 1), D(2025, 6, 30)),
    }


def test_walk_down_over_the_move_finds_a_unit_once_per_parent(tree):
    rows = queries.walk_down([(tree.province.pk, D(2025, 1, 1), D(2025, 12, 31))])

    an_khanh = sorted(
        (
            (row.parent_id, row.depth, row.window_from, row.window_to)
            for row in rows
            if row.unit_id == tree.an_khanh.pk
        ),
        key=lambda r: r[2],
    )
    assert an_khanh == [
        (tree.district.pk, 2, D(2025, 1, 1), D(2025, 6, 30)),
        (tree.province.pk, 1, D(2025, 7, 1), D(2025, 12, 31)),
    ]


def test_walk_down_of_no_roots_is_empty_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert queries.walk_down([]) == []


def test_walk_down_skips_a_root_closed_in_the_window(tree):
    assert queries.walk_down([(tree.district.pk, D(2025, 7, 1), D(2025, 12, 31))]) == []


def test_ever_under_of_the_closed_district_covers_its_whole_life(tree):
    assert queries.ever_under_ids(tree.district) == {
        tree.district.pk,
        tree.an_khanh.pk,
        tree.phuoc_thanh.pk,
        tree.tan_thach.pk,
        tree.tan_thanh.pk,
        tree.women.pk,
    }


def test_tree_lists_parents_first_and_siblings_by_name(tree):
    rows = queries.tree([tree.province], D(2024, 1, 1))

    assert [(row.unit.key, row.depth, row.parent_id) for row in rows] == [
        ("ben-tre", 0, None),
        ("chau-thanh", 1, tree.province.pk),
        ("hoi-lhpn", 2, tree.district.pk),
        ("an-khanh", 2, tree.district.pk),
        ("phuoc-thanh", 3, tree.an_khanh.pk),
        ("tan-thach", 2, tree.district.pk),
        ("tan-thanh", 3, tree.tan_thach.pk),
        ("giong-trom", 1, tree.province.pk),
        ("ap-giong", 2, tree.other_district.pk),
    ]


def test_tree_after_the_move_hangs_an_khanh_under_the_province(tree):
    rows = queries.tree([tree.province], D(2025, 8, 1))

    assert [(row.unit.key, row.depth) for row in rows] == [
        ("ben-tre", 0),
        ("an-khanh", 1),
        ("phuoc-thanh", 2),
        ("giong-trom", 1),
        ("ap-giong", 2),
    ]


def test_tree_sorts_vietnamese_names_as_people_read_them(db):
    root = UnitFactory(key="root", name="Tỉnh ủy", kind=UnitKind.PROVINCE)
    for key, name in [("h", "Huyện ủy Mỏ Cày"), ("d", "Đảng ủy Khối cơ quan"), ("a", "Ấp Bình Thới")]:
        UnitFactory(key=key, name=name, parent=root)

    rows = queries.tree([root], D(2024, 1, 1))

    # Đ sorts with D and Ấ with A, not after Z as raw code points would put them.
    assert [row.unit.name for row in rows] == [
        "Tỉnh ủy",
        "Ấp Bình Thới",
        "Đảng ủy Khối cơ quan",
        "Huyện ủy Mỏ Cày",
    ]


def test_tree_with_nested_roots_shows_each_unit_once_under_its_parent(tree):
    rows = queries.tree([tree.phuoc_thanh, tree.an_khanh], D(2024, 1, 1))

    assert [(row.unit.key, row.depth, row.parent_id) for row in rows] == [
        ("an-khanh", 0, None),
        ("phuoc-thanh", 1, tree.an_khanh.pk),
    ]


def _big_tree(levels: int, width: int) -> Unit:
    root = UnitFactory(kind=UnitKind.PROVINCE)
    frontier = [root]
    for _level in range(levels):
        frontier = [UnitFactory(parent=parent) for parent in frontier for _ in range(width)]
    return root


@pytest.mark.parametrize(("levels", "width"), [(1, 1), (3, 4)])
def test_tree_is_two_queries_whatever_the_size(db, django_assert_num_queries, levels, width):
    root = _big_tree(levels, width)

    with django_assert_num_queries(2):
        rows = queries.tree([root], D(2024, 1, 1))

    assert len(rows) == 1 + sum(width**level for level in range(1, levels + 1))
    assert all(row.children_shown for row in rows)


def test_a_tree_too_big_for_a_page_folds_its_deeper_levels(db, django_assert_num_queries):
    root = _big_tree(3, 4)  # 4 + 16 + 64 units under the root

    with django_assert_num_queries(2):
        rows = queries.tree([root], D(2024, 1, 1), budget=30)

    # The root, its 4 children and their 16 fit in 30; the 64 below do not.
    assert [row.depth for row in rows].count(2) == 16
    assert max(row.depth for row in rows) == 2
    folded = [row for row in rows if row.depth == 2]
    assert all(row.child_count == 4 and not row.children_shown for row in folded)
    assert all(row.children_shown for row in rows if row.depth < 2)


def test_a_tree_always_shows_the_roots_children(db):
    root = _big_tree(2, 5)

    rows = queries.tree([root], D(2024, 1, 1), budget=1)

    assert [row.depth for row in rows] == [0, 1, 1, 1, 1, 1]
    assert all(row.child_count == 5 and not row.children_shown for row in rows[1:])


def test_member_counts_count_direct_members_on_the_day(tree):
    member_in(tree.phuoc_thanh, since=D(2020, 1, 1))
    member_in(tree.phuoc_thanh, since=D(2024, 6, 1))
    member_in(tree.women)

    counts = queries.member_counts([tree.an_khanh.pk, tree.phuoc_thanh.pk, tree.women.pk], D(2024, 1, 1))

    assert counts == {tree.phuoc_thanh.pk: 1, tree.women.pk: 1}


def test_memberships_on_lists_members_by_folded_name(tree):
    member_in(tree.women, name="Trần Văn Bảy")
    member_in(tree.women, name="Đỗ Thị An")
    member_in(tree.women, name="Âu Văn Cường")

    names = [m.member.person.full_name for m in queries.memberships_on([tree.women.pk], D(2024, 1, 1))]

    assert names == ["Âu Văn Cường", "Đỗ Thị An", "Trần Văn Bảy"]
