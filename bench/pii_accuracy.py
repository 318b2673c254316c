"""PII detector accuracy and latency.

Accuracy: per-type precision and recall on the labelled sentences (tests/data/pii/labelled.txt; an
entity counts as found when a detection of the same type overlaps it), plus the share of gold PII
words left unredacted. Latency: milliseconds per 1,000 words, over a realistic call transcript
(sentences of the labelled set, PII and no-PII, shuffled into one long word list) as the batch
stage sees it, after the detector is loaded; the load time is reported apart.

Usage: python bench/pii_accuracy.py [--words 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.pii_labels import load, score
from workers.engines.pii import get_detector


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=20000, help="words in the latency transcript")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    started = time.perf_counter()
    detector = get_detector()
    load_s = time.perf_counter() - started

    sentences = load()
    result = score((s, detector.detect(s.words)) for s in sentences)
    print(f"labelled set: {len(sentences)} sentences, {sum(len(s.gold) for s in sentences)} entities, "
          f"{sum(1 for s in sentences if not s.gold)} without PII")
    print(f"{'type':<22}{'tp':>4}{'fp':>4}{'fn':>4}{'precision':>11}{'recall':>8}")
    for kind, t in sorted(result.by_type.items()):
        print(f"{kind:<22}{t.tp:>4}{t.fp:>4}{t.fn:>4}{t.precision:>11.3f}{t.recall:>8.3f}")
    o = result.overall
    print(f"{'overall':<22}{o.tp:>4}{o.fp:>4}{o.fn:>4}{o.precision:>11.3f}{o.recall:>8.3f}")
    print(f"gold PII words left unredacted: {result.leaked_words}/{result.gold_words}")

    rng = random.Random(7)
    words: list[str] = []
    while len(words) < args.words:
        words.extend(rng.choice(sentences).words)
    words = words[:args.words]
    timings = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        detector.detect(words)
        timings.append(time.perf_counter() - t0)
    best = min(timings)
    print(f"detector load: {load_s:.2f} s")
    print(f"latency: {best * 1000 / (len(words) / 1000):.1f} ms per 1,000 words "
          f"(best of {args.repeat}, {len(words)} words in {best:.2f} s)")


if __name__ == "__main__":
    main()
