"""Diarization error rate, frame-based, as tests and bench/diarization.py score the backends.

DER = (missed speech + false alarm + speaker confusion) / reference speech, after the best
one-to-one mapping of hypothesis to reference speakers (Hungarian). Frames within ``collar``
seconds of a reference turn boundary are not scored, the usual NIST convention (0.25 s), since a
reference boundary is itself uncertain by that much.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

STEP = 0.01


def _frames(turns: Sequence[tuple[float, float, str]], n: int) -> tuple[np.ndarray, list[str]]:
    names = sorted({s for _, _, s in turns})
    grid = np.zeros((n, len(names)), bool)
    for start, end, speaker in turns:
        grid[round(start / STEP) : round(end / STEP), names.index(speaker)] = True
    return grid, names


def turns_of(diarization: Any) -> list[tuple[float, float, str]]:
    """A backend's ``Diarization`` as scored turns (start, end, speaker name)."""
    return [(t.start, t.end, str(t.speaker)) for t in diarization.turns]


def der(reference: Sequence[tuple[float, float, str]], hypothesis: Sequence[tuple[float, float, str]],
        *, collar: float = 0.25) -> float:
    from scipy.optimize import linear_sum_assignment

    end = max([e for _, e, _ in reference] + [e for _, e, _ in hypothesis] + [0.0])
    n = int(np.ceil(end / STEP)) + 1
    ref, _ = _frames(reference, n)
    hyp, _ = _frames(hypothesis, n)
    scored = np.ones(n, bool)
    c = round(collar / STEP)
    for start, stop, _ in reference:
        for edge in (round(start / STEP), round(stop / STEP)):
            scored[max(0, edge - c) : edge + c] = False
    ref, hyp = ref[scored], hyp[scored]
    total = ref.sum()
    if total == 0:
        return 0.0
    overlap = ref.T.astype(float) @ hyp.astype(float) if hyp.shape[1] else np.zeros((ref.shape[1], 0))
    rows, cols = linear_sum_assignment(-overlap) if overlap.size else ([], [])
    correct = float(sum(overlap[r, c] for r, c in zip(rows, cols, strict=True)))
    n_ref, n_hyp = ref.sum(axis=1), hyp.sum(axis=1)
    errors = np.maximum(n_ref, n_hyp).sum() - correct
    return float(errors / total)
