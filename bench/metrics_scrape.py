"""Cost of one /metrics scrape in multiprocess mode: merging N pool processes' sample files.

A worker pod's scrape reads every child's memory-mapped files (plus those of children that were
replaced: their counters are kept). This forks N children that each record what one job records
(API-free: transitions, audio, RTF, model load, task outcome, busy/idle), then times the merged
exposition the Celery main process serves.

    python bench/metrics_scrape.py [--children 2 8 32] [--repeat 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--children", type=int, nargs="+", default=[2, 8, 32])
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    from services.observability import exposition

    base = tempfile.mkdtemp(prefix="harken-bench-metrics-")
    folder = exposition.prepare_multiprocess_dir("bench", base)
    assert folder is not None
    from prometheus_client import generate_latest

    from services.core import metrics as m

    registry = exposition.build_registry()
    spawned = 0
    for n in args.children:
        while spawned < n:
            pid = os.fork()
            if pid == 0:
                m.WORKER_PROCESSES.labels("gpu").set(1)
                for model in ("large-v3", "turbo"):
                    m.AUDIO_SECONDS.labels(model).inc(60)
                    m.TRANSCRIBE_SECONDS.labels(model).inc(3)
                    m.REAL_TIME_FACTOR.labels(model).observe(0.05)
                    m.MODEL_LOAD_SECONDS.labels(model, "cuda").observe(4)
                m.record_transition("IN_PROGRESS", "COMPLETED")
                m.JOB_FAILURES.labels("unsupported_media_format").inc()
                m.WORKER_TASKS.labels("harken.transcribe_job", "SUCCESS").inc()
                m.JOB_SECONDS.observe(30)
                os._exit(0)
            os.waitpid(pid, 0)
            spawned += 1
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            body = generate_latest(registry)
            times.append(time.perf_counter() - t)
        files = len(os.listdir(folder))
        print(f"{n:4d} processes ({files:4d} files, {len(body) / 1024:.0f} KiB): "
              f"median {statistics.median(times) * 1000:.1f} ms, p95 "
              f"{sorted(times)[int(0.95 * len(times)) - 1] * 1000:.1f} ms per scrape")
    return 0


if __name__ == "__main__":
    sys.exit(main())
