"""ContentRedaction through boto3: request errors, and end to end through a real worker
(faster-whisper tiny.en + presidio) on espeak-ng audio that dictates PII (tests/data/pii/)."""

from __future__ import annotations

import contextlib
import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.compat.test_e2e_transcription import wait_done
from tests.compat.test_e2e_transcription import worker as worker
from tests.support import stack

AUDIO = Path(__file__).resolve().parents[1] / "data" / "pii" / "pii-call.flac"
RED = {"RedactionType": "PII", "RedactionOutput": "redacted"}
BOTH = {"RedactionType": "PII", "RedactionOutput": "redacted_and_unredacted"}
#: What the audio says, in every form Whisper may write it: none may survive redaction.
PII_VALUES = ("John", "Smith", "5551234567", "555-123-4567", "555", "4567", "4321", "four three two one")


def _start(client: Any, name: str, **kw: Any) -> None:
    kw.setdefault("LanguageCode", "en-US")
    client.start_transcription_job(TranscriptionJobName=name, Media={"MediaFileUri": "s3://customer-media/pii/call.flac"},
                                   **kw)


@pytest.mark.parametrize(("kw", "fragment"), [
    ({"LanguageCode": "fr-FR", "ContentRedaction": RED}, "Content redaction isn't supported for fr-FR"),
    ({"LanguageCode": "en-GB", "ContentRedaction": RED}, "Content redaction isn't supported for en-GB"),
    ({"LanguageCode": None, "IdentifyLanguage": True, "ContentRedaction": RED},
     "Content redaction isn't supported with language identification"),
    ({"LanguageCode": None, "IdentifyMultipleLanguages": True, "ContentRedaction": RED},
     "Content redaction isn't supported with language identification"),
    ({"ContentRedaction": {**RED, "PiiEntityTypes": ["ALL", "NAME"]}}, "can't combine ALL"),
    ({"ContentRedaction": {**RED, "PiiEntityTypes": ["NAME", "DATE_TIME"]}},
     "PiiEntityTypes DATE_TIME can't be redacted in a transcription job"),
])
def test_redaction_request_errors(transcribe: Any, kw: dict[str, Any], fragment: str) -> None:
    args = {k: v for k, v in kw.items() if v is not None}
    if kw.get("LanguageCode", "en-US") is None:
        args.pop("LanguageCode", None)
        name = f"pii-bad-{uuid.uuid4().hex[:6]}"
        with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
            transcribe.start_transcription_job(TranscriptionJobName=name, Media={"MediaFileUri": "s3://b/k.wav"},
                                               **args)
    else:
        with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
            _start(transcribe, f"pii-bad-{uuid.uuid4().hex[:6]}", **args)
    assert fragment in exc.value.response["Error"]["Message"]
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_redaction_request_is_echoed(transcribe: Any) -> None:
    name = f"pii-echo-{uuid.uuid4().hex[:6]}"
    red = {**BOTH, "PiiEntityTypes": ["NAME", "PHONE"]}
    job = transcribe.start_transcription_job(TranscriptionJobName=name, LanguageCode="es-US",
                                             Media={"MediaFileUri": "s3://customer-media/pii/call.flac"},
                                             ContentRedaction=red)["TranscriptionJob"]
    assert job["ContentRedaction"] == red
    assert transcribe.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]["ContentRedaction"] == red
    summary = transcribe.list_transcription_jobs(JobNameContains=name)["TranscriptionJobSummaries"][0]
    assert summary["ContentRedaction"] == red


@pytest.fixture(scope="module")
def pii_media(media_bucket: str, s3: Any) -> Iterator[str]:
    s3.upload_file(str(AUDIO), media_bucket, "pii/call.flac")
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket="pii-out")
    yield media_bucket


def _leaks(text: str) -> list[str]:
    """PII values in a file; the audio says no other number, so any digit left is a leak too."""
    return [v for v in PII_VALUES if v in text] + re.findall(r"\d", _speech(text))


def _speech(text: str) -> str:
    """The spoken text of a transcript or subtitle file (subtitle timings and cue numbers dropped)."""
    if text.startswith("{"):
        doc = json.loads(text)
        return " ".join(i["alternatives"][0]["content"] for i in doc["results"]["items"])
    return " ".join(line for line in text.splitlines()
                    if line and "-->" not in line and not line.isdigit() and line != "WEBVTT")


@pytest.mark.slow
def test_redacted_jobs_end_to_end(transcribe: Any, worker: str, pii_media: str, s3: Any) -> None:
    tag = uuid.uuid4().hex[:6]
    service, both, pins = f"pii-svc-{tag}", f"pii-both-{tag}", f"pii-pin-{tag}"
    _start(transcribe, service, ContentRedaction=RED, Subtitles={"Formats": ["srt", "vtt"]})
    _start(transcribe, both, ContentRedaction=BOTH, OutputBucketName="pii-out", OutputKey="calls/out.json",
           Subtitles={"Formats": ["vtt"]})
    _start(transcribe, pins, ContentRedaction={**RED, "PiiEntityTypes": ["PIN"]}, OutputBucketName="pii-out")

    # redacted only, service bucket: only RedactedTranscriptFileUri, and no file anywhere holds PII
    job = wait_done(transcribe, service)
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    assert "TranscriptFileUri" not in job["Transcript"]
    uri = job["Transcript"]["RedactedTranscriptFileUri"]
    assert f"/redacted-{service}.json?" in uri and "X-Amz-Signature=" in uri
    doc = httpx.get(uri, timeout=30).json()
    assert list(doc)[:4] == ["jobName", "accountId", "isRedacted", "status"] and doc["isRedacted"] is True
    text = doc["results"]["transcripts"][0]["transcript"]
    assert text.count("[PII]") >= 3, text
    redactions = [i["alternatives"][0]["redactions"][0] for i in doc["results"]["items"]
                  if i["alternatives"][0]["content"] == "[PII]"]
    assert {r["type"] for r in redactions} == {"NAME", "PHONE", "PIN"}
    assert all(r["category"] == "PII" and 0 < float(r["confidence"]) <= 1 for r in redactions)
    assert [u.rsplit("?")[0].rsplit("/", 1)[-1] for u in job["Subtitles"]["SubtitleFileUris"]] == [
        f"redacted-{service}.srt", f"redacted-{service}.vtt"]
    listed = s3.list_objects_v2(Bucket="harken-service", Prefix=f"{job_prefix(service)}")["Contents"]
    assert sorted(o["Key"].rsplit("/", 1)[-1] for o in listed) == sorted(
        [f"redacted-{service}.json", f"redacted-{service}.srt", f"redacted-{service}.vtt"])
    for obj in listed:
        body = s3.get_object(Bucket="harken-service", Key=obj["Key"])["Body"].read().decode()
        assert not _leaks(body), (obj["Key"], _leaks(body))
        assert "[PII]" in body

    # redacted_and_unredacted, customer bucket and OutputKey: both files, both URIs
    job = wait_done(transcribe, both)
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    assert job["Transcript"]["TranscriptFileUri"].endswith("/pii-out/calls/out.json")
    assert job["Transcript"]["RedactedTranscriptFileUri"].endswith("/pii-out/calls/redacted-out.json")
    plain = json.loads(s3.get_object(Bucket="pii-out", Key="calls/out.json")["Body"].read())
    redacted = json.loads(s3.get_object(Bucket="pii-out", Key="calls/redacted-out.json")["Body"].read())
    assert plain["isRedacted"] is False and redacted["isRedacted"] is True
    assert "John" in plain["results"]["transcripts"][0]["transcript"]
    assert _leaks(json.dumps(plain))  # the check finds PII where there is some
    assert not _leaks(json.dumps(redacted))
    vtt = s3.get_object(Bucket="pii-out", Key="calls/redacted-out.vtt")["Body"].read().decode()
    assert vtt.startswith("WEBVTT") and "[PII]" in vtt and not _leaks(vtt)
    assert job["Subtitles"]["SubtitleFileUris"][0].endswith("/pii-out/calls/redacted-out.vtt")

    # only the requested type is redacted
    job = wait_done(transcribe, pins)
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    assert "TranscriptFileUri" not in job["Transcript"]
    doc = json.loads(s3.get_object(Bucket="pii-out", Key=f"redacted-{pins}.json")["Body"].read())
    text = doc["results"]["transcripts"][0]["transcript"]
    assert text.count("[PII]") == 1 and "4321" not in text and "John" in text, text
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket="pii-out", Key=f"{pins}.json")

    # deleting a service-bucket job removes its redacted files too
    transcribe.delete_transcription_job(TranscriptionJobName=service)
    deadline = time.monotonic() + 10
    while s3.list_objects_v2(Bucket="harken-service", Prefix=job_prefix(service)).get("KeyCount", 0):
        assert time.monotonic() < deadline
        time.sleep(0.2)


def job_prefix(name: str) -> str:
    return f"{stack.ACCOUNT_A}/{name}/"
