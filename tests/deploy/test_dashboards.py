"""Dashboards and alert rules refer only to PromQL that parses and metrics Harken really exports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support import promql

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import gen_dashboards  # noqa: E402

#: Defined by services/streaming/metrics.py (the streaming server); exempt until that module exists.
STREAMING_FAMILIES = {
    "harken_stream_sessions_active", "harken_stream_sessions_total", "harken_stream_audio_seconds_total",
    "harken_stream_partial_latency_seconds", "harken_stream_final_latency_seconds",
}


def _all_exprs() -> list[tuple[str, str, str]]:
    out = [(path.name, title, expr)
           for path in promql.dashboard_files() for title, expr in promql.dashboard_exprs(path)]
    out += [("alerts", name, expr) for name, expr in promql.rule_exprs()]
    return out


def test_dashboards_are_generated_and_current() -> None:
    files = {p.name: p.read_text() for p in promql.dashboard_files()}
    assert files == gen_dashboards.render(), "run: python scripts/gen_dashboards.py"
    assert set(files) == {"harken-overview.json", "harken-worker-pool.json", "harken-streaming.json"}


def test_dashboard_structure() -> None:
    uids = set()
    for path in promql.dashboard_files():
        doc = json.loads(path.read_text())
        uids.add(doc["uid"])
        ids = [p["id"] for p in doc["panels"]]
        assert len(ids) == len(set(ids)), path.name
        assert doc["templating"]["list"][0]["type"] == "datasource"
        for panel in doc["panels"]:
            assert panel["targets"], (path.name, panel["title"])
            assert panel["datasource"]["uid"] == "${datasource}"
            pos = panel["gridPos"]
            assert pos["x"] + pos["w"] <= 24, (path.name, panel["title"])
    assert len(uids) == 3


def test_every_expression_parses_with_promtool(tmp_path: Path) -> None:
    """promtool is the reference parser: each panel query becomes a recording rule it checks."""
    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: scripts/test installs Debian's prometheus package"
    rules = [{"record": f"harken:check:{i}", "expr": promql.substitute(expr)}
             for i, (_, _, expr) in enumerate(_all_exprs())]
    (tmp_path / "panels.yaml").write_text(yaml.safe_dump({"groups": [{"name": "panels", "rules": rules}]}))
    done = subprocess.run([promtool, "check", "rules", str(tmp_path / "panels.yaml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(rules)} rules found" in done.stdout


def test_a_broken_expression_is_caught(tmp_path: Path) -> None:
    """The checks above can fail: a typo'd query and an unknown metric are both reported."""
    with pytest.raises(Exception):  # noqa: B017 - the parser's own error type
        promql.metric_names("sum(rate(harken_api_requests_total[5m])")
    assert promql.family_of("harken_api_request_secondz_bucket", set(promql.exported_samples().values())) is None


def test_every_metric_on_dashboards_and_alerts_is_exported() -> None:
    exported = promql.exported_samples()
    streaming_landed = promql.streaming_metrics_module() is not None
    missing = []
    for source, title, expr in _all_exprs():
        for name in promql.metric_names(expr):
            if name in exported or name in promql.BUILTIN:
                continue
            if not streaming_landed and promql.family_of(name, STREAMING_FAMILIES):
                continue
            missing.append(f"{source} / {title}: {name}")
    assert not missing, "not exported by Harken:\n" + "\n".join(missing)


def test_streaming_dashboard_uses_the_streaming_metrics() -> None:
    names = set()
    for _, expr in promql.dashboard_exprs(promql.DASHBOARDS / "harken-streaming.json"):
        names |= {promql.family_of(n, STREAMING_FAMILIES) for n in promql.metric_names(expr)}
    assert names >= STREAMING_FAMILIES
