"""The streaming server as the chart and docker-compose run it, checked against what `harken
streaming` really takes: its arguments parse with the real command line, every port a probe, a
Service or the ServiceMonitor names is one the process listens on, /metrics is reached on a
cleartext port, TLS comes from a mounted Secret, replicas share the session registry, and SIGTERM's
drain fits inside the pod's grace period."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.cli import build_parser
from tests.deploy.test_compose_and_images import _interpolated
from tests.deploy.test_helm_chart import CHART, _values, by_kind, helm, render

VALUES = Path(__file__).parent / "values"
SETS = {
    "defaults+streaming": (None, ["--set", "streaming.enabled=true"]),
    "production": (VALUES / "production.yaml", []),
    "streaming-tls": (VALUES / "streaming-tls.yaml", []),
}


def parse_streaming(args: list[str]) -> argparse.Namespace:
    """The container's arguments through the real `harken` parser (argparse exits on anything unknown)."""
    ns = build_parser().parse_args(args)
    assert ns.command == "streaming", args
    return ns


def _listening(ns: argparse.Namespace) -> dict[int, str]:
    """Port → what `harken streaming` serves there (services/streaming/server.py's hypercorn_config)."""
    if ns.certfile:
        return {ns.port: "tls", **({ns.h2c_port: "cleartext"} if ns.h2c_port else {})}
    return {ns.port: "cleartext"}  # --h2c-port is ignored without a certificate


@pytest.mark.parametrize("name", sorted(SETS))
def test_chart_streaming_matches_the_command(name: str) -> None:
    path, extra = SETS[name]
    docs = render(path, *extra)
    vals = _values(path)
    for flag in extra[1::2]:
        key, _, value = flag.partition("=")
        vals["streaming"][key.split(".")[1]] = value == "true"
    s = vals["streaming"]
    prefix = vals["prefix"]
    deploy = by_kind(docs, "Deployment")[f"{prefix}-streaming"]
    pod = deploy["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    ns = parse_streaming(c["args"])
    assert (ns.host, ns.port) == ("0.0.0.0", s["port"])
    listening = _listening(ns)
    named = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert set(named.values()) == set(listening), (named, listening)
    cleartext = next(n for n, port in named.items() if listening[port] == "cleartext")

    tls = s["tls"]["secretName"]
    if tls:
        volume = next(v for v in pod["volumes"] if v.get("secret", {}).get("secretName") == tls)
        mount = next(m for m in c["volumeMounts"] if m["name"] == volume["name"])
        assert mount["readOnly"] is True
        assert Path(ns.certfile).parent == Path(ns.keyfile).parent == Path(mount["mountPath"])
        assert {Path(ns.certfile).name, Path(ns.keyfile).name} == {"tls.crt", "tls.key"}  # kubernetes.io/tls keys
        assert ns.h2c_port == s["metricsPort"]
    else:
        assert ns.certfile is None and not any(v.get("secret") for v in pod["volumes"])

    # probes hit /health on the port that speaks plain HTTP/1.1 (what the kubelet sends)
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert c[probe]["httpGet"] == {"path": "/health", "port": cleartext}, probe

    # Service: the stream port, and the "metrics" port the ServiceMonitor scrapes, on a cleartext target
    service = by_kind(docs, "Service")[f"{prefix}-streaming"]
    ports = {p["name"]: p for p in service["spec"]["ports"]}
    assert ports["stream"]["targetPort"] == "stream" and ports["stream"]["port"] == s["port"]
    assert ports["stream"]["appProtocol"] == ("https" if tls else "kubernetes.io/h2c")
    assert ports["metrics"]["targetPort"] == cleartext and ports["metrics"]["port"] == s["metricsPort"]
    assert ports["metrics"]["appProtocol"] == "kubernetes.io/h2c"
    for p in ports.values():
        assert p["targetPort"] in named
    monitors = by_kind(docs, "ServiceMonitor")
    for monitor in monitors.values():
        assert "metrics" in {e["port"] for e in monitor["spec"]["endpoints"]}
        assert all(e["path"] == "/metrics" for e in monitor["spec"]["endpoints"])
    ingress = by_kind(docs, "Ingress").get(f"{prefix}-streaming")
    if ingress:
        backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
        assert backend == {"name": f"{prefix}-streaming", "port": {"name": "stream"}}

    # replicas share session ownership (takeover), resume records and stream limits through the broker Redis
    env = {e["name"]: e for e in c.get("env", [])}
    registry = env["HARKEN_STREAMING__REGISTRY_URL"]["valueFrom"]["secretKeyRef"]
    assert registry["key"] == "HARKEN_BROKER__URL"
    secret = vals["secrets"].get("existingSecret") or f"{prefix}-secrets"
    assert registry["name"] == secret
    if not vals["secrets"].get("existingSecret"):
        assert "HARKEN_BROKER__URL" in by_kind(docs, "Secret")[secret]["stringData"]
    # SIGTERM: open streams drain for less than the pod's grace period
    grace = pod["terminationGracePeriodSeconds"]
    assert grace == s["terminationGracePeriodSeconds"]
    assert 0 < float(env["HARKEN_STREAMING__SHUTDOWN_GRACE_SECONDS"]["value"]) < grace
    for key, value in (s.get("env") or {}).items():
        assert env[key]["value"] == str(value)


def test_parser_refuses_what_harken_streaming_does_not_take() -> None:
    """The check above can fail: an option the command lacks (a metrics port flag, say) is refused."""
    with pytest.raises(SystemExit):
        parse_streaming(["streaming", "--port", "8443", "--metrics-port", "9465"])


def test_shared_registry_can_be_turned_off_and_equal_ports_are_refused() -> None:
    docs = render(None, "--set", "streaming.enabled=true", "--set", "streaming.sharedRegistry=false")
    (c,) = by_kind(docs, "Deployment")["harken-streaming"]["spec"]["template"]["spec"]["containers"]
    assert "HARKEN_STREAMING__REGISTRY_URL" not in {e["name"] for e in c.get("env", [])}
    done = helm("template", "harken", str(CHART), "--set", "streaming.enabled=true",
                "--set", "streaming.metricsPort=8443", check=False)
    assert done.returncode != 0 and "metricsPort must differ" in done.stderr


def test_compose_streaming_matches_the_command() -> None:
    compose: dict[str, Any] = _interpolated()
    s = compose["services"]["streaming"]
    ns = parse_streaming(s["command"])
    listening = _listening(ns)
    assert listening == {8443: "cleartext"}
    published = {int(p.split(":")[1]) for p in s["ports"]}
    assert published <= set(listening)
    health = " ".join(s["healthcheck"]["test"])
    assert f"http://127.0.0.1:{ns.port}/health" in health
    prometheus = yaml.safe_load((Path(__file__).resolve().parents[2] / "deploy/compose/prometheus.yml").read_text())
    job = next(j for j in prometheus["scrape_configs"] if j["job_name"] == "harken-streaming")
    assert job["dns_sd_configs"][0]["names"] == ["streaming"]
    assert listening[job["dns_sd_configs"][0]["port"]] == "cleartext" and job["metrics_path"] == "/metrics"
    env = s["environment"]
    assert env["HARKEN_STREAMING__REGISTRY_URL"].startswith("redis://redis:6379/")
    assert s["depends_on"]["redis"]["condition"] == "service_healthy"
    assert float(env["HARKEN_STREAMING__SHUTDOWN_GRACE_SECONDS"]) < int(s["stop_grace_period"].rstrip("s"))
