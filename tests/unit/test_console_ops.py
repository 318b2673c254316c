"""The ops glance reads a Prometheus registry: headline numbers, absent where nothing is exported."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from services.console.ops import glance


def test_headline_numbers_from_a_registry() -> None:
    reg = CollectorRegistry()
    req = Counter("harken_api_requests_total", "r", ["operation", "status"], registry=reg)
    req.labels("A", "200").inc(5)
    req.labels("A", "400").inc(2)
    req.labels("B", "500").inc()
    lat = Histogram("harken_api_request_seconds", "l", ["operation"], registry=reg)
    lat.labels("A").observe(0.01)
    lat.labels("A").observe(0.03)
    done = Counter("harken_jobs_finished_total", "f", ["status"], registry=reg)
    done.labels("COMPLETED").inc(7)
    done.labels("FAILED").inc(1)
    Gauge("harken_queue_depth", "q", ["queue"], registry=reg).labels("cpu").set(4)
    Gauge("harken_jobs_in_progress", "r", registry=reg).set(2)
    Counter("other_total", "not ours", registry=reg).inc()
    out = glance(reg)
    c = out["cards"]
    assert (c["requests"], c["client_errors"], c["server_errors"]) == (8, 2, 1)
    assert round(c["mean_latency_ms"], 3) == 20.0
    assert (c["jobs_completed"], c["jobs_failed"]) == (7, 1)
    assert (c["queue_depth"], c["queue_metric"]) == (4, "harken_queue_depth")
    assert (c["running_jobs"], c["running_metric"]) == (2, "harken_jobs_in_progress")
    names = {f["name"] for f in out["families"]}
    assert "other" not in names and "harken_api_requests" in names
    assert not any(s["name"].endswith("_bucket") for f in out["families"] for s in f["samples"])


def test_missing_metrics_are_absent_not_zero() -> None:
    c = glance(CollectorRegistry())["cards"]
    assert c["requests"] is None and c["queue_depth"] is None and c["running_jobs"] is None
    assert c["mean_latency_ms"] is None


def test_a_labelled_counter_never_touched_here_is_absent() -> None:
    reg = CollectorRegistry()
    Counter("harken_jobs_finished_total", "f", ["status"], registry=reg)  # workers count these
    c = glance(reg)["cards"]
    assert c["jobs_completed"] is None and c["jobs_failed"] is None
