"""The clustering steps that decide the speaker count, on synthetic points with known clusters."""

from __future__ import annotations

import numpy as np

from workers.engines.diarization import clustering


def _blobs(sizes: list[int], *, scale: float = 0.15, dim: int = 32, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), dim))
    points = np.concatenate([centres[i] + rng.normal(scale=scale, size=(n, dim)) for i, n in enumerate(sizes)])
    truth = np.concatenate([np.full(n, i) for i, n in enumerate(sizes)])
    return points, truth


def test_eigengap_near_tie_takes_the_smaller_count() -> None:
    # gaps: 0.03 (k=1), 0.216 (k=2), 0.066 (k=3), 0.221 (k=4): within 5 % of each other → 2.
    values = np.array([0.0, 0.031, 0.247, 0.313, 0.534, 0.6])
    assert clustering.estimate_count(values, 5) == 2
    assert clustering.estimate_count(values, 5, tie=0.0) == 4
    # A clear largest gap still wins; k never exceeds the cap.
    assert clustering.estimate_count(np.array([0.0, 0.02, 0.04, 0.5, 0.55]), 4) == 3
    assert clustering.estimate_count(np.array([0.0, 0.02, 0.3, 0.5, 0.55]), 3) == 2
    assert clustering.estimate_count(np.array([0.0, 0.02, 0.04, 0.5, 0.55]), 2) <= 2
    assert clustering.estimate_count(np.array([0.0]), 3) == 1


def test_reassign_moves_a_stray_window_to_its_voice() -> None:
    points, truth = _blobs([10, 10])
    labels = truth.copy()
    labels[3] = 1  # a window of voice 0 put with voice 1 (as k-means on the graph may do)
    fixed = clustering.reassign(points, labels)
    assert list(fixed) == list(truth)


def test_fold_small_gives_a_lone_window_to_the_nearest_voice() -> None:
    points, truth = _blobs([8, 8])
    labels = truth.copy()
    labels[2] = 2  # a one-window "speaker"
    folded = clustering.fold_small(points, labels, 2)
    assert list(folded) == list(truth)
    # Clusters at the minimum size stay.
    assert len(set(clustering.fold_small(points, truth, 8))) == 2
    assert len(set(clustering.fold_small(points, truth, 9))) == 1


def test_unequal_speakers_are_all_found() -> None:
    points, truth = _blobs([40, 9, 12, 10])
    labels = clustering.cluster(points, max_speakers=10)
    assert len(set(labels)) == 4
    for i in range(4):
        assert len(set(labels[truth == i])) == 1


def test_near_identical_clusters_merge() -> None:
    rng = np.random.default_rng(5)
    base = rng.normal(size=32)
    # Two groups whose centroids differ by far less than the merge threshold allows.
    a = base + rng.normal(scale=0.05, size=(10, 32))
    b = base + 0.02 * rng.normal(size=32) + rng.normal(scale=0.05, size=(10, 32))
    labels = clustering.merge_similar(np.concatenate([a, b]), np.repeat([0, 1], 10))
    assert set(labels) == {0}


def test_a_short_distinct_speaker_is_split_out_of_a_big_cluster() -> None:
    points, truth = _blobs([30, 4])
    merged = np.zeros(len(truth), dtype=int)  # the pruned graph absorbed the 4-window voice
    split = clustering.split_outliers(points, merged)
    assert len(set(split)) == 2
    assert len(set(split[truth == 1])) == 1 and set(split[truth == 1]).isdisjoint(split[truth == 0])
    # One voice stays whole, and a distinct group under the minimum size is not split off.
    assert len(set(clustering.split_outliers(points[truth == 0], merged[truth == 0]))) == 1
    assert len(set(clustering.split_outliers(points[:32], merged[:32]))) == 1
    # Through the whole clustering, too.
    labels = clustering.cluster(points, max_speakers=10)
    assert len(set(labels)) == 2


def _two_voices(cos: float, sizes: tuple[int, int], seed: int = 7) -> np.ndarray:
    """Windows of two voices whose centres are at cosine ``cos`` (tight, as GE2E windows of one
    synthetic voice are)."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(32, 2)))
    u, w = q[:, 0], q[:, 1]
    v = cos * u + np.sqrt(1 - cos**2) * w
    return np.concatenate([c + rng.normal(scale=0.02, size=(n, 32)) for c, n in zip((u, v), sizes, strict=True)])


def test_a_short_voice_at_cosine_080_is_split_off_but_three_windows_are_not() -> None:
    # A latecomer of about 5 s sat at 0.76 from the voice whose cluster took it (fresh set): split
    # from 0.82 down; parts of one voice of 4+ windows never came out below 0.86.
    points = _two_voices(0.78, (30, 5))
    split = clustering.split_outliers(points, np.zeros(35, dtype=int))
    assert len(set(split)) == 2 and len(set(split[30:])) == 1 and split[0] != split[30]
    assert len(set(clustering.split_outliers(_two_voices(0.9, (30, 5)), np.zeros(35, dtype=int)))) == 1
    # Fewer windows than SPLIT_MIN_WINDOWS stay, however far (too little to judge a voice by).
    assert clustering.SPLIT_MIN_WINDOWS == 4
    assert len(set(clustering.split_outliers(_two_voices(0.5, (30, 3)), np.zeros(33, dtype=int)))) == 1


def test_centring_takes_half_the_shared_part_off() -> None:
    rng = np.random.default_rng(2)
    shared = np.abs(rng.normal(size=32)) * 3  # GE2E vectors are non-negative and alike
    a = shared + rng.normal(size=32) + rng.normal(scale=0.1, size=(20, 32))
    b = shared + rng.normal(size=32) + rng.normal(scale=0.1, size=(20, 32))
    x = np.concatenate([a, b])
    assert np.allclose(clustering.centre(x, 0.0), clustering.normalise(x))
    centred = clustering.centre(x)
    assert np.allclose(centred.mean(axis=0), (1 - clustering.CENTRE_SHARE) * clustering.normalise(x).mean(axis=0))

    def centroid_cos(y: np.ndarray) -> float:
        ca, cb = (clustering.unit_mean(y[s]) for s in (slice(0, 20), slice(20, 40)))
        return float(ca @ cb)

    # The two voices are further apart once the shared part is partly gone; each stays one voice.
    assert centroid_cos(centred) < centroid_cos(clustering.normalise(x)) - 0.05
    assert len(set(clustering.cluster(x, max_speakers=10))) == 2
