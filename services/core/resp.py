"""A minimal Redis client for the one call the gateway makes on every request: the rate limiter's
Lua script (EVALSHA, EVAL when Redis has not seen the script yet).

Why not redis-py: its client, pool, retry and instrumentation layers cost about eight times the
CPU of the round trip itself (≈ 0.1 ms against ≈ 0.012 ms per call), and the gateway is CPU-bound.
This speaks RESP2 over TCP or a Unix socket, with AUTH and SELECT taken from the URL
(``redis://[user:password@]host[:port][/db]``, ``unix:///path?db=N``); ``supports`` says False
for anything else (TLS), where the caller keeps redis-py.
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from collections.abc import Sequence
from typing import Any

from redis.connection import parse_url


class RespError(Exception):
    """An error reply from Redis (``-ERR …``)."""


def supports(url: str) -> bool:
    return url.startswith(("redis://", "unix://"))


def _command(*parts: bytes | str | int | float) -> bytes:
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        raw = part if isinstance(part, bytes) else str(part).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
    return b"".join(out)


class _Connection:
    __slots__ = ("buf", "sock")

    def __init__(self, params: dict[str, Any], timeout: float) -> None:
        if "path" in params:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(params["path"])
        else:
            sock = socket.create_connection((params.get("host") or "localhost", params.get("port") or 6379), timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock, self.buf = sock, b""
        try:
            if params.get("password") is not None:
                user = params.get("username")
                self.call(_command("AUTH", user, params["password"]) if user else _command("AUTH", params["password"]))
            if params.get("db"):
                self.call(_command("SELECT", params["db"]))
        except BaseException:
            sock.close()
            raise

    def _line(self) -> bytes:
        while (end := self.buf.find(b"\r\n")) < 0:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("Redis closed the connection")
            self.buf += chunk
        line, self.buf = self.buf[:end], self.buf[end + 2:]
        return line

    def _reply(self) -> Any:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b":":
            return int(rest)
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RespError(rest.decode(errors="replace"))
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            while len(self.buf) < size + 2:
                chunk = self.sock.recv(max(4096, size + 2 - len(self.buf)))
                if not chunk:
                    raise ConnectionError("Redis closed the connection")
                self.buf += chunk
            data, self.buf = self.buf[:size], self.buf[size + 2:]
            return data
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._reply() for _ in range(n)]
        raise ConnectionError(f"unexpected Redis reply {line[:40]!r}")

    def call(self, command: bytes) -> Any:
        self.sock.sendall(command)
        reply = self._reply()
        if isinstance(reply, RespError):
            raise reply
        return reply

    def close(self) -> None:
        self.sock.close()


class ScriptClient:
    """Runs one Lua script on one Redis, from any thread of this process."""

    def __init__(self, url: str, script: str, timeout: float = 0.5) -> None:
        self.params = parse_url(url)
        self.timeout = timeout
        self.script = script.encode()
        self.sha = hashlib.sha1(self.script).hexdigest().encode()
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        #: Encoded EVALSHA commands by (keys, args): a limiter sends the same few again and again.
        self._commands: dict[tuple[tuple[str, ...], tuple[str | int | float, ...]], bytes] = {}

    def _evalsha(self, keys: Sequence[str], args: Sequence[str | int | float]) -> bytes:
        ident = (tuple(keys), tuple(args))
        command = self._commands.get(ident)
        if command is None:
            if len(self._commands) >= 4096:
                self._commands.clear()
            command = self._commands[ident] = _command("EVALSHA", self.sha, len(keys), *keys, *args)
        return command

    def _take(self) -> tuple[_Connection, bool]:
        """A connection, and whether it was reused (a reused one may have gone stale)."""
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's sockets are not ours
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop(), True
        return _Connection(self.params, self.timeout), False

    def _give(self, conn: _Connection) -> None:
        with self._lock:
            if self._pid == os.getpid() and len(self._idle) < 8:
                self._idle.append(conn)
                return
        conn.close()

    def __call__(self, keys: Sequence[str], args: Sequence[str | int | float]) -> Any:
        """The script's reply. A stale pooled connection (Redis restarted) is replaced once; other
        failures raise (``RespError`` for an error reply, ``OSError`` for the network)."""
        while True:
            conn, reused = self._take()
            try:
                try:
                    reply = conn.call(self._evalsha(keys, args))
                except RespError as err:
                    if not str(err).startswith("NOSCRIPT"):
                        raise
                    reply = conn.call(_command("EVAL", self.script, len(keys), *keys, *args))
            except RespError:
                self._give(conn)  # the connection is fine; the command was refused
                raise
            except TimeoutError:  # the command may still run: never send it twice
                conn.close()
                raise
            except OSError:  # ConnectionError included
                conn.close()
                if reused:
                    continue
                raise
            except BaseException:
                conn.close()
                raise
            self._give(conn)
            return reply

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            if self._pid != os.getpid():
                return
        for conn in idle:
            conn.close()
