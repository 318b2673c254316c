"""Vocabulary filters: find the listed words in a transcript and mask, remove or tag them.

AWS's rules (developer guide, "Using custom vocabulary filters to delete, mask, or flag words"):
matching is case-insensitive and on whole words only ("damn" never matches "damnation"), and the
method decides what the transcript shows — ``mask`` writes ``***`` in place of the word, ``remove``
deletes it, ``tag`` keeps it and marks the item with ``"vocabulary_filter_match": true``. The same
treatment reaches every output built from the items: the transcript text, audio_segments and the
subtitles.

``find_matches`` is the pure matcher shared by the batch pipeline and the streaming server, so a
word is filtered the same way in both. It takes the words as a transcript shows them, so it
tolerates punctuation stuck to a word ("Damn," / "(damn"), typographic apostrophes, and acronym
periods ("F.B.I." matches "FBI"). A filter entry made of several words — separated by spaces, or
by hyphens the way vocabulary phrases join words ("ice-cream") — matches that run of words, and a
hyphenated entry also matches the single hyphenated word. Overlapping candidates resolve left to
right, longest first, so every word is filtered at most once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from workers.pipeline.transcript import PRONUNCIATION, PUNCTUATION, Token

MASK = "***"
Method = Literal["mask", "remove", "tag"]
METHODS: tuple[Method, ...] = ("mask", "remove", "tag")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_PAUSES = frozenset({",", ";", ":"})
_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")


def _is_word_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LMN"


def normalize(word: str) -> str:
    """The form two words are compared in: case-folded, NFC, edge punctuation and acronym periods
    gone, typographic apostrophes made straight. Empty when the word holds no letter or digit."""
    text = unicodedata.normalize("NFC", word).translate(_APOSTROPHES).casefold()
    start, end = 0, len(text)
    while start < end and not _is_word_char(text[start]):
        start += 1
    while end > start and not _is_word_char(text[end - 1]):
        end -= 1
    return text[start:end].replace(".", "")


def _entry_forms(entry: str) -> list[tuple[str, ...]]:
    """The word sequences an entry matches: itself as one word, and its parts as a run of words."""
    forms: list[tuple[str, ...]] = []
    whole = normalize(entry.strip())
    if whole and not any(ch.isspace() for ch in whole):
        forms.append((whole,))
    parts = tuple(p for p in (normalize(x) for x in _SPLIT.split(entry)) if p)
    if parts and parts not in forms:
        forms.append(parts)
    return forms


def compile_entries(filter_words: Sequence[str]) -> dict[str, list[tuple[str, ...]]]:
    """Entry forms indexed by their first word, longest first (the matcher's lookup table)."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for entry in filter_words:
        for form in _entry_forms(entry):
            bucket = table.setdefault(form[0], [])
            if form not in bucket:
                bucket.append(form)
    for bucket in table.values():
        bucket.sort(key=len, reverse=True)
    return table


def find_matches(words: Sequence[str], filter_words: Sequence[str]) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of ``words`` (end exclusive) that a filter entry matches, in order and
    never overlapping. ``words`` are transcript words; punctuation-only entries in it never match
    and never join a multi-word match (so "ice, cream" is not "ice cream")."""
    table = compile_entries(filter_words)
    if not table:
        return []
    keys = [normalize(w) for w in words]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(keys):
        matched = 0
        for form in table.get(keys[i], ()) if keys[i] else ():
            n = len(form)
            if tuple(keys[i:i + n]) == form and _contiguous(words, i, n):
                matched = n
                break
        if matched:
            spans.append((i, i + matched))
            i += matched
        else:
            i += 1
    return spans


def _contiguous(words: Sequence[str], start: int, n: int) -> bool:
    """A multi-word match may not run across punctuation written between the words."""
    inner = words[start:start + n]
    return all(not w.rstrip().endswith((",", ".", ";", ":", "?", "!")) for w in inner[:-1])


def apply_filter(tokens: Sequence[Token], filter_words: Sequence[str], method: str) -> list[Token]:
    """Mask, remove or tag the filtered words among transcript tokens.

    Only words are matched; punctuation between two words of one entry breaks the match. With
    ``remove`` the punctuation that followed a removed word stays (AWS removes the word only)."""
    if method not in METHODS:
        raise ValueError(f"unknown vocabulary filter method {method!r}")
    word_at = [i for i, t in enumerate(tokens) if t.type == PRONUNCIATION]
    # A punctuation token between two words makes the earlier one "end" with it, for _contiguous.
    shown: list[str] = []
    for n, i in enumerate(word_at):
        nxt = word_at[n + 1] if n + 1 < len(word_at) else len(tokens)
        marks = "".join(t.content for t in tokens[i + 1:nxt] if t.type == PUNCTUATION)
        shown.append(tokens[i].content + marks)
    hit: set[int] = set()
    for start, end in find_matches(shown, filter_words):
        hit.update(word_at[start:end])
    if not hit:
        return list(tokens)
    out: list[Token] = []
    for i, tok in enumerate(tokens):
        if i not in hit:
            out.append(tok)
        elif method == "mask":
            out.append(replace(tok, content=MASK))
        elif method == "tag":
            out.append(replace(tok, vocabulary_filter_match=True))
        # remove: drop the word
    return _tidy_after_remove(out) if method == "remove" else out


def _tidy_after_remove(tokens: list[Token]) -> list[Token]:
    """Removing a word can leave a pause mark first in the transcript, or two closing marks in a
    row ("know, !"): a pause mark with nothing before it goes, and of two marks in a row the
    sentence end wins over the pause."""
    out: list[Token] = []
    for tok in tokens:
        if tok.type == PUNCTUATION and tok.content in _PAUSES and (not out or out[-1].type == PUNCTUATION):
            continue
        if tok.type == PUNCTUATION and out and out[-1].type == PUNCTUATION and out[-1].content in _PAUSES:
            out[-1] = tok
            continue
        out.append(tok)
    return out
