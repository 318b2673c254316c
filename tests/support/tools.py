"""Where the deployment tools are: helm and the compose schema come from scripts/fetch_tools."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("HARKEN_TOOLS_DIR", ROOT / ".cache" / "tools"))


def _fetch() -> None:
    subprocess.run([str(ROOT / "scripts" / "fetch_tools")], check=True, cwd=ROOT)


def helm() -> str:
    path = CACHE / "helm" / "helm"
    if not path.exists():
        _fetch()
    return str(path)


def compose_schema() -> Path:
    path = CACHE / "compose-spec.json"
    if not path.exists():
        _fetch()
    return path


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        _fetch()
        found = shutil.which("promtool")
    assert found, "promtool missing: scripts/fetch_tools installs Debian's prometheus package (as root)"
    return found
