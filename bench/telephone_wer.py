"""Batch transcription of telephone-band audio: WER and speech coverage of Whisper's VAD filter.

Silero VAD gives 8 kHz telephone speech (300-3400 Hz) much lower speech probabilities than the same
speech at full band, and faster-whisper's ``vad_filter`` (threshold 0.5) then drops whole stretches
of it; words in dropped speech are never transcribed. This bench runs the engine call the worker
makes (``WhisperRecognizer.transcribe``, tiny.en, beam 5, VAD filter on) on each recording in
three versions — as built (``wide``), through the 8 kHz telephone chain of tests/support/telephone.py
(``8k``) and that with G.711 mu-law (``8k-mulaw``) — with the VAD filter's threshold on
telephone-band audio set to each of ``--thresholds`` (``0.5`` is the behaviour before the fix:
one threshold for all audio). Wideband audio is never telephone band, so its figures must not move.

Reported per half, version and setting: WER (lower-cased words without punctuation, summed over
the half's reference words) and the VAD's miss (reference speech outside the VAD's regions, 10 ms
frames, as a share of the reference speech; faster-whisper's VAD options with that threshold).

The recordings are fixed here before anything was measured, split into a ``tune`` half (where a
threshold may be chosen) and a ``heldout`` half (only to report): different espeak-ng voices, texts
and real recordings. espeak conversations are call-centre-like: 4-6 utterances by one or two voices
with pauses of 0.5-1.6 s, some with faint noise. Real recordings are the clips of tests/data/audio
with the transcripts of its MANIFEST.md.

``--sets carlo`` (or ``english,carlo``) runs four conversations of three real Italian prompts each
by Carlo (asterisk-core-sounds-it, a man: the voice Silero lost most of at 8 kHz;
bench/diarization_sets.py unpacks them), two per half. Their text is not published with the
package, so they are transcribed with the multilingual ``base`` model in Italian and scored
against base's own transcript of the wideband version: that WER counts the words the 8 kHz
versions lose or change, not absolute accuracy.

Usage: PYTHONPATH=. python bench/telephone_wer.py [--half tune|heldout|all]
           [--thresholds 0.5,0.35] [--sets english,carlo] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.synth import RATE, Voice, pink_noise, speak
from tests.support.telephone import telephone

ROOT = Path(__file__).resolve().parents[1]
AUDIO = ROOT / "tests" / "data" / "audio"

TUNE_VOICES = [
    Voice("en-us+m4", pitch=38, speed=172), Voice("en-gb+f5", pitch=72, speed=150),
    Voice("en-gb-x-gbclan+m6", pitch=52, speed=185), Voice("en-029+f2", pitch=60, speed=160),
    Voice("en-us-nyc+m8", pitch=30, speed=145), Voice("en-us+Andy", pitch=45, speed=165),
    Voice("en-gb+m7", pitch=20, speed=160), Voice("en-us+f1", pitch=80, speed=175),
]
HELDOUT_VOICES = [
    Voice("en-us+m1", pitch=58, speed=190), Voice("en-gb-scotland+m3", pitch=40, speed=155),
    Voice("en-us+f3", pitch=90, speed=165), Voice("en-gb-x-rp+f4", pitch=55, speed=140),
    Voice("en-us+Gene", pitch=28, speed=150), Voice("en-gb+Alicia", pitch=66, speed=158),
    Voice("en-029+Mike", pitch=44, speed=182), Voice("en-us+Michael", pitch=33, speed=170),
]

TUNE_LINES = [
    "Thank you for calling customer service, my name is Laura, how can I help you today.",
    "Hi, I ordered a new washing machine last week and it still has not been delivered.",
    "I am sorry to hear that, could you give me your order number please.",
    "Sure, just give me a moment to find the confirmation email.",
    "I can see the order here, the parcel is waiting at the local depot.",
    "Can you ask them to deliver it tomorrow morning, I will be at home.",
    "I have arranged the delivery, you will receive a text message with the time.",
    "Good morning, I would like to cancel my gym membership at the end of this month.",
    "May I ask why you want to leave, perhaps we can offer you a better plan.",
    "I am moving to another city and there is no branch of your gym there.",
    "In that case the cancellation is free, I will send you a written confirmation.",
    "My internet connection keeps dropping every evening around dinner time.",
    "Have you already tried restarting the router and unplugging it for a minute.",
    "Yes, several times, but the problem always comes back after an hour.",
    "Then I will book a technician, the earliest appointment is on Thursday afternoon.",
    "I received an invoice that is much higher than what I usually pay.",
    "Let me check the details, it looks like you were charged for roaming abroad.",
    "But I switched off mobile data before I left the country.",
    "I understand, I will refund the roaming charges as a gesture of goodwill.",
    "Please hold the line while I transfer you to our billing department.",
    "Hello, I am calling because my credit card was blocked this morning.",
    "For your security I need to ask you a few questions before we continue.",
    "What was the amount and the name of the shop of your last purchase.",
    "It was a small payment at the bakery near the train station.",
]
HELDOUT_LINES = [
    "Welcome to the city library, you are speaking with Daniel, what can I do for you.",
    "I borrowed three books last month and I would like to renew them online.",
    "Your account shows an unpaid fine, so the renewal has been blocked automatically.",
    "How much is the fine and can I pay it over the phone.",
    "You can pay it with a card right now, it only takes a minute.",
    "Hello, this is the dental practice, I am calling to confirm your appointment.",
    "Oh yes, thank you, is it still on Wednesday at half past nine.",
    "That is right, please arrive ten minutes early to fill in a short form.",
    "Could I possibly move it to the afternoon, I have a meeting in the morning.",
    "We have a free slot at a quarter to four, shall I book that for you.",
    "I am calling about the heating in my flat, the radiators are cold again.",
    "Did the engineer not come out to repair the boiler last Friday.",
    "He did, but the same fault appeared again on Sunday evening.",
    "I will mark the case as urgent and someone will call you back within the hour.",
    "Good afternoon, I want to change the address on my insurance policy.",
    "Certainly, what is the new address and from which date does it apply.",
    "We are moving into the new house at the beginning of next month.",
    "Your premium may change slightly because the new area has a different risk rating.",
    "Hi, my flight was cancelled and I need to rebook my ticket for tomorrow.",
    "There is a seat on the early flight, but it has a stop in Frankfurt.",
    "That is fine as long as I arrive before the evening.",
    "The new boarding pass will be sent to your email address in a few minutes.",
    "Is there anything else I can help you with today.",
    "No, that was all, thank you very much for your help.",
]


@dataclass(frozen=True)
class Case:
    name: str
    half: str
    #: (voice index, line index) per utterance (espeak), or () for a real clip.
    script: tuple[tuple[int, int], ...] = ()
    clip: str = ""
    reference: str = ""
    noise_snr_db: float | None = None
    #: Carlo conversation number (``--carlo``), scored against the wideband transcript.
    carlo: int = -1


def _espeak_cases(half: str, n_voices: int, n_lines: int) -> list[Case]:
    """Eight conversations per half: monologues and dialogues, voices and lines dealt in turn."""
    out: list[Case] = []
    line = 0
    for i in range(8):
        a, b = i % n_voices, (i * 3 + 1) % n_voices
        turns = 4 + i % 3
        speakers = [a] * turns if i % 2 == 0 else [a if t % 2 == 0 else b for t in range(turns)]
        script = []
        for v in speakers:
            script.append((v, line % n_lines))
            line += 1
        kind = "mono" if i % 2 == 0 else "dialogue"
        out.append(Case(f"{half}-{i}-{kind}", half, tuple(script), noise_snr_db=30.0 if i % 4 == 3 else None))
    return out


REAL = {
    "en-gb.wav": "Hello, my name is Stephen Fry, I was born in London, and I've been in the entertainment "
                 "business since, well I suppose about 1981.",
    "en-us_video.mp4": "The Nile is one of the most vital, diverse, and contentious river systems in the world.",
    "multi-speaker.wav": "Hey, I am using local stack. Yeah, it's a great tool to emulate the cloud services.",
}


def cases() -> list[Case]:
    tune = _espeak_cases("tune", len(TUNE_VOICES), len(TUNE_LINES))
    heldout = _espeak_cases("heldout", len(HELDOUT_VOICES), len(HELDOUT_LINES))
    tune.append(Case("tune-real-en-gb", "tune", clip="en-gb.wav", reference=REAL["en-gb.wav"]))
    for clip in ("en-us_video.mp4", "multi-speaker.wav"):
        heldout.append(Case(f"heldout-real-{clip.split('.')[0]}", "heldout", clip=clip, reference=REAL[clip]))
    return tune + heldout


def carlo_cases() -> list[Case]:
    return [Case(f"{'tune' if k % 2 == 0 else 'heldout'}-carlo-{k}", "tune" if k % 2 == 0 else "heldout", carlo=k)
            for k in range(4)]


def build(case: Case) -> tuple[np.ndarray, str, list[tuple[float, float]]]:
    """Audio (16 kHz), reference text and reference speech spans (seconds)."""
    if case.carlo >= 0:
        from bench.diarization_sets import CARLO, RealVoices, asterisk_root, speech_spans

        voices = RealVoices(asterisk_root())
        parts: list[np.ndarray] = [np.zeros(RATE // 2, np.float32)]
        spans: list[tuple[float, float]] = []
        t = 0.5
        for j in range(3):
            y = voices.prompt(CARLO, 40 + 3 * case.carlo + j)
            spans += [(t + a / RATE, t + b / RATE) for a, b in speech_spans(y)]
            parts += [y, np.zeros(RATE, np.float32)]
            t += len(y) / RATE + 1.0
        return np.concatenate(parts), "", spans
    if case.clip:
        from bench.diarization_sets import speech_spans
        from workers.pipeline import media

        path = AUDIO / case.clip
        x = media.decode(path, media.probe(path)).mono.astype(np.float32)
        return x, case.reference, [(a / RATE, b / RATE) for a, b in speech_spans(x)]
    pool, lines = (TUNE_VOICES, TUNE_LINES) if case.half == "tune" else (HELDOUT_VOICES, HELDOUT_LINES)
    rng = np.random.default_rng(len(case.name) * 7919 + sum(map(ord, case.name)))
    parts = [np.zeros(int(0.5 * RATE), np.float32)]
    texts: list[str] = []
    spans = []
    t = 0.5
    for v, li in case.script:
        y = speak(lines[li], pool[v])
        y = y / max(float(np.abs(y).max()), 1e-9) * 0.5
        spans.append((t, t + len(y) / RATE))
        texts.append(lines[li])
        gap = float(rng.uniform(0.5, 1.6))
        parts += [y, np.zeros(int(gap * RATE), np.float32)]
        t += len(y) / RATE + int(gap * RATE) / RATE
    x = np.concatenate(parts).astype(np.float32)
    if case.noise_snr_db is not None:
        speech_power = float(np.mean(np.concatenate(parts[1::2]) ** 2))
        x = x + pink_noise(len(x), rng) * np.sqrt(speech_power / 10 ** (case.noise_snr_db / 10))
    return x.astype(np.float32), " ".join(texts), spans


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower().replace("-", " "))


def edits(ref: list[str], hyp: list[str]) -> int:
    d = np.arange(len(hyp) + 1)
    for i in range(1, len(ref) + 1):
        prev, d[0] = d.copy(), i
        for j in range(1, len(hyp) + 1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (ref[i - 1] != hyp[j - 1]))
    return int(d[len(hyp)])


def miss(audio: np.ndarray, spans: list[tuple[float, float]], threshold: float) -> float:
    """Share of reference speech outside the VAD filter's regions at ``threshold``."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    n = len(audio) * 100 // RATE + 1
    truth, found = np.zeros(n, bool), np.zeros(n, bool)
    for s, e in spans:
        truth[int(s * 100) : int(e * 100)] = True
    for st in get_speech_timestamps(audio, VadOptions(threshold=threshold)):
        found[st["start"] * 100 // RATE : st["end"] * 100 // RATE] = True
    return float((truth & ~found).sum() / max(int(truth.sum()), 1))


VERSIONS = ("wide", "8k", "8k-mulaw")


def version(x: np.ndarray, name: str) -> np.ndarray:
    return x if name == "wide" else telephone(x, mulaw=name == "8k-mulaw")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", default="tune", choices=("tune", "heldout", "all"))
    parser.add_argument("--thresholds", default="0.5,0.35")
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--sets", default="english", help="english, carlo (Italian, base model) or english,carlo")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from workers.engines.vad import threshold_for
    from workers.engines.whisper import WhisperRecognizer

    thresholds = [float(t) for t in args.thresholds.split(",")]
    cache = Path(tempfile.gettempdir()) / "harken-bench-models"
    engines = {t: WhisperRecognizer(model=args.model, cache_dir=cache, cpu_threads=2, telephone_vad_threshold=t)
               for t in thresholds}
    base = {t: WhisperRecognizer(model="base", cache_dir=cache, cpu_threads=2, telephone_vad_threshold=t)
            for t in thresholds} if "carlo" in args.sets else {}
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    chosen = (cases() if "english" in args.sets else []) + (carlo_cases() if "carlo" in args.sets else [])
    for case in chosen:
        if args.half != "all" and case.half != args.half:
            continue
        x, ref, spans = build(case)
        run, language = (base, "it") if case.carlo >= 0 else (engines, None)
        if case.carlo >= 0:
            ref = " ".join(s.text for s in base[thresholds[0]].transcribe(x, language="it").segments)
        for v in VERSIONS:
            audio = version(x, v)
            for t in thresholds:
                hyp = " ".join(s.text for s in run[t].transcribe(audio, language=language).segments)
                used = threshold_for(audio, t)
                row: dict[str, Any] = {
                       "case": case.name, "half": case.half, "version": v, "setting": t, "vad_threshold": used,
                       "ref_words": len(words(ref)), "errors": edits(words(ref), words(hyp)),
                       "miss": round(miss(audio, spans, used), 4), "seconds": round(len(x) / RATE, 1),
                       "hypothesis": hyp.strip()}
                rows.append(row)
                print(f"{case.name:28s} {v:9s} t={t:<5} vad={used:<5} "
                      f"WER {row['errors'] / row['ref_words']:6.1%} miss {row['miss']:6.1%}", flush=True)
    print(f"\n{len(rows)} transcriptions in {time.perf_counter() - started:.0f} s\n")
    summary = []
    for half in sorted({r["half"] for r in rows}):
        for v in VERSIONS:
            for t in thresholds:
                sel = [r for r in rows if r["half"] == half and r["version"] == v and r["setting"] == t]
                wer = sum(r["errors"] for r in sel) / max(1, sum(r["ref_words"] for r in sel))
                worst = max(sel, key=lambda r: r["errors"] / r["ref_words"])
                misses = [r["miss"] for r in sel]
                summary.append({"half": half, "version": v, "setting": t, "wer": round(wer, 4),
                                "worst_wer": round(worst["errors"] / worst["ref_words"], 4),
                                "worst_case": worst["case"], "mean_miss": round(float(np.mean(misses)), 4),
                                "worst_miss": round(max(misses), 4)})
                s = summary[-1]
                print(f"{half:8s} {v:9s} telephone threshold {t:<5} WER {s['wer']:6.1%} "
                      f"(worst {s['worst_wer']:6.1%} {s['worst_case']}) miss mean {s['mean_miss']:6.1%} "
                      f"worst {s['worst_miss']:6.1%}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "summary": summary}, indent=1))


if __name__ == "__main__":
    main()
