"""Turns and plain text from transcript documents (speaker, channel, segment layouts)."""

from __future__ import annotations

from typing import Any

from services.console.turns import build_turns, join_words, plain_text


def word(i: int, text: str, start: float, end: float, **labels: str) -> dict[str, Any]:
    return {"id": i, "type": "pronunciation", "start_time": f"{start:.3f}", "end_time": f"{end:.3f}",
            "alternatives": [{"confidence": "0.9", "content": text}], **labels}


def punct(i: int, text: str) -> dict[str, Any]:
    return {"id": i, "type": "punctuation", "alternatives": [{"confidence": "0.0", "content": text}]}


def doc(items: list[dict[str, Any]], **results: Any) -> dict[str, Any]:
    return {"jobName": "j", "results": {"items": items, **results}}


def test_speaker_labels_on_items_make_one_turn_per_change_of_speaker() -> None:
    items = [word(0, "Hi", 0.1, 0.3, speaker_label="spk_0"), punct(1, "."),
             word(2, "Hello", 1.0, 1.4, speaker_label="spk_1"), word(3, "there", 1.5, 1.9, speaker_label="spk_1"),
             punct(4, "!"), word(5, "Bye", 3.0, 3.2, speaker_label="spk_0")]
    turns = build_turns(doc(items))
    assert [(t.kind, t.label, t.items, t.start, t.end) for t in turns] == [
        ("speaker", "spk_0", [0, 1], 0.1, 0.3), ("speaker", "spk_1", [2, 3, 4], 1.0, 1.9),
        ("speaker", "spk_0", [5], 3.0, 3.2)]
    assert plain_text(doc(items)) == (
        "[00:00:00 - 00:00:00] spk_0\nHi.\n\n[00:00:01 - 00:00:01] spk_1\nHello there!\n\n"
        "[00:00:03 - 00:00:03] spk_0\nBye\n")


def test_aws_speaker_segments_layout_is_understood() -> None:
    items = [word(0, "One", 0.0, 0.5), word(1, "two", 0.6, 0.9), word(2, "three", 2.0, 2.5)]
    speakers = {"segments": [
        {"speaker_label": "spk_0", "items": [{"start_time": "0.000", "speaker_label": "spk_0"},
                                             {"start_time": "0.600", "speaker_label": "spk_0"}]},
        {"speaker_label": "spk_1", "items": [{"start_time": "2.000", "speaker_label": "spk_1"}]}]}
    turns = build_turns(doc(items, speaker_labels=speakers))
    assert [(t.label, t.items) for t in turns] == [("spk_0", [0, 1]), ("spk_1", [2])]


def test_channels() -> None:
    items = [word(0, "left", 0.0, 0.5, channel_label="ch_0"), word(1, "right", 0.2, 0.6, channel_label="ch_1")]
    assert [(t.kind, t.label) for t in build_turns(doc(items))] == [("channel", "ch_0"), ("channel", "ch_1")]


def test_without_labels_audio_segments_are_the_turns() -> None:
    items = [word(0, "a", 0.0, 0.2), punct(1, ","), word(2, "b", 0.3, 0.5), word(3, "c", 5.0, 5.5), punct(4, ".")]
    segments = [{"id": 0, "items": [0, 1, 2]}, {"id": 1, "items": [3, 4]}]
    turns = build_turns(doc(items, audio_segments=segments))
    assert [(t.kind, t.label, t.items, t.start, t.end) for t in turns] == [
        ("segment", None, [0, 1, 2], 0.0, 0.5), ("segment", None, [3, 4], 5.0, 5.5)]
    assert build_turns(doc([])) == []
    assert [t.items for t in build_turns(doc(items))] == [[0, 1, 2, 3, 4]]


def test_join_words_spacing_around_punctuation() -> None:
    items = [punct(0, "¿"), word(1, "Qué", 0, 0.1), punct(2, "?"), word(3, "Dijo", 1, 1.1), punct(4, "("),
             word(5, "sí", 2, 2.1), punct(6, ")")]
    assert join_words(items) == "¿Qué? Dijo (sí)"
