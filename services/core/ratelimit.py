"""Per-account, per-operation request rates: a token bucket in Redis, shared by every gateway process.

A limiter in process memory would multiply the quota by the number of gateway processes and pods;
Redis holds one bucket per (account, operation) and a Lua script refills and takes a token in one
round trip, atomically, reading the clock from Redis itself so skewed hosts agree. Keys expire once
a bucket would be full again, so idle accounts cost nothing. The script runs through
``services.core.resp`` (a minimal client: redis-py's layers cost more CPU than the gateway spends
on the rest of a Get's limiter check), or redis-py for URLs that client does not speak (TLS).

At high configured rates a round trip per call is most of the limiter's cost (Redis's CPU, two
context switches, a socket write and read per request), so a process takes a *lease* of several
tokens at once and spends them locally (``_Leases``). A lease is sized to what this process used
in the last ``throttle.lease_seconds`` (the first is one token) and at most that many seconds of
the rate or a tenth of the bucket; tokens left when a lease expires go back to the bucket with the
next call. Every admitted call still comes out of the shared bucket, so the processes together
never admit more than the rate; what a process holds is what it would spend in the next few
milliseconds anyway. At AWS's default rates (at most 30/s) a lease is one token, so each call asks
Redis exactly as without leases.

Beyond the rate AWS answers ``ThrottlingException`` with the message "Rate exceeded" (HTTP 400,
lower-case ``message``), which every AWS SDK retries with back-off; Harken answers the same.
"""

from __future__ import annotations

import logging
import threading
import time
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

#: KEYS[1] bucket; ARGV rate (tokens/s), capacity, wanted, returned. Puts back ``returned`` tokens
#: (an expired lease's), then takes up to ``wanted`` whole tokens (all there are when fewer) and
#: returns how many it took: 0 means the bucket is empty.
_SCRIPT = """
local rate = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local back = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local v = redis.call('HMGET', KEYS[1], 't', 'n')
local n = tonumber(v[2])
local last = tonumber(v[1])
if n == nil or last == nil then
  n = cap
else
  n = math.min(cap, n + math.max(0, now - last) * rate + back)
end
local got = math.min(want, math.floor(n))
if got < 0 then
  got = 0
end
n = n - got
redis.call('HSET', KEYS[1], 't', tostring(now), 'n', tostring(n))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate * 1000) + 1000)
return got
"""

_lock = threading.Lock()
_clients: dict[str, Any] = {}


class _Lease:
    __slots__ = ("expires", "left", "size", "taken")

    def __init__(self, size: int, taken: float, expires: float) -> None:
        self.left = size - 1  # the call that took the lease spent one
        self.size = size
        self.taken = taken
        self.expires = expires


class _Leases:
    """Tokens this process took from shared buckets and has not spent yet, by bucket key."""

    def __init__(self) -> None:
        self._held: dict[str, _Lease] = {}
        self._lock = threading.Lock()

    def spend(self, key: str, now: float, lease_seconds: float) -> tuple[bool, int, int]:
        """Spend one leased token: (spent, tokens to give back, size of the next lease to ask for).

        The next lease is what this process spent in one ``lease_seconds`` by the last one's
        measure: all of it, faster (it ran out early), or what it used before it expired."""
        with self._lock:
            lease = self._held.get(key)
            if lease is None:
                return False, 0, 1
            if lease.expires > now:
                if lease.left >= 1:
                    lease.left -= 1
                    return True, 0, 0
                del self._held[key]
                return False, 0, int(lease.size * lease_seconds / max(now - lease.taken, 1e-6)) + 1
            del self._held[key]
            return False, lease.left, max(1, lease.size - lease.left)

    def add(self, key: str, size: int, now: float, expires: float) -> None:
        """Hold a lease of ``size`` tokens (one of them already spent)."""
        with self._lock:
            if len(self._held) >= 65536:  # many accounts and operations: forget the expired leases
                self._held = {k: v for k, v in self._held.items() if v.expires > now}
            held = self._held.get(key)
            if held is not None and held.expires > now:  # another thread took one meanwhile
                held.left += size - 1
                held.size += size
                return
            self._held[key] = _Lease(size, now, expires)


_leases = _Leases()


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


def max_lease(rate: float, capacity: float, lease_seconds: float) -> int:
    """The most tokens a process takes at once: ``lease_seconds`` of the rate, at most a tenth of
    the bucket (so one process cannot hold a burst meant for all of them), at least one."""
    return max(1, min(int(rate * lease_seconds), int(capacity / 10)))


def take(settings: Settings, account_id: str, op: str, leases: _Leases | None = None) -> bool:
    """Take one token from the account's bucket for ``op``; False when the bucket is empty.

    ``leases`` is this process's (tests pass their own to play several processes)."""
    rate = rate_for(settings, account_id, op)
    if rate <= 0:
        return False
    t = settings.throttle
    capacity = max(1.0, rate * t.burst_seconds)
    key = f"{t.key_prefix}:{account_id}:{op}"
    most = max_lease(rate, capacity, t.lease_seconds)
    leases = leases or _leases
    now = time.monotonic()
    back, want = 0, 1
    if most > 1:
        spent, back, want = leases.spend(key, now, t.lease_seconds)
        if spent:
            return True
    want = min(want, most)
    try:
        got = int(_script(t.redis_url or settings.broker.url)(keys=[key], args=[rate, capacity, want, back]))
    except Exception:
        log.warning("rate limiter unavailable (fail_open=%s)", t.fail_open, exc_info=True)
        return t.fail_open
    if got >= 1 and most > 1:
        leases.add(key, got, now, now + t.lease_seconds)
    return got >= 1


def check(settings: Settings, account_id: str, op: str) -> None:
    """The gateway's one call per request: raise ThrottlingException beyond the account's rate."""
    if settings.throttle.enabled and not take(settings, account_id, op):
        raise ThrottlingException(RATE_EXCEEDED)
