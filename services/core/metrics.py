"""Prometheus metrics registry shared by gateway, workers and streaming."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram

API_REQUESTS = Counter("harken_api_requests_total", "Batch API requests", ["operation", "status"])
API_LATENCY = Histogram(
    "harken_api_request_seconds", "Batch API request latency", ["operation"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
JOBS_FINISHED = Counter("harken_jobs_finished_total", "Transcription jobs that reached a terminal state",
                        ["status"])
JOB_SECONDS = Histogram("harken_job_processing_seconds", "Wall time of one job attempt in a worker",
                        buckets=(1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600))


@contextmanager
def observe_request() -> Iterator[Callable[[str, int], None]]:
    start = time.perf_counter()
    seen: dict[str, object] = {}

    def record(operation: str, status: int) -> None:
        seen["op"], seen["status"] = operation, status

    yield record
    op = str(seen.get("op", "Unknown"))
    API_REQUESTS.labels(op, str(seen.get("status", 0))).inc()
    API_LATENCY.labels(op).observe(time.perf_counter() - start)
