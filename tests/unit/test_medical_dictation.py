"""Spoken punctuation for DICTATION medical jobs, and the medical transcript layout (no model)."""

from __future__ import annotations

from typing import Any

from workers.engines.base import Segment, Word
from workers.pipeline.dictation import apply_spoken_punctuation, render_text
from workers.pipeline.medical import medical_transcript
from workers.pipeline.transcript import build_transcript, tokens_from_segments


def items_for(text: str) -> list[dict[str, Any]]:
    """Items as the pipeline makes them from recogniser words (punctuation split off)."""
    words = tuple(Word(text=" " + w, start=i * 0.5, end=i * 0.5 + 0.4, probability=0.9)
                  for i, w in enumerate(text.split()))
    tokens = tokens_from_segments([Segment(0.0, len(words) * 0.5, text, words)])
    return list(build_transcript("j", "1", tokens)["results"]["items"])


def dictate(text: str) -> str:
    return render_text(apply_spoken_punctuation(items_for(text)))


def test_commands_become_marks() -> None:
    assert dictate("no acute distress comma afebrile period") == "no acute distress, afebrile."
    assert dictate("is she allergic question mark no exclamation point") == "is she allergic? No!"
    assert dictate("allergies semicolon none full stop") == "allergies; none."
    assert dictate("take aspirin open paren eighty one milligrams close paren daily period") == (
        "take aspirin (eighty one milligrams) daily.")


def test_paragraph_and_line_breaks() -> None:
    assert dictate("lungs clear period new paragraph heart regular period") == "lungs clear.\n\nHeart regular."
    assert dictate("vitals stable period next line labs pending period") == "vitals stable.\nLabs pending."
    # A break at either end has nothing to separate.
    assert dictate("new paragraph plan colon rest new paragraph") == "Plan: rest"


def test_recogniser_punctuation_next_to_a_command_gives_way() -> None:
    assert dictate("hypertension, comma, diabetes, period.") == "hypertension, diabetes."
    assert dictate("pain. Comma. Nausea.") == "pain, nausea."
    assert dictate("cough, period, fever.") == "cough. Fever."
    assert dictate("stable. New paragraph. Plan, colon, rest.") == "stable.\n\nPlan: rest."


def test_command_words_that_are_ordinary_words_stay() -> None:
    assert dictate("polyp in the sigmoid colon period") == "polyp in the sigmoid colon."
    assert dictate("history of colon cancer period") == "history of colon cancer."
    assert dictate("last menstrual period was in may period") == "last menstrual period was in may."
    assert dictate("a period of six weeks period") == "a period of six weeks."
    assert dictate("start a new line of therapy period") == "start a new line of therapy."


def test_items_stay_consistent() -> None:
    items = apply_spoken_punctuation(items_for("cough comma fever period new paragraph rest period"))
    assert [i["id"] for i in items] == list(range(len(items)))
    marks = [i["alternatives"][0]["content"] for i in items if i["type"] == "punctuation"]
    assert marks == [",", ".", "\n\n", "."]
    for item in items:
        if item["type"] == "punctuation":
            assert "start_time" not in item and item["alternatives"][0]["confidence"] == "0.0"
        else:
            assert float(item["end_time"]) >= float(item["start_time"])
    assert all(i["alternatives"][0]["content"] not in ("comma", "period") for i in items)


def test_labels_of_later_stages_are_kept() -> None:
    items = items_for("cough comma fever")
    for item in items:
        item["speaker_label"] = "spk_0"
    out = apply_spoken_punctuation(items)
    assert all(i["speaker_label"] == "spk_0" for i in out)


def test_medical_layout() -> None:
    doc = build_transcript("visit", "111122223333", tokens_from_segments([Segment(0.0, 2.0, "x", (
        Word(" Cough", 0.0, 0.4, 0.9), Word(" comma", 0.5, 0.9, 0.9), Word(" fever.", 1.0, 1.4, 0.9)))]))
    dictated = medical_transcript(doc, dictation=True)
    assert list(dictated) == ["jobName", "accountId", "results", "status"]
    assert dictated["jobName"] == "visit" and dictated["accountId"] == "111122223333"
    assert dictated["status"] == "COMPLETED"
    assert list(dictated["results"]) == ["transcripts", "items"]  # no audio_segments in the medical file
    assert dictated["results"]["transcripts"] == [{"transcript": "Cough, fever."}]
    conversation = medical_transcript(doc, dictation=False)
    assert conversation["results"]["transcripts"] == [{"transcript": "Cough comma fever."}]
