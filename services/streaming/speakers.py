"""Speaker labels for streaming (ShowSpeakerLabel): online clustering of utterance embeddings.

A live stream cannot wait for the whole recording, so each final utterance is labelled at once:
its speaker embedding joins the nearest known speaker when the cosine similarity to that
speaker's centroid is at least ``SAME_SPEAKER``, else it starts a new speaker ("0", "1", … in the
order they first speak). Centroids are running means, so labels stay the same across the whole
session (and across reconnects of a resumed session, which carry the centroids).

The embedding is the GE2E d-vector of the batch pipeline's embedded diarization backend
(``workers.engines.diarization.embedded``: resemblyzer's weights, 1.6 s windows averaged over the
utterance). Without those weights (the ``diarization`` extra not installed) a cheap voiceprint —
log-mel mean and spread — stands in; it separates clearly different voices only.

``SAME_SPEAKER`` was chosen on a development clip of three espeak-ng voices (not the test
fixture): same-voice utterances scored 0.852 to 0.893, different voices up to 0.831 (two male
voices), so the margin is narrow for synthetic voices of one engine.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

#: Cosine similarity to a speaker's centroid above which a GE2E utterance embedding is that speaker.
SAME_SPEAKER = 0.84
#: The same for the fallback voiceprint.
SAME_SPEAKER_VOICEPRINT = 0.93
MAX_SPEAKERS = 10
#: Utterances shorter than this keep the previous label (too little speech to judge a voice).
MIN_SAMPLES = 8000
WINDOW, HOP = int(1.6 * 16000), int(0.8 * 16000)

Embed = Callable[[np.ndarray], "np.ndarray | None"]


def voiceprint(audio: np.ndarray) -> np.ndarray | None:
    """Fallback: mean and spread of the log-mel spectrum over the loudest frames."""
    from faster_whisper.feature_extractor import FeatureExtractor

    if len(audio) < MIN_SAMPLES:
        return None
    mel = FeatureExtractor(feature_size=80)(audio.astype(np.float32), padding=0)
    energy = mel.mean(axis=0)
    loud = mel[:, energy >= np.percentile(energy, 40)]
    if loud.shape[1] < 5:
        return None
    vec = np.concatenate([loud.mean(axis=1), loud.std(axis=1)])
    vec = vec - vec.mean()
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else None


class Ge2eEmbedder:
    """Utterance embeddings from the diarization backend's speaker encoder (loaded once, shared)."""

    def __init__(self, settings: Any) -> None:
        from workers.engines.diarization.embedded import EmbeddedDiarizer

        self._diarizer = EmbeddedDiarizer.from_settings(settings)
        self._lock = threading.Lock()

    def __call__(self, audio: np.ndarray) -> np.ndarray | None:
        from workers.engines.diarization.embedded import mel_spectrogram

        if len(audio) < MIN_SAMPLES:
            return None
        starts = list(range(0, max(1, len(audio) - WINDOW + 1), HOP))
        mels = []
        for s in starts:
            chunk = audio[s : s + WINDOW].astype(np.float32)
            rms = float(np.sqrt(np.mean(chunk**2)))
            if rms > 1e-6:  # the encoder was trained on loudness-normalised audio
                mels.append(mel_spectrogram(chunk * (0.03 / rms)))
        if not mels:
            return None
        with self._lock:
            vec = self._diarizer.encoder.embed(mels).mean(axis=0)
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else None


_EMBEDDERS: dict[int, tuple[Embed, float]] = {}
_EMBEDDERS_LOCK = threading.Lock()


def embedder_for(settings: Any) -> tuple[Embed, float]:
    """The process's embedding function and its same-speaker threshold (GE2E, else voiceprint)."""
    with _EMBEDDERS_LOCK:
        found = _EMBEDDERS.get(id(settings))
        if found is None:
            try:
                ge2e = Ge2eEmbedder(settings)
                _ = ge2e._diarizer.encoder  # load now: a missing encoder shows here, not mid-stream
                found = (ge2e, SAME_SPEAKER)
            except Exception as exc:  # no resemblyzer/torch in this deployment
                log.warning("speaker encoder unavailable (%s): streaming speaker labels use a voiceprint", exc)
                found = (voiceprint, SAME_SPEAKER_VOICEPRINT)
            _EMBEDDERS[id(settings)] = found
        return found


@dataclass
class SpeakerTracker:
    embed: Embed = voiceprint
    threshold: float = SAME_SPEAKER_VOICEPRINT
    centroids: list[np.ndarray] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    last: str = "0"

    def export(self) -> tuple[list[list[float]], list[int]]:
        return [[float(x) for x in c] for c in self.centroids], list(self.counts)

    def restore(self, centroids: list[list[float]], counts: list[int]) -> None:
        self.centroids = [np.asarray(c, dtype=np.float32) for c in centroids]
        self.counts = list(counts)

    def assign(self, vec: np.ndarray | None) -> str:
        """The label ("0", "1", …) of an utterance from its embedding (None keeps the last label)."""
        if vec is None:
            return self.last
        if self.centroids:
            sims = [float(np.dot(vec, c) / (np.linalg.norm(c) or 1.0)) for c in self.centroids]
            best = int(np.argmax(sims))
            if sims[best] >= self.threshold or len(self.centroids) >= MAX_SPEAKERS:
                n = self.counts[best]
                self.centroids[best] = (self.centroids[best] * n + vec) / (n + 1)
                self.counts[best] = n + 1
                self.last = str(best)
                return self.last
        self.centroids.append(vec.astype(np.float32))
        self.counts.append(1)
        self.last = str(len(self.centroids) - 1)
        return self.last
