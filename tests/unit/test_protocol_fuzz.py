"""Property tests of the JSON protocol layer without a server: whatever bytes arrive, parsing and
validation either accept them or raise an AWS error with a 4xx status; nothing else escapes."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.core.errors import AwsError
from services.protocol import json11
from services.shapes.validate import validate_request
from tests.support.fuzzing import any_json, hostile, shape_valid

OPS = ["StartTranscriptionJob", "CreateVocabulary", "CreateVocabularyFilter", "CreateLanguageModel",
       "ListTranscriptionJobs", "TagResource", "UpdateVocabulary", "GetTranscriptionJob"]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_then_validate(op: str, body: bytes) -> None:
    try:
        params = json11.parse_body(body)
        validate_request(op, params)
    except AwsError as err:
        assert 400 <= err.status < 500, err
        json.loads(json11.error_body(err))  # the error itself serialises


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(OPS))
def test_arbitrary_bytes(body: bytes, op: str) -> None:
    _parse_then_validate(op, body)


@FUZZ
@given(any_json, st.sampled_from(OPS))
def test_arbitrary_json_documents(doc: object, op: str) -> None:
    _parse_then_validate(op, json.dumps(doc).encode())


@FUZZ
@given(st.sampled_from(OPS).flatmap(lambda op: st.tuples(st.just(op), hostile(op) | shape_valid(op))))
def test_hostile_and_shape_valid_requests(case: tuple[str, dict[str, object]]) -> None:
    op, doc = case
    _parse_then_validate(op, json.dumps(doc).encode())


def test_pathological_documents() -> None:
    for body in (b"[" * 200_000, b'{"a":' * 100_000, b'{"MaxResults": 1' + b"0" * 5000 + b"}",
                 b'{"TranscriptionJobName": "\\ud800"}', b'{"x": NaN}', b'{"x": Infinity}', b"\xff\xfe{}",
                 b'{"TranscriptionJobName": "a", "TranscriptionJobName": "b"}'):
        _parse_then_validate("ListTranscriptionJobs", body)
        _parse_then_validate("GetTranscriptionJob", body)


def test_surrogates_are_refused_raw_or_escaped() -> None:
    """Lone surrogates cannot be stored as UTF-8 (Postgres, Redis, S3 keys): refused at parse time
    whether escaped or written as raw bytes, in every encoding JSON may arrive in."""
    import pytest

    from services.core.errors import SerializationException

    bodies = [b'{"TranscriptionJobName": "\\ud800"}',
              b'{"TranscriptionJobName": "a\xed\xa0\x80"}', b'{"TranscriptionJobName": "\xed\xbf\xbfz"}',
              b'{"x": ["\xed\xa0\xbd\xed\xb8\x80"]}',  # a surrogate pair as CESU-8: still not UTF-8
              '{"x": "\ud800"}'.encode("utf-16-le", "surrogatepass"),
              '{"x": "\udc00"}'.encode("utf-32", "surrogatepass")]
    for body in bodies:
        with pytest.raises(SerializationException):
            json11.parse_body(body)
    # Real non-BMP characters, raw or as an escaped pair, are fine.
    assert json11.parse_body('{"x": "🎙️"}'.encode()) == {"x": "🎙️"}
    assert json11.parse_body(b'{"x": "\\ud83c\\udf99"}') == {"x": "🎙"}
    assert json11.parse_body('{"x": "é"}'.encode("utf-16")) == {"x": "é"}


def test_an_error_message_echoing_a_lone_surrogate_still_serialises() -> None:
    from services.core.errors import BadRequestException

    body = json11.error_body(BadRequestException("Value '\udc80' at 'jobName' failed to satisfy constraint"))
    doc = json.loads(body)
    assert doc["__type"] == "BadRequestException" and doc["Message"].startswith("Value '\udc80'")
