"""The worker's Celery app: ``celery -A workers.celery_app worker -Q cpu`` (or ``-Q gpu``).

It is the gateway's app (same broker, same durability settings) plus what only workers need:
the queues, the reaper's beat schedule, and the tasks themselves.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import Any

from celery.signals import after_setup_logger, worker_process_init
from kombu import Queue

from services.core.settings import get_settings
from services.core.taskqueue import REAP, celery_app
from services.observability.exposition import prepare_for_celery_worker

# Before workers.tasks imports prometheus_client: the prefork pool's samples must go to files.
prepare_for_celery_worker(get_settings().metrics.multiproc_dir)

app = celery_app()
_s = get_settings()

#: GPU workers consume ``gpu``, CPU workers ``cpu``; the gateway sends to ``worker.queue``.
#: A non-default ``worker.queue`` (a separate pool, or a test's private queue) is declared as well.
_queues = ["gpu", "cpu"] + ([_s.worker.queue] if _s.worker.queue not in ("gpu", "cpu") else [])
app.conf.task_queues = [Queue(name) for name in _queues]
app.conf.task_default_queue = _s.worker.queue
app.conf.beat_schedule = {
    "harken-reaper": {
        "task": REAP,
        "schedule": float(_s.worker.reaper_interval_seconds),
        # a reap that waited longer than one interval is superseded by the next: drop it
        "options": {"queue": _s.worker.queue, "expires": float(_s.worker.reaper_interval_seconds)},
    },
}


@worker_process_init.connect
def _fresh_connections(**_: Any) -> None:
    """Pool children inherit the parent's sockets; sharing a Postgres connection across processes
    corrupts it, so each child starts with empty pools."""
    from services.db.session import dispose_engines

    dispose_engines()


@after_setup_logger.connect
def _harken_logs(logger: logging.Logger, loglevel: int | str, **_: Any) -> None:
    """With ``worker_hijack_root_logger`` off, Celery only wires its own loggers; the job
    transitions (``harken.*``) are what operators grep for, so route them the same way."""
    ours = logging.getLogger("harken")
    ours.setLevel(loglevel)
    for handler in logger.handlers:
        if handler not in ours.handlers:
            ours.addHandler(handler)
    ours.propagate = False


import workers.metrics  # noqa: E402  pool busy/idle, task outcomes, the /metrics endpoint
import workers.tasks  # noqa: E402,F401  registers the tasks on ``app``


def _sibling_module(name: str) -> bool:
    """True when ``workers.<name>`` is a file of this checkout (an editable install's finder can
    otherwise resolve it from another tree)."""
    spec = importlib.util.find_spec(f"workers.{name}")
    return bool(spec and spec.origin and Path(spec.origin).parent == Path(__file__).parent)


if _sibling_module("resource_tasks"):  # vocabulary / language model tasks, when that code is present
    importlib.import_module("workers.resource_tasks")
