"""Where a gateway process runs read calls (Get*, List*, Describe*): on its event loop while they
are fast, in its read thread pool while they are not.

A read is a Postgres round trip (and, when the rate limiter needs Redis, a Redis one) plus a few
hundred microseconds of Python. Handing it to a thread costs more than that: the hand-off, the
wake-up of the loop, and above all the GIL passed back and forth between the loop and the pool
(about 50 futex calls per Get at 2 read threads, measured with strace; docs/performance.md). On
the loop a read costs none of it, but it holds the loop — every other request of the process —
for its round trips. That is cheap while Postgres answers in a millisecond, and wrong when it
does not (a remote database on a slow link, an overloaded or failing-over server): then the loop
must stay free and the reads wait in the pool instead.

So in ``auto`` mode a read that takes longer than ``api.inline_read_budget_ms`` on the loop moves
this process's reads to the pool, and they come back once ``RECOVER_AFTER`` reads in a row have
taken less than the budget there. A slow database costs one slow read on the loop per process
each time it turns slow, not one per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar

log = logging.getLogger("harken.gateway")

T = TypeVar("T")

#: Consecutive reads under the budget, in the pool, before reads return to the loop.
RECOVER_AFTER = 100


class ReadPlacement:
    """One per gateway process; its state is a flag and a counter, so races are harmless."""

    def __init__(self, mode: Literal["auto", "always", "never"], budget_ms: float) -> None:
        self.mode = mode
        self.budget = budget_ms / 1000
        self.on_loop = mode != "never"
        self._fast = 0
        #: The first read of a process opens its Postgres connection and builds its S3 client
        #: (botocore: about 0.2 s); it says nothing about how fast reads are.
        self._cold = True

    def run_inline(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the caller's thread (the event loop), timed."""
        return _timed(self._took_inline, fn, *args)

    def run_timed(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a pool thread (this wrapper is what the pool runs), timed."""
        return _timed(self._took_in_pool, fn, *args)

    def _took_inline(self, seconds: float) -> None:
        if self._cold:
            self._cold = False
            return
        if self.mode == "auto" and seconds > self.budget and self.on_loop:
            self.on_loop = False
            self._fast = 0
            log.warning("a read took %.0f ms on the event loop (budget %.0f ms): reads move to the "
                        "read thread pool until they are fast again", seconds * 1000, self.budget * 1000)

    def _took_in_pool(self, seconds: float) -> None:
        if self.mode != "auto" or self.on_loop:
            return
        if seconds > self.budget:
            self._fast = 0
            return
        self._fast += 1
        if self._fast >= RECOVER_AFTER:
            self.on_loop = True
            log.info("%d reads in a row under %.0f ms: reads run on the event loop again",
                     self._fast, self.budget * 1000)


def _timed(took: Callable[[float], None], fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, telling ``took`` how long it ran, whether it returned or raised."""
    started = time.perf_counter()
    try:
        return fn(*args)
    finally:
        took(time.perf_counter() - started)
