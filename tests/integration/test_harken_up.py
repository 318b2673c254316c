"""``harken up --detach`` on a fresh data folder: real boto3 calls, ``harken down``, data kept on restart.

Runs the real command line in subprocesses with free ports and the embedded Postgres forced, so it
exercises exactly what a newcomer gets on a machine with nothing installed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import psycopg
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from services.core.settings import DEV_ACCESS_KEY_ID, DEV_SECRET_ACCESS_KEY
from services.embedded.ports import free_port
from services.embedded.supervisor import pid_alive

ROOT = Path(__file__).resolve().parents[2]


def harken(env: dict[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "services.cli", *args], env=env, cwd=ROOT, text=True,
                          capture_output=True, timeout=timeout)


@pytest.fixture()
def up_env() -> Iterator[dict[str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="harken-up-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARKEN_")}
    env.update({
        "HARKEN_DATA_DIR": str(folder),
        "HARKEN_UP__GATEWAY_PORT": str(free_port()),
        "HARKEN_UP__S3_PORT": str(free_port()),
        "HARKEN_UP__POSTGRES_PORT": str(free_port()),
        "HARKEN_UP__REDIS_PORT": str(free_port()),
        "HARKEN_UP__STREAMING_PORT": str(free_port()),
        "HARKEN_WHISPER__MODEL": "tiny.en",
        "HARKEN_UP__POSTGRES": "embedded",
        "HARKEN_UP__GATEWAY_WORKERS": "1",
        "PYTHONPATH": str(ROOT),
    })
    yield env
    harken(env, "down", timeout=120)
    shutil.rmtree(folder, ignore_errors=True)


def _state(env: dict[str, str]) -> dict[str, Any]:
    return dict(json.loads((Path(env["HARKEN_DATA_DIR"]) / "run" / "up.json").read_text()))


def _clients(env: dict[str, str]) -> tuple[Any, Any]:
    kw: dict[str, Any] = dict(region_name="us-east-1", aws_access_key_id=DEV_ACCESS_KEY_ID,
                              aws_secret_access_key=DEV_SECRET_ACCESS_KEY,
                              config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{env['HARKEN_UP__S3_PORT']}", **kw)
    tr = boto3.client("transcribe", endpoint_url=f"http://127.0.0.1:{env['HARKEN_UP__GATEWAY_PORT']}", **kw)
    return s3, tr


def _list_jobs_works(tr: Any) -> None:
    from services.protocol.dispatch import HANDLERS, load_handlers

    load_handlers()
    if "ListTranscriptionJobs" in HANDLERS:
        assert "TranscriptionJobSummaries" in tr.list_transcription_jobs()
    else:  # jobs API not merged yet: still a signed round trip answered with an AWS error
        with pytest.raises(ClientError) as err:
            tr.list_transcription_jobs()
        assert err.value.response["Error"]["Code"] == "NotImplementedException"
        assert err.value.response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]


def _streaming_speaks_h2_over_tls(env: dict[str, str], printed: str) -> None:
    """The streaming server is up with the data folder's certificate, as the summary says."""
    cert = Path(env["HARKEN_DATA_DIR"]) / "tls" / "cert.pem"
    port = int(env["HARKEN_UP__STREAMING_PORT"])
    assert f"Streaming endpoint   https://localhost:{port}" in printed and str(cert) in printed
    ctx = ssl.create_default_context(cafile=str(cert))
    ctx.set_alpn_protocols(["h2"])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
            ctx.wrap_socket(raw, server_hostname="localhost") as tls:
        assert tls.selected_alpn_protocol() == "h2"  # what the AWS streaming SDKs insist on


def test_up_down_and_restart_keeps_data(up_env: dict[str, str]) -> None:
    first = harken(up_env, "up", "--detach")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Transcribe endpoint" in first.stdout and DEV_ACCESS_KEY_ID in first.stdout
    state = _state(up_env)
    assert state["status"] == "ready"
    assert all(pid_alive(pid) for pid in state["children"].values())

    s3, tr = _clients(up_env)
    _list_jobs_works(tr)
    _streaming_speaks_h2_over_tls(up_env, first.stdout)
    with pytest.raises(ClientError) as err:  # a wrong secret is refused, as AWS would
        boto3.client("transcribe", endpoint_url=state["endpoints"]["gateway"], region_name="us-east-1",
                     aws_access_key_id=DEV_ACCESS_KEY_ID, aws_secret_access_key="wrong").list_vocabularies()
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 403)
    buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert {"harken-dev", "harken-service"} <= buckets
    s3.put_object(Bucket="harken-dev", Key="keep/me.txt", Body=b"still here")
    libpq = state["db_url"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(libpq, autocommit=True) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()
        conn.execute("CREATE TABLE up_probe (v text)")
        conn.execute("INSERT INTO up_probe VALUES ('persisted')")

    assert harken(up_env, "status").returncode == 0
    again = harken(up_env, "up", "--detach")
    assert again.returncode == 1 and "already running" in again.stderr

    down = harken(up_env, "down")
    assert down.returncode == 0, down.stdout + down.stderr
    assert not any(pid_alive(pid) for pid in [state["pid"], *state["children"].values()])
    assert harken(up_env, "status").returncode == 3

    second = harken(up_env, "up", "--detach")
    assert second.returncode == 0, second.stdout + second.stderr
    s3, tr = _clients(up_env)
    assert s3.get_object(Bucket="harken-dev", Key="keep/me.txt")["Body"].read() == b"still here"
    with psycopg.connect(libpq) as conn:
        assert conn.execute("SELECT v FROM up_probe").fetchone() == ("persisted",)
    _list_jobs_works(tr)
