"""Session-wide real services and clients.

Everything here talks to real parts: a fresh Postgres database migrated with Alembic, Redis, a
SeaweedFS S3 server, and the gateway served over HTTP for boto3 and the AWS CLI.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from sqlalchemy.orm import Session

from services.embedded.ports import free_port
from services.embedded.seaweed import SeaweedS3
from tests.support import stack

# Shared assertions in a support module get pytest's detailed failure messages too.
pytest.register_assert_rewrite("tests.support.replies")

pytest_plugins = ["tests.support.streaming_fixtures"]

S3_KEY = ("harken-test", "harken-test-secret-0123456789")
DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[SeaweedS3]:
    folder = Path(tempfile.mkdtemp(prefix="harken-s3-"))
    server = SeaweedS3(folder, free_port(), *S3_KEY).start()
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


#: Tests that may run into pytest-timeout's limit before the session stops. A hang in a shared
#: fixture makes every later test wait out its whole timeout; stopping early lets the summary
#: (with each timeout's stack) print instead of the whole run going past CI's time limit.
MAX_TIMEOUTS = 3
_timeouts: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed and "Timeout (>" in str(report.longrepr):
        _timeouts.append(report.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    if len(_timeouts) >= MAX_TIMEOUTS:
        item.session.shouldstop = f"stopped after {len(_timeouts)} tests timed out: {_timeouts}"


@pytest.fixture(scope="session")
def database() -> Iterator[str]:
    url, name = stack.create_database()
    from services.db.migrate import upgrade

    upgrade(url)
    yield url
    from services.db.session import dispose_engines

    dispose_engines()
    stack.drop_database(name)


@pytest.fixture(scope="session")
def harken_env(database: str, s3_server: SeaweedS3) -> Iterator[dict[str, str]]:
    """Configure Harken's settings (env vars, as an operator would) for the whole session."""
    creds = [
        {"access_key_id": stack.KEY_A[0], "secret_access_key": stack.KEY_A[1], "account_id": stack.ACCOUNT_A},
        {"access_key_id": stack.KEY_B[0], "secret_access_key": stack.KEY_B[1], "account_id": stack.ACCOUNT_B},
    ]
    env = {
        "HARKEN_DEV_MODE": "false",
        "HARKEN_DB__URL": database,
        "HARKEN_BROKER__URL": stack.REDIS_URL,
        "HARKEN_S3__ENDPOINT_URL": s3_server.endpoint_url,
        "HARKEN_S3__ACCESS_KEY_ID": S3_KEY[0],
        "HARKEN_S3__SECRET_ACCESS_KEY": S3_KEY[1],
        "HARKEN_S3__SERVICE_BUCKET": "harken-service",
        "HARKEN_AUTH__CREDENTIALS": json.dumps(creds),
        "HARKEN_API__TOKEN_SECRET": "test-token-secret",
        # Shared test Redis, many sessions at once: rate tests turn throttling on with their own keys.
        "HARKEN_THROTTLE__ENABLED": "false",
        "HARKEN_WHISPER__MODEL": "tiny.en",
        "HARKEN_DATA_DIR": tempfile.mkdtemp(prefix="harken-data-"),
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from services.core.settings import reset_settings_cache

    reset_settings_cache()
    from services.storage.s3 import ensure_bucket

    ensure_bucket("harken-service")
    yield env
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    reset_settings_cache()


@pytest.fixture(scope="session")
def gateway(harken_env: dict[str, str]) -> Iterator[stack.ServerThread]:
    from services.core.settings import get_settings
    from services.gateway.app import create_app

    settings = get_settings()
    server = stack.ServerThread(create_app(settings))
    server.settings = settings  # tests that change a limit change the running app's settings
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def gateway_settings(gateway: stack.ServerThread) -> Any:
    """The Settings object the running gateway answers with (monkeypatch its fields)."""
    return gateway.settings


@pytest.fixture()
def clean_db(harken_env: dict[str, str]) -> Iterator[None]:
    """Empty every table before a test that counts rows or relies on an empty account."""
    from services.db.base import Base
    from services.db.session import get_engine

    ended = stack.truncate_all(get_engine(), [t.name for t in Base.metadata.sorted_tables])
    if ended:
        warnings.warn(f"clean_db ended connections that held table locks: {ended}", stacklevel=1)
    yield


@pytest.fixture()
def db(harken_env: dict[str, str]) -> Iterator[Session]:
    from services.db.session import unit_of_work

    with unit_of_work() as session:
        yield session


def make_client(service: str, endpoint: str, key: tuple[str, str], region: str = "us-east-1",
                **config: Any) -> Any:
    return boto3.client(
        service, endpoint_url=endpoint, region_name=region, aws_access_key_id=key[0],
        aws_secret_access_key=key[1],
        config=Config(retries={"mode": "standard", "max_attempts": 1}, **config),
    )


@pytest.fixture(scope="session")
def transcribe(gateway: stack.ServerThread) -> Any:
    """boto3 Transcribe client of account A, pointed at the running gateway."""
    return make_client("transcribe", gateway.url, stack.KEY_A)


@pytest.fixture(scope="session")
def transcribe_b(gateway: stack.ServerThread) -> Any:
    """boto3 Transcribe client of account B (tenant isolation tests)."""
    return make_client("transcribe", gateway.url, stack.KEY_B)


@pytest.fixture(scope="session")
def s3(s3_server: SeaweedS3) -> Any:
    return make_client("s3", s3_server.endpoint_url, S3_KEY, s3={"addressing_style": "path"})


@pytest.fixture(scope="session")
def media_bucket(s3: Any) -> str:
    """A customer bucket with the test audio uploaded under ``audio/``."""
    bucket = "customer-media"
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=bucket)
    for f in sorted(DATA_DIR.glob("audio/*")):
        if f.suffix != ".md":
            s3.upload_file(str(f), bucket, f"audio/{f.name}")
    return bucket
