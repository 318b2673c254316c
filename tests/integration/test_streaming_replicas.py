"""Two real `harken streaming` processes sharing a Redis registry: SessionId takeover across replicas.

AWS: ConflictException on the result stream — "A new stream started with the same session ID. The
current stream has been terminated." A client that reconnects through the load balancer lands on
any replica; the new stream must proceed there and the old one, on the other replica, must get
that event.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import websockets
from amazon_transcribe.exceptions import ConflictException

from services.embedded.ports import free_port, wait_for_port
from tests.compat.test_streaming_sdk import TAKEOVER, TWO_UTTERANCES, finals, hold_open, sdk_client, stream_audio
from tests.compat.test_streaming_wire import SPLIT, audio_event, decode_events, presigned_url
from tests.support import stack
from tests.support.streaming import make_certificate, pcm16, wer

ROOT = Path(__file__).resolve().parents[2]
AUDIO = ROOT / "tests" / "data" / "streaming" / "two-utterances.flac"


@pytest.fixture(scope="module")
def replicas() -> Iterator[list[SimpleNamespace]]:
    folder = Path(tempfile.mkdtemp(prefix="harken-stream-replicas-"))
    cert, key = make_certificate(folder)
    credentials = json.dumps([
        {"access_key_id": k[0], "secret_access_key": k[1], "account_id": a}
        for k, a in ((stack.KEY_A, stack.ACCOUNT_A), (stack.KEY_B, stack.ACCOUNT_B))])
    env = {**os.environ, "HARKEN_DEV_MODE": "true", "HARKEN_AUTH__CREDENTIALS": credentials,
           "HARKEN_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT), "HARKEN_WHISPER__MODEL": "tiny.en",
           "HARKEN_STREAMING__REGISTRY_URL": stack.REDIS_URL}
    servers, procs = [], []
    try:
        for _ in range(2):
            tls_port, plain_port = free_port(), free_port()
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "services.cli", "streaming", "--host", "127.0.0.1", "--port", str(tls_port),
                 "--certfile", str(cert), "--keyfile", str(key), "--h2c-port", str(plain_port)],
                env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
            servers.append(SimpleNamespace(https_url=f"https://localhost:{tls_port}", cert=cert,
                                           h2c_port=plain_port, plain=f"http://127.0.0.1:{plain_port}"))
        for proc, server in zip(procs, servers, strict=True):
            if not wait_for_port("127.0.0.1", server.h2c_port, 180):
                proc.kill()
                raise RuntimeError(proc.communicate()[0].decode()[-3000:])
        yield servers
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _active(server: SimpleNamespace) -> int:
    return int(httpx.get(f"{server.plain}/health").json()["active_streams"])


def _taken_over(server: SimpleNamespace) -> float:
    for line in httpx.get(f"{server.plain}/metrics").text.splitlines():
        if line.startswith('harken_stream_sessions_total{outcome="taken_over"}'):
            return float(line.split()[-1])
    return 0.0


def test_a_stream_on_another_replica_is_taken_over(replicas: list[SimpleNamespace]) -> None:
    """SDK streams, no resume window: the new stream on replica B transcribes; the old one on
    replica A gets the ConflictException event while the new one is still streaming. Another
    account is refused that id on either replica, before and after."""
    a, b = replicas
    sid = str(uuid.uuid4())
    audio = pcm16(AUDIO)
    before = _taken_over(a)

    async def start(server: SimpleNamespace, key: tuple[str, str] = stack.KEY_A) -> Any:
        return await sdk_client(server, key).start_stream_transcription(  # type: ignore[arg-type]
            language_code="en-US", media_sample_rate_hz=16000, media_encoding="pcm", session_id=sid)

    async def scenario() -> tuple[BaseException | None, list[dict[str, Any]]]:
        old = await start(a)
        old_task = asyncio.create_task(hold_open(old, audio[:32000]))
        await asyncio.sleep(1.0)
        with pytest.raises(ConflictException, match="already in use"):
            await start(b, stack.KEY_B)  # another account: refused, and the owner's stream lives on
        assert not old_task.done()
        new_task = asyncio.create_task(stream_audio(b, audio, speed=2.0, session_id=sid))  # type: ignore[arg-type]
        error = await asyncio.wait_for(old_task, 60)
        assert not new_task.done()  # told by pub/sub, not by the renewal 20 s later
        with pytest.raises(ConflictException, match="already in use"):
            await start(a, stack.KEY_B)
        _, results = await new_task
        return error, results

    error, results = asyncio.run(scenario())
    assert isinstance(error, ConflictException), error
    assert str(error) == TAKEOVER
    assert wer(TWO_UTTERANCES, " ".join(r["text"] for r in finals(results))) < 0.35, results
    assert _taken_over(a) == before + 1
    assert _active(a) == 0 and _active(b) == 0


def test_a_resumed_session_continues_from_the_stream_it_took_over_on_another_replica(
        replicas: list[SimpleNamespace]) -> None:
    """WebSocket with SessionResumeWindow: the old stream on A is ended, records where it got to,
    and the new stream on B continues the session's times from there."""
    a, b = replicas
    audio = pcm16(AUDIO)
    cut = int(SPLIT * 16000) * 2
    params = {"session-id": str(uuid.uuid4()), "session-resume-window": "5"}
    old_url = presigned_url(a, "ws", a.h2c_port, **params)  # type: ignore[arg-type]
    new_url = presigned_url(b, "ws", b.h2c_port, **params)  # type: ignore[arg-type]

    async def scenario() -> tuple[list[tuple[dict[str, Any], bytes]], list[dict[str, Any]], list[dict[str, Any]]]:
        old_events: list[tuple[dict[str, Any], bytes]] = []
        async with websockets.connect(old_url, max_size=None) as old:
            for i in range(0, cut, 6400):
                await old.send(audio_event(audio[i:i + 6400]))
                await asyncio.sleep(0.05)
            first: list[dict[str, Any]] = []
            while not first:  # the first utterance's final, then the old stream stays open
                for h, p in decode_events(bytes(await asyncio.wait_for(old.recv(), 60))):
                    old_events.append((h, p))
                    if h[":message-type"] == "event":
                        first += [r for r in json.loads(p)["Transcript"]["Results"] if not r["IsPartial"]]
            frames = [audio_event(audio[i:i + 6400]) for i in range(cut, len(audio), 6400)] + [audio_event(b"")]
            second: list[dict[str, Any]] = []
            async with websockets.connect(new_url, max_size=None) as new:
                async for message in old:  # ended by the takeover
                    old_events += decode_events(bytes(message))
                for frame in frames:
                    await new.send(frame)
                    await asyncio.sleep(0.02)
                async for message in new:
                    for h, p in decode_events(bytes(message)):
                        assert h[":message-type"] == "event", (h, p)
                        second += [r for r in json.loads(p)["Transcript"]["Results"] if not r["IsPartial"]]
        return old_events, first, second

    old_events, first, second = asyncio.run(scenario())
    exceptions = [(h, json.loads(p)) for h, p in old_events if h[":message-type"] == "exception"]
    assert exceptions == [({":message-type": "exception", ":exception-type": "ConflictException",
                            ":content-type": "application/json"}, {"Message": TAKEOVER})], old_events
    assert len(first) == 1 and first[0]["EndTime"] < SPLIT, first
    assert len(second) == 1, second
    assert second[0]["StartTime"] > SPLIT, second  # continued from the old stream's audio time
    text = second[0]["Alternatives"][0]["Transcript"].lower()
    assert "quick" in text and "lazy" in text, text
