"""Transcript assembly against the AWS layout (reference/transcribe-wire.md §2.2, §2.7)."""

from __future__ import annotations

import json

import pytest

from workers.engines.base import Segment, Word
from workers.pipeline.transcript import (
    PRONUNCIATION,
    PUNCTUATION,
    build_transcript,
    format_confidence,
    format_time,
    join_items,
    label_all,
    split_word,
    tokens_from_segments,
)


def seg(*words: tuple[str, float, float, float]) -> Segment:
    ws = tuple(Word(t, s, e, p) for t, s, e, p in words)
    return Segment(ws[0].start if ws else 0.0, ws[-1].end if ws else 0.0, "".join(w.text for w in ws), ws)


WELCOME = seg(
    (" Welcome", 0.64, 1.09, 0.999),
    (" to", 1.09, 1.21, 1.0),
    (" Amazon", 1.21, 1.74, 0.998),
    (" Transcribe.", 1.74, 2.56, 0.991),
)


def test_plain_job_matches_the_aws_example_exactly() -> None:
    doc = build_transcript("my-first-transcription-job", "111122223333", tokens_from_segments([WELCOME]))
    assert doc == {
        "jobName": "my-first-transcription-job",
        "accountId": "111122223333",
        "status": "COMPLETED",
        "results": {
            "transcripts": [{"transcript": "Welcome to Amazon Transcribe."}],
            "items": [
                {
                    "id": 0,
                    "type": "pronunciation",
                    "start_time": "0.64",
                    "end_time": "1.09",
                    "alternatives": [{"confidence": "0.999", "content": "Welcome"}],
                },
                {
                    "id": 1,
                    "type": "pronunciation",
                    "start_time": "1.09",
                    "end_time": "1.21",
                    "alternatives": [{"confidence": "1.0", "content": "to"}],
                },
                {
                    "id": 2,
                    "type": "pronunciation",
                    "start_time": "1.21",
                    "end_time": "1.74",
                    "alternatives": [{"confidence": "0.998", "content": "Amazon"}],
                },
                {
                    "id": 3,
                    "type": "pronunciation",
                    "start_time": "1.74",
                    "end_time": "2.56",
                    "alternatives": [{"confidence": "0.991", "content": "Transcribe"}],
                },
                {"id": 4, "type": "punctuation", "alternatives": [{"confidence": "0.0", "content": "."}]},
            ],
            "audio_segments": [
                {
                    "id": 0,
                    "transcript": "Welcome to Amazon Transcribe.",
                    "start_time": "0.64",
                    "end_time": "2.56",
                    "items": [0, 1, 2, 3, 4],
                },
            ],
        },
    }
    json.dumps(doc)  # serialisable as is


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" Hello,", ([], "Hello", [","])),
        (" 1981.", ([], "1981", ["."])),
        (" I've", ([], "I've", [])),
        (" 1,000", ([], "1,000", [])),
        (" ¿cómo", (["¿"], "cómo", [])),
        (" estás?", ([], "estás", ["?"])),
        (" well...", ([], "well", ["..."])),
        (" what?!", ([], "what", ["?", "!"])),
        (' "quoted,"', ([], "quoted", [","])),
        (" (laughs)", (["("], "laughs", [")"])),
        (" -", ([], "", [])),
        (" ♪", ([], "", [])),
        (" well-known", ([], "well-known", [])),
    ],
)
def test_split_word(text: str, expected: tuple[list[str], str, list[str]]) -> None:
    assert split_word(text) == expected


def test_punctuation_items_have_no_times_and_zero_confidence() -> None:
    tokens = tokens_from_segments([seg((" Hi,", 0.0, 0.3, 0.9), (" you?", 0.4, 0.7, 0.8))])
    assert [(t.type, t.content) for t in tokens] == [
        (PRONUNCIATION, "Hi"),
        (PUNCTUATION, ","),
        (PRONUNCIATION, "you"),
        (PUNCTUATION, "?"),
    ]
    items = build_transcript("j", "1", tokens)["results"]["items"]
    assert "start_time" not in items[1] and "end_time" not in items[1]
    assert items[1]["alternatives"] == [{"confidence": "0.0", "content": ","}]


def test_opening_punctuation_attaches_to_the_next_word() -> None:
    tokens = tokens_from_segments(
        [seg((" Hola,", 0.1, 0.4, 0.9), (" ¿cómo", 0.5, 0.8, 0.9), (" estás?", 0.8, 1.2, 0.9))]
    )
    doc = build_transcript("j", "1", tokens)
    assert doc["results"]["transcripts"][0]["transcript"] == "Hola, ¿cómo estás?"


def test_non_words_and_orphan_punctuation_are_dropped() -> None:
    tokens = tokens_from_segments(
        [seg((" ...", 0.0, 0.2, 0.5), (" -", 0.2, 0.3, 0.5), (" Yes.", 0.3, 0.6, 0.9), (" ♪", 0.6, 0.9, 0.2))]
    )
    assert [t.content for t in tokens] == ["Yes", "."]


def test_times_are_monotonic_and_inside_the_media() -> None:
    tokens = tokens_from_segments(
        [seg((" a", 1.0, 1.2, 0.9), (" b", 0.9, 0.8, 0.9), (" c", 2.9, 3.5, 0.9))], duration=3.0
    )
    words = [t for t in tokens if t.type == PRONUNCIATION]
    assert [(w.start, w.end) for w in words] == [(1.0, 1.2), (1.0, 1.0), (2.9, 3.0)]


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.64, "0.64"), (2.0, "2.0"), (0.0, "0.0"), (1.23456, "1.235"), (1e-5, "0.0"), (3600.5, "3600.5")],
)
def test_format_time(value: float, text: str) -> None:
    assert format_time(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.999, "0.999"), (1.0, "1.0"), (0.99996, "1.0"), (0.12345678, "0.1235"), (-0.1, "0.0"), (1.2, "1.0")],
)
def test_format_confidence(value: float, text: str) -> None:
    assert format_confidence(value) == text


def test_audio_segments_follow_recognizer_segments() -> None:
    second = seg((" This", 3.01, 3.3, 0.9), (" too.", 3.3, 3.6, 0.9))
    doc = build_transcript("j", "1", tokens_from_segments([WELCOME, second]))
    segments = doc["results"]["audio_segments"]
    assert [s["transcript"] for s in segments] == ["Welcome to Amazon Transcribe.", "This too."]
    assert segments[1] == {
        "id": 1,
        "transcript": "This too.",
        "start_time": "3.01",
        "end_time": "3.6",
        "items": [5, 6, 7],
    }
    assert doc["results"]["transcripts"][0]["transcript"] == "Welcome to Amazon Transcribe. This too."


def test_audio_segments_split_on_label_change() -> None:
    tokens = tokens_from_segments([seg((" Hi,", 0.0, 0.3, 0.9), (" Fine.", 1.0, 1.3, 0.9))])
    tokens = [t if i < 2 else label_all([t], speaker_label="spk_1")[0] for i, t in enumerate(tokens)]
    tokens = [label_all([t], speaker_label="spk_0")[0] if i < 2 else t for i, t in enumerate(tokens)]
    doc = build_transcript("j", "1", tokens)
    segments = doc["results"]["audio_segments"]
    assert [(s["speaker_label"], s["items"]) for s in segments] == [("spk_0", [0, 1]), ("spk_1", [2, 3])]
    assert doc["results"]["items"][2]["speaker_label"] == "spk_1"


def test_language_identification_keys() -> None:
    doc = build_transcript(
        "j",
        "1",
        tokens_from_segments([WELCOME]),
        language_code="en-US",
        language_identification=[("en-US", 0.9876), ("es-US", 0.0101)],
    )
    results = doc["results"]
    assert list(results)[:2] == ["language_code", "language_identification"]
    assert results["language_code"] == "en-US"
    assert results["language_identification"] == [
        {"code": "en-US", "score": "0.9876"},
        {"code": "es-US", "score": "0.0101"},
    ]


def test_multiple_languages_keys() -> None:
    tokens = label_all(tokens_from_segments([WELCOME]), language_code="en-US")
    doc = build_transcript("j", "1", tokens, language_codes=[("en-US", 1.92)])
    results = doc["results"]
    assert results["language_codes"] == [{"language_code": "en-US", "duration_in_seconds": 1.92}]
    assert all(item["language_code"] == "en-US" for item in results["items"])
    assert results["audio_segments"][0]["language_code"] == "en-US"
    assert "language_identification" not in results


def test_empty_recognition_is_a_valid_document() -> None:
    doc = build_transcript("j", "1", tokens_from_segments([]))
    assert doc["results"] == {"transcripts": [{"transcript": ""}], "items": [], "audio_segments": []}


def test_join_items_of_redacted_or_masked_content() -> None:
    items = [
        {"type": "pronunciation", "alternatives": [{"content": "My"}]},
        {"type": "pronunciation", "alternatives": [{"content": "[PII]"}]},
        {"type": "punctuation", "alternatives": [{"content": ","}]},
        {"type": "pronunciation", "alternatives": [{"content": "***"}]},
        {"type": "punctuation", "alternatives": [{"content": "."}]},
    ]
    assert join_items(items) == "My [PII], ***."
