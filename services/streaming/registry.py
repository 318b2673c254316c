"""Open streams of this process: SessionId uniqueness and the per-account concurrency limit.

Kept per process: each streaming replica enforces the limit for the streams it holds (size
``max_streams_per_account`` as quota divided by replicas behind a load balancer).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from services.core.errors import ConflictException, LimitExceededException


@dataclass
class Registry:
    sessions: dict[str, str] = field(default_factory=dict)  # session id → account
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, session_id: str, account_id: str, limit: int) -> None:
        with self._lock:
            if session_id in self.sessions:
                raise ConflictException(
                    f"The session ID {session_id} is already in use by another stream. Use a different "
                    "session ID or wait until that stream ends.")
            active = sum(1 for a in self.sessions.values() if a == account_id)
            if active >= limit:
                raise LimitExceededException(
                    f"You have reached your limit of {limit} concurrent streams. Close an open stream "
                    "or wait for one to end, then try again.")
            self.sessions[session_id] = account_id

    def close(self, session_id: str) -> None:
        with self._lock:
            self.sessions.pop(session_id, None)

    def active(self, account_id: str | None = None) -> int:
        with self._lock:
            return sum(1 for a in self.sessions.values() if account_id is None or a == account_id)
