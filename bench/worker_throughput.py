"""Worker throughput as multiples of real time.

1. Raw faster-whisper, tiny.en and base int8, sequential and batched (BatchedInferencePipeline),
   with 1 and 2 CTranslate2 threads, on one 2-minute file.
2. The service: `harken up` with one worker process per core (Celery prefork, concurrency = cores)
   given 8 queued 2-minute jobs at once; aggregate throughput (audio seconds ÷ wall time from the
   first Start to the last COMPLETED) against one raw faster-whisper process configured like one
   worker process (1 CTranslate2 thread, BLAS/OpenMP pools of 1) transcribing the same 8 files one
   after another — and, for reference, the same raw process with the libraries' default pools
   (which spread numpy's share of the work over every core).

Usage: python bench/worker_throughput.py [--models tiny.en base] [--jobs 8] [--seconds 120]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import embedded_stack, raw_whisper, speech_wav, wait_completed

from services.cli import WORKER_THREAD_VARS


def raw_matrix(models: list[str], audio: Path, seconds: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for model in models:
        for batch in (0, 8):
            for threads in (1, 2):
                run = raw_whisper(model, threads=threads, batch_size=batch)
                t = time.perf_counter()
                run(audio)
                xrt = seconds / (time.perf_counter() - t)
                label = f"{model} {'batched(8)' if batch else 'sequential'} threads={threads}"
                out[label] = round(xrt, 1)
                print(f"{label:40s} {xrt:6.1f}x real time", flush=True)
    return out


def raw_parallel(model: str, audio: Path, jobs: int, processes: int) -> float:
    """Wall seconds for ``processes`` raw processes side by side sharing ``jobs`` files: what the
    machine itself allows, with no service around the decoders."""
    from concurrent.futures import ThreadPoolExecutor

    t = time.perf_counter()
    with ThreadPoolExecutor(processes) as pool:
        list(pool.map(lambda n: raw_sequential(model, audio, n, capped=True),
                      [jobs // processes + (i < jobs % processes) for i in range(processes)]))
    return time.perf_counter() - t


def raw_sequential(model: str, audio: Path, jobs: int, capped: bool) -> float:
    """Wall seconds for one raw process (1 CTranslate2 thread) transcribing ``jobs`` files in turn,
    in a fresh interpreter: with ``capped`` its BLAS/OpenMP pools are one thread too, as in a
    worker process; otherwise they have the library defaults (a thread per core)."""
    env = {k: v for k, v in os.environ.items() if k not in WORKER_THREAD_VARS}
    if capped:
        env.update(dict.fromkeys(WORKER_THREAD_VARS, "1"))
    code = (f"import time; from common import raw_whisper; from pathlib import Path; r = raw_whisper({model!r}, 1); "
            f"a = Path({str(audio)!r}); r(a); t = time.perf_counter()\n"
            f"for _ in range({jobs}): r(a)\nprint(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=Path(__file__).parent, check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def aggregate(model: str, audio: Path, seconds: float, jobs: int, cores: int) -> dict[str, float]:
    raw_wall = raw_sequential(model, audio, jobs, capped=True)
    raw_default_wall = raw_sequential(model, audio, jobs, capped=False)
    # includes each process's model load and warm-up file, so it slightly understates the machine
    raw_parallel_wall = raw_parallel(model, audio, jobs, cores)
    with embedded_stack(model, concurrency=cores) as stack:
        s3, tr = stack.client("s3"), stack.client("transcribe")
        s3.upload_file(str(audio), stack.bucket, "two-minutes.wav")
        warm = [f"warm-{uuid.uuid4().hex[:6]}-{i}" for i in range(cores)]
        for name in warm:  # every prefork child loads its model before the clock starts
            tr.start_transcription_job(TranscriptionJobName=name, LanguageCode="en-US",
                                       Media={"MediaFileUri": f"s3://{stack.bucket}/two-minutes.wav"})
        for name in warm:
            wait_completed(tr, name)
        names = [f"agg-{uuid.uuid4().hex[:6]}-{i}" for i in range(jobs)]
        t = time.perf_counter()
        for name in names:
            tr.start_transcription_job(TranscriptionJobName=name, LanguageCode="en-US",
                                       Media={"MediaFileUri": f"s3://{stack.bucket}/two-minutes.wav"})
        for name in names:
            wait_completed(tr, name, every=0.2)
        svc_wall = time.perf_counter() - t
    total = jobs * seconds
    result = {"raw_one_process_x_realtime": round(total / raw_wall, 1),
              "raw_one_process_default_threads_x_realtime": round(total / raw_default_wall, 1),
              f"raw_{cores}_processes_x_realtime": round(total / raw_parallel_wall, 1),
              "service_x_realtime": round(total / svc_wall, 1),
              "service_vs_raw": round(raw_wall / svc_wall, 2),
              "service_vs_raw_default_threads": round(raw_default_wall / svc_wall, 2),
              "raw_wall_seconds": round(raw_wall, 1), "service_wall_seconds": round(svc_wall, 1)}
    print(f"{model}: {jobs} jobs of {seconds:.0f} s — one raw process {result['raw_one_process_x_realtime']}x "
          f"({result['raw_one_process_default_threads_x_realtime']}x with the libraries' default thread pools), "
          f"service with {cores} workers {result['service_x_realtime']}x → {result['service_vs_raw']}x one raw "
          f"process ({result['service_vs_raw_default_threads']}x); {cores} raw processes side by side "
          f"{result[f'raw_{cores}_processes_x_realtime']}x", flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    ap.add_argument("--aggregate-model", default="tiny.en")
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--skip-raw", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="harken-throughput-"))
    audio = speech_wav(work / "two-minutes.wav", args.seconds)
    result: dict[str, object] = {"cores": args.cores, "audio_seconds": args.seconds}
    if not args.skip_raw:
        result["raw"] = raw_matrix(args.models, audio, args.seconds)
    result["aggregate"] = aggregate(args.aggregate_model, audio, args.seconds, args.jobs, args.cores)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
