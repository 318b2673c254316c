"""Scrape a real gateway (2 uvicorn processes) and a real Celery prefork worker (2 children).

Both run as an operator runs them (``harken gateway``, ``harken worker --reaper``), jobs go through
boto3 and the real faster-whisper pipeline, and the test reads /metrics the way Prometheus does.
It proves the multiprocess plumbing (counts add up across processes, a killed pool child stops
counting) and that every metric the dashboards name is really served by one of the two.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from services.embedded.ports import free_port, wait_for_port
from services.observability import gpu
from tests.conftest import make_client
from tests.support import promql, stack

ROOT = Path(__file__).resolve().parents[2]
STREAMING = "harken_stream_"
LIVE_FILE = re.compile(r"^gauge_livesum_(\d+)\.db$")


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(url, timeout=10).text
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    want = set(labels.items())
    return sum(v for (n, lab), v in samples.items() if n == name and want <= set(lab))


def names(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> set[str]:
    return {n for n, _ in samples}


@dataclass
class Ops:
    gateway_url: str
    worker_url: str
    queue: str
    gateway_dir: Path
    worker_dir: Path
    worker: subprocess.Popen[bytes]
    worker_log: Path
    client: Any


def _wait(predicate: Any, timeout: float, what: str, log: Path | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


@pytest.fixture(scope="module")
def ops(harken_env: dict[str, str], media_bucket: str, s3: Any, tmp_path_factory: pytest.TempPathFactory,
        ) -> Iterator[Ops]:
    tmp = tmp_path_factory.mktemp("ops")
    queue = f"metrics-{uuid.uuid4().hex[:8]}"
    # A database of its own: the worker runs the reaper, which would otherwise adopt (and count)
    # jobs other tests left IN_PROGRESS in the shared test database.
    from services.db.migrate import upgrade

    db_url, db_name = stack.create_database()
    upgrade(db_url)
    gport, wport = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(harken_env, PYTHONPATH=str(ROOT), HARKEN_DB__URL=db_url, HARKEN_WORKER__QUEUE=queue,
               HARKEN_METRICS__QUEUES=json.dumps([queue]), HARKEN_METRICS__WORKER_PORT=str(wport),
               HARKEN_METRICS__MULTIPROC_DIR=str(tmp / "prom"), HARKEN_METRICS__CLUSTER_STATE_CACHE_SECONDS="0",
               HARKEN_WORKER__REAPER_INTERVAL_SECONDS="2", HARKEN_WHISPER__MODEL="tiny.en")
    cli = [sys.executable, "-m", "services.cli"]
    glog, wlog = tmp / "gateway.log", tmp / "worker.log"
    procs = []
    with open(glog, "wb") as gout, open(wlog, "wb") as wout:
        procs.append(subprocess.Popen(
            [*cli, "gateway", "--host", "127.0.0.1", "--port", str(gport), "--workers", "2", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=gout, stderr=subprocess.STDOUT, start_new_session=True))
        worker = subprocess.Popen(
            [*cli, "worker", "--concurrency", "2", "--reaper", "--", "-n", f"{queue}@%h", "--without-gossip",
             "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=wout, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(worker)
    try:
        assert wait_for_port("127.0.0.1", gport, 60), glog.read_text()
        assert wait_for_port("127.0.0.1", wport, 90), wlog.read_text()
        url = f"http://127.0.0.1:{gport}"
        yield Ops(url + "/metrics", f"http://127.0.0.1:{wport}/metrics", queue,
                  tmp / "prom" / f"gateway-{procs[0].pid}", tmp / "prom" / f"worker-{worker.pid}",
                  worker, wlog, make_client("transcribe", url, stack.KEY_A))
    finally:
        for p in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait(10)
        stack.drop_database(db_name)


@pytest.fixture(scope="module")
def finished_jobs(ops: Ops, s3: Any, media_bucket: str) -> dict[str, str]:
    s3.put_object(Bucket=media_bucket, Key="audio/not-audio.wav", Body=b"NOT AUDIO" * 100)
    jobs = {f"metrics-good-{ops.queue}": f"s3://{media_bucket}/audio/en-gb.flac",
            f"metrics-bad-{ops.queue}": f"s3://{media_bucket}/audio/not-audio.wav"}
    for name, uri in jobs.items():
        ops.client.start_transcription_job(TranscriptionJobName=name, LanguageCode="en-US",
                                           Media={"MediaFileUri": uri})

    def statuses() -> dict[str, str] | None:
        got = {n: ops.client.get_transcription_job(TranscriptionJobName=n)["TranscriptionJob"] for n in jobs}
        done = {n: j["TranscriptionJobStatus"] for n, j in got.items()}
        return done if all(s in ("COMPLETED", "FAILED") for s in done.values()) else None

    return dict(_wait(statuses, 240, "jobs to finish", ops.worker_log))


def test_gateway_processes_add_up(ops: Ops, finished_jobs: dict[str, str]) -> None:
    for _ in range(20):
        ops.client.list_transcription_jobs(MaxResults=1)
    writers = {int(m.group(1)) for f in os.listdir(ops.gateway_dir) if (m := re.search(r"_(\d+)\.db$", f))}
    assert len(writers) == 2, f"both uvicorn workers write samples: {sorted(os.listdir(ops.gateway_dir))}"
    for _ in range(4):  # whichever process answers, it reports the whole pod
        samples = scrape(ops.gateway_url)
        assert value(samples, "harken_api_requests_total", operation="ListTranscriptionJobs", status="200") == 20
        assert value(samples, "harken_api_requests_total", operation="StartTranscriptionJob", status="200") == 2
        assert value(samples, "harken_job_transitions_total", from_state="NONE", to_state="IN_PROGRESS") == 2
    assert value(samples, "harken_cluster_state_up") == 1
    assert ("harken_queue_depth", (("queue", ops.queue),)) in samples
    assert ("harken_jobs", (("state", "IN_PROGRESS"),)) in samples


def test_worker_pool_metrics(ops: Ops, finished_jobs: dict[str, str]) -> None:
    assert sorted(finished_jobs.values()) == ["COMPLETED", "FAILED"]
    samples = scrape(ops.worker_url)
    assert value(samples, "harken_worker_processes", queue=ops.queue) == 2  # livesum of the 2 children
    assert value(samples, "harken_worker_busy", queue=ops.queue) == 0
    assert value(samples, "harken_jobs_finished_total", status="COMPLETED") == 1
    assert value(samples, "harken_job_failures_total", reason="unsupported_media_format") == 1
    assert value(samples, "harken_job_transitions_total", from_state="IN_PROGRESS", to_state="FAILED") == 1
    assert value(samples, "harken_worker_tasks_total", task="harken.transcribe_job", state="SUCCESS") == 2
    assert 5 < value(samples, "harken_audio_seconds_total", model="tiny.en") < 15  # the clip is ~8 s
    assert value(samples, "harken_transcribe_seconds_total", model="tiny.en") > 0
    assert value(samples, "harken_real_time_factor_count", model="tiny.en") == 1
    assert value(samples, "harken_model_load_seconds_count", model="tiny.en", device="cpu") >= 1
    assert value(samples, "harken_gpu_devices") >= 0


def test_every_dashboard_metric_is_served(ops: Ops, finished_jobs: dict[str, str]) -> None:
    # the reaper (celery beat → pool) has run at least once: its requeue counters exist
    _wait(lambda: "harken_jobs_requeued_total" in names(scrape(ops.worker_url)), 30, "a reaper pass",
          ops.worker_log)
    served = names(scrape(ops.gateway_url)) | names(scrape(ops.worker_url))
    wanted = set()
    for path in promql.dashboard_files():
        for _, expr in promql.dashboard_exprs(path):
            wanted |= promql.metric_names(expr)
    gpu_present = "harken_gpu_memory_total_bytes" in served
    missing = set()
    for name in wanted - served - promql.BUILTIN:
        if name.startswith(STREAMING):
            continue  # served by the streaming server (tests/deploy/test_dashboards.py checks the names)
        if name in gpu.FAMILIES and not gpu_present:
            continue  # no NVML on this machine; the GPU collector's describe() is checked below
        missing.add(name)
    assert not missing, f"named on dashboards, served by neither gateway nor worker: {sorted(missing)}"
    assert "harken_gpu_devices" in served
    if not gpu_present:
        declared = {m.name for m in gpu.GpuCollector().describe()}
        assert {n for n in wanted if n.startswith("harken_gpu_")} <= declared


def test_killed_pool_child_stops_counting(ops: Ops, finished_jobs: dict[str, str]) -> None:
    def children() -> set[int]:
        return {int(m.group(1)) for f in os.listdir(ops.worker_dir) if (m := LIVE_FILE.match(f))}

    before = children()
    assert len(before) == 2, before
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    # Celery replaces the child; the dead one's live gauges are pruned at scrape time
    _wait(lambda: len(children() - before) == 1, 60, "a replacement pool child", ops.worker_log)
    samples = scrape(ops.worker_url)
    assert value(samples, "harken_worker_processes", queue=ops.queue) == 2
    assert victim not in children()
