"""The Celery app, shared by the gateway (which only sends tasks by name) and the workers.

Durability settings follow what survives a SIGKILLed worker on Redis: late acks, reject on worker
loss, prefetch 1, and a visibility timeout above the longest job (jobs also hold a lease in
Postgres, so a lost message is recovered by the reaper, not by Redis alone).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from celery import Celery

from services.core.settings import get_settings

#: Task names are part of the contract between gateway and workers.
TRANSCRIBE_JOB = "harken.transcribe_job"
PROCESS_VOCABULARY = "harken.process_vocabulary"
TRAIN_LANGUAGE_MODEL = "harken.train_language_model"
REAP = "harken.reap"


@lru_cache(maxsize=4)
def _app(broker_url: str, visibility_timeout: int) -> Celery:
    app = Celery("harken", broker=broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_transport_options={"visibility_timeout": visibility_timeout},
        broker_connection_retry_on_startup=True,
        task_default_queue="cpu",
        worker_hijack_root_logger=False,
    )
    return app


def celery_app() -> Celery:
    s = get_settings().broker
    return _app(s.url, s.visibility_timeout)


def send(task: str, *args: Any, queue: str | None = None, countdown: float | None = None) -> None:
    celery_app().send_task(task, args=list(args), queue=queue or get_settings().worker.queue,
                           countdown=countdown)
