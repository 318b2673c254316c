"""Audit requirements.lock against the vulnerability records PyPI publishes with each project.

Why this exists: pip-audit asks PyPI's per-version JSON (``/pypi/<name>/<version>/json``) or OSV
about every pin. Where neither is reachable but PyPI's per-project JSON (``/pypi/<name>/json``) is
(as on the machines Harken is built on: the package proxy serves that one and the simple index),
this checks what that record can prove. PyPI fills its ``vulnerabilities`` member from OSV for the
project's latest release only, so:

- a pin that IS its project's latest release is checked exactly (the same records pip-audit reads);
- a pin older than the latest release cannot be checked exactly: it is listed as not covered.
  Advisories on the latest release that no release fixes (``fixed_in`` empty) are still reported
  against it, as "assumed to affect" (the flaw is unfixed; only a pin older than its introduction
  would escape it);
- a pinned version that PyPI does not list, or a package PyPI does not know, fails (like
  pip-audit's ``--strict``); a yanked pin is reported.

Exit status: 0 clean, 1 a known vulnerability (or a pin that cannot be looked up), 3 clean but
incomplete coverage with ``--require-complete``. Standard library plus ``packaging`` only.

    python scripts/audit_pypi_latest.py requirements.lock [--skip harken] [--ignore-vuln ID]...
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

from packaging.version import InvalidVersion, Version


@dataclass
class Result:
    name: str
    pinned: str
    latest: str = ""
    error: str = ""
    yanked: bool = False
    exact: bool = False
    #: (vulnerability record, how it applies: "affects" or "assumed to affect")
    findings: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    fetched_at: str = ""


def read_pins(path: str) -> list[tuple[str, str]]:
    pins = []
    with open(path, encoding="utf-8") as lines:
        text = lines.read().splitlines()
    for raw in text:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)(?:\s*;.*)?", line)
        if not m:
            raise SystemExit(f"audit-deps: cannot read the pin {line!r} in {path}")
        pins.append((m.group(1), m.group(2)))
    return pins


def _public(version: str) -> str:
    """``2.13.0+cpu`` → ``2.13.0``: a local build is audited as the release it is built from."""
    return version.split("+", 1)[0]


def _same(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def fetch(base: str, name: str, timeout: float) -> tuple[dict[str, Any], str]:
    with urllib.request.urlopen(f"{base}/pypi/{name}/json", timeout=timeout) as response:
        return json.load(response), response.headers.get("Date", "")


def audit(base: str, name: str, pinned: str, ignore: set[str], timeout: float) -> Result:
    result = Result(name, pinned)
    try:
        data, result.fetched_at = fetch(base, name, timeout)
    except urllib.error.HTTPError as exc:
        result.error = f"PyPI answered {exc.code} for the project"
        return result
    except (OSError, ValueError) as exc:
        result.error = f"lookup failed: {exc}"
        return result
    public = _public(pinned)
    result.latest = str(data["info"]["version"])
    releases = data.get("releases") or {}
    files = next((f for v, f in releases.items() if _same(v, public)), None)
    if files is None:
        result.error = f"PyPI lists no release {public}"
        return result
    result.yanked = bool(files) and all(f.get("yanked") for f in files)
    result.exact = _same(public, result.latest)
    for vuln in data.get("vulnerabilities") or []:
        ids = {vuln.get("id", ""), *(vuln.get("aliases") or [])}
        if vuln.get("withdrawn") or ids & ignore:
            continue
        if result.exact:
            result.findings.append((vuln, "affects"))
        elif not vuln.get("fixed_in"):
            result.findings.append((vuln, f"reported for {result.latest} with no fixed release; assumed to affect"))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("lockfile")
    ap.add_argument("--index", default="https://pypi.org", help="PyPI base URL (serves /pypi/<name>/json)")
    ap.add_argument("--skip", action="append", default=[], help="a pinned name not on PyPI (this project)")
    ap.add_argument("--ignore-vuln", action="append", default=[], help="an advisory id or alias to ignore")
    ap.add_argument("--require-complete", action="store_true",
                    help="exit 3 when some pins could not be checked exactly")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--jobs", type=int, default=8)
    args = ap.parse_args(argv)

    skip = {re.sub(r"[-_.]+", "-", s).lower() for s in args.skip}
    pins = [(n, v) for n, v in read_pins(args.lockfile) if re.sub(r"[-_.]+", "-", n).lower() not in skip]
    ignore = set(args.ignore_vuln)
    base = args.index.rstrip("/")
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda p: audit(base, p[0], p[1], ignore, args.timeout), pins))

    dates = sorted(d for d in (parsedate_to_datetime(r.fetched_at) for r in results if r.fetched_at) if d)
    when = f"{dates[0]:%Y-%m-%d %H:%M} to {dates[-1]:%H:%M} UTC" if dates else "unknown time"
    out = sys.stdout
    print(f"audit-deps: database: PyPI's per-project vulnerability records (OSV data on each project's "
          f"latest release), read from {base}/pypi/<name>/json at {when}", file=out)
    exact = [r for r in results if r.exact and not r.error]
    older = [r for r in results if not r.exact and not r.error]
    errors = [r for r in results if r.error]
    print(f"audit-deps: {len(exact)} of {len(results)} pins are their project's latest release: checked exactly",
          file=out)
    if older:
        listed = ", ".join(f"{r.name} {r.pinned} (latest {r.latest})" for r in older)
        print(f"audit-deps: {len(older)} pins are older than their latest release and NOT checked exactly "
              f"(only advisories no release fixes are checked for them): {listed}", file=out)
    for r in results:
        if r.yanked:
            print(f"audit-deps: note: {r.name} {r.pinned} is yanked on PyPI", file=out)
    for r in errors:
        print(f"audit-deps: FAILED to audit {r.name} {r.pinned}: {r.error}", file=out)
    found = 0
    for r in results:
        for vuln, how in r.findings:
            found += 1
            aliases = ", ".join(vuln.get("aliases") or [])
            fixed = ", ".join(vuln.get("fixed_in") or []) or "no fixed release"
            text = (vuln.get("summary") or vuln.get("details") or "").strip().splitlines()
            print(f"audit-deps: VULNERABLE {r.name} {r.pinned}: {vuln.get('id')} ({aliases}) {how} {r.pinned}; "
                  f"fixed in: {fixed}; {text[0][:160] if text else ''} {vuln.get('link', '')}".rstrip(), file=out)
    if found or errors:
        print(f"audit-deps: {found} known vulnerabilities, {len(errors)} pins not audited", file=out)
        return 1
    print("audit-deps: no known vulnerabilities in the pins checked", file=out)
    if older and args.require_complete:
        print("audit-deps: coverage incomplete and HARKEN_AUDIT_REQUIRED=1: failing", file=out)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
