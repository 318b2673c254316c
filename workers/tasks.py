"""Celery task shims: ids in, the job row and S3 out. The work lives in ``workers.runner``.

Retry policy: ``TransientError`` (S3, Postgres or Redis trouble) retries with exponential backoff
(``worker.retry_backoff_seconds`` doubling, jittered, capped at ``retry_backoff_max_seconds``) up to
``worker.max_transient_retries`` times; the last try fails the job with an internal error rather
than retrying. If even that cannot be recorded (the database is down), the message is dropped and
the reaper sends the job again once the lease hold runs out. Bad media fails at once. Claims that
end otherwise (a killed worker above all) count towards ``worker.max_attempts``.
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


@app.task(name=TRANSCRIBE_JOB, bind=True, autoretry_for=(TransientError,),
          retry_backoff=max(1, _worker.retry_backoff_seconds),
          retry_backoff_max=_worker.retry_backoff_max_seconds, retry_jitter=True,
          max_retries=_worker.max_transient_retries)
def transcribe_job(self: Task, job_id: int) -> str:
    last_try = self.request.retries >= (self.max_retries or 0)
    return runner.run_attempt(int(job_id), owner=runner.new_owner(self.request.id), last_try=last_try)


@app.task(name=REAP, ignore_result=True)
def reap() -> dict[str, Any]:
    r = reaper.reap()
    return {"requeued": r.requeued, "resent": r.resent, "failed": r.failed, "promoted": r.promoted,
            "skipped": r.skipped}
