"""Property tests through the running gateway (real Postgres, Redis, S3): arbitrary bytes, arbitrary
JSON and shape-valid-but-hostile requests, correctly signed, for every operation Harken serves.
Every answer is an AWS error or a success, in time; never a 500, never a hang."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.protocol.dispatch import HANDLERS, load_handlers
from tests.support import stack
from tests.support.celery_worker import routed_queue
from tests.support.fuzzing import any_json, hostile, shape_valid
from tests.support.signing import signed_post

load_handlers()
SERVED = sorted(HANDLERS)
#: Kept small for the default suite (each example is a signed HTTP round trip on a loaded machine);
#: HARKEN_FUZZ_EXAMPLES=2000 runs a long campaign (docs/security.md).
EXAMPLES = int(os.environ.get("HARKEN_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def private_queue(harken_env: dict[str, str]) -> Iterator[str]:
    """Jobs the fuzzer starts go to a queue no worker reads, and are dropped afterwards."""
    with routed_queue("fuzz") as queue:
        yield queue


def _check(response: httpx.Response) -> None:
    assert response.status_code != 500, response.text
    assert response.status_code < 500 or response.status_code == 501, response.text
    assert response.headers.get("x-amzn-RequestId")
    body = response.json()
    if response.status_code >= 400:
        assert isinstance(body.get("__type"), str) and body["__type"] == response.headers["x-amzn-ErrorType"]
        assert isinstance(body.get("Message", body.get("message")), str)


def _send(gateway: Any, op: str, body: bytes) -> None:
    try:
        _check(signed_post(gateway.url, f"Transcribe.{op}", body, stack.KEY_A))
    except httpx.TimeoutException:  # pragma: no cover - the failure this test exists to catch
        pytest.fail(f"{op} hung on {body[:200]!r}")


@FUZZ
@given(op=st.sampled_from(SERVED), body=st.binary(max_size=3000))
def test_arbitrary_bytes(gateway: Any, private_queue: str, op: str, body: bytes) -> None:
    _send(gateway, op, body)


@FUZZ
@given(op=st.sampled_from(SERVED), doc=any_json)
def test_arbitrary_json(gateway: Any, private_queue: str, op: str, doc: Any) -> None:
    _send(gateway, op, json.dumps(doc).encode())


@FUZZ
@given(case=st.sampled_from(SERVED).flatmap(lambda op: st.tuples(st.just(op), shape_valid(op) | hostile(op))))
def test_shape_valid_and_hostile_requests(gateway: Any, private_queue: str, case: tuple[str, dict[str, Any]]) -> None:
    op, doc = case
    _send(gateway, op, json.dumps(doc).encode())


def test_unsigned_and_odd_targets(gateway: Any) -> None:
    for target in ("Transcribe.", "Transcribe.Nope", "X" * 5000, "transcribe.startTranscriptionJob"):
        _check(signed_post(gateway.url, target, b"{}", stack.KEY_A))
    r = httpx.post(gateway.url + "/", content=b"{}", headers={"X-Amz-Target": "Transcribe.ListVocabularies"})
    _check(r)
    assert r.status_code == 403


RAW_SURROGATES = [b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xed\xa0\xbd\xed\xb8\x80"]  # U+D800, U+DFFF, a CESU pair


@pytest.mark.parametrize("raw", RAW_SURROGATES)
def test_raw_surrogate_bytes_are_a_serialization_error(gateway: Any, private_queue: str, raw: bytes) -> None:
    """Surrogate code points written as raw (CESU-8 style) bytes inside a JSON string are not UTF-8;
    they are refused like the escaped ``\\ud800`` form (SerializationException), never reaching
    Postgres or Redis (where they were a 500)."""
    bodies = {
        "GetTranscriptionJob": b'{"TranscriptionJobName": "a' + raw + b'"}',
        "StartTranscriptionJob": b'{"TranscriptionJobName": "s' + raw + b'", "LanguageCode": "en-US", '
                                 b'"Media": {"MediaFileUri": "s3://harken-test-media/a.wav"}}',
        "ListTranscriptionJobs": b'{"JobNameContains": "' + raw + b'"}',
        "CreateVocabulary": b'{"VocabularyName": "v", "LanguageCode": "en-US", "Phrases": ["x' + raw + b'"]}',
    }
    for op, body in bodies.items():
        r = signed_post(gateway.url, f"Transcribe.{op}", body, stack.KEY_A)
        _check(r)
        assert r.status_code == 400 and r.json()["__type"] == "SerializationException", (op, r.text)
    escaped = signed_post(gateway.url, "Transcribe.GetTranscriptionJob", b'{"TranscriptionJobName": "a\\ud800"}',
                          stack.KEY_A)
    assert escaped.status_code == 400 and escaped.json()["__type"] == "SerializationException"
