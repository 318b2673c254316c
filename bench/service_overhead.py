"""Service overhead: StartTranscriptionJob → COMPLETED versus faster-whisper called directly.

One run, same machine, same 5-minute file, same model and decoding settings (beam, VAD, word
timestamps, int8, one CTranslate2 thread — the worker's defaults). Raw and service runs alternate
so that whatever else the machine does hits both alike; the worker is warmed with one job first
(a production worker keeps its model loaded). Wall time moves with anything else the machine runs, so
CPU seconds are reported too: the raw process's, and the whole stack's over the job. Also reports
the job pick-up latency on an idle worker (from sending StartTranscriptionJob until the worker
holds the job's lease) and the worker's peak RSS.

Usage: python bench/service_overhead.py [--model tiny.en] [--seconds 300] [--repeat 2] [--pickups 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from common import cpu_seconds, embedded_stack, peak_rss_mib, raw_whisper, speech_wav, wait_completed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--pickups", type=int, default=20)
    ap.add_argument("--poll", type=float, default=0.1, help="seconds between GetTranscriptionJob polls")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="harken-overhead-"))
    audio = speech_wav(work / "speech.wav", args.seconds)
    short = speech_wav(work / "short.wav", 3)
    raw = raw_whisper(args.model)
    raw(short)  # load and warm like the worker

    with embedded_stack(args.model, concurrency=1) as stack:
        s3, tr = stack.client("s3"), stack.client("transcribe")
        s3.upload_file(str(audio), stack.bucket, "speech.wav")
        s3.upload_file(str(short), stack.bucket, "short.wav")

        def service(key: str) -> tuple[float, dict]:
            name = f"bench-{uuid.uuid4().hex[:8]}"
            t = time.perf_counter()
            tr.start_transcription_job(TranscriptionJobName=name, LanguageCode="en-US",
                                       Media={"MediaFileUri": f"s3://{stack.bucket}/{key}"})
            job = wait_completed(tr, name, every=args.poll)
            return time.perf_counter() - t, job

        service("short.wav")  # the worker loads its model once, as in production
        raw_times, svc_times, raw_cpu, svc_cpu, worker_cpu = [], [], [], [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            raw(audio)
            raw_times.append(time.perf_counter() - t)
            raw_cpu.append(time.process_time() - c)
            pids, workers = stack.all_pids(), stack.worker_pids()
            c, w = cpu_seconds(pids), cpu_seconds(workers)
            svc_times.append(service("speech.wav")[0])
            # CPU of the whole stack (gateway, worker, Postgres, Redis, S3) over the job, polling
            # included: unlike wall time, it does not move with whatever else the machine runs.
            svc_cpu.append(cpu_seconds(pids) - c)
            worker_cpu.append(cpu_seconds(workers) - w)
            print(f"raw {raw_times[-1]:.2f} s wall, {raw_cpu[-1]:.2f} s CPU   "
                  f"service {svc_times[-1]:.2f} s wall, {svc_cpu[-1]:.2f} s CPU "
                  f"({worker_cpu[-1]:.2f} s in the worker)", flush=True)

        pickups = []
        db = psycopg.connect(stack.db_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
        for _ in range(args.pickups):
            time.sleep(1.0)  # the worker is idle, waiting on the broker
            name = f"pickup-{uuid.uuid4().hex[:8]}"
            t = time.perf_counter()
            tr.start_transcription_job(TranscriptionJobName=name, LanguageCode="en-US",
                                       Media={"MediaFileUri": f"s3://{stack.bucket}/short.wav"})
            # Claimed = the worker took the job's lease (the first thing a task does).
            while db.execute("SELECT lease_owner FROM transcription_jobs WHERE name = %s",
                             (name,)).fetchone()[0] is None:
                time.sleep(0.002)
            pickups.append((time.perf_counter() - t) * 1000)
            wait_completed(tr, name)
        db.close()
        rss = {pid: peak_rss_mib(pid) for pid in stack.worker_pids()}

    raw_s, svc_s = statistics.median(raw_times), statistics.median(svc_times)
    result = {
        "model": args.model, "audio_seconds": args.seconds,
        "raw_seconds": [round(x, 2) for x in raw_times], "service_seconds": [round(x, 2) for x in svc_times],
        "overhead_percent": round((svc_s - raw_s) / raw_s * 100, 1),
        "raw_cpu_seconds": [round(x, 2) for x in raw_cpu], "service_cpu_seconds": [round(x, 2) for x in svc_cpu],
        "worker_cpu_seconds": [round(x, 2) for x in worker_cpu],
        "cpu_overhead_percent": round((statistics.median(svc_cpu) - statistics.median(raw_cpu))
                                      / statistics.median(raw_cpu) * 100, 1),
        "raw_x_realtime": round(args.seconds / raw_s, 1), "service_x_realtime": round(args.seconds / svc_s, 1),
        "pickup_ms": {"median": round(statistics.median(pickups), 1),
                      "p90": round(sorted(pickups)[int(0.9 * (len(pickups) - 1))], 1),
                      "max": round(max(pickups), 1)},
        "worker_peak_rss_mib": {str(pid): round(v, 1) for pid, v in rss.items()},
    }
    print(f"overhead {result['overhead_percent']} % wall (median raw {raw_s:.2f} s, service {svc_s:.2f} s), "
          f"{result['cpu_overhead_percent']} % CPU; "
          f"pick-up median {result['pickup_ms']['median']} ms, max {result['pickup_ms']['max']} ms; "
          f"worker peak RSS {max(rss.values(), default=0):.0f} MiB")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
