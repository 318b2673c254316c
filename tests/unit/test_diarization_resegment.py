"""Frame-level resegmentation (per-speaker GMMs + Viterbi), on synthetic features with known turns."""

from __future__ import annotations

import numpy as np

from workers.engines.diarization import resegment


def _voices(turns: list[tuple[int, int]], *, dim: int = 20, seed: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Features for consecutive turns [(speaker, frames)]: each speaker a Gaussian of its own, as
    far apart as two voices' MFCCs (means about one standard deviation apart per coefficient)."""
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(3, dim))
    feats = np.concatenate([means[s] + rng.normal(size=(n, dim)) for s, n in turns])
    truth = np.concatenate([np.full(n, s) for s, n in turns])
    return feats, truth


def test_viterbi_follows_frames_without_penalty_and_smooths_with_one() -> None:
    ll = np.zeros((30, 2))
    ll[:, 0] = 1.0
    ll[10:13] = [0.0, 2.0]  # a 3-frame blip of speaker 1, 1 nat per frame better
    assert list(resegment.viterbi(ll, 0.0)) == [0] * 10 + [1] * 3 + [0] * 17
    assert list(resegment.viterbi(ll, 5.0)) == [0] * 30  # two changes cost 10 > 3 nats gained
    ll[10:25] = [0.0, 2.0]  # 15 frames: worth two changes
    assert list(resegment.viterbi(ll, 5.0)) == [0] * 10 + [1] * 15 + [0] * 5


def test_gmm_scores_its_own_voice_higher() -> None:
    feats, truth = _voices([(0, 600), (1, 600)])
    a = resegment.DiagonalGmm().fit(feats[truth == 0])
    b = resegment.DiagonalGmm().fit(feats[truth == 1])
    assert (a.score(feats[truth == 0]) > b.score(feats[truth == 0])).mean() > 0.9
    assert (b.score(feats[truth == 1]) > a.score(feats[truth == 1])).mean() > 0.9


def test_resegmentation_moves_misplaced_boundaries() -> None:
    # Four turns; the window vote put one change half a second late and another 0.4 s early.
    feats, truth = _voices([(0, 500), (1, 300), (0, 400), (1, 600)])
    labels = truth.copy()
    labels[500:550] = 0  # late
    labels[1160:1200] = 1  # early
    assert (labels != truth).sum() == 90
    fixed = resegment.resegment_frames(feats, labels, [(0, len(truth))])
    assert (fixed != truth).sum() <= 10
    assert set(np.unique(fixed)) == {0, 1}


def test_speakers_are_never_added_or_removed() -> None:
    feats, truth = _voices([(0, 500), (1, 60), (0, 500)])  # speaker 1 has 0.6 s: no model
    assert list(resegment.resegment_frames(feats, truth, [(0, len(truth))])) == list(truth)
    one = np.zeros(len(truth), dtype=int)
    assert list(resegment.resegment_frames(feats, one, [(0, len(truth))])) == list(one)


def test_frames_outside_speech_are_left_alone() -> None:
    feats, truth = _voices([(0, 400), (1, 400)])
    labels = truth.copy()
    labels[380:420] = -1  # a pause between the two regions
    fixed = resegment.resegment_frames(feats, labels, [(0, 380), (420, 800)])
    assert (fixed[380:420] == -1).all()
    assert (fixed[:380] == 0).mean() > 0.97 and (fixed[420:] == 1).mean() > 0.97


def test_changes_move_by_at_most_a_second() -> None:
    """Where the frames of a stretch fit the other voice's model (two voices alike in MFCCs), the
    GMMs would relabel the whole stretch; only frames within ``max_shift`` of a change the
    clustering made may change."""
    feats, truth = _voices([(0, 600), (1, 600), (0, 600), (1, 600)])
    # The clustering said: speaker 0 for 500 frames of the second voice, then speaker 1.
    stretch = np.concatenate([feats[600:1100], feats[600:1200]])
    feats = np.concatenate([feats, stretch])
    labels = np.concatenate([truth, np.zeros(500, dtype=int), np.ones(600, dtype=int)])
    region = (2400, 3500)
    loose = resegment.resegment_frames(feats, labels, [(0, 2400), region], max_shift=None)
    assert (loose[2400:2900] == 1).mean() > 0.9  # whole stretch taken over
    kept = resegment.resegment_frames(feats, labels, [(0, 2400), region])
    assert resegment.MAX_SHIFT == 100
    assert (kept[2400:2800] == 0).all()  # more than a second from the change at 2900
    assert (kept[3000:] == 1).all()
