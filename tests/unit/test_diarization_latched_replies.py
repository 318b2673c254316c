"""Short replies latched to another voice's sentences: no pause sets them off.

The sixth round of issue 5 cut windows at pauses of 0.1 s, so a reply between pauses is a window
of its own. A reply that starts within 0.05 s of the other voice's last word, or overlaps it, and
is followed as closely by the next sentence, still sits inside a 1.5 s window of the other voice,
and its speaker was found as part of it. The seventh round scans such stretches with 0.5 s
sub-windows for *islands* — a sub-window whose neighbours on both sides agree with each other
more than with it — and makes islands that match no found voice at their own length a speaker
(since session 7, only when they also stand further from every voice than its own clips do).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.replies import assert_replier_found, conversation
from tests.support.synth import RATE
from workers.engines.diarization.embedded import FRAME, ISLAND_DEFICIT, ISLAND_WINDOW, EmbeddedDiarizer, Window

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


def test_islands_of_another_voice_stand_apart_and_a_voice_s_own_moments_do_not(
    embedded: EmbeddedDiarizer, latched: tuple
) -> None:
    """The check an island group must pass to become a speaker (``deficit``): half-seconds of the
    replies, joined, are much less alike to the talker's clips than those are to each other;
    half-seconds of the talker's own sentences are not (a real voice's odd moments, which 1-LSB
    differences in the audio once turned into a false speaker, measure like these)."""
    audio, turns = latched
    length = round(ISLAND_WINDOW / FRAME)
    talker = np.zeros(round(len(audio) / RATE / FRAME) + 1, dtype=bool)
    for s, e, who in turns:
        if who == "talker":
            talker[round(s / FRAME) : round(e / FRAME)] = True

    def centred(s: float, e: float) -> Window:
        middle = round((s + e) / 2 / FRAME)
        return Window(middle - length // 2, middle - length // 2 + length)

    replies = [centred(s, e) for s, e, who in turns if who == "replier"][:4]
    own = [centred(s, e) for s, e, who in turns if who == "talker"][1:5]
    clear = talker.copy()
    for w in own:
        clear[w.start - length : w.end + length] = False
    other_voice = embedded.deficit(audio, replies, {0: clear}, length)
    same_voice = embedded.deficit(audio, own, {0: clear}, length)
    assert other_voice is not None and same_voice is not None
    # Measured: 0.21 and 0.00.
    assert other_voice > ISLAND_DEFICIT
    assert same_voice < ISLAND_DEFICIT - 0.1
