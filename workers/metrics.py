"""Worker-side metrics: pool processes busy or idle, task outcomes, and the /metrics endpoint.

Under Celery's prefork pool tasks run in child processes while the main process only supervises,
so samples go through prometheus-client's multiprocess files (see services.observability.exposition)
and the main process serves the merged view on ``metrics.worker_port``, together with GPU figures
from NVML. Busy/processes are ``livesum`` gauges: the pool's children add up, and a child that exits
stops counting (cleanly at shutdown, or at the next scrape if it was killed).
"""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import task_postrun, task_prerun, worker_process_init, worker_process_shutdown, worker_ready

from services.core.metrics import WORKER_BUSY, WORKER_PROCESSES, WORKER_TASKS
from services.core.settings import get_settings
from services.observability.exposition import mark_current_process_dead

log = logging.getLogger("harken.worker.metrics")

_server: Any = None


def _queue() -> str:
    return get_settings().worker.queue


@worker_process_init.connect
def _child_started(**_: Any) -> None:
    WORKER_BUSY.labels(_queue()).set(0)
    WORKER_PROCESSES.labels(_queue()).set(1)


@worker_process_shutdown.connect
def _child_stopping(**_: Any) -> None:
    mark_current_process_dead()


@task_prerun.connect
def _task_started(**_: Any) -> None:
    WORKER_BUSY.labels(_queue()).inc()


@task_postrun.connect
def _task_finished(task: Any = None, state: str | None = None, **_: Any) -> None:
    WORKER_BUSY.labels(_queue()).dec()
    WORKER_TASKS.labels(getattr(task, "name", "unknown"), state or "UNKNOWN").inc()


@worker_ready.connect
def _serve_metrics(**_: Any) -> None:
    """In the main process, once the pool is up: the pod's scrape target."""
    start_metrics_server(get_settings().metrics.worker_port)


def start_metrics_server(port: int, addr: str = "0.0.0.0") -> Any:
    global _server
    if not port or _server is not None:
        return _server
    from prometheus_client import start_http_server

    from services.observability.exposition import build_registry
    from services.observability.gpu import GpuCollector

    try:
        _server, _ = start_http_server(port, addr=addr, registry=build_registry(GpuCollector()))
    except OSError as exc:  # a second worker on one host: keep working, just unscraped
        log.warning("worker metrics endpoint not started on port %s: %s", port, exc)
        return None
    log.info("worker metrics on http://%s:%s/metrics", addr, port)
    return _server
