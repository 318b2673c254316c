"""Speech regions from the Silero VAD model that ships inside faster-whisper's wheel.

Shared by diarization (windows are cut inside speech only) and multi-language identification
(languages are judged per stretch of speech between pauses). Whisper's own VAD filter
(``vad_filter`` in workers/engines/whisper.py) is faster-whisper's, with its own options, but takes
its threshold from ``threshold_for`` here.

Telephone audio (8 kHz, 300-3400 Hz) gets much lower speech probabilities from Silero than the
same speech at full band: on 8 kHz versions of the diarization benchmark conversations, the usual
threshold of 0.5 missed 14 % of the speech on average and up to 89 % (a man's voice); at 0.35
about 1.6-1.8 % on average, 9 % at worst (bench/diarization_vad.py, docs/performance.md); Whisper's
VAD filter at 0.5 dropped 24-68 % of a real man's voice, at 0.35 none (bench/telephone_wer.py).
``telephone_band`` tells such recordings apart by the energy above 3.8 kHz, so callers can lower
the threshold for them only — at full band a lower threshold lets short pauses between speakers
and noise into the speech, and the diarization DER rose on several benchmark conversations.

One job asks several times (language identification, Whisper's VAD filter per channel or span,
multi-language spans, diarization), each about 0.5 s of CPU per 5 minutes of audio. Inside
``job_audio(mono)`` (workers/pipeline/run.py wraps a job in it) every ``threshold_for`` answers
for the job's recording, computed once on first use; outside it each call looks at the audio it
is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np

RATE = 16_000
#: Energy at 3.8-7.6 kHz relative to 0.3-3.4 kHz (dB, loudest 30 % of 32 ms frames) below which
#: audio counts as telephone band. Wideband speech measured -12 to -33 dB, 8 kHz recordings
#: upsampled with a mediocre filter about -36 dB, the 8 kHz telephone chain -53 dB (mu-law) to
#: -70 dB and below.
TELEPHONE_BAND_DB = -45.0
#: Silero's usual speech threshold, and the one for telephone-band audio (see above and
#: bench/telephone_wer.py for Whisper's VAD filter).
THRESHOLD = 0.5
TELEPHONE_THRESHOLD = 0.35
#: ``high_band_db`` looks at no more than this many frames, spread evenly over the audio: about
#: 5.5 minutes of it, so a 4-hour recording costs a fraction of a second and no gigabytes.
MAX_BAND_FRAMES = 20_000


def speech_regions(
    audio: np.ndarray, *, min_silence_ms: int = 250, pad_ms: int = 30, min_speech_ms: int = 150,
    threshold: float = 0.5,
) -> list[tuple[float, float]]:
    """(start, end) seconds of speech in 16 kHz mono ``audio``; ``threshold`` is Silero's speech
    probability (its release threshold is 0.15 lower, as faster-whisper sets it)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size == 0:
        return []
    stamps = get_speech_timestamps(
        audio, VadOptions(min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms,
                          min_speech_duration_ms=min_speech_ms, threshold=threshold)
    )
    return [(s["start"] / RATE, s["end"] / RATE) for s in stamps]


def high_band_db(audio: np.ndarray) -> float:
    """Energy at 3.8-7.6 kHz relative to 0.3-3.4 kHz in the loudest 30 % of 32 ms frames (dB)."""
    n, hop = 512, 256
    frames = (len(audio) - n) // hop + 1
    if frames < 1:
        return 0.0
    starts = hop * np.arange(frames)
    if frames > MAX_BAND_FRAMES:
        starts = starts[np.linspace(0, frames - 1, MAX_BAND_FRAMES).astype(np.int64)]
    idx = np.arange(n)[None, :] + starts[:, None]
    spectrum = np.abs(np.fft.rfft(audio[idx].astype(np.float64) * np.hanning(n), axis=1)) ** 2
    energy = spectrum.sum(axis=1)
    power = spectrum[energy >= np.quantile(energy, 0.7)].sum(axis=0)
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    high = power[(freqs >= 3800) & (freqs < 7600)].sum()
    speech = power[(freqs >= 300) & (freqs < 3400)].sum()
    if speech <= 0:
        return 0.0
    return float(10 * np.log10(high / speech + 1e-12))


def telephone_band(audio: np.ndarray) -> bool:
    """Whether 16 kHz ``audio`` carries nothing above the telephone band (an upsampled 8 kHz call)."""
    return high_band_db(audio) < TELEPHONE_BAND_DB


class _JobBand:
    """Whether a job's recording is telephone band, worked out on the first question only."""

    def __init__(self, audio: np.ndarray) -> None:
        self._audio: np.ndarray | None = audio
        self._band: bool | None = None

    def get(self) -> bool:
        if self._band is None:
            assert self._audio is not None
            self._band = telephone_band(self._audio)
            self._audio = None  # the answer is kept, not the recording
        return self._band


_JOB: ContextVar[_JobBand | None] = ContextVar("harken_job_band", default=None)


@contextmanager
def job_audio(audio: np.ndarray) -> Iterator[None]:
    """Inside this block, whether audio is telephone band is decided once, for ``audio`` (the
    job's whole recording), and that answer serves every ``threshold_for`` — whatever channel,
    span or clip of the recording it is asked about."""
    token = _JOB.set(_JobBand(audio))
    try:
        yield
    finally:
        _JOB.reset(token)


def is_telephone(audio: np.ndarray) -> bool:
    """``telephone_band`` of the current job's recording (see ``job_audio``), else of ``audio``."""
    job = _JOB.get()
    return job.get() if job is not None else telephone_band(audio)


def threshold_for(audio: np.ndarray, telephone: float | None = TELEPHONE_THRESHOLD) -> float:
    """Silero's speech threshold for ``audio``: ``telephone`` for telephone-band audio (None keeps
    the usual threshold everywhere), else the usual one. Inside ``job_audio`` the band is the
    job's, worked out once."""
    if telephone is not None and is_telephone(audio):
        return telephone
    return THRESHOLD
