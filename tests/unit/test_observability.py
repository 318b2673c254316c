"""Exposition plumbing, the NVML collector's mapping, and where samples go under Celery prefork."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from services.observability import exposition, gpu

ROOT = Path(__file__).resolve().parents[2]


class FakeNvml:
    """NVML is the driver's C library: the one true external edge here (no GPU on CI machines)."""

    def __init__(self, devices: list[tuple[int, int, int]], fail: bool = False) -> None:
        self.devices, self.fail = devices, fail

    def nvmlDeviceGetCount(self) -> int:
        if self.fail:
            raise RuntimeError("GPU fell off the bus")
        return len(self.devices)

    def nvmlDeviceGetHandleByIndex(self, i: int) -> int:
        return i

    def nvmlDeviceGetMemoryInfo(self, h: int) -> Any:
        return SimpleNamespace(used=self.devices[h][0], total=self.devices[h][1])

    def nvmlDeviceGetUtilizationRates(self, h: int) -> Any:
        return SimpleNamespace(gpu=self.devices[h][2], memory=0)


def _text(collector: Any) -> str:
    reg = CollectorRegistry()
    reg.register(collector)
    return generate_latest(reg).decode()


def _samples(text: str) -> dict[tuple[str, str], float]:
    return {(s.name, s.labels.get("gpu", "")): s.value
            for fam in text_string_to_metric_families(text) for s in fam.samples}


def test_gpu_collector_maps_nvml_readings() -> None:
    got = _samples(_text(gpu.GpuCollector(FakeNvml([(40 * 2**30, 80 * 2**30, 97), (0, 80 * 2**30, 0)]))))
    assert got == {
        ("harken_gpu_devices", ""): 2,
        ("harken_gpu_memory_used_bytes", "0"): 40 * 2**30, ("harken_gpu_memory_used_bytes", "1"): 0,
        ("harken_gpu_memory_total_bytes", "0"): 80 * 2**30, ("harken_gpu_memory_total_bytes", "1"): 80 * 2**30,
        ("harken_gpu_utilization_ratio", "0"): 0.97, ("harken_gpu_utilization_ratio", "1"): 0.0,
    }


def test_gpu_collector_without_nvml_or_with_a_broken_gpu() -> None:
    no_gpu = gpu.GpuCollector()
    no_gpu._tried, no_gpu._nvml = True, None
    assert "harken_gpu_devices 0.0" in _text(no_gpu)
    assert "harken_gpu_memory" not in _text(no_gpu)
    broken = _text(gpu.GpuCollector(FakeNvml([(1, 2, 3)], fail=True)))
    assert "harken_gpu_devices 0.0" in broken and "harken_gpu_memory" not in broken


def test_gpu_collector_on_this_machine_never_fails_the_scrape() -> None:
    """Real NVML import path: the library is absent here (or a GPU is present); either way it answers."""
    text = _text(gpu.GpuCollector())
    assert "harken_gpu_devices" in text


def test_celery_worker_detection() -> None:
    assert exposition.running_as_celery_worker(["/venv/bin/celery", "-A", "workers.celery_app", "worker"])
    assert exposition.running_as_celery_worker(["/x/site-packages/celery/__main__.py", "-A", "a", "worker", "-c", "2"])
    assert not exposition.running_as_celery_worker(["/venv/bin/celery", "-A", "workers.celery_app", "beat"])
    assert not exposition.running_as_celery_worker(["/x/pytest/__main__.py", "tests/unit/test_worker_app.py"])


def test_prepare_refuses_once_prometheus_client_is_loaded(tmp_path: Path) -> None:
    assert "prometheus_client" in sys.modules
    assert exposition.prepare_multiprocess_dir("worker", str(tmp_path)) is None
    assert not any(tmp_path.iterdir())


def _run(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_forked_children_merge_and_dead_ones_are_pruned(tmp_path: Path) -> None:
    """What a prefork pool does: children forked after import write their own files; the parent's
    scrape sums them; a child killed without cleanup stops counting live gauges."""
    out = _run("""
        import os, signal, sys
        from services.observability import exposition
        folder = exposition.prepare_multiprocess_dir("worker", sys.argv[1] if len(sys.argv) > 1 else os.environ["BASE"])
        from prometheus_client import Counter, Gauge, generate_latest
        jobs = Counter("t_jobs", "jobs")
        busy = Gauge("t_busy", "busy", multiprocess_mode="livesum")
        pids = []
        ready_r, ready_w = os.pipe()
        for i in range(3):
            pid = os.fork()
            if pid == 0:
                jobs.inc(10)
                busy.set(1)
                if i < 2:
                    os._exit(0)
                os.write(ready_w, b"x")  # its samples are written
                signal.pause()
            pids.append(pid)
        for pid in pids[:2]:
            os.waitpid(pid, 0)   # exited without mark_process_dead, like a SIGKILLed child
        os.read(ready_r, 1)
        text = generate_latest(exposition.build_registry()).decode()
        print([l for l in text.splitlines() if l.startswith(("t_jobs_total", "t_busy"))])
        os.kill(pids[2], signal.SIGKILL); os.waitpid(pids[2], 0)
        text = generate_latest(exposition.build_registry()).decode()
        print([l for l in text.splitlines() if l.startswith(("t_jobs_total", "t_busy"))])
        live = {int(f.rsplit("_", 1)[1][:-3]) for f in os.listdir(folder) if f.startswith("gauge_livesum")}
        print(live == {os.getpid()}, len([f for f in os.listdir(folder) if f.startswith("counter")]))
    """, {"BASE": str(tmp_path)})
    first, second, files = out.strip().splitlines()
    assert "'t_jobs_total 30.0'" in first and "'t_busy 1.0'" in first  # two dead children pruned
    assert "'t_jobs_total 30.0'" in second and "'t_busy 0.0'" in second  # counters survive, gauges go
    assert files == "True 4"  # only the living parent keeps a live gauge; all 4 counter files stay


def test_prepare_wipes_stale_samples_of_an_earlier_run(tmp_path: Path) -> None:
    out = _run("""
        import os
        from services.observability import exposition
        stale = os.path.join(os.environ["BASE"], f"gateway-{os.getpid()}")
        os.makedirs(stale)
        open(os.path.join(stale, "counter_1.db"), "wb").write(b"junk")
        folder = exposition.prepare_multiprocess_dir("gateway", os.environ["BASE"])
        print(str(folder) == stale, os.listdir(folder), os.environ["PROMETHEUS_MULTIPROC_DIR"] == stale)
        print(exposition.multiprocess_folder() is not None)
    """, {"BASE": str(tmp_path)})
    assert out.split() == ["True", "[]", "True", "True"]


@pytest.mark.parametrize(("url", "expected"), [
    ("redis+socket:///tmp/r.sock", "unix:///tmp/r.sock"),
    ("redis://h:6379/0", "redis://h:6379/0"),
])
def test_broker_url_for_redis_py(url: str, expected: str) -> None:
    from services.observability.cluster_state import redis_url

    assert redis_url(url) == expected


def test_failure_reasons_have_bounded_labels() -> None:
    from workers import errors, job_metrics
    from workers.pipeline import failures

    for reason in (*failures.ALL_REASONS, errors.MEDIA_UNREACHABLE, errors.INTERNAL_FAILURE,
                   errors.OUTPUT_UNWRITABLE, errors.MEDIA_TOO_LARGE):
        assert job_metrics.reason_slug(reason) != "other", reason
    assert job_metrics.reason_slug("something new") == "other"
    assert len(set(job_metrics.REASON_SLUGS.values())) == 9


def test_model_label_is_short() -> None:
    from services.core.metrics import model_label

    assert model_label("/models/large-v3/") == "large-v3"
    assert model_label("tiny.en") == "tiny.en"
