"""PII redaction of a finished transcript document (ContentRedaction), the way AWS writes it.

Each entity becomes one ``[PII]`` pronunciation item spanning the entity's words (first start time,
last end time, the first word's labels) whose alternative carries ``redactions: [{confidence, type,
category: "PII"}]``; punctuation inside the entity goes with it. Ids are renumbered; the transcript
text, ``audio_segments``, ``channel_labels`` items and alternative ``segments`` are rebuilt from the
redacted items so that no copy of a redacted word survives anywhere in the file. The unredacted
document is never changed: ``redact`` returns a new one with ``isRedacted: true``.

Pure: the detector is passed in (``workers.engines.pii.PiiDetector``).
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from typing import Any

from workers.engines.pii.base import PiiDetector, PiiEntity
from workers.pipeline.transcript import PRONUNCIATION, format_confidence, join_items

PII = "[PII]"
CATEGORY = "PII"


def with_flag(transcript: dict[str, Any], redacted: bool) -> dict[str, Any]:
    """The document with ``isRedacted`` placed where AWS puts it (after ``accountId``)."""
    out: dict[str, Any] = {}
    for key, value in transcript.items():
        if key == "isRedacted":
            continue
        out[key] = value
        if key == "accountId":
            out["isRedacted"] = redacted
    if "isRedacted" not in out:
        out["isRedacted"] = redacted
    return out


def redact(transcript: dict[str, Any], detector: PiiDetector,
           entity_types: Collection[str] | None = None) -> dict[str, Any]:
    """A redacted copy of ``transcript``; ``entity_types`` is the request's PiiEntityTypes."""
    items: list[dict[str, Any]] = transcript["results"]["items"]
    words_at = [i for i, item in enumerate(items) if item["type"] == PRONUNCIATION]
    words = [str(items[i]["alternatives"][0]["content"]) for i in words_at]
    entities = detector.detect(words, entity_types)
    return apply_entities(transcript, entities)


def apply_entities(transcript: dict[str, Any], entities: Sequence[PiiEntity]) -> dict[str, Any]:
    """Replace the words each entity covers (word indices over pronunciation items) with [PII]."""
    doc = copy.deepcopy(transcript)
    results = doc["results"]
    items: list[dict[str, Any]] = results["items"]
    words_at = [i for i, item in enumerate(items) if item["type"] == PRONUNCIATION]
    # item index → entity covering it (first item .. last item, punctuation between included)
    covering: dict[int, PiiEntity] = {}
    starts: dict[int, tuple[int, PiiEntity]] = {}
    for ent in entities:
        if not (0 <= ent.start < ent.end <= len(words_at)):
            continue
        first, last = words_at[ent.start], words_at[ent.end - 1]
        starts[first] = (last, ent)
        for i in range(first, last + 1):
            covering[i] = ent
    new_items: list[dict[str, Any]] = []
    id_map: dict[int, int] = {}
    spans: list[tuple[float, float]] = []
    i = 0
    while i < len(items):
        if i in starts:
            last, ent = starts[i]
            new_id = len(new_items)
            new_items.append(_pii_item(new_id, items[i], items[last], ent))
            spans.append((float(items[i]["start_time"]), float(items[last]["end_time"])))
            for k in range(i, last + 1):
                id_map[int(items[k].get("id", k))] = new_id
            i = last + 1
            continue
        item = dict(items[i])
        old_id = int(item.get("id", i))
        item["id"] = len(new_items)
        id_map[old_id] = item["id"]
        new_items.append(item)
        i += 1
    results["items"] = new_items
    results["transcripts"] = [{"transcript": join_items(new_items)}]
    if "audio_segments" in results:
        results["audio_segments"] = _segments(results["audio_segments"], new_items, id_map)
    if "channel_labels" in results:
        for channel in results["channel_labels"].get("channels", []):
            label = channel.get("channel_label")
            channel["items"] = [_without_id(it) for it in new_items if it.get("channel_label") == label]
    if "segments" in results:
        for seg in results["segments"]:
            for alt in seg.get("alternatives", []):
                alt["items"] = _redact_by_time(alt.get("items", []), spans)
                alt["transcript"] = join_items(
                    {"type": it["type"], "alternatives": [{"content": it["content"]}]} for it in alt["items"])
    return with_flag(doc, True)


def _pii_item(new_id: int, first: dict[str, Any], last: dict[str, Any], ent: PiiEntity) -> dict[str, Any]:
    confidence = format_confidence(ent.score)
    item: dict[str, Any] = {"id": new_id, "type": PRONUNCIATION,
                            "start_time": first["start_time"], "end_time": last["end_time"]}
    for key, value in first.items():  # labels: speaker_label, channel_label, language_code …
        if key not in ("id", "type", "start_time", "end_time", "alternatives", "vocabulary_filter_match"):
            item[key] = value
    item["alternatives"] = [{"confidence": confidence, "content": PII,
                             "redactions": [{"confidence": confidence, "type": ent.type, "category": CATEGORY}]}]
    return item


def _without_id(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "id"}


def _segments(segments: list[dict[str, Any]], items: list[dict[str, Any]], id_map: dict[int, int]
              ) -> list[dict[str, Any]]:
    """Audio segments over the new ids; an entity spanning two segments stays in the first."""
    out: list[dict[str, Any]] = []
    used: set[int] = set()
    for seg in segments:
        ids: list[int] = []
        for old in seg.get("items", []):
            new = id_map.get(int(old))
            if new is not None and new not in used:
                used.add(new)
                ids.append(new)
        timed = [items[i] for i in ids if "start_time" in items[i]]
        if not timed:
            continue
        new_seg = dict(seg)
        new_seg["id"] = len(out)
        new_seg["transcript"] = join_items(items[i] for i in ids)
        new_seg["start_time"] = timed[0]["start_time"]
        new_seg["end_time"] = max(timed, key=lambda it: float(it["end_time"]))["end_time"]
        new_seg["items"] = ids
        out.append(new_seg)
    return out


def _redact_by_time(items: list[dict[str, Any]], spans: Sequence[tuple[float, float]]) -> list[dict[str, Any]]:
    """Alternative hypotheses have their own words: any word overlapping a redacted span goes."""
    out: list[dict[str, Any]] = []
    for item in items:
        if item.get("type") == PRONUNCIATION and "start_time" in item:
            s, e = float(item["start_time"]), float(item["end_time"])
            if any(s < b and e > a for a, b in spans):
                if out and out[-1].get("content") == PII:
                    out[-1]["end_time"] = item["end_time"]
                    continue
                out.append({**item, "content": PII})
                continue
        if item.get("type") != PRONUNCIATION and out and out[-1].get("content") == PII and _inside(out[-1], spans):
            continue
        out.append(item)
    return out


def _inside(item: dict[str, Any], spans: Sequence[tuple[float, float]]) -> bool:
    e = float(item.get("end_time", 0))
    return any(a < e < b for a, b in spans)


def for_request(transcript: dict[str, Any], content_redaction: dict[str, Any] | None,
                detector: PiiDetector | None = None) -> dict[str, Any] | None:
    """The redacted document a job's ContentRedaction asks for, or None when it asks for none."""
    if not content_redaction:
        return None
    if detector is None:
        from workers.engines.pii import get_detector

        detector = get_detector()
    return redact(transcript, detector, content_redaction.get("PiiEntityTypes"))
