"""Speaker labels for streaming (ShowSpeakerLabel): online clustering of utterance voiceprints.

A live stream cannot wait for the whole recording, so each final utterance is assigned at once:
its voiceprint (mean and spread of the log-mel spectrum over its loudest frames, a cheap
timbre/pitch signature) joins the nearest known speaker when close enough, else starts a new
speaker. This separates clearly different voices; it is not a trained speaker-embedding model and
confuses similar voices (see docs/streaming.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Cosine similarity above which an utterance belongs to an existing speaker.
SAME_SPEAKER = 0.93
MAX_SPEAKERS = 10


def voiceprint(audio: np.ndarray) -> np.ndarray | None:
    from faster_whisper.feature_extractor import FeatureExtractor

    if len(audio) < 8000:
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


@dataclass
class SpeakerTracker:
    centroids: list[np.ndarray] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    last: str = "0"

    def export(self) -> tuple[list[list[float]], list[int]]:
        return [[float(x) for x in c] for c in self.centroids], list(self.counts)

    def restore(self, centroids: list[list[float]], counts: list[int]) -> None:
        self.centroids = [np.asarray(c, dtype=np.float32) for c in centroids]
        self.counts = list(counts)

    def assign(self, audio: np.ndarray) -> str:
        """The label ("0", "1", …) of the utterance's speaker; short ones keep the last label."""
        vec = voiceprint(audio)
        if vec is None:
            return self.last
        if self.centroids:
            sims = [float(np.dot(vec, c) / (np.linalg.norm(c) or 1.0)) for c in self.centroids]
            best = int(np.argmax(sims))
            if sims[best] >= SAME_SPEAKER or len(self.centroids) >= MAX_SPEAKERS:
                n = self.counts[best]
                self.centroids[best] = (self.centroids[best] * n + vec) / (n + 1)
                self.counts[best] = n + 1
                self.last = str(best)
                return self.last
        self.centroids.append(vec)
        self.counts.append(1)
        self.last = str(len(self.centroids) - 1)
        return self.last
