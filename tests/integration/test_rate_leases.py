"""Leased rate-limit tokens against the shared test Redis: a process spends a lease without asking
Redis, leases grow with the process's own use, several processes together never admit more than
the bucket holds, and an expired lease's tokens go back to the bucket."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from services.core import ratelimit
from services.core.settings import Settings
from tests.support import stack

OP = "GetTranscriptionJob"


def _settings(rate: float, burst_seconds: float, lease_seconds: float) -> Settings:
    s = Settings(dev_mode=True)
    s.throttle.redis_url = stack.REDIS_URL
    s.throttle.key_prefix = f"harken-test:{uuid.uuid4().hex}"
    s.throttle.rates = {OP: rate}
    s.throttle.burst_seconds = burst_seconds
    s.throttle.lease_seconds = lease_seconds
    return s


@pytest.fixture()
def redis_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[Any]]:
    """Every call the limiter makes to Redis (the real script still runs)."""
    calls: list[list[Any]] = []
    real = ratelimit._script

    def counting(url: str) -> Any:
        script = real(url)

        def call(keys: list[str], args: list[Any]) -> Any:
            calls.append(args)
            return script(keys=keys, args=args)

        return call

    monkeypatch.setattr(ratelimit, "_script", counting)
    return calls


def test_lease_bounds() -> None:
    assert ratelimit.max_lease(30, 30, 0.05) == 1  # AWS's default Get rate: every call asks Redis
    assert ratelimit.max_lease(25, 25, 0.05) == 1
    assert ratelimit.max_lease(1000, 1000, 0.05) == 50
    assert ratelimit.max_lease(1000, 100, 0.05) == 10  # never more than a tenth of the bucket
    assert ratelimit.max_lease(1000, 1000, 0.0) == 1  # leases off


def test_a_lease_is_spent_without_asking_redis(redis_calls: list[list[Any]]) -> None:
    s = _settings(rate=1000, burst_seconds=1.0, lease_seconds=0.5)  # leases of at most 100
    leases = ratelimit._Leases()
    assert all(ratelimit.take(s, stack.ACCOUNT_A, OP, leases) for _ in range(250))
    # the first call asks for one token; the next leases grow with how fast this process spends
    # them (sizes depend on timing: the first round trip also opens the connection)
    wanted = [args[2] for args in redis_calls]
    assert wanted[0] == 1 and all(1 <= w <= 100 for w in wanted) and max(wanted) > 1
    assert len(redis_calls) <= 25  # against 250 without leases


def test_script_takes_what_is_there_and_takes_back_returned_tokens() -> None:
    script = ratelimit._script(stack.REDIS_URL)
    key = f"harken-test:{uuid.uuid4().hex}"
    rate, cap = 0.001, 10  # refills one token in 1000 s: nothing during the test
    assert script(keys=[key], args=[rate, cap, 4, 0]) == 4
    assert script(keys=[key], args=[rate, cap, 100, 0]) == 6  # only six were left
    assert script(keys=[key], args=[rate, cap, 1, 0]) == 0
    assert script(keys=[key], args=[rate, cap, 5, 3]) == 3  # three given back, three taken
    assert script(keys=[key], args=[rate, cap, 5, 50]) == 5  # never above the bucket's capacity...
    assert script(keys=[key], args=[rate, cap, 10, 0]) == 5  # ...so five are left, not 45


def test_slow_rates_ask_redis_every_call(redis_calls: list[list[Any]]) -> None:
    # below 40/s (all of AWS's defaults) a lease of 0.05 s is less than two tokens: no leasing
    s = _settings(rate=1, burst_seconds=30.0, lease_seconds=0.05)  # a bucket of 30, refilling 1/s
    leases = ratelimit._Leases()
    started = time.monotonic()
    got = [ratelimit.take(s, stack.ACCOUNT_A, OP, leases) for _ in range(40)]
    elapsed = time.monotonic() - started
    assert len(redis_calls) == 40 and all(args[2] == 1 for args in redis_calls)
    assert got[:30] == [True] * 30 and got.count(True) <= 30 + int(elapsed) + 1


def test_processes_together_never_exceed_the_bucket() -> None:
    # rate 10/s, a bucket of 100, leases of 10: three processes take in turn until all are refused
    s = _settings(rate=10, burst_seconds=10.0, lease_seconds=1.0)
    processes = [ratelimit._Leases() for _ in range(3)]
    admitted = 0
    started = time.monotonic()
    refused = [False] * 3
    for turn in range(1000):
        i = turn % 3
        if refused[i]:
            if all(refused):
                break
            continue
        if ratelimit.take(s, stack.ACCOUNT_A, OP, processes[i]):
            admitted += 1
        else:
            refused[i] = True
    elapsed = time.monotonic() - started
    assert all(refused)
    # the bucket's 100 plus what refilled while the test ran, never a lease more
    assert 100 <= admitted <= 100 + int(10 * elapsed) + 1


def test_an_unused_lease_expires_and_goes_back(redis_calls: list[list[Any]]) -> None:
    s = _settings(rate=1000, burst_seconds=1.0, lease_seconds=0.1)  # leases live 0.1 s
    leases = ratelimit._Leases()
    assert all(ratelimit.take(s, stack.ACCOUNT_A, OP, leases) for _ in range(3))
    assert len(redis_calls) == 2 and redis_calls[0][2:] == [1, 0]
    size = redis_calls[1][2]  # the second call's lease (its size depends on how fast it came)
    assert size >= 3  # the third call came out of it
    time.sleep(0.2)
    assert ratelimit.take(s, stack.ACCOUNT_A, OP, leases)
    # the lease expired with all but two of its tokens unused: those go back, and the next lease
    # is the two this process used in one lease's lifetime
    assert redis_calls[-1][2:] == [2, size - 2]
