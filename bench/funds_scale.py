"""Benchmark: a large savings fund and a province of funds.

    .venv/bin/python bench/funds_scale.py [--members 300] [--funds 2000] [--pg]

Builds, in a fresh database (a SQLite file in a temporary directory, or with ``--pg`` the database
``bench_lantoa_funds`` on the scripts/pg.sh cluster, created and dropped here):

- a province of 100 communes with 20 cells each (2 000 cells), every cell with a savings fund
  opened 01/01/2021 (the province's administrator lists them);
- one big fund, that of a grassroots organisation with ``--members`` members (300 by default),
  every member saving every month from 01/2021 to 11/2026 (71 months: 21 300 entries), four
  children paid every quarter, a donation each year.

Bulk-inserted (the pages are measured, not the writing of six years). Today is pinned to
07/12/2026. Then times, each the median of five warm runs, and counts the queries of:
  1. the big fund's page, its savings sheet (300 members, the year's arrears), its ledger (first
     page of 2026), its statement of 2026 on screen, and the Word and Excel statements of 2026, as
     its treasurer;
  2. recording one more disbursement (the headroom check reads every later day);
  3. the list of funds as the province's administrator (2 000 funds).
Pages are whole Django requests through the test client in production settings. bench/RESULTS.md
has the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
os.environ.setdefault("LANTOA_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

D = dt.date
TODAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
OPENED = D(2021, 1, 1)
PG_DATABASE = "bench_lantoa_funds"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--funds", type=int, default=2000)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    # A place of its own for the collected static files (production settings need their
    # manifest) and the SQLite file: the checkout's var/ is left alone.
    tmp = tempfile.mkdtemp(prefix="lantoa-funds-bench-")
    os.environ["LANTOA_VAR_DIR"] = tmp
    if args.pg:
        os.environ["DATABASE_URL"] = pg_database("create")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    import time_machine

    with time_machine.travel(TODAY, tick=True):
        import django

        django.setup()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        run(args)
    if args.pg:
        from django.db import connections

        connections.close_all()
        pg_database("drop")


def pg_database(action: str) -> str:
    """The benchmark's own database on the scripts/pg.sh cluster, (re)created or dropped."""
    subprocess.run([str(ROOT / "scripts" / "pg.sh"), "start"], capture_output=True, check=True, cwd=ROOT)
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


def build(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from django.db import transaction

    from lantoa.accounts.models import User
    from lantoa.funds.models import Beneficiary, ContributionRule, EntryKind, Fund, LedgerEntry
    from lantoa.lib.text import initials_of
    from lantoa.org.models import (
        Membership,
        PartyMember,
        Person,
        Role,
        RoleGrant,
        Unit,
        UnitKind,
        UnitParentage,
    )

    started = time.perf_counter()
    with transaction.atomic():
        province = Unit.objects.create(
            key="tinh", name="Tỉnh ủy Bench", kind=UnitKind.PROVINCE, valid_from=D(1976, 1, 1)
        )
        communes = Unit.objects.bulk_create(
            Unit(key=f"xa-{n}", name=f"Đảng ủy xã {n}", kind=UnitKind.COMMUNE, valid_from=D(1976, 1, 1))
            for n in range(100)
        )
        UnitParentage.objects.bulk_create(
            UnitParentage(unit=c, parent=province, valid_from=D(1976, 1, 1)) for c in communes
        )
        per_commune = max(args.funds // 100, 1)
        cells = Unit.objects.bulk_create(
            Unit(
                key=f"cb-{n}-{m}", name=f"Chi bộ ấp {m} xã {n}", kind=UnitKind.CELL, valid_from=D(1976, 1, 1)
            )
            for n in range(100)
            for m in range(per_commune)
        )
        UnitParentage.objects.bulk_create(
            UnitParentage(unit=cell, parent=communes[i // per_commune], valid_from=D(1976, 1, 1))
            for i, cell in enumerate(cells)
        )
        funds = Fund.objects.bulk_create(
            Fund(unit=cell, name=f"Quỹ tiết kiệm {cell.name}", purpose="Đỡ đầu trẻ em", opened_on=OPENED)
            for cell in cells
        )
        ContributionRule.objects.bulk_create(
            ContributionRule(fund=f, valid_from=OPENED, monthly_amount=50_000) for f in funds
        )
        big, big_unit = funds[0], cells[0]
        people = Person.objects.bulk_create(
            Person(full_name=f"Đảng viên {n:04d}") for n in range(args.members)
        )
        members = PartyMember.objects.bulk_create(
            PartyMember(person=p, admitted_on=D(2000, 1, 1), full_member_on=D(2001, 1, 1)) for p in people
        )
        Membership.objects.bulk_create(
            Membership(member=m, unit=big_unit, valid_from=D(2010, 1, 1)) for m in members
        )
        children = Beneficiary.objects.bulk_create(
            Beneficiary(
                fund=big,
                full_name=f"Nguyễn Văn Bé {n}",
                initials=initials_of(f"Nguyễn Văn Bé {n}"),
                birth_year=2015,
                commune="xã 1",
                hamlet="ấp 1",
                situation="Mồ côi",
                guardian_name="Bà",
                guardian_relation="bà",
                sponsored_from=OPENED,
                scheduled_amount=1_200_000,
                every_months=3,
            )
            for n in range(4)
        )
        entries: list[LedgerEntry] = []
        number = 0

        def add(**fields):  # type: ignore[no-untyped-def]
            nonlocal number
            number += 1
            entries.append(LedgerEntry(fund=big, number=number, **fields))

        month = OPENED
        while month < D(2026, 12, 1):
            if month.month == 1:
                add(kind=EntryKind.DONATION, occurred_on=month, amount=5_000_000, source="Mạnh thường quân")
            for m in members:
                add(
                    kind=EntryKind.CONTRIBUTION,
                    occurred_on=month.replace(day=15),
                    amount=50_000,
                    member=m,
                    month=month,
                )
            if month.month in (3, 6, 9, 12):
                for child in children:
                    add(
                        kind=EntryKind.DISBURSEMENT,
                        occurred_on=month.replace(day=25),
                        amount=-1_200_000,
                        beneficiary=child,
                    )
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        user = User.objects.create_user("thuquy")
        RoleGrant.objects.create(user=user, unit=big_unit, role=Role.TREASURER, valid_from=D(2020, 1, 1))
        admin = User.objects.create_user("admin")
        RoleGrant.objects.create(user=admin, unit=province, role=Role.ADMIN, valid_from=D(2020, 1, 1))
    from lantoa.lib.bulk import refresh_planner_statistics

    refresh_planner_statistics()
    took = time.perf_counter() - started
    print(f"built {len(funds)} funds, {len(entries)} entries in the big fund in {took:.1f} s", flush=True)
    return big, children, people, user, admin


def timed(label: str, call) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm
    times = []
    for _ in range(5):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        call()
    print(f"{label:<58} {statistics.median(times) * 1000:8.0f} ms  {len(queries):4d} queries", flush=True)


def run(args: argparse.Namespace) -> None:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from lantoa.funds import services

    big, children, people, user, admin = build(args)
    keeper, boss = Client(), Client()
    keeper.force_login(user)
    boss.force_login(admin)

    def get(client: Client, url: str) -> None:
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)

    key = {"public_id": big.public_id}
    year = "?start=01/01/2026&end=07/12/2026"
    print(f"Big fund: {args.members} members, 71 months; province: {args.funds} funds")
    timed("fund page (treasurer)", lambda: get(keeper, reverse("funds:fund", kwargs=key)))
    timed(
        "savings sheet 11/2026 + arrears (treasurer)",
        lambda: get(keeper, reverse("funds:savings", kwargs=key) + "?month=11/2026"),
    )
    timed("ledger, first page of 2026", lambda: get(keeper, reverse("funds:ledger", kwargs=key) + year))
    timed("statement of 2026 on screen", lambda: get(keeper, reverse("funds:statement", kwargs=key) + year))
    timed(
        "statement of 2026, Word",
        lambda: get(keeper, reverse("funds:statement_file", kwargs={**key, "fmt": "docx"}) + year),
    )
    timed(
        "statement of 2026, Excel",
        lambda: get(keeper, reverse("funds:statement_file", kwargs={**key, "fmt": "xlsx"}) + year),
    )

    def disburse() -> None:
        with transaction.atomic():
            services.record_disbursement(
                actor=user,
                child=children[0],
                day=D(2026, 1, 10),
                amount=100_000,
                handed_by=people[0],
                received_by="Bà",
                slot=D(2026, 1, 1),
            )
            transaction.set_rollback(True)

    timed("record a disbursement dated 10/01/2026 (headroom)", disburse)
    timed("list of funds, province administrator", lambda: get(boss, reverse("funds:index")))


if __name__ == "__main__":
    main()
