"""docker-compose.yml against the Compose Specification schema, its Prometheus/Grafana provisioning
checked with promtool and against the files it mounts, and the images' Dockerfiles (Docker itself
cannot run here, nor in CI)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from services.core.settings import MetricsSettings
from tests.support import tools
from tests.unit.test_deploy_files import _dotenv

ROOT = Path(__file__).resolve().parents[2]


def _interpolated() -> dict[str, Any]:
    """What `docker compose config` would see: ${VAR} from .env substituted inside the parsed
    strings (as Compose does, after YAML parsing), ``$$`` left as a literal ``$``."""
    env = _dotenv()

    def sub(node: Any) -> Any:
        if isinstance(node, str):
            return re.sub(r"\$(\$|\{([A-Z0-9_]+)\})",
                          lambda m: "$" if m.group(1) == "$" else env[m.group(2)], node)
        if isinstance(node, dict):
            return {k: sub(v) for k, v in node.items()}
        if isinstance(node, list):
            return [sub(v) for v in node]
        return node

    data: dict[str, Any] = sub(yaml.safe_load((ROOT / "docker-compose.yml").read_text()))
    return data


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(tools.compose_schema().read_text())
    # this schema predates the top-level project name the current Compose Specification has
    schema["properties"].setdefault("name", {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"})
    return schema


def test_compose_file_matches_the_specification() -> None:
    compose = _interpolated()
    validator = jsonschema.Draft7Validator(_schema())
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_check_can_fail() -> None:
    compose = _interpolated()
    compose["services"]["gateway"]["depends_on"]["migrate"]["condition"] = "service_finished"
    compose["services"]["grafana"]["volumes"] = "not-a-list"
    assert len(list(jsonschema.Draft7Validator(_schema()).iter_errors(compose))) >= 2


def test_monitoring_services_mount_existing_files() -> None:
    services = _interpolated()["services"]
    assert {"prometheus", "grafana"} <= set(services)
    for name in ("prometheus", "grafana"):
        for volume in services[name]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), (name, source)
    grafana = services["grafana"]
    home = grafana["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert (ROOT / "helm/harken/dashboards" / Path(home).name).is_file()
    provider = yaml.safe_load((ROOT / "deploy/compose/grafana/provisioning/dashboards/harken.yaml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards/harken"
    assert "./helm/harken/dashboards:/var/lib/grafana/dashboards/harken:ro" in grafana["volumes"]


def test_prometheus_config_is_valid_and_scrapes_every_role(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "deploy/compose/prometheus.yml").read_text())
    jobs = {j["job_name"]: j for j in config["scrape_configs"]}
    assert jobs["harken-gateway"]["static_configs"][0]["targets"] == ["gateway:8000"]
    assert jobs["harken-worker"]["dns_sd_configs"][0]["port"] == MetricsSettings().worker_port
    # dashboards and alerts select on component: both jobs must set it
    assert jobs["harken-gateway"]["static_configs"][0]["labels"]["component"] == "gateway"
    assert jobs["harken-worker"]["relabel_configs"][0]["replacement"] == "worker"
    # promtool check config resolves rule files: point it at the repo's copy
    config["rule_files"] = [str(ROOT / "helm/harken/rules" / Path(p).name) for p in config["rule_files"]]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    done = subprocess.run([tools.promtool(), "check", "config", str(tmp_path / "prometheus.yml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS: 9 rules found" in done.stdout


@pytest.mark.parametrize("name", ["Dockerfile", "Dockerfile.cuda"])
def test_images_bake_no_secrets(name: str) -> None:
    text = (ROOT / name).read_text()
    assert re.search(r"^USER (?!root)\w+", text, re.M)
    assert 'ENTRYPOINT ["harken"]' in text
    for line in text.splitlines():
        if re.match(r"\s*(ENV|ARG)\b", line) or line.startswith("    "):
            assert not re.search(r"(SECRET|PASSWORD|ACCESS_KEY|CREDENTIALS|TOKEN)\w*=", line), line
    assert not re.search(r"^COPY\s+(\.env|\.\s)", text, re.M), "copies the whole tree or the .env"
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_cuda_image_is_the_gpu_variant() -> None:
    text = (ROOT / "Dockerfile.cuda").read_text()
    assert re.search(r"^FROM nvidia/cuda:12\.\d+\.\d+-cudnn-runtime-", text, re.M)
    assert "'.[gpu]'" in text  # NVML for GPU metrics
    assert "torch" not in text.replace("no torch", "")
