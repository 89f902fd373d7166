"""Background work for reports: a thin wrapper that takes the run's id and calls the service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def generate_report(run_id: int) -> None:
    services.generate(run_id)
