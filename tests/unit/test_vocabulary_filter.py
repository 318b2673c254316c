"""Vocabulary filters as pure stages: the shared matcher, and mask/remove/tag reaching the items,
the transcript text, audio_segments and subtitles alike."""

from __future__ import annotations

import pytest

from workers.engines.base import Segment, Word
from workers.pipeline import subtitles
from workers.pipeline.customization import JOB_LEVEL, Customization, FilterSpec, JobCustomizations
from workers.pipeline.transcript import build_transcript, tokens_from_segments
from workers.pipeline.vocabulary_filter import MASK, apply_filter, find_matches, normalize


def seg(*words: tuple[str, float, float]) -> Segment:
    ws = tuple(Word(t, s, e, 0.9) for t, s, e in words)
    return Segment(ws[0].start, ws[-1].end, "".join(w.text for w in ws), ws)


SPEECH = [
    seg((" Oh", 0.0, 0.3), (" darn,", 0.3, 0.7), (" that", 0.8, 1.0), (" DARN", 1.0, 1.4), (" printer", 1.4, 1.9),
        (" jammed.", 1.9, 2.4)),
    seg((" Darned", 3.0, 3.4), (" if", 3.4, 3.5), (" I", 3.5, 3.6), (" know,", 3.6, 4.0), (" darn!", 4.2, 4.6)),
]


def doc_for(method: str, words: list[str] = ["darn"]) -> dict:  # noqa: B006
    tokens = apply_filter(tokens_from_segments(SPEECH), words, method)
    return build_transcript("j", "1", tokens)


def texts(doc: dict) -> tuple[str, list[str], list[str]]:
    items = doc["results"]["items"]
    return (doc["results"]["transcripts"][0]["transcript"], [s["transcript"] for s in doc["results"]["audio_segments"]],
            [i["alternatives"][0]["content"] for i in items])


# --------------------------------------------------------------------------- matcher


def test_normalize_folds_case_punctuation_apostrophes_and_acronym_periods() -> None:
    assert normalize("DARN,") == "darn"
    assert normalize("(Darn") == "darn"
    assert normalize("don\u2019t") == "don't"
    assert normalize("F.B.I.") == "fbi"
    assert normalize("...") == ""


def test_find_matches_whole_words_only_case_insensitive() -> None:
    words = ["Darn", "darned", "darn,", "adarn", "DARN!", "darn's"]
    assert find_matches(words, ["darn"]) == [(0, 1), (2, 3), (4, 5)]


def test_find_matches_multi_word_and_hyphenated_entries() -> None:
    words = ["Ice", "cream,", "ice,", "cream", "and", "ice-cream", "or", "well-known", "well", "known"]
    # "ice cream" across a comma is two separate words, not the entry
    assert find_matches(words, ["ice-cream"]) == [(0, 2), (5, 6)]
    assert find_matches(words, ["ice cream"]) == [(0, 2)]
    assert find_matches(words, ["well"]) == [(8, 9)]  # never inside "well-known"
    assert find_matches(words, ["well-known"]) == [(7, 8), (8, 10)]


def test_find_matches_prefers_the_longest_entry_and_never_overlaps() -> None:
    words = ["big", "bad", "wolf", "bad"]
    assert find_matches(words, ["bad", "big-bad", "bad-wolf"]) == [(0, 2), (3, 4)]


def test_find_matches_unicode_and_empty() -> None:
    assert find_matches(["Maldita", "SEA", "señal"], ["sea", "Señal"]) == [(1, 2), (2, 3)]
    assert find_matches([], ["x"]) == [] and find_matches(["x"], []) == []
    assert find_matches(["...", "x"], ["..."]) == []


# --------------------------------------------------------------------------- methods on transcripts


def test_mask_replaces_exactly_the_listed_words_everywhere() -> None:
    doc = doc_for("mask")
    text, segments, contents = texts(doc)
    assert text == "Oh ***, that *** printer jammed. Darned if I know, ***!"
    assert segments == ["Oh ***, that *** printer jammed.", "Darned if I know, ***!"]
    masked = [i for i in doc["results"]["items"] if i["alternatives"][0]["content"] == MASK]
    assert len(masked) == 3 and all("start_time" in i and i["type"] == "pronunciation" for i in masked)
    assert "Darned" in contents  # a longer word is not the filtered word
    srt = subtitles.render(doc["results"]["items"], "srt")
    assert srt is not None and "***" in srt and "darn" not in srt.lower().replace("darned", "")


def test_remove_deletes_the_words_and_keeps_ids_dense() -> None:
    doc = doc_for("remove")
    text, segments, _ = texts(doc)
    assert text == "Oh, that printer jammed. Darned if I know!"
    assert segments == ["Oh, that printer jammed.", "Darned if I know!"]
    items = doc["results"]["items"]
    assert [i["id"] for i in items] == list(range(len(items)))
    assert all(i["alternatives"][0]["content"].lower() != "darn" for i in items)
    vtt = subtitles.render(items, "vtt")
    assert vtt is not None and "Oh, that printer jammed." in vtt


def test_tag_keeps_words_and_flags_only_the_matches() -> None:
    doc = doc_for("tag")
    text, _, _ = texts(doc)
    assert text == "Oh darn, that DARN printer jammed. Darned if I know, darn!"
    flagged = [i["alternatives"][0]["content"] for i in doc["results"]["items"] if i.get("vocabulary_filter_match")]
    assert flagged == ["darn", "DARN", "darn"]
    assert all(i["vocabulary_filter_match"] is True for i in doc["results"]["items"] if "vocabulary_filter_match" in i)
    # tagging does not split audio segments
    assert len(doc["results"]["audio_segments"]) == 2


def test_remove_at_the_start_leaves_no_orphan_comma() -> None:
    tokens = tokens_from_segments([seg((" Darn,", 0.0, 0.4), (" it", 0.5, 0.7), (" works.", 0.7, 1.0))])
    doc = build_transcript("j", "1", apply_filter(tokens, ["darn"], "remove"))
    assert doc["results"]["transcripts"][0]["transcript"] == "it works."


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError):
        apply_filter([], ["x"], "bleep")


def test_filter_applies_only_when_its_language_is_the_jobs() -> None:
    spec = FilterSpec(("darn",), "mask", "en-US")
    jobs = JobCustomizations({JOB_LEVEL: Customization(vocabulary_filter=spec)})
    tokens = tokens_from_segments(SPEECH)
    assert jobs.pick("en-GB").apply(tokens) == tokens
    assert [t.content for t in jobs.pick("en-US").apply(tokens)].count(MASK) == 3


def test_language_id_settings_pick_the_identified_languages_filter() -> None:
    jobs = JobCustomizations({
        "en-US": Customization(vocabulary_filter=FilterSpec(("darn",), "mask", "en-US")),
        "es-US": Customization(vocabulary_filter=FilterSpec(("printer",), "remove", "es-US")),
    })
    assert jobs.pick("en-US").vocabulary_filter == FilterSpec(("darn",), "mask", "en-US")
    assert jobs.pick("es-US").vocabulary_filter is not None
    assert jobs.pick("fr-FR") == Customization()
