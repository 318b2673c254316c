"""PHI identification for medical transcripts (``ContentIdentificationType: PHI``).

Transcribe Medical labels personal health information and leaves the words in place: the
transcript is unchanged and ``results.entities`` lists what was found, each entity as AWS's
example output shows it::

    {"content": "Bertrand", "category": "PHI-Personal", "startTime": 0.92, "endTime": 1.2,
     "confidence": 0.9989}

``content`` is the entity's words as they stand in the transcript (inner punctuation included),
``startTime``/``endTime`` are seconds as numbers (items keep their string times), ``confidence``
is how sure the detector is. ``category`` is ``PHI-`` plus the group AWS sorts the kind under
(Personal, Geographic, Account, Vehicle, Other); AWS's batch and streaming examples both show
``PHI-Personal`` for a name.

Pure: the detector is passed in (``workers.engines.pii.PiiDetector``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workers.engines.pii.base import PiiDetector, PiiEntity
from workers.engines.pii.normalise import SENTENCE_ENDS
from workers.pipeline.transcript import PRONUNCIATION, join_items

CATEGORY = "PHI"
#: Detector kind → AWS's PHI group. CVVs, card expiries and PINs are PII but not PHI (they
#: identify no one), so PHI identification does not ask for them.
GROUPS: dict[str, str] = {
    "NAME": "Personal", "GENDER": "Personal", "AGE": "Personal", "PHONE": "Personal", "DATE": "Personal",
    "EMAIL": "Personal",
    "ADDRESS": "Geographic", "FACILITY": "Geographic",
    "SSN": "Account", "ID_NUMBER": "Account", "BANK_ACCOUNT_NUMBER": "Account", "BANK_ROUTING": "Account",
    "CREDIT_DEBIT_NUMBER": "Account",
    "VEHICLE_ID": "Vehicle",
    "URL": "Other", "IP_ADDRESS": "Other",
}
PHI_TYPES: tuple[str, ...] = tuple(GROUPS)
#: AWS lists fax numbers under Account PHI, other phone numbers under Personal.
FAX_WORDS = frozenset({"fax", "facsimile"})
FAX_WINDOW = 4


def identify(items: Sequence[dict[str, Any]], detector: PiiDetector) -> list[dict[str, Any]]:
    """The ``entities`` member for a transcript's items (empty when there is no PHI)."""
    # Pronunciation words, plus sentence marks so that the NER sees sentence boundaries.
    at = [i for i, it in enumerate(items)
          if it.get("type") == PRONUNCIATION or _content(it) in SENTENCE_ENDS]
    words = [_content(items[i]) for i in at]
    entities: list[dict[str, Any]] = []
    for ent in detector.detect(words, PHI_TYPES):
        span = _word_span(items, at, ent)
        if span is None:
            continue
        first, last = span
        entities.append({
            "content": join_items(items[first:last + 1]),
            "category": f"{CATEGORY}-{_group(ent, words)}",
            "startTime": float(items[first]["start_time"]),
            "endTime": float(items[last]["end_time"]),
            "confidence": round(float(ent.score), 4),
        })
    return entities


def _content(item: dict[str, Any]) -> str:
    return str(item["alternatives"][0]["content"])


def _word_span(items: Sequence[dict[str, Any]], at: Sequence[int], ent: PiiEntity) -> tuple[int, int] | None:
    """First and last pronunciation item of the entity (sentence marks at its edges dropped)."""
    covered = [at[k] for k in range(ent.start, min(ent.end, len(at))) if items[at[k]].get("type") == PRONUNCIATION]
    if not covered:
        return None
    return covered[0], covered[-1]


def _group(ent: PiiEntity, words: Sequence[str]) -> str:
    if ent.type == "PHONE":
        before = {w.lower().strip(".,:;") for w in words[max(0, ent.start - FAX_WINDOW):ent.start]}
        if before & FAX_WORDS:
            return "Account"
    return GROUPS.get(ent.type, "Other")


def add_entities(transcript: dict[str, Any], detector: PiiDetector) -> dict[str, Any]:
    """``transcript`` with ``results.entities`` set (after ``items``); the words are not touched."""
    results = transcript["results"]
    results.pop("entities", None)
    results["entities"] = identify(results.get("items") or [], detector)
    return transcript
