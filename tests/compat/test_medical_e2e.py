"""Medical jobs end to end: boto3 → gateway → Postgres → Redis → a real Celery worker running
faster-whisper (tiny.en) with the clinical lexicon → the customer's bucket in SeaweedFS.

The audio is synthetic clinical dictation (tests/data/medical, made by espeak-ng with generate.py).
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.compat.resource_support import process_vocabularies
from tests.support import stack
from tests.support.celery_worker import routed_worker
from workers.errors import MEDIA_UNREACHABLE

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "medical"
OUT = "medical-out"
VOCABULARY = ("Phrase\tIPA\tSoundsLike\tDisplayAs\nacute-respiratory-distress-syndrome\t\t\tARDS\n"
              "zelvoramab\t\t\t\n")


@pytest.fixture(scope="module")
def worker(harken_env: dict[str, str], media_bucket: str, s3: Any,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    for f in FIXTURES.glob("*.ogg"):
        s3.upload_file(str(f), media_bucket, f"medical/{f.name}")
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=OUT)
    with routed_worker("medical", tmp_path_factory.mktemp("medical") / "w.log") as queue:
        yield queue


def start(client: Any, name: str, clip: str, **kw: Any) -> None:
    kw.setdefault("Type", "DICTATION")
    client.start_medical_transcription_job(
        MedicalTranscriptionJobName=name, LanguageCode="en-US", Specialty="PRIMARYCARE",
        Media={"MediaFileUri": f"s3://customer-media/medical/{clip}"}, OutputBucketName=OUT, **kw)


def wait_done(client: Any, name: str, timeout: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get_medical_transcription_job(MedicalTranscriptionJobName=name)["MedicalTranscriptionJob"]
        if job["TranscriptionJobStatus"] in ("COMPLETED", "FAILED"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.5)
    raise TimeoutError(name)


def transcript(s3: Any, key: str) -> dict[str, Any]:
    return json.loads(s3.get_object(Bucket=OUT, Key=key)["Body"].read())  # type: ignore[no-any-return]


def test_medical_jobs(transcribe: Any, worker: str, s3: Any, media_bucket: str) -> None:
    tag = uuid.uuid4().hex[:6]
    vocab = f"clinic-{tag}"
    s3.put_object(Bucket=media_bucket, Key=f"medical/{vocab}.txt", Body=VOCABULARY.encode())
    transcribe.create_medical_vocabulary(VocabularyName=vocab, LanguageCode="en-US",
                                         VocabularyFileUri=f"s3://{media_bucket}/medical/{vocab}.txt")
    assert process_vocabularies(vocab, medical=True) == "READY"

    meds, plan, visit, ards, missing = (f"{n}-{tag}" for n in ("meds", "plan", "visit", "ards", "missing"))
    start(transcribe, meds, "dictation-meds.ogg", Tags=[{"Key": "clinic", "Value": "north"}])
    start(transcribe, plan, "dictation-plan.ogg", OutputKey="notes/today")
    start(transcribe, visit, "conversation-visit.ogg", Type="CONVERSATION", OutputKey="visits/visit.json")
    start(transcribe, ards, "dictation-vocabulary.ogg", Settings={"VocabularyName": vocab})
    start(transcribe, missing, "nothing-here.ogg")

    # Output keys follow the OutputKey rules: bucket root, a folder, an exact .json key.
    keys = {meds: f"{meds}.json", plan: f"notes/today/{plan}.json", visit: "visits/visit.json",
            ards: f"{ards}.json"}
    docs: dict[str, dict[str, Any]] = {}
    for name, key in keys.items():
        job = wait_done(transcribe, name)
        assert job["TranscriptionJobStatus"] == "COMPLETED", (name, job.get("FailureReason"))
        assert job["Transcript"]["TranscriptFileUri"].endswith(f"/{OUT}/{key}")
        assert job["MediaFormat"] == "ogg" and job["MediaSampleRateHertz"] == 16000
        assert job["Specialty"] == "PRIMARYCARE" and job["CompletionTime"] >= job["StartTime"]
        doc = transcript(s3, key)
        assert list(doc) == ["jobName", "accountId", "results", "status"]
        assert doc["jobName"] == name and doc["accountId"] == stack.ACCOUNT_A and doc["status"] == "COMPLETED"
        assert "audio_segments" not in doc["results"] and doc["results"]["items"]
        docs[name] = doc

    failed = wait_done(transcribe, missing)
    assert failed["TranscriptionJobStatus"] == "FAILED" and failed["FailureReason"] == MEDIA_UNREACHABLE

    text = docs[meds]["results"]["transcripts"][0]["transcript"]
    for term in ("hypertension", "hyperlipidemia", "lisinopril", "metformin", "atorvastatin"):
        assert term in text, text  # the lexicon's drug and condition names
    assert "comma" not in text.lower() and "period" not in text.lower(), text  # dictated marks
    assert text.count(",") >= 3 and "\n\n" in text, text  # "new paragraph"
    breaks = [i for i in docs[meds]["results"]["items"] if i["alternatives"][0]["content"] == "\n\n"]
    assert len(breaks) == 1 and breaks[0]["type"] == "punctuation"

    plan_text = docs[plan]["results"]["transcripts"][0]["transcript"]
    assert "COPD" in plan_text and "Plan:" in plan_text and "colon" not in plan_text.lower(), plan_text

    visit_text = docs[visit]["results"]["transcripts"][0]["transcript"]
    assert "metoprolol" in visit_text and "furosemide" in visit_text, visit_text
    assert "?" in visit_text  # CONVERSATION keeps the recogniser's own punctuation

    ards_text = docs[ards]["results"]["transcripts"][0]["transcript"]
    assert "ARDS" in ards_text, ards_text  # the vocabulary's DisplayAs

    listed = transcribe.list_medical_transcription_jobs(JobNameContains=tag, Status="COMPLETED")
    assert {j["MedicalTranscriptionJobName"] for j in listed["MedicalTranscriptionJobSummaries"]} == set(keys)

    # Deleting a job leaves the customer's transcript where it is.
    transcribe.delete_medical_transcription_job(MedicalTranscriptionJobName=meds)
    assert transcript(s3, keys[meds])["jobName"] == meds
    with pytest.raises(transcribe.exceptions.BadRequestException):
        transcribe.get_medical_transcription_job(MedicalTranscriptionJobName=meds)


def test_phi_identification(transcribe: Any, worker: str, s3: Any) -> None:
    """conversation-phi.ogg (espeak-ng, 140 wpm) says a name at ~1.5-2.3 s, a date of birth at
    ~4-6 s and a ten-digit phone number at ~8.5-12.7 s; the entities must sit there, on the words."""
    tag = uuid.uuid4().hex[:6]
    name, plain = f"phi-{tag}", f"nophi-{tag}"
    start(transcribe, name, "conversation-phi.ogg", Type="CONVERSATION", ContentIdentificationType="PHI")
    start(transcribe, plain, "conversation-phi.ogg", Type="CONVERSATION")
    job = wait_done(transcribe, name)
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    assert job["ContentIdentificationType"] == "PHI"
    doc = transcript(s3, f"{name}.json")
    results = doc["results"]
    assert list(results) == ["transcripts", "items", "entities"]
    entities = results["entities"]
    for ent in entities:
        assert list(ent) == ["content", "category", "startTime", "endTime", "confidence"]
        assert ent["category"].startswith("PHI-") and 0 < ent["confidence"] <= 1
        # the times are those of the entity's first and last words
        words = [i for i in results["items"] if i["type"] == "pronunciation"]
        starts = [float(w["start_time"]) for w in words]
        ends = [float(w["end_time"]) for w in words]
        assert ent["startTime"] in starts and ent["endTime"] in ends and ent["startTime"] < ent["endTime"]

    def one(lo: float, hi: float) -> dict[str, Any]:
        inside = [e for e in entities if lo <= e["startTime"] and e["endTime"] <= hi]
        assert len(inside) == 1, (lo, hi, entities)
        return inside[0]

    patient = one(0.8, 3.0)
    assert patient["content"] == "John Carter" and patient["category"] == "PHI-Personal"
    born = one(3.5, 7.0)
    assert "March" in born["content"] and "1962" in born["content"], born
    phone = one(7.5, 13.5)
    assert sum(c.isdigit() for c in phone["content"]) == 10 and phone["category"] == "PHI-Personal", phone
    assert phone["endTime"] - phone["startTime"] > 2.5  # the whole number, not one digit
    assert len(entities) == 3, entities  # "a dry cough for three days" is not PHI

    # Identification only: the words are the same as without PHI identification.
    other = wait_done(transcribe, plain)
    assert other["TranscriptionJobStatus"] == "COMPLETED" and "ContentIdentificationType" not in other
    without = transcript(s3, f"{plain}.json")["results"]
    assert "entities" not in without
    assert without["items"] == results["items"] and without["transcripts"] == results["transcripts"]


def truth(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / f"{name}.json").read_text())["turns"]  # type: ignore[no-any-return]


def said_in(items: list[dict[str, Any]], turn: dict[str, Any]) -> list[dict[str, Any]]:
    """The words whose middle falls inside a turn of the fixture's truth."""
    return [i for i in items if i["type"] == "pronunciation"
            and turn["start"] - 0.1 <= (float(i["start_time"]) + float(i["end_time"])) / 2 <= turn["end"] + 0.1]


def test_speakers_channels_and_alternatives(transcribe: Any, worker: str, s3: Any) -> None:
    """The general pipeline's speaker, channel and alternatives stages on medical jobs, in the
    medical layout; clips with known turns (tests/data/medical/visit-*.json)."""
    tag = uuid.uuid4().hex[:6]
    spk, chan, alt = f"spk-{tag}", f"chan-{tag}", f"alt-{tag}"
    start(transcribe, spk, "visit-speakers.ogg", Type="CONVERSATION",
          Settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2})
    start(transcribe, chan, "visit-stereo.ogg", Type="CONVERSATION", Settings={"ChannelIdentification": True})
    start(transcribe, alt, "dictation-plan.ogg", Settings={"ShowAlternatives": True, "MaxAlternatives": 3})

    job = wait_done(transcribe, spk)
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    assert job["Settings"]["ShowSpeakerLabels"] is True and job["Settings"]["MaxSpeakerLabels"] == 2
    results = transcript(s3, f"{spk}.json")["results"]
    assert list(results) == ["transcripts", "speaker_labels", "items"]
    block = results["speaker_labels"]
    assert list(block) == ["speakers", "segments"] and block["speakers"] == 2
    timed = [(i["start_time"], i["end_time"]) for i in results["items"] if i["type"] == "pronunciation"]
    assert [(i["start_time"], i["end_time"]) for s in block["segments"] for i in s["items"]] == timed
    # each of the four turns is one speaker, and the clinician and the patient are told apart
    labels = []
    for turn in truth("visit-speakers"):
        words = said_in(results["items"], turn)
        assert words, turn
        spoken = {w["speaker_label"] for w in words}
        assert len(spoken) == 1, (turn, spoken)
        labels.append(spoken.pop())
    assert labels == ["spk_0", "spk_1", "spk_0", "spk_1"]

    job = wait_done(transcribe, chan)
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    results = transcript(s3, f"{chan}.json")["results"]
    assert list(results) == ["transcripts", "channel_labels", "items"]
    block = results["channel_labels"]
    assert block["number_of_channels"] == 2
    said = {c["channel_label"]: " ".join(i["alternatives"][0]["content"] for i in c["items"]).lower()
            for c in block["channels"]}
    assert "nurse" in said["ch_0"] and "pharmacy" in said["ch_0"], said
    assert "lisinopril" in said["ch_1"] and "refill" in said["ch_1"] and "nurse" not in said["ch_1"], said
    assert all("channel_label" not in i for c in block["channels"] for i in c["items"])
    for turn in truth("visit-stereo"):  # every word sits on the channel it was spoken on
        assert {w["channel_label"] for w in said_in(results["items"], turn)} == {turn["speaker"]}

    job = wait_done(transcribe, alt)
    assert job["TranscriptionJobStatus"] == "COMPLETED", job.get("FailureReason")
    results = transcript(s3, f"{alt}.json")["results"]
    assert list(results) == ["transcripts", "items", "segments"]
    segments = results["segments"]
    assert segments and all(1 <= len(s["alternatives"]) <= 3 for s in segments)
    assert any(len(s["alternatives"]) > 1 for s in segments)
    assert " ".join(s["alternatives"][0]["transcript"] for s in segments) == results["transcripts"][0]["transcript"]
    for seg in segments:  # DICTATION: every alternative has its commands rendered as marks
        for a in seg["alternatives"]:
            assert "period" not in a["transcript"].lower() and "colon" not in a["transcript"].lower(), a
            assert ":" in a["transcript"], a
