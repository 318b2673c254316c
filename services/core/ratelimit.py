"""Per-account, per-operation request rates: a token bucket in Redis, shared by every gateway process.

A limiter in process memory would multiply the quota by the number of gateway processes and pods;
Redis holds one bucket per (account, operation) and a Lua script refills and takes a token in one
round trip, atomically, reading the clock from Redis itself so skewed hosts agree. Keys expire once
a bucket would be full again, so idle accounts cost nothing. The script runs through
``services.core.resp`` (a minimal client: redis-py's layers cost more CPU than the gateway spends
on the rest of a Get's limiter check), or redis-py for URLs that client does not speak (TLS).

Beyond the rate AWS answers ``ThrottlingException`` with the message "Rate exceeded" (HTTP 400,
lower-case ``message``), which every AWS SDK retries with back-off; Harken answers the same.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from services.core import resp
from services.core.errors import ThrottlingException
from services.core.settings import Settings

log = logging.getLogger("harken.throttle")

RATE_EXCEEDED = "Rate exceeded"

#: AWS's published default transactions per second (Amazon Transcribe "Guidelines and quotas").
AWS_DEFAULT_RATES: dict[str, float] = {
    "StartTranscriptionJob": 25, "StartStreamTranscription": 25, "GetTranscriptionJob": 30, "ListTranscriptionJobs": 5,
    "DeleteTranscriptionJob": 5,
    "CreateVocabulary": 10, "UpdateVocabulary": 10, "GetVocabulary": 20, "ListVocabularies": 5,
    "DeleteVocabulary": 5,
    "StartCallAnalyticsJob": 10, "GetCallAnalyticsJob": 20, "ListCallAnalyticsJobs": 5,
    "DeleteCallAnalyticsJob": 5,
    "CreateCallAnalyticsCategory": 10, "UpdateCallAnalyticsCategory": 10,
    "GetCallAnalyticsCategory": 20, "DeleteCallAnalyticsCategory": 5,
}

#: Operations AWS's table leaves out take the rate of their verb in the table.
VERB_RATES: dict[str, float] = {
    "Start": 25, "Get": 20, "Describe": 20, "List": 5, "Create": 10, "Update": 10, "Delete": 5,
    "Tag": 10, "Untag": 10,
}
FALLBACK_RATE = 10.0

#: KEYS[1] bucket; ARGV rate (tokens/s), capacity. Returns 1 when a token was taken.
_SCRIPT = """
local rate = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local v = redis.call('HMGET', KEYS[1], 't', 'n')
local n = tonumber(v[2])
local last = tonumber(v[1])
if n == nil or last == nil then
  n = cap
else
  n = math.min(cap, n + math.max(0, now - last) * rate)
end
local ok = 0
if n >= 1 then
  n = n - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 't', tostring(now), 'n', tostring(n))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate * 1000) + 1000)
return ok
"""

_lock = threading.Lock()
_clients: dict[str, Any] = {}


def default_rate(op: str) -> float:
    if op in AWS_DEFAULT_RATES:
        return AWS_DEFAULT_RATES[op]
    for verb, rate in VERB_RATES.items():
        if op.startswith(verb):
            return rate
    return FALLBACK_RATE


def rate_for(settings: Settings, account_id: str, op: str) -> float:
    account = settings.tenants.policy(account_id).rates
    if op in account:
        return float(account[op])
    if op in settings.throttle.rates:
        return float(settings.throttle.rates[op])
    return default_rate(op)


def _script(url: str) -> Any:
    script = _clients.get(url)
    if script is not None:
        return script
    with _lock:
        script = _clients.get(url)
        if script is None:
            if resp.supports(url):
                script = resp.ScriptClient(url, _SCRIPT, timeout=0.5)
            else:
                import redis

                client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5,
                                              health_check_interval=30)
                script = client.register_script(_SCRIPT)
            _clients[url] = script
        return script


def take(settings: Settings, account_id: str, op: str) -> bool:
    """Take one token from the account's bucket for ``op``; False when the bucket is empty."""
    rate = rate_for(settings, account_id, op)
    if rate <= 0:
        return False
    t = settings.throttle
    capacity = max(1.0, rate * t.burst_seconds)
    key = f"{t.key_prefix}:{account_id}:{op}"
    try:
        return bool(_script(t.redis_url or settings.broker.url)(keys=[key], args=[rate, capacity]))
    except Exception:
        log.warning("rate limiter unavailable (fail_open=%s)", t.fail_open, exc_info=True)
        return t.fail_open


def check(settings: Settings, account_id: str, op: str) -> None:
    """The gateway's one call per request: raise ThrottlingException beyond the account's rate."""
    if settings.throttle.enabled and not take(settings, account_id, op):
        raise ThrottlingException(RATE_EXCEEDED)
