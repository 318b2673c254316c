"""Worker throughput as multiples of real time.

1. Raw faster-whisper, tiny.en and base int8, sequential and batched (BatchedInferencePipeline),
   with 1 and 2 CTranslate2 threads, on one 2-minute file.
2. The service: `harken up` with one worker process per core (Celery prefork, concurrency = cores)
   given 8 queued 2-minute jobs at once; aggregate throughput (audio seconds ÷ wall time from the
   first Start to the last COMPLETED) against one raw faster-whisper process (1 thread, the
   worker's setting) transcribing the same 8 files one after another.

Usage: python bench/worker_throughput.py [--models tiny.en base] [--jobs 8] [--seconds 120]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

from common import embedded_stack, raw_whisper, speech_wav, wait_completed


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


def aggregate(model: str, audio: Path, seconds: float, jobs: int, cores: int) -> dict[str, float]:
    raw = raw_whisper(model, threads=1)
    raw(audio)  # warm
    t = time.perf_counter()
    for _ in range(jobs):
        raw(audio)
    raw_wall = time.perf_counter() - t
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
            wait_completed(tr, name)
        svc_wall = time.perf_counter() - t
    total = jobs * seconds
    result = {"raw_one_process_x_realtime": round(total / raw_wall, 1),
              "service_x_realtime": round(total / svc_wall, 1),
              "service_vs_raw": round(raw_wall / svc_wall, 2),
              "raw_wall_seconds": round(raw_wall, 1), "service_wall_seconds": round(svc_wall, 1)}
    print(f"{model}: {jobs} jobs of {seconds:.0f} s — one raw process {result['raw_one_process_x_realtime']}x, "
          f"service with {cores} workers {result['service_x_realtime']}x → {result['service_vs_raw']}x one raw "
          "process", flush=True)
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
