"""Speaker, channel and alternatives blocks in the medical layout, and their dictation rebuild
(pure stages over built transcripts; the real stages are exercised in tests/compat/test_medical_e2e.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from workers.engines.base import Recognition, Segment, Word
from workers.engines.diarization.base import SpeakerTurn
from workers.engines.nbest import Hypothesis
from workers.pipeline import channels, speakers
from workers.pipeline.alternatives import segment_entry
from workers.pipeline.medical import medical_results
from workers.pipeline.medical_bias import BiasedRecognizer, compile_bias
from workers.pipeline.transcript import build_transcript, tokens_from_segments


def words(text: str, start: float = 0.0, step: float = 0.5) -> tuple[Word, ...]:
    return tuple(Word(" " + w, start + i * step, start + i * step + 0.4, 0.9) for i, w in enumerate(text.split()))


def transcript(text: str, turns: list[SpeakerTurn] | None = None) -> dict[str, Any]:
    ws = words(text)
    tokens = tokens_from_segments([Segment(0.0, len(ws) * 0.5, text, ws)])
    if turns is not None:
        tokens = speakers.assign(tokens, turns)
    return build_transcript("visit", "1", tokens)


def test_speaker_labels_take_the_medical_shape_and_follow_dictation() -> None:
    doc = transcript("no fever comma cough period new paragraph plan rest period",
                     [SpeakerTurn(0.0, 2.4, 0), SpeakerTurn(2.4, 6.0, 1)])
    speakers.add_block(doc)
    out = medical_results(doc["results"], dictation=True)
    assert list(out) == ["transcripts", "speaker_labels", "items"]
    block = out["speaker_labels"]
    assert list(block) == ["speakers", "segments"] and block["speakers"] == 2
    # the words "comma", "period", "new paragraph" are gone from the block as from the items
    timed = [(i["start_time"], i["end_time"]) for i in out["items"] if i["type"] == "pronunciation"]
    assert [(i["start_time"], i["end_time"]) for s in block["segments"] for i in s["items"]] == timed
    assert [i["alternatives"][0]["content"] for i in out["items"] if i["type"] == "pronunciation"] == [
        "no", "fever", "cough", "Plan", "rest"]
    assert out["transcripts"][0]["transcript"] == "no fever, cough.\n\nPlan rest."
    assert [s["speaker_label"] for s in block["segments"]] == ["spk_0", "spk_1"]


def test_channel_items_carry_no_channel_label() -> None:
    left = tokens_from_segments([Segment(0.0, 1.0, "x", words("how are you"))])
    right = tokens_from_segments([Segment(2.0, 3.0, "x", words("fine thanks", start=2.0))])
    doc = build_transcript("visit", "1", channels.merge([left, right]))
    channels.add_block(doc, 2)
    out = medical_results(doc["results"], dictation=False)
    assert list(out) == ["transcripts", "channel_labels", "items"]
    block = out["channel_labels"]
    assert block["number_of_channels"] == 2
    assert [c["channel_label"] for c in block["channels"]] == ["ch_0", "ch_1"]
    for channel in block["channels"]:
        assert channel["items"] and all("channel_label" not in i and "id" not in i for i in channel["items"])
    said = [" ".join(i["alternatives"][0]["content"] for i in c["items"]) for c in block["channels"]]
    assert said == ["how are you", "fine thanks"]
    assert {i["channel_label"] for i in out["items"]} == {"ch_0", "ch_1"}  # items keep their labels


def test_alternatives_are_dictated_like_the_transcript() -> None:
    doc = transcript("lungs clear period new paragraph plan colon rest")
    seg = doc["results"]["audio_segments"][0]
    items_by_id = {i["id"]: i for i in doc["results"]["items"]}
    other = Hypothesis("lungs clear period new paragraph plan colon best", -0.3,
                       words("lungs clear period new paragraph plan colon best", start=0.25))
    doc["results"]["segments"] = [segment_entry(seg, items_by_id, [other], offset=-0.25, max_alternatives=2)]
    plain = medical_results(doc["results"], dictation=False)
    assert "period" in plain["segments"][0]["alternatives"][1]["transcript"]  # CONVERSATION: words stay
    out = medical_results(doc["results"], dictation=True)
    assert list(out) == ["transcripts", "items", "segments"]
    alts = out["segments"][0]["alternatives"]
    assert [a["transcript"] for a in alts] == ["lungs clear.\n\nPlan: rest", "lungs clear.\n\nPlan: best"]
    assert alts[0]["transcript"] == out["transcripts"][0]["transcript"]
    for alt in alts:
        assert all(set(i) <= {"start_time", "end_time", "confidence", "content", "type"} for i in alt["items"])
        assert [i["content"] for i in alt["items"] if i["type"] == "punctuation"] == [".", "\n\n", ":"]


class NBestEngine:
    def transcribe(self, audio: np.ndarray, **kw: Any) -> Recognition:
        return Recognition("en", 1.0, [])

    def detect_language(self, audio: np.ndarray, candidates: Any = None) -> list[tuple[str, float]]:
        return [("en", 1.0)]

    def alternatives(self, audio: np.ndarray, *, language: str | None = None, n: int = 2) -> list[Hypothesis]:
        return [Hypothesis("start lisin opril", -0.2, words("start lisin opril"))]


def test_biased_recognizer_passes_alternatives_through_with_corrections() -> None:
    bias = compile_bias(None, use_lexicon=True, dictation=False)
    biased = BiasedRecognizer(NBestEngine(), bias)  # type: ignore[arg-type]
    hyps = biased.alternatives(np.zeros(16000, np.float32), language="en", n=2)
    assert [h.text for h in hyps] == ["start lisinopril"]
    assert [w.text.strip() for w in hyps[0].words] == ["start", "lisinopril"]
    # an engine without n-best: the wrapper has none either, as the alternatives stage checks
    no_nbest = BiasedRecognizer(object(), bias)  # type: ignore[arg-type]
    assert not hasattr(no_nbest, "alternatives")


def test_importing_the_medical_pipeline_loads_no_heavy_engine() -> None:
    """Every worker imports the medical glue on its first medical job; PHI's engine (presidio,
    spaCy) must still load only when a job asks for PHI (see tests/unit/test_worker_imports.py)."""
    heavy = ("torch", "spacy", "presidio_analyzer", "pyannote.audio", "thinc")
    code = ("import json, sys\nimport workers.medical, workers.pipeline.medical, workers.pipeline.phi\n"
            f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))\n")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(root),
                                                                 HARKEN_DEV_MODE="true"),
                         cwd=root, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
