"""Scrape a running `harken streaming` (its own process, as an operator runs it) after real streams,
and find every metric the dashboards name for it; then SIGTERM it during a stream and watch the
stream finish inside the drain window (streaming.shutdown_grace_seconds)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h2.config
import h2.connection
import h2.events
import httpx
import pytest

from services.embedded.ports import free_port, wait_for_port
from services.observability import gpu
from tests.compat.test_streaming_wire import REFERENCE, audio_event, decode_events, h2_exchange, signed_h2_headers
from tests.integration.test_metrics_scrape import names, scrape, value
from tests.support import promql, stack
from tests.support.streaming import pcm16, wer

ROOT = Path(__file__).resolve().parents[2]
CLIP = ROOT / "tests" / "data" / "streaming" / "two-utterances.flac"
STREAMING = "harken_stream_"


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/metrics"

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def start_server(database: str, **env: str) -> Server:
    folder = Path(tempfile.mkdtemp(prefix="harken-stream-scrape-"))
    port = free_port()
    creds = [{"access_key_id": stack.KEY_A[0], "secret_access_key": stack.KEY_A[1], "account_id": stack.ACCOUNT_A}]
    full = {k: v for k, v in os.environ.items() if not k.startswith("HARKEN_")}
    full.update({"HARKEN_DEV_MODE": "false", "HARKEN_DB__URL": database, "HARKEN_AUTH__CREDENTIALS": json.dumps(creds),
                 "HARKEN_API__TOKEN_SECRET": "streaming-scrape-token-secret", "HARKEN_WHISPER__MODEL": "tiny.en",
                 "HARKEN_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT), **env})
    log = folder / "streaming.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "services.cli", "streaming", "--host", "127.0.0.1",
                                 "--port", str(port)], env=full, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = Server(proc, port, log)
    if not wait_for_port("127.0.0.1", port, 120):  # the model loads before it listens
        proc.kill()
        raise RuntimeError(f"harken streaming did not listen:\n{server.output()}")
    return server


def stop(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.kill()
        server.proc.wait(10)


@pytest.fixture(scope="module")
def server(database: str) -> Iterator[Server]:
    s = start_server(database)
    yield s
    stop(s)


def final_text(data: bytes) -> str:
    return " ".join(r["Alternatives"][0]["Transcript"] for _, p in decode_events(data)
                    for r in json.loads(p)["Transcript"]["Results"] if not r["IsPartial"])


def test_every_streaming_metric_on_the_dashboards_is_served(server: Server) -> None:
    audio = pcm16(CLIP)
    body = [audio_event(audio[i:i + 8000]) for i in range(0, len(audio), 8000)] + [audio_event(b"")]
    status, _, data = h2_exchange(server.port, signed_h2_headers(server.port), body)
    assert status == 200, data[:500]
    assert wer(REFERENCE, final_text(data)) < 0.35
    # a refused stream counts under its own outcome
    status, _, _ = h2_exchange(server.port, signed_h2_headers(server.port, **{"sample-rate": "4000"}),
                               [audio_event(b"")])
    assert status == 400

    samples = scrape(server.metrics_url)
    assert value(samples, "harken_stream_sessions_total", outcome="completed") == 1
    assert value(samples, "harken_stream_sessions_total", outcome="bad_request") == 1
    assert value(samples, "harken_stream_sessions_active") == 0
    seconds = len(audio) / 2 / 16000
    assert abs(value(samples, "harken_stream_audio_seconds_total") - seconds) < 0.5
    assert value(samples, "harken_stream_final_latency_seconds_count") >= 2  # two utterances
    assert value(samples, "harken_stream_partial_latency_seconds_count") >= 1
    assert value(samples, "harken_stream_decode_seconds_count", kind="final") >= 2
    assert "harken_gpu_devices" in names(samples)  # NVML collector, as on workers

    served = names(samples)
    wanted: set[str] = set()
    for path in promql.dashboard_files():
        for _, expr in promql.dashboard_exprs(path):
            wanted |= {n for n in promql.metric_names(expr) if n.startswith(STREAMING)}
    for _, expr in promql.dashboard_exprs(promql.DASHBOARDS / "harken-streaming.json"):
        wanted |= promql.metric_names(expr)
    gpu_present = "harken_gpu_memory_total_bytes" in served
    missing = {n for n in wanted - served if gpu_present or n not in gpu.FAMILIES}
    assert not missing, f"named on dashboards, not served by harken streaming: {sorted(missing)}"
    assert {n for n in wanted if n.startswith(STREAMING)}, "the dashboards name no streaming metric"


def paced_stream(port: int, audio: bytes, chunk: int, pace: float, result: dict[str, Any]) -> None:
    """An h2c stream sending audio in real time (as a microphone would), reading results as they come."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sid = conn.get_next_available_stream_id()
    conn.send_headers(sid, signed_h2_headers(port))
    sock.sendall(conn.data_to_send())
    data, status, done = bytearray(), 0, False

    def read(timeout: float) -> None:
        nonlocal status, done
        sock.settimeout(timeout)
        try:
            raw = sock.recv(65536)
        except TimeoutError:
            return
        if not raw:
            done = True
            return
        for event in conn.receive_data(raw):
            if isinstance(event, h2.events.ResponseReceived):
                status = int(dict(event.headers)[":status"])
            elif isinstance(event, h2.events.DataReceived):
                data.extend(event.data)
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded | h2.events.StreamReset):
                done = True
        sock.sendall(conn.data_to_send())

    try:
        pieces = [audio_event(audio[i:i + chunk]) for i in range(0, len(audio), chunk)] + [audio_event(b"")]
        for n, piece in enumerate(pieces):
            conn.send_data(sid, piece, end_stream=n == len(pieces) - 1)
            sock.sendall(conn.data_to_send())
            result["sent"] = n + 1
            read(pace)
            if done:
                break
        deadline = time.monotonic() + 60
        while not done and time.monotonic() < deadline:
            read(1.0)
    except OSError as exc:
        result["error"] = repr(exc)
    finally:
        sock.close()
        result.update(status=status, data=bytes(data), chunks=len(pieces))


def test_sigterm_lets_an_open_stream_finish(database: str) -> None:
    """The drain is longer than Hypercorn's 3 s default: a stream with ~7 s of audio still to send
    when SIGTERM arrives ends normally, with its final results, and the process then exits cleanly."""
    srv = start_server(database, HARKEN_STREAMING__SHUTDOWN_GRACE_SECONDS="60")
    try:
        audio = pcm16(CLIP)
        result: dict[str, Any] = {}
        rate_chunk = 3200  # 0.1 s of 16 kHz s16le
        t = threading.Thread(target=paced_stream, args=(srv.port, audio, rate_chunk, 0.1, result))
        t.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if httpx.get(f"http://127.0.0.1:{srv.port}/health").json()["active_streams"] == 1:
                break
            time.sleep(0.1)
        time.sleep(1.0)
        srv.proc.send_signal(signal.SIGTERM)
        sent_at_term = result.get("sent", 0)
        t.join(120)
        assert not t.is_alive()
        assert sent_at_term < result["chunks"] - 30, "SIGTERM came too late to test the drain"
        assert "error" not in result, result.get("error")
        assert result["status"] == 200
        assert wer(REFERENCE, final_text(result["data"])) < 0.35
        assert srv.proc.wait(60) == 0, srv.output()
    finally:
        stop(srv)
