"""Open streams: SessionId uniqueness, the per-account concurrency limit, and resumable sessions.

``Registry`` keeps them in this process. ``RedisRegistry`` (``streaming.registry_url``) shares them
across every replica: a session key per SessionId and a sorted set of session ids per account,
scored by lease expiry, changed atomically by one Lua script. Leases are renewed while a stream
lives; a replica that dies stops renewing, and its streams stop counting after ``lease_seconds``.

A stream opened with ``SessionResumeWindow`` leaves a resume record (``ResumeState``: account,
window end, audio time so far, identified language, speaker voiceprints) that lives until the
window ends, so a reconnect with the same SessionId — on any replica, with Redis — continues the
session instead of starting over.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from services.core.errors import ConflictException, LimitExceededException


def _conflict(session_id: str) -> ConflictException:
    return ConflictException(
        f"The session ID {session_id} is already in use by another stream. Use a different session ID or "
        "wait until that stream ends.")


def _limit(limit: int) -> LimitExceededException:
    return LimitExceededException(
        f"You have reached your limit of {limit} concurrent streams. Close an open stream or wait for one "
        "to end, then try again.")


@dataclass
class ResumeState:
    """What a resumed session continues from (SessionResumeWindow)."""

    account_id: str
    #: Wall-clock end of the resume window (stream start + SessionResumeWindow minutes).
    expires_at: float
    #: Seconds of audio the session has received so far: the next connection's times start here.
    offset: float = 0.0
    #: Language settled by IdentifyLanguage, kept so a reconnect does not identify it again.
    language: str | None = None
    language_scores: list[tuple[str, float]] | None = None
    #: Speaker voiceprint centroids and counts, so labels stay the same across connections.
    speakers: list[list[float]] = field(default_factory=list)
    speaker_counts: list[int] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str | bytes) -> ResumeState:
        data = json.loads(raw)
        if data.get("language_scores"):
            data["language_scores"] = [tuple(x) for x in data["language_scores"]]
        return cls(**data)


@dataclass
class Registry:
    sessions: dict[str, str] = field(default_factory=dict)  # session id → account
    resumable: dict[str, ResumeState] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def resume_state(self, session_id: str) -> ResumeState | None:
        with self._lock:
            state = self.resumable.get(session_id)
            if state is not None and state.expires_at <= time.time():
                del self.resumable[session_id]
                return None
            return state

    async def save_resume_state(self, session_id: str, state: ResumeState) -> None:
        with self._lock:
            now = time.time()
            for sid in [k for k, v in self.resumable.items() if v.expires_at <= now]:
                del self.resumable[sid]
            if state.expires_at > now:
                self.resumable[session_id] = state

    async def open(self, session_id: str, account_id: str, limit: int) -> None:
        with self._lock:
            if session_id in self.sessions:
                raise _conflict(session_id)
            if sum(1 for a in self.sessions.values() if a == account_id) >= limit:
                raise _limit(limit)
            self.sessions[session_id] = account_id

    async def close(self, session_id: str) -> None:
        with self._lock:
            self.sessions.pop(session_id, None)

    def active(self, account_id: str | None = None) -> int:
        with self._lock:
            return sum(1 for a in self.sessions.values() if account_id is None or a == account_id)


_OPEN = """
local now, expiry, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
if redis.call('ZCARD', KEYS[2]) >= limit then return 2 end
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
redis.call('ZADD', KEYS[2], expiry, ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 0
"""


class RedisRegistry:
    """Cluster-wide registry; also tracks this process's streams so /health can count them."""

    def __init__(self, url: str, lease_seconds: float = 60.0, prefix: str = "harken:stream") -> None:
        import redis.asyncio as aioredis

        self.url = url
        self.lease = lease_seconds
        self.prefix = prefix
        self._redis: Any = aioredis.Redis.from_url(url)
        self._script = self._redis.register_script(_OPEN)
        self.local = Registry()
        self._renewers: dict[str, asyncio.Task[None]] = {}

    def _keys(self, session_id: str, account_id: str) -> list[str]:
        return [f"{self.prefix}:session:{session_id}", f"{self.prefix}:account:{account_id}"]

    async def resume_state(self, session_id: str) -> ResumeState | None:
        raw = await self._redis.get(f"{self.prefix}:resume:{session_id}")
        return ResumeState.from_json(raw) if raw else None

    async def save_resume_state(self, session_id: str, state: ResumeState) -> None:
        ttl_ms = int((state.expires_at - time.time()) * 1000)
        if ttl_ms > 0:
            with contextlib.suppress(Exception):  # a Redis blip loses resumability, never the stream
                await self._redis.set(f"{self.prefix}:resume:{session_id}", state.to_json(), px=ttl_ms)

    async def open(self, session_id: str, account_id: str, limit: int) -> None:
        now = time.time()
        lease_ms = int(self.lease * 1000)
        code = await self._script(keys=self._keys(session_id, account_id),
                                  args=[now, now + self.lease, limit, account_id, lease_ms, session_id])
        if code == 1:
            raise _conflict(session_id)
        if code == 2:
            raise _limit(limit)
        await self.local.open(session_id, account_id, 1 << 30)
        self._renewers[session_id] = asyncio.create_task(self._renew(session_id, account_id))

    async def _renew(self, session_id: str, account_id: str) -> None:
        session_key, account_key = self._keys(session_id, account_id)
        while True:
            await asyncio.sleep(self.lease / 3)
            with contextlib.suppress(Exception):  # a Redis blip must not end the stream
                pipe = self._redis.pipeline()
                pipe.pexpire(session_key, int(self.lease * 1000))
                pipe.zadd(account_key, {session_id: time.time() + self.lease})
                pipe.pexpire(account_key, int(self.lease * 1000))
                await pipe.execute()

    async def close(self, session_id: str) -> None:
        account_id = self.local.sessions.get(session_id)
        renewer = self._renewers.pop(session_id, None)
        if renewer is not None:
            renewer.cancel()
        await self.local.close(session_id)
        if account_id is None:
            return
        session_key, account_key = self._keys(session_id, account_id)
        with contextlib.suppress(Exception):  # the lease runs out by itself if Redis is away now
            await self._redis.delete(session_key)
            await self._redis.zrem(account_key, session_id)

    def active(self, account_id: str | None = None) -> int:
        return self.local.active(account_id)

    @property
    def sessions(self) -> dict[str, str]:
        return self.local.sessions


def make_registry(url: str) -> Registry | RedisRegistry:
    return RedisRegistry(url) if url else Registry()
