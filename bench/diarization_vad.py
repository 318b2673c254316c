"""Speech found by the VAD on wideband and telephone-band versions of the diarization conversations.

For each conversation of the held-out sets (bench/diarization_sets.py) and each version of its
audio — as built (``wide``), through the 8 kHz telephone chain (``8k``), and that with mu-law
(``8k-mulaw``) — reports the share of reference speech the VAD misses and the false alarm (speech
found outside the reference, as a share of the reference), for:

* ``diarization``: what the embedded diarizer uses (threshold 0.5, or 0.35 when the audio is
  telephone band — workers/engines/vad.py);
* ``fixed-0.5`` / ``fixed-0.35``: one threshold for everything, for comparison;
* ``whisper``: faster-whisper's own VAD filter with the options batch transcription gives it
  (faster-whisper's defaults: threshold 0.5, 2 s minimum silence, 0.4 s padding) — as before the
  telephone fix of 2026-11-22; telephone-band audio now gets 0.35 there too (bench/telephone_wer.py).

Frame-based (10 ms). Silero runs once per audio version (its probabilities are cached).

Usage: PYTHONPATH=. python bench/diarization_vad.py [--half seen|check|...] [--json OUT]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.diarization_heldout import conversations
from bench.diarization_sets import telephone
from tests.support.synth import RATE


def _cache_silero() -> None:
    """Silero's output depends on the audio only: compute it once per audio for all settings."""
    import faster_whisper.vad as fv

    model = fv.get_vad_model()
    memo: dict[str, np.ndarray] = {}

    class Cached:
        def __call__(self, audio: np.ndarray) -> np.ndarray:
            key = hashlib.sha1(audio.tobytes()).hexdigest()
            if key not in memo:
                memo[key] = model(audio)
            return memo[key]

    fv.get_vad_model = lambda: Cached()


def regions_for(setting: str, audio: np.ndarray) -> list[tuple[float, float]]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from workers.engines.diarization.embedded import TELEPHONE_VAD_THRESHOLD, VAD_THRESHOLD
    from workers.engines.vad import speech_regions, telephone_band

    if setting == "diarization":
        return speech_regions(audio, threshold=TELEPHONE_VAD_THRESHOLD if telephone_band(audio) else VAD_THRESHOLD)
    if setting.startswith("fixed-"):
        return speech_regions(audio, threshold=float(setting[6:]))
    stamps = get_speech_timestamps(audio, VadOptions())
    return [(s["start"] / RATE, s["end"] / RATE) for s in stamps]


def score(regions: list[tuple[float, float]], ref: list[tuple[float, float, str]], n: int) -> tuple[float, float]:
    truth, found = np.zeros(n, bool), np.zeros(n, bool)
    for s, e, _ in ref:
        truth[int(s * 100) : int(e * 100)] = True
    for s, e in regions:
        found[int(s * 100) : int(e * 100)] = True
    total = max(int(truth.sum()), 1)
    return float((truth & ~found).sum() / total), float((found & ~truth).sum() / total)


SETTINGS = ("diarization", "fixed-0.5", "fixed-0.35", "whisper")
VERSIONS = ("wide", "8k", "8k-mulaw")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", default="seen")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    _cache_silero()
    from workers.engines.vad import high_band_db

    rows = []
    for case, audio, ref in conversations(args.half):
        for version in VERSIONS:
            x = audio if version == "wide" else telephone(audio, mulaw=version == "8k-mulaw")
            row: dict = {"case": case.name, "half": case.half, "version": version,
                         "high_band_db": round(high_band_db(x), 1)}
            for setting in SETTINGS:
                miss, fa = score(regions_for(setting, x), ref, len(x) // 160 + 1)
                row[setting] = {"miss": round(miss, 4), "false_alarm": round(fa, 4)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    summary: dict = {}
    for version in VERSIONS:
        for setting in SETTINGS:
            vals = [r[setting] for r in rows if r["version"] == version]
            summary[f"{version} {setting}"] = {
                "mean_miss": round(float(np.mean([v["miss"] for v in vals])), 4),
                "max_miss": round(max(v["miss"] for v in vals), 4),
                "mean_false_alarm": round(float(np.mean([v["false_alarm"] for v in vals])), 4),
                "max_false_alarm": round(max(v["false_alarm"] for v in vals), 4),
            }
    print(json.dumps(summary, indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "summary": summary}, indent=1))


if __name__ == "__main__":
    main()
