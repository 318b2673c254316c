"""Real ``celery -A workers.celery_app worker`` processes for fault-injection tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class WorkerProcess:
    name: str
    env: dict[str, str]
    log_path: Path
    queue: str
    process: subprocess.Popen[bytes] | None = None
    extra_args: list[str] = field(default_factory=list)

    def start(self) -> WorkerProcess:
        env = dict(os.environ, **self.env, PYTHONPATH=str(ROOT))
        cmd = [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker", "-Q", self.queue,
               "-c", "1", "-P", "prefork", "-n", f"{self.name}@%h", "--loglevel", "INFO",
               "--without-gossip", "--without-mingle", "--without-heartbeat", *self.extra_args]
        log = open(self.log_path, "ab")  # noqa: SIM115 - lives with the process
        # own session: SIGKILL of the group takes the pool children too, as a dead node would
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited:\n{self.log()[-3000:]}")
            time.sleep(0.2)
        raise TimeoutError(f"worker {self.name} not ready:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill9(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def terminate(self) -> None:
        """SIGTERM to the main process only: Celery's warm shutdown."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        """Kill the whole group even when the main process has already exited: an orphaned pool
        child would keep its database connection, and any transaction on it, open."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


@contextlib.contextmanager
def routed_queue(prefix: str) -> Iterator[str]:
    """A queue of its own that the gateway's sends go to while the block runs (they read
    HARKEN_WORKER__QUEUE at send time); its messages are dropped afterwards."""
    from services.core.settings import reset_settings_cache
    from tests.support.jobs import drop_queue

    queue = f"{prefix}-{uuid.uuid4().hex[:8]}"
    old = os.environ.get("HARKEN_WORKER__QUEUE")
    os.environ["HARKEN_WORKER__QUEUE"] = queue
    reset_settings_cache()
    try:
        yield queue
    finally:
        drop_queue(queue)
        if old is None:
            os.environ.pop("HARKEN_WORKER__QUEUE", None)
        else:
            os.environ["HARKEN_WORKER__QUEUE"] = old
        reset_settings_cache()


@contextlib.contextmanager
def routed_worker(prefix: str, log: Path, **env: str) -> Iterator[str]:
    """A real worker on a routed queue: the jobs a test starts inside the block go to it."""
    with routed_queue(prefix) as queue:
        proc = WorkerProcess(queue, {"HARKEN_WORKER__QUEUE": queue, **env}, log, queue).start()
        try:
            proc.wait_ready()
            yield queue
        finally:
            proc.stop()
