"""SubRip/WebVTT layout (reference/transcribe-wire.md §2.9, AWS "Creating video subtitles")."""

from __future__ import annotations

from typing import Any

import pytest

from workers.pipeline.subtitles import (
    MAX_CUE_SECONDS,
    MAX_LINE_CHARS,
    cues,
    render,
    render_all,
    timestamp,
    wrap,
)


def word(text: str, start: float, end: float, **labels: str) -> dict[str, Any]:
    return {
        "type": "pronunciation",
        "start_time": str(start),
        "end_time": str(end),
        **labels,
        "alternatives": [{"confidence": "0.9", "content": text}],
    }


def punct(text: str) -> dict[str, Any]:
    return {"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": text}]}


TWO_SENTENCES = [
    word("Welcome", 0.64, 1.09),
    word("to", 1.09, 1.21),
    word("Amazon", 1.21, 1.74),
    word("Transcribe", 1.74, 2.56),
    punct("."),
    word("This", 3.01, 3.3),
    word("is", 3.3, 3.4),
    word("the", 3.4, 3.5),
    word("second", 3.5, 4.0),
    word("caption", 4.0, 5.22),
    punct("."),
]


def test_srt_layout_start_index_0() -> None:
    assert render(TWO_SENTENCES, "srt") == (
        "0\n00:00:00,640 --> 00:00:02,560\nWelcome to Amazon Transcribe.\n\n"
        "1\n00:00:03,010 --> 00:00:05,220\nThis is the second caption.\n"
    )


def test_vtt_layout_numbers_cues_from_the_start_index() -> None:
    assert render(TWO_SENTENCES, "vtt", start_index=1) == (
        "WEBVTT\n\n"
        "1\n00:00:00.640 --> 00:00:02.560\nWelcome to Amazon Transcribe.\n\n"
        "2\n00:00:03.010 --> 00:00:05.220\nThis is the second caption.\n"
    )


def test_no_speech_means_no_file() -> None:
    assert render([], "srt") is None
    assert render_all([punct(".")], ["srt", "vtt"]) == {}


def test_render_all_keeps_requested_formats() -> None:
    out = render_all(TWO_SENTENCES, ["vtt", "srt"], 1)
    assert list(out) == ["vtt", "srt"]
    assert out["vtt"].startswith("WEBVTT\n\n1\n")


def test_unknown_format_is_a_bug() -> None:
    with pytest.raises(ValueError):
        render(TWO_SENTENCES, "ttml")


@pytest.mark.parametrize(
    ("seconds", "sep", "text"),
    [
        (0.64, ",", "00:00:00,640"),
        (0.64, ".", "00:00:00.640"),
        (3725.0416, ",", "01:02:05,042"),
        (0.0, ",", "00:00:00,000"),
        (59.9996, ".", "00:01:00.000"),
    ],
)
def test_timestamp(seconds: float, sep: str, text: str) -> None:
    assert timestamp(seconds, sep) == text


def test_long_speech_is_cut_into_cues_of_two_short_lines() -> None:
    items = [word(f"word{i:02d}", i * 0.3, i * 0.3 + 0.25) for i in range(80)]
    found = cues(items)
    assert len(found) > 3
    for cue in found:
        assert 1 <= len(cue.lines) <= 2
        assert all(len(line) <= MAX_LINE_CHARS for line in cue.lines)
        assert cue.end - cue.start <= MAX_CUE_SECONDS
    assert sum(len(" ".join(c.lines).split()) for c in found) == 80  # nothing lost or repeated


def test_pause_and_speaker_change_start_new_cues() -> None:
    items = [
        word("one", 0.0, 0.3),
        word("two", 0.3, 0.6),
        word("three", 2.0, 2.3),
        word("four", 2.3, 2.6, speaker_label="spk_1"),
    ]
    assert [c.lines for c in cues(items)] == [["one two"], ["three"], ["four"]]


def test_punctuation_sticks_to_words() -> None:
    items = [
        word("Hola", 0.0, 0.3),
        punct(","),
        punct("¿"),
        word("cómo", 0.4, 0.6),
        word("estás", 0.6, 0.9),
        punct("?"),
    ]
    assert [c.lines for c in cues(items)] == [["Hola, ¿cómo estás?"]]


def test_wrap_balances_two_lines() -> None:
    words = ["I", "was", "born", "in", "London", "and", "I've", "been", "in", "the", "entertainment",
             "business"]
    lines = wrap(words)
    assert lines is not None and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) < 12
    assert wrap(["x" * 50, "y" * 50, "z" * 50]) is None
