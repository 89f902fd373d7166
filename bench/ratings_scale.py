"""Benchmark: the year-end ratings and the term targets of a whole province.

    .venv/bin/python bench/ratings_scale.py [--communes 100] [--pg] [--profile]

Builds, in a fresh database (a SQLite file in a temporary directory, or with ``--pg`` the database
``bench_lantoa_ratings`` on the scripts/pg.sh cluster, created and dropped here), a province after
the 2025 reform (no districts) of 100 communes with 100 cells each, 20 members in every cell
(200 000 people, members and memberships), and the ratings of 2024 as decided on 20/12/2024 under
Quy định 124: every member's (12 % excellent, 70 % good, 16 % done, 2 % not done, the same in
every commune), every cell's as an organisation (decided by its commune), every commune's
(decided by the province); "Trong sạch, vững mạnh toàn diện" for 60 % of the cells; a term of the
province with two targets counted from the records. Today is pinned to 10/01/2025 (the rating
round's end, Quy định 124 still in force).

Then times, each the median of five warm runs, and counts the queries of:
  1. the commune's year page as its secretary (2 000 member ratings and 100 cells it decides);
  2. a cell's year page as the same secretary;
  3. the province's targets page as its propaganda staff (10 000 cells, 200 000 ratings);
  4. ``services.check_decision`` for the commune with all 2 100 lines, ``services.decide`` for
     one cell's 20 members, and for the whole commune at once (2 100 lines, each a new decision);
  5. the province's year page (the 100 communes' ratings it decides).
Pages are whole Django requests through the test client in production settings
(``LANTOA_DEBUG=0``). ``--profile`` prints, for each page, where its time goes (cProfile).
bench/RESULTS.md has the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
os.environ.setdefault("LANTOA_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

D = dt.date
YEAR = 2024
TODAY = dt.datetime(2025, 1, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
CELLS_PER_COMMUNE = 100
MEMBERS_PER_CELL = 20
PG_DATABASE = "bench_lantoa_ratings"
START = D(1976, 1, 1)
DECIDED_ON, PROPOSED_ON, SELF_ON = D(2024, 12, 20), D(2024, 12, 10), D(2024, 12, 5)
PROVINCE_DECIDED_ON = D(2024, 12, 28)


def member_levels(cell_number: int) -> list[str]:
    """The 20 levels of a cell's members: 2 or 3 excellent, 14 good, 3 or 4 done, 0 or 1 not done;
    over every five cells 12 % / 70 % / 16 % / 2 %. Cells without a "not done" may be excellent."""
    step = cell_number % 5
    excellent = 3 if step in (2, 3) else 2
    done = 4 if step == 4 else 3
    not_done = 1 if step in (0, 1) else 0
    good = MEMBERS_PER_CELL - excellent - done - not_done
    return ["excellent"] * excellent + ["good"] * good + ["done"] * done + ["not_done"] * not_done


def organisation_level(number: int) -> str:
    """Of every 50 organisations: 6 excellent (only among those every member allows), 35 good,
    8 done, 1 not done."""
    step = number % 50
    if step < 6:
        return "excellent"
    if step < 41:
        return "good"
    if step < 49:
        return "done"
    return "not_done"


def excellent_allowed(cell_number: int) -> bool:
    return cell_number % 5 in (2, 3, 4)


def cell_organisation_level(cell_number: int) -> str:
    # 12 % excellent among the cells whose members allow it (3 of every 5), the rest as above.
    level = organisation_level(cell_number)
    if level == "excellent" and not excellent_allowed(cell_number):
        return "good"
    if level == "good" and excellent_allowed(cell_number) and (cell_number // 5) % 10 in (0, 1):
        return "excellent"
    return level


def decimal_comma(seconds: float) -> str:
    return f"{seconds:.3f}".replace(".", ",")


def timed(work, rounds: int = 5) -> tuple[float, list[float]]:
    spent = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        spent.append(time.perf_counter() - began)
    return statistics.median(spent), spent


def build(communes_wanted: int) -> None:
    from django.db import transaction

    from lantoa.documents.models import Term
    from lantoa.lib.bulk import cyclic_gc_paused, insert_objects
    from lantoa.lib.text import fold
    from lantoa.org.models import Membership, PartyMember, Person, Unit, UnitKind, UnitParentage
    from lantoa.ratings.models import (
        Indicator,
        LabelKind,
        Rating,
        RatingRuleSet,
        RatingStatus,
        SubjectKind,
        TermTarget,
        UnitLabel,
    )

    def unit(**values: object) -> Unit:
        made = Unit(valid_from=START, **values)
        made.search_text = fold(made.name)
        return made

    rules = RatingRuleSet.objects.get(valid_from=D(2023, 10, 4))  # Quy định 124
    label = LabelKind.objects.get(code="tsvm-toan-dien")
    with transaction.atomic(), cyclic_gc_paused():
        province = unit(key="tinh", name="Đảng bộ tỉnh Thử", kind=UnitKind.PROVINCE, short_code="TU")
        communes = [
            unit(key=f"xa-{c}", name=f"Đảng bộ xã {c:03d}", kind=UnitKind.COMMUNE, short_code="ĐU")
            for c in range(communes_wanted)
        ]
        cells = [
            unit(
                key=f"xa-{c}-ap-{h}",
                name=f"Chi bộ ấp {h:03d} xã {c:03d}",
                kind=UnitKind.CELL,
                short_code="CB",
                residential=h % 10 < 7,
            )
            for c in range(communes_wanted)
            for h in range(CELLS_PER_COMMUNE)
        ]
        insert_objects(Unit, [province, *communes, *cells])
        commune_of = {cell.pk: communes[n // CELLS_PER_COMMUNE] for n, cell in enumerate(cells)}
        insert_objects(
            UnitParentage,
            [UnitParentage(unit=u, parent=province, valid_from=START) for u in communes]
            + [UnitParentage(unit=cell, parent=commune_of[cell.pk], valid_from=START) for cell in cells],
        )
        people, members, memberships, ratings = [], [], [], []
        for n, cell in enumerate(cells):
            for m, level in enumerate(member_levels(n)):
                name = f"Nguyễn Văn {m:02d} ấp {n:05d}"
                person = Person(full_name=name, search_text=fold(name), registered_unit=cell)
                member = PartyMember(person=person, admitted_on=D(2010, 1, 1), full_member_on=D(2011, 1, 1))
                people.append(person)
                members.append(member)
                memberships.append(Membership(member=member, unit=cell, valid_from=D(2015, 1, 1)))
                ratings.append((member, cell, level))
        insert_objects(Person, people)
        insert_objects(PartyMember, members)
        insert_objects(Membership, memberships)
        decided = {
            "year": YEAR,
            "status": RatingStatus.DECIDED,
            "self_on": SELF_ON,
            "proposed_on": PROPOSED_ON,
            "rules": rules,
            "proposal_votes": "20/20 đảng viên có mặt biểu quyết tán thành",
        }
        rows = [
            Rating(
                subject_kind=SubjectKind.MEMBER,
                member=member,
                unit=cell,
                quota_unit=commune_of[cell.pk],
                self_level=level,
                proposed_level=level,
                proposed_by=cell,
                level=level,
                decided_on=DECIDED_ON,
                decided_by=commune_of[cell.pk],
                document="Quyết định số 45-QĐ/ĐU ngày 20/12/2024",
                **decided,
            )
            for member, cell, level in ratings
        ]
        rows += [
            Rating(
                subject_kind=SubjectKind.ORGANISATION,
                subject_unit=cell,
                unit=cell,
                quota_unit=commune_of[cell.pk],
                self_level=cell_organisation_level(n),
                proposed_level=cell_organisation_level(n),
                proposed_by=cell,
                level=cell_organisation_level(n),
                decided_on=DECIDED_ON,
                decided_by=commune_of[cell.pk],
                document="Quyết định số 46-QĐ/ĐU ngày 20/12/2024",
                **decided,
            )
            for n, cell in enumerate(cells)
        ]
        rows += [
            Rating(
                subject_kind=SubjectKind.ORGANISATION,
                subject_unit=commune,
                unit=commune,
                quota_unit=province,
                self_level=organisation_level(n),
                proposed_level=organisation_level(n),
                proposed_by=commune,
                level=organisation_level(n),
                decided_on=PROVINCE_DECIDED_ON,
                decided_by=province,
                document="Quyết định số 120-QĐ/TU ngày 28/12/2024",
                **decided,
            )
            for n, commune in enumerate(communes)
        ]
        insert_objects(Rating, rows)
        insert_objects(
            UnitLabel,
            [
                UnitLabel(
                    unit=cell,
                    kind=label,
                    year=YEAR,
                    granted_on=D(2024, 12, 25),
                    granted_by=commune_of[cell.pk],
                    document="Quyết định số 47-QĐ/ĐU ngày 25/12/2024",
                )
                for n, cell in enumerate(cells)
                if (n * 7) % 10 < 6  # 60 % of the cells, residential or not
            ],
        )
        term = Term.objects.create(unit=province, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 10, 15))
        TermTarget.objects.create(
            term=term,
            position=1,
            text="Hằng năm có trên 50% chi bộ ấp, khu phố đạt trong sạch, vững mạnh toàn diện",
            indicator=Indicator.CELLS_LABELLED,
            label=label,
            target=3500,
            measure="chi bộ",
        )
        TermTarget.objects.create(
            term=term,
            position=2,
            text="Hằng năm trên 10% đảng viên hoàn thành xuất sắc nhiệm vụ",
            indicator=Indicator.MEMBERS_EXCELLENT,
            target=10,
            measure="%",
        )
    print(
        f"{len(communes):,} communes, {len(cells):,} cells, {len(members):,} members, "
        f"{len(rows):,} ratings, {UnitLabel.objects.count():,} labels"
    )


class Measured:
    def __init__(self) -> None:
        self.lines: list[tuple[str, float, list[float], int, float, str]] = []

    def run(self, label: str, work, *, check=None, rounds: int = 5) -> None:
        """Median of five warm runs after one warm-up; the queries of one more run."""
        from django.db import connection

        first = work()
        if check is not None:
            check(first)
        median, spent = timed(work, rounds)
        # CaptureQueriesContext keeps at most 9 000 queries; an execute wrapper counts them all.
        timings: list[tuple[float, str]] = []

        def counted(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append((time.perf_counter() - began, sql))

        with connection.execute_wrapper(counted):
            work()
        sql = sum(spent_in for spent_in, _sql in timings)
        slowest = max(timings, default=None)
        slow_text = f"{slowest[0]:.3f} s: {slowest[1][:160]}" if slowest else ""
        self.lines.append((label, median, spent, len(timings), sql, slow_text))
        print(
            f"{label}: median {median:.3f} s (runs {', '.join(f'{s:.2f}' for s in spent)}); "
            f"{len(timings)} queries, {sql:.3f} s in SQL; slowest {slow_text}",
            flush=True,
        )


def profile(label: str, work) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"lantoa|django/(template|db/models/(query|sql/compiler))", 30)
    stats.sort_stats("tottime").print_stats(15)
    sys.stderr.write(f"\n===== profile: {label}\n{out.getvalue()}")


def measure(with_profile: bool) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from lantoa.org.models import Role, RoleGrant, Unit
    from lantoa.ratings import queries, services
    from lantoa.ratings.models import Rating, RatingStatus, SubjectKind, TermTarget

    province = Unit.objects.get(key="tinh")
    commune = Unit.objects.get(key="xa-0")
    cell = Unit.objects.get(key="xa-0-ap-2")
    users = get_user_model()
    secretary = users.objects.create_user(username="bi-thu-xa", password="x" * 20)
    RoleGrant.objects.create(user=secretary, unit=commune, role=Role.SECRETARY, valid_from=D(2020, 1, 1))
    staff = users.objects.create_user(username="tuyen-giao-tinh", password="x" * 20)
    RoleGrant.objects.create(user=staff, unit=province, role=Role.PROPAGANDA, valid_from=D(2020, 1, 1))
    as_secretary, as_staff = Client(), Client()
    as_secretary.force_login(secretary)
    as_staff.force_login(staff)

    def page(client: Client, url: str, *needles: str):
        def get():
            return client.get(url, secure=True)

        def check(response) -> None:
            assert response.status_code == 200, (url, response.status_code)
            text = response.content.decode()
            for needle in needles:
                assert needle in text, (url, needle)
            print(f"  {url}: {len(response.content) / 1024:,.0f} KB of HTML")

        return get, check

    measured = Measured()
    commune_url = reverse("ratings:unit_year", kwargs={"key": commune.key, "year": YEAR})
    cell_url = reverse("ratings:unit_year", kwargs={"key": cell.key, "year": YEAR})
    targets_url = reverse("ratings:targets", kwargs={"key": province.key})
    province_url = reverse("ratings:unit_year", kwargs={"key": province.key, "year": YEAR})
    get, check = page(as_secretary, commune_url, "Nguyễn Văn 19 ấp 00099", "Chi bộ ấp 099 xã 000")
    measured.run("1. commune's year page, as its secretary", get, check=check)
    if with_profile:
        profile("commune page", get)
    get, check = page(as_secretary, cell_url, "Nguyễn Văn 19 ấp 00002")
    measured.run("2. a cell's year page, as the commune's secretary", get, check=check)
    # Half the cells are residential and labelled (5 000 of a province, against a target of 3 500).
    labelled = Unit.objects.filter(kind="cell").count() // 2
    share = f"{Decimal(labelled * 100) / 3500:.2f}".replace(".", ",")
    # 12 % of the members excellent against a target of 10 %: 120,00 % of the target.
    get, check = page(as_staff, targets_url, f"{share}%", "120,00%")
    measured.run("3. province's targets page, as its propaganda staff", get, check=check)
    if with_profile:
        profile("targets page", get)
    first_target = TermTarget.objects.get(term__unit=province, position=1)
    drill_url = f"{targets_url}?target={first_target.pk}&year={YEAR}"
    get, check = page(as_staff, drill_url, "Chi bộ ấp 000 xã 000", 'id="drill"')
    measured.run("3b. the same with the labelled cells of 2024 listed", get, check=check)

    day = D(YEAR, 12, 31)
    listing = queries.body_year(commune, YEAR, day)
    entries = [services.Entry(r, r.level, r.score) for _u, _kind, r in listing.organisations if r is not None]
    entries += [services.Entry(r, r.level, r.score) for r in listing.members]
    assert len(entries) == 2_100, len(entries)
    today = TODAY.date()

    def check_all():
        return services.check_decision(body=commune, year=YEAR, entries=entries, day=today)

    def check_result(result) -> None:
        assert not result.problems, result.problems[:5]
        print(f"  quotas: {'; '.join(q.text for q in result.quotas)}")

    measured.run("4a. check_decision, commune, 2 100 lines", check_all, check=check_result)
    if with_profile:
        profile("check_decision", check_all)
    own = list(
        Rating.objects.filter(unit=cell, year=YEAR, subject_kind=SubjectKind.MEMBER).select_related(
            "member__person", "subject_unit"
        )
    )
    assert len(own) == 20

    def decide_cell():
        return services.decide(
            actor=secretary,
            body=commune,
            year=YEAR,
            entries=[services.Entry(r, r.level, r.score) for r in own],
            day=today,
            document="Quyết định số 52-QĐ/ĐU ngày 10/01/2025",
        )

    def decided(result) -> None:
        assert len(result) == 20
        assert all(r.status == RatingStatus.DECIDED for r in result)

    measured.run("4b. decide, one cell's 20 members", decide_cell, check=decided)

    numbers = iter(range(53, 1000))

    def decide_all():
        # What "Decide" does when the commune decides every line at once (re-read as the view
        # does). Each round is another decision (its own number), so every line changes and is
        # audited, as when proposals are decided.
        fresh = queries.body_year(commune, YEAR, day)
        lines = [services.Entry(r, r.level, r.score) for _u, _kind, r in fresh.organisations if r is not None]
        lines += [services.Entry(r, r.level, r.score) for r in fresh.members]
        return services.decide(
            actor=secretary,
            body=commune,
            year=YEAR,
            entries=lines,
            day=today,
            document=f"Quyết định số {next(numbers)}-QĐ/ĐU ngày 10/01/2025",
        )

    def decided_all(result) -> None:
        assert len(result) == 2_100

    # Slow (a write per line): a warm-up, then three.
    measured.run("4c. decide, the whole commune (2 100 lines)", decide_all, check=decided_all, rounds=3)
    if with_profile:
        profile("decide, the whole commune", decide_all)
    last = Unit.objects.filter(kind="commune").count() - 1
    get, check = page(as_staff, province_url, f"Đảng bộ xã {last:03d}")
    measured.run("5. province's year page, as its propaganda staff", get, check=check)
    if with_profile:
        profile("province page", get)
    parts(measured, province, commune, staff)
    print("\n| What | Median (s) | Queries | In SQL (s) |\n|---|---:|---:|---:|")
    for label, median, _spent, count, sql, _slow in measured.lines:
        print(f"| {label} | {decimal_comma(median)} | {count} | {decimal_comma(sql)} |")


def parts(measured: Measured, province, commune, staff) -> None:
    """The pieces the slow pages are made of, timed alone."""
    from lantoa.org.access import compute_scope
    from lantoa.org.queries import subtree_ids, walk_down
    from lantoa.ratings import queries, targets
    from lantoa.ratings.models import TermTarget

    day = D(YEAR, 12, 31)
    today = TODAY.date()
    measured.run("part: compute_scope, province staff", lambda: compute_scope(staff, today))
    measured.run("part: walk_down(province), 10 101 rows", lambda: walk_down([(province.pk, day, day)]))
    measured.run("part: subtree_ids(province)", lambda: subtree_ids(province, day))
    measured.run(
        "part: organisations_rated_by(province)", lambda: queries.organisations_rated_by(province, day)
    )
    measured.run("part: body_year(commune)", lambda: queries.body_year(commune, YEAR, day))
    measured.run("part: body_year(province)", lambda: queries.body_year(province, YEAR, day))
    for target in TermTarget.objects.filter(term__unit=province).select_related("term__unit", "label"):
        measured.run(
            f"part: actual_for_year({target.indicator}, {YEAR})",
            lambda target=target: targets.actual_for_year(target, YEAR, today),
        )
        measured.run(
            f"part: actual_for_year({target.indicator}, 2021, no data)",
            lambda target=target: targets.actual_for_year(target, 2021, today),
        )


def pg_database(action: str) -> str:
    url = subprocess.run(
        [str(ROOT / "scripts" / "pg.sh"), "url"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    server = url.rsplit("/", 1)[0]
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        if action == "create":
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    return f"{server}/{PG_DATABASE}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument(
        "--pg", action="store_true", help=f"database {PG_DATABASE} on the scripts/pg.sh cluster"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--profile", action="store_true", help="where each page's time goes, to stderr")
    args = parser.parse_args()
    # A place of its own for the collected static files (production settings need their
    # manifest) and the SQLite file: the checkout's var/ is left alone.
    folder = tempfile.mkdtemp(prefix="lantoa-bench-")
    os.environ["LANTOA_VAR_DIR"] = folder
    if args.pg:
        os.environ["DATABASE_URL"] = pg_database("create")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django
    import time_machine

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        with time_machine.travel(TODAY, tick=True):
            began = time.perf_counter()
            build(args.communes)
            print(f"built in {time.perf_counter() - began:.0f} s ({connection.vendor})", flush=True)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            measure(args.profile)
    finally:
        if args.pg and not args.keep:
            connection.close()
            pg_database("drop")


if __name__ == "__main__":
    main()
