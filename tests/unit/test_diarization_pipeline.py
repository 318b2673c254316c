"""Speaker labels, channels, alternatives and language spans through ``transcribe_media``.

The diarizers here are the real ones (the embedded backend loads its real encoder weights; the
pyannote backend loads random-weight checkpoints built at test time). Tests marked slow also run
the real faster-whisper models; the others stand a scripted recognizer in for Whisper that speaks
the fixtures' known words at their known times, so speaker and channel assignment is checked
against the truth without a language model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.support.der import der, turns_of
from tests.support.synth import Turn, read_truth
from workers.engines.base import Recognition, Segment, Word
from workers.engines.diarization.embedded import EmbeddedDiarizer
from workers.pipeline import media
from workers.pipeline.contract import JobOptions
from workers.pipeline.run import transcribe_media

DATA = Path(__file__).resolve().parents[1] / "data"
DIAR = DATA / "diarization"


@pytest.fixture(scope="module")
def embedded() -> EmbeddedDiarizer:
    return EmbeddedDiarizer()


def _truth(name: str) -> list[Turn]:
    return read_truth(DIAR / f"{name}.json")


def _mono(name: str) -> np.ndarray:
    _, audio = media.load(DIAR / f"{name}.flac")
    return audio.mono


class ScriptedRecognizer:
    """Says each turn's words evenly spread over the turn — on channels where there is sound."""

    def __init__(self, turns: Sequence[Turn]) -> None:
        self.turns = turns
        self.calls = 0

    def transcribe(self, audio: np.ndarray, *, language: str | None = None, initial_prompt: str | None = None,
                   hotwords: str | None = None) -> Recognition:
        self.calls += 1
        segments = []
        for turn in self.turns:
            a, b = int(turn.start * 16000), int(turn.end * 16000)
            if b > len(audio) or np.abs(audio[a:b]).max(initial=0.0) < 0.01:
                continue  # nothing said on this signal then
            texts = turn.text.split()
            step = (turn.end - turn.start) / len(texts)
            words = tuple(Word(" " + w, turn.start + i * step, turn.start + (i + 1) * step - 0.02, 0.9)
                          for i, w in enumerate(texts))
            segments.append(Segment(turn.start, turn.end, turn.text, words))
        return Recognition(language or "en", 1.0, segments)

    def detect_language(self, audio: np.ndarray, candidates: Sequence[str] | None = None) -> list[tuple[str, float]]:
        return [("en", 1.0)]


def options(**settings: Any) -> JobOptions:
    return JobOptions(job_name="diar", account_id="111122223333", language_code="en-US", settings=settings,
                      subtitle_formats=("srt",))


@pytest.mark.parametrize("name,count", [("two-speakers", 2), ("three-speakers", 3)])
def test_embedded_backend_finds_the_speakers_and_their_turns(embedded: EmbeddedDiarizer, name: str,
                                                             count: int) -> None:
    found = embedded.diarize(_mono(name), max_speakers=6)
    assert len(found.speakers) == count
    reference = [(t.start, t.end, t.speaker) for t in _truth(name)]
    hypothesis = turns_of(found)
    assert der(reference, hypothesis) < 0.10
    assert set(found.centroids) == set(found.speakers)


def test_embedded_backend_on_recorded_speech(embedded: EmbeddedDiarizer) -> None:
    """tests/data/audio/multi-speaker.wav: two people, the second starts at about 2.3 s."""
    _, audio = media.load(DATA / "audio" / "multi-speaker.wav")
    found = embedded.diarize(audio.mono, max_speakers=5)
    assert len(found.speakers) == 2
    first, *rest = found.turns
    assert first.start < 0.5 and 1.8 < first.end < 2.6
    assert {t.speaker for t in rest} == {1 - first.speaker}


def test_max_speakers_caps_the_count(embedded: EmbeddedDiarizer) -> None:
    assert len(embedded.diarize(_mono("three-speakers"), max_speakers=2).speakers) <= 2
    assert embedded.diarize(np.zeros(16000 * 3, np.float32), max_speakers=2).turns == []


def test_words_get_their_speakers_end_to_end(embedded: EmbeddedDiarizer) -> None:
    truth = _truth("three-speakers")
    result = transcribe_media(DIAR / "three-speakers.flac", options(ShowSpeakerLabels=True, MaxSpeakerLabels=4),
                              engine=ScriptedRecognizer(truth), diarizer=embedded)
    results = result.transcript["results"]
    block = results["speaker_labels"]
    assert block["speakers"] == 3
    # Speakers are numbered by first appearance, so the truth's A, B, C are spk_0, spk_1, spk_2.
    expected = {"A": "spk_0", "B": "spk_1", "C": "spk_2"}
    right = total = 0
    for item in results["items"]:
        if item["type"] != "pronunciation":
            continue
        t = (float(item["start_time"]) + float(item["end_time"])) / 2
        turn = next(tr for tr in truth if tr.start <= t <= tr.end)
        right += item["speaker_label"] == expected[turn.speaker]
        total += 1
    assert right / total >= 0.95
    assert [s["speaker_label"] for s in block["segments"]] == [expected[t.speaker] for t in truth]
    assert [s["speaker_label"] for s in results["audio_segments"]] == [expected[t.speaker] for t in truth]
    assert result.subtitles["srt"].count(" --> ") >= len(truth)


def test_max_speaker_labels_merges_extra_speakers(embedded: EmbeddedDiarizer) -> None:
    result = transcribe_media(DIAR / "three-speakers.flac", options(ShowSpeakerLabels=True, MaxSpeakerLabels=2),
                              engine=ScriptedRecognizer(_truth("three-speakers")), diarizer=embedded)
    results = result.transcript["results"]
    assert results["speaker_labels"]["speakers"] == 2
    assert {i["speaker_label"] for i in results["items"]} == {"spk_0", "spk_1"}


def test_channels_are_transcribed_apart() -> None:
    truth = _truth("stereo-call")
    fake = ScriptedRecognizer(truth)
    result = transcribe_media(DIAR / "stereo-call.flac", options(ChannelIdentification=True), engine=fake)
    assert fake.calls == 2
    results = result.transcript["results"]
    assert results["channel_labels"]["number_of_channels"] == 2
    assert [s["channel_label"] for s in results["audio_segments"]] == [f"ch_{t.channel}" for t in truth]
    for channel in results["channel_labels"]["channels"]:
        said = " ".join(i["alternatives"][0]["content"] for i in channel["items"] if i["type"] == "pronunciation")
        wanted = " ".join(t.text for t in truth if f"ch_{t.channel}" == channel["channel_label"])
        assert said.split() == [w.strip(",.?") for w in wanted.split()]
    starts = [float(i["start_time"]) for i in results["items"] if "start_time" in i]
    assert starts == sorted(starts)


def test_plain_jobs_carry_none_of_the_blocks() -> None:
    result = transcribe_media(DIAR / "stereo-call.flac", options(), engine=ScriptedRecognizer(_truth("stereo-call")))
    results = result.transcript["results"]
    assert not {"speaker_labels", "channel_labels", "segments"} & set(results)
    assert all("speaker_label" not in i and "channel_label" not in i for i in results["items"])


# ----------------------------------------------------------------------------- real Whisper


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from workers.engines.whisper import WhisperRecognizer

    return WhisperRecognizer(model="tiny.en", cache_dir=tmp_path_factory.mktemp("models"))


@pytest.mark.slow
def test_diarized_transcript_with_whisper(tiny: Any, embedded: EmbeddedDiarizer) -> None:
    result = transcribe_media(DIAR / "two-speakers.flac", options(ShowSpeakerLabels=True, MaxSpeakerLabels=3),
                              engine=tiny, diarizer=embedded)
    results = result.transcript["results"]
    assert results["speaker_labels"]["speakers"] == 2
    truth = _truth("two-speakers")
    by_speaker = {"spk_0": "", "spk_1": ""}
    for seg in results["audio_segments"]:
        by_speaker[seg["speaker_label"]] += " " + seg["transcript"].lower()
    assert "router" in by_speaker["spk_0"] and "unplug" in by_speaker["spk_0"]
    assert "internet" in by_speaker["spk_1"] and "blinking" not in by_speaker["spk_0"]
    assert len(results["audio_segments"]) >= len(truth)


@pytest.mark.slow
def test_channel_identification_with_whisper(tiny: Any) -> None:
    result = transcribe_media(DIAR / "stereo-call.flac", options(ChannelIdentification=True), engine=tiny)
    channels = {c["channel_label"]: " ".join(i["alternatives"][0]["content"] for i in c["items"]).lower()
                for c in result.transcript["results"]["channel_labels"]["channels"]}
    assert "bank" in channels["ch_0"] and "alex" in channels["ch_0"] and "balance" not in channels["ch_0"]
    assert "balance" in channels["ch_1"] and "savings" in channels["ch_1"] and "bank" not in channels["ch_1"]


@pytest.mark.slow
def test_alternatives_with_whisper(tiny: Any) -> None:
    result = transcribe_media(DATA / "audio" / "en-gb.flac", options(ShowAlternatives=True, MaxAlternatives=4),
                              engine=tiny)
    results = result.transcript["results"]
    segments = results["segments"]
    assert len(segments) == len(results["audio_segments"])
    for seg, audio_seg in zip(segments, results["audio_segments"], strict=True):
        alts = seg["alternatives"]
        assert 1 <= len(alts) <= 4
        assert alts[0]["transcript"] == audio_seg["transcript"]
        texts = [" ".join(a["transcript"].lower().replace(",", "").replace(".", "").split()) for a in alts]
        assert len(set(texts)) == len(texts)
        for alt in alts:
            for item in alt["items"]:
                assert set(item) <= {"start_time", "end_time", "confidence", "content", "type"}
                assert isinstance(item["confidence"], str) and 0.0 <= float(item["confidence"]) <= 1.0
                if item["type"] == "pronunciation":
                    assert float(seg["start_time"]) <= float(item["start_time"]) <= float(seg["end_time"])
    assert any(len(s["alternatives"]) > 1 for s in segments)


@pytest.mark.slow
def test_multiple_languages_with_the_base_model(tmp_path_factory: pytest.TempPathFactory) -> None:
    from workers.engines.whisper import WhisperRecognizer

    base = WhisperRecognizer(model="base", cache_dir=tmp_path_factory.mktemp("models"))
    job = JobOptions(job_name="multi", account_id="111122223333", identify_multiple_languages=True,
                     language_options=("en-US", "es-ES", "fr-FR"))
    result = transcribe_media(DIAR / "mixed-language.flac", job, engine=base)
    results = result.transcript["results"]
    truth = _truth("mixed-language")
    codes = {c["language_code"] for c in results["language_codes"]}
    assert codes == {"en-US", "es-ES"}
    assert {c["LanguageCode"] for c in result.language_codes or []} == codes
    for item in results["items"]:
        if item["type"] == "pronunciation":
            mid = (float(item["start_time"]) + float(item["end_time"])) / 2
            turn = min(truth, key=lambda t: 0 if t.start <= mid <= t.end else min(abs(mid - t.start), abs(mid - t.end)))
            assert item["language_code"] == turn.language, item
    spanish = " ".join(s["transcript"] for s in results["audio_segments"] if s["language_code"] == "es-ES")
    assert "gracias" in spanish.lower()
    english = {c["language_code"]: c["duration_in_seconds"] for c in results["language_codes"]}
    assert all(v > 3 for v in english.values())
    json.dumps(result.transcript)  # the document is plain JSON
