"""Speaker labels, channels, alternatives and language identification through the real parts:
boto3 → gateway → Postgres → Redis → a real Celery worker (faster-whisper + the embedded
diarizer) → SeaweedFS S3 → the transcript downloaded by its presigned URL.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.compat.test_e2e_transcription import wait_done
from tests.support.celery_worker import routed_worker
from workers.pipeline.failures import TOO_MANY_CHANNELS

pytestmark = pytest.mark.slow

DIAR = Path(__file__).resolve().parents[1] / "data" / "diarization"
BUCKET = "customer-media"


@contextlib.contextmanager
def worker_for(model: str, folder: Path) -> Iterator[str]:
    """A worker on its own queue; jobs started inside the block go to it."""
    with routed_worker(f"diar-{model.replace('.', '')}", folder / f"{model}.log", HARKEN_WHISPER__MODEL=model) as queue:
        yield queue


@pytest.fixture(scope="module")
def fixtures(s3: Any, media_bucket: str) -> str:
    for f in sorted(DIAR.glob("*.flac")):
        s3.upload_file(str(f), media_bucket, f"diarization/{f.name}")
    return media_bucket


@pytest.fixture(scope="module")
def tiny_worker(harken_env: dict[str, str], fixtures: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with worker_for("tiny.en", tmp_path_factory.mktemp("diar-worker")) as queue:
        yield queue


def start(client: Any, name: str, key: str, **kw: Any) -> None:
    client.start_transcription_job(TranscriptionJobName=name, Media={"MediaFileUri": f"s3://{BUCKET}/{key}"}, **kw)


def transcript(job: dict[str, Any]) -> dict[str, Any]:
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    return httpx.get(job["Transcript"]["TranscriptFileUri"], timeout=30).json()  # type: ignore[no-any-return]


def test_features_on_real_jobs(transcribe: Any, tiny_worker: str) -> None:
    tag = uuid.uuid4().hex[:6]
    jobs = {
        "speakers": (f"spk-{tag}", "diarization/two-speakers.flac",
                     {"Settings": {"ShowSpeakerLabels": True, "MaxSpeakerLabels": 3},
                      "Subtitles": {"Formats": ["srt"]}}),
        "channels": (f"chan-{tag}", "diarization/stereo-call.flac", {"Settings": {"ChannelIdentification": True}}),
        "alternatives": (f"alt-{tag}", "audio/en-gb.flac",
                         {"Settings": {"ShowAlternatives": True, "MaxAlternatives": 3}}),
        "three": (f"three-{tag}", "diarization/three-channels.flac", {"Settings": {"ChannelIdentification": True}}),
    }
    for name, key, kw in jobs.values():
        start(transcribe, name, key, LanguageCode="en-US", **kw)

    job = wait_done(transcribe, jobs["speakers"][0])
    assert job["Settings"]["ShowSpeakerLabels"] is True and job["Settings"]["MaxSpeakerLabels"] == 3
    doc = transcript(job)
    results = doc["results"]
    labels = results["speaker_labels"]
    assert labels["speakers"] == 2
    assert [s["speaker_label"] for s in labels["segments"]] == ["spk_0", "spk_1"] * 3
    assert all(i["speaker_label"] in ("spk_0", "spk_1") for i in results["items"])
    timed = {(i["start_time"], i["end_time"]) for i in results["items"] if i["type"] == "pronunciation"}
    assert {(i["start_time"], i["end_time"]) for s in labels["segments"] for i in s["items"]} == timed
    assert {s["speaker_label"] for s in results["audio_segments"]} == {"spk_0", "spk_1"}

    doc = transcript(wait_done(transcribe, jobs["channels"][0]))
    block = doc["results"]["channel_labels"]
    assert block["number_of_channels"] == 2
    said = {c["channel_label"]: " ".join(i["alternatives"][0]["content"] for i in c["items"]).lower()
            for c in block["channels"]}
    assert "bank" in said["ch_0"] and "balance" in said["ch_1"] and "balance" not in said["ch_0"]
    assert {i["channel_label"] for i in doc["results"]["items"]} == {"ch_0", "ch_1"}

    doc = transcript(wait_done(transcribe, jobs["alternatives"][0]))
    segments = doc["results"]["segments"]
    assert segments and all(1 <= len(s["alternatives"]) <= 3 for s in segments)
    assert any(len(s["alternatives"]) > 1 for s in segments)
    assert all(len(i["alternatives"]) == 1 for i in doc["results"]["items"])

    job = wait_done(transcribe, jobs["three"][0])
    assert job["TranscriptionJobStatus"] == "FAILED" and job["FailureReason"] == TOO_MANY_CHANNELS


def test_speaker_labels_and_channels_are_refused_together(transcribe: Any) -> None:
    with pytest.raises(transcribe.exceptions.BadRequestException, match="ShowSpeakerLabels"):
        start(transcribe, f"both-{uuid.uuid4().hex[:6]}", "diarization/stereo-call.flac", LanguageCode="en-US",
              Settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2, "ChannelIdentification": True})


def test_language_identification_with_the_multilingual_model(
    transcribe: Any, harken_env: dict[str, str], fixtures: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tag = uuid.uuid4().hex[:6]
    with worker_for("base", tmp_path_factory.mktemp("diar-base")) as _:
        start(transcribe, f"multi-{tag}", "diarization/mixed-language.flac", IdentifyMultipleLanguages=True,
              LanguageOptions=["en-US", "es-ES", "fr-FR"])
        start(transcribe, f"single-{tag}", "audio/en-gb.flac", IdentifyLanguage=True,
              LanguageOptions=["fr-FR", "en-GB", "es-ES"])
        multi = wait_done(transcribe, f"multi-{tag}", timeout=400)
        single = wait_done(transcribe, f"single-{tag}", timeout=400)
    doc = transcript(multi)
    codes = {c["LanguageCode"]: c["DurationInSeconds"] for c in multi["LanguageCodes"]}
    assert set(codes) == {"en-US", "es-ES"} and all(v > 3 for v in codes.values())
    assert {c["language_code"] for c in doc["results"]["language_codes"]} == set(codes)
    assert {i["language_code"] for i in doc["results"]["items"]} == set(codes)
    assert [s["language_code"] for s in doc["results"]["audio_segments"]][-1] == "es-ES"

    doc = transcript(single)
    assert single["LanguageCode"] == "en-GB" and 0.5 < single["IdentifiedLanguageScore"] <= 1.0
    assert doc["results"]["language_code"] == "en-GB"
    assert doc["results"]["language_identification"][0]["code"] == "en-GB"
    assert {e["code"] for e in doc["results"]["language_identification"]} <= {"fr-FR", "en-GB", "es-ES"}
