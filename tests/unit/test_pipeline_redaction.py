"""The redaction stage over finished transcripts, with a fixed detector (no model)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from typing import Any

import pytest

from services.core.settings import get_settings, reset_settings_cache
from workers.engines.base import Segment, Word
from workers.engines.pii import PiiEntity
from workers.outputs import plan_outputs
from workers.pipeline import subtitles
from workers.pipeline.redaction import apply_entities, for_request, redact, with_flag
from workers.pipeline.transcript import build_transcript, tokens_from_segments


class FixedDetector:
    """Reports given spans, and records what it was asked."""

    def __init__(self, entities: list[PiiEntity]) -> None:
        self.entities = entities
        self.calls: list[tuple[list[str], Collection[str] | None]] = []

    def detect(self, words: Sequence[str], entity_types: Collection[str] | None = None) -> list[PiiEntity]:
        self.calls.append((list(words), entity_types))
        return self.entities


def _doc(*segments: str) -> dict[str, Any]:
    segs = []
    t = 0.0
    for text in segments:
        words = []
        for w in text.split():
            words.append(Word(w, t, t + 0.4, 0.9))
            t += 0.5
        segs.append(Segment(words[0].start, words[-1].end, text, tuple(words)))
        t += 1.5
    return build_transcript("job", "111122223333", tokens_from_segments(segs))


def test_entity_becomes_one_pii_item_with_redaction_entry() -> None:
    doc = _doc("My name is John Smith, and my number is 5, 5, 5, 1, 2, 3, 4.")
    # words: My name is John Smith and my number is 5 5 5 1 2 3 4
    out = apply_entities(doc, [PiiEntity(3, 5, "NAME", 0.9991), PiiEntity(9, 16, "PHONE", 0.9973)])
    assert list(out)[:4] == ["jobName", "accountId", "isRedacted", "status"] and out["isRedacted"] is True
    assert out["results"]["transcripts"][0]["transcript"] == "My name is [PII], and my number is [PII]."
    items = out["results"]["items"]
    assert [i["id"] for i in items] == list(range(len(items)))
    name = items[3]
    assert name["alternatives"] == [{"confidence": "0.9991", "content": "[PII]",
                                     "redactions": [{"confidence": "0.9991", "type": "NAME", "category": "PII"}]}]
    old = doc["results"]["items"]
    assert name["start_time"] == old[3]["start_time"] and name["end_time"] == old[4]["end_time"]
    phone = items[9]
    assert phone["alternatives"][0]["redactions"][0]["type"] == "PHONE"
    assert phone["start_time"] == next(i for i in old if i["alternatives"][0]["content"] == "5")["start_time"]
    assert items[-1]["type"] == "punctuation"  # the closing full stop stays outside the entity
    assert "John" not in json.dumps(out) and "Smith" not in json.dumps(out)
    assert "John" in json.dumps(doc)  # the unredacted document is untouched


def test_audio_segments_and_subtitles_are_rebuilt_from_redacted_items() -> None:
    doc = _doc("Hello my name is Jane Doe.", "My pin is 4 3 2 1 thanks.")
    out = apply_entities(doc, [PiiEntity(4, 6, "NAME", 0.9), PiiEntity(9, 13, "PIN", 0.95)])
    segs = out["results"]["audio_segments"]
    assert [s["transcript"] for s in segs] == ["Hello my name is [PII].", "My pin is [PII] thanks."]
    ids = [i for s in segs for i in s["items"]]
    assert ids == list(range(len(out["results"]["items"])))
    srt = subtitles.render(out["results"]["items"], "srt")
    assert srt is not None and "[PII]" in srt and "Jane" not in srt and "4 3" not in srt


def test_entity_across_segments_stays_in_the_first() -> None:
    doc = _doc("call me at 5 5 5", "1 2 3 4 please")
    out = apply_entities(doc, [PiiEntity(3, 10, "PHONE", 0.8)])
    segs = out["results"]["audio_segments"]
    assert [s["transcript"] for s in segs] == ["call me at [PII]", "please"]


def test_labels_and_channel_items_follow_the_redaction() -> None:
    doc = _doc("my pin is 1 2 3 4")
    for item in doc["results"]["items"]:
        item["channel_label"] = "ch_0"
    doc["results"]["channel_labels"] = {"channels": [{"channel_label": "ch_0",
                                                      "items": [dict(i) for i in doc["results"]["items"]]}],
                                        "number_of_channels": 1}
    out = apply_entities(doc, [PiiEntity(3, 7, "PIN", 0.9)])
    assert out["results"]["items"][3]["channel_label"] == "ch_0"
    channel_items = out["results"]["channel_labels"]["channels"][0]["items"]
    assert [i["alternatives"][0]["content"] for i in channel_items] == ["my", "pin", "is", "[PII]"]


def test_alternative_segments_are_redacted_by_time() -> None:
    doc = _doc("my pin is 1 2 3 4")
    items = doc["results"]["items"]
    doc["results"]["segments"] = [{"start_time": items[0]["start_time"], "end_time": items[-1]["end_time"],
                                   "alternatives": [{"transcript": "my pin is 1 2 3 4", "items": [
                                       {"start_time": i["start_time"], "end_time": i["end_time"], "type": i["type"],
                                        "confidence": "0.9", "content": i["alternatives"][0]["content"]}
                                       for i in items]}]}]
    out = apply_entities(doc, [PiiEntity(3, 7, "PIN", 0.9)])
    alt = out["results"]["segments"][0]["alternatives"][0]
    assert alt["transcript"] == "my pin is [PII]" and len(alt["items"]) == 4


def test_redact_passes_words_and_types_to_the_detector() -> None:
    doc = _doc("Hi, I'm Ann.")
    det = FixedDetector([])
    out = redact(doc, det, ["NAME"])
    assert det.calls == [(["Hi", "I'm", "Ann"], ["NAME"])]
    assert out["results"]["transcripts"] == doc["results"]["transcripts"] and out["isRedacted"] is True


def test_for_request_only_when_asked() -> None:
    doc = _doc("Hi")
    assert for_request(doc, None, FixedDetector([])) is None
    det = FixedDetector([])
    assert for_request(doc, {"RedactionType": "PII", "RedactionOutput": "redacted",
                             "PiiEntityTypes": ["PIN"]}, det) is not None
    assert det.calls[0][1] == ["PIN"]
    assert with_flag(doc, False)["isRedacted"] is False


@pytest.fixture
def dev_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HARKEN_DEV_MODE", "true")
    reset_settings_cache()
    yield
    monkeypatch.undo()
    reset_settings_cache()


def test_output_plan_names_redacted_files_the_aws_way(dev_settings: None) -> None:
    red = {"RedactionType": "PII", "RedactionOutput": "redacted"}
    both = {**red, "RedactionOutput": "redacted_and_unredacted"}
    plan = plan_outputs(7, "111122223333", "job", {"ContentRedaction": red, "Subtitles": {"Formats": ["srt"]}})
    assert plan.bucket == get_settings().s3.service_bucket and not plan.unredacted
    assert plan.redacted_key == "111122223333/job/7/redacted-job.json"
    assert plan.subtitles == (("srt", "111122223333/job/7/redacted-job.srt"),)
    record = plan.as_record()
    assert "transcript" not in record and record["redacted"]["key"] == plan.redacted_key
    plan = plan_outputs(7, "1", "job", {"ContentRedaction": both, "OutputBucketName": "b",
                                        "OutputKey": "team/out.json"})
    assert (plan.transcript_key, plan.redacted_key, plan.unredacted) == ("team/out.json", "team/redacted-out.json",
                                                                         True)
    plan = plan_outputs(7, "1", "job", {"ContentRedaction": both, "OutputBucketName": "b", "OutputKey": "folder/"})
    assert plan.redacted_key == "folder/redacted-job.json"
    plain = plan_outputs(7, "1", "job", {"OutputBucketName": "b"})
    assert plain.redacted_key is None and plain.unredacted and "redacted" not in plain.as_record()
