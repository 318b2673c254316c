"""Retention: finished jobs are forgotten after ``retention.job_days`` (AWS keeps job records 90 days).

A purge removes COMPLETED and FAILED jobs (standard and medical) whose completion is older than the
retention period, their tags, and the outputs Harken wrote to its own service bucket. Files in a
customer's bucket are the customer's and are never touched, as on AWS. QUEUED and IN_PROGRESS jobs
are never purged, whatever their age.

The reaper calls ``purge_if_due`` on every pass; a purge really runs at most once per
``retention.purge_interval_seconds`` per process, and one transaction-scoped advisory lock keeps two
reapers from purging the same rows. Rows go first (in batches, each committed), then their files:
a crash between the two leaves an orphaned file, never a job whose transcript is gone.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from services.core.arns import ResourceType
from services.core.settings import get_settings
from services.db.models import Tag
from services.db.models.jobs import TranscriptionJob as Job
from services.db.session import unit_of_work

log = logging.getLogger("harken.retention")

#: Advisory lock of a purge (distinct from the reaper's and the per-account job locks).
PURGE_LOCK = 0x4841524B454E02  # "HARKEN" + 2
FINISHED = ("COMPLETED", "FAILED")

_last_run = 0.0
_guard = threading.Lock()


def _service_objects(outputs: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not outputs or outputs.get("location_type") != "SERVICE_BUCKET":
        return []
    found: list[tuple[str, str]] = []
    for name in ("transcript", "redacted"):
        obj = outputs.get(name)
        if isinstance(obj, dict) and obj.get("bucket") and obj.get("key"):
            found.append((obj["bucket"], obj["key"]))
    for name in ("subtitles", "redacted_subtitles"):
        for obj in outputs.get(name) or []:
            if isinstance(obj, dict) and obj.get("bucket") and obj.get("key"):
                found.append((obj["bucket"], obj["key"]))
    return found


def _purge_batch(session: Session, cutoff: Any, batch: int) -> tuple[list[int], list[tuple[str, str]]]:
    rows = session.execute(
        select(Job.id, Job.account_id, Job.medical, Job.name, Job.outputs)
        .where(Job.status.in_(FINISHED), Job.completion_time < cutoff)
        .order_by(Job.completion_time, Job.id).limit(batch).with_for_update(skip_locked=True)
    ).all()
    if not rows:
        return [], []
    ids = [r.id for r in rows]
    tag_match = [and_(Tag.account_id == r.account_id, Tag.resource_name == r.name,
                      Tag.resource_type == (ResourceType.MEDICAL_TRANSCRIPTION_JOB if r.medical
                                            else ResourceType.TRANSCRIPTION_JOB).value) for r in rows]
    session.execute(delete(Tag).where(or_(*tag_match)))
    session.execute(delete(Job).where(Job.id.in_(ids)))
    files = [obj for r in rows for obj in _service_objects(r.outputs)]
    return ids, files


def purge_expired(days: int | None = None) -> list[int]:
    """Remove finished jobs older than ``days`` (default: settings); returns the purged job ids."""
    s = get_settings()
    days = s.retention.job_days if days is None else days
    if days <= 0:
        return []
    purged: list[int] = []
    files: list[tuple[str, str]] = []
    while True:
        with unit_of_work() as session:
            if not session.execute(select(func.pg_try_advisory_xact_lock(PURGE_LOCK))).scalar():
                break  # another process is purging right now
            cutoff = func.now() - timedelta(days=days)
            ids, batch_files = _purge_batch(session, cutoff, max(1, s.retention.batch_size))
        if not ids:
            break
        purged.extend(ids)
        files.extend(batch_files)
    _delete_files(files)
    if purged:
        log.info("retention: purged %s finished jobs older than %s days", len(purged), days)
    return purged


def _delete_files(files: list[tuple[str, str]]) -> None:
    if not files:
        return
    from services.storage.s3 import s3_client

    client = s3_client()
    by_bucket: dict[str, list[str]] = {}
    for bucket, key in files:
        by_bucket.setdefault(bucket, []).append(key)
    for bucket, keys in by_bucket.items():
        for i in range(0, len(keys), 1000):  # DeleteObjects takes at most 1000 keys
            chunk = [{"Key": k} for k in keys[i:i + 1000]]
            try:
                client.delete_objects(Bucket=bucket, Delete={"Objects": chunk, "Quiet": True})
            except Exception:  # an orphaned file is harmless; the job record is already gone
                log.warning("retention: could not delete %s objects in %s", len(chunk), bucket,
                            exc_info=True)


def purge_if_due() -> list[int]:
    """The reaper's hook: purge when the interval has passed since this process last did."""
    global _last_run
    interval = get_settings().retention.purge_interval_seconds
    with _guard:
        now = time.monotonic()
        if _last_run and now - _last_run < interval:
            return []
        _last_run = now
    return purge_expired()
