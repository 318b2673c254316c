"""helm/harken rendered for several values sets: lint, schema, Kubernetes validation and the
operational promises (non-root read-only pods, probes, resources, GPUs, hooks, PDBs, autoscaling,
graceful shutdown, monitoring objects) checked on the manifests themselves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import tools
from tests.unit.test_deploy_files import _setting_exists

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "harken"
VALUES = sorted((Path(__file__).parent / "values").glob("*.yaml"))
SETS = [None, *VALUES]
CRD_KINDS = {"ServiceMonitor", "PrometheusRule", "ScaledObject"}


def _id(v: Path | None) -> str:
    return "defaults" if v is None else v.stem


def helm(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([tools.helm(), *args], capture_output=True, text=True, cwd=ROOT)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def render(values: Path | None, *extra: str) -> list[dict[str, Any]]:
    args = ["template", "harken", str(CHART), "--namespace", "transcribe", *extra]
    if values is not None:
        args += ["-f", str(values)]
    return [d for d in yaml.safe_load_all(helm(*args).stdout) if d]


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Helm's values merge: maps merge key by key, anything else (lists too) replaces."""
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _values(values: Path | None) -> dict[str, Any]:
    base: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text())
    if values is not None:
        base = _merge(base, yaml.safe_load(values.read_text()))
    base["prefix"] = base.get("fullnameOverride") or "harken"
    return base


def by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def pod_specs(docs: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(d["metadata"]["name"], d["spec"]["template"]["spec"]) for d in docs
            if d["kind"] in ("Deployment", "StatefulSet", "Job")]


@pytest.mark.parametrize("values", SETS, ids=_id)
def test_lint(values: Path | None) -> None:
    args = ["lint", "--strict", str(CHART)] + (["-f", str(values)] if values else [])
    out = helm(*args).stdout
    assert "0 chart(s) failed" in out


@pytest.mark.parametrize("values", SETS, ids=_id)
def test_manifests_validate_strictly(values: Path | None, tmp_path: Path) -> None:
    docs = render(values)
    core = [d for d in docs if d["kind"] not in CRD_KINDS]
    path = tmp_path / "manifests.yaml"
    path.write_text(yaml.safe_dump_all(core))
    validate = str(Path(sys.executable).parent / "kubernetes-validate")
    done = subprocess.run([validate, "--strict", "--kubernetes-version", "1.33.0", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("passed for resource") == len(core), done.stdout
    for d in docs:  # custom resources: no schema bundled, so check what their operators require
        if d["kind"] == "ServiceMonitor":
            assert d["apiVersion"] == "monitoring.coreos.com/v1"
            assert d["spec"]["selector"]["matchLabels"] and d["spec"]["endpoints"]
        elif d["kind"] == "PrometheusRule":
            assert d["apiVersion"] == "monitoring.coreos.com/v1" and d["spec"]["groups"]
        elif d["kind"] == "ScaledObject":
            assert d["apiVersion"] == "keda.sh/v1alpha1"
            assert d["spec"]["scaleTargetRef"]["name"] in by_kind(docs, "Deployment")
            assert d["spec"]["triggers"][0]["type"] == "redis"


def test_yamllint_on_rendered_manifests(tmp_path: Path) -> None:
    config = tmp_path / "yamllint.yaml"
    config.write_text(yaml.safe_dump({"extends": "default", "rules": {
        "line-length": "disable", "document-start": "disable", "indentation": {"indent-sequences": "whatever"},
        "comments": {"min-spaces-from-content": 1}, "comments-indentation": "disable", "truthy": "disable"}}))
    files = []
    for values in SETS:
        out = tmp_path / f"{_id(values)}.yaml"
        out.write_text(helm("template", "harken", str(CHART), *(["-f", str(values)] if values else [])).stdout)
        files.append(str(out))
    done = subprocess.run([sys.executable, "-m", "yamllint", "-c", str(config), *files, str(CHART / "values.yaml"),
                           str(CHART / "rules" / "harken-alerts.yaml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("values", SETS, ids=_id)
def test_pods_are_hardened(values: Path | None) -> None:
    for name, spec in pod_specs(render(values)):
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        assert spec.get("automountServiceAccountToken") is False, name
        for c in spec["containers"]:
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False, name
            assert sc["capabilities"]["drop"] == ["ALL"], name
            assert c["resources"]["requests"] and c["resources"]["limits"]["memory"], name
            if c["image"].startswith(("ghcr.io/harken/", "registry.example.com/harken")):
                mounts = {m["mountPath"] for m in c["volumeMounts"]}
                assert {"/tmp", "/var/lib/harken"} <= mounts, name  # writable scratch on a read-only root


@pytest.mark.parametrize("values", SETS, ids=_id)
def test_probes_and_graceful_shutdown(values: Path | None) -> None:
    docs = render(values)
    vals = _values(values)
    deployments = by_kind(docs, "Deployment")
    gw = deployments[f"{vals['prefix']}-gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gw["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert gw["livenessProbe"]["httpGet"]["path"] == "/health"
    pools = [p for p in vals["workers"]["pools"] if p.get("enabled", True)]
    assert pools
    for pool in pools:
        spec = deployments[f"{vals['prefix']}-worker-{pool['name']}"]["spec"]["template"]["spec"]
        c = spec["containers"][0]
        assert spec["terminationGracePeriodSeconds"] == pool["terminationGracePeriodSeconds"]
        assert c["args"][:5] == ["worker", "--queues", pool["queue"], "--concurrency", str(pool["concurrency"])]
        assert ("--reaper" in c["args"]) == bool(pool.get("reaper"))
        assert c["livenessProbe"]["tcpSocket"]["port"] == "metrics"
        assert {"name": "HARKEN_WORKER__QUEUE", "value": pool["queue"]} in c["env"]
        gpus = pool["gpu"]["count"]
        if gpus:
            assert c["resources"]["limits"][pool["gpu"]["resourceName"]] == str(gpus)
            assert c["image"].endswith("-cuda")
        else:
            assert "nvidia.com/gpu" not in c["resources"]["limits"]
            assert not c["image"].endswith("-cuda")
    assert sum(1 for p in pools if p.get("reaper")) == 1, "exactly one pool runs the reaper"
    config = next(cm for name, cm in by_kind(docs, "ConfigMap").items() if name.endswith("-config"))
    assert config["data"]["HARKEN_WORKER__QUEUE"] == pools[0]["queue"], "new jobs go to a consumed queue"


@pytest.mark.parametrize("values", SETS, ids=_id)
def test_disruption_budgets_and_autoscaling(values: Path | None) -> None:
    docs = render(values)
    vals = _values(values)
    pdbs = by_kind(docs, "PodDisruptionBudget")
    hpas, scaled = by_kind(docs, "HorizontalPodAutoscaler"), by_kind(docs, "ScaledObject")
    assert (f"{vals['prefix']}-gateway" in pdbs) == vals["gateway"]["pdb"]["enabled"]
    for pool in (p for p in vals["workers"]["pools"] if p.get("enabled", True)):
        name = f"{vals['prefix']}-worker-{pool['name']}"
        assert (name in pdbs) == pool.get("pdb", {}).get("enabled", True)
        auto = pool.get("autoscaling", {})
        if not auto.get("enabled"):
            assert name not in hpas and name not in scaled
        elif vals["autoscaling"]["keda"]["enabled"]:
            trigger = scaled[name]["spec"]["triggers"][0]["metadata"]
            assert trigger["listName"] == pool["queue"]
            assert scaled[name]["spec"]["minReplicaCount"] == auto["minReplicas"]
            assert "replicas" not in by_kind(docs, "Deployment")[name]["spec"]  # the scaler owns it
        else:
            metric = hpas[name]["spec"]["metrics"][0]["external"]
            assert metric["metric"]["name"] == "harken_queue_depth"
            assert metric["metric"]["selector"]["matchLabels"] == {"queue": pool["queue"]}


@pytest.mark.parametrize("values", SETS, ids=_id)
def test_migration_hook_and_secrets(values: Path | None) -> None:
    docs = render(values)
    vals = _values(values)
    job = by_kind(docs, "Job")[f"{vals['prefix']}-migrate"]
    hook = job["metadata"]["annotations"]["helm.sh/hook"]
    bundled = vals["postgresql"]["enabled"]
    assert hook == ("post-install,pre-upgrade" if bundled else "pre-install,pre-upgrade")
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    secrets = by_kind(docs, "Secret")
    if vals["secrets"]["existingSecret"]:
        assert not secrets
    else:
        secret = secrets[f"{vals['prefix']}-secrets"]
        assert secret["metadata"]["annotations"]["helm.sh/hook-weight"] == "-10"  # before the migration
        data = secret["stringData"]
        assert {"HARKEN_DB__URL", "HARKEN_BROKER__URL", "HARKEN_API__TOKEN_SECRET"} <= set(data)
        assert len(data["HARKEN_API__TOKEN_SECRET"]) >= 16
    for cm in by_kind(docs, "ConfigMap").values():
        for key in cm["data"]:
            assert not any(w in key for w in ("PASSWORD", "SECRET", "CREDENTIALS")), (cm["metadata"]["name"], key)


@pytest.mark.parametrize("values", SETS, ids=_id)
def test_every_harken_variable_is_a_setting(values: Path | None) -> None:
    docs = render(values)
    names = {k for name, cm in by_kind(docs, "ConfigMap").items() if name.endswith("-config") for k in cm["data"]}
    names |= {k for s in by_kind(docs, "Secret").values() for k in s["stringData"]}
    for _, spec in pod_specs(docs):
        names |= {e["name"] for c in spec["containers"] for e in c.get("env", [])}
    unknown = sorted(n for n in names if n.startswith("HARKEN_") and not _setting_exists(n))
    assert not unknown


def test_monitoring_objects_ship_the_repo_files() -> None:
    docs = render(VALUES[[v.stem for v in VALUES].index("production")])
    rule = by_kind(docs, "PrometheusRule")["harken"]
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert rule["spec"]["groups"] == yaml.safe_load((CHART / "rules" / "harken-alerts.yaml").read_text())["groups"]
    dashboards = {name: cm for name, cm in by_kind(docs, "ConfigMap").items() if name.startswith("harken-dashboard-")}
    assert len(dashboards) == 3
    for cm in dashboards.values():
        assert cm["metadata"]["labels"]["grafana_dashboard"] == "1"
        (fname, body), = cm["data"].items()
        assert json.loads(body) == json.loads((CHART / "dashboards" / fname).read_text())
    monitor = by_kind(docs, "ServiceMonitor")["harken"]
    assert {e["port"] for e in monitor["spec"]["endpoints"]} == {"http", "metrics"}
    ingress = by_kind(docs, "Ingress")
    annotations = ingress["harken-streaming"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/backend-protocol"] == "GRPC"
    ports = by_kind(docs, "Service")["harken-streaming"]["spec"]["ports"]
    assert ports[0]["appProtocol"] == "kubernetes.io/h2c"


@pytest.mark.parametrize(("override", "message"), [
    (["--set", "secrets.authCredentials[0].access_key_id=AKIAEXAMPLE000000001",
      "--set", "secrets.authCredentials[0].secret_access_key=0123456789abcdef0",
      "--set-string", "secrets.authCredentials[0].account_id=12345"], "account_id"),
    (["--set", "models.existingClaim=w", "--set", "models.hostPath=/m"], "models"),
    (["--set", "gateway.replicas=0"], "replicas"),
    (["--set", "postgresql.enabled=false"], "database.url is required"),
    (["--set", "bogus=1"], "bogus"),
])
def test_bad_values_are_refused(override: list[str], message: str) -> None:
    done = helm("template", "harken", str(CHART), *override, check=False)
    assert done.returncode != 0
    assert message in done.stderr, done.stderr
