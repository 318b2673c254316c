"""The gateway's thread pool: results and errors come back to the awaiting coroutine, calls run
concurrently off the event loop, and a cancelled caller does not break the pool."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from services.gateway.threads import Threads


def test_results_errors_and_threads() -> None:
    pool = Threads(3)

    def boom() -> None:
        raise ValueError("from the thread")

    async def main() -> None:
        assert await pool.run(lambda a, b: a + b, 2, 3) == 5
        with pytest.raises(ValueError, match="from the thread"):
            await pool.run(boom)
        loop_thread = threading.get_ident()
        assert await pool.run(threading.get_ident) != loop_thread
        # three blocking calls run at once: each waits until all three have arrived
        barrier = threading.Barrier(3, timeout=30)
        assert sorted(await asyncio.gather(*(pool.run(barrier.wait) for _ in range(3)))) == [0, 1, 2]

    asyncio.run(main())


def test_cancelled_caller_and_a_second_loop() -> None:
    pool = Threads(1)

    async def main() -> None:
        task = asyncio.ensure_future(pool.run(time.sleep, 0.2))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await pool.run(lambda: "still serving") == "still serving"

    asyncio.run(main())
    asyncio.run(main())  # another event loop, same threads


def _gateway(monkeypatch: pytest.MonkeyPatch, handle: Any, **api: Any) -> Any:
    from fastapi import FastAPI

    from services.core.settings import ApiSettings, Settings
    from services.gateway import app as gateway_app

    monkeypatch.setattr(gateway_app, "_handle", handle)
    return gateway_app.Gateway(Settings(api=ApiSettings(token_secret="test", **api)), FastAPI())


async def _call(gw: Any, op: str) -> int:
    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"", "client": None,
             "headers": [(b"x-amz-target", f"Transcribe.{op}".encode())]}
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    await gw.api(scope, receive, send)
    return int(sent[0]["status"])  # type: ignore[call-overload]


def test_reads_are_not_starved_by_slow_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every call thread stuck (e.g. Starts waiting on an unreachable S3): Gets still answer, on
    the event loop or from their own pool."""
    release = threading.Event()

    def fake_handle(settings: object, op: str, *rest: object) -> bytes:
        if op == "StartTranscriptionJob":
            release.wait(30)
        return b"{}"

    async def main(gw: Any) -> None:
        stuck = asyncio.ensure_future(_call(gw, "StartTranscriptionJob"))  # takes the only call thread
        await asyncio.sleep(0.1)
        assert await asyncio.wait_for(_call(gw, "GetTranscriptionJob"), 10) == 200
        assert not stuck.done()
        release.set()
        assert await asyncio.wait_for(stuck, 10) == 200

    for mode in ("never", "auto"):
        release.clear()
        gw = _gateway(monkeypatch, fake_handle, read_threads=1, threads=1, inline_reads=mode)
        assert gw.read_threads is not gw.threads
        asyncio.run(main(gw))


def test_reads_run_on_the_event_loop_and_other_calls_in_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    ran_on: dict[str, int] = {}

    def handle(settings: object, op: str, *rest: object) -> bytes:
        ran_on[op] = threading.get_ident()
        return b"{}"

    async def main(gw: Any) -> int:
        assert await _call(gw, "GetTranscriptionJob") == 200
        assert await _call(gw, "ListVocabularies") == 200
        assert await _call(gw, "StartTranscriptionJob") == 200
        return threading.get_ident()

    for mode in ("auto", "always"):
        loop_thread = asyncio.run(main(_gateway(monkeypatch, handle, inline_reads=mode)))
        assert ran_on["GetTranscriptionJob"] == ran_on["ListVocabularies"] == loop_thread
        assert ran_on["StartTranscriptionJob"] != loop_thread
    loop_thread = asyncio.run(main(_gateway(monkeypatch, handle, inline_reads="never")))
    assert ran_on["GetTranscriptionJob"] != loop_thread


def test_a_slow_read_moves_reads_off_the_loop_until_they_are_fast_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from services.gateway import placement

    delay = {"s": 0.0}
    ran_on: list[int] = []

    def handle(settings: object, op: str, *rest: object) -> bytes:
        ran_on.append(threading.get_ident())
        time.sleep(delay["s"])
        return b"{}"

    monkeypatch.setattr(placement, "RECOVER_AFTER", 5)
    # A budget far above what a fast read takes even on a loaded CI machine (a 20 ms budget failed
    # there once), and slow reads far above the budget.
    gw = _gateway(monkeypatch, handle, inline_read_budget_ms=250)

    async def main() -> None:
        loop_thread = threading.get_ident()
        delay["s"] = 0.5  # the first read of a process (connecting, building clients) may be slow
        await _call(gw, "GetTranscriptionJob")
        assert ran_on[-1] == loop_thread and gw.reads.on_loop
        delay["s"] = 0.5  # Postgres turns slow: the read that finds out still ran on the loop...
        await _call(gw, "GetTranscriptionJob")
        assert ran_on[-1] == loop_thread and not gw.reads.on_loop
        for _ in range(3):  # ...the next ones wait in the pool, and slow ones keep them there
            await _call(gw, "GetTranscriptionJob")
            assert ran_on[-1] != loop_thread and not gw.reads.on_loop
        delay["s"] = 0.0
        for _ in range(5):  # five fast reads in a row in the pool bring reads back
            assert not gw.reads.on_loop
            await _call(gw, "GetTranscriptionJob")
            assert ran_on[-1] != loop_thread
        assert gw.reads.on_loop
        await _call(gw, "GetTranscriptionJob")
        assert ran_on[-1] == loop_thread

    asyncio.run(main())


def test_a_failing_slow_read_counts_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """A read that fails after holding the loop (a statement timeout, say) moves reads off it too."""

    def handle(settings: object, op: str, *rest: object) -> bytes:
        time.sleep(0.03)
        raise RuntimeError("canceling statement due to statement timeout")

    gw = _gateway(monkeypatch, handle, inline_read_budget_ms=20)
    gw.reads._cold = False  # not the process's first read
    assert asyncio.run(_call(gw, "GetTranscriptionJob")) == 500
    assert not gw.reads.on_loop
