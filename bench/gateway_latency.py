"""GetTranscriptionJob / ListTranscriptionJobs latency at 50 concurrent signed clients.

Creates a scratch database with N jobs (default 10,000) for one account, starts the gateway with
uvicorn (``--workers``), signs one request per operation with botocore's SigV4 signer and replays
it from 50 concurrent connections with ``wrk`` (C, so the load generator barely competes for the
two cores). The server verifies the signature and runs the full request path every time.
Besides latencies it reports CPU milliseconds per request of the gateway, Postgres, Redis and wrk
(robust on a loaded machine, where latencies are not).

Usage: python bench/gateway_latency.py [--jobs 10000] [--workers 2] [--seconds 20]
       [--throttle raised|off] [--get-only]
Needs: Postgres (HARKEN_TEST_PG_ADMIN_URL or 127.0.0.1:5432), Redis, wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.embedded.ports import free_port, wait_for_port
from tests.support import stack

ACCOUNT, KEY = stack.ACCOUNT_A, stack.KEY_A


def seed(url: str, n: int) -> None:
    import psycopg

    from services.db.migrate import upgrade
    from workers.outputs import plan_outputs

    upgrade(url)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for i in range(n):
        created = now - dt.timedelta(seconds=n - i)
        req = {"TranscriptionJobName": f"job-{i:06d}", "Media": {"MediaFileUri": f"s3://media/{i}.wav"},
               "LanguageCode": "en-US", "Subtitles": {"Formats": ["srt", "vtt"], "OutputStartIndex": 0}}
        status = "COMPLETED" if i % 3 else "FAILED"
        rows.append((ACCOUNT, "us-east-1", False, f"job-{i:06d}", status, json.dumps(req), "en-US", "wav", 16000,
                     created, created, created + dt.timedelta(seconds=30), 1,
                     "Bad media" if status == "FAILED" else None))
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO transcription_jobs (account_id, region, medical, name, status, request, language_code, "
            "media_format, media_sample_rate_hertz, creation_time, start_time, completion_time, attempts, "
            "failure_reason) VALUES (%s,%s,%s,%s,%s,%s::jsonb,%s,%s,%s,%s,%s,%s,%s,%s)", rows)
        # Completed jobs get the outputs record a worker writes (workers/outputs.py): transcript and
        # subtitles in the service bucket, so each Get presigns three URLs, as in production.
        done = cur.execute("SELECT id, account_id, name, request FROM transcription_jobs "
                           "WHERE status = 'COMPLETED'").fetchall()
        cur.executemany("UPDATE transcription_jobs SET outputs = %s::jsonb WHERE id = %s",
                        [(json.dumps(plan_outputs(i, acct, name, req).as_record()), i)
                         for i, acct, name, req in done])
        cur.execute("ANALYZE transcription_jobs")


def signed_headers(url: str, target: str, body: str) -> dict[str, str]:
    req = AWSRequest(method="POST", url=url + "/", data=body.encode(), headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"Transcribe.{target}"})
    SigV4Auth(Credentials(*KEY), "transcribe", "us-east-1").add_auth(req)
    return dict(req.headers.items())


class CpuMeter:
    """CPU seconds spent by each part of the request path while wrk runs, divided by the requests
    served: unlike latency, this barely moves when other work shares the cores.

    gateway: the server process and its workers; postgres: the backends connected to the scratch
    database; redis: the server's own counters (shared with anything else using that Redis, which
    is negligible here); wrk: the load generator (this process's reaped children)."""

    def __init__(self, server_pid: int, db_name: str) -> None:
        import psutil
        import redis

        self.psutil = psutil
        self.server = psutil.Process(server_pid)
        self.db_name = db_name
        self.redis = redis.Redis.from_url(stack.REDIS_URL)

    def _proc_cpu(self, procs: list[Any]) -> float:
        total = 0.0
        for proc in procs:
            try:
                t = proc.cpu_times()
                total += t.user + t.system
            except self.psutil.NoSuchProcess:
                pass
        return total

    def sample(self) -> dict[str, float]:
        import psycopg

        with psycopg.connect(stack.ADMIN_URL, autocommit=True) as conn:
            pids = [r[0] for r in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.db_name,)).fetchall()]
        info = self.redis.info("cpu")
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        gw = [self.server, *self.server.children(recursive=True)]
        return {
            "gateway": self._proc_cpu(gw),
            "gateway_sys": sum(p.cpu_times().system for p in gw),
            "postgres": self._proc_cpu([self.psutil.Process(pid) for pid in pids]),
            "redis": float(info["used_cpu_user"]) + float(info["used_cpu_sys"]),
            "wrk": children.ru_utime + children.ru_stime,
        }

    @staticmethod
    def per_request_ms(before: dict[str, float], after: dict[str, float], requests: float) -> dict[str, float]:
        """Postgres backends that appear during the run count from zero (the pool opens them lazily)."""
        out = {k: round((after[k] - before.get(k, 0.0)) * 1000 / max(requests, 1), 3) for k in after}
        out["total"] = round(sum(v for k, v in out.items() if k != "gateway_sys"), 3)
        return out


def check_get_shape(base: str) -> None:
    """The measured Get is a completed job with a presigned transcript and two subtitle URLs."""
    import urllib.request

    body = '{"TranscriptionJobName": "job-005000"}'
    req = urllib.request.Request(base + "/", data=body.encode(), method="POST",
                                 headers=signed_headers(base, "GetTranscriptionJob", body))
    with urllib.request.urlopen(req, timeout=10) as resp:
        job = json.loads(resp.read())["TranscriptionJob"]
    uris = [job["Transcript"]["TranscriptFileUri"], *job["Subtitles"]["SubtitleFileUris"]]
    assert job["TranscriptionJobStatus"] == "COMPLETED" and len(uris) == 3, job
    assert all("X-Amz-Signature=" in u for u in uris), uris


def run_wrk(url: str, target: str, body: str, seconds: int, connections: int) -> dict[str, float]:
    headers = signed_headers(url, target, body)
    script = Path(tempfile.mkdtemp()) / "req.lua"
    script.write_text('wrk.method = "POST"\nwrk.body = ' + json.dumps(body) + "\n" + "".join(
        f'wrk.headers["{k}"] = {json.dumps(v)}\n' for k, v in headers.items()) + """
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50=%f p90=%f p99=%f max=%f rps=%f requests=%d errors=%d non2xx=%d\\n",
    latency:percentile(50)/1000, latency:percentile(90)/1000, latency:percentile(99)/1000, latency.max/1000,
    summary.requests / (summary.duration / 1e6), summary.requests, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.errors.status))
end
""")
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "-s", str(script),
                          "--timeout", "10s", url + "/"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULT (.*)", out)
    assert m, out
    return {k: float(v) for k, v in (p.split("=") for p in m.group(1).split())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=None,
                    help="read-pool threads per gateway process (HARKEN_API__READ_THREADS; default: the setting's)")
    ap.add_argument("--inline", choices=["auto", "always", "never"], default=None,
                    help="where reads run (HARKEN_API__INLINE_READS; default: the setting's, auto: on the "
                         "event loop while fast); never: in the read pool, as before 2026-11-22 (later)")
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--throttle", choices=["raised", "off"], default="raised",
                    help="raised: the per-account rate limiter runs, with quotas above the offered load "
                         "(AWS's defaults would answer most calls ThrottlingException); off: no limiter")
    ap.add_argument("--get-only", action="store_true", help="measure GetTranscriptionJob only")
    ap.add_argument("--launcher", choices=["uvicorn", "harken"], default="uvicorn",
                    help="harken: start the gateway as operators do (`harken gateway`, access log on "
                         "unless HARKEN_API__ACCESS_LOG=false), its log written to a file; uvicorn: "
                         "uvicorn directly, no log (the figures before 2026-11-22)")
    ap.add_argument("--presigner", choices=["lean", "botocore"], default="lean",
                    help="botocore: presign output URLs with botocore's generate_presigned_url, as "
                         "before services/storage/presign.py (for comparison)")
    args = ap.parse_args()
    url, name = stack.create_database()
    port = free_port()
    env = dict(os.environ, HARKEN_DB__URL=url, HARKEN_BROKER__URL=stack.REDIS_URL,
               HARKEN_API__TOKEN_SECRET="bench-secret", HARKEN_AUTH__CREDENTIALS=json.dumps(
                   [{"access_key_id": KEY[0], "secret_access_key": KEY[1], "account_id": ACCOUNT}]),
               HARKEN_THROTTLE__ENABLED=str(args.throttle == "raised").lower(),
               **({"HARKEN_API__READ_THREADS": str(args.threads)} if args.threads is not None else {}),
               **({"HARKEN_API__INLINE_READS": args.inline} if args.inline else {}),
               HARKEN_THROTTLE__RATES=json.dumps({"GetTranscriptionJob": 1e6, "ListTranscriptionJobs": 1e6}))
    os.environ.update(env)  # the seeding reads the gateway's settings (service bucket) too
    t = time.perf_counter()
    seed(url, args.jobs)
    print(f"seeded {args.jobs} jobs in {time.perf_counter() - t:.1f}s", flush=True)
    app = ("services.gateway.app:create_app" if args.presigner == "lean"
           else "bench.botocore_presign_app:create_app")
    log_file = Path(tempfile.mkdtemp()) / "gateway.log"
    if args.launcher == "harken":
        assert args.presigner == "lean", "--launcher harken runs the code as it is"
        cmd = [sys.executable, "-m", "services.cli", "gateway", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(args.workers)]
    else:
        cmd = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(args.workers), "--log-level", "warning", "--no-access-log"]
    with log_file.open("wb") as sink:
        server = subprocess.Popen(cmd, env=env, stderr=sink)
    try:
        assert wait_for_port("127.0.0.1", port, 30)
        time.sleep(2)
        meter = CpuMeter(server.pid, name)
        base = f"http://127.0.0.1:{port}"
        check_get_shape(base)
        results = {}
        for label, target, body in [
            ("GetTranscriptionJob", "GetTranscriptionJob", '{"TranscriptionJobName": "job-005000"}'),
            ("ListTranscriptionJobs", "ListTranscriptionJobs", '{"MaxResults": 20}'),
            ("ListTranscriptionJobs(Status=FAILED,Contains)", "ListTranscriptionJobs",
             '{"Status": "FAILED", "JobNameContains": "00", "MaxResults": 20}'),
        ][: 1 if args.get_only else 3]:
            run_wrk(base, target, body, 3, args.connections)  # warm-up
            before = meter.sample()
            r = run_wrk(base, target, body, args.seconds, args.connections)
            cpu = CpuMeter.per_request_ms(before, meter.sample(), r["requests"])
            results[label] = {**r, "cpu_ms_per_request": cpu}
            print(f"{label:48s} p50 {r['p50']:6.1f} ms  p90 {r['p90']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
                  f"{r['rps']:7.0f} req/s  errors {int(r['errors'])} non-2xx {int(r['non2xx'])}", flush=True)
            print(f"{'':48s} CPU ms/request: " + "  ".join(f"{k} {v:.3f}" for k, v in cpu.items()), flush=True)
        access_lines = sum(1 for line in log_file.open(errors="replace") if "harken.access" in line)
        print(f"access-log lines written: {access_lines}", flush=True)
        print(json.dumps({"jobs": args.jobs, "workers": args.workers, "connections": args.connections,
                          "inline_reads": args.inline or "default", "read_threads": args.threads or "default",
                          "throttle": args.throttle, "presigner": args.presigner,
                          "launcher": args.launcher, "access_log_lines": access_lines,
                          "results": results}))
    finally:
        server.terminate()
        server.wait(10)
        stack.drop_database(name)


if __name__ == "__main__":
    main()
