"""ContentIdentificationType / ContentRedactionType for streaming results, on the shared PII engine.

One post-processing stage over a result's items (``session.PostProcess``): the words go to
``workers.engines.pii`` (word-index spans), and the result gets ``Entities`` on its alternative.
Identification leaves the items alone; redaction replaces each entity's words (and punctuation
inside it) with one item whose content is ``[<TYPE>]``, as AWS's streaming output does, and the
entity's ``Content`` is that tag, so no redacted word leaves the server. Partial results are
processed too: a partial must not leak what its final hides.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from services.core.errors import BadRequestException
from services.streaming.params import StreamParams
from services.streaming.results import PRONUNCIATION, PUNCTUATION, Item, join
from workers.engines.pii import PiiDetector, PiiEntity

#: Languages the PII engine understands (its NLP model is English).
PII_LANGUAGES = ("en-US", "en-GB", "en-AU")


def check_supported(p: StreamParams) -> None:
    if not (p.content_identification_type or p.content_redaction_type):
        return
    if p.identify_language or p.identify_multiple_languages:
        raise BadRequestException(
            "Content identification and redaction can't be used with language identification. Specify a "
            "LanguageCode instead.")
    if p.language_code not in PII_LANGUAGES:
        raise BadRequestException(
            f"Content identification and redaction isn't supported for {p.language_code}. Supported "
            f"languages: {', '.join(PII_LANGUAGES)}.")


class PiiStage:
    def __init__(self, detector: PiiDetector, entity_types: Collection[str] | None, redact: bool) -> None:
        self.detector = detector
        self.entity_types = entity_types or None
        self.redact = redact

    def __call__(self, items: list[Item]) -> tuple[list[Item], list[dict[str, Any]] | None]:
        word_at = [i for i, it in enumerate(items) if it["Type"] == PRONUNCIATION]
        if not word_at:
            return items, []
        entities = self.detector.detect([items[i]["Content"] for i in word_at], self.entity_types)
        found = [self._entity(items, word_at, e) for e in entities]
        if not self.redact or not entities:
            return items, found
        return _redacted(items, word_at, entities), found

    def _entity(self, items: list[Item], word_at: list[int], e: PiiEntity) -> dict[str, Any]:
        first, last = items[word_at[e.start]], items[word_at[e.end - 1]]
        content = f"[{e.type}]" if self.redact else join(items[word_at[e.start]:word_at[e.end - 1] + 1])
        return {"StartTime": first["StartTime"], "EndTime": last["EndTime"], "Category": "PII", "Type": e.type,
                "Content": content, "Confidence": round(float(e.score), 4)}


def _redacted(items: list[Item], word_at: list[int], entities: list[PiiEntity]) -> list[Item]:
    out: list[Item] = []
    spans = {word_at[e.start]: (word_at[e.end - 1], e) for e in entities}
    i = 0
    while i < len(items):
        if i in spans:
            last, e = spans[i]
            first = items[i]
            tag = {**first, "Content": f"[{e.type}]", "EndTime": items[last]["EndTime"],
                   "Confidence": round(float(e.score), 4)}
            out.append(tag)
            i = last + 1
            # punctuation that closes the entity stays; punctuation inside it went with the words
            continue
        out.append(items[i])
        i += 1
    return [it for it in out if it["Type"] != PUNCTUATION or it["Content"]]


def make_stage(p: StreamParams) -> PiiStage | None:
    if not (p.content_identification_type or p.content_redaction_type):
        return None
    from workers.engines.pii import get_detector

    return PiiStage(get_detector(), p.pii_entity_types, redact=bool(p.content_redaction_type))
