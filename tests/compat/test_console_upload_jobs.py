"""Jobs on media uploaded through the console, through boto3: the service bucket is off limits to
every job except an account's own console uploads (where the console puts files by default)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.transcribe.admission import S3_UNREADABLE
from tests.support import stack

SERVICE = "harken-service"


def test_own_console_upload_is_accepted_others_are_not(transcribe: Any, transcribe_b: Any, s3: Any,
                                                       media_bucket: str, clean_db: None) -> None:
    key = f"console-uploads/{stack.ACCOUNT_B}/{uuid.uuid4().hex}/call.wav"
    s3.copy_object(Bucket=SERVICE, Key=key, CopySource={"Bucket": media_bucket, "Key": "audio/en-gb.wav"})
    uri = f"s3://{SERVICE}/{key}"
    # account A names B's upload: refused as AWS refuses media it cannot read
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.start_transcription_job(TranscriptionJobName="steal", LanguageCode="en-US",
                                           Media={"MediaFileUri": uri})
    assert exc.value.response["Error"]["Message"] == S3_UNREADABLE
    # nor may anyone point a job at the rest of the service bucket
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.start_transcription_job(TranscriptionJobName="outputs", LanguageCode="en-US",
                                             Media={"MediaFileUri": f"s3://{SERVICE}/{stack.ACCOUNT_B}/x.json"})
    # B's own upload starts
    job = transcribe_b.start_transcription_job(TranscriptionJobName="mine", LanguageCode="en-US",
                                               Media={"MediaFileUri": uri})["TranscriptionJob"]
    assert job["TranscriptionJobStatus"] in ("QUEUED", "IN_PROGRESS")
    assert job["Media"]["MediaFileUri"] == uri
