"""Spoken punctuation for ``Type: DICTATION`` medical jobs.

A clinician dictating says the punctuation: "no acute distress period new paragraph lungs clear".
The recogniser writes those commands as words (and often adds its own punctuation next to them);
this stage turns each command into the mark it names and drops the recogniser's guess beside it,
so the dictated mark wins. Works on finished transcript items, so it runs after every other stage
(speaker, channel and vocabulary stages leave the same item layout).

Marks become ``punctuation`` items like any other. "new paragraph" and "new line" become
punctuation items whose content is a paragraph break ("\\n\\n") or a line break ("\\n"); the
transcript text joins around them without spaces. Words that double as commands stay words where
the context says so: "the sigmoid colon", "a period of six weeks", "new line of therapy".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workers.pipeline.transcript import PRONUNCIATION, PUNCTUATION, item_content, join_items

PARAGRAPH = "\n\n"
LINE = "\n"

#: Spoken command (lower-case words) → the mark it writes.
COMMANDS: dict[tuple[str, ...], str] = {
    ("comma",): ",",
    ("period",): ".",
    ("full", "stop"): ".",
    ("question", "mark"): "?",
    ("exclamation", "point"): "!",
    ("exclamation", "mark"): "!",
    ("colon",): ":",
    ("semicolon",): ";",
    ("semi", "colon"): ";",
    ("new", "paragraph"): PARAGRAPH,
    ("next", "paragraph"): PARAGRAPH,
    ("new", "line"): LINE,
    ("next", "line"): LINE,
    ("open", "parenthesis"): "(",
    ("open", "paren"): "(",
    ("close", "parenthesis"): ")",
    ("close", "paren"): ")",
    ("end", "parenthesis"): ")",
}
LONGEST = max(len(k) for k in COMMANDS)

#: Punctuation the recogniser adds on its own; a dictated mark next to it replaces it.
AUTOMATIC = frozenset({",", ".", "?", "!", ";", ":", "..."})
SENTENCE_END = frozenset({".", "?", "!", PARAGRAPH, LINE})

#: The command word is an ordinary word after these words ("the colon", "a period")…
WORD_AFTER: dict[str, frozenset[str]] = {
    "colon": frozenset({"the", "a", "sigmoid", "transverse", "ascending", "descending", "his", "her",
                        "their", "entire", "whole", "of", "distal", "proximal", "right", "left",
                        "your", "my"}),
    "period": frozenset({"the", "a", "this", "that", "menstrual", "last", "waiting", "postoperative",
                         "recovery", "refractory", "incubation", "grace", "trial", "same", "short",
                         "long", "each", "one", "two", "three", "six", "time", "follow-up",
                         "observation"}),
}
#: …or before these ("colon cancer", "period of", "new line of therapy").
WORD_BEFORE: dict[str, frozenset[str]] = {
    "colon": frozenset({"cancer", "polyp", "polyps", "wall", "resection", "mass", "lesion", "biopsy"}),
    "period": frozenset({"of", "was", "is", "began", "started", "pain", "cramps", "bleeding"}),
    "line": frozenset({"of", "therapy", "treatment", "agent", "drug"}),
}


def _word(item: dict[str, Any]) -> str:
    return item_content(item).lower().strip(".,?!;:")


def _next_word(items: Sequence[dict[str, Any]], j: int) -> str | None:
    for item in items[j:]:
        if item["type"] == PRONUNCIATION:
            return _word(item)
    return None


def _last_word(out: Sequence[dict[str, Any]]) -> str | None:
    for item in reversed(out):
        if item["type"] == PRONUNCIATION:
            return _word(item)
        if item_content(item) in (PARAGRAPH, LINE):
            return None
    return None


def _command_at(items: Sequence[dict[str, Any]], i: int, out: Sequence[dict[str, Any]]) -> tuple[int, str] | None:
    """(words used, mark) when a command starts at ``i`` and its context does not make it a word."""
    for n in range(LONGEST, 0, -1):
        span = items[i: i + n]
        if len(span) < n or any(it["type"] != PRONUNCIATION for it in span):
            continue
        words = tuple(_word(it) for it in span)
        mark = COMMANDS.get(words)
        if mark is None:
            continue
        last = words[-1]
        if _last_word(out) in WORD_AFTER.get(last, ()):  # "the colon"
            return None
        if _next_word(items, i + n) in WORD_BEFORE.get(last, ()):  # "colon cancer"
            return None
        return n, mark
    return None


def _mark_item(mark: str, command: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"type": PUNCTUATION}
    # Keep labels later stages attached (speaker_label, channel_label), not times or ids.
    for k, v in command.items():
        if k not in ("id", "type", "start_time", "end_time", "alternatives"):
            item[k] = v
    item["alternatives"] = [{"confidence": "0.0", "content": mark}]
    return item


def _with_content(item: dict[str, Any], content: str) -> dict[str, Any]:
    alts = [dict(a) for a in item["alternatives"]]
    alts[0]["content"] = content
    return {**item, "alternatives": alts}


def apply_spoken_punctuation(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items with dictated commands turned into marks; ids renumbered when items carry them."""
    out: list[dict[str, Any]] = []
    capitalize = lowercase = False
    i = 0
    while i < len(items):
        item = items[i]
        found = _command_at(items, i, out) if item["type"] == PRONUNCIATION else None
        if found is None:
            if item["type"] == PRONUNCIATION:
                content = item_content(item)
                if capitalize and content[:1].islower():
                    item = _with_content(item, content[:1].upper() + content[1:])
                elif lowercase and content[:1].isupper() and content[1:].islower() and content != "I":
                    item = _with_content(item, content.lower())
                capitalize = lowercase = False
            out.append(item)
            i += 1
            continue
        n, mark = found
        replaced_sentence_end = False
        if mark not in (PARAGRAPH, LINE, "("):
            while out and out[-1]["type"] == PUNCTUATION and item_content(out[-1]) in AUTOMATIC:
                replaced_sentence_end |= item_content(out.pop()) in SENTENCE_END
        j = i + n
        while j < len(items) and items[j]["type"] == PUNCTUATION and item_content(items[j]) in AUTOMATIC:
            j += 1
        has_word_before = any(it["type"] == PRONUNCIATION for it in out)
        if (has_word_before or mark == "(") and not (out and item_content(out[-1]) == mark):
            out.append(_mark_item(mark, item))
        capitalize = mark in SENTENCE_END
        lowercase = not capitalize and replaced_sentence_end and mark != "("
        i = j
    while out and item_content(out[-1]) in (PARAGRAPH, LINE, "("):
        out.pop()
    if out and "id" in out[0]:
        out = [{**it, "id": n} for n, it in enumerate(out)]
    return out


def render_text(items: Sequence[dict[str, Any]]) -> str:
    """The transcript text: ``join_items`` between breaks, breaks without spaces around them."""
    parts: list[str] = []
    run: list[dict[str, Any]] = []
    for item in items:
        content = item_content(item)
        if item["type"] == PUNCTUATION and content and content.isspace():
            parts.append(join_items(run))
            parts.append(content)
            run = []
        else:
            run.append(item)
    parts.append(join_items(run))
    return "".join(parts)
