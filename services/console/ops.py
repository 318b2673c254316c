"""The ops glance: a summary of the metrics this gateway exports on /metrics.

It reads the same Prometheus registry the scrape reads, so the console never shows a number
Prometheus would not. Metric names are matched by pattern, so metrics added later (queue depth,
running jobs) appear without touching this module; what the gateway does not export shows as
absent rather than as a made-up zero.
"""

from __future__ import annotations

import math
import re
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry

_QUEUE = re.compile(r"queue.*(depth|length|size|messages|backlog)|(depth|backlog)", re.I)
_RUNNING = re.compile(r"(in_progress|running|active)_?jobs|jobs_?(in_progress|running|active)", re.I)


def _families(registry: CollectorRegistry) -> list[dict[str, Any]]:
    out = []
    for fam in registry.collect():
        if not fam.name.startswith("harken_"):
            continue
        samples = [
            {"name": s.name, "labels": dict(s.labels), "value": s.value}
            for s in fam.samples
            if not s.name.endswith(("_created", "_bucket")) and not math.isnan(s.value)
        ]
        out.append({"name": fam.name, "type": fam.type, "help": fam.documentation, "samples": samples})
    return out


def _sum(fam: dict[str, Any] | None, suffix: str = "", where: Any = None) -> float | None:
    """None when the family has no samples here (e.g. a worker-side counter never touched in the gateway)."""
    samples = [s for s in (fam or {}).get("samples", []) if s["name"].endswith(suffix)]
    if not samples:
        return None
    return sum(s["value"] for s in samples if where is None or where(s["labels"]))


def glance(registry: CollectorRegistry = REGISTRY) -> dict[str, Any]:
    """Headline numbers (None where the gateway exports no such metric) plus every harken_ family."""
    fams = _families(registry)
    by_name = {f["name"]: f for f in fams}
    requests = by_name.get("harken_api_requests")
    latency = by_name.get("harken_api_request_seconds")
    finished = by_name.get("harken_jobs_finished")
    queue = next((f for f in fams if _QUEUE.search(f["name"]) and f["type"] == "gauge"), None)
    running = next((f for f in fams if _RUNNING.search(f["name"]) and f["type"] == "gauge"), None)
    count, total = _sum(latency, "_count"), _sum(latency, "_sum")
    cards = {
        "requests": _sum(requests, "_total"),
        "server_errors": _sum(requests, "_total", lambda lab: lab.get("status", "").startswith("5")),
        "client_errors": _sum(requests, "_total", lambda lab: lab.get("status", "").startswith("4")),
        "mean_latency_ms": (1000 * total / count) if count and total is not None else None,
        "jobs_completed": _sum(finished, "_total", lambda lab: lab.get("status") == "COMPLETED"),
        "jobs_failed": _sum(finished, "_total", lambda lab: lab.get("status") == "FAILED"),
        "queue_depth": _sum(queue),
        "queue_metric": queue["name"] if queue else None,
        "running_jobs": _sum(running),
        "running_metric": running["name"] if running else None,
    }
    return {"cards": cards, "families": fams}
