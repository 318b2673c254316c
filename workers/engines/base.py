"""What the pipeline needs from a speech recognizer, and nothing more.

Keeping this a small protocol over plain dataclasses lets every pipeline stage be tested with a
fake recognizer, and lets another engine (a streaming model, a remote GPU service) slot in later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True)
class Word:
    """One recognised word as the model wrote it: it may carry punctuation ("Hello," / "1981.")."""

    text: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    """A stretch of speech the model decoded as a unit (roughly a sentence or a pause-bounded run)."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Recognition:
    #: ISO 639-1 code the audio was decoded in ("en").
    language: str
    language_probability: float
    segments: list[Segment] = field(default_factory=list)


@runtime_checkable
class Recognizer(Protocol):
    """A speech recognizer over 16 kHz mono float32 audio."""

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        hotwords: str | None = None,
    ) -> Recognition:
        """Words with times; ``language`` is ISO 639-1, or None to let the model pick."""
        ...

    def detect_language(
        self, audio: np.ndarray, candidates: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """ISO 639-1 codes with probabilities, best first, limited to ``candidates`` when given."""
        ...
