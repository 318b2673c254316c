"""The worker's /metrics bind address (``metrics.worker_host``): the setting reaches the socket, and
``harken up`` keeps a laptop worker's endpoint on loopback."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator

import pytest

from services.core.settings import Settings, reset_settings_cache
from services.embedded.ports import free_port
from services.embedded.up import child_env
from tests.support.listening import listen_addresses


@pytest.fixture(autouse=True)
def dev_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARKEN_DEV_MODE", "true")  # the built-in dev secrets are accepted


@pytest.fixture()
def metrics_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    from workers import metrics

    reset_settings_cache()
    yield monkeypatch
    if metrics._server is not None:
        metrics._server.shutdown()
        metrics._server.server_close()
        metrics._server = None
    monkeypatch.undo()
    reset_settings_cache()


def test_default_binds_every_interface() -> None:
    assert Settings().metrics.worker_host == "0.0.0.0"


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_worker_ready_serves_metrics_on_the_configured_address(metrics_env: pytest.MonkeyPatch, host: str) -> None:
    from workers import metrics

    port = free_port()
    metrics_env.setenv("HARKEN_METRICS__WORKER_PORT", str(port))
    metrics_env.setenv("HARKEN_METRICS__WORKER_HOST", host)
    reset_settings_cache()
    metrics._serve_metrics()  # what Celery's worker_ready signal calls in the main process
    assert metrics._server is not None
    assert listen_addresses(port) == {host}
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        assert r.status == 200
        assert b"harken_gpu_devices" in r.read()


def test_loopback_bind_is_unreachable_from_another_address(metrics_env: pytest.MonkeyPatch) -> None:
    """127.0.0.2 is loopback too but not the bound address: a connection there is refused."""
    from workers import metrics

    port = free_port()
    metrics_env.setenv("HARKEN_METRICS__WORKER_PORT", str(port))
    metrics_env.setenv("HARKEN_METRICS__WORKER_HOST", "127.0.0.1")
    reset_settings_cache()
    metrics._serve_metrics()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.2", port), timeout=5):
        pass


def test_harken_up_passes_loopback_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HARKEN_METRICS__WORKER_HOST", raising=False)
    env = child_env(Settings(), "postgresql+psycopg://x/y", "redis://r", "http://s3")
    assert env["HARKEN_METRICS__WORKER_HOST"] == "127.0.0.1"
    monkeypatch.setenv("HARKEN_METRICS__WORKER_HOST", "0.0.0.0")
    env = child_env(Settings(), "postgresql+psycopg://x/y", "redis://r", "http://s3")
    assert env["HARKEN_METRICS__WORKER_HOST"] == "0.0.0.0"
