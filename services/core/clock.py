"""One place that reads the wall clock, so tests and the lease logic agree on "now"."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def epoch(dt: datetime | None) -> float | None:
    """AWS JSON 1.1 sends timestamps as epoch seconds (a JSON number, millisecond precision)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return round(dt.timestamp(), 3)
