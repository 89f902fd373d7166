"""Benchmark: the review report, the dashboard and the pages of today at province scale.

    DATABASE_URL=postgres://…/scale_bench .venv/bin/python bench/reports_scale.py [--province tinh-scale]

Runs on a database ``manage.py seed_scale`` filled (10 000 cells, 200 000 members, three years of
meetings with attendance, votes, recognitions and ratings). Today is pinned to 07/12/2026.

1. The 3-year report (18/05/2021–30/04/2024) as JSON (``compute_report`` + ``as_json``, the
   period before included), for the whole province and for one district: wall time (median of
   three), SQL queries, and the peak of Python memory (tracemalloc) of one run.
2. The floor: for each family of figures, one hand-written SQL query computing the same numbers
   (checked equal to the report's), timed the same way; the report against their sum.
3. Pages, whole requests through the test client in production settings (median of three, and
   their queries): the dashboard and a drill-down list; and the pages that exist today, as the
   province's administrator and as one district's propaganda officer: the tree, a people search,
   the compliance of an obligation, the meetings of a month, the cells without a meeting.

bench/RESULTS.md has the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
os.environ.setdefault("LANTOA_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LANTOA_SSL_REDIRECT", "0")
os.environ.setdefault("LANTOA_SECURE_COOKIES", "0")

D = dt.date
TODAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
START, END = D(2021, 5, 18), D(2024, 4, 30)
ROUNDS = 3


def median_time(work: Callable[[], Any], rounds: int = ROUNDS) -> float:
    times = []
    for _round in range(rounds):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def counted_queries(work: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


def peak_memory(work: Callable[[], Any]) -> float:
    """Peak of Python allocations during ``work``, in MB."""
    tracemalloc.start()
    work()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="tinh-scale")
    parser.add_argument("--district", help="the district's key (default: the province's first district)")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--only-pages", action="store_true", help="the pages alone (no report, no floors)")
    parser.add_argument("--page", action="append", help="only the pages with this name (repeatable)")
    args = parser.parse_args()
    import time_machine

    with time_machine.travel(TODAY, tick=True):
        import django

        django.setup()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        run(args)


def run(args: argparse.Namespace) -> None:
    from lantoa.org.models import Unit, UnitKind
    from lantoa.reports.compute import as_json, compute_report
    from lantoa.reports.periods import Period

    province = Unit.objects.get(key=args.province)
    district = (
        Unit.objects.get(key=args.district)
        if args.district
        else Unit.objects.filter(parentages__parent=province, kind=UnitKind.DISTRICT).order_by("key").first()
    )
    assert district is not None
    today = TODAY.date()
    period = Period(START, END)
    print(f"# {province.name}: {Unit.objects.count():,} units in the database")
    if args.only_pages:
        pages(province, district, args.page)
        return
    reports: dict[str, dict[str, Any]] = {}
    for unit in (district, province):

        def report(unit: Unit = unit) -> dict[str, Any]:
            return as_json(compute_report(unit, period, today))

        report()  # warm
        seconds = median_time(report)
        queries = counted_queries(report)
        memory = peak_memory(report)
        reports[unit.key] = {line["id"]: line["value"] for line in report()["statistics"]}
        print(f"report {unit.name}: {seconds:.2f} s, {queries} queries, peak {memory:.0f} MB (Python)")
    floors(province, period, reports[province.key])
    floors(district, period, reports[district.key])
    if not args.skip_pages:
        pages(province, district, args.page)


# ---------------------------------------------------------------------------------------------
# The floor: hand-written SQL
# ---------------------------------------------------------------------------------------------

SUBTREE = """
WITH RECURSIVE sub(id, parent_id, wfrom, wto) AS (
    SELECT u.id, CAST(NULL AS BIGINT), GREATEST(u.valid_from, %(start)s::date),
           LEAST(COALESCE(u.valid_to, '9999-12-31'), %(end)s::date)
    FROM org_unit u WHERE u.id = %(root)s
  UNION
    SELECT p.unit_id, p.parent_id, GREATEST(p.valid_from, s.wfrom),
           LEAST(COALESCE(p.valid_to, '9999-12-31'), s.wto)
    FROM org_unitparentage p JOIN sub s ON p.parent_id = s.id
    WHERE p.valid_from <= s.wto AND COALESCE(p.valid_to, '9999-12-31') >= s.wfrom
), win AS (
    SELECT s.id, s.parent_id, u.kind, GREATEST(s.wfrom, u.valid_from) AS wfrom,
           LEAST(s.wto, COALESCE(u.valid_to, '9999-12-31')) AS wto,
           date_trunc('month', GREATEST(s.wfrom, u.valid_from))::date AS mfrom,
           (date_trunc('month', LEAST(s.wto, COALESCE(u.valid_to, '9999-12-31')))
               + interval '1 month - 1 day')::date AS mto
    FROM sub s JOIN org_unit u ON u.id = s.id
    WHERE GREATEST(s.wfrom, u.valid_from) <= LEAST(s.wto, COALESCE(u.valid_to, '9999-12-31'))
)
"""

FLOORS: dict[str, tuple[str, Callable[[list[tuple[Any, ...]]], dict[str, Any]]]] = {}


def floor(name: str, sql: str) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    def register(reader: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        FLOORS[name] = (SUBTREE + sql, reader)
        return reader

    return register


@floor(
    "honours",
    """
, counted AS (
    SELECT d.kind, r.subject_kind IN ('party_unit', 'collective') AS collective,
           (w.kind = 'cell' AND pu.kind IN ('grassroots', 'commune', 'sub_committee')) AS by_cells,
           (w.parent_id = %(root)s) AS directly
    FROM honours_recognition r
    JOIN honours_decision d ON d.id = r.decision_id
    JOIN win w ON w.id = d.unit_id AND d.decided_on BETWEEN w.wfrom AND w.wto
    LEFT JOIN org_unit pu ON pu.id = w.parent_id
    WHERE r.revoked_on IS NULL AND d.decided_on BETWEEN %(start)s AND %(end)s
)
SELECT kind, collective, count(*) FILTER (WHERE by_cells), count(*) FILTER (WHERE directly)
FROM counted GROUP BY 1, 2
""",
)
def _honours(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for kind, collective, cells, directly in rows:
        subjects = "collectives" if collective else "individuals"
        if kind in ("introduce", "praise"):
            found[f"honours.cells.{subjects}"] = found.get(f"honours.cells.{subjects}", 0) + cells
        found[f"honours.{kind}.{subjects}"] = found.get(f"honours.{kind}.{subjects}", 0) + directly
    return found


@floor(
    "meetings",
    """
, cells AS (SELECT id, mfrom, mto FROM win WHERE kind IN ('cell', 'grassroots_cell', 'group')),
held AS (
    SELECT m.id, m.unit_id, m.period, m.kind FROM cells_meeting m
    JOIN cells c ON c.id = m.unit_id AND m.period BETWEEN c.mfrom AND c.mto
    WHERE m.status IN ('held', 'approved')
      AND m.period BETWEEN date_trunc('month', %(start)s::date) AND %(end)s
)
SELECT
  (SELECT count(DISTINCT (unit_id, period)) FROM held WHERE kind IN ('regular', 'combined')),
  (SELECT count(*) FROM cells_agendaitem i JOIN held h ON h.id = i.meeting_id
     WHERE i.kind = 'study' AND i.presenter_id IS NOT NULL),
  (SELECT round(100.0 * count(*) FILTER (WHERE a.status = 'present')
          / NULLIF(count(*) FILTER (WHERE a.status NOT IN ('exempt', 'elsewhere')), 0), 2)
     FROM cells_attendance a JOIN held h ON h.id = a.meeting_id)
""",
)
def _meetings(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    held, study, rate = rows[0]
    return {"meetings.regular.held": held, "meetings.study_items": study, "meetings.attendance_rate": rate}


@floor(
    "organisation",
    """
, cells_then AS (
    SELECT DISTINCT id FROM win
    WHERE kind IN ('cell', 'grassroots_cell', 'group') AND %(last)s BETWEEN wfrom AND wto
)
SELECT
  (SELECT count(DISTINCT id) FROM win w WHERE w.kind = 'cell' AND %(last)s BETWEEN w.wfrom AND w.wto),
  (SELECT count(*) FROM org_membership ms
     JOIN cells_then c ON c.id = ms.unit_id
     JOIN org_partymember pm ON pm.id = ms.member_id
     WHERE ms.valid_from <= %(last)s AND (ms.valid_to IS NULL OR ms.valid_to >= %(last)s)
       AND pm.admitted_on <= %(last)s AND (pm.left_on IS NULL OR pm.left_on > %(last)s))
""",
)
def _organisation(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    cells, members = rows[0]
    return {"organisation.units.cell": cells, "organisation.members": members}


@floor(
    "ratings",
    """
SELECT r.subject_kind, r.level, count(*) FROM ratings_rating r
JOIN win w ON w.id = r.unit_id AND make_date(r.year, 12, 31) BETWEEN w.wfrom AND w.wto
WHERE r.status = 'decided' AND r.year BETWEEN %(first_year)s AND %(last_year)s
GROUP BY 1, 2
""",
)
def _ratings(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    names = {"member": "members", "organisation": "organisations"}
    return {f"ratings.{names[kind]}.{level}": n for kind, level, n in rows if kind in names}


def floors(unit: Any, period: Any, report: dict[str, Any]) -> None:
    from decimal import Decimal

    from django.db import connection

    years = [
        y for y in range(period.start.year, period.end.year + 1) if period.start <= D(y, 12, 31) <= period.end
    ]
    params = {
        "root": unit.pk,
        "start": period.start,
        "end": period.end,
        "last": min(period.end, unit.valid_to or period.end),
        "first_year": years[0],
        "last_year": years[-1],
    }
    total = 0.0
    for name, (sql, reader) in FLOORS.items():

        def query(sql: str = sql) -> list[tuple[Any, ...]]:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())

        query()
        seconds = median_time(query)
        total += seconds
        values = reader(query())
        wrong = {
            key: (value, report.get(key))
            for key, value in values.items()
            if (float(value) if isinstance(value, Decimal) else value) != report.get(key)
        }
        print(f"floor {unit.name} {name}: {seconds:.2f} s{' DIFFERS ' + str(wrong) if wrong else ' (equal)'}")
    print(f"floor {unit.name}: sum {total:.2f} s")


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def pages(province: Any, district: Any, only: list[str] | None = None) -> None:
    from urllib.parse import urlencode

    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from lantoa.accounts.models import User
    from lantoa.documents.models import Obligation
    from lantoa.org.models import Role, RoleGrant

    def user(username: str, role: str, unit: Any) -> Any:
        with transaction.atomic():
            found, _created = User.objects.get_or_create(username=username)
            RoleGrant.objects.get_or_create(
                user=found, unit=unit, role=role, defaults={"valid_from": D(2020, 1, 1)}
            )
        return found

    readers = {
        "province admin": user("bench.admin", Role.ADMIN, province),
        "district officer": user("bench.district", Role.PROPAGANDA, district),
    }
    # The latest plan the province asked of every cell (``seed_scale``'s plans filed).
    obligation = Obligation.objects.filter(unit=province).order_by("-deadline").first()
    for who, reader in readers.items():
        unit = province if who == "province admin" else district
        client = Client()
        client.force_login(reader)
        urls = {
            # Counted on this request, and (a province's) read from the 15 minutes' memory.
            "dashboard (counted)": f"{reverse('reports:dashboard')}?unit={unit.key}&recount=1",
            "dashboard": f"{reverse('reports:dashboard')}?unit={unit.key}",
            "records (first page)": reverse("reports:records")
            + "?"
            + urlencode(
                {
                    "unit": unit.key,
                    "from": "18/05/2021",
                    "to": "30/04/2024",
                    "statistic": "honours.cells.individuals",
                }
            ),
            "tree": reverse("org:tree"),
            "people search": f"{reverse('org:people')}?q=nguyen+van",
            "meetings of a month": f"{reverse('cells:meetings')}?unit={unit.key}&month=2023-03",
            "cells without a meeting": f"{reverse('cells:missing_meetings')}?unit={unit.key}&month=2023-03",
        }
        if obligation is not None:
            urls["compliance of an obligation"] = reverse(
                "documents:obligation", kwargs={"public_id": obligation.public_id}
            )
        for name, url in urls.items():
            if only and name not in only:
                continue

            def get(url: str = url, client: Client = client) -> Any:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            get()
            seconds = median_time(get)
            queries = counted_queries(get)
            size = len(get().content)
            print(f"page {who} {name}: {seconds:.2f} s, {queries} queries, {size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
