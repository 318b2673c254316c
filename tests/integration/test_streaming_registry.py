"""The cluster-wide stream registry on a real Redis: two registries stand for two replicas."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from services.core.errors import ConflictException, LimitExceededException
from services.streaming.registry import RedisRegistry
from tests.support import stack


def test_session_ids_and_limits_hold_across_replicas() -> None:
    prefix = f"harken-test:stream:{uuid.uuid4().hex[:8]}"

    async def scenario() -> None:
        a = RedisRegistry(stack.REDIS_URL, lease_seconds=30, prefix=prefix)
        b = RedisRegistry(stack.REDIS_URL, lease_seconds=30, prefix=prefix)
        s1, s2, s3 = (str(uuid.uuid4()) for _ in range(3))
        await a.open(s1, "111122223333", 2)
        with pytest.raises(ConflictException):
            await b.open(s1, "111122223333", 2)  # the id is taken on another replica
        await b.open(s2, "111122223333", 2)
        with pytest.raises(LimitExceededException):
            await a.open(s3, "111122223333", 2)  # two streams of the account, on two replicas
        await b.open(s3, "444455556666", 2)  # other accounts are counted apart
        assert a.active() == 1 and b.active() == 2
        await a.close(s1)
        await b.open(s1, "111122223333", 2)  # freed at once on close
        for sid in (s1, s2, s3):
            await b.close(sid)

    asyncio.run(scenario())


def test_a_dead_replica_stops_counting_after_its_lease() -> None:
    prefix = f"harken-test:stream:{uuid.uuid4().hex[:8]}"

    async def scenario() -> None:
        dead = RedisRegistry(stack.REDIS_URL, lease_seconds=1.0, prefix=prefix)
        sid = str(uuid.uuid4())
        await dead.open(sid, "111122223333", 1)
        dead._renewers.pop(sid).cancel()  # the replica dies: nobody renews its lease
        alive = RedisRegistry(stack.REDIS_URL, lease_seconds=1.0, prefix=prefix)
        with pytest.raises(LimitExceededException):
            await alive.open(str(uuid.uuid4()), "111122223333", 1)
        await asyncio.sleep(1.3)
        other = str(uuid.uuid4())
        await alive.open(other, "111122223333", 1)
        await alive.open(sid, "444455556666", 1)  # and its session id is free again
        await alive.close(other)
        await alive.close(sid)

    asyncio.run(scenario())


def test_a_live_stream_keeps_its_lease() -> None:
    prefix = f"harken-test:stream:{uuid.uuid4().hex[:8]}"

    async def scenario() -> None:
        reg = RedisRegistry(stack.REDIS_URL, lease_seconds=0.6, prefix=prefix)
        sid = str(uuid.uuid4())
        await reg.open(sid, "111122223333", 1)
        await asyncio.sleep(1.5)  # several leases long: renewed meanwhile
        with pytest.raises(ConflictException):
            await RedisRegistry(stack.REDIS_URL, prefix=prefix).open(sid, "444455556666", 5)
        await reg.close(sid)

    asyncio.run(scenario())


def test_resume_state_is_shared_across_replicas_until_the_window_ends() -> None:
    import time

    from services.streaming.registry import ResumeState

    prefix = f"harken-test:stream:{uuid.uuid4().hex[:8]}"

    async def scenario() -> None:
        a = RedisRegistry(stack.REDIS_URL, prefix=prefix)
        b = RedisRegistry(stack.REDIS_URL, prefix=prefix)
        sid = str(uuid.uuid4())
        assert await b.resume_state(sid) is None
        state = ResumeState("111122223333", time.time() + 1.0, offset=12.5, language="de-DE",
                            language_scores=[("de-DE", 0.9), ("fr-FR", 0.1)], speakers=[[0.5, 0.5]], speaker_counts=[3])
        await a.save_resume_state(sid, state)
        assert await b.resume_state(sid) == state  # the other replica continues from it
        await asyncio.sleep(1.2)
        assert await b.resume_state(sid) is None  # the window is over

    asyncio.run(scenario())
