"""Recognised words → streaming ``Result`` objects (reference/transcribe-wire.md §3.6).

Pure functions over plain data, tested without a model. The order of stages is fixed:
words → items (punctuation split off, as the batch transcript does) → partial-result
stabilisation (locked prefix) → custom vocabulary display forms → vocabulary filter → PII →
Result. Each post-processing stage is one call over the item list, so filters and redaction plug
in without touching the session.

Conventions (streaming differs from the batch file): times and confidences are numbers; speakers
are "0", "1"…; punctuation items carry the time of the word they close and no confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from workers.engines.base import Word
from workers.pipeline.transcript import CLOSING, OPENING, split_word

PRONUNCIATION = "pronunciation"
PUNCTUATION = "punctuation"

Item = dict[str, Any]


def items_from_words(words: Sequence[Word]) -> list[Item]:
    """Whisper words ("Hello," " world.") → pronunciation and punctuation items with times."""
    items: list[Item] = []
    last_end = 0.0
    for word in words:
        lead, core, trail = split_word(word.text)
        start = round(max(word.start, last_end if items else word.start), 3)
        end = round(max(word.end, start), 3)
        for mark in lead:
            items.append(_punct(mark, start))
        if core:
            items.append({"StartTime": start, "EndTime": end, "Type": PRONUNCIATION, "Content": core,
                          "VocabularyFilterMatch": False, "Confidence": round(float(word.probability), 4)})
            last_end = end
        for mark in trail:
            items.append(_punct(mark, end))
    while items and items[0]["Type"] == PUNCTUATION and items[0]["Content"][0] in CLOSING:
        items.pop(0)
    return items


def _punct(mark: str, at: float) -> Item:
    return {"StartTime": at, "EndTime": at, "Type": PUNCTUATION, "Content": mark, "VocabularyFilterMatch": False}


def join(items: Sequence[Item]) -> str:
    """Transcript text: spaces between words, none before closing or after opening punctuation."""
    parts: list[str] = []
    glue = True
    for item in items:
        content = item["Content"]
        if not content:
            continue
        if item["Type"] == PUNCTUATION and content[0] in CLOSING:
            parts.append(content)
            glue = False
            continue
        if not glue and parts:
            parts.append(" ")
        parts.append(content)
        glue = item["Type"] == PUNCTUATION and content[0] in OPENING
    return "".join(parts)


# --------------------------------------------------------------------------- stabilisation

#: (hypotheses an item must survive unchanged, trailing words never marked stable) per level.
#: "high" stabilises soonest (AWS: higher stability, possibly lower accuracy).
STABILITY_RULES = {"high": (2, 1), "medium": (3, 2), "low": (4, 3)}


def _key(item: Item) -> tuple[str, str]:
    return item["Type"], item["Content"].lower()


@dataclass
class Stabilizer:
    """Marks the prefix that stopped changing as ``Stable`` and keeps it fixed afterwards.

    AWS promises that a stable item does not change in later partials or in the final result, so
    once locked, the prefix replaces whatever the recogniser says for that stretch of audio.
    """

    level: str
    history: list[list[Item]] = field(default_factory=list)
    locked: list[Item] = field(default_factory=list)

    def apply(self, items: list[Item], final: bool) -> list[Item]:
        merged = self._merge(items)
        if final:
            return [{**it, "Stable": True} for it in merged]
        self.history.append(merged)
        need, tail = STABILITY_RULES[self.level]
        recent = self.history[-need:]
        agree = len(self.locked)
        if len(recent) == need:
            words_after = [i for i, it in enumerate(merged) if it["Type"] == PRONUNCIATION]
            limit = words_after[-tail] if len(words_after) >= tail else 0
            while agree < limit and all(
                len(h) > agree and _key(h[agree]) == _key(merged[agree]) for h in recent
            ):
                agree += 1
            # never lock a word without the punctuation that closes it
            while agree < len(merged) and merged[agree]["Type"] == PUNCTUATION and agree < limit:
                agree += 1
        self.locked = [dict(it) for it in merged[:agree]]
        return [{**it, "Stable": i < agree} for i, it in enumerate(merged)]

    def _merge(self, items: list[Item]) -> list[Item]:
        if not self.locked:
            return items
        if [_key(i) for i in items[: len(self.locked)]] == [_key(i) for i in self.locked]:
            return [*self.locked, *items[len(self.locked):]]
        boundary = self.locked[-1]["EndTime"]
        rest = [it for it in items if it["StartTime"] >= boundary - 0.02 and
                not (it["Type"] == PUNCTUATION and it["StartTime"] <= boundary)]
        return [*self.locked, *rest]


# --------------------------------------------------------------------------- custom vocabulary


def apply_display_forms(items: list[Item], phrases: Sequence[tuple[tuple[str, ...], str]]) -> list[Item]:
    """Replace recognised phrases by their vocabulary ``DisplayAs`` form.

    ``phrases`` holds (lower-cased words of the phrase, display form). A multi-word match becomes
    one item spanning the words' times, as AWS shows a display form as one item.
    """
    if not phrases:
        return items
    out: list[Item] = []
    i = 0
    while i < len(items):
        if items[i]["Type"] == PRONUNCIATION:
            for words, display in phrases:
                j, k, matched = i, 0, []
                while k < len(words) and j < len(items):
                    if items[j]["Type"] == PUNCTUATION:
                        if k == 0:
                            break
                        j += 1
                        continue
                    if items[j]["Content"].lower() != words[k]:
                        break
                    matched.append(items[j])
                    j, k = j + 1, k + 1
                if k == len(words):
                    out.append({**matched[0], "Content": display, "EndTime": matched[-1]["EndTime"],
                                "Confidence": min(m.get("Confidence", 1.0) for m in matched)})
                    i = j
                    break
            else:
                out.append(items[i])
                i += 1
            continue
        out.append(items[i])
        i += 1
    return out


# --------------------------------------------------------------------------- the Result


def build_result(
    result_id: str,
    items: Sequence[Item],
    *,
    partial: bool,
    start: float,
    end: float,
    channel_id: str | None = None,
    language_code: str | None = None,
    language_identification: Sequence[tuple[str, float]] | None = None,
    entities: Sequence[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    timed = [it for it in items if it["Type"] == PRONUNCIATION]
    if timed:
        start = min(start, timed[0]["StartTime"])
        end = max(end, max(it["EndTime"] for it in timed))
    alternative: dict[str, Any] = {"Transcript": join(items), "Items": list(items)}
    if entities is not None:
        alternative["Entities"] = list(entities)
    result: dict[str, Any] = {"ResultId": result_id, "StartTime": round(start, 3), "EndTime": round(end, 3),
                              "IsPartial": partial, "Alternatives": [alternative]}
    if channel_id is not None:
        result["ChannelId"] = channel_id
    if language_code is not None:
        result["LanguageCode"] = language_code
    if language_identification:
        result["LanguageIdentification"] = [{"LanguageCode": code, "Score": round(score, 4)}
                                            for code, score in language_identification]
    return result


def transcript_event(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"Transcript": {"Results": list(results)}}
