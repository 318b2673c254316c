"""Job leases in Postgres: the only way a worker may change a job row.

Celery on Redis delivers a task at least once (a SIGKILLed worker's message comes back after the
visibility timeout, a task longer than that runs twice) and sometimes not at all (a send lost after
the gateway's commit). So the broker only *suggests* work; the row decides who does it. Every
statement here is a single conditional UPDATE evaluated against the database clock, so two workers
racing for one job, or a worker racing the reaper, can never both win.

Lease states of an IN_PROGRESS row:

- ``lease_owner`` NULL, ``lease_expires_at`` NULL: the gateway sent the task at ``start_time``.
- ``lease_owner`` NULL, ``lease_expires_at`` T: a task was (re)sent or a retry is pending; any task
  may claim it, and the reaper sends again if nobody has by T.
- ``lease_owner`` X, ``lease_expires_at`` T: X works on it and renews T by heartbeat; once T passes
  X is presumed dead and loses the job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, exists, func, or_, select, update

from services.db.models.jobs import TranscriptionJob as Job
from services.db.session import unit_of_work

IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
QUEUED = "QUEUED"


@dataclass(frozen=True)
class ClaimedJob:
    """A detached snapshot: the task must not hold a session (or a transaction) across the pipeline."""

    id: int
    account_id: str
    region: str
    medical: bool
    name: str
    request: dict[str, Any]
    attempts: int


def _secs(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def claim(job_id: int, owner: str, lease_seconds: float) -> ClaimedJob | None:
    """Take the job if nobody live holds it; counts one attempt. None: terminal, deleted or owned."""
    stmt = (
        update(Job)
        .where(Job.id == job_id, Job.status == IN_PROGRESS,
               or_(Job.lease_owner.is_(None), Job.lease_expires_at < func.now()))
        .values(lease_owner=owner, lease_expires_at=func.now() + _secs(lease_seconds),
                attempts=Job.attempts + 1, start_time=func.coalesce(Job.start_time, func.now()))
        .returning(Job.id, Job.account_id, Job.region, Job.medical, Job.name, Job.request, Job.attempts)
    )
    with unit_of_work() as s:
        row = s.execute(stmt).one_or_none()
    if row is None:
        return None
    return ClaimedJob(id=row.id, account_id=row.account_id, region=row.region, medical=row.medical,
                      name=row.name, request=dict(row.request or {}), attempts=row.attempts)


def status_of(job_id: int) -> tuple[str, str | None] | None:
    """(status, lease_owner), or None when the row is gone (DeleteTranscriptionJob)."""
    with unit_of_work() as s:
        row = s.execute(select(Job.status, Job.lease_owner).where(Job.id == job_id)).one_or_none()
    return None if row is None else (row.status, row.lease_owner)


def exists_job(job_id: int) -> bool:
    with unit_of_work() as s:
        return bool(s.execute(select(exists().where(Job.id == job_id))).scalar())


def heartbeat(job_id: int, owner: str, lease_seconds: float) -> bool:
    """Renew the lease; False means it is no longer ours (deleted, reaped, or finished elsewhere)."""
    with unit_of_work() as s:
        res = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner, Job.status == IN_PROGRESS)
            .values(lease_expires_at=func.now() + _secs(lease_seconds))
        )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def release(job_id: int, owner: str, hold_seconds: float) -> bool:
    """Give the job back for a retry; the hold tells the reaper when the retry counts as lost.

    The attempt is refunded: ``max_attempts`` is there to stop jobs that kill their worker, and an
    outage of S3 or Postgres is bounded by the task's retry budget instead."""
    with unit_of_work() as s:
        res = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner, Job.status == IN_PROGRESS)
            .values(lease_owner=None, lease_expires_at=func.now() + _secs(hold_seconds),
                    attempts=func.greatest(Job.attempts - 1, 0))
        )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def complete(job_id: int, owner: str, values: dict[str, Any]) -> bool:
    """The COMPLETED transition. Conditional on our lease, so it happens at most once per job."""
    with unit_of_work() as s:
        res = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner, Job.status == IN_PROGRESS)
            .values(status=COMPLETED, completion_time=func.now(), failure_reason=None,
                    lease_owner=None, lease_expires_at=None, **values)
        )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def fail(job_id: int, owner: str, reason: str) -> bool:
    with unit_of_work() as s:
        res = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner, Job.status == IN_PROGRESS)
            .values(status=FAILED, failure_reason=reason, completion_time=func.now(),
                    lease_owner=None, lease_expires_at=None)
        )
    return bool(res.rowcount)  # type: ignore[attr-defined]


def purge(job_id: int) -> None:
    """Test helper and admin escape hatch: drop a job row as DeleteTranscriptionJob does."""
    with unit_of_work() as s:
        s.execute(delete(Job).where(Job.id == job_id))
