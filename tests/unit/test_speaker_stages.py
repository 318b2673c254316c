"""The pure stages behind speaker labels, channels, alternatives and multi-language spans."""

from __future__ import annotations

import numpy as np
import pytest

from workers.engines.base import Recognition, Segment, Word
from workers.engines.diarization import clustering
from workers.engines.diarization.base import Diarization, SpeakerTurn
from workers.engines.nbest import Hypothesis
from workers.pipeline import alternatives, channels, multilingual, speakers, subtitles
from workers.pipeline.transcript import build_transcript, tokens_from_segments


def words(*spec: tuple[str, float, float]) -> tuple[Word, ...]:
    return tuple(Word(text, start, end, 0.9) for text, start, end in spec)


def test_cap_numbers_speakers_by_first_appearance_and_joins_adjacent_turns() -> None:
    found = Diarization([SpeakerTurn(3.0, 4.0, 7), SpeakerTurn(0.0, 1.0, 5), SpeakerTurn(1.0, 2.0, 5)])
    assert speakers.cap(found, 5) == [SpeakerTurn(0.0, 2.0, 0), SpeakerTurn(3.0, 4.0, 1)]


def test_cap_merges_the_quietest_speaker_into_the_most_similar_voice() -> None:
    turns = [SpeakerTurn(0, 5, 0), SpeakerTurn(5, 9, 1), SpeakerTurn(9, 10, 2), SpeakerTurn(10, 14, 0)]
    cents = {0: np.array([1.0, 0.0]), 1: np.array([0.0, 1.0]), 2: np.array([0.1, 0.99])}
    capped = speakers.cap(Diarization(turns, cents), 2)
    assert [(t.start, t.end, t.speaker) for t in capped] == [(0, 5, 0), (5, 10, 1), (10, 14, 0)]
    # Without centroids the quietest speaker joins the one who spoke most.
    capped = speakers.cap(Diarization(turns), 2)
    assert [(t.start, t.end, t.speaker) for t in capped] == [(0, 5, 0), (5, 9, 1), (9, 14, 0)]


def test_assign_by_overlap_nearest_turn_and_punctuation() -> None:
    tokens = tokens_from_segments([Segment(0, 5, "", words(
        ("¿Hola", 0.1, 0.5), ("amigo?", 0.5, 1.1), ("Yes,", 2.9, 3.4), ("fine.", 4.6, 4.9)))])
    turns = [SpeakerTurn(0.0, 1.0, 0), SpeakerTurn(3.0, 4.0, 1)]
    labelled = speakers.assign(tokens, turns)
    assert [(t.content, t.labels["speaker_label"]) for t in labelled] == [
        ("¿", "spk_0"), ("Hola", "spk_0"), ("amigo", "spk_0"), ("?", "spk_0"),
        ("Yes", "spk_1"), (",", "spk_1"), ("fine", "spk_1"), (".", "spk_1"),
    ]
    assert {t.labels["speaker_label"] for t in speakers.assign(tokens, [])} == {"spk_0"}


def test_speaker_labels_block_matches_items_and_audio_segments() -> None:
    tokens = tokens_from_segments([Segment(0, 3, "", words(
        ("Hi,", 0.04, 0.35), ("how", 0.35, 0.59), ("are", 0.59, 0.79), ("you?", 0.79, 1.19),
        ("Fine,", 1.6, 1.95), ("thanks.", 2.01, 2.35)))])
    tokens = speakers.assign(tokens, [SpeakerTurn(0.0, 1.3, 0), SpeakerTurn(1.5, 2.5, 1)])
    doc = build_transcript("j", "111122223333", tokens)
    speakers.add_block(doc)
    results = doc["results"]
    assert list(results)[:2] == ["transcripts", "speaker_labels"]
    block = results["speaker_labels"]
    assert block["speakers"] == 2 and block["channel_label"] == "ch_0"
    seg0, seg1 = block["segments"]
    assert (seg0["start_time"], seg0["end_time"], seg0["speaker_label"]) == ("0.04", "1.19", "spk_0")
    assert (seg1["start_time"], seg1["end_time"], seg1["speaker_label"]) == ("1.6", "2.35", "spk_1")
    timed = [(i["start_time"], i["end_time"]) for i in results["items"] if i["type"] == "pronunciation"]
    assert [(i["start_time"], i["end_time"]) for s in block["segments"] for i in s["items"]] == timed
    assert [(s["transcript"], s["speaker_label"]) for s in results["audio_segments"]] == [
        ("Hi, how are you?", "spk_0"), ("Fine, thanks.", "spk_1")]
    assert all("speaker_label" in i for i in results["items"])
    cues = subtitles.cues(results["items"])
    assert [c.lines for c in cues] == [["Hi, how are you?"], ["Fine, thanks."]]


def test_channel_merge_orders_utterances_in_time_and_builds_channel_labels() -> None:
    ch0 = Recognition("en", 1.0, [Segment(0.5, 12.0, "", words(
        ("Hello,", 0.52, 0.91), ("thanks.", 0.91, 1.28), ("Anything", 9.0, 9.5), ("else?", 9.5, 9.9)))])
    ch1 = Recognition("en", 1.0, [Segment(2.0, 3.0, "", words(("Hi,", 2.10, 2.31), ("help.", 2.66, 2.98)))])
    tokens = channels.merge([tokens_from_segments(r.segments) for r in (ch0, ch1)])
    doc = build_transcript("j", "1", tokens)
    channels.add_block(doc, 2)
    results = doc["results"]
    assert results["transcripts"][0]["transcript"] == "Hello, thanks. Hi, help. Anything else?"
    assert [(s["transcript"], s["channel_label"]) for s in results["audio_segments"]] == [
        ("Hello, thanks.", "ch_0"), ("Hi, help.", "ch_1"), ("Anything else?", "ch_0")]
    block = results["channel_labels"]
    assert block["number_of_channels"] == 2
    assert [c["channel_label"] for c in block["channels"]] == ["ch_0", "ch_1"]
    ch0_items = block["channels"][0]["items"]
    assert [i["alternatives"][0]["content"] for i in ch0_items] == [
        "Hello", ",", "thanks", ".", "Anything", "else", "?"]
    assert all("id" not in i and i["channel_label"] == "ch_0" for i in ch0_items)
    assert len(ch0_items) + len(block["channels"][1]["items"]) == len(results["items"])


def _transcript_with_one_segment() -> dict:
    tokens = tokens_from_segments([Segment(1.0, 3.0, "", words(
        ("Welcome", 1.0, 1.4), ("to", 1.4, 1.5), ("Amazon", 1.5, 2.0), ("Transcribe.", 2.0, 2.8)))])
    return build_transcript("j", "1", tokens)


class FakeNBest:
    def __init__(self, hyps: list[Hypothesis]) -> None:
        self.hyps = hyps
        self.calls: list[tuple[int, str | None, int]] = []

    def alternatives(self, audio: np.ndarray, *, language: str | None = None, n: int = 2) -> list[Hypothesis]:
        self.calls.append((audio.size, language, n))
        return self.hyps


def test_alternatives_segments_dedupe_and_keep_the_best_first() -> None:
    doc = _transcript_with_one_segment()
    rel = 1.0 - alternatives.PAD_SECONDS  # hypothesis times are relative to the padded cut
    hyps = [
        Hypothesis("Welcome to Amazon Transcribe.", -0.1, words(
            ("Welcome", 1 - rel, 1.4 - rel), ("to", 1.4 - rel, 1.5 - rel), ("Amazon", 1.5 - rel, 2.0 - rel),
            ("Transcribe.", 2.0 - rel, 2.8 - rel))),
        Hypothesis("welcome to amazon transcribe", -0.2, ()),  # same words: dropped
        Hypothesis("Welcome to Amazon transcribed.", -0.3, words(("Welcome", 0.25, 0.65), ("to", 0.65, 0.75),
                   ("Amazon", 0.75, 1.25), ("transcribed.", 1.25, 2.05))),
        Hypothesis("Welcome.", -0.4, words(("Welcome.", 0.25, 0.65))),  # stopped early: dropped
        Hypothesis("Welcome to Amazon, transcribe it.", -0.5, words(("Welcome", 0.25, 0.65), ("to", 0.65, 0.75),
                   ("Amazon,", 0.75, 1.25), ("transcribe", 1.25, 1.8), ("it.", 1.8, 2.05))),
    ]
    fake = FakeNBest(hyps)
    audio = np.zeros(16_000 * 4, np.float32)
    segs = alternatives.segments(doc, lambda seg: audio, fake, language="en", max_alternatives=3)
    assert fake.calls == [(int((2.8 + 0.25) * 16000) - int(0.75 * 16000), "en", 6)]
    (seg,) = segs
    assert (seg["start_time"], seg["end_time"]) == ("1.0", "2.8")
    assert [a["transcript"] for a in seg["alternatives"]] == [
        "Welcome to Amazon Transcribe.", "Welcome to Amazon transcribed.", "Welcome to Amazon, transcribe it."]
    second = seg["alternatives"][1]["items"]
    assert second[3] == {"start_time": "2.0", "end_time": "2.8", "confidence": "0.9", "content": "transcribed",
                         "type": "pronunciation"}
    assert second[4] == {"confidence": "0.0", "content": ".", "type": "punctuation"}
    best = seg["alternatives"][0]["items"]
    assert [i["content"] for i in best] == ["Welcome", "to", "Amazon", "Transcribe", "."]
    # MaxAlternatives bounds the list; without an n-best engine only the best reading is listed.
    assert len(alternatives.segments(doc, lambda s: audio, fake, language="en", max_alternatives=2)[0]
               ["alternatives"]) == 2
    assert len(alternatives.segments(doc, lambda s: audio, None, language="en", max_alternatives=5)[0]
               ["alternatives"]) == 1


def test_multilingual_chunks_and_spans() -> None:
    regions = [(0.0, 1.0), (1.3, 4.0), (5.0, 6.0), (7.0, 9.0), (9.5, 9.8)]
    assert multilingual.chunks(regions) == [(0.0, 4.0), (5.0, 9.8)]
    assert multilingual.chunks([(0.0, 70.0)]) == [(0.0, 30.0), (30.0, 60.0), (60.0, 70.0)]
    spans = multilingual.join([(0, 4, "en", 0.9), (5, 8, "en", 0.7), (9, 12, "es", 0.8)])
    assert [(s.start, s.end, s.language) for s in spans] == [(0, 8, "en"), (9, 12, "es")]
    assert spans[0].score == pytest.approx((0.9 * 4 + 0.7 * 3) / 7)


def test_settings_switches() -> None:
    assert speakers.wanted({"ShowSpeakerLabels": True, "MaxSpeakerLabels": 5}) == 5
    assert speakers.wanted({"MaxSpeakerLabels": 5}) is None
    assert alternatives.wanted({"ShowAlternatives": True, "MaxAlternatives": 4}) == 4
    assert alternatives.wanted({}) is None
    assert channels.wanted({"ChannelIdentification": True}) and not channels.wanted({})


def test_spectral_clustering_counts_clusters() -> None:
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(4, 32))
    for k in (1, 2, 3, 4):
        points = np.concatenate([centres[i] + rng.normal(scale=0.15, size=(12, 32)) for i in range(k)])
        labels = clustering.cluster(points, max_speakers=8)
        assert len(set(labels)) == k, k
        for i in range(k):  # each true cluster is one label
            assert len(set(labels[i * 12 : (i + 1) * 12])) == 1
    points = np.concatenate([centres[i] + rng.normal(scale=0.15, size=(12, 32)) for i in range(4)])
    assert len(set(clustering.cluster(points, max_speakers=2))) == 2
    assert list(clustering.cluster(points[:1], max_speakers=3)) == [0]


def test_mel_filters_match_torchaudio_slaney() -> None:
    torchaudio_functional = pytest.importorskip("torchaudio.functional")
    from workers.engines.diarization.embedded import mel_filters

    theirs = torchaudio_functional.melscale_fbanks(201, 0.0, 8000.0, 40, 16000, norm="slaney", mel_scale="slaney")
    np.testing.assert_allclose(mel_filters(), theirs.numpy().T, atol=1e-6)


def test_redacted_copy_gets_speaker_labels_rebuilt_from_its_items() -> None:
    from workers.engines.pii.base import PiiEntity
    from workers.pipeline import annotate, redaction

    tokens = tokens_from_segments([Segment(0, 4, "", words(
        ("My", 0.1, 0.3), ("name", 0.3, 0.6), ("is", 0.6, 0.8), ("John", 0.8, 1.1), ("Smith.", 1.1, 1.6),
        ("Hello", 2.0, 2.4), ("John.", 2.4, 2.9)))])
    doc = build_transcript("j", "1", speakers.assign(tokens, [SpeakerTurn(0, 1.8, 0), SpeakerTurn(1.9, 3, 1)]))
    speakers.add_block(doc)
    redacted = redaction.apply_entities(doc, [PiiEntity(3, 5, "NAME", 0.99)])
    annotate.refresh_blocks(redacted)
    items = redacted["results"]["items"]
    timed = [(i["start_time"], i["end_time"], i["speaker_label"]) for i in items if i["type"] == "pronunciation"]
    block = redacted["results"]["speaker_labels"]
    assert [(i["start_time"], i["end_time"], i["speaker_label"]) for s in block["segments"] for i in s["items"]] \
        == timed
    assert ("0.8", "1.6", "spk_0") in timed
    assert list(redacted["results"]).count("speaker_labels") == 1
    # The unredacted document keeps its own block.
    assert len([i for s in doc["results"]["speaker_labels"]["segments"] for i in s["items"]]) == 7
