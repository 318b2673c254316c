"""One voice stays one speaker: the second view of the count (ninth round).

From the fifth round on, the embeddings are centred before the affinity (``clustering.centre``);
with one voice the mean taken off *is* that voice, and two ~20 s monologues of the development
variants (bench/diarization.py --variant 1 2) came out as two speakers: their sentences formed two
loose groups. ``EmbeddedDiarizer.one_voice`` asks the fourth round's view (windows across short
pauses, no centring) and, when it finds one voice, the clustering starts from one cluster.
"""

from __future__ import annotations

import pytest

from bench.diarization import PLANS, build
from tests.unit.test_diarization_clustering import _two_voices
from workers.engines.diarization import clustering
from workers.engines.diarization.embedded import EmbeddedDiarizer


@pytest.fixture(scope="module")
def embedded() -> EmbeddedDiarizer:
    return EmbeddedDiarizer()


def test_starting_from_one_cluster_still_splits_off_a_short_distinct_voice() -> None:
    points = _two_voices(0.78, (30, 5))
    labels = clustering.cluster(points, max_speakers=10, one_voice=True)
    assert len(set(labels)) == 2 and len(set(labels[30:])) == 1 and labels[0] != labels[30]
    assert len(set(clustering.cluster(points[:30], max_speakers=10, one_voice=True))) == 1


@pytest.mark.parametrize("variant", [1, 2])
def test_a_monologue_stays_one_speaker(embedded: EmbeddedDiarizer, variant: int) -> None:
    name, plan, gaps = PLANS[0]
    assert name == "1 speaker"
    audio, _ = build(plan, gaps, offset=variant * 5, rotate=variant)
    regions = embedded.speech(audio)
    assert embedded.one_voice(audio, regions, max_speakers=10)
    assert len(embedded.diarize(audio, max_speakers=10).speakers) == 1


def test_two_voices_are_not_one(embedded: EmbeddedDiarizer) -> None:
    _name, plan, gaps = PLANS[1]
    audio, _ = build(plan, gaps, offset=3 + 5, rotate=1)
    assert not embedded.one_voice(audio, embedded.speech(audio), max_speakers=10)
    assert len(embedded.diarize(audio, max_speakers=10).speakers) == 2
