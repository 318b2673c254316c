"""Prometheus exposition for every Harken process: merging pool processes, cluster state, GPUs.

Metric *definitions* live in ``services.core.metrics`` (one registry of names); this package decides
how a scrape sees them.
"""
