"""Short replies latched to another voice's sentences: no pause sets them off.

The sixth round of issue 5 cut windows at pauses of 0.1 s, so a reply between pauses is a window
of its own. A reply that starts within 0.05 s of the other voice's last word, or overlaps it, and
is followed as closely by the next sentence, still sits inside a 1.5 s window of the other voice,
and its speaker was found as part of it. The seventh round scans such stretches with 0.5 s
sub-windows for *islands* — a sub-window whose neighbours on both sides agree with each other
more than with it — and makes islands that match no found voice at their own length a speaker.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.replies import assert_replier_found, conversation
from workers.engines.diarization.embedded import FRAME, EmbeddedDiarizer

REPLIES = ["Yes.", "Right.", "I know.", "Really?", "Of course.", "Mm hm.", "Sure."]
#: Seconds from the end of one clip to the start of the next: negative overlaps them.
GAPS = (-0.1, 0.03, 0.0, -0.05, 0.05)


def _latched() -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """Eight sentences of one voice, a short reply of another latched between each two."""
    return conversation(REPLIES, GAPS)


@pytest.fixture(scope="module")
def latched() -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    return _latched()


@pytest.fixture(scope="module")
def embedded() -> EmbeddedDiarizer:
    return EmbeddedDiarizer()


def test_no_pause_sets_the_replies_off(embedded: EmbeddedDiarizer, latched: tuple) -> None:
    """The round-six windows give no latched reply a window of its own."""
    audio, turns = latched
    regions = embedded.speech(audio)
    windows = embedded.windows(audio, regions)
    replies = [(round(s / FRAME), round(e / FRAME)) for s, e, who in turns if who == "replier"]
    own = sum(any(s - 10 <= w.start and w.end <= e + 10 for w in windows) for s, e in replies)
    assert own <= 1


def test_islands_find_the_replies(embedded: EmbeddedDiarizer, latched: tuple) -> None:
    audio, turns = latched
    islands, _, _ = embedded.islands(audio, embedded.stretches(audio, embedded.speech(audio)))
    replies = [(round(s / FRAME), round(e / FRAME)) for s, e, who in turns if who == "replier"]
    hit = [any(w.start < e and s < w.end for w in islands) for s, e in replies]
    # Not every reply stands out at 0.5 s (3-4 of these 7 do; 0.25 s steps); a speaker needs 3.
    assert sum(hit) >= 3
    # Islands are mostly replies, not bits of the talker's sentences.
    on_reply = [any(w.start < e and s < w.end for s, e in replies) for w in islands]
    assert sum(on_reply) >= len(islands) - 2


def test_a_speaker_of_latched_replies_is_found(embedded: EmbeddedDiarizer, latched: tuple) -> None:
    audio, turns = latched
    # (The eighth round's newcomer test finds this replier too: test_diarization_newcomer.py.)
    assert_replier_found(turns, embedded.diarize(audio, max_speakers=10),
                         EmbeddedDiarizer(island_margin=None, newcomer_deficit=None).diarize(audio, max_speakers=10))


def test_max_speakers_one_gets_no_island_speaker(embedded: EmbeddedDiarizer, latched: tuple) -> None:
    audio, _ = latched
    assert len(embedded.diarize(audio, max_speakers=1).speakers) == 1
