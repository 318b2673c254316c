"""Frames of a voice hidden inside another speaker's frames: the MFCC likelihood half of the
*newcomer* test (the GE2E half is ``EmbeddedDiarizer.newcomer``).

Short replies latched to another voice's turns (no pause sets them off) end up in that voice's
1.5 s windows, and the clustering counts their speaker as part of it. The frames still say
otherwise: a diagonal GMM trained on all of a speaker's frames explains the reply's frames worse
than the speaker's own, even though they were part of its training data (on the seventh held-out
set, 0.3 s averages of the lowest tenth of a speaker's frames were 60-90 % another voice's).
``candidates`` finds such runs for one speaker: the lowest ``SEED_SHARE`` of its frames by
smoothed log-likelihood seed a free second state, and a two-state Viterbi (the speaker's model
without them against a small GMM of them, ``PENALTY`` nats per change) retrained for ``ROUNDS``
rounds decides which runs belong to it. Most such runs are not another voice — fricatives,
breaths, a real voice's emphatic syllables — so the embedded backend only proposes them; it then
asks whether they are one voice (``consistent``: each run explained better by a GMM of the
*other* runs than by every found speaker's model) and, in GE2E, a voice none of the found
speakers has.

Pure numpy and deterministic (fixed seeds), so it is unit-tested on synthetic features.
"""

from __future__ import annotations

import numpy as np

from workers.engines.diarization.resegment import DiagonalGmm, viterbi

#: Frames of a speaker's log-likelihood averaged to judge a stretch (0.3 s: about a short word).
SMOOTH = 30
#: Share of a speaker's frames, lowest smoothed likelihood first, that seeds the second state.
SEED_SHARE = 0.10
#: Cost of a change between the speaker's state and the second one, in nats. Lower than the
#: resegmentation's 300: a latched reply lasts 0.3-0.7 s and must be worth two changes.
PENALTY = 60.0
#: Rounds of retraining both states on the decoded runs.
ROUNDS = 2
#: Gaussian components of the second state (a few hundred frames of it).
SECOND_COMPONENTS = 4
#: Runs of the second state shorter than this (10 ms frames) are dropped.
MIN_RUN = 10
#: Speakers with fewer frames than this (3 s) are not searched.
MIN_SPEAKER_FRAMES = 300
#: Components of the GMM of the other runs in ``consistent``.
LOO_COMPONENTS = 2


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of every run of True in ``mask``."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def candidates(
    feats: np.ndarray,
    labels: np.ndarray,
    speaker: int,
    *,
    smooth: int = SMOOTH,
    share: float = SEED_SHARE,
    penalty: float = PENALTY,
    rounds: int = ROUNDS,
) -> list[tuple[int, int]]:
    """Runs of ``speaker``'s frames (``labels == speaker``) that a second state takes from its
    model: (start, end) frame indices, at least ``MIN_RUN`` frames each, inside runs of the
    speaker's frames. ``feats`` are normalised per-frame features (``resegment.normalised``)."""
    own = labels == speaker
    if own.sum() < MIN_SPEAKER_FRAMES:
        return []
    loglik = DiagonalGmm().fit(feats[own]).score(feats)
    kernel = np.ones(smooth)
    total = np.convolve(np.where(own, loglik, 0.0), kernel, "same")
    count = np.convolve(own.astype(np.float64), kernel, "same")
    smoothed = np.where(own, total / np.maximum(count, 1.0), np.inf)
    second = own & (smoothed < np.quantile(smoothed[own], share))
    stretches = runs(own)
    for _ in range(rounds):
        if second.sum() < 2 * MIN_RUN or (own & ~second).sum() < MIN_SPEAKER_FRAMES // 2:
            return []
        models = (DiagonalGmm().fit(feats[own & ~second]), DiagonalGmm(SECOND_COMPONENTS).fit(feats[second]))
        decoded = np.zeros_like(second)
        for a, b in stretches:
            ll = np.stack([m.score(feats[a:b]) for m in models], axis=1)
            decoded[a:b] = viterbi(ll, penalty) == 1
        second = decoded
    return [(a, b) for a, b in runs(second) if b - a >= MIN_RUN]


def consistent(feats: np.ndarray, group: list[tuple[int, int]], voices: list[DiagonalGmm]) -> np.ndarray:
    """For each run of ``group``: does a GMM of the group's *other* runs explain its frames better
    (mean log-likelihood per frame) than every model in ``voices``? Runs of one voice that none of
    ``voices`` is share a model; stray frames of the found voices (each odd in its own way) do not."""
    out = np.zeros(len(group), dtype=bool)
    if len(group) < 2 or not voices:
        return out
    for i, (a, b) in enumerate(group):
        others = np.concatenate([np.arange(s, e) for j, (s, e) in enumerate(group) if j != i])
        model = DiagonalGmm(LOO_COMPONENTS).fit(feats[others])
        x = feats[a:b]
        out[i] = model.score(x).mean() > max(v.score(x).mean() for v in voices)
    return out
