"""IdentifyMultipleLanguages: the language of every stretch of speech, each transcribed in its own.

Whisper decodes a window in one language; forcing the whole file into the dominant language
translates or garbles the rest. So speech is cut at pauses (Silero VAD), each stretch's language is
judged by the recognizer among the caller's LanguageOptions (all languages without them), runs of
one language are joined into spans, and each span is transcribed in its language. Stretches too
short to judge reliably join a neighbour first. Items and audio segments get ``language_code``;
``language_codes`` sums each language's speech.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from workers.engines.base import Recognition, Recognizer, Segment, Word

RATE = 16_000
#: Stretches shorter than this are judged together with a neighbour.
MIN_JUDGE_SECONDS = 2.5
#: A pause at least this long may separate two languages.
MIN_PAUSE_MS = 400
#: Whisper judges at most one 30 s window.
MAX_CHUNK_SECONDS = 30.0


@dataclass(frozen=True)
class Span:
    start: float
    end: float
    #: Whisper language ("es") and its probability.
    language: str
    score: float


def chunks(regions: Sequence[tuple[float, float]], *, min_seconds: float = MIN_JUDGE_SECONDS,
           max_seconds: float = MAX_CHUNK_SECONDS) -> list[tuple[float, float]]:
    """Speech regions grouped into stretches long enough to judge, never longer than one window."""
    out: list[list[float]] = []
    for start, end in regions:
        while end - start > max_seconds:
            out.append([start, start + max_seconds])
            start += max_seconds
        if out and (out[-1][1] - out[-1][0] < min_seconds) and end - out[-1][0] <= max_seconds:
            out[-1][1] = end
        else:
            out.append([start, end])
    if len(out) > 1 and out[-1][1] - out[-1][0] < min_seconds and out[-1][1] - out[-2][0] <= max_seconds:
        last = out.pop()
        out[-1][1] = last[1]
    return [(a, b) for a, b in out]


def join(judged: Sequence[tuple[float, float, str, float]]) -> list[Span]:
    """Consecutive stretches of one language become one span (score: duration-weighted mean)."""
    spans: list[Span] = []
    for start, end, lang, score in judged:
        if spans and spans[-1].language == lang:
            prev = spans[-1]
            a, b = prev.end - prev.start, end - start
            spans[-1] = Span(prev.start, end, lang, (prev.score * a + score * b) / max(a + b, 1e-9))
        else:
            spans.append(Span(start, end, lang, score))
    return spans


def identify(engine: Recognizer, audio: np.ndarray, candidates: Sequence[str] | None,
             regions: Sequence[tuple[float, float]]) -> list[Span]:
    judged = []
    for start, end in chunks(regions):
        scored = engine.detect_language(audio[int(start * RATE) : int(end * RATE)], candidates)
        if scored:
            judged.append((start, end, scored[0][0], float(scored[0][1])))
    return join(judged)


def recognise(
    engine: Recognizer, audio: np.ndarray, spans: Sequence[Span], **kwargs: Any
) -> tuple[Recognition, list[str]]:
    """Each span transcribed in its language; segments shifted to file time, with their languages.

    Span edges sit in pauses; each span is widened into the pause around it so that no word is
    cut, never past the middle of the pause to the next span.
    """
    segments: list[Segment] = []
    seg_languages: list[str] = []
    total = len(audio) / RATE
    for i, span in enumerate(spans):
        lo = (spans[i - 1].end + span.start) / 2 if i else 0.0
        hi = (span.end + spans[i + 1].start) / 2 if i + 1 < len(spans) else total
        offset = lo
        rec = engine.transcribe(audio[int(lo * RATE) : int(hi * RATE)], language=span.language, **kwargs)
        for seg in rec.segments:
            words = tuple(Word(w.text, w.start + offset, w.end + offset, w.probability) for w in seg.words)
            segments.append(Segment(seg.start + offset, seg.end + offset, seg.text, words))
            seg_languages.append(span.language)
    first = spans[0].language if spans else "en"
    return Recognition(first, spans[0].score if spans else 0.0, segments), seg_languages
