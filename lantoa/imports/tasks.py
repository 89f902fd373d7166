"""Background work for imports: thin wrappers that take a job id and call the service.

A database worker (``manage.py db_worker``) runs them in production; tests and small installs run
them inline (``LANTOA_TASKS=immediate``). The services record failures on the job themselves.
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def validate_import(job_id: int) -> None:
    services.validate_job(job_id=job_id)


@task()
def apply_import(job_id: int) -> None:
    services.apply_job(job_id=job_id)
