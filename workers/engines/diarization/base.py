"""What the pipeline needs from a diarization engine: speaker turns over 16 kHz mono audio.

Speakers are plain integers here; the pipeline (``workers.pipeline.speakers``) renumbers them in
order of first appearance, caps them at MaxSpeakerLabels and names them ``spk_N``. Backends may
return per-speaker centroid embeddings so that capping merges the most similar voices.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True)
class SpeakerTurn:
    start: float
    end: float
    speaker: int


@dataclass(frozen=True)
class Diarization:
    turns: list[SpeakerTurn] = field(default_factory=list)
    #: Speaker id → unit-length centroid embedding (optional; used to merge similar voices).
    centroids: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def speakers(self) -> list[int]:
        return sorted({t.speaker for t in self.turns})


@runtime_checkable
class Diarizer(Protocol):
    def diarize(self, audio: np.ndarray, *, max_speakers: int) -> Diarization:
        """Turns of at most ``max_speakers`` speakers in 16 kHz float32 mono ``audio``."""
        ...


_DIARIZER: Any = None
_LOCK = threading.Lock()


def build_diarizer(settings: Any) -> Diarizer:
    backend = settings.diarization.backend
    if backend == "pyannote":
        from workers.engines.diarization.pyannote_backend import PyannoteDiarizer

        return PyannoteDiarizer.from_settings(settings)
    from workers.engines.diarization.embedded import EmbeddedDiarizer

    return EmbeddedDiarizer.from_settings(settings)


def get_diarizer() -> Diarizer:
    """The process-wide diarizer from settings; weights load lazily on the first job that needs it."""
    global _DIARIZER
    with _LOCK:
        if _DIARIZER is None:
            from services.core.settings import get_settings

            _DIARIZER = build_diarizer(get_settings())
        return _DIARIZER


def reset_diarizer() -> None:
    global _DIARIZER
    with _LOCK:
        _DIARIZER = None
