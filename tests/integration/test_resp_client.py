"""The rate limiter's minimal Redis client against real Redis servers: a private one with a
password (AUTH, SELECT, a restart under pooled connections) and the shared test Redis (script
loading, error replies, the limiter's token bucket end to end)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from services.core import ratelimit, resp
from services.core.settings import Settings
from services.embedded.ports import free_port, wait_for_port
from tests.support import stack

PASSWORD = "resp-test-pw"


@pytest.fixture()
def private_redis() -> Iterator[Callable[[str], int]]:
    """A password-protected Redis only this test uses, so it can be restarted."""
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    procs: list[subprocess.Popen[bytes]] = []

    def control(action: str) -> int:
        if action == "start":
            procs.append(subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                           "--appendonly", "no", "--requirepass", PASSWORD],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            assert wait_for_port("127.0.0.1", port, 10)
        elif action == "stop":
            for p in procs:
                p.kill()
                p.wait(10)
            procs.clear()
        return port

    control("start")
    yield control
    control("stop")


def _script(tag: str) -> str:
    # a script body no Redis has seen yet: the first call takes the NOSCRIPT -> EVAL path
    return f"-- {tag}\nredis.call('INCRBY', KEYS[1], ARGV[1]) return tonumber(redis.call('GET', KEYS[1]))"


def test_script_runs_loads_and_reuses_connections() -> None:
    client = resp.ScriptClient(stack.REDIS_URL, _script(uuid.uuid4().hex))
    key = f"harken-test:resp:{uuid.uuid4().hex}"
    try:
        assert client(keys=[key], args=[2]) == 2  # NOSCRIPT, then EVAL
        assert client(keys=[key], args=[3]) == 5  # EVALSHA now that Redis has it
        assert len(client._idle) == 1  # one connection, back in the pool after each call
    finally:
        redis.Redis.from_url(stack.REDIS_URL).delete(key)
        client.close()


def test_error_reply_raises_and_keeps_the_connection() -> None:
    client = resp.ScriptClient(stack.REDIS_URL, "return redis.error_reply('nope')")
    with pytest.raises(resp.RespError, match="nope"):
        client(keys=[], args=[])
    assert len(client._idle) == 1
    client.close()


def test_auth_select_and_restart(private_redis: Callable[[str], int]) -> None:
    port = private_redis("status")
    url = f"redis://:{PASSWORD}@127.0.0.1:{port}/3"
    client = resp.ScriptClient(url, _script("auth"))
    assert client(keys=["k"], args=[7]) == 7
    admin = redis.Redis(host="127.0.0.1", port=port, password=PASSWORD, db=3)
    assert admin.get("k") == b"7"  # written in database 3
    assert redis.Redis(host="127.0.0.1", port=port, password=PASSWORD, db=0).get("k") is None
    private_redis("stop")  # the pooled connection is now dead, and the script cache gone
    private_redis("start")
    assert client(keys=["k"], args=[1]) == 1  # reconnected, reloaded, no error
    with pytest.raises(resp.RespError):  # wrong password: Redis refuses AUTH
        resp.ScriptClient(f"redis://:wrong@127.0.0.1:{port}/0", _script("x"))(keys=["k"], args=[1])
    client.close()


def test_limiter_takes_tokens_and_fails_open_or_closed() -> None:
    s = Settings(dev_mode=True)
    s.throttle.redis_url = stack.REDIS_URL
    s.throttle.key_prefix = f"harken-test:{uuid.uuid4().hex}"
    s.throttle.rates = {"GetTranscriptionJob": 0.001}
    s.throttle.burst_seconds = 3000.0  # a bucket of 3 that never refills during the test
    got = [ratelimit.take(s, stack.ACCOUNT_A, "GetTranscriptionJob") for _ in range(5)]
    assert got == [True, True, True, False, False]
    assert ratelimit.take(s, stack.ACCOUNT_B, "GetTranscriptionJob")  # another account, another bucket
    dead: Any = f"redis://127.0.0.1:{free_port()}/0"
    s.throttle.redis_url = dead
    assert ratelimit.take(s, stack.ACCOUNT_A, "GetTranscriptionJob") is True  # fail_open default
    s.throttle.fail_open = False
    assert ratelimit.take(s, stack.ACCOUNT_A, "GetTranscriptionJob") is False
