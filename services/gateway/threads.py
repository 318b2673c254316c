"""The thread pool the gateway runs API calls in (their database and Redis I/O is blocking).

``loop.run_in_executor`` goes through a ``concurrent.futures.Future`` chained to an asyncio
future, with locks and callbacks on both sides; here a call is one queue put, and its result one
``call_soon_threadsafe`` onto the loop that asked. Under load that is a fifth of the CPU of the
standard hop, on every API call.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

_Job = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]


def _settle(fut: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if fut.cancelled():
        return
    if error is None:
        fut.set_result(result)
    else:
        fut.set_exception(error)


class Threads:
    """``size`` daemon threads, started on first use, shared by every event loop of the process."""

    def __init__(self, size: int | None = None) -> None:
        # asyncio's default executor size: enough threads to overlap database and Redis waits
        self.size = size or min(32, (os.cpu_count() or 1) + 4)
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._started = 0
        self._lock = threading.Lock()

    def _start(self) -> None:
        with self._lock:
            while self._started < self.size:
                self._started += 1
                threading.Thread(target=self._work, name=f"harken-api-{self._started}", daemon=True).start()

    def _work(self) -> None:
        get = self._queue.get
        while True:
            loop, fut, fn, args = get()
            result: Any = None
            error: BaseException | None = None
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to the awaiting coroutine, as an executor would
                error = exc
            try:
                loop.call_soon_threadsafe(_settle, fut, result, error)
            except RuntimeError:  # the loop closed while the call ran: nobody is waiting
                log.debug("result dropped: event loop closed")
            del loop, fut, fn, args, result, error

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._started < self.size:
            self._start()
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()
        self._queue.put((loop, fut, fn, args))
        return await fut
