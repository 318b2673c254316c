"""Recognised words → the AWS transcript document (reference/transcribe-wire.md §2).

Pure functions only: later stages (speaker labels, channels, vocabulary filters, redaction) work on
the ``Token`` list or the finished items and are tested without a model.

AWS conventions kept here:
* words and punctuation are separate items; Whisper writes "Fry," as one word, so punctuation is
  split off into ``punctuation`` items with confidence "0.0" and no times;
* times and confidences are strings in the file ("0.64", "0.999");
* the transcript text joins items with spaces, with no space before closing punctuation and none
  after opening punctuation ("Hola, ¿cómo estás?").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from workers.engines.base import Segment

#: Punctuation that closes onto the word before it.
CLOSING = frozenset(".,?!;:…)]}\u3002\uff0c\u3001\uff1f\uff01")  # + CJK/fullwidth marks
#: Punctuation that opens onto the word after it (Spanish questions, brackets).
OPENING = frozenset("¿¡([{")
#: Quote marks: AWS transcripts do not carry them, and a straight quote cannot say which way it
#: attaches, so they are dropped.
QUOTES = frozenset("\"“”«»„")
#: Tokens made only of these are not words (dashes Whisper uses as pauses, music notes it emits for
#: songs) and are dropped.
NON_WORDS = frozenset("-\u2013\u2014♪♫*~_")  # hyphen, en and em dash, …

PRONUNCIATION = "pronunciation"
PUNCTUATION = "punctuation"


@dataclass(frozen=True)
class Token:
    """One future transcript item, before ids are assigned."""

    type: str
    content: str
    start: float | None = None
    end: float | None = None
    confidence: float = 0.0
    #: Index of the recognizer segment the token came from: audio_segments follow these.
    segment: int = 0
    #: Labels later stages add ("speaker_label", "channel_label", "language_code").
    labels: dict[str, str] = field(default_factory=dict)
    #: Set by a vocabulary filter with method ``tag`` (written as ``vocabulary_filter_match``).
    vocabulary_filter_match: bool = False


def format_time(seconds: float) -> str:
    """Seconds as AWS writes them: "0.64", "2.0" — at most three decimals, never exponent form."""
    text = f"{max(0.0, seconds):.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def format_confidence(probability: float) -> str:
    text = f"{min(1.0, max(0.0, probability)):.4f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def split_word(text: str) -> tuple[list[str], str, list[str]]:
    """Split a model word into opening marks, the word itself and closing marks.

    A run of one repeated mark stays one item ("..."); different marks become separate items
    ("?!" → "?", "!"). Quote marks are dropped. Punctuation inside a word ("1,000", "U.S") stays.
    """
    core = "".join(ch for ch in text.strip() if ch not in QUOTES)
    lead: list[str] = []
    while core and core[0] in OPENING:
        _push(lead, core[0])
        core = core[1:]
    trail_rev: list[str] = []
    while core and core[-1] in CLOSING:
        _push(trail_rev, core[-1])
        core = core[:-1]
    core = core.strip("".join(NON_WORDS))
    return lead, core, trail_rev[::-1]


def _push(marks: list[str], ch: str) -> None:
    if marks and marks[-1][-1] == ch:
        marks[-1] += ch
    else:
        marks.append(ch)


def tokens_from_segments(segments: Sequence[Segment], duration: float | None = None) -> list[Token]:
    """Recognizer output → tokens; start times never go backwards and stay inside the media."""
    tokens: list[Token] = []
    last_start = 0.0
    for index, seg in enumerate(segments):
        for word in seg.words:
            lead, core, trail = split_word(word.text)
            if not core and not lead and not trail:
                continue
            for mark in lead:
                tokens.append(Token(PUNCTUATION, mark, segment=index))
            if core:
                start = max(word.start, last_start)
                end = max(word.end, start)
                if duration is not None:
                    start, end = min(start, duration), min(end, duration)
                tokens.append(Token(PRONUNCIATION, core, round(start, 3), round(end, 3),
                                    word.probability, segment=index))
                last_start = start
            for mark in trail:
                tokens.append(Token(PUNCTUATION, mark, segment=index))
    return _drop_orphan_punctuation(tokens)


def _drop_orphan_punctuation(tokens: list[Token]) -> list[Token]:
    """Closing marks with no word before them ("..." alone at the start) have nothing to attach to."""
    out: list[Token] = []
    seen_word = False
    for tok in tokens:
        if tok.type == PUNCTUATION and tok.content[0] in CLOSING and not seen_word:
            continue
        seen_word = seen_word or tok.type == PRONUNCIATION
        out.append(tok)
    while out and out[-1].type == PUNCTUATION and out[-1].content[0] in OPENING:
        out.pop()
    return out


def item_content(item: dict[str, Any]) -> str:
    return str(item["alternatives"][0]["content"])


def join_items(items: Iterable[dict[str, Any]]) -> str:
    """The transcript text for items: spaces between words, none before closing punctuation."""
    parts: list[str] = []
    glue_next = True  # no space before the first item
    for item in items:
        content = item_content(item)
        if not content:
            continue
        if item["type"] == PUNCTUATION and content[0] in CLOSING:
            parts.append(content)
            glue_next = False
            continue
        if not glue_next and parts:
            parts.append(" ")
        parts.append(content)
        glue_next = item["type"] == PUNCTUATION and content[0] in OPENING
    return "".join(parts)


def to_item(index: int, tok: Token) -> dict[str, Any]:
    item: dict[str, Any] = {"id": index, "type": tok.type}
    if tok.type == PRONUNCIATION and tok.start is not None and tok.end is not None:
        item["start_time"] = format_time(tok.start)
        item["end_time"] = format_time(tok.end)
    item.update(tok.labels)
    if tok.vocabulary_filter_match:
        item["vocabulary_filter_match"] = True
    confidence = format_confidence(tok.confidence) if tok.type == PRONUNCIATION else "0.0"
    item["alternatives"] = [{"confidence": confidence, "content": tok.content}]
    return item


def audio_segments(items: Sequence[dict[str, Any]], tokens: Sequence[Token]) -> list[dict[str, Any]]:
    """Group consecutive items by recognizer segment and by label (speaker, channel, language).

    A group holding only punctuation has no time span, so it joins the group before it.
    """
    groups: list[list[int]] = []
    keys: list[tuple[Any, ...]] = []
    for i, tok in enumerate(tokens):
        key = (tok.segment, tuple(sorted(tok.labels.items())))
        if groups and (keys[-1] == key or (tok.type == PUNCTUATION and tok.content[0] in CLOSING)):
            groups[-1].append(i)
        else:
            groups.append([i])
            keys.append(key)
    merged: list[list[int]] = []
    for group in groups:
        if merged and all(tokens[i].type == PUNCTUATION for i in group):
            merged[-1].extend(group)
        else:
            merged.append(group)
    out: list[dict[str, Any]] = []
    for group in merged:
        timed = [items[i] for i in group if "start_time" in items[i]]
        if not timed:
            continue
        seg: dict[str, Any] = {
            "id": len(out),
            "transcript": join_items(items[i] for i in group),
            "start_time": timed[0]["start_time"],
            "end_time": max(timed, key=lambda it: float(it["end_time"]))["end_time"],
        }
        seg.update(tokens[group[0]].labels)
        seg["items"] = [items[i]["id"] for i in group]
        out.append(seg)
    return out


def build_transcript(
    job_name: str,
    account_id: str,
    tokens: Sequence[Token],
    *,
    language_code: str | None = None,
    language_identification: Sequence[tuple[str, float]] | None = None,
    language_codes: Sequence[tuple[str, float]] | None = None,
) -> dict[str, Any]:
    """The AWS transcript document.

    ``language_code`` + ``language_identification`` appear for IdentifyLanguage jobs;
    ``language_codes`` (code, seconds) for IdentifyMultipleLanguages. Plain jobs carry neither.
    """
    items = [to_item(i, tok) for i, tok in enumerate(tokens)]
    results: dict[str, Any] = {}
    if language_identification is not None:
        results["language_code"] = language_code
        results["language_identification"] = [
            {"code": code, "score": format_confidence(score)} for code, score in language_identification
        ]
    results["transcripts"] = [{"transcript": join_items(items)}]
    if language_codes is not None:
        results["language_codes"] = [
            {"language_code": code, "duration_in_seconds": round(seconds, 2)}
            for code, seconds in language_codes
        ]
    results["items"] = items
    results["audio_segments"] = audio_segments(items, tokens)
    return {"jobName": job_name, "accountId": account_id, "status": "COMPLETED", "results": results}


def label_all(tokens: Sequence[Token], **labels: str) -> list[Token]:
    """Attach the same labels to every token (e.g. the one language of a job)."""
    return [replace(tok, labels={**tok.labels, **labels}) for tok in tokens]


def speech_seconds(tokens: Sequence[Token]) -> float:
    """Time covered by words: AWS's ``duration_in_seconds`` counts speech, not the whole file."""
    return sum((t.end or 0.0) - (t.start or 0.0) for t in tokens if t.type == PRONUNCIATION)
