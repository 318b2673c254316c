"""One attempt at one transcription job: claim → download → pipeline → outputs → COMPLETED.

Kept apart from the Celery task so the same attempt runs in a worker, in ``harken transcribe`` and
in tests without a broker. The rules that make an at-least-once broker produce exactly one result:

- nothing happens without a claimed lease, and the terminal UPDATE is conditional on still holding
  it, so a duplicate delivery, a reaped worker or a deleted job can never complete a job twice;
- outputs go to deterministic keys with whole-object PUTs, so a repeated attempt overwrites rather
  than adds;
- a transient failure gives the lease back (the retry or the reaper picks it up); a permanent one
  ends the job with a FailureReason; attempts are counted at claim and capped.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.core.metrics import JOB_SECONDS, JOBS_FINISHED
from services.core.settings import get_settings
from services.storage.s3 import delete_service_outputs, s3_client
from services.storage.uris import parse_media_uri
from workers import job_metrics, leases
from workers.customizations import load_customizations
from workers.errors import (
    INTERNAL_FAILURE,
    MEDIA_TOO_LARGE,
    MEDIA_UNREACHABLE,
    OUTPUT_UNWRITABLE,
    JobFailure,
    TransientError,
    is_missing,
    is_transient,
)
from workers.outputs import OutputPlan, plan_outputs, write_outputs
from workers.pipeline.contract import JobOptions, MediaError, PipelineResult
from workers.pipeline.customization import JobCustomizations
from workers.preflight import check_claimed_job

log = logging.getLogger("harken.worker")

Pipeline = Callable[[Path, JobOptions], PipelineResult]


class LeaseLost(Exception):
    """Our lease went away mid-job (job deleted, or reaped after missed heartbeats)."""


def new_owner(task_id: str | None = None) -> str:
    """Unique per attempt, readable in the row: which host and process holds the job."""
    return f"{socket.gethostname()}:{os.getpid()}:{task_id or uuid.uuid4().hex}"[:200]


def load_pipeline() -> Pipeline:
    module, _, name = get_settings().worker.pipeline.partition(":")
    fn: Pipeline = getattr(importlib.import_module(module), name or "transcribe_media")
    return fn


class Heartbeat:
    """Renews the lease from a thread; the pipeline releases the GIL while decoding, so it beats."""

    def __init__(self, job_id: int, owner: str) -> None:
        s = get_settings().worker
        self.job_id, self.owner = job_id, owner
        self.lease, self.every = s.lease_seconds, max(0.2, float(s.heartbeat_seconds))
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                if not leases.heartbeat(self.job_id, self.owner, self.lease):
                    log.warning("job %s: lease lost", self.job_id)
                    self.lost.set()
                    return
            except Exception:  # the database may come back before the lease runs out
                log.warning("job %s: heartbeat failed", self.job_id, exc_info=True)

    def check(self) -> None:
        if self.lost.is_set():
            raise LeaseLost()


def job_options(job: leases.ClaimedJob) -> JobOptions:
    r = job.request
    subtitles = r.get("Subtitles") or {}
    # Stages read request options by AWS name; Settings' members sit at the top level beside the
    # other per-feature structures so a stage needs to know only the option, not where AWS nests it.
    extra: dict[str, Any] = dict(r.get("Settings") or {})
    for k in ("ContentRedaction", "ModelSettings", "LanguageIdSettings", "ToxicityDetection",
              "Specialty", "Type", "ContentIdentificationType", "KMSEncryptionContext"):
        if k in r:
            extra[k] = r[k]
    extra["Medical"] = job.medical
    return JobOptions(
        job_name=job.name,
        account_id=job.account_id,
        language_code=r.get("LanguageCode"),
        identify_language=bool(r.get("IdentifyLanguage")),
        identify_multiple_languages=bool(r.get("IdentifyMultipleLanguages")),
        language_options=tuple(r.get("LanguageOptions") or ()),
        requested_media_format=r.get("MediaFormat"),
        requested_sample_rate=r.get("MediaSampleRateHertz"),
        subtitle_formats=tuple(subtitles.get("Formats") or ()),
        subtitle_start_index=int(subtitles.get("OutputStartIndex") or 0),
        settings=extra,
        max_media_seconds=get_settings().worker.max_media_seconds,
        # Medical jobs name medical vocabularies; the medical path resolves those itself.
        customizations=JobCustomizations() if job.medical else load_customizations(job.account_id, extra),
    )


def download_media(uri: str, folder: Path) -> Path:
    s = get_settings()
    loc = parse_media_uri(uri, endpoint_url=s.s3.endpoint_url)
    if loc is None:
        raise JobFailure(MEDIA_UNREACHABLE)
    client = s3_client()
    try:
        head = client.head_object(Bucket=loc.bucket, Key=loc.key)
        if int(head.get("ContentLength", 0)) > s.worker.max_media_bytes:
            raise JobFailure(MEDIA_TOO_LARGE)
        suffix = Path(loc.key).suffix[:16]
        path = folder / f"media{suffix}"
        client.download_file(loc.bucket, loc.key, str(path))
    except JobFailure:
        raise
    except Exception as exc:
        if is_missing(exc):
            raise JobFailure(MEDIA_UNREACHABLE) from exc
        raise
    return path


def _debug_delay(hb: Heartbeat) -> None:
    delay = get_settings().worker.debug_stage_delay_seconds
    end = time.monotonic() + delay
    while time.monotonic() < end:
        hb.check()
        time.sleep(min(0.2, max(0.0, end - time.monotonic())))


def run_attempt(job_id: int, owner: str | None = None, pipeline: Pipeline | None = None, *,
                last_try: bool = False) -> str:
    """Returns what happened (for logs and tests); raises TransientError when a retry should follow.

    ``last_try``: the task has no retries left, so a transient error fails the job instead."""
    s = get_settings().worker
    owner = owner or new_owner()
    try:
        job = leases.claim(job_id, owner, s.lease_seconds)
    except Exception as exc:
        if is_transient(exc):
            raise TransientError(f"claim of job {job_id}: {exc}") from exc
        raise
    if job is None:
        state = leases.status_of(job_id)
        log.info("job %s: not claimed (%s)", job_id, "deleted" if state is None else state[0])
        return "skipped"
    if job.attempts > s.max_attempts:
        return _finish_failed(job, owner, INTERNAL_FAILURE, "attempts exhausted")
    log.info("job %s: claimed by %s (attempt %s)", job_id, owner, job.attempts)
    started = time.perf_counter()
    plan: OutputPlan | None = None
    try:
        check_claimed_job(job)  # references and bucket policy may have changed since Start
        with Heartbeat(job_id, owner) as hb, tempfile.TemporaryDirectory(prefix="harken-job-") as tmp:
            media_uri = (job.request.get("Media") or {}).get("MediaFileUri", "")
            path = download_media(media_uri, Path(tmp))
            _debug_delay(hb)
            run, options = pipeline or load_pipeline(), job_options(job)
            if job.medical:
                from workers.medical import medical_options, medical_pipeline

                run, options = medical_pipeline(run), medical_options(job, options)
            pipeline_started = time.perf_counter()
            result = run(path, options)
            job_metrics.transcribed(result.language_code, result.duration_seconds,
                                    time.perf_counter() - pipeline_started)
            hb.check()
            plan = plan_outputs(job.id, job.account_id, job.name, job.request)
            try:
                record = write_outputs(plan, result)
            except Exception as exc:
                if is_missing(exc) and plan.location_type != "SERVICE_BUCKET":
                    raise JobFailure(OUTPUT_UNWRITABLE) from exc
                raise
            hb.check()
            done = leases.complete(job.id, owner, {
                "outputs": record,
                "media_format": result.media_format,
                "media_sample_rate_hertz": result.sample_rate,
                "language_code": result.language_code or job.request.get("LanguageCode"),
                "identified_language_score": result.identified_language_score,
                "language_codes": result.language_codes,
            })
        if not done:
            return _lost(job, plan)
        JOBS_FINISHED.labels("COMPLETED").inc()
        job_metrics.job_completed()
        log.info("job %s: transition COMPLETED by %s", job.id, owner)
        _promote_after(job)
        return "completed"
    except LeaseLost:
        return _lost(job, plan)
    except MediaError as exc:
        return _finish_failed(job, owner, exc.reason, "bad media")
    except JobFailure as exc:
        return _finish_failed(job, owner, exc.reason, "permanent failure")
    except Exception as exc:
        if not is_transient(exc):
            log.exception("job %s: unexpected error", job.id)
            return _finish_failed(job, owner, INTERNAL_FAILURE, "unexpected error")
        if last_try:
            log.warning("job %s: transient error and no retries left: %r", job.id, exc)
            return _finish_failed(job, owner, INTERNAL_FAILURE, "retries exhausted")
        try:
            leases.release(job.id, owner, s.unclaimed_seconds)
        except Exception:  # the lease then simply expires and the reaper takes over
            log.warning("job %s: could not release the lease", job.id, exc_info=True)
        raise TransientError(f"job {job.id} attempt {job.attempts}: {exc!r}") from exc
    finally:
        JOB_SECONDS.observe(time.perf_counter() - started)


def _finish_failed(job: leases.ClaimedJob, owner: str, reason: str, why: str) -> str:
    try:
        failed = leases.fail(job.id, owner, reason)
    except Exception as exc:
        if is_transient(exc):  # cannot record it now: the lease expires and the reaper retries
            raise TransientError(f"recording failure of job {job.id}: {exc!r}") from exc
        raise
    if not failed:
        return _lost(job, None)
    JOBS_FINISHED.labels("FAILED").inc()
    job_metrics.job_failed(reason)
    log.info("job %s: transition FAILED by %s (%s): %s", job.id, owner, why, reason)
    _promote_after(job)
    return "failed"


def _lost(job: leases.ClaimedJob, plan: OutputPlan | None) -> str:
    """Someone else owns the job now, or it was deleted: in the latter case clean up after us."""
    if leases.exists_job(job.id):
        log.info("job %s: lease lost; leaving the job to its new owner", job.id)
        return "lease-lost"
    if plan is not None:
        delete_service_outputs(plan.as_record())
    log.info("job %s: deleted while running", job.id)
    return "deleted"


def _promote_after(job: leases.ClaimedJob) -> None:
    """A slot just freed: start the account's next QUEUED job now rather than at the next reap."""
    try:
        from workers.reaper import promote_queued

        promote_queued(account_id=job.account_id)
    except Exception:
        log.warning("promoting QUEUED jobs after job %s failed; the reaper will do it", job.id,
                    exc_info=True)
