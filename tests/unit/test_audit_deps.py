"""scripts/audit-deps where only PyPI's per-project JSON answers (the fallback CI takes here).

A local HTTP server plays PyPI: it serves ``/pypi/<name>/json`` records shaped like PyPI's (the
``vulnerabilities`` member holds OSV records for the latest release) and answers 404 for the
per-version records pip-audit needs, as the package proxy on the build machines does. The real
script is run end to end; what it must decide is in each record.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

VULN = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"], "fixed_in": [],
        "summary": None, "details": "A flaw.\nMore.", "link": "https://osv.dev/vulnerability/PYSEC-2099-1",
        "source": "osv", "withdrawn": None}


def project(latest: str, releases: list[str], vulns: list[dict[str, Any]] | None = None,
            yanked: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"info": {"version": latest}, "vulnerabilities": vulns or [], "last_serial": 1,
            "releases": {v: [{"filename": f"x-{v}.whl", "yanked": v in yanked}] for v in releases}}


class FakePyPI:
    def __init__(self) -> None:
        self.projects: dict[str, dict[str, Any]] = {"pip": project("26.3", ["26.3"])}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = self.path.strip("/").split("/")
                body = None
                if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json":
                    body = outer.projects.get(parts[1])
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture()
def pypi() -> Iterator[FakePyPI]:
    fake = FakePyPI()
    yield fake
    fake.server.shutdown()


def run(pypi: FakePyPI, tmp_path: Path, lock: str, **env: str) -> tuple[int, str]:
    (tmp_path / "requirements.lock").write_text("# header\n" + lock)
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "audit-deps")], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHON_AUDIT": sys.executable, "HARKEN_AUDIT_PYPI_URL": pypi.url,
             "HARKEN_AUDIT_LOCK": str(tmp_path / "requirements.lock"), **env})
    return proc.returncode, proc.stdout + proc.stderr


def test_latest_pins_are_checked_exactly_and_a_vulnerable_one_fails(pypi: FakePyPI, tmp_path: Path) -> None:
    pypi.projects["alpha"] = project("1.0", ["0.9", "1.0"], [VULN])
    pypi.projects["gamma"] = project("2.0", ["2.0"])
    rc, out = run(pypi, tmp_path, "alpha==1.0\ngamma==2.0\nharken==0.1.0\n")
    assert rc == 1, out
    assert "using PyPI's per-project records" in out
    assert "2 of 2 pins are their project's latest release" in out  # harken itself is not looked up
    assert "VULNERABLE alpha 1.0: PYSEC-2099-1 (CVE-2099-0001, GHSA-aaaa-bbbb-cccc) affects 1.0" in out
    assert "database: PyPI's per-project vulnerability records" in out


def test_clean_latest_pins_pass_and_ignored_or_withdrawn_advisories_do_not_count(
        pypi: FakePyPI, tmp_path: Path) -> None:
    pypi.projects["alpha"] = project("1.0", ["1.0"], [VULN])
    pypi.projects["beta"] = project("3.1", ["3.1"], [{**VULN, "id": "PYSEC-2099-2", "aliases": [],
                                                      "withdrawn": "2099-02-01T00:00:00Z"}])
    rc, out = run(pypi, tmp_path, "alpha==1.0\nbeta==3.1\n")
    assert rc == 1 and "VULNERABLE alpha" in out and "beta" not in out.split("checked exactly")[1]
    rc, out = run(pypi, tmp_path, "alpha==1.0\nbeta==3.1\n", HARKEN_AUDIT_IGNORE="CVE-2099-0001")
    assert rc == 0, out
    assert "no known vulnerabilities in the pins checked" in out


def test_older_pins_are_named_and_only_unfixed_advisories_apply(pypi: FakePyPI, tmp_path: Path) -> None:
    fixed = {**VULN, "id": "PYSEC-2099-3", "aliases": [], "fixed_in": ["9.0"]}
    pypi.projects["delta"] = project("5.0", ["4.0", "5.0"], [fixed])
    pypi.projects["torch"] = project("2.15.0", ["2.13.0", "2.15.0"])
    rc, out = run(pypi, tmp_path, "delta==4.0\ntorch==2.13.0+cpu\n")
    assert rc == 0, out
    assert "2 pins are older than their latest release and NOT checked exactly" in out
    assert "delta 4.0 (latest 5.0)" in out and "torch 2.13.0 (latest 2.15.0)" in out  # local label dropped
    rc, out = run(pypi, tmp_path, "delta==4.0\n", HARKEN_AUDIT_REQUIRED="1")
    assert rc == 3 and "coverage incomplete" in out
    pypi.projects["delta"] = project("5.0", ["4.0", "5.0"], [VULN])  # unfixed on the latest release
    rc, out = run(pypi, tmp_path, "delta==4.0\n")
    assert rc == 1
    assert "PYSEC-2099-1 (CVE-2099-0001, GHSA-aaaa-bbbb-cccc) reported for 5.0 with no fixed release; " \
           "assumed to affect 4.0" in out


def test_unknown_packages_and_versions_fail_and_yanked_pins_are_reported(pypi: FakePyPI, tmp_path: Path) -> None:
    pypi.projects["epsilon"] = project("1.2", ["1.1", "1.2"], yanked=("1.1",))
    rc, out = run(pypi, tmp_path, "epsilon==1.1\n")
    assert rc == 0 and "epsilon 1.1 is yanked on PyPI" in out
    rc, out = run(pypi, tmp_path, "epsilon==1.0\nno-such-package==1.0\n")
    assert rc == 1
    assert "FAILED to audit epsilon 1.0: PyPI lists no release 1.0" in out
    assert "FAILED to audit no-such-package 1.0: PyPI answered 404" in out


def test_nothing_reachable_is_a_loud_skip(tmp_path: Path) -> None:
    fake = FakePyPI()
    url = fake.url
    fake.server.shutdown()
    fake.server.server_close()
    (tmp_path / "requirements.lock").write_text("alpha==1.0\n")
    env = {**os.environ, "PYTHON_AUDIT": sys.executable, "HARKEN_AUDIT_PYPI_URL": url,
           "HARKEN_AUDIT_LOCK": str(tmp_path / "requirements.lock")}
    script = str(ROOT / "scripts" / "audit-deps")
    proc = subprocess.run(["bash", script], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0 and "SKIPPED" in proc.stderr
    proc = subprocess.run(["bash", script], capture_output=True, text=True, timeout=120,
                          env={**env, "HARKEN_AUDIT_REQUIRED": "1"})
    assert proc.returncode == 3
