"""PII detector accuracy on the held-out set, apart from the development set, and latency.

The development set (tests/data/pii/labelled.txt) was written together with the recognizers, so its
score shows only that the documented forms work. The held-out set (bench/data/pii_heldout.jsonl)
was written before the recognizer code was read, the way call-centre speech comes out of Whisper
(digit form with Whisper's punctuation, "5, 5, 5, …", "$40", "Dr. Smith") and of a spoken-form
recognizer ("four one one one …", "j smith at gmail dot com"). Each line carries a fixed ``split``:

* ``tune`` — the half the engine may be improved against (errors are listed with ``--errors``);
* ``test`` — the half kept for the final figure; its errors are only listed with
  ``--errors=test``, which nobody tuning the engine should run.

A second held-out set (bench/data/pii_heldout2.jsonl, one split ``unseen``) was written once the
first set's test half had been examined (so that half is no longer unseen), before the engine was
changed again; it is scored the same way and its errors are listed with ``--errors=unseen``.

Words reach the detector exactly as the batch stage hands them over: each Whisper word is split
with ``workers.pipeline.transcript.split_word`` and only its core is kept ("5," → "5",
"Dr." → "Dr", "(415)" → "415"), so punctuation-only tokens vanish as they do in the transcript.

Scoring is the development set's (tests/support/pii_labels.py): an entity counts as found when a
detection of the same type overlaps it; every detection that matches no entity is a false positive.

Usage: python bench/pii_heldout.py [--errors tune|test] [--words 20000] [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.pii_labels import HELDOUT2, SPLITS, SPLITS2, Score, Sentence, load, load_heldout, score
from workers.engines.pii import PiiDetector, PiiEntity, get_detector


def evaluate(detector: PiiDetector, sentences: Sequence[Sentence]) -> tuple[Score, list[list[PiiEntity]]]:
    found = [detector.detect(s.words) for s in sentences]
    return score(zip(sentences, found, strict=True)), found


def table(name: str, sentences: Sequence[Sentence], result: Score) -> dict[str, object]:
    entities = sum(len(s.gold) for s in sentences)
    print(f"\n== {name}: {len(sentences)} sentences, {entities} entities, "
          f"{sum(1 for s in sentences if not s.gold)} without PII")
    print(f"{'type':<22}{'tp':>4}{'fp':>4}{'fn':>4}{'precision':>11}{'recall':>8}")
    rows: dict[str, object] = {}
    for kind, t in sorted(result.by_type.items()):
        print(f"{kind:<22}{t.tp:>4}{t.fp:>4}{t.fn:>4}{t.precision:>11.3f}{t.recall:>8.3f}")
        rows[kind] = {"tp": t.tp, "fp": t.fp, "fn": t.fn,
                      "precision": round(t.precision, 3), "recall": round(t.recall, 3)}
    o = result.overall
    print(f"{'overall':<22}{o.tp:>4}{o.fp:>4}{o.fn:>4}{o.precision:>11.3f}{o.recall:>8.3f}")
    print(f"gold PII words left unredacted: {result.leaked_words}/{result.gold_words}")
    return {"sentences": len(sentences), "entities": entities, "by_type": rows,
            "overall": {"tp": o.tp, "fp": o.fp, "fn": o.fn,
                        "precision": round(o.precision, 3), "recall": round(o.recall, 3)},
            "leaked_words": result.leaked_words, "gold_words": result.gold_words}


def show_errors(items: Sequence[tuple[str, Sentence]], found: Sequence[Sequence[PiiEntity]]) -> None:
    print("\n-- errors (FN = missed gold entity, FP = detection matching no gold entity, "
          "PARTIAL = found but some of its words left unredacted)")
    for (ident, s), dets in zip(items, found, strict=True):
        lines = []
        covered = {w for d in dets for w in range(d.start, d.end)}
        for start, end, kind in s.gold:
            if any(d.type == kind and d.start < end and d.end > start for d in dets):
                left = [s.words[w] for w in range(start, end) if w not in covered]
                if left:
                    lines.append(f"  PARTIAL {kind}: {' '.join(s.words[start:end])!r} leaves {left}")
            else:
                got = [f"{d.type}:{' '.join(s.words[d.start:d.end])}" for d in dets
                       if d.start < end and d.end > start]
                lines.append(f"  FN {kind}: {' '.join(s.words[start:end])!r}"
                             + (f" (found as {got})" if got else ""))
        for d in dets:
            if not any(d.type == kind and d.start < end and d.end > start for start, end, kind in s.gold):
                lines.append(f"  FP {d.type}: {' '.join(s.words[d.start:d.end])!r} ({d.score:.2f})")
        if lines:
            print(f"{ident}: {' '.join(s.words)}")
            print("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", choices=SPLITS + SPLITS2, help="list the errors of one held-out split")
    ap.add_argument("--words", type=int, default=20000, help="words in the latency transcript")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args()

    started = time.perf_counter()
    detector = get_detector()
    load_s = time.perf_counter() - started

    report: dict[str, object] = {}
    dev = load()
    dev_result, _ = evaluate(detector, dev)
    report["development"] = table("development set (tests/data/pii/labelled.txt)", dev, dev_result)

    heldout = load_heldout()
    heldout2 = load_heldout(HELDOUT2, SPLITS2)
    for name, items in [*heldout.items(), *heldout2.items()]:
        sentences = [s for _, s in items]
        result, found = evaluate(detector, sentences)
        label = f"held-out {name} half" if name in SPLITS else f"second held-out set ({name})"
        report[f"heldout_{name}"] = table(label, sentences, result)
        if args.errors == name:
            show_errors(items, found)

    # Latency over a call-like transcript: held-out sentences (PII and none) shuffled together.
    # (The first set only, so the figure stays comparable with earlier runs.)
    all_sentences = [s for name in SPLITS for _, s in heldout[name]]
    rng = random.Random(7)
    words: list[str] = []
    while len(words) < args.words:
        words.extend(rng.choice(all_sentences).words)
    words = words[:args.words]
    timings = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        detector.detect(words)
        timings.append(time.perf_counter() - t0)
    best = min(timings)
    per_k = best * 1000 / (len(words) / 1000)
    print(f"\ndetector load: {load_s:.2f} s")
    print(f"latency: {per_k:.1f} ms per 1,000 words (best of {args.repeat}, {len(words)} words in {best:.2f} s)")
    report["latency_ms_per_1000_words"] = round(per_k, 1)
    report["load_s"] = round(load_s, 2)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
