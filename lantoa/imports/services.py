"""Member imports as jobs (upload → check → confirm → import) and from the command line.

The job's status moves only through ``_move``; the member data changes only in
``writing.write_plan`` (re-exported here), called with a plan that ``checking.check_file`` made
from the file against today's data.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.org.models import Unit

from .checking import Plan, Progress, check_file, preview_of
from .models import ImportJob, ImportStatus
from .parsing import file_kind
from .writing import write_plan

__all__ = [
    "apply_job",
    "cancel_job",
    "confirm_job",
    "create_job",
    "import_file",
    "restart_job",
    "validate_job",
    "write_plan",
]

logger = logging.getLogger(__name__)

# A file where every row is wrong would otherwise store hundreds of thousands of messages.
MAX_STORED_ERRORS = 10_000

# The moves the workflow allows (see models.py).
_MOVES: dict[str, set[str]] = {
    # (cancel_job cancels a check only once its worker has died: see there)
    ImportStatus.UPLOADED: {ImportStatus.VALIDATING, ImportStatus.FAILED, ImportStatus.CANCELLED},
    ImportStatus.VALIDATING: {ImportStatus.VALIDATED, ImportStatus.FAILED, ImportStatus.CANCELLED},
    # (restart_job also moves a stale check back to uploaded and a stale import back to validated)
    ImportStatus.VALIDATED: {ImportStatus.IMPORTING, ImportStatus.CANCELLED},
    # Back to "validated" when the data changed between the check and the confirmation.
    ImportStatus.IMPORTING: {ImportStatus.DONE, ImportStatus.VALIDATED, ImportStatus.FAILED},
    ImportStatus.DONE: set(),
    ImportStatus.FAILED: set(),
    ImportStatus.CANCELLED: set(),
}


# ---------------------------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------------------------


def _move(job: ImportJob, status: str, **fields: Any) -> None:
    """The one transition function: check the move, then save only what changed."""
    if status not in _MOVES[job.status]:
        raise ValueError(f"an import cannot go from {job.status} to {status}")
    job.status = status
    job.heartbeat_at = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "heartbeat_at", *fields])


def _progress_of(job: ImportJob) -> Progress:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            progress_done=done, progress_total=total, heartbeat_at=timezone.now()
        )

    return report


def create_job(*, actor: Any, unit: Unit, upload: UploadedFile) -> ImportJob:
    """Store the uploaded file (under MEDIA_ROOT/imports/) as a job waiting to be checked."""
    name = Path(upload.name or "").name
    kind = file_kind(name)
    if kind is None:
        raise ValidationError(_("Only .xlsx and .csv files can be imported."))
    job = ImportJob(unit=unit, created_by=actor, original_name=name[:255], size=upload.size or 0)
    # The stored name is ours: the uploaded one may hold anything.
    job.file.save(f"{job.public_id}.{kind}", upload, save=False)
    job.save()
    return job


def _web_actor(user: Any) -> Any:
    """The account behind a job made in the web; an account deleted since has no rights (the
    ``None`` actor is the command line's, which reads everything)."""
    return user if user is not None else AnonymousUser()


def validate_job(*, job_id: int) -> ImportJob:
    """Check the job's file (uploaded → validating → validated). Side effects: progress on the
    job row every ``PROGRESS_EVERY`` rows; errors or counts stored on the job; nothing else."""
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    if job.status != ImportStatus.UPLOADED:
        return job  # delivered twice: the first run did the work
    _move(job, ImportStatus.VALIDATING, progress_done=0, progress_total=0)
    try:
        with job.file.open("rb") as stream:
            plan = check_file(
                stream,
                job.original_name,
                job.unit,
                actor=_web_actor(job.created_by),
                progress=_progress_of(job),
            )
    except Exception as exc:
        _fail(job, exc)
        raise
    _store_result(job, plan)
    return job


def _discard_file(job: ImportJob) -> None:
    """The uploaded file holds personal data and has served once the job can no longer be
    confirmed: it is deleted, and the preview (names and card numbers from it) emptied; the job
    keeps only its counts and problems."""
    if job.file:
        job.file.delete(save=False)
    job.preview = {}
    ImportJob.objects.filter(pk=job.pk).update(file="", preview={})


def _store_result(job: ImportJob, plan: Plan) -> None:
    counts = plan.counts
    counts["errors"] = len(plan.problems)
    _move(
        job,
        ImportStatus.VALIDATED,
        errors=[problem.as_json() for problem in plan.problems[:MAX_STORED_ERRORS]],
        counts=counts,
        progress_done=plan.rows,
        progress_total=plan.rows,
        validated_at=timezone.now(),
        preview={} if plan.problems else preview_of(plan),
    )
    if plan.problems:
        _discard_file(job)  # a file with problems is never imported: the user sends a corrected one


def _fail(job: ImportJob, exc: BaseException) -> None:
    """Record a crash on the job (the caller re-raises it for the task backend's record)."""
    logger.exception("import %s failed", job.pk)
    job.refresh_from_db(fields=["status"])
    if ImportStatus.FAILED in _MOVES[job.status]:
        _move(
            job,
            ImportStatus.FAILED,
            failure=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        _discard_file(job)


def confirm_job(*, actor: Any, job: ImportJob) -> bool:
    """validated (without errors) → importing. False when someone else confirmed first or the
    job is not ready; the caller then just shows the job."""
    if not job.can_confirm:
        return False
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED, errors=[]).update(
        status=ImportStatus.IMPORTING, confirmed_by=actor, progress_done=0, heartbeat_at=timezone.now()
    )
    if claimed:
        job.refresh_from_db()
    return bool(claimed)


def cancel_job(*, job: ImportJob) -> bool:
    """The person checking the file decides not to import it: validated → cancelled, the stored
    file deleted (it holds personal data) and nothing written. A check whose worker died (stale)
    may be cancelled too; a running check or import may not (its task would overwrite the move).
    False when the job was confirmed, finished or cancelled first; the caller then just shows it.
    """
    if job.status == ImportStatus.VALIDATED:
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED)
    elif job.status in (ImportStatus.UPLOADED, ImportStatus.VALIDATING) and job.is_stale:
        claimed = ImportJob.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at)
    else:
        return False
    now = timezone.now()
    if not claimed.update(status=ImportStatus.CANCELLED, heartbeat_at=now, finished_at=now):
        return False
    job.refresh_from_db()
    _discard_file(job)
    return True


def restart_job(*, job: ImportJob) -> str | None:
    """Start again a job whose task stopped without a word (its worker was restarted or killed).

    A check goes back to the queue's start (the caller enqueues it again: returns "uploaded");
    an import goes back to "validated", to be confirmed again (returns "validated"): its write
    transaction died with the worker, so nothing was written. None when the job is not stale, or
    someone restarted it first."""
    if not job.is_stale:
        return None
    target = ImportStatus.VALIDATED if job.status == ImportStatus.IMPORTING else ImportStatus.UPLOADED
    claimed = ImportJob.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
        status=target, progress_done=0, heartbeat_at=timezone.now()
    )
    return target if claimed else None


def apply_job(*, job_id: int) -> ImportJob:
    """Check the file again against today's data and write it (importing → done).

    The second check matters: members may have changed since the first one. If it now finds
    problems the job goes back to validated with them, and nothing is written."""
    job = ImportJob.objects.select_related("unit", "confirmed_by").get(pk=job_id)
    if job.status != ImportStatus.IMPORTING:
        return job
    try:
        with job.file.open("rb") as stream:
            plan = check_file(
                stream,
                job.original_name,
                job.unit,
                actor=_web_actor(job.confirmed_by),
                progress=_progress_of(job),
            )
        if not plan.ok:
            _store_result(job, plan)
            return job
        with transaction.atomic():
            counts = write_plan(plan, actor=job.confirmed_by, job=job)
            _move(job, ImportStatus.DONE, counts=counts, finished_at=timezone.now())
        _discard_file(job)
    except Exception as exc:
        _fail(job, exc)
        raise
    return job


def import_file(
    *, path: Path, unit: Unit, actor: Any = None, dry_run: bool = False, progress: Progress | None = None
) -> Plan:
    """Check a file and, unless ``dry_run`` or it has problems, write it (the command line)."""
    with path.open("rb") as stream:
        plan = check_file(stream, path.name, unit, actor=actor, progress=progress)
    if plan.ok and not dry_run:
        write_plan(plan, actor=actor)
    return plan
