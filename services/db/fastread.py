"""Plain psycopg connections for the hottest read (GetTranscriptionJob): no Session, no ORM.

Why: on a Get the SQLAlchemy path (Session, Core statement execution, ORM row loading) costs
about six times the CPU of the query itself, and the gateway is CPU-bound. The read runs in
autocommit on a connection of this process's small pool, as a server-side prepared statement,
so it sees exactly what the ORM path would: every committed write, nothing cached.

Connections are opened on demand (one per thread that reads at the same moment), kept for reuse
and dropped when they fail; a read is retried once on a fresh connection when the one it got
turns out to be broken (a restarted Postgres, an idle connection cut by a proxy), which is safe
because reads change nothing. A statement that fails (or times out) on a live connection is not
retried.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

import psycopg
from sqlalchemy.engine import make_url

#: Idle connections kept per process; more are opened when more threads read at once.
MAX_IDLE = 8
#: Bounds on how long one read can hold its caller (the gateway answers Get on its event loop):
#: seconds to connect, and milliseconds a statement may run.
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 5000


def conninfo(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://…``) as the libpq URL psycopg connects with."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class ReadPool:
    """Autocommit psycopg connections for one database URL, in one process."""

    def __init__(self, url: str) -> None:
        self.conninfo = conninfo(url)
        self._idle: list[psycopg.Cursor[Any]] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def _take(self) -> psycopg.Cursor[Any]:
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's sockets are not ours to use or close
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        # prepare_threshold=0: every statement is prepared on first use (one parse per connection);
        # one cursor per connection, reused, saves building one per read; binary results cost
        # Postgres and psycopg ~20 % less than text (timestamps above all) and load the same values
        conn = psycopg.connect(self.conninfo, autocommit=True, prepare_threshold=0,
                               connect_timeout=CONNECT_TIMEOUT_S)
        try:
            conn.execute("SELECT set_config('statement_timeout', %s, false)", (str(STATEMENT_TIMEOUT_MS),))
        except BaseException:
            conn.close()
            raise
        return conn.cursor(binary=True)

    def _give(self, cur: psycopg.Cursor[Any]) -> None:
        with self._lock:
            if self._pid == os.getpid() and len(self._idle) < MAX_IDLE and not cur.connection.closed:
                self._idle.append(cur)
                return
        cur.connection.close()

    def fetchone(self, sql: LiteralString | bytes,
                 params: Sequence[Any] | Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row of ``sql`` (None when there is none)."""
        for attempt in (1, 2):
            cur = self._take()
            try:
                row = cur.execute(sql, params, prepare=True).fetchone()
            except psycopg.OperationalError:
                broken = cur.connection.broken  # the connection died, rather than the statement
                cur.connection.close()
                if attempt == 2 or not broken:
                    raise
                continue
            except BaseException:
                cur.connection.close()
                raise
            self._give(cur)
            return row
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            if self._pid != os.getpid():
                return  # forked: the parent's connections are left to the parent
        for cur in idle:
            cur.connection.close()


_POOLS: dict[str, ReadPool] = {}
_POOLS_LOCK = threading.Lock()


def pool_for(url: str) -> ReadPool:
    pool = _POOLS.get(url)
    if pool is None:
        with _POOLS_LOCK:
            pool = _POOLS.setdefault(url, ReadPool(url))
    return pool


def close_pools() -> None:
    """Close every idle connection (tests, and workers after fork); pools reopen on demand."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()
