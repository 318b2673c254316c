"""The ``harken`` command: one entry point for the laptop stack and for each production role.

Heavy imports (FastAPI, Celery, faster-whisper) happen inside the subcommand that needs them, so
``harken status`` and ``harken down`` answer instantly and a role never loads another role's code.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.core.settings import Settings


def _settings(dev_default: bool = False) -> Settings:
    """Load settings; local-only commands default to dev mode so they run with no configuration."""
    if dev_default:
        os.environ.setdefault("HARKEN_DEV_MODE", "true")
    from services.core.settings import get_settings, reset_settings_cache

    reset_settings_cache()
    try:
        return get_settings()
    except ValueError as exc:
        sys.exit(f"harken: invalid settings: {exc}")


def cmd_up(args: argparse.Namespace) -> int:
    from services.embedded import up

    # The embedded stack is a dev stack by definition: its built-in key must be accepted.
    os.environ["HARKEN_DEV_MODE"] = "true"
    settings = _settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for noisy in ("alembic", "httpx", "botocore", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.detach:
        return up.run_detached(settings)
    try:
        return up.run_foreground(settings)
    except up.UpError as exc:
        print(f"harken up: {exc}", file=sys.stderr)
        return 1


def cmd_down(args: argparse.Namespace) -> int:
    from services.embedded import up

    return up.down(_settings(dev_default=True))


def cmd_status(args: argparse.Namespace) -> int:
    from services.embedded import up

    return up.status(_settings(dev_default=True))


#: Format of Harken's own log lines (the access log included; docs/operations.md "Logs").
LOG_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


def gateway_log_config(level: str) -> dict[str, object]:
    """uvicorn's logging configuration plus a root handler for Harken's loggers.

    uvicorn applies its ``log_config`` in every worker process (they are spawned, so a
    ``basicConfig`` here would not reach them) and by default configures only its own loggers:
    ``harken.access`` (INFO) then had no handler and the root level was WARNING, so not one access
    line was ever written. ``--log-level`` sets the root level; botocore and urllib3 stay at WARNING
    (their INFO lines are per-connection noise).
    """
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, object] = copy.deepcopy(LOGGING_CONFIG)
    formatters = config["formatters"]
    handlers = config["handlers"]
    loggers = config["loggers"]
    assert isinstance(formatters, dict) and isinstance(handlers, dict) and isinstance(loggers, dict)
    formatters["harken"] = {"format": LOG_FORMAT}
    handlers["harken"] = {"class": "logging.StreamHandler", "formatter": "harken", "stream": "ext://sys.stderr"}
    config["root"] = {"handlers": ["harken"], "level": level.upper()}
    for noisy in ("botocore", "urllib3", "boto3"):
        loggers[noisy] = {"level": "WARNING"}
    return config


def cmd_gateway(args: argparse.Namespace) -> int:
    settings = _settings()  # fail fast, in this process, on bad configuration
    from services.observability.exposition import prepare_multiprocess_dir

    prepare_multiprocess_dir("gateway", settings.metrics.multiproc_dir)  # before prometheus_client loads
    import uvicorn

    uvicorn.run("services.gateway.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level, access_log=args.access_log,
                log_config=gateway_log_config(args.log_level), lifespan="off", proxy_headers=True,
                http="services.gateway.http:GatewayHttpProtocol")
    return 0


def cmd_streaming(args: argparse.Namespace) -> int:
    for flag, env in (("certfile", "CERTFILE"), ("keyfile", "KEYFILE"), ("h2c_port", "H2C_PORT")):
        value = getattr(args, flag)
        if value:
            os.environ[f"HARKEN_STREAMING__{env}"] = str(value)
    settings = _settings()
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    from services.streaming.server import run

    run(settings, host=args.host, port=args.port, warm=not args.no_warm_up)
    return 0


def worker_command(args: argparse.Namespace, data_dir: Path) -> list[str]:
    cmd = [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker",
           "--loglevel", args.log_level.upper(), "-Q", args.queues]
    if args.concurrency:
        cmd += ["--concurrency", str(args.concurrency)]
    if args.reaper:
        # Embedded beat: the periodic reaper (expired leases, QUEUED jobs) runs in this worker.
        data_dir.mkdir(parents=True, exist_ok=True)
        cmd += ["--beat", "--schedule", str(data_dir / "celerybeat-schedule")]
    return cmd + list(args.celery_args)


#: Thread-pool sizes of the numeric libraries a worker loads, capped to whisper.cpu_threads.
WORKER_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def cmd_worker(args: argparse.Namespace) -> int:
    settings = _settings()
    args.queues = args.queues or settings.worker.queue
    cmd = worker_command(args, Path(settings.data_dir).expanduser())
    sys.stdout.flush()
    # Long-lived worker connections outlive database restarts: test them before use (one round trip per
    # job is nothing next to a transcription), unless the operator chose otherwise.
    os.environ.setdefault("HARKEN_DB__POOL_PRE_PING", "true")
    # One pool process per core, each decoding on whisper.cpu_threads: numpy's BLAS and OpenMP must
    # not start a thread per core in every process as well (they would fight over the same cores).
    for var in WORKER_THREAD_VARS:
        os.environ.setdefault(var, str(settings.whisper.cpu_threads))
    from services.observability.exposition import prepare_multiprocess_dir

    # The folder is named after this pid, which execv keeps: the Celery main process and its pool
    # children all write there, and the main process serves the merged samples.
    prepare_multiprocess_dir("worker", settings.metrics.multiproc_dir)
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover - execv does not return


def cmd_migrate(args: argparse.Namespace) -> int:
    from services.db.migrate import upgrade

    settings = _settings()
    upgrade(settings.db.url, args.revision)
    print(f"database at revision {args.revision}")
    return 0


def _job_name(path: Path) -> str:
    return re.sub(r"[^0-9a-zA-Z._-]", "-", path.stem)[:200] or "local"


def cmd_transcribe(args: argparse.Namespace) -> int:
    if args.model:
        os.environ["HARKEN_WHISPER__MODEL"] = args.model
    settings = _settings(dev_default=True)
    path = Path(args.file)
    if not path.is_file():
        print(f"harken transcribe: no such file: {path}", file=sys.stderr)
        return 2
    from services.core.settings import DEV_ACCOUNT_ID
    from workers.pipeline.contract import JobOptions, MediaError
    from workers.pipeline.run import transcribe_media

    opts = JobOptions(job_name=_job_name(path), account_id=DEV_ACCOUNT_ID, language_code=args.language,
                      identify_language=args.language is None, subtitle_formats=tuple(args.subtitles),
                      max_media_seconds=settings.worker.max_media_seconds)
    try:
        result = transcribe_media(path, opts)
    except MediaError as exc:
        print(f"harken transcribe: {exc.reason}", file=sys.stderr)
        return 1
    text = json.dumps(result.transcript, indent=2, ensure_ascii=False)
    if args.output:
        out = Path(args.output)
        out.write_text(text + "\n", encoding="utf-8")
        for fmt, body in result.subtitles.items():
            out.with_suffix(f".{fmt}").write_text(body, encoding="utf-8")
    else:
        print(text)
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    """Operator keys and sealed access-key secrets (docs/security.md)."""
    from services.core import secrets

    if args.action == "new-operator-key":
        print(secrets.new_operator_key())
        return 0
    key = os.environ.get("HARKEN_AUTH__SECRETS_KEY", "")
    if not key and os.environ.get("HARKEN_AUTH__SECRETS_KEY_FILE"):
        key = Path(os.environ["HARKEN_AUTH__SECRETS_KEY_FILE"]).read_text(encoding="ascii").strip()
    if not key:
        print("harken keys seal: set HARKEN_AUTH__SECRETS_KEY or HARKEN_AUTH__SECRETS_KEY_FILE", file=sys.stderr)
        return 2
    secret = sys.stdin.readline().rstrip("\r\n")  # stdin, so the secret never sits in shell history
    if not secret:
        print("harken keys seal: write the secret on standard input", file=sys.stderr)
        return 2
    print(secrets.seal(secret, key))
    return 0


def cmd_version(args: argparse.Namespace) -> int:
    print(f"harken {version()}")
    return 0


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("harken")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="harken", description="Self-hosted Amazon Transcribe.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("up", help="run the whole stack on this machine (embedded, supervised)")
    s.add_argument("--detach", "-d", action="store_true",
                   help="run in the background; stop with `harken down`")
    s.set_defaults(func=cmd_up)

    s = sub.add_parser("down", help="stop a detached `harken up`")
    s.set_defaults(func=cmd_down)

    s = sub.add_parser("status", help="show what `harken up` is running")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("gateway", help="serve the Transcribe API (uvicorn)")
    s.add_argument("--host", default="0.0.0.0")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                   help="processes; each serves requests independently (default: cores, at most 4)")
    s.add_argument("--log-level", default="info",
                   help="root log level; Harken's access log (harken.access) needs info")
    s.add_argument("--access-log", action="store_true",
                   help="also uvicorn's own access lines (Harken's, with request ids, are on by default)")
    s.set_defaults(func=cmd_gateway)

    s = sub.add_parser("streaming", help="serve StartStreamTranscription (HTTP/2 + WebSocket, Hypercorn)")
    s.add_argument("--host", default=None, help="listen address (default HARKEN_STREAMING__HOST)")
    s.add_argument("--port", type=int, default=None, help="port (default HARKEN_STREAMING__PORT, 8443)")
    s.add_argument("--certfile", help="PEM certificate: serve TLS with ALPN h2 (what the AWS SDKs need)")
    s.add_argument("--keyfile", help="PEM private key for --certfile")
    s.add_argument("--h2c-port", type=int, default=0, help="also serve cleartext h2c/ws on this port")
    s.add_argument("--no-warm-up", action="store_true", help="load the model on the first stream instead")
    s.add_argument("--log-level", default="info")
    s.set_defaults(func=cmd_streaming)

    s = sub.add_parser("worker", help="run a batch worker (celery -A workers.celery_app worker)")
    s.add_argument("--queues", "-Q", default="", help="comma-separated queues (default HARKEN_WORKER__QUEUE)")
    s.add_argument("--concurrency", "-c", type=int, default=0, help="jobs at once (default: cores)")
    s.add_argument("--reaper", action="store_true", help="also run the periodic reaper (Celery beat)")
    s.add_argument("--log-level", default="info")
    s.add_argument("celery_args", nargs=argparse.REMAINDER, help="passed to celery after `--`")
    s.set_defaults(func=cmd_worker)

    s = sub.add_parser("migrate", help="upgrade the database schema (Alembic)")
    s.add_argument("--revision", default="head")
    s.set_defaults(func=cmd_migrate)

    s = sub.add_parser("transcribe", help="transcribe a local file; prints the AWS transcript JSON")
    s.add_argument("file")
    s.add_argument("--language", help="BCP-47 code such as en-US (default: identify)")
    s.add_argument("--model", help="model folder or packaged name (tiny.en, base)")
    s.add_argument("--output", "-o", help="write the JSON here (subtitles next to it) instead of stdout")
    s.add_argument("--subtitles", nargs="*", default=[], choices=["srt", "vtt"])
    s.set_defaults(func=cmd_transcribe)

    s = sub.add_parser("keys", help="operator key and sealed access-key secrets (enc:...)")
    s.add_argument("action", choices=["new-operator-key", "seal"],
                   help="new-operator-key: print a new key; seal: read a secret on stdin, print enc:...")
    s.set_defaults(func=cmd_keys)

    s = sub.add_parser("version", help="print the version")
    s.set_defaults(func=cmd_version)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "celery_args", None) and args.celery_args[0] == "--":
        args.celery_args = args.celery_args[1:]
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
