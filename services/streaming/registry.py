"""Open streams: SessionId ownership and takeover, the per-account concurrency limit, and resumable sessions.

``Registry`` keeps them in this process. ``RedisRegistry`` (``streaming.registry_url``) shares them
across every replica: a session key per SessionId (``"<account> <owner token>"``) and a sorted set
of session ids per account, scored by lease expiry, each changed atomically by a Lua script. Leases
are renewed while a stream lives; a replica that dies stops renewing, and its streams stop counting
after ``lease_seconds``.

Every stream holds a SessionId under an owner token (``Claim``). AWS documents ConflictException on
the result stream as "A new stream started with the same session ID. The current stream has been
terminated.", so a new stream of the SAME account with an id already streaming takes the session
over: its claim replaces the owner token atomically and the registry tells the old owner — at once
in this process, by Redis pub/sub (``<prefix>:takeover``) on another replica, with the lease renewal
noticing a lost token as a fallback — and the old owner ends its stream with that event. The account
counts a session id once, whoever owns it, so a takeover never double-counts against the limit; an
old owner's close releases nothing but its own token. A session id held by ANOTHER account is never
taken over, and refused with the same words as any id in use (nothing about the other account).

A stream opened with ``SessionResumeWindow`` leaves a resume record (``ResumeState``: account,
window end, audio time so far, identified language, speaker voiceprints) that lives until the
window ends, so a reconnect with the same SessionId — on any replica, with Redis — continues the
session instead of starting over.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from services.core.errors import ConflictException, LimitExceededException

log = logging.getLogger(__name__)

#: Called with (session id, owner token) when a stream of this process has been taken over.
TakeoverHook = Callable[[str, str], None]


def conflict(session_id: str) -> ConflictException:
    """The id belongs to a stream (or resumable session) of another account: refused, and nothing said of it."""
    return ConflictException(
        f"The session ID {session_id} is already in use. Use a different session ID.")


def _limit(limit: int) -> LimitExceededException:
    return LimitExceededException(
        f"You have reached your limit of {limit} concurrent streams. Close an open stream or wait for one "
        "to end, then try again.")


@dataclass(frozen=True)
class Claim:
    """A stream's hold on its SessionId."""

    token: str
    #: Owner token of the stream this claim took the session over from; None when the id was free
    #: ("" when the old owner is a replica that predates owner tokens and cannot be told).
    previous: str | None = None


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
    owners: dict[str, str] = field(default_factory=dict)  # session id → owner token
    #: Every stream not closed yet, owner or taken over: token → session id.
    holders: dict[str, str] = field(default_factory=dict)
    resumable: dict[str, ResumeState] = field(default_factory=dict)
    on_takeover: TakeoverHook | None = None
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

    async def open(self, session_id: str, account_id: str, limit: int) -> Claim:
        claim = self.claim(session_id, account_id, limit)
        if claim.previous and self.on_takeover is not None:
            self.on_takeover(session_id, claim.previous)
        return claim

    def claim(self, session_id: str, account_id: str, limit: int, token: str | None = None) -> Claim:
        """Take the id (or take it over from a stream of the same account) under a new owner token.

        With ``token`` given, the claim was already decided elsewhere (Redis) and is only mirrored."""
        mirror = token is not None
        token = token or uuid.uuid4().hex
        with self._lock:
            held_by = self.sessions.get(session_id)
            if held_by is not None and held_by != account_id and not mirror:
                raise conflict(session_id)
            if (held_by is None and not mirror
                    and sum(1 for a in self.sessions.values() if a == account_id) >= limit):
                raise _limit(limit)
            previous = self.owners.get(session_id) if held_by is not None else None
            self.sessions[session_id] = account_id
            self.owners[session_id] = token
            self.holders[token] = session_id
            return Claim(token, previous)

    async def close(self, session_id: str, token: str) -> bool:
        """End the stream holding ``token``; frees the id only if it still owns it (True then)."""
        with self._lock:
            self.holders.pop(token, None)
            if self.owners.get(session_id) != token:
                return False
            del self.owners[session_id]
            self.sessions.pop(session_id, None)
            return True

    async def wait_released(self, session_id: str, token: str, timeout: float) -> bool:
        """Wait (bounded) until the taken-over stream ``token`` has closed and saved its state."""
        deadline = time.monotonic() + timeout
        while token in self.holders:
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    def active(self, account_id: str | None = None) -> int:
        with self._lock:
            return sum(1 for a in self.sessions.values() if account_id is None or a == account_id)


_OPEN = """
local now, expiry, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local account, lease_ms, session_id, token = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local held = redis.call('GET', KEYS[1])
local previous = false
if held then
  local sep = string.find(held, ' ', 1, true)
  local held_account = sep and string.sub(held, 1, sep - 1) or held
  if held_account ~= account then return {1, ''} end
  previous = sep and string.sub(held, sep + 1) or ''
elseif redis.call('ZCARD', KEYS[2]) >= limit then
  return {2, ''}
end
redis.call('SET', KEYS[1], account .. ' ' .. token, 'PX', lease_ms)
redis.call('ZADD', KEYS[2], expiry, session_id)
redis.call('PEXPIRE', KEYS[2], lease_ms)
if previous then
  redis.call('PUBLISH', KEYS[3], session_id .. ' ' .. previous)
  return {3, previous}
end
return {0, ''}
"""

_RENEW = """
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
"""

_CLOSE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[2])
  return 1
end
redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
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
        self._open_script = self._redis.register_script(_OPEN)
        self._renew_script = self._redis.register_script(_RENEW)
        self._close_script = self._redis.register_script(_CLOSE)
        self.local = Registry()
        self.on_takeover: TakeoverHook | None = None
        self._renewers: dict[str, asyncio.Task[None]] = {}  # owner token → lease renewal
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    @property
    def channel(self) -> str:
        return f"{self.prefix}:takeover"

    def _keys(self, session_id: str, account_id: str) -> list[str]:
        return [f"{self.prefix}:session:{session_id}", f"{self.prefix}:account:{account_id}"]

    def _released_key(self, token: str) -> str:
        return f"{self.prefix}:released:{token}"

    async def resume_state(self, session_id: str) -> ResumeState | None:
        raw = await self._redis.get(f"{self.prefix}:resume:{session_id}")
        return ResumeState.from_json(raw) if raw else None

    async def save_resume_state(self, session_id: str, state: ResumeState) -> None:
        ttl_ms = int((state.expires_at - time.time()) * 1000)
        if ttl_ms > 0:
            with contextlib.suppress(Exception):  # a Redis blip loses resumability, never the stream
                await self._redis.set(f"{self.prefix}:resume:{session_id}", state.to_json(), px=ttl_ms)

    async def open(self, session_id: str, account_id: str, limit: int) -> Claim:
        await self._listen()
        now = time.time()
        token = uuid.uuid4().hex
        code, previous = await self._open_script(
            keys=[*self._keys(session_id, account_id), self.channel],
            args=[now, now + self.lease, limit, account_id, int(self.lease * 1000), session_id, token])
        if code == 1:
            raise conflict(session_id)
        if code == 2:
            raise _limit(limit)
        claim = Claim(token, previous.decode() if code == 3 else None)
        self.local.claim(session_id, account_id, 0, token)
        self._renewers[token] = asyncio.create_task(self._renew(session_id, account_id, token))
        if claim.previous and claim.previous in self.local.holders:
            self._taken_over(session_id, claim.previous)  # ours: no need to wait for the notice
        return claim

    def _taken_over(self, session_id: str, token: str) -> None:
        renewer = self._renewers.pop(token, None)
        if renewer is not None:
            renewer.cancel()
        if self.on_takeover is not None:
            self.on_takeover(session_id, token)

    async def _listen(self) -> None:
        """Subscribe (once per process) to takeover notices before the first stream is claimed.

        Waits for the subscription only when starting it (bounded); while a lost subscription is
        being retried, streams open without waiting and the lease renewal notices takeovers."""
        if self._listener is None or self._listener.done():
            self._subscribed.clear()
            self._listener = asyncio.create_task(self._notices())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._subscribed.wait(), 5.0)

    async def _notices(self) -> None:
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                self._subscribed.set()
                await self._sweep()  # notices sent while (re)subscribing are not lost
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    session_id, _, token = message["data"].decode().partition(" ")
                    if token in self.local.holders:
                        self._taken_over(session_id, token)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: resubscribe; renewals notice takeovers meanwhile
                self._subscribed.clear()
                log.warning("takeover notices: Redis subscription lost, retrying", exc_info=True)
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def _sweep(self) -> None:
        for token, session_id in list(self.local.holders.items()):
            account_id = self.local.sessions.get(session_id)
            if account_id is None or token not in self._renewers:
                continue
            held = await self._redis.get(self._keys(session_id, account_id)[0])
            if held is not None and held.decode() != f"{account_id} {token}":
                self._taken_over(session_id, token)

    async def _renew(self, session_id: str, account_id: str, token: str) -> None:
        keys = self._keys(session_id, account_id)
        while True:
            await asyncio.sleep(self.lease / 3)
            try:
                owned = await self._renew_script(
                    keys=keys, args=[f"{account_id} {token}", int(self.lease * 1000), time.time() + self.lease,
                                     session_id])
            except Exception:  # a Redis blip must not end the stream
                continue
            if not owned:  # taken over and the notice was missed
                self._renewers.pop(token, None)
                if self.on_takeover is not None:
                    self.on_takeover(session_id, token)
                return

    async def close(self, session_id: str, token: str) -> bool:
        account_id = self.local.sessions.get(session_id)
        renewer = self._renewers.pop(token, None)
        if renewer is not None:
            renewer.cancel()
        if token not in self.local.holders:
            return False
        await self.local.close(session_id, token)
        if account_id is None:
            return False
        with contextlib.suppress(Exception):  # the lease runs out by itself if Redis is away now
            return bool(await self._close_script(
                keys=[*self._keys(session_id, account_id), self._released_key(token)],
                args=[f"{account_id} {token}", session_id, int(self.lease * 1000)]))
        return False

    async def wait_released(self, session_id: str, token: str, timeout: float) -> bool:
        if not token:
            return False  # an owner without a token cannot be told, nor tell us
        if token in self.local.holders:
            return await self.local.wait_released(session_id, token, timeout)
        deadline = time.monotonic() + timeout
        while not await self._redis.exists(self._released_key(token)):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    async def aclose(self) -> None:
        """Stop listening and renewing (tests; a server simply exits)."""
        for task in [*self._renewers.values(), *([self._listener] if self._listener else [])]:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        self._renewers.clear()
        self._listener = None
        await self._redis.aclose()

    def active(self, account_id: str | None = None) -> int:
        return self.local.active(account_id)

    @property
    def sessions(self) -> dict[str, str]:
        return self.local.sessions


def make_registry(url: str) -> Registry | RedisRegistry:
    return RedisRegistry(url) if url else Registry()
