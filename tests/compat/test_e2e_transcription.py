"""End to end through the real parts: boto3 → gateway → Postgres → Redis → a real Celery worker
process running faster-whisper (tiny.en) → SeaweedFS S3 → transcript downloaded by URL.

Every container of the test audio is transcribed and checked against MANIFEST.md's references;
output-location variants, subtitles and AWS FailureReasons are checked on real jobs.
"""

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

from tests.support import stack
from tests.support.celery_worker import routed_worker
from workers.errors import MEDIA_UNREACHABLE
from workers.pipeline.failures import MEDIA_FORMAT_MISMATCH, SAMPLE_RATE_MISMATCH, UNSUPPORTED_MEDIA_FORMAT

pytestmark = pytest.mark.slow

STEPHEN = ("Hello, my name is Stephen Fry, I was born in London, and I've been in the entertainment business "
           "since, well I suppose about 1981.")
NILE = "The Nile is one of the most vital, diverse, and contentious river systems in the world."
FORMATS = [("en-gb.wav", "wav", STEPHEN), ("en-gb.flac", "flac", STEPHEN), ("en-gb.mp3", "mp3", STEPHEN),
           ("en-gb.mp4", "mp4", STEPHEN), ("en-gb.ogg", "ogg", STEPHEN), ("en-gb.webm", "webm", STEPHEN),
           ("en-gb.amr", "amr", STEPHEN), ("en-us_video.mp4", "mp4", NILE)]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def overlap(hyp: str, ref: str) -> float:
    h, r = words(hyp), words(ref)
    return sum(1 for w in r if w in h) / len(r)


@pytest.fixture(scope="module")
def worker(harken_env: dict[str, str], media_bucket: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with routed_worker("e2e", tmp_path_factory.mktemp("e2e") / "w.log") as queue:
        yield queue


def wait_done(client: Any, name: str, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
        if job["TranscriptionJobStatus"] in ("COMPLETED", "FAILED"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.5)
    raise TimeoutError(name)


def start(client: Any, name: str, key: str, **kw: Any) -> None:
    kw.setdefault("LanguageCode", "en-GB")
    client.start_transcription_job(TranscriptionJobName=name, Media={"MediaFileUri": f"s3://customer-media/{key}"},
                                   **kw)


def test_every_format_is_transcribed(transcribe: Any, worker: str) -> None:
    names = {}
    for i, (fname, fmt, ref) in enumerate(FORMATS):
        name = f"fmt-{i}-{uuid.uuid4().hex[:6]}"
        start(transcribe, name, f"audio/{fname}", LanguageCode="en-US" if "us" in fname else "en-GB")
        names[name] = (fname, fmt, ref)
    for name, (fname, fmt, ref) in names.items():
        job = wait_done(transcribe, name)
        assert job["TranscriptionJobStatus"] == "COMPLETED", (fname, job.get("FailureReason"))
        assert job["MediaFormat"] == fmt and 8000 <= job["MediaSampleRateHertz"] <= 48000
        assert job["CompletionTime"] >= job["StartTime"] >= job["CreationTime"]
        uri = job["Transcript"]["TranscriptFileUri"]
        assert "X-Amz-Signature=" in uri and "X-Amz-Expires=900" in uri  # presigned, 15 minutes
        doc = httpx.get(uri, timeout=30).json()
        assert doc["jobName"] == name and doc["accountId"] == stack.ACCOUNT_A and doc["status"] == "COMPLETED"
        text = doc["results"]["transcripts"][0]["transcript"]
        assert overlap(text, ref) >= 0.75, (fname, text)
        items = doc["results"]["items"]
        pron = [i for i in items if i["type"] == "pronunciation"]
        assert pron and all(isinstance(i["start_time"], str) and isinstance(i["alternatives"][0]["confidence"], str)
                            for i in pron)
        assert all("start_time" not in i for i in items if i["type"] == "punctuation")
        assert [i["id"] for i in items] == list(range(len(items)))
        assert doc["results"]["audio_segments"]


def test_output_locations_and_subtitles(transcribe: Any, worker: str, s3: Any) -> None:
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket="customer-out")
    tag = uuid.uuid4().hex[:6]
    cases = {
        f"loc-bucket-{tag}": ({}, f"loc-bucket-{tag}.json"),
        f"loc-folder-{tag}": ({"OutputKey": "team/transcripts"}, f"team/transcripts/loc-folder-{tag}.json"),
        f"loc-exact-{tag}": ({"OutputKey": "exact/name.json"}, "exact/name.json"),
    }
    for name, (kw, _) in cases.items():
        start(transcribe, name, "audio/en-gb.mp3", OutputBucketName="customer-out",
              Subtitles={"Formats": ["vtt", "srt"], "OutputStartIndex": 1}, **kw)
    for name, (_, key) in cases.items():
        job = wait_done(transcribe, name)
        assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
        assert job["Transcript"]["TranscriptFileUri"].endswith(f"/customer-out/{key}")
        doc = json.loads(s3.get_object(Bucket="customer-out", Key=key)["Body"].read())
        assert overlap(doc["results"]["transcripts"][0]["transcript"], STEPHEN) >= 0.75
        stem = key[: -len(".json")]
        subs = job["Subtitles"]
        assert subs["Formats"] == ["vtt", "srt"] and subs["OutputStartIndex"] == 1
        assert [u.rsplit("/", 1)[-1] for u in subs["SubtitleFileUris"]] == [
            f"{Path(stem).name}.vtt", f"{Path(stem).name}.srt"]
        vtt = s3.get_object(Bucket="customer-out", Key=f"{stem}.vtt")["Body"].read().decode()
        srt = s3.get_object(Bucket="customer-out", Key=f"{stem}.srt")["Body"].read().decode()
        assert vtt.startswith("WEBVTT\n\n1\n00:00:") and " --> " in vtt
        assert srt.startswith("1\n00:00:") and re.search(r"\d\d:\d\d:\d\d,\d\d\d --> ", srt)
        assert "Stephen" in srt or "London" in srt
        summary = transcribe.list_transcription_jobs(JobNameContains=name)["TranscriptionJobSummaries"][0]
        assert summary["OutputLocationType"] == "CUSTOMER_BUCKET"


def test_failure_reasons(transcribe: Any, worker: str) -> None:
    tag = uuid.uuid4().hex[:6]
    cases = {
        f"fail-missing-{tag}": ("audio/does-not-exist.wav", {}, MEDIA_UNREACHABLE),
        f"fail-format-{tag}": ("audio/en-gb.wav", {"MediaFormat": "mp3"}, MEDIA_FORMAT_MISMATCH),
        f"fail-rate-{tag}": ("audio/en-gb.wav", {"MediaSampleRateHertz": 16000}, SAMPLE_RATE_MISMATCH),
        f"fail-mkv-{tag}": ("audio/en-us_video.mkv", {}, UNSUPPORTED_MEDIA_FORMAT),
    }
    for name, (key, kw, _) in cases.items():
        start(transcribe, name, key, **kw)
    for name, (_, _, reason) in cases.items():
        job = wait_done(transcribe, name)
        assert job["TranscriptionJobStatus"] == "FAILED"
        assert job["FailureReason"] == reason
        assert "Transcript" not in job


def test_delete_removes_service_bucket_outputs(transcribe: Any, worker: str, s3: Any) -> None:
    name = f"del-{uuid.uuid4().hex[:6]}"
    start(transcribe, name, "audio/en-gb.ogg", Subtitles={"Formats": ["srt"]})
    job = wait_done(transcribe, name)
    assert job["TranscriptionJobStatus"] == "COMPLETED"
    prefix = f"{stack.ACCOUNT_A}/{name}/"
    assert s3.list_objects_v2(Bucket="harken-service", Prefix=prefix).get("KeyCount", 0) == 2
    transcribe.delete_transcription_job(TranscriptionJobName=name)
    deadline = time.monotonic() + 10
    while s3.list_objects_v2(Bucket="harken-service", Prefix=prefix).get("KeyCount", 0) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert s3.list_objects_v2(Bucket="harken-service", Prefix=prefix).get("KeyCount", 0) == 0
