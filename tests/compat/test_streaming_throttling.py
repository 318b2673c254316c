"""StartStreamTranscription's per-account request rate, over HTTP/2 (the amazon-transcribe SDK and
raw h2 frames) and the presigned WebSocket.

The limiter is the batch gateway's Redis token bucket; beyond the rate the streaming server answers
the streaming model's LimitExceededException (HTTP 429 before the stream; an exception event on the
WebSocket). Rates are set very low with a deep bucket so that refill during a test (on a loaded
machine) cannot hand out an extra token: the bucket holds exactly the burst the test allows.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from amazon_transcribe.exceptions import LimitExceededException

from services.core.settings import TenantPolicy
from tests.compat.test_streaming_sdk import sdk_client
from tests.compat.test_streaming_wire import audio_event, h2_exchange, presigned_url, signed_h2_headers, ws_stream
from tests.support import stack
from tests.support.streaming import StreamingServer

OP = "StartStreamTranscription"


@pytest.fixture()
def stream_throttle(streaming_server: StreamingServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Throttling on for the streaming server, in buckets no other test (or test run) shares."""
    settings = streaming_server.settings
    monkeypatch.setattr(settings.throttle, "enabled", True)
    monkeypatch.setattr(settings.throttle, "redis_url", stack.REDIS_URL)
    monkeypatch.setattr(settings.throttle, "key_prefix", f"harken-test:{uuid.uuid4().hex}")
    monkeypatch.setattr(settings.throttle, "rates", {OP: 0.01})   # one token per 100 s
    monkeypatch.setattr(settings.throttle, "burst_seconds", 200.0)  # a bucket of 2
    monkeypatch.setattr(settings.tenants, "accounts", dict(settings.tenants.accounts))
    yield settings


async def _open_and_end(server: StreamingServer, key: tuple[str, str] = stack.KEY_A) -> None:
    stream = await sdk_client(server, key).start_stream_transcription(
        language_code="en-US", media_sample_rate_hz=16000, media_encoding="pcm")
    await stream.input_stream.end_stream()
    async for _ in stream.output_stream:
        pass


def test_sdk_start_beyond_the_rate_is_limit_exceeded(streaming_server: StreamingServer,
                                                     stream_throttle: Any) -> None:
    async def scenario() -> None:
        for _ in range(2):  # the burst
            await _open_and_end(streaming_server)
        with pytest.raises(LimitExceededException, match="StartStreamTranscription requests per second"):
            await _open_and_end(streaming_server)
        # another account has its own bucket
        await _open_and_end(streaming_server, stack.KEY_B)

    asyncio.run(scenario())


def test_raw_h2_answer_and_per_account_rate(streaming_server: StreamingServer, stream_throttle: Any) -> None:
    """The exact answer (429, x-amzn-errortype, {"Message"}), and a tenant's own rate over the default."""
    stream_throttle.tenants.accounts[stack.ACCOUNT_B] = TenantPolicy(rates={OP: 0.01})
    stream_throttle.throttle.burst_seconds = 100.0  # account B: a bucket of 1
    stream_throttle.throttle.rates = {OP: 1000}      # everyone else: not limited here
    port = streaming_server.h2c_port
    end = [audio_event(b"")]
    status, _, _ = h2_exchange(port, signed_h2_headers(port, key=stack.KEY_B), end)
    assert status == 200
    status, headers, body = h2_exchange(port, signed_h2_headers(port, key=stack.KEY_B), end)
    assert status == 429
    assert headers["x-amzn-errortype"].split(":")[0] == "LimitExceededException"
    assert headers["x-amzn-request-id"]
    assert "exceeded your rate of 0.01 StartStreamTranscription" in json.loads(body)["Message"]
    for _ in range(3):  # account A takes the operator-wide rate
        assert h2_exchange(port, signed_h2_headers(port), end)[0] == 200


def test_bad_parameters_take_no_token(streaming_server: StreamingServer, stream_throttle: Any) -> None:
    """Like the batch gateway, the rate is charged after the parameters are validated."""
    port = streaming_server.h2c_port
    for _ in range(4):
        status, headers, _ = h2_exchange(port, signed_h2_headers(port, **{"media-encoding": "wav"}), [])
        assert status == 400 and headers["x-amzn-errortype"].startswith("BadRequestException")
    end = [audio_event(b"")]
    assert [h2_exchange(port, signed_h2_headers(port), end)[0] for _ in range(3)] == [200, 200, 429]


def test_websocket_beyond_the_rate_gets_an_exception_event(streaming_server: StreamingServer,
                                                           stream_throttle: Any) -> None:
    def stream() -> list[tuple[dict[str, Any], dict[str, Any]]]:
        url = presigned_url(streaming_server, "ws", streaming_server.h2c_port)
        return asyncio.run(ws_stream(url, [audio_event(b"")]))

    for _ in range(2):
        assert all(h[":message-type"] == "event" for h, _ in stream())
    events = stream()
    assert [h[":message-type"] for h, _ in events] == ["exception"]
    assert events[0][0][":exception-type"] == "LimitExceededException"
    assert "StartStreamTranscription requests per second" in events[0][1]["Message"]
    # the HTTP/2 endpoint shares the account's bucket
    port = streaming_server.h2c_port
    assert h2_exchange(port, signed_h2_headers(port), [audio_event(b"")])[0] == 429
    metrics = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    assert 'harken_stream_sessions_total{outcome="throttled"}' in metrics
