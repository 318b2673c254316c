"""`harken streaming` as deployed: its own process, TLS with ALPN h2 plus a cleartext port."""

from __future__ import annotations

import contextlib
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


def test_sigterm_ends_open_streams_with_an_exception_event_after_the_grace_period() -> None:
    """A real `harken streaming` process: SIGTERM with a stream open; the stream keeps working
    during the grace period, then gets ServiceUnavailableException (not a silent cut) and the
    process exits."""
    import asyncio
    import signal
    import time
    from types import SimpleNamespace

    from amazon_transcribe.exceptions import ServiceUnavailableException

    from tests.compat.test_streaming_sdk import TWO_UTTERANCES, sdk_client
    from tests.support.streaming import pcm16, wer

    folder = Path(tempfile.mkdtemp(prefix="harken-stream-term-"))
    cert, key = make_certificate(folder)
    tls_port = free_port()
    grace = 3.0
    env = {**os.environ, "HARKEN_DEV_MODE": "true", "HARKEN_AUTH__ALLOW_ANY_KEY": "true",
           "HARKEN_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT), "HARKEN_WHISPER__MODEL": "tiny.en",
           "HARKEN_STREAMING__SHUTDOWN_GRACE_SECONDS": str(grace)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "streaming", "--host", "127.0.0.1", "--port", str(tls_port),
         "--certfile", str(cert), "--keyfile", str(key)],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    speech = pcm16(ROOT / "tests" / "data" / "streaming" / "two-utterances.flac")
    silence = bytes(3200)  # 0.1 s
    try:
        assert wait_for_port("127.0.0.1", tls_port, 120), proc.stdout.read().decode() if proc.poll() else ""
        server = SimpleNamespace(https_url=f"https://localhost:{tls_port}", cert=cert)

        async def run() -> tuple[list[str], BaseException | None, float, float]:
            stream = await sdk_client(server).start_stream_transcription(  # type: ignore[arg-type]
                language_code="en-US", media_sample_rate_hz=16000, media_encoding="pcm")
            finals: list[str] = []
            term_at = 0.0

            async def write() -> None:
                nonlocal term_at
                for i in range(0, len(speech), 3200):  # the clip in real time, then silence until cut
                    await stream.input_stream.send_audio_event(audio_chunk=speech[i:i + 3200])
                    await asyncio.sleep(0.1)
                proc.send_signal(signal.SIGTERM)
                term_at = time.monotonic()
                with contextlib.suppress(Exception):  # the server ends the stream under us
                    for _ in range(int(grace * 10) + 100):
                        await stream.input_stream.send_audio_event(audio_chunk=silence)
                        await asyncio.sleep(0.1)

            async def read() -> tuple[BaseException | None, float]:
                try:
                    async for event in stream.output_stream:
                        finals.extend(r.alternatives[0].transcript for r in event.transcript.results
                                      if not r.is_partial)
                except ServiceUnavailableException as exc:
                    return exc, time.monotonic()
                return None, time.monotonic()

            writer = asyncio.create_task(write())
            error, ended = await read()
            writer.cancel()
            return finals, error, term_at, ended

        finals, error, term_at, ended = asyncio.run(run())
        assert isinstance(error, ServiceUnavailableException), (error, finals)
        assert "shutting down" in str(error)
        # the stream kept working until the grace period was over, and was ended soon after it
        assert grace - 0.5 <= ended - term_at <= grace + 5, ended - term_at
        assert wer(TWO_UTTERANCES, " ".join(finals)) < 0.35, finals
        assert proc.wait(30) == 0, proc.stdout.read().decode()[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(20)
