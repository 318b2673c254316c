"""Diarization: error rate and speed of the embedded backend, speed of the pyannote backend on CPU.

Builds N synthetic conversations (1-4 espeak-ng speakers, known turns, pauses of 0.25-1.2 s;
voices and texts differ from the test fixtures), runs the embedded backend with MaxSpeakerLabels
10 (so the count is the backend's own estimate) and scores DER (collar 0.25 s and 0 s), the
speaker count, and wall time as x real time (model load excluded, reported apart). The pyannote
backend runs the real pipeline code on random-weight checkpoints built here (its DER is
meaningless without trained weights; only its speed is), at segmentation_step 0.5 and 0.1.

Usage: PYTHONPATH=. python bench/diarization.py [--variant N [N ...]] [--pyannote-seconds 30] [--no-pyannote]
Variant 0 is the set the clustering constants were first tuned on; variants 1, 2, ... rotate the
voices and texts (``--variant 0 1 2 3`` runs all four and prints a summary line for each; run them
all after every change: the fifth round's centring split two of their one-speaker monologues, and
nobody saw it until the eighth round re-ran variants 1-3). The held-out evaluation is
bench/diarization_heldout.py.
Needs: espeak-ng and sox (apt-get install espeak-ng sox).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.der import der, turns_of
from tests.support.synth import RATE, Voice, conversation

VOICES = {
    "m1": Voice("en-us+m1", pitch=45, speed=165), "f3": Voice("en-gb+f3", pitch=65, speed=160),
    "f4": Voice("en-us+f4", pitch=78, speed=170), "m2": Voice("en-gb-x-rp+m2", pitch=30, speed=150),
    "m5": Voice("en-us+m5", pitch=55, speed=175), "f1": Voice("en-gb-scotland+f1", pitch=70, speed=155),
}

LINES = [
    "We should look at the numbers before we decide anything about the new budget.",
    "I agree, but the deadline for the proposal is on Friday afternoon.",
    "Could somebody send me the latest version of the spreadsheet please?",
    "The customer called twice this morning about the delayed delivery.",
    "Let us move the meeting to Tuesday so that everyone can attend.",
    "I think the second option is cheaper and also much faster to build.",
    "Did you already talk to the people from the design team about it?",
    "Yes, they promised to have the first drafts ready by next week.",
    "That sounds good to me, as long as the quality stays the same.",
    "The server went down last night and it took an hour to restart it.",
    "We need better monitoring so that this never happens again.",
    "I will write a short summary and share it with the whole group.",
    "Remember that the office will be closed on Monday for the holiday.",
    "Thanks everybody, that was a very productive discussion today.",
    "The weather was so nice that we had lunch outside in the park.",
    "My train was late again, so I missed the beginning of the call.",
]

#: (name, speakers in speaking order, pauses between turns)
PLANS = [
    ("1 speaker", ["m1"] * 5, (0.6, 0.9)),
    ("2 speakers", ["f3", "m2"] * 4, (0.5, 0.8, 0.3)),
    ("2 speakers, quick turns", ["m5", "f4"] * 5, (0.25, 0.3)),
    ("2 speakers, long monologue", ["f1", "f1", "f1", "m1", "f1", "m1"], (0.7, 0.4)),
    ("3 speakers", ["m1", "f4", "m2", "f4", "m1", "m2", "m1"], (0.6, 0.4, 1.0)),
    ("4 speakers", ["m2", "f3", "m5", "f4", "m2", "f3", "m5", "f4"], (0.5, 0.7)),
    ("4 speakers, mixed order", ["f1", "m5", "f1", "m2", "f3", "m5", "m2", "f3", "f1"], (0.4, 0.8, 0.3)),
]


def build(plan: list[str], gaps: tuple[float, ...], offset: int, rotate: int = 0
          ) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """One conversation; ``rotate`` gives each role another voice (a held-out variant of a plan)."""
    names = list(VOICES)
    plan = [names[(names.index(spk) + rotate) % len(names)] for spk in plan]
    script = [(spk, LINES[(offset + i) % len(LINES)]) for i, spk in enumerate(plan)]
    audio, turns = conversation(script, VOICES, gaps=gaps)
    return audio, [(t.start, t.end, t.speaker) for t in turns]


def run_embedded(cases: list[tuple[str, np.ndarray, list[tuple[float, float, str]]]]) -> list[dict]:
    from workers.engines.diarization.embedded import EmbeddedDiarizer

    diarizer = EmbeddedDiarizer()
    started = time.perf_counter()
    _ = diarizer.encoder
    load = time.perf_counter() - started
    rows = []
    for name, audio, ref in cases:
        started = time.perf_counter()
        found = diarizer.diarize(audio, max_speakers=10)
        took = time.perf_counter() - started
        hyp = turns_of(found)
        seconds = len(audio) / RATE
        rows.append({
            "case": name, "seconds": round(seconds, 1), "speakers": len({s for _, _, s in ref}),
            "found": len(found.speakers), "der": round(der(ref, hyp), 4),
            "der_no_collar": round(der(ref, hyp, collar=0.0), 4),
            "wall_s": round(took, 2), "x_rt": round(seconds / took, 1),
        })
        print(json.dumps(rows[-1]), flush=True)
    print(json.dumps({"encoder_load_s": round(load, 2)}), flush=True)
    return rows


def run_pyannote(audio: np.ndarray, steps: tuple[float, ...]) -> list[dict]:
    from tests.support.pyannote_checkpoints import build as build_checkpoints
    from workers.engines.diarization.pyannote_backend import PyannoteDiarizer

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = build_checkpoints(Path(tmp) / "pipeline")
        for step in steps:
            diarizer = PyannoteDiarizer(folder, device="cpu", segmentation_step=step, threads=1)
            started = time.perf_counter()
            _ = diarizer.pipeline
            load = time.perf_counter() - started
            started = time.perf_counter()
            diarizer.diarize(audio, max_speakers=4)
            took = time.perf_counter() - started
            seconds = len(audio) / RATE
            rows.append({"backend": "pyannote (random weights)", "segmentation_step": step,
                         "seconds": round(seconds, 1), "load_s": round(load, 2), "wall_s": round(took, 2),
                         "x_rt": round(seconds / took, 2)})
            print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pyannote-seconds", type=float, default=30.0)
    parser.add_argument("--no-pyannote", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--variant", type=int, nargs="+", default=[0],
                        help="other voices and lines for the same plans (the constants were tuned on variant 0)")
    args = parser.parse_args()
    rows: list[dict] = []
    summaries: list[dict] = []
    cases: list[tuple[str, np.ndarray, list[tuple[float, float, str]]]] = []
    for variant in args.variant:
        cases = []
        for i, (name, plan, gaps) in enumerate(PLANS):
            audio, ref = build(plan, gaps, offset=i * 3 + variant * 5, rotate=variant)
            cases.append((name, audio, ref))
        these = run_embedded(cases)
        for row in these:
            row["variant"] = variant
        rows += these
        summaries.append({
            "variant": variant, "cases": len(these), "mean_der": round(float(np.mean([r["der"] for r in these])), 4),
            "max_der": max(r["der"] for r in these), "right_count": sum(r["found"] == r["speakers"] for r in these),
            "overall_x_rt": round(sum(r["seconds"] for r in these) / sum(r["wall_s"] for r in these), 1),
        })
        print(json.dumps(summaries[-1]), flush=True)
    summary: dict | list[dict] = summaries[0] if len(summaries) == 1 else summaries
    pyannote_rows: list[dict] = []
    if not args.no_pyannote:
        longest = max(cases, key=lambda c: len(c[1]))[1][: int(args.pyannote_seconds * RATE)]
        pyannote_rows = run_pyannote(longest, (0.5, 0.1))
    if args.json:
        args.json.write_text(json.dumps({"embedded": rows, "summary": summary, "pyannote": pyannote_rows}, indent=1))


if __name__ == "__main__":
    main()
