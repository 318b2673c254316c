"""Pytest fixtures for the streaming server (registered from tests/conftest.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.streaming import StreamingServer, make_certificate


@pytest.fixture(scope="session")
def stream_cert() -> tuple[Path, Path]:
    return make_certificate(Path(tempfile.mkdtemp(prefix="harken-tls-")))


@pytest.fixture(scope="session")
def streaming_server(harken_env: dict[str, str], stream_cert: tuple[Path, Path]) -> Iterator[StreamingServer]:
    """The streaming server on TLS (ALPN h2) and h2c ports, tiny.en on CPU, real Postgres behind it."""
    from services.core.settings import Settings

    settings = Settings()
    settings.streaming.certfile, settings.streaming.keyfile = map(str, stream_cert)
    server = StreamingServer(settings)
    server.cert = stream_cert[0]
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def stream_settings(streaming_server: StreamingServer) -> Iterator[object]:
    """The running server's streaming settings; changes are undone after the test."""
    cfg = streaming_server.settings.streaming
    saved = cfg.model_dump()
    yield cfg
    for key, value in saved.items():
        setattr(cfg, key, value)
