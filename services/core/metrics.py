"""Prometheus metrics registry shared by gateway, workers and streaming."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

API_REQUESTS = Counter("harken_api_requests_total", "Batch API requests", ["operation", "status"])
API_LATENCY = Histogram(
    "harken_api_request_seconds", "Batch API request latency", ["operation"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
JOBS_FINISHED = Counter("harken_jobs_finished_total", "Transcription jobs that reached a terminal state",
                        ["status"])
JOB_SECONDS = Histogram("harken_job_processing_seconds", "Wall time of one job attempt in a worker",
                        buckets=(1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600))

# --- job life cycle (gateway, workers, reaper) -------------------------------------------------
JOB_TRANSITIONS = Counter(
    "harken_job_transitions_total",
    "Job state changes; from_state NONE is a new job (StartTranscriptionJob)",
    ["from_state", "to_state"],
)
JOBS_REQUEUED = Counter("harken_jobs_requeued_total",
                        "Jobs the reaper sent again: lease expired (worker died) or never claimed",
                        ["reason"])
JOB_FAILURES = Counter("harken_job_failures_total",
                       "Jobs that ended FAILED, by FailureReason (short form)", ["reason"])

# --- transcription work (workers) --------------------------------------------------------------
AUDIO_SECONDS = Counter("harken_audio_seconds_total", "Seconds of media transcribed", ["model"])
TRANSCRIBE_SECONDS = Counter("harken_transcribe_seconds_total",
                             "Wall seconds spent in the pipeline (decode, VAD, recognition, rendering)",
                             ["model"])
REAL_TIME_FACTOR = Histogram(
    "harken_real_time_factor", "Pipeline seconds per second of audio, per job (below 1: faster than "
    "real time)", ["model"],
    buckets=(0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5),
)
MODEL_LOAD_SECONDS = Histogram("harken_model_load_seconds", "Time to load a model into a process",
                               ["model", "device"], buckets=(0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300))

# --- worker processes: livesum adds up the pool's children, and a dead child stops counting -----
WORKER_PROCESSES = Gauge("harken_worker_processes", "Pool processes able to run a job", ["queue"],
                         multiprocess_mode="livesum")
WORKER_BUSY = Gauge("harken_worker_busy", "Pool processes running a task now", ["queue"],
                    multiprocess_mode="livesum")
WORKER_TASKS = Counter("harken_worker_tasks_total", "Celery tasks run, by task and final state",
                       ["task", "state"])


def record_transition(from_state: str, to_state: str, n: int = 1) -> None:
    JOB_TRANSITIONS.labels(from_state, to_state).inc(n)


def model_label(name: str) -> str:
    """A model folder becomes its last path element, so label values stay short and bounded."""
    return name.rstrip("/").rsplit("/", 1)[-1] or name


#: Label children of the two request metrics, by (operation, status): ``labels()`` validates and
#: locks on every call, a dict lookup does not. Bounded: operations of the model times statuses.
_REQUEST_CHILDREN: dict[tuple[str, int], tuple[Any, Any]] = {}


def record_request(operation: str, status: int, seconds: float) -> None:
    children = _REQUEST_CHILDREN.get((operation, status))
    if children is None:
        children = _REQUEST_CHILDREN[operation, status] = (
            API_REQUESTS.labels(operation, str(status)), API_LATENCY.labels(operation))
    children[0].inc()
    children[1].observe(seconds)


@contextmanager
def observe_request() -> Iterator[Callable[[str, int], None]]:
    start = time.perf_counter()
    seen: dict[str, object] = {}

    def record(operation: str, status: int) -> None:
        seen["op"], seen["status"] = operation, status

    yield record
    status = seen.get("status", 0)
    record_request(str(seen.get("op", "Unknown")), status if isinstance(status, int) else 0,
                   time.perf_counter() - start)
