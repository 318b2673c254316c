"""Pytest fixtures for the streaming server (registered from tests/conftest.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import stack
from tests.support.streaming import StreamingServer, make_certificate


@pytest.fixture(scope="session")
def stream_cert() -> tuple[Path, Path]:
    return make_certificate(Path(tempfile.mkdtemp(prefix="harken-tls-")))


@pytest.fixture(scope="session")
def streaming_server(database: str, stream_cert: tuple[Path, Path]) -> Iterator[StreamingServer]:
    """The streaming server on TLS (ALPN h2) and h2c ports, tiny.en on CPU, the test Postgres behind it.

    Its settings are built directly (not from the environment), so it needs no S3 server.
    """
    from services.core.settings import (
        ApiSettings,
        AuthSettings,
        Credential,
        DbSettings,
        Settings,
        ThrottleSettings,
        WhisperSettings,
    )

    settings = Settings(
        db=DbSettings(url=database),
        auth=AuthSettings(credentials=[
            Credential(access_key_id=stack.KEY_A[0], secret_access_key=stack.KEY_A[1], account_id=stack.ACCOUNT_A),
            Credential(access_key_id=stack.KEY_B[0], secret_access_key=stack.KEY_B[1], account_id=stack.ACCOUNT_B),
        ]),
        api=ApiSettings(token_secret="test-token-secret"),
        whisper=WhisperSettings(model="tiny.en"),
        # Shared test Redis, many sessions at once: rate tests turn throttling on with their own keys.
        throttle=ThrottleSettings(enabled=False),
        data_dir=Path(tempfile.mkdtemp(prefix="harken-stream-data-")),
    )
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
