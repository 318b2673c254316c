"""Speech regions from the Silero VAD model that ships inside faster-whisper's wheel.

Shared by diarization (windows are cut inside speech only) and multi-language identification
(languages are judged per stretch of speech between pauses).
"""

from __future__ import annotations

import numpy as np

RATE = 16_000


def speech_regions(
    audio: np.ndarray, *, min_silence_ms: int = 250, pad_ms: int = 30, min_speech_ms: int = 150
) -> list[tuple[float, float]]:
    """(start, end) seconds of speech in 16 kHz mono ``audio``."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size == 0:
        return []
    stamps = get_speech_timestamps(
        audio, VadOptions(min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms,
                          min_speech_duration_ms=min_speech_ms)
    )
    return [(s["start"] / RATE, s["end"] / RATE) for s in stamps]
