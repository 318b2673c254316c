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
