"""Speakers who only give short replies ("Yes.", "Right.") between another voice's sentences.

Before the sixth round of issue 5 such a speaker was found as part of the other voice: the VAD
bridges pauses under 250 ms, so every 1.5 s window around a reply was mostly the other voice. Now
windows are cut at pauses of 0.1 s (a reply is a window of its own), and a cluster of short windows
is compared with the other voices at its own length before it is merged.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from tests.support.der import der, turns_of
from tests.support.replies import conversation
from workers.engines.diarization import clustering
from workers.engines.diarization.embedded import FRAME, EmbeddedDiarizer

REPLIES = ["Yes.", "Right.", "I know.", "Really?", "Of course.", "Mm hm.", "Okay, thanks."]


def _conversation(gaps: tuple[float, ...]) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """Eight sentences of one voice with a short reply of another after all but the last."""
    return conversation(REPLIES, gaps)


@pytest.fixture(scope="module")
def replies() -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    return _conversation((0.3, 0.2, 0.45))


@pytest.fixture(scope="module")
def embedded() -> EmbeddedDiarizer:
    return EmbeddedDiarizer()


def test_no_window_spans_a_pause(embedded: EmbeddedDiarizer, replies: tuple) -> None:
    audio, turns = replies
    regions = embedded.speech(audio)
    # The VAD's regions bridge the 0.2-0.45 s pauses: replies sit inside regions of the other voice.
    inside = [t for t in turns
              if t[2] == "replier" and any(a < t[0] and t[1] < b and b - a > t[1] - t[0] + 0.5 for a, b in regions)]
    assert len(inside) >= 3
    reply_frames = [(round(s / FRAME), round(e / FRAME)) for s, e, who in turns if who == "replier"]

    def alone(windows: list) -> int:
        """Replies that have a window of their own: one reaching no more than 0.1 s beyond them."""
        return sum(any(s - 10 <= w.start and w.end <= e + 10 for w in windows) for s, e in reply_frames)

    assert alone(embedded.windows(audio, regions)) >= len(reply_frames) - 1
    # Before: windows cut inside the regions, so a reply inside one was only the edge of a 1.5 s
    # window of the other voice; only replies the VAD had cut out by themselves had their own.
    old = EmbeddedDiarizer(pause_ms=None, short_merge=None)
    assert alone(old.windows(audio, regions)) <= len(reply_frames) - len(inside)


def test_a_speaker_of_short_replies_is_found(embedded: EmbeddedDiarizer, replies: tuple) -> None:
    audio, turns = replies
    found = embedded.diarize(audio, max_speakers=10)
    assert len(found.speakers) == 2
    assert der(turns, turns_of(found)) < 0.10


def test_the_windows_alone_do_not_keep_back_channels_apart() -> None:
    """A cluster of one voice's short windows is far from that voice's long windows (GE2E vectors
    depend on length) but close to their crops: merged; a replier's short windows are not."""
    rng = np.random.default_rng(5)
    q, _ = np.linalg.qr(rng.normal(size=(32, 3)))
    talker_long, talker_short, replier_short = q[:, 0], 0.75 * q[:, 0] + 0.66 * q[:, 1], q[:, 2]
    long_windows = talker_long + rng.normal(scale=0.02, size=(30, 32))
    seconds = np.array([1.5] * 30 + [0.5] * 6)
    labels = np.repeat([0, 1], [30, 6])

    def crops_like(vector: np.ndarray) -> Callable[[np.ndarray, int], np.ndarray | None]:
        """A stand-in for the encoder's crops of cluster 0."""

        def crop_centroid(members: np.ndarray, frames: int) -> np.ndarray | None:
            assert frames == 50  # the short cluster's median length, in 10 ms frames
            assert (seconds[members] >= 1.5).all()
            return vector / np.linalg.norm(vector)
        return crop_centroid

    own = np.concatenate([long_windows, talker_short + rng.normal(scale=0.02, size=(6, 32))])
    assert float(clustering.normalise(own[:30]).mean(0) @ clustering.normalise(own[30:]).mean(0)) < 0.8
    merged = clustering.merge_short(own, labels, seconds, crops_like(talker_short), threshold=0.92, short=1.0)
    assert set(merged) == {0}
    other = np.concatenate([long_windows, replier_short + rng.normal(scale=0.02, size=(6, 32))])
    kept = clustering.merge_short(other, labels, seconds, crops_like(talker_short), threshold=0.92, short=1.0)
    assert list(kept) == list(labels)
    # A cluster of mostly long windows is never judged by its crops.
    mostly_long = np.array([1.5] * 30 + [1.5] * 4 + [0.5] * 2)
    untouched = clustering.merge_short(own, labels, mostly_long, crops_like(own[30]), threshold=0.0, short=1.0)
    assert list(untouched) == list(labels)


def test_the_old_windows_lose_the_replier(replies: tuple) -> None:
    """The same conversation with the windows and merging of the fifth round: one speaker."""
    audio, _ = replies
    old = EmbeddedDiarizer(pause_ms=None, short_merge=None)
    assert len(old.diarize(audio, max_speakers=10).speakers) == 1
