"""The reaper: the recovery path for every way a job can be forgotten.

Redis alone cannot be trusted to bring a job back: a SIGKILLed worker's message returns only after
the visibility timeout (hours, by design), a send can be lost after the gateway committed, and a
retry's message dies with the worker that held it. The job row is the source of truth, so the
reaper scans it: IN_PROGRESS jobs whose lease ran out, IN_PROGRESS jobs nobody claimed in time,
and QUEUED jobs that now fit under the account's concurrency limit. It sends TRANSCRIBE_JOB again
for each; a duplicate message is harmless because claiming is atomic.

One pass holds a transaction-scoped advisory lock, so beat, ``harken worker --reaper`` and the
tests can all call it without double work.
"""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from services.core.metrics import JOBS_FINISHED, JOBS_REQUEUED, record_transition
from services.core.quotas import limit_for
from services.core.settings import get_settings
from services.core.taskqueue import TRANSCRIBE_JOB, send
from services.db.models.jobs import TranscriptionJob as Job
from services.db.session import after_commit, unit_of_work
from workers import job_metrics
from workers.errors import INTERNAL_FAILURE
from workers.leases import FAILED, IN_PROGRESS, QUEUED
from workers.retention import purge_if_due

log = logging.getLogger("harken.reaper")

#: Advisory lock key of a reaper pass (an arbitrary constant outside hashtext's 32-bit range, so it
#: cannot collide with the gateway's ``hashtext('jobs:<account>')`` locks).
REAPER_LOCK = 0x4841524B454E01  # "HARKEN" + 1


@dataclass
class ReapReport:
    requeued: list[int] = field(default_factory=list)
    resent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    promoted: list[int] = field(default_factory=list)
    purged: list[int] = field(default_factory=list)
    skipped: bool = False


def _send_all(session: Session, job_ids: list[int]) -> None:
    queue = get_settings().worker.queue
    for job_id in job_ids:
        after_commit(session, functools.partial(send, TRANSCRIBE_JOB, job_id, queue=queue))


def lock_account(session: Session, account_id: str) -> None:
    """Serialises slot accounting per account: the same lock StartTranscriptionJob takes
    (services.transcribe.jobs.service), so a promotion and a Start cannot both take the last slot."""
    session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"jobs:{account_id}"))))


def reap() -> ReapReport:
    s = get_settings().worker
    report = ReapReport()
    hold = timedelta(seconds=s.unclaimed_seconds)
    with unit_of_work() as session:
        if not session.execute(select(func.pg_try_advisory_xact_lock(REAPER_LOCK))).scalar():
            report.skipped = True
            return report
        now = func.now()
        # 1. Leases that ran out: the owner died, or a retry/resend was never picked up.
        expired = session.execute(
            select(Job.id, Job.attempts, Job.lease_owner)
            .where(Job.status == IN_PROGRESS, Job.lease_expires_at < now)
            .order_by(Job.id).with_for_update(skip_locked=True)
        ).all()
        for row in expired:
            if row.attempts >= s.max_attempts:
                session.execute(update(Job).where(Job.id == row.id).values(
                    status=FAILED, failure_reason=INTERNAL_FAILURE, completion_time=now,
                    lease_owner=None, lease_expires_at=None))
                report.failed.append(row.id)
                log.warning("job %s: transition FAILED by reaper after %s attempts", row.id, row.attempts)
            else:
                session.execute(update(Job).where(Job.id == row.id).values(
                    lease_owner=None, lease_expires_at=now + hold))
                report.requeued.append(row.id)
                log.info("job %s: lease of %s expired; requeued", row.id, row.lease_owner)
        # 2. Never claimed since the gateway sent it: the send may have been lost.
        unclaimed = session.execute(
            select(Job.id).where(
                Job.status == IN_PROGRESS, Job.lease_owner.is_(None), Job.lease_expires_at.is_(None),
                func.coalesce(Job.start_time, Job.creation_time) < now - hold)
            .order_by(Job.id).with_for_update(skip_locked=True)
        ).scalars().all()
        for job_id in unclaimed:
            session.execute(update(Job).where(Job.id == job_id).values(lease_expires_at=now + hold))
            report.resent.append(job_id)
            log.info("job %s: never claimed; sent again", job_id)
        _send_all(session, report.requeued + report.resent)
    for _ in report.failed:
        JOBS_FINISHED.labels("FAILED").inc()
        job_metrics.job_failed(INTERNAL_FAILURE)
    JOBS_REQUEUED.labels("lease_expired").inc(len(report.requeued))
    JOBS_REQUEUED.labels("unclaimed").inc(len(report.resent))
    report.promoted = promote_queued()
    report.purged = purge_if_due()  # retention (workers/retention.py): at most once per interval
    return report


def promote_queued(account_id: str | None = None) -> list[int]:
    """QUEUED → IN_PROGRESS, oldest first, while the account is under max_concurrent_jobs.

    Slots are counted per account and per name space (standard vs. medical), as AWS's quotas are.
    """
    settings = get_settings()
    promoted: list[int] = []
    with unit_of_work() as session:
        q = select(Job.account_id, Job.medical).where(Job.status == QUEUED).distinct()
        if account_id is not None:
            q = q.where(Job.account_id == account_id)
        groups = session.execute(q).all()
    for acct, medical in groups:
        with unit_of_work() as session:
            lock_account(session, acct)
            running = session.execute(select(func.count()).select_from(Job).where(
                Job.account_id == acct, Job.medical == medical, Job.status == IN_PROGRESS)).scalar_one()
            free = limit_for(settings, acct, "max_concurrent_jobs") - int(running)
            if free <= 0:
                continue
            ids = session.execute(
                select(Job.id).where(Job.account_id == acct, Job.medical == medical, Job.status == QUEUED)
                .order_by(Job.creation_time, Job.id).limit(free).with_for_update(skip_locked=True)
            ).scalars().all()
            if not ids:
                continue
            session.execute(update(Job).where(and_(Job.id.in_(ids), Job.status == QUEUED)).values(
                status=IN_PROGRESS, start_time=func.now(), lease_owner=None, lease_expires_at=None))
            _send_all(session, list(ids))
            promoted.extend(ids)
            after_commit(session, functools.partial(record_transition, "QUEUED", "IN_PROGRESS", len(ids)))
            log.info("account %s: promoted QUEUED jobs %s", acct, list(ids))
    return promoted


def serve(interval: float | None = None, stop: threading.Event | None = None) -> None:
    """The loop behind ``harken worker --reaper``: for deployments without celery beat."""
    every = float(interval or get_settings().worker.reaper_interval_seconds)
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            r = reap()
            if r.requeued or r.resent or r.failed or r.promoted:
                log.info("reaper: requeued %s, resent %s, failed %s, promoted %s",
                         r.requeued, r.resent, r.failed, r.promoted)
        except Exception:  # Postgres or Redis down: try again next round
            log.warning("reaper pass failed", exc_info=True)
        stop.wait(every)
