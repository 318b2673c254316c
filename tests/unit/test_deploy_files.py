"""docker-compose.yml, .env and the Dockerfile, checked statically (Docker cannot run in CI).

The point is to catch drift: a service missing its dependency, a variable with no default, or an
environment variable that no longer names a settings field (silently ignored at run time).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from services.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _dotenv() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (ROOT / ".env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip().strip("'")
    return out


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def _setting_exists(var: str) -> bool:
    parts = var.removeprefix("HARKEN_").lower().split("__")
    model: type[BaseModel] = Settings
    for i, part in enumerate(parts):
        field = model.model_fields.get(part)
        if field is None:
            return False
        ann = field.annotation
        if i < len(parts) - 1:
            if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
                return False
            model = ann
    return True


def test_services_and_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"postgres", "redis", "minio", "createbuckets", "migrate", "gateway", "worker"} <= set(services)
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["createbuckets"]["depends_on"]["minio"]["condition"] == "service_healthy"
    for role in ("gateway", "worker"):
        deps = services[role]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully"
        assert deps["createbuckets"]["condition"] == "service_completed_successfully"
        assert deps["redis"]["condition"] == "service_healthy"
    for infra in ("postgres", "redis", "minio"):
        assert "healthcheck" in services[infra]
    assert services["gateway"]["command"][0] == "gateway"
    assert services["worker"]["command"][:2] == ["worker", "--reaper"]
    assert services["migrate"]["command"] == ["migrate"]


def test_app_environment_names_real_settings(compose: dict[str, Any]) -> None:
    for role in ("migrate", "gateway", "worker"):
        env = compose["services"][role]["environment"]
        for required in ("HARKEN_DB__URL", "HARKEN_BROKER__URL", "HARKEN_S3__ENDPOINT_URL",
                         "HARKEN_AUTH__CREDENTIALS", "HARKEN_API__TOKEN_SECRET"):
            assert required in env, (role, required)
        unknown = [k for k in env if k.startswith("HARKEN_") and not _setting_exists(k)]
        assert not unknown, f"{role}: not settings fields: {unknown}"
        assert "@postgres:5432/" in env["HARKEN_DB__URL"] and "redis:6379" in env["HARKEN_BROKER__URL"]


def test_every_variable_has_a_default_in_dotenv() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)\}", text))
    assert used, "compose file should be env-driven"
    missing = used - set(_dotenv())
    assert not missing, f"no default in .env for {sorted(missing)}"


def test_dotenv_gives_valid_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The defaults must pass the settings validation the containers run."""
    env = _dotenv()
    monkeypatch.setenv("HARKEN_DEV_MODE", env["HARKEN_DEV_MODE"])
    monkeypatch.setenv("HARKEN_AUTH__CREDENTIALS", env["HARKEN_AUTH_CREDENTIALS"])
    monkeypatch.setenv("HARKEN_API__TOKEN_SECRET", env["HARKEN_API_TOKEN_SECRET"])
    settings = Settings()
    assert settings.auth.credentials[0].account_id == "000000000000"


def test_dockerfile() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    assert 'ENTRYPOINT ["harken"]' in text
    assert not re.search(r"pip install[^\n]*torch", text)
    assert re.search(r"^USER (?!root)", text, re.M)
