"""Alternative transcriptions (``ShowAlternatives`` / ``MaxAlternatives``): ``results.segments``.

AWS lays them out per segment — a natural pause or a change of speaker — in
``results.segments[].alternatives[]``, most confident first, each with its own ``transcript`` and
flat ``items`` (``confidence`` and ``content`` directly on the item), while ``results.items``
keeps the single best word. Harken's segments are the transcript's ``audio_segments``; the first
alternative is exactly what ``results.items`` says for that span, the others are the recognizer's
further beam hypotheses for the same audio with their own word times and probabilities. Beams
that differ only in punctuation or case are the same alternative to a reader and are dropped, so
a segment may carry fewer than MaxAlternatives (as on AWS: "only the actual number").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from workers.engines.base import Segment, Word
from workers.engines.nbest import Hypothesis
from workers.pipeline.languages import to_whisper
from workers.pipeline.transcript import join_items, to_item, tokens_from_segments

#: An alternative's word count must be within this ratio (either way) of the best reading's.
MIN_LENGTH_RATIO = 0.75
#: Audio kept either side of a segment so the recognizer hears its first and last word whole.
PAD_SECONDS = 0.25


class AlternativesEngine(Protocol):
    def alternatives(self, audio: np.ndarray, *, language: str | None = None, n: int = 2) -> list[Hypothesis]: ...


def wanted(settings: dict[str, Any]) -> int | None:
    """MaxAlternatives when ShowAlternatives is on, else None."""
    if not settings.get("ShowAlternatives"):
        return None
    return int(settings.get("MaxAlternatives") or 2)


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))


def flat_item(item: dict[str, Any]) -> dict[str, Any]:
    """A ``results.items`` entry in the flat form alternatives use."""
    best = item["alternatives"][0]
    out: dict[str, Any] = {}
    if "start_time" in item:
        out["start_time"] = item["start_time"]
        out["end_time"] = item["end_time"]
    out.update(confidence=best["confidence"], content=best["content"], type=item["type"])
    return out


def hypothesis_items(hyp: Hypothesis, offset: float, limit: tuple[float, float]) -> list[dict[str, Any]]:
    """Flat items for a hypothesis whose word times are relative to ``offset``, clamped to ``limit``."""
    words = tuple(
        Word(w.text, min(max(w.start + offset, limit[0]), limit[1]), min(max(w.end + offset, limit[0]), limit[1]),
             w.probability)
        for w in hyp.words
    )
    tokens = tokens_from_segments([Segment(limit[0], limit[1], hyp.text, words)])
    return [flat_item(to_item(i, tok)) for i, tok in enumerate(tokens)]


def _same_span(text: str, best_words: int) -> bool:
    """Beams that stop early or run on past the segment's speech are not readings of the same audio."""
    n = len(text.split())
    return best_words == 0 or MIN_LENGTH_RATIO <= n / best_words <= 1 / MIN_LENGTH_RATIO


def segment_entry(
    segment: dict[str, Any], items_by_id: dict[int, dict[str, Any]], hyps: Sequence[Hypothesis], offset: float,
    max_alternatives: int,
) -> dict[str, Any]:
    best_items = [items_by_id[i] for i in segment["items"]]
    alternatives = [{"transcript": segment["transcript"], "items": [flat_item(it) for it in best_items]}]
    seen = {normalised(segment["transcript"])}
    best_words = len(normalised(segment["transcript"]).split())
    limit = (float(segment["start_time"]), float(segment["end_time"]))
    for hyp in hyps:
        if len(alternatives) >= max_alternatives:
            break
        key = normalised(hyp.text)
        if not key or key in seen or not _same_span(key, best_words):
            continue
        seen.add(key)
        items = hypothesis_items(hyp, offset, limit)
        text_items = [{"type": it["type"], "alternatives": [{"content": it["content"]}]} for it in items]
        alternatives.append({"transcript": join_items(text_items), "items": items})
    return {"start_time": segment["start_time"], "end_time": segment["end_time"], "alternatives": alternatives}


def segments(
    transcript: dict[str, Any],
    audio_for: Callable[[dict[str, Any]], np.ndarray],
    engine: AlternativesEngine | None,
    *,
    language: str | None,
    max_alternatives: int,
    sample_rate: int = 16_000,
) -> list[dict[str, Any]]:
    """``results.segments`` for the finished transcript; ``audio_for`` picks the segment's channel."""
    results = transcript["results"]
    items_by_id = {item["id"]: item for item in results["items"]}
    out: list[dict[str, Any]] = []
    for seg in results.get("audio_segments", []):
        start, end = float(seg["start_time"]), float(seg["end_time"])
        hyps: list[Hypothesis] = []
        offset = max(0.0, start - PAD_SECONDS)
        if engine is not None and max_alternatives > 1:
            signal = audio_for(seg)
            chunk = signal[int(offset * sample_rate) : int((end + PAD_SECONDS) * sample_rate)]
            seg_language = to_whisper(seg["language_code"]) if seg.get("language_code") else None
            hyps = engine.alternatives(chunk, language=seg_language or language, n=max_alternatives + 3)
        out.append(segment_entry(seg, items_by_id, hyps, offset, max_alternatives))
    return out


def add(transcript: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    transcript["results"]["segments"] = entries

