"""GPU memory and utilisation from NVML, on processes that may own a GPU (workers, streaming).

``nvidia-ml-py`` (module ``pynvml``) is optional and NVML needs the driver's library: on a CPU
machine either is missing and the collector reports ``harken_gpu_devices 0`` and nothing else, so
dashboards show "no GPU" instead of an error. NVML reads whole-device figures, which is what an
operator sizes against (other processes on the same GPU count too).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger("harken.metrics.gpu")

#: Families this collector can export (the dashboards and alerts refer to them).
FAMILIES = {
    "harken_gpu_devices": "GPUs visible to this process (0 without NVML or without a GPU)",
    "harken_gpu_memory_used_bytes": "GPU memory in use (all processes on the device)",
    "harken_gpu_memory_total_bytes": "GPU memory size",
    "harken_gpu_utilization_ratio": "Fraction of the last sample period the GPU was busy (0-1)",
}


def _load_nvml() -> ModuleType | None:
    try:
        import pynvml
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
    except Exception as exc:  # NVMLError_LibraryNotFound, DriverNotLoaded, ...: no GPU here
        log.info("NVML unavailable (%s): no GPU metrics", exc)
        return None
    return pynvml


class GpuCollector(Collector):
    """NVML is initialised once, lazily; ``nvml`` can be given for tests of the mapping."""

    def __init__(self, nvml: Any = None) -> None:
        self._nvml = nvml
        self._tried = nvml is not None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if not self._tried:
                self._nvml, self._tried = _load_nvml(), True
            return self._nvml

    def describe(self) -> Iterator[Metric]:
        for name, doc in FAMILIES.items():
            yield GaugeMetricFamily(name, doc, labels=None if name == "harken_gpu_devices" else ["gpu"])

    def collect(self) -> Iterator[Metric]:
        nvml = self._get()
        devices = GaugeMetricFamily("harken_gpu_devices", FAMILIES["harken_gpu_devices"])
        if nvml is None:
            devices.add_metric([], 0)
            yield devices
            return
        used = GaugeMetricFamily("harken_gpu_memory_used_bytes", FAMILIES["harken_gpu_memory_used_bytes"],
                                 labels=["gpu"])
        total = GaugeMetricFamily("harken_gpu_memory_total_bytes",
                                  FAMILIES["harken_gpu_memory_total_bytes"], labels=["gpu"])
        util = GaugeMetricFamily("harken_gpu_utilization_ratio", FAMILIES["harken_gpu_utilization_ratio"],
                                 labels=["gpu"])
        try:
            count = int(nvml.nvmlDeviceGetCount())
            for i in range(count):
                handle = nvml.nvmlDeviceGetHandleByIndex(i)
                mem = nvml.nvmlDeviceGetMemoryInfo(handle)
                rates = nvml.nvmlDeviceGetUtilizationRates(handle)
                used.add_metric([str(i)], float(mem.used))
                total.add_metric([str(i)], float(mem.total))
                util.add_metric([str(i)], float(rates.gpu) / 100.0)
        except Exception:  # a GPU that fell off the bus must not break the whole scrape
            log.warning("reading NVML failed", exc_info=True)
            devices.add_metric([], 0)
            yield devices
            return
        devices.add_metric([], count)
        yield from (devices, used, total, util)
