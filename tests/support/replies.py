"""A conversation in which one voice talks and another only gives short replies ("Yes.", "Right."):
the diarization tests of speakers found by their replies alone (tests/unit/test_diarization_*)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from bench.diarization_sets import FINAL_LINES
from tests.support.der import der, turns_of
from tests.support.synth import RATE, Voice, speak

TALKER = Voice("en-us+john", pitch=40, speed=166)
REPLIER = Voice("en+steph2", pitch=68, speed=172)
#: The talker's sentences: the first eight of the final held-out set's (bench/diarization_sets.py).
LINES = FINAL_LINES[:8]


def conversation(
    replies: Sequence[str], gaps: Sequence[float], *, replier: Voice = REPLIER
) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """Eight sentences of the talker with a reply of ``replier`` after each of the first
    ``len(replies)``; ``gaps`` (seconds, cycled) separate consecutive clips — a negative gap
    overlaps them. 0.5 s of silence at both ends; every clip at the same loudness. Returns the
    16 kHz audio and its turns (start, end, "talker" | "replier")."""
    script: list[tuple[str, Voice, str]] = []
    for i, line in enumerate(LINES):
        script.append(("talker", TALKER, line))
        if i < len(replies):
            script.append(("replier", replier, replies[i]))
    placed: list[tuple[int, np.ndarray]] = []
    turns = []
    at = int(0.5 * RATE)
    for n, (who, voice, text) in enumerate(script):
        clip = speak(text, voice)
        clip = (clip * (0.1 / float(np.sqrt(np.mean(clip**2))))).astype(np.float32)
        turns.append((at / RATE, (at + len(clip)) / RATE, who))
        placed.append((at, clip))
        at += len(clip) + int(gaps[n % len(gaps)] * RATE)
    audio = np.zeros(max(a + len(c) for a, c in placed) + int(0.5 * RATE), np.float32)
    for a, c in placed:
        audio[a : a + len(c)] += c
    return audio, turns


def assert_replier_found(turns: Sequence[tuple[float, float, str]], found: Any, without: Any) -> None:
    """``found`` (a ``Diarization``) has the talker and the replier within 10 % DER; ``without``,
    the same recording diarized without the step under test, has one speaker and — counted without
    the collar, which covers almost all of a 0.3-0.5 s reply — more error."""
    assert len(found.speakers) == 2
    assert der(turns, turns_of(found)) < 0.10
    assert len(without.speakers) == 1
    assert der(turns, turns_of(found), collar=0.0) < der(turns, turns_of(without), collar=0.0)
