"""Optional result blocks added around the transcript: speakers, channels, alternatives.

Each is switched on by its request setting and leaves plain jobs untouched. Speaker labels are put
on tokens before the transcript is built (so ``audio_segments`` and subtitles break at speaker
changes); the ``speaker_labels``, ``channel_labels`` and ``segments`` blocks are built from the
finished items afterwards, so anything that rewrote items (filters, redaction) shows in them too.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

from workers.engines.diarization.base import Diarizer
from workers.pipeline import alternatives, channels, speakers
from workers.pipeline.contract import JobOptions
from workers.pipeline.media import DecodedAudio
from workers.pipeline.transcript import Token

log = logging.getLogger(__name__)


def label_speakers(tokens: list[Token], audio: DecodedAudio, options: JobOptions,
                   diarizer: Diarizer | None) -> list[Token]:
    max_speakers = speakers.wanted(options.settings)
    if max_speakers is None:
        return tokens
    if diarizer is None:
        from workers.engines.diarization import get_diarizer

        diarizer = get_diarizer()
    started = time.monotonic()
    found = diarizer.diarize(audio.mono, max_speakers=max_speakers)
    log.info("diarized %.1f s of audio in %.1f s: %d speakers", audio.duration_seconds,
             time.monotonic() - started, len(found.speakers))
    return speakers.assign(tokens, speakers.cap(found, max_speakers))


def add_blocks(transcript: dict[str, Any], audio: DecodedAudio, options: JobOptions, engine: Any,
               language: str | None) -> None:
    if speakers.wanted(options.settings) is not None:
        speakers.add_block(transcript)
    if channels.wanted(options.settings):
        channels.add_block(transcript, audio.channels.shape[0])
    max_alternatives = alternatives.wanted(options.settings)
    if max_alternatives is not None:
        def audio_for(segment: dict[str, Any]) -> np.ndarray:
            name = segment.get(channels.LABEL)
            if name and channels.wanted(options.settings):
                return audio.channel(int(name.split("_")[1]))
            return audio.mono

        engine_with_nbest = engine if hasattr(engine, "alternatives") else None
        alternatives.add(transcript, alternatives.segments(transcript, audio_for, engine_with_nbest,
                                                           language=language, max_alternatives=max_alternatives))


def refresh_blocks(transcript: dict[str, Any]) -> None:
    """Rebuild ``speaker_labels`` from items that a later stage rewrote (a redacted copy)."""
    if "speaker_labels" in transcript["results"]:
        speakers.add_block(transcript)
