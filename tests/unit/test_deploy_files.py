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
    for role in ("migrate", "gateway", "worker", "streaming"):
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
    assert re.search(r"^USER (?!root)", text, re.M)


# --------------------------------------------------------------------------- torch in the images
# Workers diarize with torch. An unpinned or index-less `pip install torch` (or an extra that depends
# on torch, resolved without a constraint) pulls PyPI's CUDA build: GBs of nvidia-* wheels. Each
# image must install exactly the pinned torch from PyTorch's own index (the CPU one for the CPU
# image), keep every later resolve on it, and set up diarization the way scripts/test does.

PYTORCH_INDEX = "https://download.pytorch.org/whl/"


def torch_pin() -> str:
    """The version pyproject.toml's `diarization` extra pins torch to."""
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["diarization"]
    pins = [re.fullmatch(r"torch==([\w.]+)", r.replace(" ", "")) for r in extra]
    found = [m.group(1) for m in pins if m]
    assert len(found) == 1, extra
    return found[0]


def resemblyzer_pin() -> str:
    found = re.findall(r"'resemblyzer==([\w.]+)'", (ROOT / "scripts" / "test").read_text())
    assert len(found) == 1
    return found[0]


def shell_commands(dockerfile: str) -> list[list[str]]:
    """Every simple command of every RUN instruction, as argv lists (continuations joined)."""
    import shlex

    joined = re.sub(r"\\\n", " ", dockerfile)
    out: list[list[str]] = []
    for line in joined.splitlines():
        m = re.match(r"\s*RUN\s+(.*)", line)
        if not m:
            continue
        lex = shlex.shlex(m.group(1), posix=True, punctuation_chars=True)
        lex.whitespace_split = True
        argv: list[str] = []
        for token in lex:
            if token in ("&&", "||", ";", "|"):
                out.append(argv)
                argv = []
            else:
                argv.append(token)
        out.append(argv)
    return [argv for argv in out if argv]


def pip_installs(commands: list[list[str]]) -> list[list[str]]:
    return [argv for argv in commands if argv[:2] == ["pip", "install"]]


def _requirements(argv: list[str]) -> list[str]:
    reqs, skip = [], False
    for arg in argv[2:]:
        if skip:
            skip = False
        elif arg in ("--index-url", "-i", "-c", "--constraint", "-r", "--extra-index-url", "-f", "--find-links"):
            skip = True
        elif not arg.startswith("-"):
            reqs.append(arg)
    return reqs


def _option(argv: list[str], *names: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg in names and i + 1 < len(argv):
            return argv[i + 1]
    return None


def check_torch_install(dockerfile: str, index: re.Pattern[str], env: dict[str, str] | None = None) -> None:
    """The rules above, on one Dockerfile; ``index`` must match the (ARG-expanded) torch index."""
    env = env or {}
    commands = shell_commands(dockerfile)
    installs = pip_installs(commands)
    pin = torch_pin()
    torch_installs = [argv for argv in installs
                      if any(re.match(r"torch\b(?![-_])", r) for r in _requirements(argv))]
    assert len(torch_installs) == 1, torch_installs
    argv = torch_installs[0]
    assert _requirements(argv) == [f"torch=={pin}"], argv
    url = _option(argv, "--index-url", "-i")
    assert url is not None, "torch without --index-url comes from PyPI: the CUDA build"
    url = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), url)
    assert url.startswith(PYTORCH_INDEX) and index.fullmatch(url), url
    assert _option(argv, "--extra-index-url") is None, "an extra index lets pip pick PyPI's CUDA torch"
    # every later install that resolves dependencies is constrained to the same torch
    after = installs[installs.index(argv) + 1:]
    resolving = [a for a in after if "--no-deps" not in a]
    assert resolving, "the diarization extra is never installed"
    pin_files = {m.group(2): m.group(1) for m in
                 re.finditer(r"echo '([^']+)' > (\S+)", dockerfile)}
    for a in resolving:
        constraint = _option(a, "-c", "--constraint")
        assert constraint is not None, f"unconstrained install after torch: {a}"
        assert pin_files.get(constraint) == f"torch=={pin}", (constraint, pin_files)
    extras = [r for a in resolving for r in _requirements(a) if r.startswith(".[")]
    assert any("diarization" in e for e in extras), extras
    # resemblyzer's weights, as scripts/test installs them, then the torchaudio/torchcodec fix
    assert ["pip", "install", "--no-deps", f"resemblyzer=={resemblyzer_pin()}"] in installs
    fix = ["python", "scripts/fix_torch_audio.py"]
    assert fix in commands and commands.index(fix) > commands.index(resolving[-1])
    assert re.search(r"^COPY scripts/fix_torch_audio\.py ", dockerfile, re.M)


def test_cpu_image_installs_the_cpu_torch_and_diarization() -> None:
    text = (ROOT / "Dockerfile").read_text()
    check_torch_install(text, re.compile(re.escape(PYTORCH_INDEX + "cpu")))
    assert "import torch; assert not torch.version.cuda" in text  # the build fails on a CUDA wheel


@pytest.mark.parametrize("bad, why", [
    ("torch==2.13.0", "no index: PyPI's CUDA build"),
    ("--index-url https://download.pytorch.org/whl/cpu torch", "unpinned"),
    ("--index-url https://download.pytorch.org/whl/cu126 torch==2.13.0", "CUDA index in the CPU image"),
    ("--index-url https://download.pytorch.org/whl/cpu torch==2.12.0", "not the pyproject pin"),
])
def test_torch_check_refuses(bad: str, why: str) -> None:
    text = (ROOT / "Dockerfile").read_text()
    wrong = re.sub(r"pip install --index-url \S+ torch==[\w.]+", f"pip install {bad}", text)
    assert wrong != text
    with pytest.raises(AssertionError):
        check_torch_install(wrong, re.compile(re.escape(PYTORCH_INDEX + "cpu")))


def test_torch_check_refuses_an_unconstrained_extra() -> None:
    text = (ROOT / "Dockerfile").read_text()
    wrong = text.replace("pip install -c /tmp/torch-pin.txt '.[diarization]'", "pip install '.[diarization]'")
    assert wrong != text
    with pytest.raises(AssertionError, match="unconstrained"):
        check_torch_install(wrong, re.compile(re.escape(PYTORCH_INDEX + "cpu")))
