"""Streaming server metrics. The names are a contract: the Helm chart's dashboards and alerts use them."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

SESSIONS_ACTIVE = Gauge("harken_stream_sessions_active", "Streaming sessions open in this process")
SESSIONS_TOTAL = Counter(
    "harken_stream_sessions_total", "Streaming sessions that ended, by outcome "
    "(completed, client_disconnect, bad_request, limit_exceeded, throttled, conflict, taken_over, auth_failed, "
    "shutdown, unavailable, internal_error)",
    ["outcome"],
)
AUDIO_SECONDS = Counter("harken_stream_audio_seconds_total", "Seconds of audio received by streaming sessions")
_LATENCY_BUCKETS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
PARTIAL_LATENCY = Histogram(
    "harken_stream_partial_latency_seconds",
    "From the arrival of the newest audio a partial result covers to the result being sent",
    buckets=_LATENCY_BUCKETS,
)
FINAL_LATENCY = Histogram(
    "harken_stream_final_latency_seconds",
    "From the arrival of an utterance's last speech audio to its final result being sent",
    buckets=_LATENCY_BUCKETS,
)
DECODE_SECONDS = Histogram(
    "harken_stream_decode_seconds", "Wall time of one Whisper call of the streaming server", ["kind"],
    buckets=_LATENCY_BUCKETS,
)
