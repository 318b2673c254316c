"""``harken up``: the whole stack on one machine, embedded and supervised, data kept across restarts.

The supervisor process owns every child (Postgres, Redis, SeaweedFS, gateway, worker) and records
itself in ``<data_dir>/run/up.json`` so that ``harken status``/``harken down`` and a detached start
can find it. The same code runs in the foreground (Ctrl-C stops it) and detached (``--detach``
re-executes it in a new session and waits for it to report ready).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.core.settings import DEV_ACCOUNT_ID, Settings
from services.embedded.ports import port_open
from services.embedded.supervisor import (
    Child,
    Supervisor,
    child_preexec,
    ignore_signals,
    install_signal_handlers,
    pid_alive,
    stop_process,
    write_json_atomic,
)

log = logging.getLogger("harken.up")

HARKEN_DB = "harken"


class UpError(RuntimeError):
    """A start-up problem the operator can fix (busy port, already running…): printed, not traced."""


def data_dir(settings: Settings) -> Path:
    return Path(settings.data_dir).expanduser().resolve()


def state_path(settings: Settings) -> Path:
    return data_dir(settings) / "run" / "up.json"


def read_state(settings: Settings) -> dict[str, Any] | None:
    """The running stack's state, or None (a stale file of a dead supervisor counts as none)."""
    path = state_path(settings)
    try:
        state: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not pid_alive(int(state.get("pid", 0))):
        return None
    return state


@dataclass
class Endpoints:
    gateway: str
    s3: str
    #: ``https://host:port`` of the streaming server, and the certificate clients must trust.
    streaming: str | None
    certificate: Path | None
    access_key_id: str
    secret_access_key: str
    region: str
    dev_bucket: str
    service_bucket: str
    data_dir: Path


def summary(e: Endpoints, seconds: float | None = None) -> str:
    started = f" (ready in {seconds:.1f} s)" if seconds is not None else ""
    streaming = (f"  Streaming endpoint   {e.streaming}   (HTTP/2 + WebSocket; trust {e.certificate})\n"
                 if e.streaming else "")
    return f"""Harken is up{started}
  Transcribe endpoint  {e.gateway}
  S3 endpoint          {e.s3}   buckets: {e.dev_bucket} (yours), {e.service_bucket}
{streaming}  Access key id        {e.access_key_id}
  Secret access key    {e.secret_access_key}
  Region               {e.region}
  Data and logs        {e.data_dir}   (logs in {e.data_dir / "logs"})

Try it (any file ffmpeg can read):

python - <<'EOF'
import time, boto3
kw = dict(region_name="{e.region}", aws_access_key_id="{e.access_key_id}",
          aws_secret_access_key="{e.secret_access_key}")
s3 = boto3.client("s3", endpoint_url="{e.s3}", **kw)
tr = boto3.client("transcribe", endpoint_url="{e.gateway}", **kw)
s3.upload_file("hello.wav", "{e.dev_bucket}", "hello.wav")
tr.start_transcription_job(TranscriptionJobName="hello", LanguageCode="en-US",
                           Media={{"MediaFileUri": "s3://{e.dev_bucket}/hello.wav"}})
while (job := tr.get_transcription_job(TranscriptionJobName="hello")["TranscriptionJob"])[
        "TranscriptionJobStatus"] in ("QUEUED", "IN_PROGRESS"):
    time.sleep(1)
print(job["TranscriptionJobStatus"], job.get("Transcript"))
EOF

Stop: Ctrl-C in the foreground, or `harken down` when started with --detach."""


def _check_ports(settings: Settings, embedded_pg: bool) -> None:
    up = settings.up
    wanted = {"HARKEN_UP__GATEWAY_PORT": up.gateway_port, "HARKEN_UP__S3_PORT": up.s3_port,
              "HARKEN_UP__REDIS_PORT": up.redis_port}
    if embedded_pg:
        wanted["HARKEN_UP__POSTGRES_PORT"] = up.postgres_port
    if up.streaming:
        wanted["HARKEN_UP__STREAMING_PORT"] = up.streaming_port
    busy = [f"{port} ({var})" for var, port in wanted.items() if port_open("127.0.0.1", port, 0.3)]
    if busy:
        raise UpError("port(s) already in use: " + ", ".join(busy) +
                      "; set the named variable(s) to a free port")


def _use_embedded_postgres(settings: Settings) -> bool:
    from services.embedded.postgres import reachable

    mode = settings.up.postgres
    if mode == "embedded":
        return True
    ok = reachable(settings.db.url)
    if mode == "external" and not ok:
        raise UpError(f"HARKEN_UP__POSTGRES=external but HARKEN_DB__URL does not answer: {settings.db.url}")
    return not ok


def _wait_http(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise UpError(f"process for {url} exited with {process.returncode}; see the logs")
        try:
            r = httpx.get(url, timeout=2)
            if r.status_code == 200:
                return
            last = f"HTTP {r.status_code}"
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.1)
    raise UpError(f"{url} not ready after {timeout:.0f}s ({last})")


def _wait_tls(host: str, port: int, timeout: float) -> None:
    """The streaming server listens once its model is loaded (it warms up before serving)."""
    from services.embedded.ports import wait_for_port

    if not wait_for_port("127.0.0.1" if host == "0.0.0.0" else host, port, timeout):
        raise UpError(f"the streaming server did not listen on port {port} within {timeout:.0f} s "
                      "(see logs/streaming.log)")


def worker_available() -> bool:
    try:
        return importlib.util.find_spec("workers.celery_app") is not None
    except ImportError:
        return False


def run_foreground(settings: Settings) -> int:
    """Start everything, supervise until interrupted, stop in reverse order."""
    from services.db.migrate import upgrade
    from services.embedded.postgres import EmbeddedPostgres, ensure_database
    from services.embedded.redis import EmbeddedRedis
    from services.embedded.seaweed import SeaweedS3

    t0 = time.monotonic()
    up = settings.up
    root = data_dir(settings)
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if read_state(settings):
        raise UpError(f"Harken is already running from {root}; `harken status` or `harken down`")
    embedded_pg = _use_embedded_postgres(settings)
    _check_ports(settings, embedded_pg)

    state: dict[str, Any] = {"pid": os.getpid(), "status": "starting", "data_dir": str(root),
                             "started_at": time.time()}
    write_json_atomic(state_path(settings), state)
    install_signal_handlers()
    sup = Supervisor()
    try:
        # 1. Postgres: the machine's (HARKEN_DB__URL) when it answers, else a private cluster.
        if embedded_pg:
            pg = EmbeddedPostgres(root / "postgres", up.postgres_port)
            pg.prepare()
            sup.start(Child("postgres", lambda: pg.popen(logs / "postgres.log"), pg.wait_ready,
                            stop_signal="SIGINT", stop_timeout=30))
            ensure_database(pg.url(driver="postgresql"), HARKEN_DB)
            db_url = pg.url(HARKEN_DB)
        else:
            from sqlalchemy.engine import make_url

            u = make_url(settings.db.url)
            ensure_database(u.set(drivername="postgresql", database="postgres")
                            .render_as_string(hide_password=False), u.database or HARKEN_DB)
            db_url = settings.db.url
        # 2. Redis, the Celery broker.
        rd = EmbeddedRedis(root / "redis", up.redis_port)
        sup.start(Child("redis", lambda: rd.popen(logs / "redis.log"), rd.wait_ready))
        # 3. S3: the one key pair serves S3 and the Transcribe API.
        s3 = SeaweedS3(root / "s3", up.s3_port, up.access_key_id, up.secret_access_key)
        sup.start(Child("s3", lambda: s3.popen(logs / "s3.log"), lambda: s3.wait_ready(90)))
        upgrade(db_url)
        _create_buckets(s3.endpoint_url, settings)

        env = child_env(settings, db_url, rd.url, s3.endpoint_url)
        cli = [sys.executable, "-m", "services.cli"]
        gw_url = f"http://127.0.0.1:{up.gateway_port}"

        def spawn(name: str, args: list[str]) -> subprocess.Popen[bytes]:
            out = open(logs / f"{name}.log", "ab")  # noqa: SIM115 - lives with the process
            return subprocess.Popen(cli + args, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env, start_new_session=True,
                                    preexec_fn=child_preexec)

        gw = Child("gateway", lambda: spawn("gateway", [
            "gateway", "--host", up.host, "--port", str(up.gateway_port),
            "--workers", str(up.gateway_workers)]))
        gw.ready = lambda: _wait_http(gw_url + "/ready", 60, gw.process)
        sup.start(gw)
        streaming_url = None
        if up.streaming:
            from services.embedded.tls import self_signed

            cert, key = self_signed(root / "tls")
            streaming_url = f"https://{'localhost' if up.host in ('127.0.0.1', '0.0.0.0') else up.host}:" \
                            f"{up.streaming_port}"
            sup.start(Child("streaming", lambda: spawn("streaming", [
                "streaming", "--host", up.host, "--port", str(up.streaming_port),
                "--certfile", str(cert), "--keyfile", str(key)]),
                lambda: _wait_tls(up.host, up.streaming_port, 120)))
        if up.worker and worker_available():
            sup.start(Child("worker", lambda: spawn("worker", [
                "worker", "--reaper", "--concurrency", str(up.worker_concurrency)]), stop_timeout=30))
        elif up.worker:
            log.warning("workers.celery_app is not installed: API only, jobs stay QUEUED")

        endpoints = Endpoints(gw_url if up.host in ("127.0.0.1", "0.0.0.0") else f"http://{up.host}:{up.gateway_port}",
                              s3.endpoint_url, streaming_url,
                              (root / "tls" / "cert.pem") if streaming_url else None,
                              up.access_key_id, up.secret_access_key,
                              settings.s3.region, up.dev_bucket, settings.s3.service_bucket, root)
        elapsed = time.monotonic() - t0
        text = summary(endpoints, elapsed)
        state.update(status="ready", ready_seconds=round(elapsed, 2), summary=text,
                     endpoints={"gateway": endpoints.gateway, "s3": endpoints.s3,
                                "streaming": endpoints.streaming},
                     db_url=db_url, broker_url=rd.url, children=sup.pids())
        write_json_atomic(state_path(settings), state)
        print(text, flush=True)
        while True:
            if sup.check():
                state["children"] = sup.pids()
                write_json_atomic(state_path(settings), state)
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nstopping Harken…", flush=True)
        return 0
    except UpError as exc:
        print(f"harken up: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        ignore_signals()
        with contextlib.suppress(Exception):
            state.update(status="stopping")
            write_json_atomic(state_path(settings), state)
        sup.stop_all()
        with contextlib.suppress(OSError):
            state_path(settings).unlink()
        signal.signal(signal.SIGINT, signal.default_int_handler)


def child_env(settings: Settings, db_url: str, broker_url: str, s3_url: str) -> dict[str, str]:
    """Settings for the gateway and worker, passed the way an operator would: environment variables."""
    up = settings.up
    creds = [c.model_dump() for c in settings.auth.credentials
             if c.access_key_id != up.access_key_id]
    creds.append({"access_key_id": up.access_key_id, "secret_access_key": up.secret_access_key,
                  "account_id": DEV_ACCOUNT_ID})
    env = dict(os.environ)
    env.update({
        "HARKEN_DEV_MODE": "true",
        "HARKEN_DATA_DIR": str(data_dir(settings)),
        "HARKEN_DB__URL": db_url,
        "HARKEN_BROKER__URL": broker_url,
        "HARKEN_S3__ENDPOINT_URL": s3_url,
        "HARKEN_S3__ACCESS_KEY_ID": up.access_key_id,
        "HARKEN_S3__SECRET_ACCESS_KEY": up.secret_access_key,
        "HARKEN_AUTH__CREDENTIALS": json.dumps(creds),
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _create_buckets(endpoint: str, settings: Settings) -> None:
    from services.core.settings import S3Settings
    from services.storage.s3 import ensure_bucket

    s3 = S3Settings(**{**settings.s3.model_dump(), "endpoint_url": endpoint,
                       "access_key_id": settings.up.access_key_id,
                       "secret_access_key": settings.up.secret_access_key})
    for bucket in (settings.s3.service_bucket, settings.up.dev_bucket):
        ensure_bucket(bucket, s3)


def run_detached(settings: Settings, timeout: float = 180.0) -> int:
    """Re-run ``harken up`` in a new session with output to the log; return once it reports ready."""
    root = data_dir(settings)
    if read_state(settings):
        print(f"Harken is already running from {root}; `harken status` or `harken down`", file=sys.stderr)
        return 1
    (root / "logs").mkdir(parents=True, exist_ok=True)
    log_path = root / "logs" / "up.log"
    out = open(log_path, "ab")  # noqa: SIM115 - handed to the daemon
    proc = subprocess.Popen([sys.executable, "-m", "services.cli", "up"], stdout=out,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                            close_fds=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            print(f"harken up failed (exit {proc.returncode}); {log_path}:\n{tail}", file=sys.stderr)
            return 1
        state = read_state(settings)
        if state and state.get("pid") == proc.pid and state.get("status") == "ready":
            print(state["summary"])
            print(f"\nDetached (pid {proc.pid}); log: {log_path}")
            return 0
        time.sleep(0.2)
    print(f"harken up did not become ready in {timeout:.0f}s; see {log_path}", file=sys.stderr)
    stop_process(proc, 30)
    return 1


def down(settings: Settings, timeout: float = 90.0) -> int:
    path = state_path(settings)
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        print("Harken is not running (no state file in the data folder)")
        return 0
    pid = int(state.get("pid", 0))
    if pid and pid_alive(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if pid_alive(pid):
            print(f"supervisor {pid} did not stop in {timeout:.0f}s; killing it and its children")
            for child in [pid, *state.get("children", {}).values()]:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(int(child), signal.SIGKILL)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(int(child), signal.SIGKILL)
    with contextlib.suppress(OSError):
        path.unlink()
    print("Harken stopped")
    return 0


def status(settings: Settings) -> int:
    state = read_state(settings)
    if not state:
        print(f"Harken is not running (data folder {data_dir(settings)})")
        return 3
    print(f"Harken supervisor pid {state['pid']}: {state.get('status')}")
    for name, pid in state.get("children", {}).items():
        print(f"  {name:<9} pid {pid:<8} {'running' if pid_alive(int(pid)) else 'DOWN'}")
    endpoints = state.get("endpoints") or {}
    if endpoints:
        import httpx

        try:
            ready = httpx.get(endpoints["gateway"] + "/ready", timeout=3).status_code == 200
        except httpx.HTTPError:
            ready = False
        print(f"  gateway   {endpoints['gateway']}  {'ready' if ready else 'NOT READY'}")
        print(f"  s3        {endpoints['s3']}")
    return 0 if state.get("status") == "ready" else 1
