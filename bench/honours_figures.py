"""Benchmark: the honours figures of a whole province (``lantoa.honours.counts``), as the figures
page and the review reports ask for them.

    .venv/bin/python bench/honours_figures.py [--cells 10000] [--pg | --built URL]

Builds, in a fresh database, a province of 100 communes with 100 cells each (10 000 cells, the
size the programme gives a province) and three years of recognitions: every cell praises 10 of
its examples a year by one decision, every commune rewards 3 and praises 10 a year, so about
300 000 cell recognitions and 3 900 commune ones. Then times the counts for the province over
the three years, for one commune, and the figures page itself (the whole request, as the
province's propaganda staff, with the first and with the last page of names), each the median
of five. bench/RESULTS.md has the figures.
``--built URL`` times again on a database an earlier run built (the build takes minutes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
os.environ.setdefault("LANTOA_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

D = dt.date
YEARS = (2021, 2022, 2023)
PER_CELL = 10
COMMUNE_REWARDS, COMMUNE_PRAISES = 3, 10


def timed(work, rounds: int = 5) -> float:
    spent = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        spent.append(time.perf_counter() - began)
    return statistics.median(spent)


def build(cells_wanted: int) -> None:
    from django.db import transaction

    from lantoa.documents.models import Document
    from lantoa.honours.models import Decision, Nomination, Recognition, subject_key
    from lantoa.org.models import Person, Unit, UnitKind, UnitParentage

    communes_wanted = max(1, cells_wanted // 100)
    start = D(1976, 1, 1)
    with transaction.atomic():
        province = Unit.objects.create(
            key="tinh", name="Tỉnh ủy Thử", kind=UnitKind.PROVINCE, short_code="TU", valid_from=start
        )
        communes = Unit.objects.bulk_create(
            Unit(
                key=f"xa-{c}",
                name=f"Đảng ủy xã {c}",
                kind=UnitKind.COMMUNE,
                short_code="ĐU",
                valid_from=start,
            )
            for c in range(communes_wanted)
        )
        cells = Unit.objects.bulk_create(
            Unit(key=f"xa-{c}-ap-{h}", name=f"Chi bộ ấp {h} xã {c}", kind=UnitKind.CELL, valid_from=start)
            for c in range(communes_wanted)
            for h in range(100)
        )
        UnitParentage.objects.bulk_create(
            [UnitParentage(unit=u, parent=province, valid_from=start) for u in communes]
            + [
                UnitParentage(unit=cell, parent=communes[n // 100], valid_from=start)
                for n, cell in enumerate(cells)
            ]
        )
        plans = []  # (unit, kind, day, subjects)
        for year in YEARS:
            for cell in cells:
                plans.append((cell, "praise", D(year, 12, 20), PER_CELL))
            for commune in communes:
                plans.append((commune, "reward", D(year + 1, 1, 18), COMMUNE_REWARDS))
                plans.append((commune, "praise", D(year + 1, 1, 18), COMMUNE_PRAISES))
        documents, decisions = [], []
        for number, (unit, kind, day, _subjects) in enumerate(plans, start=1):
            documents.append(
                Document(
                    issuer_unit=unit,
                    issuer_name=unit.name,
                    issuer_code="ĐU",
                    type_code="QĐ",
                    number=number,
                    year=day.year,
                    issued_on=day,
                    summary=f"về việc {kind}",
                    identity=f"bench|{number}",
                )
            )
        Document.objects.bulk_create(documents, batch_size=5000)
        for (unit, kind, day, _subjects), document in zip(plans, documents, strict=True):
            decisions.append(
                Decision(
                    unit=unit, kind=kind, year=day.year, reason="tiêu biểu", document=document, decided_on=day
                )
            )
        Decision.objects.bulk_create(decisions, batch_size=5000)
        # Each unit's people: the same ones come back year after year (distinct subjects < count).
        people = {
            unit.pk: Person.objects.bulk_create(
                [Person(full_name=f"Đảng viên {n} {unit.key}") for n in range(PER_CELL + COMMUNE_PRAISES)],
                batch_size=5000,
            )
            for unit in [*communes, *cells]
        }
        nominations, recognitions = [], []
        for (unit, _kind, day, subjects), decision in zip(plans, decisions, strict=True):
            for n in range(subjects):
                collective = n == 0
                nomination = Nomination(
                    unit=unit,
                    holder=unit,
                    subject_name=f"Tập thể {unit.key}" if collective else "",
                    subject_person=None if collective else people[unit.pk][n + (day.year % 2)],
                    period_kind="year",
                    period_start=D(day.year, 1, 1),
                    period_end=D(day.year, 12, 31),
                    achievements="Thành tích",
                    nominated_on=day,
                    status="recognised",
                )
                nominations.append(nomination)
                recognitions.append(
                    Recognition(
                        decision=decision,
                        nomination=nomination,
                        subject_kind="collective" if collective else "person",
                        subject_label=nomination.subject_name or nomination.subject_person.full_name,
                        achievement="Thành tích",
                        order=n + 1,
                    )
                )
        for nomination in nominations:
            nomination.subject_person_id = nomination.subject_person.pk if nomination.subject_person else None
        Nomination.objects.bulk_create(nominations, batch_size=5000)
        for recognition in recognitions:
            recognition.nomination_id = recognition.nomination.pk
            recognition.subject_key = subject_key(recognition.nomination)
        Recognition.objects.bulk_create(recognitions, batch_size=5000)
    print(f"{len(cells):,} cells, {len(decisions):,} decisions, {len(recognitions):,} recognitions")


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from lantoa.honours import counts
    from lantoa.org.models import Role, RoleGrant, Unit

    province = Unit.objects.get(key="tinh")
    commune = Unit.objects.get(key="xa-0")
    window = (D(2021, 5, 1), D(2024, 4, 30))
    figure = counts.by_cells_under_committees(province, *window)
    print(f"by cells: {figure.collectives:,} collectives, {figure.individuals:,} individuals")
    for label, work in (
        ("counts, province, by cells", lambda: counts.by_cells_under_committees(province, *window)),
        ("counts, province, directly under", lambda: counts.by_units_directly_under(province, *window)),
        ("counts, one commune, by cells", lambda: counts.by_cells_under_committees(commune, *window)),
    ):
        print(f"{label}: {timed(work):.3f} s")
    user = get_user_model().objects.filter(username="bench").first()
    if user is None:
        user = get_user_model().objects.create_user(username="bench", password="x" * 20)
        RoleGrant.objects.create(user=user, unit=province, role=Role.PROPAGANDA, valid_from=D(2020, 1, 1))
    client = Client()
    client.force_login(user)
    url = (
        reverse("honours:figures")
        + "?unit=tinh&from=01/05/2021&to=30/04/2024&line=cells&subjects=individuals"
    )
    for label, address in (("the first", url), ("the last", url + "&page=last")):
        assert client.get(address, secure=True).status_code == 200
        page = timed(lambda address=address: client.get(address, secure=True))
        print(f"figures page (province, with {label} page of names): {page:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--pg", action="store_true", help="on the scripts/pg.sh cluster, not SQLite")
    parser.add_argument("--built", metavar="URL", help="a database an earlier run built: time only")
    args = parser.parse_args()
    if args.built:
        os.environ["DATABASE_URL"] = args.built
    elif not args.pg:
        folder = tempfile.mkdtemp(prefix="lantoa-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not args.built:
        began = time.perf_counter()
        build(args.cells)
        print(f"built in {time.perf_counter() - began:.0f} s")
    measure()


if __name__ == "__main__":
    main()
