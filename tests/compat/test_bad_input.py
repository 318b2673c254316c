"""Table-driven bad input: every constraint class of the model, malformed bodies and bad
signatures. Each request gets the exact AWS-style error, none a 500, and the database is unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from sqlalchemy import text

from services.db.base import Base
from services.db.session import get_engine
from tests.support import stack
from tests.support.signing import signed_post

J = "Transcribe.StartTranscriptionJob"
OK_MEDIA = {"MediaFileUri": "s3://customer-media/audio/en-gb.wav"}
V = "1 validation error detected: Value "


def _job(**kw: Any) -> bytes:
    body: dict[str, Any] = {"TranscriptionJobName": "bad-input", "Media": OK_MEDIA, "LanguageCode": "en-US"}
    body.update(kw)
    return json.dumps({k: v for k, v in body.items() if v is not None}).encode()


def _v(value: str, path: str, constraint: str) -> str:
    shown = "null" if value == "null" else f"'{value}'"
    return f"{V}{shown} at '{path}' failed to satisfy constraint: {constraint}"


NAME_PATTERN = "Member must satisfy regular expression pattern: ^[0-9a-zA-Z._-]+"
LEN_GE1 = "Member must have length greater than or equal to 1"

# (id, target, body, status, error code, exact message or None for prefix-only check, message prefix)
CASES: list[tuple[str, str | None, bytes, int, str, str]] = [
    # --- required members -----------------------------------------------------------------------
    ("missing-name", J, json.dumps({"Media": OK_MEDIA, "LanguageCode": "en-US"}).encode(), 400,
     "BadRequestException", _v("null", "transcriptionJobName", "Member must not be null")),
    ("missing-media", J, json.dumps({"TranscriptionJobName": "x", "LanguageCode": "en-US"}).encode(), 400,
     "BadRequestException", _v("null", "media", "Member must not be null")),
    ("get-missing-name", "Transcribe.GetTranscriptionJob", b"{}", 400, "BadRequestException",
     _v("null", "transcriptionJobName", "Member must not be null")),
    ("vocab-missing-lang", "Transcribe.CreateVocabulary", b'{"VocabularyName":"v","Phrases":["a"]}', 400,
     "BadRequestException", _v("null", "languageCode", "Member must not be null")),
    ("tag-missing-tags", "Transcribe.TagResource",
     b'{"ResourceArn":"arn:aws:transcribe:us-east-1:111122223333:transcription-job/x"}', 400,
     "BadRequestException", _v("null", "tags", "Member must not be null")),
    ("tag-missing-value", "Transcribe.TagResource",
     b'{"ResourceArn":"arn:aws:transcribe:us-east-1:111122223333:transcription-job/x","Tags":[{"Key":"k"}]}',
     400, "BadRequestException", _v("null", "tags.1.member.value", "Member must not be null")),
    # --- string length ---------------------------------------------------------------------------
    ("name-empty", J, _job(TranscriptionJobName=""), 400, "BadRequestException",
     "2 validation errors detected: Value '' at 'transcriptionJobName' failed to satisfy constraint: "
     f"{LEN_GE1}; Value '' at 'transcriptionJobName' failed to satisfy constraint: {NAME_PATTERN}"),
    ("name-too-long", J, _job(TranscriptionJobName="n" * 201), 400, "BadRequestException",
     _v("n" * 201, "transcriptionJobName", "Member must have length less than or equal to 200")),
    ("uri-too-long", J, _job(Media={"MediaFileUri": "s3://b/" + "k" * 2000}), 400, "BadRequestException",
     _v("s3://b/" + "k" * 2000, "media.mediaFileUri", "Member must have length less than or equal to 2000")),
    ("output-key-too-long", J, _job(OutputBucketName="bkt", OutputKey="k" * 1025), 400, "BadRequestException",
     "2 validation errors detected: Value '" + "k" * 1025 + "' at 'outputKey' failed to satisfy constraint: "
     "Member must have length less than or equal to 1024; Value '" + "k" * 1025 + "' at 'outputKey' failed to "
     "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_.!*'()/]{1,1024}$"),
    ("bucket-too-long", J, _job(OutputBucketName="b" * 65), 400, "BadRequestException",
     "2 validation errors detected: Value '" + "b" * 65 + "' at 'outputBucketName' failed to satisfy "
     "constraint: Member must have length less than or equal to 64; Value '" + "b" * 65 + "' at "
     "'outputBucketName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
     "[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9]"),
    ("tag-key-too-long", J, _job(Tags=[{"Key": "k" * 129, "Value": "v"}]), 400, "BadRequestException",
     _v("k" * 129, "tags.1.member.key", "Member must have length less than or equal to 128")),
    ("tag-value-too-long", J, _job(Tags=[{"Key": "k", "Value": "v" * 257}]), 400, "BadRequestException",
     _v("v" * 257, "tags.1.member.value", "Member must have length less than or equal to 256")),
    ("role-too-short", J, _job(JobExecutionSettings={"AllowDeferredExecution": True, "DataAccessRoleArn": "arn"}),
     400, "BadRequestException", "2 validation errors detected: Value 'arn' at "
     "'jobExecutionSettings.dataAccessRoleArn' failed to satisfy constraint: Member must have length greater "
     "than or equal to 20; Value 'arn' at 'jobExecutionSettings.dataAccessRoleArn' failed to satisfy "
     "constraint: Member must satisfy regular expression pattern: ^arn:(aws|aws-cn|aws-us-gov|aws-iso-{0,1}"
     "[a-z]{0,1}):iam::[0-9]{0,63}:role/[A-Za-z0-9:_/+=,@.-]{0,1024}$"),
    # --- list / map sizes --------------------------------------------------------------------------
    ("tags-empty", J, _job(Tags=[]), 400, "BadRequestException", _v("[]", "tags", LEN_GE1)),
    ("tags-too-many", J, _job(Tags=[{"Key": f"k{i}", "Value": ""} for i in range(201)]), 400,
     "BadRequestException", None),
    ("language-options-empty", J, _job(LanguageCode=None, IdentifyLanguage=True, LanguageOptions=[]), 400,
     "BadRequestException", _v("[]", "languageOptions", LEN_GE1)),
    ("kms-context-empty", J, _job(OutputBucketName="bkt", OutputEncryptionKMSKeyId="k", KMSEncryptionContext={}),
     400, "BadRequestException", _v("{}", "kMSEncryptionContext", LEN_GE1)),
    ("phrases-empty", "Transcribe.CreateVocabulary", b'{"VocabularyName":"v","LanguageCode":"en-US","Phrases":[]}',
     400, "BadRequestException", _v("[]", "phrases", LEN_GE1)),
    ("untag-keys-empty", "Transcribe.UntagResource",
     b'{"ResourceArn":"arn:aws:transcribe:us-east-1:111122223333:transcription-job/x","TagKeys":[]}', 400,
     "BadRequestException", _v("[]", "tagKeys", LEN_GE1)),
    # --- patterns ---------------------------------------------------------------------------------
    ("name-space", J, _job(TranscriptionJobName="has space"), 400, "BadRequestException",
     _v("has space", "transcriptionJobName", NAME_PATTERN)),
    ("name-slash", J, _job(TranscriptionJobName="a/b"), 400, "BadRequestException",
     _v("a/b", "transcriptionJobName", NAME_PATTERN)),
    ("uri-ftp", J, _job(Media={"MediaFileUri": "ftp://host/x.wav"}), 400, "BadRequestException",
     _v("ftp://host/x.wav", "media.mediaFileUri", "Member must satisfy regular expression pattern: "
        "(s3://|http(s*)://).+")),
    ("bucket-uppercase", J, _job(OutputBucketName="MyBucket"), 400, "BadRequestException",
     _v("MyBucket", "outputBucketName", "Member must satisfy regular expression pattern: "
        "[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9]")),
    ("output-key-bad-char", J, _job(OutputBucketName="bkt", OutputKey="a b.json"), 400, "BadRequestException",
     _v("a b.json", "outputKey", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_.!*'()/]{1,1024}$")),
    ("kms-key-bad", J, _job(OutputBucketName="bkt", OutputEncryptionKMSKeyId="-bad key"), 400,
     "BadRequestException", _v("-bad key", "outputEncryptionKMSKeyId", "Member must satisfy regular "
                               "expression pattern: ^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$")),
    ("vocab-name-pattern", J, _job(Settings={"VocabularyName": "bad name"}), 400, "BadRequestException",
     _v("bad name", "settings.vocabularyName", NAME_PATTERN)),
    ("lm-name-pattern", J, _job(ModelSettings={"LanguageModelName": "bad!"}), 400, "BadRequestException",
     _v("bad!", "modelSettings.languageModelName", NAME_PATTERN)),
    ("list-contains-pattern", "Transcribe.ListTranscriptionJobs", b'{"JobNameContains":"a b"}', 400,
     "BadRequestException", _v("a b", "jobNameContains", NAME_PATTERN)),
    ("arn-bad", "Transcribe.ListTagsForResource", b'{"ResourceArn":"not-an-arn"}', 400, "BadRequestException",
     _v("not-an-arn", "resourceArn", "Member must satisfy regular expression pattern: "
        "arn:aws(-[^:]+)?:transcribe:[a-zA-Z0-9-]*:[0-9]{12}:[a-zA-Z-]*/[0-9a-zA-Z._-]+")),
    # --- enums ------------------------------------------------------------------------------------
    ("language-enum", J, _job(LanguageCode="en-XX"), 400, "BadRequestException", None),
    ("format-enum", J, _job(MediaFormat="aac"), 400, "BadRequestException",
     _v("aac", "mediaFormat", "Member must satisfy enum value set: [mp3, mp4, wav, flac, ogg, amr, webm, m4a]")),
    ("filter-method-enum", J, _job(Settings={"VocabularyFilterName": "f", "VocabularyFilterMethod": "blank"}), 400,
     "BadRequestException", _v("blank", "settings.vocabularyFilterMethod",
                               "Member must satisfy enum value set: [remove, mask, tag]")),
    ("redaction-type-enum", J, _job(ContentRedaction={"RedactionType": "PHI", "RedactionOutput": "redacted"}),
     400, "BadRequestException", _v("PHI", "contentRedaction.redactionType", "Member must satisfy enum value set: "
                                    "[PII]")),
    ("subtitle-format-enum", J, _job(Subtitles={"Formats": ["ass"]}), 400, "BadRequestException",
     _v("ass", "subtitles.formats.1.member", "Member must satisfy enum value set: [vtt, srt]")),
    ("status-enum", "Transcribe.ListTranscriptionJobs", b'{"Status":"DONE"}', 400, "BadRequestException",
     _v("DONE", "status", "Member must satisfy enum value set: [QUEUED, IN_PROGRESS, FAILED, COMPLETED]")),
    ("pii-type-enum", J, _job(ContentRedaction={"RedactionType": "PII", "RedactionOutput": "redacted",
                                                 "PiiEntityTypes": ["SSN_FULL"]}), 400, "BadRequestException", None),
    # --- numeric ranges ---------------------------------------------------------------------------
    ("rate-low", J, _job(MediaSampleRateHertz=7999), 400, "BadRequestException",
     _v("7999", "mediaSampleRateHertz", "Member must have value greater than or equal to 8000")),
    ("rate-high", J, _job(MediaSampleRateHertz=48001), 400, "BadRequestException",
     _v("48001", "mediaSampleRateHertz", "Member must have value less than or equal to 48000")),
    ("speakers-high", J, _job(Settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 31}), 400,
     "BadRequestException", _v("31", "settings.maxSpeakerLabels", "Member must have value less than or equal to 30")),
    ("alternatives-low", J, _job(Settings={"ShowAlternatives": True, "MaxAlternatives": 1}), 400,
     "BadRequestException", _v("1", "settings.maxAlternatives", "Member must have value greater than or equal to 2")),
    ("start-index", J, _job(Subtitles={"Formats": ["srt"], "OutputStartIndex": 2}), 400, "BadRequestException",
     _v("2", "subtitles.outputStartIndex", "Member must have value less than or equal to 1")),
    ("max-results-0", "Transcribe.ListTranscriptionJobs", b'{"MaxResults":0}', 400, "BadRequestException",
     _v("0", "maxResults", "Member must have value greater than or equal to 1")),
    ("max-results-101", "Transcribe.ListVocabularies", b'{"MaxResults":101}', 400, "BadRequestException",
     _v("101", "maxResults", "Member must have value less than or equal to 100")),
    # --- cross-field rules --------------------------------------------------------------------------
    ("no-language", J, _job(LanguageCode=None), 400, "BadRequestException",
     "The language code is missing. Either add a language code or turn on language identification."),
    ("speakers-and-channels", J, _job(Settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2,
                                                "ChannelIdentification": True}), 400, "BadRequestException",
     "You can't specify both ShowSpeakerLabels and ChannelIdentification in the same request. Choose one."),
    ("output-key-no-bucket", J, _job(OutputKey="k.json"), 400, "BadRequestException",
     "To use OutputKey, you must also specify OutputBucketName."),
    ("deferred-no-role", J, _job(JobExecutionSettings={"AllowDeferredExecution": True}), 400,
     "BadRequestException", "When AllowDeferredExecution is true, you must also specify DataAccessRoleArn."),
    ("media-not-s3", J, _job(Media={"MediaFileUri": "https://example.com/a.wav"}), 400, "BadRequestException",
     "The S3 URI https://example.com/a.wav isn't valid. Specify the media file as s3://bucket/key or as an "
     "https Amazon S3 URL."),
    ("s3-uri-no-key", J, _job(Media={"MediaFileUri": "s3://bucket-only"}), 400, "BadRequestException",
     "The S3 URI s3://bucket-only isn't valid. Specify the media file as s3://bucket/key or as an https Amazon "
     "S3 URL."),
    # --- types and malformed bodies -------------------------------------------------------------------
    ("name-number", J, b'{"TranscriptionJobName":5,"Media":{}}', 400, "SerializationException", None),
    ("rate-string", J, _job(MediaSampleRateHertz="8000"), 400, "SerializationException", None),
    ("bool-string", J, _job(IdentifyLanguage="yes", LanguageCode=None), 400, "SerializationException", None),
    ("media-list", J, _job(Media=["s3://b/k"]), 400, "SerializationException", None),
    ("body-not-json", J, b"{not json", 400, "SerializationException", None),
    ("body-array", J, b"[1,2]", 400, "SerializationException", "Request body must be a JSON object"),
    ("body-bad-utf8", J, b'{"TranscriptionJobName":"\xff"}', 400, "SerializationException", None),
    # --- protocol --------------------------------------------------------------------------------------
    ("no-target", None, b"{}", 400, "UnknownOperationException",
     "Missing X-Amz-Target header: cannot determine the operation."),
    ("wrong-prefix", "Comprehend.DetectSentiment", b"{}", 400, "UnknownOperationException",
     "The operation 'Comprehend.DetectSentiment' is not recognized by this service."),
    ("unknown-op", "Transcribe.StartTranscriptionJobs", b"{}", 400, "UnknownOperationException", None),
]


def _snapshot() -> str:
    digest = hashlib.sha256()
    with get_engine().connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(text(f"SELECT * FROM {table.name} ORDER BY 1")).fetchall()
            digest.update(repr(rows).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def seeded(gateway: stack.ServerThread) -> str:
    """An existing job so 'unchanged' is checked against a non-empty database."""
    r = signed_post(gateway.url, J, _job(TranscriptionJobName="seed-job"), stack.KEY_A)
    assert r.status_code in (200, 409)
    return _snapshot()


def test_at_least_fifty_cases() -> None:
    assert len(CASES) + len(AUTH_CASES) >= 50


@pytest.mark.parametrize(("target", "body", "status", "code", "message"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_request(gateway: stack.ServerThread, seeded: str, target: str | None, body: bytes, status: int,
                     code: str, message: str | None) -> None:
    r = signed_post(gateway.url, target, body, stack.KEY_A)
    assert r.status_code == status, r.text
    payload = r.json()
    assert payload["__type"] == code
    assert r.headers["x-amzn-ErrorType"] == code
    assert r.headers["x-amzn-RequestId"]
    if message is not None:
        assert payload["Message"] == message
    else:
        assert payload["Message"]
    assert _snapshot() == seeded


AUTH_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("unknown-key", {"key": ("AKIDUNKNOWN000000000", "whatever")}, 403, "UnrecognizedClientException"),
    ("wrong-secret", {"key": (stack.KEY_A[0], "not-the-secret")}, 403, "InvalidSignatureException"),
    ("tampered-body", {"tamper": True}, 403, "InvalidSignatureException"),
    ("expired", {"when": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)}, 403, "InvalidSignatureException"),
    ("future", {"when": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)}, 403, "InvalidSignatureException"),
    ("wrong-service", {"service": "s3"}, 403, "InvalidSignatureException"),
]


@pytest.mark.parametrize(("kwargs", "status", "code"), [c[1:] for c in AUTH_CASES], ids=[c[0] for c in AUTH_CASES])
def test_bad_signature(gateway: stack.ServerThread, seeded: str, kwargs: dict[str, Any], status: int,
                       code: str) -> None:
    kwargs = dict(kwargs)
    key = kwargs.pop("key", stack.KEY_A)
    r = signed_post(gateway.url, J, _job(TranscriptionJobName="auth-case"), key, **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["__type"] == code
    assert r.json()["message"]
    assert _snapshot() == seeded


def test_unsigned_request(gateway: stack.ServerThread, seeded: str) -> None:
    import httpx

    r = httpx.post(gateway.url + "/", content=_job(), headers={"X-Amz-Target": J,
                                                               "Content-Type": "application/x-amz-json-1.1"})
    assert r.status_code == 403 and r.json()["__type"] == "MissingAuthenticationTokenException"
    assert _snapshot() == seeded


def test_wrong_content_type(gateway: stack.ServerThread, seeded: str) -> None:
    r = signed_post(gateway.url, J, _job(), stack.KEY_A, content_type="text/plain")
    assert r.status_code == 400 and r.json()["__type"] == "SerializationException"
    assert "application/x-amz-json-1.1" in r.json()["Message"]
    assert _snapshot() == seeded


def test_oversized_body(gateway: stack.ServerThread, seeded: str) -> None:
    r = signed_post(gateway.url, J, b'{"x":"' + b"a" * 1_100_000 + b'"}', stack.KEY_A)
    assert r.status_code == 413 and r.json()["__type"] == "RequestEntityTooLargeException"
    assert _snapshot() == seeded


def test_boto3_sees_the_modeled_exception(transcribe: Any) -> None:
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.start_transcription_job(TranscriptionJobName="bad name", Media=OK_MEDIA, LanguageCode="en-US")
    assert exc.value.response["Error"]["Message"] == _v("bad name", "transcriptionJobName", NAME_PATTERN)
