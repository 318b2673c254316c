"""The cluster-wide stream registry on a real Redis: two registries stand for two replicas."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from services.core.errors import ConflictException, LimitExceededException
from services.streaming.registry import RedisRegistry, Registry, ResumeState
from tests.support import stack

X, Y = "111122223333", "444455556666"


def _prefix() -> str:
    return f"harken-test:stream:{uuid.uuid4().hex[:8]}"


class _Notices:
    """Takeover notices a registry delivers to its process."""

    def __init__(self, registry: Registry | RedisRegistry) -> None:
        self.got: list[tuple[str, str]] = []
        self.event = asyncio.Event()
        registry.on_takeover = self

    def __call__(self, session_id: str, token: str) -> None:
        self.got.append((session_id, token))
        self.event.set()

    async def wait(self, timeout: float = 5.0) -> list[tuple[str, str]]:
        await asyncio.wait_for(self.event.wait(), timeout)
        return self.got


def test_session_ids_and_limits_hold_across_replicas() -> None:
    prefix = _prefix()

    async def scenario() -> None:
        a = RedisRegistry(stack.REDIS_URL, lease_seconds=30, prefix=prefix)
        b = RedisRegistry(stack.REDIS_URL, lease_seconds=30, prefix=prefix)
        s1, s2, s3 = (str(uuid.uuid4()) for _ in range(3))
        c1 = await a.open(s1, X, 2)
        assert c1.previous is None
        with pytest.raises(ConflictException, match="already in use"):
            await b.open(s1, Y, 2)  # another account's id, on another replica
        await b.open(s2, X, 2)
        with pytest.raises(LimitExceededException):
            await a.open(s3, X, 2)  # two streams of the account, on two replicas
        c3 = await b.open(s3, Y, 2)  # other accounts are counted apart
        assert a.active() == 1 and b.active() == 2
        await a.close(s1, c1.token)
        c1 = await b.open(s1, X, 2)  # freed at once on close
        assert c1.previous is None
        for sid, token in ((s1, c1.token), (s3, c3.token)):
            assert await b.close(sid, token)
        await a.aclose()
        await b.aclose()

    asyncio.run(scenario())


def test_the_same_account_takes_a_session_over_from_another_replica() -> None:
    """The new stream's claim replaces the owner at once; the old replica hears of it by pub/sub;
    the account still counts the session once; the old owner's close frees nothing."""
    prefix = _prefix()

    async def scenario() -> None:
        a = RedisRegistry(stack.REDIS_URL, lease_seconds=30, prefix=prefix)
        b = RedisRegistry(stack.REDIS_URL, lease_seconds=30, prefix=prefix)
        heard_a, heard_b = _Notices(a), _Notices(b)
        sid, other = str(uuid.uuid4()), str(uuid.uuid4())
        old = await a.open(sid, X, 2)
        await a.open(other, X, 2)
        new = await b.open(sid, X, 2)  # at the limit of 2: a takeover adds no stream
        assert new.previous == old.token and new.token != old.token
        assert await heard_a.wait() == [(sid, old.token)]
        assert heard_b.got == []
        with pytest.raises(LimitExceededException):
            await b.open(str(uuid.uuid4()), X, 2)  # still two streams of the account, not three
        with pytest.raises(ConflictException):
            await a.open(sid, Y, 5)  # and never another account's
        assert not await b.wait_released(sid, old.token, 0.2)  # the old stream has not ended yet
        assert not await a.close(sid, old.token)  # not the owner any more: frees nothing...
        assert await b.wait_released(sid, old.token, 5.0)  # ...but tells the new owner it is gone
        with pytest.raises(ConflictException):
            await a.open(sid, Y, 5)
        assert await b.close(sid, new.token)
        assert (await a.open(sid, Y, 5)).previous is None  # freed by its owner
        await a.aclose()
        await b.aclose()

    asyncio.run(scenario())


def test_a_takeover_in_the_same_process_and_without_redis() -> None:
    async def scenario() -> None:
        for registry in (Registry(), RedisRegistry(stack.REDIS_URL, lease_seconds=30, prefix=_prefix())):
            heard = _Notices(registry)
            sid = str(uuid.uuid4())
            old = await registry.open(sid, X, 1)
            new = await registry.open(sid, X, 1)
            assert new.previous == old.token
            assert heard.got == [(sid, old.token)]  # told at once, not by a round trip
            assert registry.active(X) == 1
            with pytest.raises(ConflictException):
                await registry.open(sid, Y, 1)
            assert not await registry.close(sid, old.token)
            assert await registry.wait_released(sid, old.token, 1.0)
            assert registry.active(X) == 1
            assert await registry.close(sid, new.token)
            assert registry.active() == 0
            if isinstance(registry, RedisRegistry):
                await registry.aclose()

    asyncio.run(scenario())


def test_a_missed_notice_is_caught_by_the_lease_renewal() -> None:
    """If the pub/sub notice is lost (the subscription was down), the owner's next renewal sees the
    session key carries another token and ends its stream all the same."""
    prefix = _prefix()

    async def scenario() -> None:
        reg = RedisRegistry(stack.REDIS_URL, lease_seconds=0.6, prefix=prefix)
        heard = _Notices(reg)
        sid = str(uuid.uuid4())
        claim = await reg.open(sid, X, 1)
        await reg._redis.set(f"{prefix}:session:{sid}", f"{X} someone-else", px=5000)  # no notice sent
        assert await heard.wait(3.0) == [(sid, claim.token)]
        assert not await reg.close(sid, claim.token)
        assert await reg._redis.get(f"{prefix}:session:{sid}") == f"{X} someone-else".encode()
        await reg.aclose()

    asyncio.run(scenario())


def test_a_dead_replica_stops_counting_after_its_lease() -> None:
    prefix = _prefix()

    async def scenario() -> None:
        dead = RedisRegistry(stack.REDIS_URL, lease_seconds=1.0, prefix=prefix)
        sid = str(uuid.uuid4())
        claim = await dead.open(sid, X, 1)
        await dead.aclose()  # the replica dies: nobody renews its lease nor hears notices
        alive = RedisRegistry(stack.REDIS_URL, lease_seconds=1.0, prefix=prefix)
        with pytest.raises(LimitExceededException):
            await alive.open(str(uuid.uuid4()), X, 1)
        # its session can be taken over by its account at once; nobody answers for the old stream
        taken = await alive.open(sid, X, 1)
        assert taken.previous == claim.token
        assert not await alive.wait_released(sid, claim.token, 0.3)
        assert await alive.close(sid, taken.token)
        other = str(uuid.uuid4())
        claim = await alive.open(other, X, 1)  # the taken-over id counted once, and is freed now
        assert claim.previous is None
        assert await alive.close(other, claim.token)
        await alive.aclose()

    asyncio.run(scenario())


def test_a_dead_replicas_streams_expire_with_their_lease() -> None:
    prefix = _prefix()

    async def scenario() -> None:
        dead = RedisRegistry(stack.REDIS_URL, lease_seconds=1.0, prefix=prefix)
        sid = str(uuid.uuid4())
        await dead.open(sid, X, 1)
        await dead.aclose()
        alive = RedisRegistry(stack.REDIS_URL, lease_seconds=1.0, prefix=prefix)
        with pytest.raises(LimitExceededException):
            await alive.open(str(uuid.uuid4()), X, 1)
        await asyncio.sleep(1.3)
        other = str(uuid.uuid4())
        c1 = await alive.open(other, X, 1)
        c2 = await alive.open(sid, Y, 1)  # and its session id is free again, even for another account
        assert c2.previous is None
        await alive.close(other, c1.token)
        await alive.close(sid, c2.token)
        await alive.aclose()

    asyncio.run(scenario())


def test_a_live_stream_keeps_its_lease() -> None:
    prefix = _prefix()

    async def scenario() -> None:
        reg = RedisRegistry(stack.REDIS_URL, lease_seconds=0.6, prefix=prefix)
        heard = _Notices(reg)
        sid = str(uuid.uuid4())
        claim = await reg.open(sid, X, 1)
        await asyncio.sleep(1.5)  # several leases long: renewed meanwhile
        other = RedisRegistry(stack.REDIS_URL, prefix=prefix)
        with pytest.raises(ConflictException):
            await other.open(sid, Y, 5)
        assert heard.got == []  # renewing its own lease is no takeover
        assert await reg.close(sid, claim.token)
        await reg.aclose()
        await other.aclose()

    asyncio.run(scenario())


def test_resume_state_is_shared_across_replicas_until_the_window_ends() -> None:
    prefix = _prefix()

    async def scenario() -> None:
        a = RedisRegistry(stack.REDIS_URL, prefix=prefix)
        b = RedisRegistry(stack.REDIS_URL, prefix=prefix)
        sid = str(uuid.uuid4())
        assert await b.resume_state(sid) is None
        state = ResumeState(X, time.time() + 1.0, offset=12.5, language="de-DE",
                            language_scores=[("de-DE", 0.9), ("fr-FR", 0.1)], speakers=[[0.5, 0.5]], speaker_counts=[3])
        await a.save_resume_state(sid, state)
        assert await b.resume_state(sid) == state  # the other replica continues from it
        await asyncio.sleep(1.2)
        assert await b.resume_state(sid) is None  # the window is over
        await a.aclose()
        await b.aclose()

    asyncio.run(scenario())
