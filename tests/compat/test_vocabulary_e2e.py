"""Vocabularies, filters and custom language models changing real transcripts, end to end:
boto3 → gateway → a real Celery worker (which also processes and compiles the vocabulary, and trains
the model) → faster-whisper tiny.en → SeaweedFS → the transcript and subtitles downloaded.

The clips (tests/data/vocabulary, made by its generate.py with espeak-ng) hold invented terms that
tiny.en gets wrong on its own ("Mount Rivie" for Maltrivia, "gravity max" for Gravimax).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.core.settings import get_settings
from tests.support.celery_worker import routed_worker

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data" / "vocabulary"
TRAINING = """\
The Maltrivia office supports our billing customers. Our offices are in Denver and Maltrivia.
The Tenzarine scanner checks code for security problems. Run Tenzarine before every release.
Tenzarine reports list every problem found. The Tenzarine dashboard shows trends over time.
The Maltrivia team runs the Tenzarine scanner every night and reviews the Tenzarine report.
New engineers in Maltrivia learn to read a Tenzarine report in their first week.
The Gravimax sensor measures pressure. Gravimax readings are sent to the dashboard every minute.
Calibrate each Gravimax sensor yearly. The Maltrivia lab tests every Gravimax sensor before shipping.
Support engineers in Maltrivia answer questions about Tenzarine and Gravimax around the clock.
"""


def tag() -> str:
    return uuid.uuid4().hex[:6]


@pytest.fixture(scope="module")
def worker(harken_env: dict[str, str], media_bucket: str, s3: Any,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    for f in DATA.glob("*.flac"):
        s3.upload_file(str(f), media_bucket, f"vocabulary/{f.name}")
    with routed_worker("vocab", tmp_path_factory.mktemp("vocab") / "w.log") as queue:
        yield queue


def wait_for(fetch: Any, done: Any, timeout: float = 240) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fetch()
        if done(value):
            return value
        time.sleep(0.5)
    raise TimeoutError(str(fetch))


def run_job(transcribe: Any, s3: Any, clip: str, language: str = "en-US", **kw: Any) -> tuple[dict[str, Any], str]:
    """Start a job on a clip, wait, and return (transcript document, SRT subtitles)."""
    name = f"voc-{tag()}"
    lang = {"LanguageCode": language} if language else {}
    transcribe.start_transcription_job(
        TranscriptionJobName=name, Media={"MediaFileUri": f"s3://customer-media/vocabulary/{clip}"},
        OutputBucketName="customer-media", OutputKey=f"out/{name}.json", Subtitles={"Formats": ["srt"]},
        **lang, **kw)
    job = wait_for(lambda: transcribe.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"],
                   lambda j: j["TranscriptionJobStatus"] in ("COMPLETED", "FAILED"))
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    doc = json.loads(s3.get_object(Bucket="customer-media", Key=f"out/{name}.json")["Body"].read())
    srt = s3.get_object(Bucket="customer-media", Key=f"out/{name}.srt")["Body"].read().decode()
    return doc, srt


def text_of(doc: dict[str, Any]) -> str:
    return str(doc["results"]["transcripts"][0]["transcript"])


def ready_vocabulary(transcribe: Any, language: str = "en-US", **source: Any) -> str:
    name = f"v-{tag()}"
    transcribe.create_vocabulary(VocabularyName=name, LanguageCode=language, **source)
    state = wait_for(lambda: transcribe.get_vocabulary(VocabularyName=name)["VocabularyState"],
                     lambda s: s in ("READY", "FAILED"))
    assert state == "READY"
    return name


def test_vocabulary_fixes_invented_terms_and_mismatched_language_is_ignored(
        transcribe: Any, s3: Any, worker: str) -> None:
    name = ready_vocabulary(transcribe, Phrases=["Maltrivia", "Tenzarine"])
    # compiled once, by the worker, as the vocabulary became READY
    listing = s3.list_objects_v2(Bucket=get_settings().s3.service_bucket, Prefix="vocabularies/")
    compiled = [o["Key"] for o in listing.get("Contents", []) if o["Key"].endswith("/r1/compiled.json")]
    assert compiled, "no compiled vocabulary stored"

    plain, _ = run_job(transcribe, s3, "terms.flac")
    assert "Maltrivia" not in text_of(plain) and "Tenzarine" not in text_of(plain)
    with_vocab, srt = run_job(transcribe, s3, "terms.flac", Settings={"VocabularyName": name})
    assert "Maltrivia" in text_of(with_vocab) and "Tenzarine" in text_of(with_vocab), text_of(with_vocab)
    assert "Maltrivia" in srt
    words = [i["alternatives"][0]["content"] for i in with_vocab["results"]["items"]]
    assert "Maltrivia" in words and "Tenzarine" in words
    # AWS: a vocabulary of another language is not applied, and that is not an error
    gb = ready_vocabulary(transcribe, language="en-GB", Phrases=["Maltrivia", "Tenzarine"])
    other, _ = run_job(transcribe, s3, "terms.flac", Settings={"VocabularyName": gb})
    assert "Maltrivia" not in text_of(other)


def test_table_vocabulary_renders_display_as(transcribe: Any, s3: Any, worker: str) -> None:
    key = f"vocab-files/{tag()}.txt"
    s3.put_object(Bucket="customer-media", Key=key,
                  Body=b"Phrase\tSoundsLike\tIPA\tDisplayAs\nGravimax\t\t\tGraviMax\nLos-Angeles\t\t\t\n")
    name = ready_vocabulary(transcribe, VocabularyFileUri=f"s3://customer-media/{key}")
    plain, _ = run_job(transcribe, s3, "display.flac")
    assert "GraviMax" not in text_of(plain)
    doc, srt = run_job(transcribe, s3, "display.flac", Settings={"VocabularyName": name})
    assert "GraviMax" in text_of(doc) and "GraviMax" in srt
    assert "GraviMax" in doc["results"]["audio_segments"][0]["transcript"]


def test_filters_mask_remove_and_tag_in_every_output(transcribe: Any, s3: Any, worker: str) -> None:
    name = f"f-{tag()}"
    transcribe.create_vocabulary_filter(VocabularyFilterName=name, LanguageCode="en-US", Words=["STUPID", "useless"])
    plain, _ = run_job(transcribe, s3, "filter.flac")
    assert re.search(r"\bstupid\b.*\bstupid\b.*\buseless\b", text_of(plain)), text_of(plain)

    def run(method: str) -> tuple[dict[str, Any], str, str, list[str]]:
        doc, srt = run_job(transcribe, s3, "filter.flac",
                           Settings={"VocabularyFilterName": name, "VocabularyFilterMethod": method})
        contents = [i["alternatives"][0]["content"] for i in doc["results"]["items"]]
        segs = " ".join(s["transcript"] for s in doc["results"]["audio_segments"])
        return doc, srt, segs, contents

    doc, srt, segs, contents = run("mask")
    for out in (text_of(doc), srt, segs):
        assert out.count("***") == 3 and "stupid" not in out.lower() and "useless" not in out.lower(), out
    assert contents.count("***") == 3 and "printer" in contents

    doc, srt, segs, contents = run("remove")
    for out in (text_of(doc), srt, segs):
        assert "stupid" not in out.lower() and "useless" not in out.lower() and "***" not in out
        assert "printer" in out
    items = doc["results"]["items"]
    assert [i["id"] for i in items] == list(range(len(items)))
    assert len(contents) == len([i for i in plain["results"]["items"]]) - 3

    doc, srt, segs, contents = run("tag")
    assert text_of(doc) == text_of(plain) and srt.count("stupid") == 2
    tagged = [i["alternatives"][0]["content"].lower() for i in doc["results"]["items"]
              if i.get("vocabulary_filter_match")]
    assert tagged == ["stupid", "stupid", "useless"]


def test_language_model_and_language_id_settings(transcribe: Any, s3: Any, worker: str) -> None:
    prefix = f"clm/{tag()}/"
    s3.put_object(Bucket="customer-media", Key=f"{prefix}domain.txt", Body=TRAINING.encode())
    model = f"m-{tag()}"
    transcribe.create_language_model(LanguageCode="en-US", BaseModelName="WideBand", ModelName=model,
                                     InputDataConfig={"S3Uri": f"s3://customer-media/{prefix}",
                                                      "DataAccessRoleArn": "arn:aws:iam::111122223333:role/r"})
    status = wait_for(lambda: transcribe.describe_language_model(ModelName=model)["LanguageModel"],
                      lambda m: m["ModelStatus"] != "IN_PROGRESS")
    assert status["ModelStatus"] == "COMPLETED", status.get("FailureReason")
    assert status["UpgradeAvailability"] is False

    doc, _ = run_job(transcribe, s3, "terms.flac", ModelSettings={"LanguageModelName": model})
    assert "Maltrivia" in text_of(doc) and "Tenzarine" in text_of(doc), text_of(doc)

    # language identification: resources come from LanguageIdSettings for the identified language
    vocab = ready_vocabulary(transcribe, Phrases=["Gravimax"])
    filt = f"f-{tag()}"
    transcribe.create_vocabulary_filter(VocabularyFilterName=filt, LanguageCode="en-US", Words=["sensor"])
    doc, _ = run_job(transcribe, s3, "display.flac", language="", IdentifyLanguage=True,
                     LanguageOptions=["en-US", "es-US"], Settings={"VocabularyFilterMethod": "mask"},
                     LanguageIdSettings={"en-US": {"VocabularyName": vocab, "VocabularyFilterName": filt},
                                         "es-US": {}})
    assert doc["results"]["language_code"] == "en-US"
    assert "Gravimax" in text_of(doc) and "***" in text_of(doc) and "sensor" not in text_of(doc)
