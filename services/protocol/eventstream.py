"""The AWS event-stream binary codec (application/vnd.amazon.eventstream).

Owned here rather than borrowed from an SDK: the server needs both directions, the raw bytes of
each header (the event signature hashes the ``:date`` header exactly as received), and strict
limits so that a hostile or broken client gets an error, never a crash or an unbounded buffer.

Message layout (reference/transcribe-wire.md §3.3)::

    total_len u32 | headers_len u32 | prelude_crc u32 | headers | payload | message_crc u32
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = [
    "MAX_HEADERS_BYTES",
    "MAX_PAYLOAD_BYTES",
    "DecodeError",
    "HeaderValue",
    "Message",
    "MessageDecoder",
    "Timestamp",
    "encode_headers",
    "encode_message",
    "event_message",
    "exception_message",
]

PRELUDE_BYTES = 12
CRC_BYTES = 4
MIN_MESSAGE_BYTES = PRELUDE_BYTES + CRC_BYTES
#: Limits the AWS SDKs apply (amazon_transcribe/eventstream.py): headers 128 KiB, payload 16 MiB.
MAX_HEADERS_BYTES = 128 * 1024
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024

_BOOL_TRUE, _BOOL_FALSE, _BYTE, _SHORT, _INT, _LONG, _BYTES, _STRING, _TIMESTAMP, _UUID = range(10)


class DecodeError(ValueError):
    """The byte stream is not a valid event stream; the connection cannot continue."""


@dataclass(frozen=True)
class Timestamp:
    """A type-8 header value: milliseconds since the epoch (kept exact, not a lossy datetime)."""

    millis: int

    def as_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.millis / 1000, tz=UTC)


HeaderValue = bool | int | bytes | str | Timestamp | uuid.UUID


@dataclass
class Message:
    headers: dict[str, HeaderValue]
    payload: bytes
    #: Each header's encoded bytes as received, for signature checks that hash them verbatim.
    raw_headers: dict[str, bytes] = field(default_factory=dict)

    def header_str(self, name: str) -> str | None:
        value = self.headers.get(name)
        return value if isinstance(value, str) else None


# --------------------------------------------------------------------------- encoding


def _encode_header(name: str, value: HeaderValue | tuple[int, int]) -> bytes:
    raw_name = name.encode("utf-8")
    if not 0 < len(raw_name) < 256:
        raise ValueError(f"header name length out of range: {name!r}")
    out = struct.pack("!B", len(raw_name)) + raw_name
    if isinstance(value, tuple):  # (type id, int): an explicitly sized integer
        kind, number = value
        fmt = {_BYTE: "!b", _SHORT: "!h", _INT: "!i", _LONG: "!q"}[kind]
        return out + struct.pack("!B", kind) + struct.pack(fmt, number)
    if isinstance(value, bool):
        return out + struct.pack("!B", _BOOL_TRUE if value else _BOOL_FALSE)
    if isinstance(value, int):
        return out + struct.pack("!Bq", _LONG, value)
    if isinstance(value, Timestamp):
        return out + struct.pack("!Bq", _TIMESTAMP, value.millis)
    if isinstance(value, uuid.UUID):
        return out + struct.pack("!B", _UUID) + value.bytes
    if isinstance(value, bytes):
        if len(value) > 32767:
            raise ValueError("byte-array header value too long")
        return out + struct.pack("!BH", _BYTES, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        if len(raw) > 32767:
            raise ValueError("string header value too long")
        return out + struct.pack("!BH", _STRING, len(raw)) + raw
    raise TypeError(f"unsupported header value type {type(value).__name__}")


def encode_headers(headers: Mapping[str, HeaderValue | tuple[int, int]] | Iterable[tuple[str, HeaderValue]]
                   ) -> bytes:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return b"".join(_encode_header(name, value) for name, value in items)


def encode_message(headers: Mapping[str, HeaderValue | tuple[int, int]], payload: bytes = b"") -> bytes:
    raw_headers = encode_headers(headers)
    if len(raw_headers) > MAX_HEADERS_BYTES:
        raise ValueError("headers exceed 128 KiB")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ValueError("payload exceeds 16 MiB")
    total = PRELUDE_BYTES + len(raw_headers) + len(payload) + CRC_BYTES
    prelude = struct.pack("!II", total, len(raw_headers))
    prelude += struct.pack("!I", zlib.crc32(prelude))
    body = prelude + raw_headers + payload
    return body + struct.pack("!I", zlib.crc32(body))


def event_message(event_type: str, payload: bytes, content_type: str = "application/json") -> bytes:
    return encode_message({":event-type": event_type, ":content-type": content_type,
                           ":message-type": "event"}, payload)


def exception_message(exception_type: str, payload: bytes) -> bytes:
    return encode_message({":exception-type": exception_type, ":content-type": "application/json",
                           ":message-type": "exception"}, payload)


# --------------------------------------------------------------------------- decoding


def _decode_headers(raw: bytes) -> tuple[dict[str, HeaderValue], dict[str, bytes]]:
    headers: dict[str, HeaderValue] = {}
    spans: dict[str, bytes] = {}
    pos = 0
    end = len(raw)

    def take(n: int) -> bytes:
        nonlocal pos
        if pos + n > end:
            raise DecodeError("header runs past the end of the header block")
        chunk = raw[pos:pos + n]
        pos += n
        return chunk

    while pos < end:
        start = pos
        name_len = take(1)[0]
        if name_len == 0:
            raise DecodeError("empty header name")
        try:
            name = take(name_len).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecodeError("header name is not UTF-8") from exc
        kind = take(1)[0]
        value: HeaderValue
        if kind == _BOOL_TRUE:
            value = True
        elif kind == _BOOL_FALSE:
            value = False
        elif kind == _BYTE:
            value = struct.unpack("!b", take(1))[0]
        elif kind == _SHORT:
            value = struct.unpack("!h", take(2))[0]
        elif kind == _INT:
            value = struct.unpack("!i", take(4))[0]
        elif kind == _LONG:
            value = struct.unpack("!q", take(8))[0]
        elif kind in (_BYTES, _STRING):
            length = struct.unpack("!H", take(2))[0]
            data = take(length)
            if kind == _BYTES:
                value = data
            else:
                try:
                    value = data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise DecodeError(f"header {name!r} is not UTF-8") from exc
        elif kind == _TIMESTAMP:
            value = Timestamp(struct.unpack("!q", take(8))[0])
        elif kind == _UUID:
            value = uuid.UUID(bytes=take(16))
        else:
            raise DecodeError(f"unknown header value type {kind}")
        if name in headers:
            raise DecodeError(f"duplicate header {name!r}")
        headers[name] = value
        spans[name] = raw[start:pos]
    return headers, spans


def decode_message(data: bytes) -> Message:
    """Decode exactly one complete message."""
    messages = list(MessageDecoder().feed(data))
    if len(messages) != 1:
        raise DecodeError("expected exactly one message")
    return messages[0]


class MessageDecoder:
    """Incremental decoder: feed bytes as they arrive (messages may span transport frames)."""

    def __init__(self, max_payload: int = MAX_PAYLOAD_BYTES) -> None:
        self._buffer = bytearray()
        self._max_total = PRELUDE_BYTES + MAX_HEADERS_BYTES + max_payload + CRC_BYTES
        self._max_payload = max_payload

    @property
    def pending(self) -> int:
        """Bytes of a message not yet complete (non-zero at end of stream means truncation)."""
        return len(self._buffer)

    def feed(self, data: bytes) -> Iterator[Message]:
        self._buffer += data
        while len(self._buffer) >= PRELUDE_BYTES:
            total, headers_len, prelude_crc = struct.unpack_from("!III", self._buffer, 0)
            if zlib.crc32(self._buffer[:8]) != prelude_crc:
                raise DecodeError("prelude checksum mismatch")
            if headers_len > MAX_HEADERS_BYTES:
                raise DecodeError("headers exceed 128 KiB")
            if total < MIN_MESSAGE_BYTES + headers_len:
                raise DecodeError("message length smaller than its headers")
            if total - MIN_MESSAGE_BYTES - headers_len > self._max_payload or total > self._max_total:
                raise DecodeError("payload exceeds the maximum size")
            if len(self._buffer) < total:
                return
            frame = bytes(self._buffer[:total])
            del self._buffer[:total]
            (message_crc,) = struct.unpack_from("!I", frame, total - CRC_BYTES)
            if zlib.crc32(frame[:total - CRC_BYTES]) != message_crc:
                raise DecodeError("message checksum mismatch")
            raw_headers = frame[PRELUDE_BYTES:PRELUDE_BYTES + headers_len]
            headers, spans = _decode_headers(raw_headers)
            yield Message(headers, frame[PRELUDE_BYTES + headers_len:total - CRC_BYTES], spans)
