"""Embedded diarization on the held-out set (bench/diarization_sets.py): DER, speaker count, speed.

Scores each half apart — ``tune`` (constants may be chosen on it), ``test`` (report only; seen
since the second round), ``fresh`` (the third round's unseen set, seen since the fourth round) and
``check`` (the fourth round's unseen set, seen since the fifth round), ``final`` (the fifth
round's unseen set, seen since the sixth round), ``sixth`` (the sixth round's unseen set, seen since
the seventh round), ``seventh`` (the seventh round's unseen set, seen since the eighth round),
``eighth`` (the eighth round's unseen set, seen since the ninth round), ``ninth`` (the ninth
round's unseen set, seen since the tenth round), ``tenth`` (the tenth round's unseen set, seen since
the eleventh round), ``eleventh`` (the eleventh round's unseen set, seen since it was run),
``twelfth`` (written with the eleventh, seen since it was run), ``thirteenth`` (written after
those runs, seen since it was run), ``fourteenth`` (written after every other set had been run,
seen since its one run) and ``fifteenth`` (unseen: written in session 7, before any run, for the
next change) — with MaxSpeakerLabels 10, so the count is the backend's own estimate. DER is
frame-based (10 ms) with the usual 0.25 s collar around reference boundaries, and without a
collar in brackets (tests/support/der.py); missed speech and false alarm count, so VAD errors
are in the figure (``vad_error`` is that share alone: the DER with all speakers given one name).
Speed is audio seconds per wall second, encoder load excluded.

Usage: PYTHONPATH=. python bench/diarization_heldout.py
       [--half tune|test|both|fresh|check|final|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|
               thirteenth|fourteenth|fifteenth|seen|all]
       ("fifteenth" is unseen: written in session 7 for the next change)
       [--json OUT]
       [--asterisk SOUNDS_DIR] [--telephone 8k|8k-mulaw] [--vad-threshold T] [--no-resegment]
       [--no-newcomer] [--perturb SEED]
``--telephone`` passes every conversation through the 8 kHz telephone chain first (a conversation
already in the telephone band goes through it again). ``--perturb SEED`` adds seeded 1-LSB noise to
every conversation: a count that changes under it is decided by a hair (run two or three seeds).
Built conversations are cached under ~/.cache/harken-bench/diarization-heldout (keyed by their
definition). Needs espeak-ng and sox, and apt-get for the asterisk prompts on first use.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.diarization_sets import SET_VERSION, Case, RealVoices, asterisk_root, build, cases, telephone
from tests.support.der import der, turns_of
from tests.support.synth import RATE

CACHE = Path.home() / ".cache" / "harken-bench" / "diarization-heldout"


def load_case(case: Case, voices: RealVoices, seed: int) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    key = hashlib.sha256(repr((SET_VERSION, case, seed)).encode()).hexdigest()[:12]
    audio_path, truth_path = CACHE / f"{case.name}-{key}.npy", CACHE / f"{case.name}-{key}.json"
    if audio_path.is_file() and truth_path.is_file():
        turns = [(s, e, spk) for s, e, spk in json.loads(truth_path.read_text())]
        return np.load(audio_path), turns
    audio, turns = build(case, voices, seed=seed)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(audio_path, audio)
    truth_path.write_text(json.dumps(turns))
    return audio, turns


#: Every set that has been run (and so may have been looked at).
SEEN = (
    "tune", "test", "fresh", "check", "final", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
    "thirteenth", "fourteenth",
)
#: Sets written but not yet run: run each once, report only. The fifteenth was written in session 7
#: (in a commit of its own, before any run) for the next change to the diarizer.
UNSEEN: tuple[str, ...] = ("fifteenth",)


def conversations(
    half: str, asterisk: Path | None = None
) -> list[tuple[Case, np.ndarray, list[tuple[float, float, str]]]]:
    voices = RealVoices(asterisk_root(asterisk))
    wanted = {
        "both": ("tune", "test"),
        "seen": SEEN,
        "all": SEEN + UNSEEN,
    }.get(half, (half,))
    chosen = [(i, c) for i, c in enumerate(cases()) if c.half in wanted]
    return [(c, *load_case(c, voices, seed=i)) for i, c in chosen]


def summarise(rows: list[dict]) -> dict:
    seconds = sum(r["seconds"] for r in rows)
    return {
        "cases": len(rows),
        "right_count": sum(r["found"] == r["speakers"] for r in rows),
        "mean_der": round(float(np.mean([r["der"] for r in rows])), 4),
        "mean_der_no_collar": round(float(np.mean([r["der_no_collar"] for r in rows])), 4),
        "mean_vad_error": round(float(np.mean([r["vad_error"] for r in rows])), 4),
        "max_der": max(r["der"] for r in rows),
        "within_target": sum(r["der"] <= 0.10 for r in rows),
        "audio_s": round(seconds, 1),
        "x_rt": round(seconds / sum(r["wall_s"] for r in rows), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--half",
        choices=(
            "tune", "test", "both", "fresh", "check", "final", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "seen", "all",
        ),
        default="both",
        help="both = tune and test; seen = every set that has been run; all = seen and the unseen fifteenth",
    )
    parser.add_argument("--asterisk", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--telephone", choices=("8k", "8k-mulaw"), help="pass every conversation through the 8 kHz telephone chain"
    )
    parser.add_argument("--vad-threshold", type=float, help="the diarizer's Silero threshold (default: its own)")
    parser.add_argument("--no-resegment", action="store_true", help="skip the frame-level resegmentation")
    parser.add_argument("--no-newcomer", action="store_true", help="skip the newcomer test (before the eighth round)")
    parser.add_argument(
        "--perturb", type=int, metavar="SEED",
        help="add 1-LSB triangular noise (seeded) to every conversation: how stable the counts are to a "
        "difference no listener hears (what sox's dither did to builds before SET_VERSION 3)",
    )
    args = parser.parse_args()

    from workers.engines.diarization.embedded import EmbeddedDiarizer

    data = conversations(args.half, args.asterisk)
    if args.telephone:
        data = [(c, telephone(a, mulaw=args.telephone == "8k-mulaw"), ref) for c, a, ref in data]
    if args.perturb is not None:
        rng = np.random.default_rng(args.perturb)
        lsb = 1 / 32768
        data = [(c, (a + lsb * (rng.random(len(a)) - rng.random(len(a)))).astype(np.float32), ref)
                for c, a, ref in data]
    diarizer = EmbeddedDiarizer(
        resegment=not args.no_resegment,
        **({"vad_threshold": args.vad_threshold} if args.vad_threshold else {}),
    )
    if args.no_newcomer:
        diarizer.newcomer_deficit = None
    started = time.perf_counter()
    _ = diarizer.encoder
    load = time.perf_counter() - started
    rows = []
    for case, audio, ref in data:
        started = time.perf_counter()
        found = diarizer.diarize(audio, max_speakers=10)
        took = time.perf_counter() - started
        hyp = turns_of(found)
        seconds = len(audio) / RATE
        rows.append(
            {
                "case": case.name,
                "half": case.half,
                "seconds": round(seconds, 1),
                "speakers": len({s for _, _, s in ref}),
                "found": len(found.speakers),
                "der": round(der(ref, hyp), 4),
                "der_no_collar": round(der(ref, hyp, collar=0.0), 4),
                # DER with every speaker called the same: missed speech + false alarm (the VAD's share).
                "vad_error": round(der([(s, e, "x") for s, e, _ in ref], [(s, e, "x") for s, e, _ in hyp]), 4),
                "wall_s": round(took, 2),
                "x_rt": round(seconds / took, 1),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    summary: dict[str, dict | float] = {
        h: summarise([r for r in rows if r["half"] == h])
        for h in SEEN + UNSEEN
        if any(r["half"] == h for r in rows)
    }
    summary["encoder_load_s"] = round(load, 2)
    print(json.dumps(summary, indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "summary": summary}, indent=1))


if __name__ == "__main__":
    main()
