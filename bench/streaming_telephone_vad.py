"""Speech the streaming server's endpointing VAD finds in 8 kHz telephone streams.

Phone systems send 8 kHz pcm (or G.711). The server resamples it to 16 kHz (PyAV, as
services/streaming/audio.py does) and runs Silero frame by frame (services/streaming/vad.py) with
the session's hysteresis: speech starts at ``threshold`` and stays down to ``threshold - 0.15``;
an utterance ends after ``endpoint_silence_seconds`` (0.5 s) below it. Speech outside every
utterance is never decoded. Reported: the share of reference speech outside the utterances
(10 ms frames), per recording and threshold, for the wideband 16 kHz stream and the 8 kHz
telephone-chain stream (tests/support/telephone.py, decimated to 8 kHz pcm, with and without
mu-law).

Recordings: the bench/telephone_wer.py conversations (both halves) and, where the asterisk prompts
are unpacked (bench/diarization_sets.py), conversations of three prompts each of Carlo (it-IT, a
man: the voice Silero lost most of at 8 kHz) and Allison (en-US).

Usage: PYTHONPATH=. python bench/streaming_telephone_vad.py [--thresholds 0.5,0.35] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.telephone_wer import build, cases
from tests.support.synth import RATE
from tests.support.telephone import telephone


def stream_probs(audio16: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(audio as the server sees it at 16 kHz, Silero probability per 512-sample frame)."""
    from scipy.signal import resample_poly

    from services.streaming.audio import PcmDecoder
    from services.streaming.vad import StreamingVad

    x = audio16 if rate == RATE else resample_poly(audio16.astype(np.float64), 1, 2)
    pcm = (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()
    dec, vad = PcmDecoder(rate, 1), StreamingVad()
    seen, probs = [], []
    step = rate // 10 * 2  # 100 ms chunks of 16-bit samples
    for i in range(0, len(pcm), step):
        dec.feed(pcm[i : i + step])
        got = dec.take()[0]
        seen.append(got)
        probs.append(vad.push(got))
    dec.finish()
    got = dec.take()[0]
    seen.append(got)
    probs.append(vad.push(got))
    return np.concatenate(seen), np.concatenate(probs)


def utterances(probs: np.ndarray, threshold: float, silence_s: float = 0.5) -> list[tuple[float, float]]:
    """The session's endpointing (services/streaming/session.py) on frame probabilities."""
    frame = 512 / RATE
    stay = max(0.15, threshold - 0.15)
    out: list[tuple[float, float]] = []
    start: float | None = None
    last, in_speech = 0.0, False
    for i, p in enumerate(probs):
        t = i * frame
        if p >= (stay if in_speech else threshold):
            if start is None:
                start = max(0.0, t - 0.2)
            in_speech, last = True, t + frame
        elif in_speech and start is not None and t + frame - last >= silence_s:
            in_speech = False
            out.append((start, last + 0.15))
            start = None
    if start is not None:
        out.append((start, last + 0.15))
    return out


def miss(regions: list[tuple[float, float]], spans: list[tuple[float, float]], seconds: float) -> float:
    n = int(seconds * 100) + 1
    truth, found = np.zeros(n, bool), np.zeros(n, bool)
    for s, e in spans:
        truth[int(s * 100) : int(e * 100)] = True
    for s, e in regions:
        found[int(s * 100) : int(e * 100)] = True
    return float((truth & ~found).sum() / max(int(truth.sum()), 1))


def recordings() -> list[tuple[str, np.ndarray, list[tuple[float, float]]]]:
    out = []
    for case in cases():
        x, _, spans = build(case)
        out.append((case.name, x, spans))
    try:
        from bench.diarization_sets import ALLISON, CARLO, RealVoices, asterisk_root, speech_spans

        voices = RealVoices(asterisk_root())
        for voice, label in ((CARLO, "carlo"), (ALLISON, "allison")):
            for k in range(2):
                parts, spans, t = [np.zeros(RATE // 2, np.float32)], [], 0.5
                for j in range(3):
                    y = voices.prompt(voice, 10 + 7 * k + j)
                    spans += [(t + a / RATE, t + b / RATE) for a, b in speech_spans(y)]
                    parts += [y, np.zeros(RATE, np.float32)]
                    t += len(y) / RATE + 1.0
                out.append((f"real-{label}-{k}", np.concatenate(parts), spans))
    except Exception as exc:  # no asterisk prompts here: espeak and clips only
        print(f"asterisk prompts unavailable: {exc}", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--thresholds", default="0.5,0.35")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    rows: list[dict[str, Any]] = []
    for name, x, spans in recordings():
        for version in ("wide", "8k", "8k-mulaw"):
            audio = x if version == "wide" else telephone(x, mulaw=version == "8k-mulaw")
            seen, probs = stream_probs(audio, RATE if version == "wide" else 8000)
            for t in thresholds:
                m = miss(utterances(probs, t), spans, len(seen) / RATE)
                rows.append({"recording": name, "version": version, "threshold": t, "miss": round(m, 4)})
                print(f"{name:28s} {version:9s} threshold {t:<5} miss {m:6.1%}", flush=True)
    print()
    for version in ("wide", "8k", "8k-mulaw"):
        for t in thresholds:
            sel = [r["miss"] for r in rows if r["version"] == version and r["threshold"] == t]
            print(f"{version:9s} threshold {t:<5} miss mean {np.mean(sel):6.1%} worst {max(sel):6.1%} (n={len(sel)})")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
