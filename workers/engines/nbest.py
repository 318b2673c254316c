"""N-best hypotheses with word times and probabilities from a faster-whisper model.

faster-whisper's ``transcribe()`` keeps only the best beam. For AWS's alternative transcriptions
the CTranslate2 model is asked directly: ``generate(num_hypotheses=N, return_scores=True)`` gives
N scored token sequences for one ≤ 30 s window, and ``align()`` (what faster-whisper uses for its
own word timestamps) gives each hypothesis word times and per-token probabilities, so every
alternative carries real times and confidences, not copies of the best one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from workers.engines.base import Word

SAMPLE_RATE = 16_000
#: Whisper decodes at most 30 s at once.
MAX_SECONDS = 30.0


@dataclass(frozen=True)
class Hypothesis:
    text: str
    #: Mean token log-probability (CTranslate2's length-normalised score).
    score: float
    words: tuple[Word, ...]

    @property
    def probability(self) -> float:
        return math.exp(self.score)


def hypotheses(model: Any, audio: np.ndarray, *, language: str | None, n: int, beam_size: int = 5) -> list[Hypothesis]:
    """Up to ``n`` hypotheses for ``audio`` (cut to 30 s), best first; times relative to its start."""
    from faster_whisper.tokenizer import Tokenizer

    audio = audio[: int(MAX_SECONDS * SAMPLE_RATE)]
    if audio.size < SAMPLE_RATE // 10:
        return []
    multilingual = bool(model.model.is_multilingual)
    tokenizer = Tokenizer(model.hf_tokenizer, multilingual, task="transcribe",
                          language=(language or "en") if multilingual else None)
    features = model.feature_extractor(audio)
    num_frames = features.shape[-1]
    encoder_output = model.encode(features)
    prompt = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
    beams = max(n, beam_size)
    result = model.model.generate(
        encoder_output, [prompt], beam_size=beams, num_hypotheses=beams, return_scores=True,
        max_length=model.max_length, suppress_blank=True, suppress_tokens=[-1],
    )[0]
    out: list[Hypothesis] = []
    for tokens, score in zip(result.sequences_ids, result.scores, strict=True):
        text_tokens = [t for t in tokens if t < tokenizer.eot]
        if not text_tokens:
            continue
        aligned = model.find_alignment(tokenizer, [text_tokens], encoder_output, num_frames)[0]
        words = tuple(
            Word(text=w["word"], start=float(w["start"]), end=float(w["end"]), probability=float(w["probability"]))
            for w in aligned
        )
        out.append(Hypothesis(tokenizer.decode(text_tokens).strip(), float(score), words))
    out.sort(key=lambda h: h.score, reverse=True)
    return out
