"""Generate the Grafana dashboards (helm/harken/dashboards/*.json) from the panel lists below.

The JSON is what Grafana imports (the chart ships it as sidecar ConfigMaps, docker-compose
provisions the same files); this script keeps the three dashboards consistent in layout,
datasource and variables. ``python scripts/gen_dashboards.py`` rewrites them; a test checks the
committed files are current, that every expression parses and that every metric it names is
exported by Harken's code.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "helm" / "harken" / "dashboards"
RATE = "$__rate_interval"


@dataclass
class Panel:
    title: str
    targets: list[tuple[str, str]]  # (expr, legend)
    unit: str = "short"
    kind: str = "timeseries"
    width: int = 8
    description: str = ""
    stack: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def _panel(p: Panel, pid: int, x: int, y: int, height: int) -> dict[str, object]:
    custom: dict[str, object] = {"lineWidth": 1, "fillOpacity": 10, "showPoints": "never"}
    if p.stack:
        custom["stacking"] = {"mode": "normal", "group": "A"}
    out: dict[str, object] = {
        "id": pid,
        "type": p.kind,
        "title": p.title,
        "description": p.description,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": height, "w": p.width, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": p.unit, **({"custom": custom} if p.kind == "timeseries" else {})},
                        "overrides": []},
        "options": ({"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                     "tooltip": {"mode": "multi", "sort": "desc"}} if p.kind == "timeseries"
                    else {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                          "colorMode": "value", "graphMode": "area", "textMode": "auto"}),
        "targets": [
            {"refId": chr(ord("A") + i), "expr": expr, "legendFormat": legend,
             "datasource": {"type": "prometheus", "uid": "${datasource}"}}
            for i, (expr, legend) in enumerate(p.targets)
        ],
    }
    out.update(p.extra)
    return out


def _variables(extra: list[dict[str, object]]) -> dict[str, object]:
    return {"list": [
        {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Data source",
         "current": {}, "hide": 0, "refresh": 1},
        *extra,
    ]}


def _query_var(name: str, label: str, query: str) -> dict[str, object]:
    return {"name": name, "label": label, "type": "query",
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "query": {"query": query, "refId": f"{name}-var"}, "definition": query,
            "includeAll": True, "multi": True, "allValue": ".*", "current": {}, "refresh": 2, "hide": 0,
            "sort": 1}


def dashboard(uid: str, title: str, rows: list[list[Panel]], variables: list[dict[str, object]],
              description: str) -> dict[str, object]:
    panels: list[dict[str, object]] = []
    y, pid = 0, 1
    for row in rows:
        height = 4 if all(p.kind == "stat" for p in row) else 8
        x = 0
        for p in row:
            panels.append(_panel(p, pid, x, y, height))
            pid, x = pid + 1, x + p.width
        y += height
    return {
        "uid": uid, "title": title, "description": description, "tags": ["harken"],
        "schemaVersion": 39, "version": 1, "editable": True, "graphTooltip": 1,
        "time": {"from": "now-6h", "to": "now"}, "refresh": "30s", "timezone": "",
        "templating": _variables(variables), "annotations": {"list": []}, "links": [],
        "panels": panels,
    }


def overview() -> dict[str, object]:
    finished = f'sum by (to_state) (rate(harken_job_transitions_total{{to_state=~"COMPLETED|FAILED"}}[{RATE}])) * 60'
    api_total = f"sum(rate(harken_api_requests_total[{RATE}]))"
    rows = [
        [
            Panel("Jobs waiting in queues", [("sum(max by (queue) (harken_queue_depth))", "")], kind="stat", width=4),
            Panel("Jobs IN_PROGRESS", [('max(harken_jobs{state="IN_PROGRESS"})', "")], kind="stat", width=4),
            Panel("Jobs QUEUED (account limit)", [('max(harken_jobs{state="QUEUED"})', "")], kind="stat", width=4),
            Panel("Busy / all worker processes",
                  [("sum(harken_worker_busy) / clamp_min(sum(harken_worker_processes), 1)", "")],
                  unit="percentunit", kind="stat", width=4),
            Panel("Real-time factor (all models)",
                  [(f"sum(rate(harken_transcribe_seconds_total[{RATE}])) / "
                    f"clamp_min(sum(rate(harken_audio_seconds_total[{RATE}])), 1e-9)", "")],
                  kind="stat", width=4, description="Pipeline seconds per audio second; below 1 is faster "
                  "than real time."),
            Panel("Cluster state readable", [("min(harken_cluster_state_up)", "")], kind="stat", width=4,
                  description="0: the gateway cannot read Redis or Postgres for queue depth / job counts."),
        ],
        [
            Panel("Job throughput (per minute)",
                  [(finished, "{{to_state}}"),
                   (f'sum(rate(harken_job_transitions_total{{from_state="NONE"}}[{RATE}])) * 60', "started")],
                  unit="short", width=12),
            Panel("Backlog: queue depth and waiting jobs",
                  [("max by (queue) (harken_queue_depth)", "queue {{queue}}"),
                   ("max by (state) (harken_jobs)", "jobs {{state}}")], width=12),
        ],
        [
            Panel("API requests by operation",
                  [(f"sum by (operation) (rate(harken_api_requests_total[{RATE}]))", "{{operation}}")],
                  unit="reqps", width=8),
            Panel("API latency",
                  [(f"histogram_quantile({q}, sum by (le) (rate(harken_api_request_seconds_bucket[{RATE}])))",
                    f"p{int(q * 100)}") for q in (0.5, 0.95, 0.99)], unit="s", width=8),
            Panel("API errors (share of requests)",
                  [(f'sum(rate(harken_api_requests_total{{status=~"5.."}}[{RATE}])) / clamp_min({api_total}, 1e-9)',
                    "5xx"),
                   (f'sum(rate(harken_api_requests_total{{status=~"4.."}}[{RATE}])) / clamp_min({api_total}, 1e-9)',
                    "4xx")], unit="percentunit", width=8),
        ],
        [
            Panel("Job failures by reason",
                  [(f"sum by (reason) (rate(harken_job_failures_total[{RATE}])) * 60", "{{reason}}")],
                  width=8, stack=True, description="Per minute. Media reasons are the caller's; internal_error "
                  "and output_unwritable are ours."),
            Panel("Real-time factor by model",
                  [(f"sum by (model) (rate(harken_transcribe_seconds_total[{RATE}])) / "
                    f"clamp_min(sum by (model) (rate(harken_audio_seconds_total[{RATE}])), 1e-9)", "{{model}}")],
                  width=8),
            Panel("Audio transcribed (seconds per second)",
                  [(f"sum by (model) (rate(harken_audio_seconds_total[{RATE}]))", "{{model}}")], width=8,
                  stack=True),
        ],
        [
            Panel("Job attempt duration",
                  [(f"histogram_quantile({q}, sum by (le) (rate(harken_job_processing_seconds_bucket[{RATE}])))",
                    f"p{int(q * 100)}") for q in (0.5, 0.95)], unit="s", width=8),
            Panel("Oldest waiting / running job",
                  [("max by (state) (harken_jobs_oldest_age_seconds)", "{{state}}")], unit="s", width=8),
            Panel("Jobs requeued by the reaper",
                  [(f"sum by (reason) (rate(harken_jobs_requeued_total[{RATE}])) * 60", "{{reason}}")],
                  width=8, description="Per minute. lease_expired: a worker died mid-job."),
        ],
        [
            Panel("GPU memory used",
                  [("max by (instance, gpu) (harken_gpu_memory_used_bytes / harken_gpu_memory_total_bytes)",
                    "{{instance}} gpu {{gpu}}")], unit="percentunit", width=12),
            Panel("GPU utilisation",
                  [("max by (instance, gpu) (harken_gpu_utilization_ratio)", "{{instance}} gpu {{gpu}}")],
                  unit="percentunit", width=12),
        ],
    ]
    return dashboard("harken-overview", "Harken / Overview", rows, [],
                     "Throughput, backlog, API latency and errors, speed and GPUs of a Harken installation.")


def worker_pool() -> dict[str, object]:
    q = '{queue=~"$queue"}'
    rows = [
        [
            Panel("Worker processes", [(f"sum by (queue) (harken_worker_processes{q})", "{{queue}}")], width=8),
            Panel("Busy / idle processes",
                  [(f"sum by (queue) (harken_worker_busy{q})", "busy {{queue}}"),
                   (f"sum by (queue) (harken_worker_processes{q}) - sum by (queue) (harken_worker_busy{q})",
                    "idle {{queue}}")], width=8),
            Panel("Queue depth", [(f"max by (queue) (harken_queue_depth{q})", "{{queue}}")], width=8),
        ],
        [
            Panel("Utilisation per pod",
                  [(f"sum by (instance) (harken_worker_busy{q}) / clamp_min(sum by (instance) "
                    f"(harken_worker_processes{q}), 1)", "{{instance}}")], unit="percentunit", width=12),
            Panel("Tasks by final state",
                  [(f"sum by (task, state) (rate(harken_worker_tasks_total[{RATE}])) * 60", "{{task}} {{state}}")],
                  width=12, description="Per minute; RETRY is a transient S3/DB/Redis error being retried."),
        ],
        [
            Panel("Real-time factor per job",
                  [(f"histogram_quantile({p}, sum by (le, model) (rate(harken_real_time_factor_bucket[{RATE}])))",
                    f"p{int(p * 100)} {{{{model}}}}") for p in (0.5, 0.9)], width=8),
            Panel("Audio seconds per second, per pod",
                  [(f"sum by (instance) (rate(harken_audio_seconds_total[{RATE}]))", "{{instance}}")], width=8),
            Panel("Model load time (mean)",
                  [("max by (model, device) (harken_model_load_seconds_sum / harken_model_load_seconds_count)",
                    "{{model}} {{device}}")], unit="s", width=8),
        ],
        [
            Panel("Jobs finished per pod",
                  [(f"sum by (instance, status) (rate(harken_jobs_finished_total[{RATE}])) * 60",
                    "{{instance}} {{status}}")], width=8),
            Panel("GPU memory per pod",
                  [("max by (instance, gpu) (harken_gpu_memory_used_bytes)", "used {{instance}} {{gpu}}"),
                   ("max by (instance, gpu) (harken_gpu_memory_total_bytes)", "total {{instance}} {{gpu}}")],
                  unit="bytes", width=8),
            Panel("GPU utilisation per pod",
                  [("max by (instance, gpu) (harken_gpu_utilization_ratio)", "{{instance}} {{gpu}}")],
                  unit="percentunit", width=8),
        ],
        [
            Panel("GPUs visible", [("sum by (instance) (harken_gpu_devices)", "{{instance}}")], width=12),
            Panel("Worker scrape targets up", [('sum by (instance) (up{component="worker"})', "{{instance}}")],
                  width=12),
        ],
    ]
    return dashboard("harken-worker-pool", "Harken / Worker pool", rows,
                     [_query_var("queue", "Queue (pool)", "label_values(harken_worker_processes, queue)")],
                     "Per-pool and per-pod view of the batch workers: occupancy, speed, models and GPUs.")


def streaming() -> dict[str, object]:
    rows = [
        [
            Panel("Active sessions", [("sum(harken_stream_sessions_active)", "")], kind="stat", width=6),
            Panel("Sessions started (per minute)",
                  [(f"sum(rate(harken_stream_sessions_total[{RATE}])) * 60", "")], kind="stat", width=6),
            Panel("Audio streamed (seconds per second)",
                  [(f"sum(rate(harken_stream_audio_seconds_total[{RATE}]))", "")], kind="stat", width=6),
            Panel("Final result latency p95",
                  [(f"histogram_quantile(0.95, sum by (le) (rate(harken_stream_final_latency_seconds_bucket"
                    f"[{RATE}])))", "")], unit="s", kind="stat", width=6),
        ],
        [
            Panel("Active sessions per pod", [("sum by (instance) (harken_stream_sessions_active)", "{{instance}}")],
                  width=12),
            Panel("Sessions by outcome (per minute)",
                  [(f"sum by (outcome) (rate(harken_stream_sessions_total[{RATE}])) * 60", "{{outcome}}")],
                  width=12, stack=True),
        ],
        [
            Panel("Partial result latency",
                  [(f"histogram_quantile({p}, sum by (le) (rate(harken_stream_partial_latency_seconds_bucket"
                    f"[{RATE}])))", f"p{int(p * 100)}") for p in (0.5, 0.95, 0.99)], unit="s", width=12),
            Panel("Final result latency",
                  [(f"histogram_quantile({p}, sum by (le) (rate(harken_stream_final_latency_seconds_bucket"
                    f"[{RATE}])))", f"p{int(p * 100)}") for p in (0.5, 0.95, 0.99)], unit="s", width=12),
        ],
        [
            Panel("Audio streamed per pod",
                  [(f"sum by (instance) (rate(harken_stream_audio_seconds_total[{RATE}]))", "{{instance}}")],
                  width=12),
            Panel("GPU memory used (streaming pods)",
                  [('max by (instance, gpu) (harken_gpu_memory_used_bytes{component="streaming"} / '
                    'harken_gpu_memory_total_bytes{component="streaming"})', "{{instance}} {{gpu}}")],
                  unit="percentunit", width=12),
        ],
    ]
    return dashboard("harken-streaming", "Harken / Streaming", rows, [],
                     "StartStreamTranscription: sessions, audio and result latency.")


DASHBOARDS = {"harken-overview.json": overview, "harken-worker-pool.json": worker_pool,
              "harken-streaming.json": streaming}


def render() -> dict[str, str]:
    return {name: json.dumps(fn(), indent=2) + "\n" for name, fn in DASHBOARDS.items()}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in render().items():
        (OUT / name).write_text(text)
    print(f"wrote {len(DASHBOARDS)} dashboards to {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
