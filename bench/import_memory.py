"""Benchmark: peak memory of importing any file (goal: under 250 MB), legitimate or hostile.

    .venv/bin/python bench/import_memory.py

Each case runs in a fresh process (real settings, production mode, a fresh SQLite database with
a district of 20 communes and 200 cells) that checks the file and, when the check passes, writes
it, as the import worker does, then imports the same file again (every member found, nothing
changed); it reports the process's peak resident memory (VmHWM), the outcome and the time.
The files are built in bench/out/ (git-ignored):

- the 100 000-member files of bench/import_members.py, in both layouts (openpyxl's, Excel's);
- a 1 MB .xlsx whose sheet unfolds to 1 GiB of blanks (the review's zip bomb);
- a 300 KB .xlsx holding a 300 MB shared string;
- an .xlsx with 300 rows 16 000 cells wide;
- a 30 MB .csv (the largest upload accepted) of member rows.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))

import import_members  # noqa: E402 - the generator and the tree of the speed benchmark


def _header_row(small: Path) -> list[str]:
    """The header row of Lan Tỏa's own member file."""
    from openpyxl import load_workbook

    book = load_workbook(small, read_only=True)
    return [str(value) for value in next(book.worksheets[0].iter_rows(values_only=True))]


def _zip_with(base: Path, target: Path, part: str, data_stream, size: int) -> None:
    """``base`` with ``part`` replaced by ``size`` bytes from ``data_stream`` (compressed as it
    is written, so a gigabyte never sits in this process's memory)."""
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename == part:
                continue
            out.writestr(info.filename, source.read(info.filename))
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as handle:
            written = 0
            for chunk in data_stream:
                handle.write(chunk)
                written += len(chunk)
        assert written == size


def build_hostile(small: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    bomb = OUT / "bomb-1gib-blanks.xlsx"
    if not bomb.exists():
        gib = 1024 * 1024 * 1024
        head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        tail = b"</sheetData></worksheet>"
        blanks = (b" " * (1 << 20) for _ in range((gib - len(head) - len(tail)) // (1 << 20)))
        chunks = [head, *blanks, tail]
        _zip_with(small, bomb, "xl/worksheets/sheet1.xml", iter(chunks), sum(map(len, chunks)))
    files["1 MB .xlsx unfolding to 1 GiB of blanks"] = bomb
    strings = OUT / "bomb-300mb-shared-string.xlsx"
    if not strings.exists():
        head, tail = b"<sst><si><t>", b"</t></si></sst>"
        body = (b"a" * (1 << 20) for _ in range(300))
        chunks = [head, *body, tail]
        _zip_with(small, strings, "xl/sharedStrings.xml", iter(chunks), sum(map(len, chunks)))
    files["300 KB .xlsx with a 300 MB shared string"] = strings
    wide = OUT / "wide-16000-columns.xlsx"
    if not wide.exists():
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(_header_row(small))
        letters = "ABCDEGHIKLMNOPQRSTUVXY"
        _key, cell = import_members.cell_names()[0]
        for n in range(300):
            name = f"Người Thứ {letters[n % len(letters)]} {letters[n // len(letters)]}"
            member = [
                n + 1,
                name,
                str(91000000 + n),
                None,
                None,
                None,
                None,
                None,
                None,
                "02/09/2005",
                None,
                cell,
            ]
            sheet.append(member + ["x"] * (16_000 - len(member)))
        book.save(wide)
    files[".xlsx, 300 rows 16 000 cells wide"] = wide
    return files


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value


def build_csv(xlsx: Path) -> Path:
    """The 100 000 members as CSV, repeated up to the 30 MB upload limit."""
    target = OUT / "members-30mb.csv"
    if target.exists():
        return target
    import csv

    from openpyxl import load_workbook

    book = load_workbook(xlsx, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header, members = rows[0], rows[1:]
    card = header.index("Số thẻ đảng viên")
    with target.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for copy in range(3):  # the same people again under other card numbers, up to 30 MB
            for row in members:
                values = [_csv_value(value) for value in row]
                values[card] = str(int(values[card]) + 10_000_000 * copy)
                writer.writerow(values)
                if handle.tell() > 30 * 1024 * 1024 - 400:
                    return target
    return target


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    process that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(path: Path) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    django.setup()
    from django.core.management import call_command

    from lantoa.imports.checking import check_file
    from lantoa.imports.services import write_plan

    call_command("migrate", verbosity=0)
    district = import_members.build_tree()
    started = time.perf_counter()
    before = peak_mb()
    with path.open("rb") as stream:
        plan = check_file(stream, path.name, district, actor=None)
    outcome = "refused: " + plan.problems[0].message if plan.problems else "imported"
    if not plan.problems:
        write_plan(plan, actor=None)
        outcome += f" {plan.counts['new']:,} new"
        del plan
        # The same file again: every member is found and compared (the re-import of an export).
        with path.open("rb") as stream:
            again = check_file(stream, path.name, district, actor=None)
        write_plan(again, actor=None)
        outcome += f", then again: {again.counts['unchanged']:,} unchanged"
    print(
        json.dumps(
            {
                "outcome": str(outcome),
                "seconds": time.perf_counter() - started,
                "before_mb": before,
                "peak_mb": peak_mb(),
            }
        )
    )


def run(path: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-lantoa-") as var_dir:
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
        command = [sys.executable, __file__, "--worker", str(path)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    members, excel, small = (
        OUT / "members-100000.xlsx",
        OUT / "members-100000-excel.xlsx",
        OUT / "members-1.xlsx",
    )
    if not members.exists():
        import_members.generate(members, 100_000)
    if not excel.exists():
        import_members.excel_layout(members, excel)
    if not small.exists():
        import_members.generate(small, 1)
    cases = {
        "100 000 members (openpyxl layout, 8 MB)": members,
        "100 000 members (Excel layout, 8 MB)": excel,
        "100 000 members as .csv, repeated to 30 MB": build_csv(members),
        **build_hostile(small),
    }
    lines = [
        "| File | Outcome | Time (s) | Peak memory (MB) | Of which before the file (MB) |",
        "|---|---|---|---|---|",
    ]
    for label, path in cases.items():
        result = run(path)
        print(
            f"{label}: {result['outcome']} in {result['seconds']:.1f} s, "
            f"peak {result['peak_mb']:.0f} MB (before the file: {result['before_mb']:.0f} MB)"
        )
        lines.append(
            f"| {label} | {result['outcome']} | {result['seconds']:.1f} | {result['peak_mb']:.0f} "
            f"| {result['before_mb']:.0f} |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]))
    else:
        main()
