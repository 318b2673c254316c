"""Celery task shims: ids in, the job row and S3 out. The work lives in ``workers.runner``.

Retry policy: ``TransientError`` (S3, Postgres or Redis trouble) retries with exponential backoff
and jitter, capped at ``worker.retry_backoff_max_seconds``. Attempts are counted when a job is
claimed and capped by ``worker.max_attempts`` (then the job FAILS with an internal error); Celery's
own ``max_retries`` only bounds the retries where no attempt could even be counted (the database
down), after which the reaper sends the job again once things are back. Bad media fails at once.
"""

from __future__ import annotations

from typing import Any

from celery import Task

from services.core.settings import get_settings
from services.core.taskqueue import REAP, TRANSCRIBE_JOB, celery_app
from workers import reaper, runner
from workers.errors import TransientError

app = celery_app()
_worker = get_settings().worker


@app.task(name=TRANSCRIBE_JOB, bind=True, autoretry_for=(TransientError,), retry_backoff=True,
          retry_backoff_max=_worker.retry_backoff_max_seconds, retry_jitter=True,
          max_retries=2 * max(1, _worker.max_attempts))
def transcribe_job(self: Task, job_id: int) -> str:
    return runner.run_attempt(int(job_id), owner=runner.new_owner(self.request.id))


@app.task(name=REAP, ignore_result=True)
def reap() -> dict[str, Any]:
    r = reaper.reap()
    return {"requeued": r.requeued, "resent": r.resent, "failed": r.failed, "promoted": r.promoted,
            "skipped": r.skipped}
