"""The alert rules pass promtool's checks and its unit tests (tests/deploy/rules/*.test.yaml)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.support import tools

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "helm" / "harken" / "rules" / "harken-alerts.yaml"
TESTS = Path(__file__).parent / "rules" / "harken-alerts.test.yaml"
ALERTS = {"HarkenBacklogGrowing", "HarkenNoWorkersForQueue", "HarkenJobsLeaseExpired", "HarkenJobStuck",
          "HarkenJobFailureRate", "HarkenApiErrorRate", "HarkenClusterStateUnreadable", "HarkenWorkerDown",
          "HarkenGpuMemoryNearlyFull"}


def _promtool(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tools.promtool(), *args], capture_output=True, text=True, cwd=cwd)


def test_check_rules() -> None:
    done = _promtool("check", "rules", str(RULES))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SUCCESS: {len(ALERTS)} rules found" in done.stdout


def test_unit_tests_cover_every_alert() -> None:
    alerts = {r["alert"] for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]}
    assert alerts == ALERTS
    tested = {c["alertname"] for t in yaml.safe_load(TESTS.read_text())["tests"] for c in t["alert_rule_test"]}
    assert tested == ALERTS


def test_promtool_unit_tests_pass() -> None:
    done = _promtool("test", "rules", TESTS.name, cwd=TESTS.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    """promtool really evaluates: the same test with the backlog alert expected too early fails."""
    tests = yaml.safe_load(TESTS.read_text())
    tests["rule_files"] = [str(RULES)]
    first = tests["tests"][0]["alert_rule_test"][0]
    assert first["alertname"] == "HarkenBacklogGrowing" and first["exp_alerts"] == []
    first["exp_alerts"] = [{"exp_labels": {"severity": "warning", "queue": "cpu"}}]
    (tmp_path / "broken.test.yaml").write_text(yaml.safe_dump(tests))
    done = _promtool("test", "rules", "broken.test.yaml", cwd=tmp_path)
    assert done.returncode != 0 and "HarkenBacklogGrowing" in done.stdout + done.stderr
