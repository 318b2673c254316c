"""Spectral clustering of speaker embeddings with the speaker count read from the eigengap.

Agglomerative clustering with a fixed threshold undercounts speakers badly on short recordings;
spectral clustering of a pruned cosine-affinity graph, with the count taken where the Laplacian's
eigenvalues jump, does far better (bench/diarization.py, bench/diarization_heldout.py). Steps:
half the recording's mean embedding is taken off every embedding (what all windows share — the
channel, the language, the encoder's bias) → cosine affinity → keep each row's strongest
neighbours → symmetrise → normalised Laplacian →
the eigengap picks k (the smallest k on a near tie) → k-means on the spectral embedding → each window is
re-assigned to the nearest centroid in embedding space (the spectral embedding blurs windows that
sit between voices) → clusters of a single window are folded into their nearest neighbour →
a cluster in which 2-means finds a part of a few windows far from the rest is split (a speaker
with only a few seconds of speech cannot form a cluster in the pruned graph) → clusters whose
centroids are nearly the same voice are merged. ``merge_short`` (called by the embedded backend,
which can embed crops of audio) then compares a cluster of short windows with the others at its own
length.

Pure numpy and deterministic (fixed seeds), so it is unit-tested on synthetic points.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: Share of each row's neighbours kept in the affinity graph (at least ``_MIN_NEIGHBOURS``).
PRUNE_SHARE = 0.2
_MIN_NEIGHBOURS = 3
#: The speaker count is estimated among 1..COUNT_LIMIT (or MaxSpeakerLabels, when larger).
COUNT_LIMIT = 10
#: Centroids at least this similar (cosine) are one voice: clusters are merged. Calibrated on the
#: tuning half of bench/diarization_sets.py and bench/diarization.py's sets: distinct voices came
#: out up to 0.91 apart (0.89 merged two speakers of a four-person meeting), a voice split in two
#: at 0.944 — but also at 0.88 (bench/diarization.py variant 2), so no threshold fits every case.
MERGE_SIMILARITY = 0.93
#: Eigengaps within this share of the largest count as a tie, and the smallest such k wins: with
#: few windows the high eigenvalues are noisy, and a spurious gap at k=4 can edge out the real one
#: at k=2 (the two-speaker test fixture: 0.221 against 0.216), splitting voices into parts that
#: the merge threshold then has to catch. Since the embeddings are centred (``CENTRE_SHARE``), 0.0,
#: 0.05 and 0.10 give the same results on every seen set; the rule stays as a guard.
EIGENGAP_TIE = 0.05
#: A cluster splits when 2-means finds a part of at least SPLIT_MIN_WINDOWS windows (about 3.5 s of
#: speech) whose centroid has cosine below SPLIT_SIMILARITY to the rest's. 2-means on the windows
#: of one voice (44 seen conversations, docs/performance.md fifth round) found parts of 4 or more
#: windows no further apart than 0.86 (parts of 3 windows down to 0.80, of 1-2 down to 0.68); a
#: latecomer of 5 s absorbed by another voice's cluster was at 0.76, a real speaker of 3.5 s at
#: 0.64. 0.80-0.86 with 4 windows gave the same results on every seen set; 3 windows at 0.84 split
#: a voice, 5 windows lost the 3.5 s speaker.
SPLIT_SIMILARITY = 0.82
SPLIT_MIN_WINDOWS = 4
#: Share of the recording's mean (unit) embedding taken off each embedding before the affinity is
#: built. GE2E vectors are non-negative (ReLU) and share a large common part, so distinct voices
#: sit at cosine 0.8-0.9 and close ones crowd the eigengap; taking part of the mean off spreads
#: them. 0.3-0.7 gave the same counts on the seen sets (0.5 took a 2-vs-3 near tie to 3, and made
#: the near-tie rule unnecessary there); 0.9 and more split a one-speaker recording, whose windows
#: then share nothing but noise.
CENTRE_SHARE = 0.5
#: Clusters with fewer windows than this (about 1.5 s of speech) are not taken as speakers.
MIN_CLUSTER_WINDOWS = 2
#: Rounds of re-assigning windows to the nearest centroid after spectral clustering.
REASSIGN_ROUNDS = 5


def normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-9)


def unit_mean(x: np.ndarray) -> np.ndarray:
    """The unit vector along the mean of the rows of ``x`` (a voice's direction)."""
    return normalise(x.mean(axis=0, keepdims=True))[0]


def centre(embeddings: np.ndarray, share: float = CENTRE_SHARE) -> np.ndarray:
    """Unit embeddings less ``share`` of their mean (the part every window of the recording has)."""
    x = normalise(embeddings)
    return x - share * x.mean(axis=0, keepdims=True)


def affinity(embeddings: np.ndarray) -> np.ndarray:
    """Pruned, symmetric cosine affinity (values in [0, 1])."""
    x = normalise(embeddings)
    sim = np.clip(x @ x.T, 0.0, 1.0)
    n = sim.shape[0]
    keep = max(_MIN_NEIGHBOURS, int(np.ceil(PRUNE_SHARE * n)))
    if keep < n:
        order = np.argsort(-sim, axis=1)
        mask = np.zeros_like(sim, dtype=bool)
        np.put_along_axis(mask, order[:, :keep], True, axis=1)
        sim = np.where(mask, sim, sim * 0.01)
    return np.maximum(sim, sim.T)


def estimate_count(eigenvalues: np.ndarray, max_k: int, tie: float = EIGENGAP_TIE) -> int:
    """k where the gap between consecutive Laplacian eigenvalues is largest (1 ≤ k ≤ max_k); of
    gaps within ``tie`` of the largest, the smallest k."""
    limit = min(max_k, len(eigenvalues) - 1)
    if limit < 1:
        return 1
    gaps = np.diff(eigenvalues[: limit + 1])
    return int(np.flatnonzero(gaps >= gaps.max() * (1 - tie))[0]) + 1


def kmeans(points: np.ndarray, k: int, *, restarts: int = 8, iterations: int = 100, seed: int = 0) -> np.ndarray:
    """Labels of plain k-means (k-means++ starts, best of ``restarts`` by inertia)."""
    n = points.shape[0]
    if k >= n:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    best_labels = np.zeros(n, dtype=int)
    best_inertia = np.inf
    for _ in range(restarts):
        centres = [points[rng.integers(n)]]
        for _c in range(1, k):
            d2 = np.min(((points[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
            total = d2.sum()
            pick = rng.choice(n, p=d2 / total) if total > 0 else rng.integers(n)
            centres.append(points[pick])
        c = np.array(centres)
        labels = np.zeros(n, dtype=int)
        for _i in range(iterations):
            d = ((points[:, None, :] - c[None]) ** 2).sum(-1)
            new = d.argmin(axis=1)
            if _i and np.array_equal(new, labels):
                break
            labels = new
            for j in range(k):
                members = points[labels == j]
                if len(members):
                    c[j] = members.mean(axis=0)
        inertia = float(((points - c[labels]) ** 2).sum())
        if inertia < best_inertia:
            best_inertia, best_labels = inertia, labels.copy()
    return best_labels


def cluster(
    embeddings: np.ndarray,
    *,
    max_speakers: int,
    min_speakers: int = 1,
    share: float = CENTRE_SHARE,
    one_voice: bool = False,
) -> np.ndarray:
    """Speaker label (0..k-1) for each embedding, k ≤ ``max_speakers``.

    ``share``: the part of the mean taken off before the affinity (``centre``). ``one_voice``: skip
    the spectral step and start from one cluster (the outlier split and the merge still run), for
    a recording another view says is one voice (``EmbeddedDiarizer.one_voice``).

    The count is estimated as if up to ``COUNT_LIMIT`` speakers could be present; when more are
    found than allowed, the most alike voices are merged until the cap holds ("more speakers than
    MaxSpeakerLabels are identified as a single speaker"), rather than forcing k-means into too few
    clusters, which would split one voice and lump two others together.
    """
    n = embeddings.shape[0]
    if n == 0:
        return np.zeros(0, dtype=int)
    if n == 1 or max_speakers <= 1:
        return np.zeros(n, dtype=int)
    if one_voice:
        labels = split_outliers(embeddings, np.zeros(n, dtype=int))
        return merge_similar(
            embeddings, labels, threshold=MERGE_SIMILARITY, min_speakers=min_speakers, max_speakers=max_speakers
        )
    a = affinity(centre(embeddings, share))
    degree = a.sum(axis=1)
    d = 1.0 / np.sqrt(np.maximum(degree, 1e-9))
    laplacian = np.eye(n) - d[:, None] * a * d[None, :]
    values, vectors = np.linalg.eigh(laplacian)
    k = max(min_speakers, estimate_count(values, min(max(max_speakers, COUNT_LIMIT), n)))
    if k == 1:
        labels = np.zeros(n, dtype=int)
    else:
        spectral = normalise(vectors[:, :k])
        labels = reassign(embeddings, kmeans(spectral, k))
        labels = fold_small(embeddings, labels, MIN_CLUSTER_WINDOWS)
    # A speaker with too few windows to hold a cluster of their own in the pruned graph is
    # absorbed by another; 2-means inside each cluster finds them again.
    labels = split_outliers(embeddings, labels)
    return merge_similar(
        embeddings, labels, threshold=MERGE_SIMILARITY, min_speakers=min_speakers, max_speakers=max_speakers
    )


def split_outliers(
    embeddings: np.ndarray,
    labels: np.ndarray,
    *,
    threshold: float = SPLIT_SIMILARITY,
    min_windows: int = SPLIT_MIN_WINDOWS,
) -> np.ndarray:
    """Split a cluster in two when 2-means finds a group of at least ``min_windows`` windows whose
    centroid is far (cosine < ``threshold``) from the rest's.

    The pruned affinity graph gives every window its nearest 20 % of windows as neighbours, so a
    speaker with fewer windows than that (a few seconds of speech) is absorbed by a larger cluster
    however different the voice; the clusters of one voice never split that far apart.
    """
    x = normalise(embeddings)
    labels = labels.copy()
    changed = True
    while changed:
        changed = False
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            if len(members) < 2 * min_windows:
                continue
            halves = reassign(x[members], kmeans(x[members], 2))
            if len(np.unique(halves)) < 2 or np.bincount(halves).min() < min_windows:
                continue
            cents = centroids(x[members], halves)
            if float(cents[0] @ cents[1]) < threshold:
                labels[members[halves == 1]] = labels.max() + 1
                changed = True
                break
    _, dense = np.unique(labels, return_inverse=True)
    return dense.astype(int)


def reassign(embeddings: np.ndarray, labels: np.ndarray, rounds: int = REASSIGN_ROUNDS) -> np.ndarray:
    """Move each window to the cluster whose centroid it is most similar to, until stable.

    k-means in the spectral embedding decides by graph neighbourhoods; a window straddling two
    turns or a back-channel can land with its neighbours in time rather than its voice.
    """
    x = normalise(embeddings)
    for _ in range(rounds):
        cents = centroids(x, labels)
        keys = np.array(sorted(cents))
        new = keys[np.argmax(x @ np.stack([cents[int(c)] for c in keys]).T, axis=1)]
        if np.array_equal(new, labels):
            break
        labels = new
    _, dense = np.unique(labels, return_inverse=True)
    return dense.astype(int)


def fold_small(embeddings: np.ndarray, labels: np.ndarray, min_windows: int) -> np.ndarray:
    """Give the windows of clusters smaller than ``min_windows`` to the nearest remaining centroid."""
    x = normalise(embeddings)
    labels = labels.copy()
    while True:
        counts = np.bincount(labels)
        present = np.flatnonzero(counts)
        small = [int(c) for c in present if counts[c] < min_windows]
        if not small or len(present) <= 1:
            break
        smallest = min(small, key=lambda c: counts[c])
        others = [int(c) for c in present if c != smallest]
        cents = centroids(x, labels)
        members = np.flatnonzero(labels == smallest)
        sims = x[members] @ np.stack([cents[c] for c in others]).T
        labels[members] = np.array(others)[sims.argmax(axis=1)]
    _, dense = np.unique(labels, return_inverse=True)
    return dense.astype(int)


def centroids(embeddings: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    x = normalise(embeddings)
    out: dict[int, np.ndarray] = {}
    for label in np.unique(labels):
        c = x[labels == label].mean(axis=0)
        out[int(label)] = c / max(float(np.linalg.norm(c)), 1e-9)
    return out


def merge_similar(
    embeddings: np.ndarray,
    labels: np.ndarray,
    *,
    threshold: float = MERGE_SIMILARITY,
    min_speakers: int = 1,
    max_speakers: int | None = None,
) -> np.ndarray:
    """Merge the two most similar clusters while their centroids are alike, or while there are more
    than ``max_speakers``; relabel 0..k-1."""
    labels = labels.copy()
    while True:
        cents = centroids(embeddings, labels)
        keys = sorted(cents)
        if len(keys) <= max(1, min_speakers):
            break
        best, pair = -2.0, (0, 0)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                sim = float(cents[a] @ cents[b])
                if sim > best:
                    best, pair = sim, (a, b)
        if best < threshold and (max_speakers is None or len(keys) <= max_speakers):
            break
        labels[labels == pair[1]] = pair[0]
    _, dense = np.unique(labels, return_inverse=True)
    return dense.astype(int)


def merge_short(
    embeddings: np.ndarray,
    labels: np.ndarray,
    seconds: np.ndarray,
    crop_centroid: Callable[[np.ndarray, int], np.ndarray | None],
    *,
    threshold: float,
    short: float,
) -> np.ndarray:
    """Merge each cluster whose windows are mostly shorter than ``short`` seconds into the cluster
    whose voice it matches at its own length, while one matches at least ``threshold``.

    ``seconds`` is each window's length; ``crop_centroid(members, frames)`` gives the unit centroid
    of a cluster's windows (indices ``members``) cropped to ``frames`` 10 ms frames, or None when
    it has no window long enough to crop. The encoder's vector for half a second of a voice is not
    its vector for 1.5 s, so a cluster of a voice's short windows (its back-channels) is compared
    with crops of the same length, not with the other clusters' own centroids.
    """
    x = normalise(embeddings)
    labels = labels.copy()
    frames = np.round(seconds / 0.01).astype(int)
    changed = True
    while changed:
        changed = False
        keys = [int(k) for k in np.unique(labels)]
        if len(keys) < 2:
            break
        for a in keys:
            members = np.flatnonzero(labels == a)
            if np.mean(seconds[members] < short) < 0.5:
                continue
            centre_a = unit_mean(x[members])
            length = int(np.median(frames[members]))
            best, into = -2.0, None
            for b in keys:
                if b == a:
                    continue
                cb = crop_centroid(np.flatnonzero(labels == b), length)
                if cb is not None and float(centre_a @ cb) > best:
                    best, into = float(centre_a @ cb), b
            if into is not None and best >= threshold:
                labels[members] = into
                changed = True
                break
    _, dense = np.unique(labels, return_inverse=True)
    return dense.astype(int)
