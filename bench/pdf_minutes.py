"""Benchmark: how long a cell secretary waits for a meeting's minutes as PDF, cold and warm.

    make demo && .venv/bin/python bench/pdf_minutes.py [--rounds 10]

Uses the demo database (var/lantoa.sqlite3, built by `make demo` or `make run`): the newest
meeting of Chi bộ ấp Phước Thạnh whose minutes are approved, asked for as its secretary would,
through the whole Django request (`GET /meetings/<id>/minutes.pdf`: access check, the minutes
query, the Word document, LibreOffice, the audit entry), timed from outside.

- *cold*: ``LANTOA_PDF_WARM=0``, every request starts a LibreOffice of its own (what every PDF
  cost before the warm converter);
- *warm, first*: the first request of a fresh web process, which starts the warm LibreOffice
  (what ``prewarm()`` in lantoa/wsgi.py hides by starting it with the process);
- *warm*: every later request.

Prints the median, fastest and slowest of each; bench/RESULTS.md has the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
os.environ.setdefault("LANTOA_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds

    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from lantoa.cells.models import Meeting
    from lantoa.lib import pdf
    from lantoa.org.models import Role, RoleGrant

    meeting = (
        Meeting.objects.filter(
            unit__key="chi-bo-ap-phuoc-thanh-an-khanh", status="approved", items__content__gt=""
        )
        .order_by("-date")
        .select_related("unit")
        .first()
    )
    if meeting is None:
        sys.exit("No demo meeting with minutes: run `make demo` first.")
    secretary = (
        RoleGrant.objects.filter(unit=meeting.unit, role=Role.SECRETARY).select_related("user").first()
    )
    client = Client()
    client.force_login(secretary.user)
    url = reverse("cells:minutes_pdf", args=[meeting.public_id])

    def one() -> float:
        started = time.perf_counter()
        response = client.get(url, secure=True)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        assert response.content.startswith(b"%PDF")
        return elapsed

    os.environ["LANTOA_PDF_WARM"] = "0"
    cold = [one() for _ in range(rounds)]
    os.environ["LANTOA_PDF_WARM"] = "1"
    first = one()
    warm = [one() for _ in range(rounds)]
    pdf._warm_office.stop()

    print(f"{meeting.unit.name}, {meeting.date:%d/%m/%Y}, {rounds} requests each")
    print(f"{'':12} {'median':>8} {'fastest':>8} {'slowest':>8}")
    for name, times in (("cold", cold), ("warm", warm)):
        print(f"{name:12} {statistics.median(times):8.3f} {min(times):8.3f} {max(times):8.3f}")
    print(f"{'warm, first':12} {first:8.3f}")


if __name__ == "__main__":
    main()
