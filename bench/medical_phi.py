"""Medical PHI identification: accuracy on the labelled sentences and the cost per transcript.

Accuracy: per-kind precision and recall on tests/data/medical/phi-labelled.txt (an entity counts as
found when a detection of the same kind overlaps it). Latency: the PHI stage
(``workers.pipeline.phi.identify``) over a long transcript of items built from the labelled
sentences, in milliseconds per 1,000 words, next to the same words through PII detection (what a
redaction job pays), after the detector is loaded.

Usage: python bench/medical_phi.py [--words 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.pii_labels import load, score
from workers.engines.pii import get_detector
from workers.pipeline.phi import PHI_TYPES, identify

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "medical" / "phi-labelled.txt"


def items_for(words: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, w in enumerate(words):
        if w == ".":
            out.append({"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": "."}]})
        else:
            out.append({"type": "pronunciation", "start_time": f"{i * 0.4:.2f}", "end_time": f"{i * 0.4 + 0.3:.2f}",
                        "alternatives": [{"confidence": "0.9", "content": w}]})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=20000, help="words in the latency transcript")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    started = time.perf_counter()
    detector = get_detector()
    load_s = time.perf_counter() - started

    sentences = load(LABELLED)
    result = score((s, detector.detect(s.words, PHI_TYPES)) for s in sentences)
    print(f"labelled set: {len(sentences)} sentences, {sum(len(s.gold) for s in sentences)} entities, "
          f"{sum(1 for s in sentences if not s.gold)} without PHI")
    print(f"{'kind':<22}{'tp':>4}{'fp':>4}{'fn':>4}{'precision':>11}{'recall':>8}")
    for kind, t in sorted(result.by_type.items()):
        print(f"{kind:<22}{t.tp:>4}{t.fp:>4}{t.fn:>4}{t.precision:>11.3f}{t.recall:>8.3f}")
    o = result.overall
    print(f"{'overall':<22}{o.tp:>4}{o.fp:>4}{o.fn:>4}{o.precision:>11.3f}{o.recall:>8.3f}")

    rng = random.Random(7)
    words: list[str] = []
    while len(words) < args.words:
        sentence = list(rng.choice(sentences).words)
        words.extend(sentence if sentence[-1] == "." else [*sentence, "."])
    items = items_for(words[:args.words])
    spoken = [str(i["alternatives"][0]["content"]) for i in items if i["type"] == "pronunciation"]

    def best(fn: Any) -> float:
        timings = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            timings.append(time.perf_counter() - t0)
        return min(timings)

    phi_s = best(lambda: identify(items, detector))
    pii_s = best(lambda: detector.detect(spoken))
    per_k = len(spoken) / 1000
    print(f"detector load: {load_s:.2f} s")
    print(f"PHI stage: {phi_s * 1000 / per_k:.1f} ms per 1,000 words ({len(spoken)} words in {phi_s:.2f} s)")
    print(f"PII detection, same words: {pii_s * 1000 / per_k:.1f} ms per 1,000 words (best of {args.repeat})")


if __name__ == "__main__":
    main()
