"""AWS JSON 1.1 bodies: parse requests, serialise results and errors.

Timestamps go out as epoch seconds (JSON numbers); members that are None are omitted, as AWS
omits absent members.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from typing import Any

from services.core.clock import epoch
from services.core.errors import AwsError, SerializationException

CONTENT_TYPE = "application/x-amz-json-1.1"
ACCEPTED_CONTENT_TYPES = ("application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json")


def parse_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        # json.loads(body, parse_constant=...) would build a decoder per call; this is the same
        # decoding (encoding detection included) with one decoder. Strict, unlike json.loads's
        # "surrogatepass": surrogate code points written as raw bytes (b"\xed\xa0\x80" in UTF-8,
        # lone ones in UTF-16/32) are not text; let through, they failed later as a 500 (an error
        # message echoing them cannot even be encoded) or in Postgres.
        data = _DECODER.decode(body.decode(json.detect_encoding(body)))
        if b"\\u" in body:  # escapes can spell lone surrogates, which no UTF-8 store accepts
            json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError and over-long integers; RecursionError, deep nesting
        raise SerializationException(f"Request body is not valid JSON: {str(exc)[:200]}") from None
    if not isinstance(data, dict):
        raise SerializationException("Request body must be a JSON object")
    return data


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (Python accepts them by default)."""
    raise ValueError(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


#: Values that serialise as they are; checked by exact type first because a List response holds
#: hundreds of them and this runs on every one.
_PLAIN = frozenset({str, int, float, bool})


def _clean(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k: v if type(v) in _PLAIN else _clean(v) for k, v in value.items() if v is not None}
    if kind is list:
        return [v if type(v) in _PLAIN else _clean(v) for v in value]
    if kind is datetime:
        return epoch(value)
    # subclasses (and tuples, enums): the general checks
    if isinstance(value, dict):
        return {k: v if type(v) in _PLAIN else _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [v if type(v) in _PLAIN else _clean(v) for v in value]
    if isinstance(value, datetime):
        return epoch(value)
    if isinstance(value, Enum):
        return value.value
    return value


def encode(result: dict[str, Any]) -> bytes:
    return json.dumps(_clean(result), separators=(",", ":"), ensure_ascii=False).encode()


def error_body(err: AwsError) -> bytes:
    """The error document. A message that echoes a value UTF-8 cannot carry (a lone surrogate from
    a hostile request) is written with JSON escapes instead, so the error itself never fails."""
    doc = {"__type": err.code, err.message_key: err.message}
    try:
        return json.dumps(doc, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(doc).encode()
