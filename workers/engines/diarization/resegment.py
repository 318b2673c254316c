"""Frame-level resegmentation: per-speaker GMMs on MFCCs, decoded with a Viterbi speaker-change penalty.

The clustering labels 1.5 s windows every 0.75 s, and every 10 ms frame takes the label most of
its windows carry, so a change of speaker inside a stretch of speech (a pause shorter than the
VAD's 0.25 s, or none) is only placed to about ±0.4 s. Once the speakers are known, each one's
frames give a model of the voice at 10 ms resolution: MFCCs c1-c20 (normalised over the
recording's speech, which takes out the channel) under a diagonal GMM per speaker, trained on the
frames the clustering gave that speaker. Every speech frame is scored by every model, and a
Viterbi pass through each speech region picks the label sequence where a change of speaker costs
``change_penalty`` nats: a change needs about a second of frames that fit another voice clearly
better, so turns are not broken by single noisy frames. Two rounds (retrain on the new labels,
decode again).

What it fixes is where changes fall. It does not find a reply the clustering put inside another
speaker's stretch: that speaker's GMM was trained on the reply's frames too and scores them well
(tests/unit/test_diarization_resegment.py keeps to what it does). It never adds or removes
speakers: if a speaker has, or would be left with, fewer than ``min_frames`` frames, the
clustering's labels are returned unchanged; and it only moves changes, by up to ``max_shift``
frames (1 s) — frames further from every change the clustering made keep their label. Measured
in bench/diarization_heldout.py (docs/performance.md, 2026-11-22).

Pure numpy and deterministic (fixed seeds), so it is unit-tested on synthetic features.
"""

from __future__ import annotations

import numpy as np

#: MFCCs per frame (c0, the loudness, is dropped: speakers differ in level, a voice does not).
N_MFCC = 20
#: Gaussian components per speaker model.
COMPONENTS = 8
#: Cost of a change of speaker between two frames, in nats (a frame's log-likelihoods under two
#: voices differ by a few nats, so a change needs sustained evidence — about a second of frames
#: that fit the other voice clearly better). 200-500 gave the same DER on the development set and
#: the tuning half; 40-150 let single-frame noise break turns, 1000 missed real changes.
CHANGE_PENALTY = 300.0
#: Rounds of retraining the models on the decoded labels.
ROUNDS = 2
#: A speaker needs this many frames (1 s) for a model; with fewer the resegmentation is skipped.
MIN_FRAMES = 100
#: Frames further than this (10 ms frames) from every change of speaker the clustering made keep
#: the clustering's label: the resegmentation moves changes, it does not invent or drop them.
#: Where two voices differ little in MFCCs (two speakers of one espeak voice at different pitches),
#: the GMMs otherwise relabelled whole stretches: a seen conversation went from 0.3 to 35 % DER.
#: 75-150 frames gave the same results on the seen sets (25-50 cut the gain on boundaries).
MAX_SHIFT = 100
_EM_ITERATIONS = 10
_VAR_FLOOR = 1e-3


def mfcc(log_mel: np.ndarray, n: int = N_MFCC) -> np.ndarray:
    """(frames, n) MFCCs c1..cn from (frames, bands) log mel energies (type-II DCT)."""
    bands = log_mel.shape[1]
    k = np.arange(1, n + 1)[:, None]
    basis = np.cos(np.pi * k * (np.arange(bands)[None, :] + 0.5) / bands)
    return (log_mel @ basis.T).astype(np.float64)


class DiagonalGmm:
    """A diagonal-covariance Gaussian mixture fitted by EM (k-means++-style starts, fixed seed)."""

    def __init__(self, components: int = COMPONENTS, iterations: int = _EM_ITERATIONS, seed: int = 0) -> None:
        self.components = components
        self.iterations = iterations
        self.seed = seed
        self.weights = np.ones(1)
        self.means = np.zeros((1, 1))
        self.variances = np.ones((1, 1))

    def fit(self, x: np.ndarray) -> DiagonalGmm:
        rng = np.random.default_rng(self.seed)
        k = max(1, min(self.components, len(x) // 20))
        self.means = x[rng.choice(len(x), size=k, replace=False)].copy()
        self.variances = np.tile(np.maximum(x.var(axis=0), _VAR_FLOOR), (k, 1))
        self.weights = np.full(k, 1.0 / k)
        for _ in range(self.iterations):
            resp = self._responsibilities(x)
            mass = resp.sum(axis=0) + 1e-9
            self.weights = mass / mass.sum()
            self.means = (resp.T @ x) / mass[:, None]
            self.variances = np.maximum((resp.T @ (x**2)) / mass[:, None] - self.means**2, _VAR_FLOOR)
        return self

    def _component_log(self, x: np.ndarray) -> np.ndarray:
        inv = 1.0 / self.variances
        quad = (x**2) @ inv.T - 2 * x @ (self.means * inv).T + (self.means**2 * inv).sum(axis=1)
        log_det = np.log(self.variances).sum(axis=1)
        return np.log(self.weights) - 0.5 * (quad + log_det + x.shape[1] * np.log(2 * np.pi))

    def _responsibilities(self, x: np.ndarray) -> np.ndarray:
        lc = self._component_log(x)
        lc -= lc.max(axis=1, keepdims=True)
        r = np.exp(lc)
        return r / r.sum(axis=1, keepdims=True)

    def score(self, x: np.ndarray) -> np.ndarray:
        """Per-frame log-likelihood."""
        lc = self._component_log(x)
        top = lc.max(axis=1)
        return top + np.log(np.exp(lc - top[:, None]).sum(axis=1))


def normalised(features: np.ndarray, speech: np.ndarray) -> np.ndarray:
    """Features with the speech frames' mean and deviation taken out: the channel (microphone,
    telephone band) is common to all speakers, so it is no part of any one's model."""
    x = features - features[speech].mean(axis=0)
    return x / np.maximum(x[speech].std(axis=0), 1e-6)


def viterbi(loglik: np.ndarray, change_penalty: float) -> np.ndarray:
    """Best label per frame of ``loglik`` (frames, k) when each change of label costs ``change_penalty``."""
    n, k = loglik.shape
    back = np.zeros((n, k), dtype=np.int64)
    score = loglik[0].copy()
    for t in range(1, n):
        best = int(score.argmax())
        stay = score
        switch = score[best] - change_penalty
        take_switch = switch > stay
        back[t] = np.where(take_switch, best, np.arange(k))
        score = np.where(take_switch, switch, stay) + loglik[t]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def resegment_frames(
    features: np.ndarray,
    labels: np.ndarray,
    regions: list[tuple[int, int]],
    *,
    change_penalty: float = CHANGE_PENALTY,
    rounds: int = ROUNDS,
    min_frames: int = MIN_FRAMES,
    max_shift: int | None = MAX_SHIFT,
) -> np.ndarray:
    """New per-frame speaker labels for the speech frames of ``regions`` ((start, end) frame
    indices into ``features`` and ``labels``); frames outside them keep their label.

    ``labels`` are the clustering's (``-1`` for frames outside speech). The speaker set is not
    changed: if a speaker has (or would be left with) fewer than ``min_frames`` frames, the
    labels are returned as they were.
    """
    labels = labels.copy()
    speakers = sorted(int(s) for s in np.unique(labels) if s >= 0)
    if len(speakers) < 2:
        return labels
    speech = np.zeros(len(labels), dtype=bool)
    for a, b in regions:
        speech[a:b] = True
    feats = normalised(features, speech)
    far = np.zeros(len(labels), dtype=bool)
    if max_shift is not None:
        for a, b in regions:
            changes = np.flatnonzero(np.diff(labels[a:b]) != 0) + a + 1
            if len(changes) == 0:
                continue
            idx = np.arange(a, b)
            far[a:b] = np.abs(idx[:, None] - changes[None, :]).min(axis=1) > max_shift
    current = labels
    for _ in range(rounds):
        counts = [int(((current == s) & speech).sum()) for s in speakers]
        if min(counts) < min_frames:
            return labels
        models = [DiagonalGmm().fit(feats[(current == s) & speech]) for s in speakers]
        new = current.copy()
        for a, b in regions:
            # Only the speakers the clustering put in this region compete in it, and a region it
            # gave to one speaker is left alone: the GE2E windows judge a whole stretch of a voice
            # better than frame MFCCs do (on the two-speaker test fixture, letting the GMMs
            # relabel whole regions took the DER from 4.5 to 24 %); the GMMs place the changes.
            present = [i for i, s in enumerate(speakers) if (labels[a:b] == s).any()]
            if b <= a or len(present) < 2:
                continue
            ll = np.stack([models[i].score(feats[a:b]) for i in present], axis=1)
            new[a:b] = np.array(speakers)[present][viterbi(ll, change_penalty)]
        current = np.where(far, labels, new)
    if min(int(((current == s) & speech).sum()) for s in speakers) < min_frames:
        return labels
    return current
