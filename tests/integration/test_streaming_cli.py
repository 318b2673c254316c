"""`harken streaming` as deployed: its own process, TLS with ALPN h2 plus a cleartext port."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from services.embedded.ports import free_port, wait_for_port
from tests.support.streaming import make_certificate

ROOT = Path(__file__).resolve().parents[2]


def test_cli_serves_tls_h2_and_cleartext_health_and_metrics() -> None:
    folder = Path(tempfile.mkdtemp(prefix="harken-stream-cli-"))
    cert, key = make_certificate(folder)
    tls_port, plain_port = free_port(), free_port()
    env = {**os.environ, "HARKEN_DEV_MODE": "true", "HARKEN_AUTH__ALLOW_ANY_KEY": "true",
           "HARKEN_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "streaming", "--host", "127.0.0.1", "--port", str(tls_port),
         "--certfile", str(cert), "--keyfile", str(key), "--h2c-port", str(plain_port), "--no-warm-up"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert wait_for_port("127.0.0.1", plain_port, 60), proc.stdout.read().decode() if proc.poll() else ""
        assert wait_for_port("127.0.0.1", tls_port, 10)
        health = httpx.get(f"http://127.0.0.1:{plain_port}/health").json()
        assert health == {"status": "ok", "active_streams": 0}
        assert "harken_stream_sessions_active" in httpx.get(f"http://127.0.0.1:{plain_port}/metrics").text
        ctx = ssl.create_default_context(cafile=str(cert))
        ctx.set_alpn_protocols(["h2"])
        with socket.create_connection(("127.0.0.1", tls_port), timeout=10) as raw, \
                ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.selected_alpn_protocol() == "h2"  # what the AWS SDKs insist on
    finally:
        proc.terminate()
        proc.wait(20)
