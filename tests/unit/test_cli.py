"""The ``harken`` command line: parsing, the worker command it execs, and the supervisor's restarts."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from services import cli
from services.embedded.supervisor import Child, Supervisor, pid_alive, stop_process


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["version"]) == 0
    assert capsys.readouterr().out.startswith("harken ")
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for command in ("up", "down", "status", "gateway", "worker", "migrate", "transcribe", "version"):
        assert command in out


def test_worker_command_with_reaper(tmp_path: Path) -> None:
    args = cli.build_parser().parse_args(["worker", "--queues", "gpu", "--concurrency", "2", "--reaper"])
    cmd = cli.worker_command(args, tmp_path)
    assert cmd[:6] == [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker"]
    assert cmd[cmd.index("-Q") + 1] == "gpu" and cmd[cmd.index("--concurrency") + 1] == "2"
    assert "--beat" in cmd and str(tmp_path / "celerybeat-schedule") in cmd


def test_worker_passes_extra_celery_args(tmp_path: Path) -> None:
    args = cli.build_parser().parse_args(["worker", "-Q", "cpu", "--", "--without-gossip"])
    args.celery_args = args.celery_args[1:] if args.celery_args[:1] == ["--"] else args.celery_args
    cmd = cli.worker_command(args, tmp_path)
    assert cmd[-1] == "--without-gossip" and "--beat" not in cmd


def test_transcribe_refuses_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["transcribe", "/nonexistent/file.wav"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_status_and_down_when_not_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HARKEN_DATA_DIR", str(tmp_path))
    assert cli.main(["status"]) == 3
    assert cli.main(["down"]) == 0
    assert "not running" in capsys.readouterr().out


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)


def test_supervisor_restarts_a_crashed_child_and_stops_all() -> None:
    sup = Supervisor()
    child = sup.start(Child("sleeper", _sleeper))
    assert child.process is not None
    first = child.process.pid
    child.process.kill()
    child.process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and child.process.pid == first:
        sup.check()
        time.sleep(0.1)
    assert child.process.pid != first and child.restarts == 1
    second = child.process
    sup.stop_all()
    assert second.poll() is not None and not pid_alive(second.pid)


def test_stop_process_kills_what_ignores_sigterm() -> None:
    proc = subprocess.Popen([sys.executable, "-c",
                             "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                             "print('ready', flush=True); time.sleep(60)"],
                            stdout=subprocess.PIPE, start_new_session=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    stop_process(proc, timeout=0.5)
    assert proc.returncode is not None and proc.returncode < 0


def test_worker_caps_numeric_thread_pools_to_the_decoding_threads(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Each prefork child decodes on whisper.cpu_threads; BLAS/OpenMP pools sized to every core in
    every child would oversubscribe the machine. An operator's own values are kept."""
    from services.core.settings import reset_settings_cache

    for var in cli.WORKER_THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "4")
    monkeypatch.setenv("HARKEN_DEV_MODE", "true")
    monkeypatch.setenv("HARKEN_WHISPER__CPU_THREADS", "2")
    monkeypatch.setenv("HARKEN_METRICS__MULTIPROC_DIR", str(tmp_path / "prom"))
    monkeypatch.setenv("HARKEN_DATA_DIR", str(tmp_path))
    reset_settings_cache()
    seen: dict[str, str] = {}

    class Execd(Exception):
        pass

    def fake_execv(path: str, argv: list[str]) -> None:
        import os

        seen.update({var: os.environ[var] for var in cli.WORKER_THREAD_VARS})
        raise Execd

    monkeypatch.setattr(cli.os, "execv", fake_execv)
    with pytest.raises(Execd):
        cli.main(["worker", "-Q", "cpu"])
    reset_settings_cache()
    assert seen == {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "MKL_NUM_THREADS": "4"}
