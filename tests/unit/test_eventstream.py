"""The event-stream codec against two independent implementations (botocore, amazon-transcribe), and
property-based fuzzing: whatever bytes arrive, the decoder yields messages or raises DecodeError
(which the server turns into an exception event and a clean close), never anything else."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
import zlib

import pytest
from amazon_transcribe.eventstream import EventStreamMessageSerializer
from botocore.eventstream import EventStreamBuffer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.protocol import eventstream as es


def test_encoded_messages_decode_with_botocore() -> None:
    raw = es.encode_message({":message-type": "event", "flag": True, "off": False, "n": (es._BYTE, -3),
                             "s": (es._SHORT, 300), "i": (es._INT, -70000), "l": 1 << 40,
                             "b": b"\x00\x01", "t": es.Timestamp(1_700_000_000_123),
                             "u": uuid.UUID(int=5)}, b"payload")
    buf = EventStreamBuffer()
    buf.add_data(raw)
    (msg,) = list(buf)
    assert msg.payload == b"payload"
    assert msg.headers[":message-type"] == "event"
    assert msg.headers["flag"] is True and msg.headers["off"] is False
    assert msg.headers["n"] == -3 and msg.headers["s"] == 300 and msg.headers["i"] == -70000
    assert msg.headers["l"] == 1 << 40 and msg.headers["b"] == b"\x00\x01"
    assert msg.headers["t"] == 1_700_000_000_123
    assert msg.headers["u"] == uuid.UUID(int=5).bytes


def test_sdk_serialized_envelopes_decode_byte_exact() -> None:
    ser = EventStreamMessageSerializer()
    inner = ser.serialize({":message-type": "event", ":event-type": "AudioEvent",
                           ":content-type": "application/octet-stream"}, b"\x01\x02\x03\x04")
    when = dt.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC)
    envelope = ser.serialize({":date": when, ":chunk-signature": b"\xaa" * 32}, inner)
    (msg,) = list(es.MessageDecoder().feed(envelope))
    assert msg.headers[":date"] == es.Timestamp(int(when.timestamp() * 1000))
    assert msg.headers[":chunk-signature"] == b"\xaa" * 32
    assert msg.raw_headers[":date"] == b"\x05:date\x08" + int(when.timestamp() * 1000).to_bytes(8, "big")
    audio = es.decode_message(msg.payload)
    assert audio.payload == b"\x01\x02\x03\x04" and audio.header_str(":event-type") == "AudioEvent"
    # and our encoder produces the SDK's bytes
    assert es.encode_message({":message-type": "event", ":event-type": "AudioEvent",
                              ":content-type": "application/octet-stream"}, b"\x01\x02\x03\x04") == inner


def test_split_feeding_and_multiple_messages() -> None:
    a, b = es.event_message("TranscriptEvent", b"{}"), es.exception_message("BadRequestException", b'{"Message":"x"}')
    data = a + b
    dec = es.MessageDecoder()
    got = []
    for i in range(len(data)):
        got += list(dec.feed(data[i:i + 1]))
    assert [m.header_str(":message-type") for m in got] == ["event", "exception"]
    assert dec.pending == 0


@pytest.mark.parametrize("mutate, error", [
    (lambda m: m[:8] + b"\0\0\0\0" + m[12:], "prelude checksum"),
    (lambda m: m[:-1] + bytes([m[-1] ^ 1]), "message checksum"),
    (lambda m: m[:20] + bytes([m[20] ^ 0x40]) + m[21:], "message checksum"),
])
def test_corruption_is_detected(mutate, error) -> None:  # type: ignore[no-untyped-def]
    msg = es.event_message("AudioEvent", b"\0" * 100)
    with pytest.raises(es.DecodeError, match=error):
        list(es.MessageDecoder().feed(mutate(msg)))


def _framed(total: int, headers_len: int, rest: bytes) -> bytes:
    prelude = total.to_bytes(4, "big") + headers_len.to_bytes(4, "big")
    prelude += zlib.crc32(prelude).to_bytes(4, "big")
    body = prelude + rest
    return body + zlib.crc32(body).to_bytes(4, "big")


def test_limits_and_malformed_headers() -> None:
    with pytest.raises(es.DecodeError, match="headers exceed"):
        list(es.MessageDecoder().feed(_framed(200_000, 140_000, b"")))
    with pytest.raises(es.DecodeError, match="payload exceeds"):
        list(es.MessageDecoder(max_payload=10).feed(_framed(16 + 50, 0, b"\0" * 50)))
    with pytest.raises(es.DecodeError, match="smaller than its headers"):
        list(es.MessageDecoder().feed(_framed(16, 8, b"")))
    bad_type = b"\x01a\x0f"  # type 15 does not exist
    with pytest.raises(es.DecodeError, match="unknown header value type"):
        list(es.MessageDecoder().feed(_framed(16 + len(bad_type), len(bad_type), bad_type)))
    runs_past = b"\x01a\x07\x00\x10ab"  # string claims 16 bytes, has 2
    with pytest.raises(es.DecodeError, match="runs past"):
        list(es.MessageDecoder().feed(_framed(16 + len(runs_past), len(runs_past), runs_past)))
    dup = b"\x01a\x00\x01a\x01"
    with pytest.raises(es.DecodeError, match="duplicate"):
        list(es.MessageDecoder().feed(_framed(16 + len(dup), len(dup), dup)))


def test_random_corruption_only_ever_raises_decode_error() -> None:
    import random

    rng = random.Random(7)
    good = es.encode_message({":message-type": "event", ":event-type": "AudioEvent",
                              ":content-type": "application/octet-stream", "n": 5}, b"\x01" * 64)
    for _ in range(3000):
        data = bytearray(good * 2)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        cut = rng.randrange(len(data) + 1)
        dec = es.MessageDecoder()
        try:
            for chunk in (data[:cut], data[cut:]):
                list(dec.feed(bytes(chunk)))
        except es.DecodeError:
            pass
    for _ in range(500):
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
        with contextlib.suppress(es.DecodeError):
            list(es.MessageDecoder().feed(junk))


# --- property-based: whatever arrives, the decoder answers with messages or DecodeError ---------

_FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _feed_in_chunks(data: bytes, cuts: list[int]) -> list[es.Message]:
    dec, out, start = es.MessageDecoder(), [], 0
    for cut in [*sorted(c % (len(data) + 1) for c in cuts), len(data)]:
        out += list(dec.feed(data[start:cut]))
        start = cut
    return out


@_FUZZ
@given(data=st.binary(max_size=2048), cuts=st.lists(st.integers(0, 4096), max_size=6))
def test_arbitrary_bytes_in_arbitrary_chunks_never_crash_the_decoder(data: bytes, cuts: list[int]) -> None:
    with contextlib.suppress(es.DecodeError):
        _feed_in_chunks(data, cuts)


@_FUZZ
@given(headers=st.binary(max_size=400), payload=st.binary(max_size=300),
       cuts=st.lists(st.integers(0, 800), max_size=3))
def test_well_framed_messages_with_hostile_headers(headers: bytes, payload: bytes, cuts: list[int]) -> None:
    """Valid prelude and CRCs around arbitrary header bytes: the header parser itself is attacked."""
    frame = _framed(16 + len(headers) + len(payload), len(headers), headers + payload)
    try:
        messages = _feed_in_chunks(frame, cuts)
    except es.DecodeError:
        return
    assert len(messages) == 1 and messages[0].payload == payload


@_FUZZ
@given(name=st.text(min_size=1, max_size=40).filter(lambda s: len(s.encode()) < 256),
       value=st.one_of(st.booleans(), st.integers(-(2**31), 2**31 - 1), st.text(max_size=100),
                       st.binary(max_size=100)),
       payload=st.binary(max_size=500))
def test_any_encoded_message_round_trips(name: str, value: object, payload: bytes) -> None:
    message = _feed_in_chunks(es.encode_message({name: value}, payload), [])[0]  # type: ignore[dict-item]
    assert message.payload == payload and message.headers[name] == value
