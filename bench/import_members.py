"""Benchmark: importing 100 000 party members from an .xlsx file.

    .venv/bin/python bench/import_members.py [--rows 100000] [--skip-pg] [--profile]

1. Generates deterministic, realistic rows (Vietnamese names, dates, 200 cells in 20 communes)
   into bench/out/members-<rows>.xlsx (kept between runs; git-ignored).
2. Times openpyxl's bare read-only iteration over all rows (values only), best of two.
3. Times the full import (check + write, the service the web and the command line use) into a
   fresh SQLite database, then into a fresh PostgreSQL database on the scripts/pg.sh cluster
   (``bench_lantoa_import``, created and dropped here). Each import runs in its own process so
   that settings and connections are those of a real run. A second import of the same file
   (everything unchanged) is timed too.
4. Prints rows/s and the ratio import time / bare read time (the goal is at most 2×), and a
   Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_DATABASE = "bench_lantoa_import"

SURNAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai",
]  # fmt: skip
MALE_MIDDLE = ["Văn", "Minh", "Hữu", "Đức", "Quốc", "Thanh", "Công", "Hoàng", "Tấn", "Ngọc"]
FEMALE_MIDDLE = ["Thị", "Thị Kim", "Thị Ngọc", "Thanh", "Ngọc", "Thị Thu", "Thị Mỹ", "Hồng"]
MALE_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Quang",
    "Sơn", "Tâm", "Thành", "Thắng", "Trí", "Tuấn", "Việt", "Vinh", "Hải", "Hiếu",
]  # fmt: skip
FEMALE_GIVEN = [
    "Anh", "Cúc", "Diệu", "Hà", "Hạnh", "Hiền", "Hoa", "Hương", "Lan", "Linh",
    "Mai", "Ngân", "Nhung", "Phượng", "Thảo", "Trang", "Tuyết", "Vân", "Vy", "Yến",
]  # fmt: skip
COMMUNES = [
    "An Khánh", "Tân Thạch", "Phú Túc", "Tiên Thủy", "Quới Sơn", "Giao Long", "Phú An Hòa",
    "An Hóa", "Tân Phú", "Phước Thạnh", "Tường Đa", "Sơn Hòa", "Hữu Định", "Tam Phước",
    "Thành Triệu", "Phú Đức", "An Phước", "Tiên Long", "Quới Thành", "Tân Thạch Đông",
]  # fmt: skip
HAMLETS = ["Phước Thạnh", "Phú Thạnh", "Tân Thạnh", "An Thới", "Bình Thạnh", "Long Hòa",
           "Thới Lợi", "Phú Hòa", "Tân Hòa", "Hòa Lợi"]  # fmt: skip
ETHNICITIES = ["Kinh"] * 95 + ["Khmer"] * 3 + ["Hoa"] * 2
RELIGIONS = ["Không"] * 80 + ["Phật giáo"] * 10 + ["Công giáo"] * 6 + ["Cao Đài"] * 4


def cell_names() -> list[tuple[str, str]]:
    """(key, name) of the 200 cells: 10 hamlets in each of 20 communes."""
    cells = []
    for c, commune in enumerate(COMMUNES):
        for h, hamlet in enumerate(HAMLETS):
            cells.append((f"cb-{c:02d}-{h:02d}", f"Chi bộ ấp {hamlet} xã {commune}"))
    return cells


def generate(path: Path, rows: int) -> float:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    sys.path.insert(0, str(ROOT))
    from lantoa.imports.columns import COLUMNS

    rng = random.Random(20211805)  # deterministic: the same file every time
    cells = cell_names()
    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đảng viên")
    sheet.append([column.header for column in COLUMNS])

    def date_cell(value: dt.date | None) -> object:
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "dd/mm/yyyy"
        return cell

    for n in range(rows):
        female = rng.random() < 0.45
        name = " ".join(
            [
                rng.choice(SURNAMES),
                rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE),
                rng.choice(FEMALE_GIVEN if female else MALE_GIVEN),
            ]
        )
        birth = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
        adult = dt.date(birth.year + 18, birth.month, 1) + dt.timedelta(days=31)  # past the 18th birthday
        admitted = min(adult + dt.timedelta(days=rng.randrange(365 * 25)), dt.date(2024, 6, 30))
        full = admitted + dt.timedelta(days=365) if rng.random() < 0.9 else None
        century = (2 if birth.year < 2000 else 4) + (1 if female else 0) - 2
        id_number = f"083{century}{birth.year % 100:02d}{rng.randrange(10**6):06d}"
        sheet.append(
            [
                n + 1,
                name,
                f"{10000000 + n}",
                date_cell(birth),
                "Nữ" if female else "Nam",
                rng.choice(ETHNICITIES),
                rng.choice(RELIGIONS),
                id_number,
                f"09{rng.randrange(10**8):08d}",
                date_cell(admitted),
                date_cell(full),
                cells[n % len(cells)][1],
            ]
        )
    OUT.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return time.perf_counter() - started


def excel_layout(source: Path, target: Path) -> None:
    """The same workbook laid out as Excel saves it: text in a shared-string table and a
    <dimension> element. openpyxl writes every string inline and, in write-only mode, no
    dimension; both make its reader slower, so a file saved by Excel reads faster than the
    file this script (or Lan Tỏa's export) writes, and the import's share of the time grows."""
    import re
    import zipfile

    strings: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        index = strings.setdefault(match.group(3), len(strings))
        return f'<c r="{match.group(1)}"{match.group(2) or ""} t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    sheet = re.sub(
        r'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t>(.*?)</t></is></c>', shared, sheet
    )
    last_row = max(int(number) for number in re.findall(r'<row r="([0-9]+)"', sheet[-5000:]))
    sheet = sheet.replace("</sheetPr>", f'</sheetPr><dimension ref="A1:L{last_row}"/>', 1)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml" Id="rIdShared"/></Relationships>',
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def bare_read(path: Path, *, gc_paused: bool = False) -> dict[str, float]:
    """openpyxl alone: read-only, values only, every row; wall-clock and CPU seconds. With
    ``gc_paused`` the cycle collector is off, as during the import (for comparison only)."""
    import gc

    from openpyxl import load_workbook

    if gc_paused:
        gc.disable()
    started, cpu = time.perf_counter(), time.process_time()
    book = load_workbook(path, read_only=True)
    count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    result = {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu, "rows": count - 1}
    gc.enable()
    return result


# ---------------------------------------------------------------------------------------------
# The import, in a fresh process per database
# ---------------------------------------------------------------------------------------------


def build_tree():
    """The district of the benchmarks: 20 communes of 10 cells each (Django set up already)."""
    from lantoa.org.models import Unit, UnitKind, UnitParentage

    district = Unit.objects.create(key="chau-thanh", name="Huyện ủy Châu Thành", kind=UnitKind.DISTRICT,
                                   valid_from=dt.date(1976, 1, 1))  # fmt: skip
    for c, commune in enumerate(COMMUNES):
        unit = Unit.objects.create(key=f"xa-{c:02d}", name=f"Đảng ủy xã {commune}", kind=UnitKind.COMMUNE,
                                   valid_from=dt.date(1976, 1, 1))  # fmt: skip
        UnitParentage.objects.create(unit=unit, parent=district, valid_from=unit.valid_from)
        for key, name in cell_names()[c * len(HAMLETS) : (c + 1) * len(HAMLETS)]:
            cell = Unit.objects.create(key=key, name=name, kind=UnitKind.CELL, valid_from=dt.date(1990, 1, 1))
            UnitParentage.objects.create(unit=cell, parent=unit, valid_from=cell.valid_from)
    return district


def worker(path: Path, profile: bool) -> None:
    """Migrate a fresh database, build the tree, import twice; print timings as JSON."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lantoa.imports.checking import check_file
    from lantoa.imports.services import write_plan

    call_command("migrate", verbosity=0)
    district = build_tree()

    results: dict[str, object] = {"vendor": connection.vendor}
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for label in ("first", "again"):
        started, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as stream:
            plan = check_file(stream, path.name, district, actor=None)
        checked = time.perf_counter()
        if plan.problems:
            raise SystemExit(f"unexpected problems: {[p.message for p in plan.problems[:5]]}")
        write_plan(plan, actor=None)
        written = time.perf_counter()
        results[label] = {
            "check": checked - started,
            "write": written - checked,
            "total": written - started,
            # This process only: on PostgreSQL the server's work is not in it.
            "cpu": time.process_time() - cpu,
            "counts": plan.counts,
            # Peak resident memory of this process so far (KiB on Linux).
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        if profiler is not None and label == "first":
            profiler.disable()
            import pstats

            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    print(json.dumps(results))


def run_worker(path: Path, database_url: str | None, profile: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-lantoa-") as var_dir:
        # Production mode: DEBUG would keep every SQL statement in memory.
        env = {
            **os.environ,
            "LANTOA_VAR_DIR": var_dir,
            "LANTOA_TASKS": "immediate",
            "LANTOA_LOG_LEVEL": "WARNING",
            "LANTOA_DEBUG": "0",
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "localhost",
        }
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        command = [sys.executable, __file__, "--worker", str(path)] + (["--profile"] if profile else [])
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if profile:
            sys.stderr.write(done.stderr)
        if done.returncode != 0:
            raise SystemExit(f"import failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def pg_database(action: str) -> str:
    """Create or drop the benchmark database on the scripts/pg.sh cluster; returns its URL."""
    subprocess.run([str(ROOT / "scripts" / "pg.sh"), "start"], check=True)
    base = subprocess.run(
        [str(ROOT / "scripts" / "pg.sh"), "url"], check=True, capture_output=True, text=True
    )
    server = base.stdout.strip().rsplit("/", 1)[0]
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        if action == "create":
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    return f"{server}/{PG_DATABASE}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--layout", choices=("openpyxl", "excel"), action="append", help="default: both")
    parser.add_argument("--profile", action="store_true", help="cProfile the first SQLite import")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.profile)
        return

    files = {"openpyxl": OUT / f"members-{args.rows}.xlsx", "excel": OUT / f"members-{args.rows}-excel.xlsx"}
    if not files["openpyxl"].exists():
        seconds = generate(files["openpyxl"], args.rows)
        print(f"generated {files['openpyxl'].name} in {seconds:.1f} s")
    if not files["excel"].exists():
        excel_layout(files["openpyxl"], files["excel"])
    databases = ["sqlite"] + ([] if args.skip_pg else ["postgresql"])
    lines = [
        (
            "| File layout | Database | Bare read (s) | Bare read, GC paused (s) | Check (s) | Write (s) "
            "| Import (s) | Rows/s | Import / bare read | CPU import / CPU read | Re-import, unchanged (s) |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for layout in args.layout or ["openpyxl", "excel"]:
        path = files[layout]
        for database in databases:
            # The machine is shared: read just before and just after, and compare with the faster.
            before = bare_read(path)
            if database == "postgresql":
                url = pg_database("create")
                try:
                    result = run_worker(path, url, profile=False)
                finally:
                    pg_database("drop")
            else:
                result = run_worker(path, None, args.profile)
            after = bare_read(path)
            read = min(before, after, key=lambda r: r["wall"])
            paused = bare_read(path, gc_paused=True)
            first, again = result["first"], result["again"]
            rows = read["rows"]
            ratio = first["total"] / read["wall"]
            cpu_ratio = f"{first['cpu'] / read['cpu']:.2f}×" if database == "sqlite" else "—"
            print(
                f"{layout} / {database}: bare read {read['wall']:.1f} s; check {first['check']:.1f} s "
                f"+ write {first['write']:.1f} s = {first['total']:.1f} s "
                f"({rows / first['total']:,.0f} rows/s), {ratio:.2f}× (CPU {cpu_ratio}); "
                f"re-import {again['total']:.1f} s, {again['counts']}; peak memory {again['peak_mb']:.0f} MB",
                flush=True,
            )
            lines.append(
                f"| {layout} | {database} | {read['wall']:.1f} | {paused['wall']:.1f} | "
                f"{first['check']:.1f} | {first['write']:.1f} | "
                f"{first['total']:.1f} | {rows / first['total']:,.0f} | {ratio:.2f}× | {cpu_ratio} | "
                f"{again['total']:.1f} |"
            )
    print()
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
