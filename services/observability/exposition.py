"""One /metrics answer per pod, whatever the number of processes behind it.

The gateway runs several uvicorn worker processes and a worker runs a Celery prefork pool: a scrape
reaches one process, yet must report the sum of all. prometheus-client's multiprocess mode does
that (every process writes its samples to memory-mapped files in one folder; the scraping process
merges them), but it is chosen when ``prometheus_client`` is first imported, from the
``PROMETHEUS_MULTIPROC_DIR`` environment variable. Hence ``prepare_multiprocess_dir`` runs before
anything imports it (``harken gateway``/``harken worker`` call it first thing), and the exposition
asks prometheus-client which mode is really active instead of trusting the variable: a process that
imported it early (a test runner, ``harken transcribe``) is simply single-process, and correct.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # prometheus_client must not be imported before prepare_multiprocess_dir
    from prometheus_client.metrics_core import Metric
    from prometheus_client.registry import Collector, CollectorRegistry

log = logging.getLogger("harken.metrics")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_LIVE_FILE = re.compile(r"^gauge_(?:live\w*)_(\d+)\.db$")


def prepare_multiprocess_dir(role: str, base: str = "") -> Path | None:
    """Create (and empty) this process tree's sample folder and point prometheus-client at it.

    Returns None when prometheus-client is already imported here: the mode can no longer change,
    so the process stays single-process rather than writing files nobody reads.
    """
    if "prometheus_client" in sys.modules:
        log.debug("prometheus_client already imported; %s stays single-process", role)
        return None
    root = Path(base).expanduser() if base else Path(tempfile.gettempdir()) / "harken-metrics"
    folder = root / f"{role}-{os.getpid()}"
    # Left-overs of an earlier run (a restarted container reuses the pid) would add stale samples.
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def running_as_celery_worker(argv: list[str] | None = None) -> bool:
    """``celery ... worker`` or ``python -m celery ... worker`` (not a test runner importing it)."""
    argv = sys.argv if argv is None else argv
    if not argv:
        return False
    prog = Path(argv[0])
    return (prog.name == "celery" or prog.parent.name == "celery") and "worker" in argv[1:]


def prepare_for_celery_worker(base: str = "") -> Path | None:
    """``celery -A workers.celery_app worker`` started without ``harken worker`` (which prepares the
    folder itself): set it up from the app module, before the task modules import prometheus_client."""
    if MULTIPROC_ENV in os.environ or not running_as_celery_worker():
        return None
    return prepare_multiprocess_dir("worker", base)


def multiprocess_folder() -> Path | None:
    """The folder this process writes to, or None when it keeps samples in memory."""
    from prometheus_client import values

    if values.ValueClass is values.MutexValue:
        return None
    path = os.environ.get(MULTIPROC_ENV)
    return Path(path) if path else None


def prune_dead_processes(folder: Path) -> list[int]:
    """Forget the live gauges (busy, processes) of pool processes that are gone.

    Celery reports a child's clean exit (we remove its files then), but a child killed by the OOM
    killer or SIGKILL never runs its shutdown hook; without this its last "busy" would count forever.
    Counters and histograms of dead processes are kept: their totals still happened.
    """
    from prometheus_client import multiprocess

    dead = set()
    for entry in os.listdir(folder):
        m = _LIVE_FILE.match(entry)
        if m and not _alive(int(m.group(1))):
            dead.add(int(m.group(1)))
    for pid in dead:
        multiprocess.mark_process_dead(pid, str(folder))
    return sorted(dead)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


class _ProcessSamples:
    """This process's samples, or every process's when multiprocess mode is on."""

    def __init__(self) -> None:
        self.folder = multiprocess_folder()

    def collect(self) -> Iterator[Metric]:
        from prometheus_client import REGISTRY
        from prometheus_client.multiprocess import MultiProcessCollector

        if self.folder is None:
            yield from REGISTRY.collect()
            return
        prune_dead_processes(self.folder)
        yield from MultiProcessCollector(None, str(self.folder)).collect()


def build_registry(*extra: Collector) -> CollectorRegistry:
    """A registry for one endpoint: process samples plus scrape-time collectors (cluster, GPU)."""
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_ProcessSamples())  # duck-typed: collect() is all a registry needs
    for collector in extra:
        registry.register(collector)
    return registry


def render(registry: CollectorRegistry) -> tuple[bytes, str]:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return generate_latest(registry), CONTENT_TYPE_LATEST


def mark_current_process_dead() -> None:
    """A pool process leaving cleanly: drop its live gauges at once."""
    folder = multiprocess_folder()
    if folder is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid(), str(folder))
