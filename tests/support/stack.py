"""Real backing services for the test suite: Postgres, Redis and SeaweedFS S3.

Postgres and Redis already running on the machine (5432/6379) are used; otherwise
``scripts/test`` starts private ones and exports HARKEN_TEST_PG_ADMIN_URL / HARKEN_TEST_REDIS_URL.
SeaweedFS is always started fresh per test session in a temporary folder.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
import uvicorn
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from services.embedded.ports import free_port, wait_for_port
from services.gateway.http import GatewayHttpProtocol

ADMIN_URL = os.environ.get("HARKEN_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("HARKEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"
KEY_A = ("AKIDHARKENTESTA00001", "secret-a-0123456789abcdef0123456789abcdef")
KEY_B = ("AKIDHARKENTESTB00002", "secret-b-0123456789abcdef0123456789abcdef")


def create_database() -> tuple[str, str]:
    """Create a throw-away database; returns (sqlalchemy url, name)."""
    name = f"harken_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    return base.replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}", name


LOCK_WAIT = "20s"


def truncate_all(engine: Any, tables: list[str], lock_wait: str = LOCK_WAIT) -> list[str]:
    """Empty ``tables``; returns a description of each connection that had to be ended first.

    A connection left idle inside a transaction (a killed worker's backend whose socket Postgres
    has not seen close, a fixture that died mid-transaction) holds its locks until it goes, and a
    plain TRUNCATE would wait for it forever: one such leak once hung every later test for its whole
    timeout. So the wait is bounded; on timeout the holders are ended and named, and the caller
    reports them.
    """
    ended: list[str] = []
    for _ in range(3):
        try:
            with engine.begin() as conn:
                conn.execute(text(f"SET LOCAL lock_timeout = '{lock_wait}'"))
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY"))
            return ended
        except OperationalError as exc:
            if "lock timeout" not in str(exc):
                raise
        with engine.begin() as conn:
            rows = conn.execute(text(
                "SELECT DISTINCT a.pid, a.application_name, a.state, left(a.query, 200) "
                "FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.granted AND l.pid <> pg_backend_pid() AND c.relname = ANY(:t)"),
                {"t": tables}).all()
            for pid, app, state, query in rows:
                conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                ended.append(f"pid {pid} ({app or 'no name'}, {state}): {query}")
    raise TimeoutError(f"tables still locked after ending {ended}")


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class ServerThread:
    """Runs an ASGI app with uvicorn in a daemon thread on a free port."""

    app: object
    port: int = 0
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    settings: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        self.port = self.port or free_port()
        # the HTTP protocol `harken gateway` serves with, so every compat test goes through it
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", access_log=False, http=GatewayHttpProtocol)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        if not wait_for_port("127.0.0.1", self.port, 20):
            raise RuntimeError("gateway did not start")
        return self

    def stop(self) -> None:
        if self.server:
            self.server.should_exit = True
        if self.thread:
            self.thread.join(10)
        time.sleep(0)
