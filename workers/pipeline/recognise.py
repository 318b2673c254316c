"""The recognition stage: one recognizer call per channel and, for multi-language jobs, per span.

Plain jobs make one call on the mono mix. ChannelIdentification makes one per channel
(``channels``); IdentifyMultipleLanguages one per language span (``multilingual``); both together
one per span of each channel. Whatever the split, the result is one token list in time order whose
tokens carry ``channel_label`` / ``language_code`` labels, and segment indexes that keep the
recognizer's utterances apart for ``audio_segments``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from workers.engines.base import Recognition, Recognizer
from workers.pipeline import channels, languages, multilingual
from workers.pipeline.contract import JobOptions
from workers.pipeline.media import DecodedAudio
from workers.pipeline.transcript import PRONUNCIATION, Token, tokens_from_segments

LANGUAGE_LABEL = "language_code"


@dataclass
class Recognised:
    recognitions: list[Recognition]
    #: In time order; multi-language jobs' tokens carry ``language_code``.
    tokens: list[Token]
    #: Multi-language jobs: the spans found, per channel.
    spans: list[list[multilingual.Span]] = field(default_factory=list)

    @property
    def first(self) -> Recognition:
        return self.recognitions[0]


def recognise(engine: Recognizer, audio: DecodedAudio, options: JobOptions, *, language: str | None,
              **kwargs: Any) -> Recognised:
    per_channel = channels.wanted(options.settings)
    signals = audio.channels if per_channel else audio.mono[None, :]
    recognitions: list[Recognition] = []
    token_lists: list[list[Token]] = []
    all_spans: list[list[multilingual.Span]] = []
    for c in range(signals.shape[0]):
        signal = np.ascontiguousarray(signals[c])
        if options.identify_multiple_languages:
            from workers.engines.vad import speech_regions, threshold_for

            # Telephone-band audio gets Silero's lower threshold, as in Whisper's VAD filter.
            regions = speech_regions(signal, min_silence_ms=multilingual.MIN_PAUSE_MS,
                                     threshold=threshold_for(signal))
            wanted = languages.candidates(options.language_options) or None
            spans = multilingual.identify(engine, signal, wanted, regions)
            if not spans:
                spans = [multilingual.Span(0.0, len(signal) / 16_000, language or "en", 0.0)]
            rec, seg_langs = multilingual.recognise(engine, signal, spans, **kwargs)
            all_spans.append(spans)
            codes = [languages.to_aws(lang, options.language_options) or languages.to_aws(lang) or lang
                     for lang in seg_langs]
            tokens = [replace(t, labels={**t.labels, LANGUAGE_LABEL: codes[t.segment]})
                      for t in tokens_from_segments(rec.segments, duration=audio.duration_seconds)]
        else:
            rec = engine.transcribe(signal, language=language, **kwargs)
            tokens = tokens_from_segments(rec.segments, duration=audio.duration_seconds)
        recognitions.append(rec)
        token_lists.append(tokens)
    merged = channels.merge(token_lists) if per_channel else token_lists[0]
    return Recognised(recognitions, merged, all_spans)


def language_durations(tokens: Sequence[Token]) -> list[tuple[str, float]]:
    """Speech seconds per language, most spoken first (AWS's ``language_codes``)."""
    seconds: dict[str, float] = defaultdict(float)
    for t in tokens:
        if t.type == PRONUNCIATION and t.start is not None and t.end is not None:
            seconds[t.labels.get(LANGUAGE_LABEL, "")] += t.end - t.start
    return sorted(((k, v) for k, v in seconds.items() if k), key=lambda kv: -kv[1])
