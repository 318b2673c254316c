"""The gateway's thread pool: results and errors come back to the awaiting coroutine, calls run
concurrently off the event loop, and a cancelled caller does not break the pool."""

from __future__ import annotations

import asyncio
import threading
import time

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
