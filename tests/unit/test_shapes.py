"""The generated module matches the pinned botocore model, and validation speaks Coral."""

from __future__ import annotations

import pytest

from services.core.errors import BadRequestException, SerializationException
from services.shapes import generate
from services.shapes.generated import ERRORS, OPERATIONS, LanguageCode
from services.shapes.validate import validate_request


def test_generated_module_is_current() -> None:
    assert generate.main(["--check"]) == 0


def test_model_facts() -> None:
    assert len(OPERATIONS) == 44
    assert ERRORS == {"BadRequestException": 400, "ConflictException": 409, "InternalFailureException": 500,
                      "LimitExceededException": 429, "NotFoundException": 404}
    assert LanguageCode("en-US") is LanguageCode.EN_US


@pytest.mark.parametrize(("params", "message"), [
    ({"TranscriptionJobName": "a b", "Media": {"MediaFileUri": "s3://b/k"}},
     "1 validation error detected: Value 'a b' at 'transcriptionJobName' failed to satisfy constraint: "
     "Member must satisfy regular expression pattern: ^[0-9a-zA-Z._-]+"),
    ({"TranscriptionJobName": "j", "Media": {"MediaFileUri": "s3://b/k"}, "Settings": {"MaxSpeakerLabels": 1}},
     "1 validation error detected: Value '1' at 'settings.maxSpeakerLabels' failed to satisfy constraint: "
     "Member must have value greater than or equal to 2"),
    ({"Media": {"MediaFileUri": "s3://b/k"}},
     "1 validation error detected: Value null at 'transcriptionJobName' failed to satisfy constraint: "
     "Member must not be null"),
    ({"TranscriptionJobName": "j", "Media": {"MediaFileUri": "s3://b/k"}, "Tags": [{"Key": "k"}]},
     "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: "
     "Member must not be null"),
    ({"TranscriptionJobName": "x" * 201, "Media": {"MediaFileUri": "s3://b/k"}, "MediaFormat": "aac"},
     "2 validation errors detected: Value '" + "x" * 201 + "' at 'transcriptionJobName' failed to satisfy "
     "constraint: Member must have length less than or equal to 200; Value 'aac' at 'mediaFormat' failed to "
     "satisfy constraint: Member must satisfy enum value set: [mp3, mp4, wav, flac, ogg, amr, webm, m4a]"),
])
def test_coral_messages(params: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(BadRequestException) as exc:
        validate_request("StartTranscriptionJob", params)
    assert exc.value.message == message


def test_type_errors_are_serialization_errors() -> None:
    with pytest.raises(SerializationException):
        validate_request("StartTranscriptionJob", {"TranscriptionJobName": 5, "Media": {}})
    with pytest.raises(SerializationException):
        validate_request("ListTranscriptionJobs", {"MaxResults": "ten"})


def test_valid_request_passes() -> None:
    validate_request("StartTranscriptionJob", {
        "TranscriptionJobName": "ok.name-1", "Media": {"MediaFileUri": "https://b.s3.amazonaws.com/k.wav"},
        "LanguageCode": "en-US", "Settings": {"ShowSpeakerLabels": True, "MaxSpeakerLabels": 3},
        "Subtitles": {"Formats": ["srt", "vtt"], "OutputStartIndex": 1}})
