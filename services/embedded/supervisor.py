"""Process supervision for the embedded stack: start in order, restart on crash, stop in reverse.

Children run in their own sessions so a Ctrl-C in the terminal reaches only the supervisor, which
then stops them in dependency order (API first, Postgres last) instead of all at once. On Linux each
child also gets a parent-death signal, so a supervisor killed with SIGKILL leaves no orphans.

``python -m services.embedded.supervisor --postgres PORT --redis PORT --dir D --ready-file F`` runs
throw-away Postgres/Redis for ``scripts/test`` on machines that have none.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("harken.supervisor")

_PR_SET_PDEATHSIG = 1


def child_preexec() -> None:
    """Runs in the child between fork and exec: die with the supervisor (Linux only)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); treat it as gone.
    with contextlib.suppress(OSError):
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return status != "Z"
    return True


def stop_process(process: subprocess.Popen[bytes], timeout: float = 15.0,
                 first_signal: str = "SIGTERM") -> None:
    """Polite signal, then SIGKILL to the whole process group (uvicorn and Celery fork workers)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(getattr(signal, first_signal))
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        log.warning("pid %s ignored %s for %.0fs; killing it", process.pid, first_signal, timeout)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait()
    # Fork children (uvicorn workers, Celery pool) share the group; make sure none outlive it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


@dataclass
class Child:
    name: str
    #: Spawns the process and returns at once.
    spawn: Callable[[], subprocess.Popen[bytes]]
    #: Blocks until the child serves, or raises.
    ready: Callable[[], None] | None = None
    stop_signal: str = "SIGTERM"
    stop_timeout: float = 15.0
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    restart_at: float | None = None
    started_at: float = field(default=0.0)


class Supervisor:
    MAX_BACKOFF = 30.0
    #: A child that ran this long before crashing gets its backoff reset.
    STABLE_AFTER = 60.0

    def __init__(self) -> None:
        self.children: list[Child] = []
        self.stopping = False

    def start(self, child: Child) -> Child:
        log.info("starting %s", child.name)
        child.process = child.spawn()
        child.started_at = time.monotonic()
        self.children.append(child)
        if child.ready:
            child.ready()
        return child

    def pids(self) -> dict[str, int]:
        return {c.name: c.process.pid for c in self.children if c.process is not None}

    def check(self) -> bool:
        """Restart crashed children with exponential backoff; returns True when any pid changed."""
        changed = False
        now = time.monotonic()
        for child in self.children:
            proc = child.process
            if proc is None or proc.poll() is None:
                continue
            if child.restart_at is None:
                if now - child.started_at > self.STABLE_AFTER:
                    child.restarts = 0
                delay = min(self.MAX_BACKOFF, 2.0 ** child.restarts)
                log.error("%s exited with %s; restarting in %.0fs", child.name, proc.returncode, delay)
                child.restart_at = now + delay
            elif now >= child.restart_at:
                child.restart_at = None
                child.restarts += 1
                try:
                    child.process = child.spawn()
                    child.started_at = time.monotonic()
                    if child.ready:
                        child.ready()
                    changed = True
                    log.info("%s restarted (pid %s)", child.name, child.process.pid)
                except Exception as exc:  # keep supervising the rest; retry later
                    log.error("restarting %s failed: %s", child.name, exc)
                    child.started_at = time.monotonic()
        return changed

    def stop_all(self) -> None:
        self.stopping = True
        for child in reversed(self.children):
            if child.process is not None and child.process.poll() is None:
                log.info("stopping %s", child.name)
                stop_process(child.process, child.stop_timeout, child.stop_signal)
        self.children.clear()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def install_signal_handlers() -> None:
    """SIGTERM behaves like Ctrl-C, so one ``finally`` path stops everything in order."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGHUP, _raise_interrupt)


def ignore_signals() -> None:
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)


def write_json_atomic(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    """Throw-away Postgres and/or Redis for the test runner; stops both on SIGTERM."""
    from services.embedded.postgres import EmbeddedPostgres
    from services.embedded.redis import EmbeddedRedis

    parser = argparse.ArgumentParser(prog="python -m services.embedded.supervisor")
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--postgres", type=int, help="start Postgres on this port")
    parser.add_argument("--redis", type=int, help="start Redis on this port")
    parser.add_argument("--ready-file", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    install_signal_handlers()
    sup = Supervisor()
    info: dict[str, object] = {}
    try:
        if args.postgres:
            pg = EmbeddedPostgres(args.dir / "postgres", args.postgres, fsync=False)
            pg.prepare()
            sup.start(Child("postgres", pg.popen, pg.wait_ready, stop_signal="SIGINT"))
            info["pg_admin_url"] = pg.url(driver="postgresql")
        if args.redis:
            rd = EmbeddedRedis(args.dir / "redis", args.redis, persist=False)
            sup.start(Child("redis", rd.popen, rd.wait_ready))
            info["redis_url"] = rd.url
        write_json_atomic(args.ready_file, info)
        while True:
            sup.check()
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        ignore_signals()
        sup.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
