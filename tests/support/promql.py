"""PromQL in the dashboards and alert rules: extract it, parse it, name the metrics it reads."""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import promql_parser
import yaml

ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = ROOT / "helm" / "harken" / "dashboards"
RULES = ROOT / "helm" / "harken" / "rules" / "harken-alerts.yaml"

#: Series Prometheus itself makes, not Harken.
BUILTIN = {"up"}
#: Grafana's variables, replaced by values PromQL accepts before parsing.
_GRAFANA_VARS = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}
_USER_VAR = re.compile(r"\$\{?(\w+)\}?")
_SUFFIXES = ("_bucket", "_sum", "_count", "_total", "_created")


def dashboard_files() -> list[Path]:
    return sorted(DASHBOARDS.glob("*.json"))


def dashboard_exprs(path: Path) -> Iterator[tuple[str, str]]:
    """(panel title, expr) for every query of every panel, rows included."""
    doc = json.loads(path.read_text())

    def walk(panels: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
        for panel in panels:
            for target in panel.get("targets", []):
                if target.get("expr"):
                    yield panel.get("title", "?"), target["expr"]
            yield from walk(panel.get("panels", []))

    yield from walk(doc.get("panels", []))
    for var in doc.get("templating", {}).get("list", []):
        query = var.get("query")
        q = query.get("query") if isinstance(query, dict) else query
        m = re.match(r"label_values\((.+),\s*\w+\)$", str(q or ""))
        if m:
            yield f"variable {var['name']}", m.group(1)


def rule_exprs(path: Path = RULES) -> Iterator[tuple[str, str]]:
    for group in yaml.safe_load(path.read_text())["groups"]:
        for rule in group["rules"]:
            yield rule.get("alert") or rule.get("record"), rule["expr"]


def substitute(expr: str) -> str:
    for var, value in _GRAFANA_VARS.items():
        expr = expr.replace(var, value)
    return _USER_VAR.sub(".*", expr)


def metric_names(expr: str) -> set[str]:
    """Every metric name a (Grafana-substituted) expression selects; raises on a parse error."""
    names: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            if node.name:
                names.add(node.name)
            for m in node.matchers.matchers:
                if m.name == "__name__":
                    names.add(m.value)
        elif isinstance(node, promql_parser.MatrixSelector):
            visit(node.vector_selector)
        elif isinstance(node, promql_parser.BinaryExpr):
            visit(node.lhs)
            visit(node.rhs)
        elif isinstance(node, promql_parser.AggregateExpr):
            visit(node.expr)
            if node.param is not None:
                visit(node.param)
        elif isinstance(node, promql_parser.Call):
            for arg in node.args:
                visit(arg)
        elif isinstance(node, promql_parser.ParenExpr | promql_parser.UnaryExpr | promql_parser.SubqueryExpr):
            visit(node.expr)

    visit(promql_parser.parse(substitute(expr)))
    return names


def family_of(sample: str, families: set[str]) -> str | None:
    """The family a sample name belongs to (``x_bucket`` → ``x``), if it is one of ``families``."""
    if sample in families:
        return sample
    for suffix in _SUFFIXES:
        if sample.endswith(suffix) and sample.removesuffix(suffix) in families:
            return sample.removesuffix(suffix)
    return None


def streaming_metrics_module() -> Any:
    """services.streaming.metrics once the streaming server has landed, else None."""
    if importlib.util.find_spec("services.streaming") is None:
        return None
    if importlib.util.find_spec("services.streaming.metrics") is None:
        return None
    return importlib.import_module("services.streaming.metrics")


def exported_samples() -> dict[str, str]:
    """Sample name → family for every metric Harken's code defines (all processes)."""
    from prometheus_client.metrics import MetricWrapperBase

    import services.core.metrics as core
    from services.observability import cluster_state, gpu

    out: dict[str, str] = {}
    modules: list[Any] = [core]
    streaming = streaming_metrics_module()
    if streaming is not None:
        modules.append(streaming)
    for module in modules:
        for obj in vars(module).values():
            if isinstance(obj, MetricWrapperBase):
                for family in obj.describe():
                    for sample in _sample_names(family.name, family.type):
                        out[sample] = family.name
    for name in (*cluster_state.FAMILIES, *gpu.FAMILIES):
        out[name] = name
    return out


def _sample_names(name: str, kind: str) -> list[str]:
    if kind == "counter":
        return [f"{name}_total"]
    if kind == "histogram":
        return [f"{name}_bucket", f"{name}_sum", f"{name}_count"]
    if kind == "summary":
        return [name, f"{name}_sum", f"{name}_count"]
    return [name]
