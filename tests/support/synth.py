"""Synthetic speech with exactly known turns: espeak-ng voices, silences and channels mixed in numpy.

Diarization, channel and language tests need audio whose truth is known to the hundredth of a
second; recorded conversations never come with that. espeak-ng's voices differ enough in pitch,
formants and rhythm to act as different speakers for a speaker encoder, and its languages give
mixed-language files with known spans. Only the generator scripts (tests/data/diarization/
generate.py, bench/) call this; tests read the committed FLAC files and their JSON truth.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

RATE = 16_000


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice (``en-us+m3``) with pitch (0-99) and speed (words per minute)."""

    name: str
    pitch: int = 50
    speed: int = 165


@dataclass(frozen=True)
class Turn:
    speaker: str
    start: float
    end: float
    text: str
    language: str = ""
    channel: int = 0


def speak(text: str, voice: Voice) -> np.ndarray:
    """One utterance at 16 kHz, float32, with espeak's leading and trailing silence cut off."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        out = Path(tmp) / "out.wav"
        subprocess.run(["espeak-ng", "-v", voice.name, "-p", str(voice.pitch), "-s", str(voice.speed),
                        "-w", str(raw), text], check=True, capture_output=True)
        # -D: no dither. sox dithers a rate change with random noise by default, so one text came
        # out different (by 1-2 LSB) at each run, and diarization figures changed with the build.
        subprocess.run(["sox", str(raw), "-D", "-r", str(RATE), "-c", "1", "-b", "16", str(out)], check=True,
                       capture_output=True)
        with wave.open(str(out)) as fh:
            pcm = np.frombuffer(fh.readframes(fh.getnframes()), dtype=np.int16)
    samples = pcm.astype(np.float32) / 32768.0
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    if loud.size == 0:
        return samples
    return samples[loud[0] : loud[-1] + 1]


def conversation(
    script: Sequence[tuple[str, str]],
    voices: dict[str, Voice],
    *,
    gaps: Sequence[float] = (0.6,),
    lead: float = 0.5,
    tail: float = 0.5,
    languages: dict[str, str] | None = None,
) -> tuple[np.ndarray, list[Turn]]:
    """Speakers take turns (``script`` = [(speaker, text)]) with the given silences between them."""
    pieces: list[np.ndarray] = [np.zeros(int(lead * RATE), np.float32)]
    turns: list[Turn] = []
    at = lead
    for n, (speaker, text) in enumerate(script):
        speech = speak(text, voices[speaker])
        turns.append(Turn(speaker, round(at, 3), round(at + len(speech) / RATE, 3), text,
                          (languages or {}).get(speaker, "")))
        pieces.append(speech)
        at += len(speech) / RATE
        if n < len(script) - 1:
            gap = gaps[n % len(gaps)]
            pieces.append(np.zeros(int(gap * RATE), np.float32))
            at += int(gap * RATE) / RATE
    pieces.append(np.zeros(int(tail * RATE), np.float32))
    return np.concatenate(pieces), turns


def stereo(
    script: Sequence[tuple[int, str]], voices: Sequence[Voice], *, gap: float = 0.7, lead: float = 0.5
) -> tuple[np.ndarray, list[Turn]]:
    """Two channels, one voice each, speaking in turn: channel ``c`` is silent while the other talks."""
    mono, turns = conversation([(str(c), text) for c, text in script],
                               {str(i): v for i, v in enumerate(voices)}, gaps=(gap,), lead=lead)
    out = np.zeros((2, mono.size), np.float32)
    placed: list[Turn] = []
    for turn in turns:
        c = int(turn.speaker)
        a, b = int(turn.start * RATE), int(turn.end * RATE) + 1
        out[c, a:b] = mono[a:b]
        placed.append(Turn(f"ch_{c}", turn.start, turn.end, turn.text, channel=c))
    return out, placed


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of 1/f noise at unit standard deviation (background for noisy test speech)."""
    spectrum = np.fft.rfft(rng.normal(size=n))
    f = np.arange(len(spectrum))
    spectrum[1:] /= np.sqrt(f[1:])
    spectrum[0] = 0
    x = np.fft.irfft(spectrum, n)
    return (x / np.std(x)).astype(np.float32)


def write_flac(path: Path, samples: np.ndarray) -> None:
    """16-bit FLAC through sox; ``samples`` is (n,) mono or (channels, n)."""
    data = samples if samples.ndim == 2 else samples[None, :]
    pcm = (np.clip(data, -1.0, 1.0) * 32767).astype("<i2").T.copy()
    subprocess.run(["sox", "-t", "raw", "-r", str(RATE), "-e", "signed", "-b", "16", "-c", str(data.shape[0]),
                    "-", str(path)], input=pcm.tobytes(), check=True, capture_output=True)


def write_truth(path: Path, turns: Sequence[Turn], **extra: object) -> None:
    path.write_text(json.dumps({**extra, "turns": [asdict(t) for t in turns]}, indent=1) + "\n")


def read_truth(path: Path) -> list[Turn]:
    return [Turn(**t) for t in json.loads(path.read_text())["turns"]]
