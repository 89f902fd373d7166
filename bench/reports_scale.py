"""Benchmark: the review report, the dashboard and the pages of today at province scale.

    DATABASE_URL=postgres://…/scale_bench .venv/bin/python bench/reports_scale.py [--province tinh-scale]
    … bench/reports_scale.py --floors-only --unit chau-thanh [--unit …] [--from 01/01/2024 --to 31/12/2024]

Runs on a database ``manage.py seed_scale`` filled (10 000 cells, 200 000 members, three years of
meetings with attendance, votes, recognitions and ratings). Today is pinned to 07/12/2026.

1. The 3-year report (18/05/2021–30/04/2024) as JSON (``compute_report`` + ``as_json``, the
   period before included), for the whole province and for one district: wall time (median of
   three), SQL queries, and the peak of Python memory (tracemalloc) of one run.
2. The floor: for each family of figures, one hand-written SQL query computing the same numbers
   (checked equal to the report's, every figure), run for the period and for the one before it
   (as the report counts both) and timed the same way; the report against their sum.
   ``--floors-only``: the report's time and the floors alone, for the ``--unit``s given, over the
   period ``--from``/``--to`` (by default the 3 years).
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


def day(text: str) -> dt.date:
    """18/05/2021 or 2021-05-18."""
    return dt.datetime.strptime(text, "%d/%m/%Y").date() if "/" in text else D.fromisoformat(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="tinh-scale")
    parser.add_argument("--district", help="the district's key (default: the province's first district)")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--only-pages", action="store_true", help="the pages alone (no report, no floors)")
    parser.add_argument("--page", action="append", help="only the pages with this name (repeatable)")
    parser.add_argument(
        "--floors-only",
        action="store_true",
        help="the report's time and the floors alone, for the --unit given (repeatable)",
    )
    parser.add_argument("--unit", action="append", help="with --floors-only: a unit's key (repeatable)")
    parser.add_argument("--from", dest="start", type=day, default=START, help="the period's first day")
    parser.add_argument("--to", dest="end", type=day, default=END, help="the period's last day")
    args = parser.parse_args()
    if args.floors_only and not args.unit:
        parser.error("--floors-only needs --unit")
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

    today = TODAY.date()
    period = Period(args.start, args.end)
    print(f"# {Unit.objects.count():,} units; {period.label()}, and before it {period.previous().label()}")
    if args.floors_only:
        for key in args.unit:
            unit = Unit.objects.get(key=key)

            def timed(unit: Unit = unit) -> dict[str, Any]:
                return as_json(compute_report(unit, period, today))

            timed()  # warm
            seconds = median_time(timed)
            print(f"report {unit.name}: {seconds:.2f} s")
            floors(unit, period, today, timed()["statistics"], seconds)
        return
    province = Unit.objects.get(key=args.province)
    district = (
        Unit.objects.get(key=args.district)
        if args.district
        else Unit.objects.filter(parentages__parent=province, kind=UnitKind.DISTRICT).order_by("key").first()
    )
    assert district is not None
    print(f"# {province.name}")
    if args.only_pages:
        pages(province, district, args.page)
        return
    reports: dict[str, tuple[list[dict[str, Any]], float]] = {}
    for unit in (district, province):

        def report(unit: Unit = unit) -> dict[str, Any]:
            return as_json(compute_report(unit, period, today))

        report()  # warm
        seconds = median_time(report)
        queries = counted_queries(report)
        memory = peak_memory(report)
        reports[unit.key] = (report()["statistics"], seconds)
        print(f"report {unit.name}: {seconds:.2f} s, {queries} queries, peak {memory:.0f} MB (Python)")
    for unit in (province, district):
        floors(unit, period, today, *reports[unit.key])
    if not args.skip_pages:
        pages(province, district, args.page)


# ---------------------------------------------------------------------------------------------
# The floor: hand-written SQL
# ---------------------------------------------------------------------------------------------

CELLS = "('cell', 'grassroots_cell', 'group')"  # org.models.CELL_KINDS


def tree(start: str, end: str, prefix: str = "") -> str:
    """Two CTEs: ``{prefix}sub``, each unit's windows under the root within [start, end] as the
    tree's walk finds them (``org.queries.walk_down``: not clipped to the unit's own life), and
    ``{prefix}win``, those windows clipped to the unit's life (``TreeInPeriod``), with its kind and
    the same widened to whole months (``mfrom``, ``mto``). ``start`` and ``end`` are SQL."""
    return TREE.replace("{prefix}", prefix).replace("{start}", start).replace("{end}", end)


TREE = """
{prefix}sub(id, parent_id, wfrom, wto) AS (
    SELECT u.id, CAST(NULL AS BIGINT), GREATEST(u.valid_from, {start}::date),
           LEAST(COALESCE(u.valid_to, '9999-12-31'), {end}::date)
    FROM org_unit u WHERE u.id = %(root)s
  UNION
    SELECT p.unit_id, p.parent_id, GREATEST(p.valid_from, s.wfrom),
           LEAST(COALESCE(p.valid_to, '9999-12-31'), s.wto)
    FROM org_unitparentage p JOIN {prefix}sub s ON p.parent_id = s.id
    WHERE p.valid_from <= s.wto AND COALESCE(p.valid_to, '9999-12-31') >= s.wfrom
), {prefix}win AS (
    SELECT s.id, s.parent_id, u.kind, GREATEST(s.wfrom, u.valid_from) AS wfrom,
           LEAST(s.wto, COALESCE(u.valid_to, '9999-12-31')) AS wto,
           date_trunc('month', GREATEST(s.wfrom, u.valid_from))::date AS mfrom,
           (date_trunc('month', LEAST(s.wto, COALESCE(u.valid_to, '9999-12-31')))
               + interval '1 month - 1 day')::date AS mto
    FROM {prefix}sub s JOIN org_unit u ON u.id = s.id
    WHERE GREATEST(s.wfrom, u.valid_from) <= LEAST(s.wto, COALESCE(u.valid_to, '9999-12-31'))
)"""


# The period's tree (most families), the one of its whole months (meetings), and the one of its
# last day, the root's end if it ended before (``Context.last_day``: what "as of the end" reads).
PERIOD = ("", "%(start)s", "%(end)s")
MONTHS = ("", "%(month_start)s", "%(month_end)s")
LAST_DAY = ("last_", "%(last)s", "%(last)s")

Reader = Callable[[list[tuple[Any, ...]]], dict[str, Any]]
# name: (the statistics' ids it owns (a prefix), its SQL, what its rows say)
FLOORS: dict[str, tuple[str, str, Reader]] = {}


def floor(
    name: str, sql: str, *, owns: str, trees: tuple[tuple[str, str, str], ...] = (PERIOD,)
) -> Callable[[Reader], Reader]:
    def register(reader: Reader) -> Reader:
        ctes = ",".join(tree(start, end, prefix) for prefix, start, end in trees)
        FLOORS[name] = (owns, "WITH RECURSIVE " + ctes + sql, reader)
        return reader

    return register


def pairs(*zeros: str) -> Reader:
    """Rows of (statistic id, value); the ids of ``zeros`` are 0 when no row says otherwise."""
    return lambda rows: {**dict.fromkeys(zeros, 0), **dict(rows)}


def columns(*ids: str) -> Reader:
    """One row, a value per id."""
    return lambda rows: dict(zip(ids, rows[0], strict=True))


ORGANISATION_KINDS = ("district", "commune", "grassroots", "grassroots_cell", "sub_committee", "cell")


@floor(
    "organisation",
    # The units under the root (but itself) by kind, and the memberships (of a member admitted
    # and not gone) of its cells, on the last day: a one-day tree.
    """
, counted AS (
    SELECT pm.full_member_on FROM org_membership ms
    JOIN org_partymember pm ON pm.id = ms.member_id
    WHERE ms.unit_id IN (SELECT id FROM last_win WHERE kind IN {cells})
      AND ms.valid_from <= %(last)s AND (ms.valid_to IS NULL OR ms.valid_to >= %(last)s)
      AND pm.admitted_on <= %(last)s AND (pm.left_on IS NULL OR pm.left_on > %(last)s)
)
SELECT 'organisation.units.' || kind, count(DISTINCT id) FROM last_win
WHERE id <> %(root)s
  AND kind IN ('district', 'commune', 'grassroots', 'grassroots_cell', 'sub_committee', 'cell')
GROUP BY kind
UNION ALL SELECT 'organisation.members', count(*) FROM counted
UNION ALL SELECT 'organisation.members.probationary', count(*) FROM counted
WHERE full_member_on IS NULL OR full_member_on > %(last)s
""".replace("{cells}", CELLS),
    owns="organisation.",
    trees=(LAST_DAY,),
)
def _organisation(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return pairs(*(f"organisation.units.{kind}" for kind in ORGANISATION_KINDS))(rows)


@floor(
    "plans",
    # The obligations a unit under the root set, due in the period; the units of the kinds asked
    # under the obligation's unit on its deadline (alive that day) must file; the filings of those
    # obligations on time or late; the units that had to and did not, the deadline past today.
    """
, obligation AS (
    SELECT o.id, o.unit_id, o.deadline, o.target_kinds FROM documents_obligation o
    WHERE o.deadline BETWEEN %(start)s AND %(end)s
      AND EXISTS (SELECT 1 FROM win w WHERE w.id = o.unit_id AND o.deadline BETWEEN w.wfrom AND w.wto)
), below(obligation_id, deadline, id) AS (
    SELECT id, deadline, unit_id FROM obligation
  UNION
    SELECT b.obligation_id, b.deadline, p.unit_id
    FROM org_unitparentage p JOIN below b ON p.parent_id = b.id
    WHERE p.valid_from <= b.deadline AND COALESCE(p.valid_to, '9999-12-31') >= b.deadline
), due AS (
    SELECT DISTINCT o.id AS obligation_id, u.id AS unit_id, o.deadline
    FROM below b JOIN obligation o ON o.id = b.obligation_id JOIN org_unit u ON u.id = b.id
    WHERE u.id <> o.unit_id AND o.target_kinds ? u.kind
      AND u.valid_from <= o.deadline AND COALESCE(u.valid_to, '9999-12-31') >= o.deadline
), filed AS (
    SELECT f.obligation_id, f.unit_id, f.filed_on <= o.deadline AS on_time
    FROM documents_filing f JOIN obligation o ON o.id = f.obligation_id
)
SELECT count(*),
       (SELECT count(*) FROM due),
       (SELECT count(*) FILTER (WHERE on_time) FROM filed),
       (SELECT count(*) FILTER (WHERE NOT on_time) FROM filed),
       (SELECT count(*) FROM due d WHERE d.deadline < %(today)s AND NOT EXISTS (
            SELECT 1 FROM documents_filing f
        WHERE f.obligation_id = d.obligation_id AND f.unit_id = d.unit_id))
FROM obligation
""",
    owns="plans.",
)
def _plans(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return columns("plans.obligations", "plans.due", "plans.on_time", "plans.late", "plans.missing")(rows)


@floor(
    "commitments",
    # Commitments registered in the period by a member whose cell that day was under the root.
    """
SELECT count(DISTINCT c.member_id), count(*), count(*) FILTER (WHERE c.done)
FROM documents_commitment c
WHERE c.registered_on BETWEEN %(start)s AND %(end)s AND EXISTS (
    SELECT 1 FROM org_membership ms JOIN win w ON w.id = ms.unit_id
    WHERE ms.member_id = c.member_id AND c.registered_on BETWEEN w.wfrom AND w.wto
      AND ms.valid_from <= c.registered_on AND (ms.valid_to IS NULL OR ms.valid_to >= c.registered_on))
""",
    owns="commitments.",
)
def _commitments(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return columns("commitments.members", "commitments.registered", "commitments.done")(rows)


@floor(
    "meetings",
    # Over the whole months of the period, each cell's windows under the root: a regular meeting
    # owed each month of them, a thematic one each quarter's last month and the month the cell
    # closed (their union counted by a running max, a window's months not already in the cell's
    # earlier ones); the cells and months with a regular meeting held; the cells and quarters with
    # a thematic one held, whose due month (the quarter's last, or the cell's end) the cell was
    # under the root; attendance and study items at the meetings held; the bulletin articles of
    # the units under the root (assigned, and published by the month of their issue).
    """
, cell AS (
    SELECT w.id, w.mfrom, w.mto, u.valid_to,
           GREATEST(w.mfrom, (date_trunc('month', max(w.mto) OVER earlier) + interval '1 month')::date)
               AS new_from
    FROM win w JOIN org_unit u ON u.id = w.id
    WHERE w.kind IN {cells}
    WINDOW earlier AS (
        PARTITION BY w.id ORDER BY w.mfrom, w.mto ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), span AS (  -- month numbers (year × 12 + month: a quarter's last is a multiple of 3)
    SELECT extract(year FROM new_from) * 12 + extract(month FROM new_from) AS a,
           extract(year FROM mto) * 12 + extract(month FROM mto) AS b
    FROM cell
), held AS (
    SELECT m.id, m.unit_id, m.period, m.kind FROM cells_meeting m
    WHERE m.status IN ('held', 'approved') AND m.period BETWEEN %(month_start)s AND %(month_end)s
      AND EXISTS (SELECT 1 FROM cell c WHERE c.id = m.unit_id AND m.period BETWEEN c.mfrom AND c.mto)
), thematic_held AS (
    SELECT DISTINCT m.unit_id, date_trunc('quarter', m.period)
    FROM cells_meeting m JOIN org_unit u ON u.id = m.unit_id
    WHERE m.status IN ('held', 'approved') AND m.kind IN ('thematic', 'combined')
      AND m.period BETWEEN %(quarter_start)s AND %(month_end)s
      AND EXISTS (SELECT 1 FROM cell c WHERE c.id = m.unit_id
          AND LEAST(date_trunc('quarter', m.period) + interval '3 months - 1 day', u.valid_to)
              BETWEEN c.mfrom AND c.mto)
), roll AS (
    SELECT count(*) FILTER (WHERE a.status = 'present') AS present,
           count(*) FILTER (WHERE a.status NOT IN ('exempt', 'elsewhere')) AS counted
    FROM cells_attendance a JOIN held h ON h.id = a.meeting_id
)
SELECT
  (SELECT COALESCE(sum(GREATEST(0, b - a + 1)), 0) FROM span),
  (SELECT count(*) FROM (SELECT DISTINCT unit_id, period FROM held WHERE kind IN ('regular', 'combined')) r),
  (SELECT COALESCE(sum(GREATEST(0, floor(b / 3) - floor((a - 1) / 3))), 0) FROM span)
    + (SELECT count(DISTINCT id) FROM cell WHERE extract(month FROM valid_to) NOT IN (3, 6, 9, 12)
         AND valid_to BETWEEN mfrom AND mto),
  (SELECT count(*) FROM thematic_held),
  (SELECT round(100.0 * present / NULLIF(counted, 0), 2) FROM roll),
  (SELECT count(*) FROM cells_agendaitem i JOIN held h ON h.id = i.meeting_id
     WHERE i.kind = 'study' AND i.presenter_id IS NOT NULL),
  (SELECT count(*) FROM cells_article a WHERE a.status <> 'cancelled' AND EXISTS (
     SELECT 1 FROM win w WHERE w.id = a.cell_id AND a.assigned_on BETWEEN w.mfrom AND w.mto)),
  (SELECT count(*) FROM cells_article a JOIN cells_bulletinissue i ON i.id = a.issue_id
     WHERE a.status = 'published' AND EXISTS (
       SELECT 1 FROM win w WHERE w.id = a.cell_id AND i.period BETWEEN w.mfrom AND w.mto))
""".replace("{cells}", CELLS),
    owns="meetings.",
    trees=(MONTHS,),
)
def _meetings(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return columns(
        "meetings.regular.expected",
        "meetings.regular.held",
        "meetings.thematic.expected",
        "meetings.thematic.held",
        "meetings.attendance_rate",
        "meetings.study_items",
        "meetings.articles.assigned",
        "meetings.articles.published",
    )(rows)


HONOURS_LINES = ("cells", "reward", "praise", "introduce", "own_reward", "own_praise", "own_introduce")


@floor(
    "honours",
    # Recognitions not revoked, by the body that decided them, on the decision's day: the root
    # itself, a unit directly under it, or a cell under a grassroots or commune committee or a
    # sub-committee (introduce and praise only); those decided above the root of nominations put
    # forward under it; the decisions taken under the root; certificates issued for them.
    # (A unit has one window on a day, the parentage not overlapping: a join counts once.)
    """
, decider AS (
    SELECT s.id, s.wfrom, s.wto, s.id = %(root)s AND s.parent_id IS NULL AS own,
           s.parent_id = %(root)s AS directly,
           u.kind = 'cell' AND pu.kind IN ('grassroots', 'commune', 'sub_committee') AS by_cells
    FROM sub s JOIN org_unit u ON u.id = s.id LEFT JOIN org_unit pu ON pu.id = s.parent_id
    WHERE s.wfrom <= s.wto
), subject AS (
    SELECT r.id, r.decision_id, r.nomination_id,
           CASE WHEN r.subject_kind IN ('party_unit', 'collective') THEN 'collectives'
                ELSE 'individuals' END AS subjects
    FROM honours_recognition r WHERE r.revoked_on IS NULL
), counted AS (
    SELECT d.kind, r.subjects, w.own, w.directly, w.by_cells
    FROM subject r JOIN honours_decision d ON d.id = r.decision_id
    JOIN decider w ON w.id = d.unit_id AND d.decided_on BETWEEN w.wfrom AND w.wto
    WHERE d.kind IN ('introduce', 'praise', 'reward')
)
SELECT 'honours.cells.' || subjects, count(*) FROM counted
WHERE by_cells AND kind IN ('introduce', 'praise') GROUP BY subjects
UNION ALL SELECT 'honours.' || kind || '.' || subjects, count(*) FROM counted
WHERE directly GROUP BY kind, subjects
UNION ALL SELECT 'honours.own_' || kind || '.' || subjects, count(*) FROM counted
WHERE own GROUP BY kind, subjects
UNION ALL SELECT 'honours.higher.' || r.subjects, count(*)
FROM subject r JOIN honours_decision d ON d.id = r.decision_id
JOIN honours_nomination n ON n.id = r.nomination_id
WHERE d.decided_on BETWEEN %(start)s AND %(end)s
  AND EXISTS (SELECT 1 FROM win w WHERE w.id = n.unit_id AND d.decided_on BETWEEN w.wfrom AND w.wto)
  AND NOT EXISTS (SELECT 1 FROM win w WHERE w.id = d.unit_id AND d.decided_on BETWEEN w.wfrom AND w.wto)
GROUP BY r.subjects
UNION ALL SELECT 'honours.decisions', count(*) FROM honours_decision d
WHERE EXISTS (SELECT 1 FROM win w WHERE w.id = d.unit_id AND d.decided_on BETWEEN w.wfrom AND w.wto)
UNION ALL SELECT 'honours.certificates', count(*)
FROM honours_certificate c JOIN honours_decision d ON d.id = c.decision_id
WHERE c.issued_on BETWEEN %(start)s AND %(end)s
  AND EXISTS (SELECT 1 FROM win w WHERE w.id = d.unit_id AND c.issued_on BETWEEN w.wfrom AND w.wto)
""",
    owns="honours.",
)
def _honours(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    lines = [
        f"honours.{line}.{subjects}" for line in HONOURS_LINES for subjects in ("collectives", "individuals")
    ]
    return pairs(*lines, "honours.higher.collectives", "honours.higher.individuals")(rows)


@floor(
    "practices",
    # Good practices started, and taken up, in the period by a unit under the root that day.
    """
SELECT
  (SELECT count(*) FROM honours_goodpractice p WHERE p.started_on BETWEEN %(start)s AND %(end)s
     AND EXISTS (SELECT 1 FROM win w WHERE w.id = p.unit_id AND p.started_on BETWEEN w.wfrom AND w.wto)),
  (SELECT count(*) FROM honours_replication p WHERE p.started_on BETWEEN %(start)s AND %(end)s
     AND EXISTS (SELECT 1 FROM win w WHERE w.id = p.unit_id AND p.started_on BETWEEN w.wfrom AND w.wto))
""",
    owns="practices.",
)
def _practices(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return columns("practices.started", "practices.replications")(rows)


RATING_LEVELS = ("excellent", "good", "done", "not_done")  # ratings.models.LEVEL_ORDER


@floor(
    "ratings",
    # Decided ratings of the years whose last day is in the period, by the units under the root
    # that day (the units and years rated; a unit has one window on a day: the join counts once).
    """
SELECT 'ratings.' || r.subject_kind || 's.' || r.level, count(*)
FROM ratings_rating r JOIN (
    SELECT w.id, y.year FROM win w, generate_series(
        extract(year FROM w.wfrom)::int, extract(year FROM w.wto)::int) AS y(year)
    WHERE make_date(y.year, 12, 31) BETWEEN w.wfrom AND w.wto
) rated ON rated.id = r.unit_id AND rated.year = r.year
WHERE r.status = 'decided' AND r.subject_kind IN ('member', 'organisation')
  AND r.level IN ('excellent', 'good', 'done', 'not_done')
GROUP BY r.subject_kind, r.level
""",
    owns="ratings.",
)
def _ratings(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return pairs(*(f"ratings.{s}.{level}" for s in ("members", "organisations") for level in RATING_LEVELS))(
        rows
    )


# The root's term on the last day (``documents.queries.term_on``).
TERM = """(SELECT t.id, t.starts_on, t.ends_on FROM documents_term t
    WHERE t.unit_id = %(root)s AND t.starts_on <= %(last)s AND (t.ends_on IS NULL OR t.ends_on >= %(last)s)
    ORDER BY t.starts_on DESC LIMIT 1)"""


@floor(
    "targets",
    # Each target of the root's term on the last day, year by year from the term's start: read on
    # the year's last day (or the term's, the root's or the period's last day, the first of them)
    # under the root that day: the year's entered actual; the residential cells holding the label
    # (none: no figure); the share of excellent among the decided ratings; the replications of
    # the year. The term's figure: the replications summed, else the last year with a figure.
    """
, term AS {term}
, reading AS (
    SELECT tt.id, tt.indicator, tt.label_id, y.year, term.starts_on,
           LEAST(make_date(y.year, 12, 31), %(last)s, COALESCE(term.ends_on, '9999-12-31'),
                 COALESCE(root.valid_to, '9999-12-31')) AS day
    FROM term JOIN ratings_termtarget tt ON tt.term_id = term.id JOIN org_unit root ON root.id = %(root)s
    CROSS JOIN LATERAL generate_series(
        extract(year FROM term.starts_on)::int,
        extract(year FROM LEAST(COALESCE(term.ends_on, %(last)s), %(last)s))::int) AS y(year)
), actual AS (
    SELECT r.id, r.year, CASE r.indicator
      WHEN 'entered' THEN (
        SELECT a.value FROM ratings_targetactual a WHERE a.target_id = r.id AND a.year = r.year LIMIT 1)
      WHEN 'cells_labelled' THEN (
        SELECT NULLIF(count(*), 0) FROM ratings_unitlabel l
        JOIN win c ON c.id = l.unit_id AND r.day BETWEEN c.wfrom AND c.wto
        JOIN org_unit u ON u.id = l.unit_id
        WHERE l.kind_id = r.label_id AND l.year = r.year AND c.kind IN {cells} AND u.residential)
      WHEN 'practices' THEN (
        SELECT count(*) FROM honours_replication p
        JOIN win c ON c.id = p.unit_id AND r.day BETWEEN c.wfrom AND c.wto
        WHERE extract(year FROM p.started_on) = r.year)
      ELSE (
        SELECT round(100.0 * count(*) FILTER (WHERE g.level = 'excellent') / NULLIF(count(*), 0), 2)
        FROM ratings_rating g JOIN win c ON c.id = g.unit_id AND r.day BETWEEN c.wfrom AND c.wto
        WHERE g.year = r.year AND g.status = 'decided'
          AND g.subject_kind = CASE r.indicator WHEN 'members_excellent' THEN 'member'
                                                ELSE 'organisation' END)
    END AS value
    FROM reading r WHERE r.day >= r.starts_on AND extract(year FROM r.day) = r.year
)
SELECT tt.indicator, CASE WHEN tt.indicator = 'practices' THEN sum(a.value)
       ELSE (array_agg(a.value ORDER BY a.year DESC) FILTER (WHERE a.value IS NOT NULL))[1] END
FROM term JOIN ratings_termtarget tt ON tt.term_id = term.id LEFT JOIN actual a ON a.id = tt.id
GROUP BY tt.id, tt.position, tt.indicator ORDER BY tt.position, tt.id
""".replace("{cells}", CELLS).replace("{term}", TERM),
    owns="targets.",
    trees=(("", "(SELECT starts_on FROM {term} t)".replace("{term}", TERM), "%(last)s"),),
)
def _targets(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for indicator, value in rows:  # the ids ``TargetsFamily`` gives: a second one of a kind is ".2"
        key, n = f"targets.{indicator}", 1
        while key in found:
            n += 1
            key = f"targets.{indicator}.{n}"
        found[key] = value
    return found


@floor(
    "funds",
    # The funds of the units under the root on the last day, opened by then, their balance that
    # day and the children they sponsored in the period; the money moved in the period in the
    # funds whose unit was under the root on the entry's day, a reversal as what it undoes.
    # (The report reads "on the last day" in the period's tree: for a period that starts after
    # the root ended, it finds no fund where its docstring, and this floor, find the root's own.)
    """
, fund AS (
    SELECT f.id FROM funds_fund f WHERE f.opened_on <= %(last)s AND f.unit_id IN (SELECT id FROM last_win)
), moved AS (
    SELECT CASE WHEN e.kind = 'reversal' THEN undone.kind ELSE e.kind END AS kind, e.amount
    FROM funds_ledgerentry e JOIN funds_fund f ON f.id = e.fund_id
    LEFT JOIN funds_ledgerentry undone ON undone.id = e.reverses_id
    WHERE e.occurred_on BETWEEN %(start)s AND %(end)s
      AND EXISTS (SELECT 1 FROM win w WHERE w.id = f.unit_id AND e.occurred_on BETWEEN w.wfrom AND w.wto)
)
SELECT
  (SELECT count(*) FROM fund),
  (SELECT COALESCE(sum(amount), 0) FROM moved WHERE kind = 'contribution'),
  (SELECT COALESCE(sum(amount), 0) FROM moved WHERE kind = 'donation'),
  (SELECT -COALESCE(sum(amount), 0) FROM moved WHERE kind = 'disbursement'),
  (SELECT COALESCE(sum(e.amount), 0) FROM funds_ledgerentry e
     WHERE e.fund_id IN (SELECT id FROM fund) AND e.occurred_on <= %(last)s),
  (SELECT count(*) FROM funds_beneficiary b WHERE b.fund_id IN (SELECT id FROM fund)
     AND b.sponsored_from <= %(end)s AND (b.sponsored_to IS NULL OR b.sponsored_to >= %(start)s))
""",
    owns="funds.",
    trees=(PERIOD, LAST_DAY),
)
def _funds(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return columns(
        "funds.funds",
        "funds.savings",
        "funds.donations",
        "funds.disbursements",
        "funds.balance",
        "funds.children",
    )(rows)


def plain(value: Any) -> Any:
    """A number as ``compute.plain_number`` writes it in the JSON (a Decimal as an int or a float)."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def floor_params(unit: Any, period: Any, today: dt.date) -> dict[str, Any]:
    from lantoa.cells.queries.figures import month_end, month_start, quarter_start

    return {
        "root": unit.pk,
        "start": period.start,
        "end": period.end,
        "last": min(period.end, unit.valid_to or period.end),
        "today": today,
        "month_start": month_start(period.start),
        "month_end": month_end(period.end),
        "quarter_start": quarter_start(period.start),
    }


def floors(
    unit: Any, period: Any, today: dt.date, report: list[dict[str, Any]], report_seconds: float
) -> None:
    """Each family's floor over the period and the one before, checked against the report's
    ``value`` and ``previous``; their sum against the report (which counts both periods)."""
    from django.db import connection

    periods = {"value": period, "previous": period.previous()}
    total = 0.0
    covered: set[str] = set()
    for name, (owns, sql, reader) in FLOORS.items():
        seconds, wrong = 0.0, {}
        lines = {line["id"]: line for line in report if line["id"].startswith(owns)}
        covered |= lines.keys()
        for which, counted in periods.items():
            params = floor_params(unit, counted, today)

            def query(params: dict[str, Any] = params, sql: str = sql) -> list[tuple[Any, ...]]:
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    return list(cursor.fetchall())

            query()
            seconds += median_time(query)
            found = {key: plain(value) for key, value in reader(query()).items()}
            # Every figure the report shows (and, for the period itself, every one the floor finds).
            keys = lines.keys() | (found.keys() if which == "value" else set())
            for key in sorted(keys):
                expected = lines[key][which] if key in lines else None
                if found.get(key) != expected:
                    wrong[f"{key} ({which})"] = (found.get(key), expected)
        total += seconds
        print(f"floor {unit.name} {name}: {seconds:.2f} s{' DIFFERS ' + str(wrong) if wrong else ' (equal)'}")
    missing = sorted({line["id"] for line in report} - covered)
    if missing:
        print(f"floor {unit.name}: no floor for {missing}")
    print(f"floor {unit.name}: sum {total:.2f} s (the period and the one before)")
    print(f"report {unit.name} ÷ floors: {report_seconds / total:.2f}×")


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
