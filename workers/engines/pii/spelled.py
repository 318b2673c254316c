"""Names spelled out letter by letter: "Kowalski, K-O-W-A-L-S-K-I", "mei lin zhang that's z h a n g".

Callers spell their names constantly, and a spelling is as identifying as the name. NER never sees
it as a name (Whisper writes "K-O-W-A-L-S-K-I", spoken-form ASR "k o w a l s k i"), so it is found
here, on the transcript words, after the other recognizers have run:

* a spelling of a word said just before it makes both a NAME — this also finds lower-case names
  (uncased ASR output) that NER skips, because the spelling itself says the word is a name;
* a spelling right after (or right before) a NAME already found is part of that name.

A spelling needs at least two letters; a run of only "a"/"i" is ordinary speech.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workers.engines.pii.base import PiiEntity
from workers.engines.pii.context import NAME_LEADS, NOT_NAME_WORDS, TITLES
from workers.engines.pii.normalise import clean

_HYPHENATED = re.compile(r"^[A-Za-z](?:[-.][A-Za-z])+$")
#: Words allowed between a name and its spelling ("Smith, that's S-M-I-T-H").
_BRIDGE = frozenset({"that's", "thats", "that", "is", "it's", "its", "spelled", "spelt", "as", "like", "so",
                     "with", "a", "an", "and"})
#: How far back a spelled word is looked for, and how many words before it may join the name.
LOOK_BACK = 6
MAX_EXTRA = 2
_NOT_NAME = frozenset({"is", "it's", "its", "this", "that", "that's", "my", "name", "last", "first", "i'm", "i",
                       "am", "me", "the", "a", "an", "and", "or", "of", "to", "yes", "yeah", "no", "okay", "ok",
                       "so", "well", "um", "uh", "hi", "hello", "call", "called", "calling", "for", "with",
                       "from", "by", "on", "in", "at", "was", "be", "sir", "madam"} | TITLES
                      | {w for lead in NAME_LEADS for w in lead.split()})
SCORE = 0.85


def spelled_runs(words: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, letters) of each spelling among ``words``."""
    lower = [clean(w).lower() for w in words]
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lower):
        if _HYPHENATED.match(lower[i]):
            out.append((i, i + 1, re.sub(r"[-.]", "", lower[i])))
            i += 1
            continue
        j = i
        while j < len(lower) and len(lower[j]) == 1 and lower[j].isalpha():
            j += 1
        if j - i >= 2 and not set(lower[i:j]) <= {"a", "i"}:
            out.append((i, j, "".join(lower[i:j])))
        i = max(j, i + 1)
    return out


def add_spelled_names(words: Sequence[str], found: Sequence[PiiEntity]) -> list[PiiEntity]:
    """``found`` with spelled names (and the words they spell) added as NAME; never overlapping."""
    entities = sorted(found)
    lower = [clean(w).lower() for w in words]
    for start, end, letters in spelled_runs(words):
        if any(e.start < end and e.end > start for e in entities):
            continue
        name: tuple[int, int] | None = None
        for k in range(start - 1, max(-1, start - 1 - LOOK_BACK), -1):
            if lower[k] == letters and letters not in _NOT_NAME and letters not in NOT_NAME_WORDS:
                name = (_extend_left(words, lower, k), k + 1)
                break
        if name is None and not _next_to_name(lower, entities, start, end):
            continue
        additions = [(start, end)] + ([name] if name else [])
        for s, e in additions:
            overlapping = [x for x in entities if x.start < e and x.end > s]
            if any(x.type != "NAME" for x in overlapping):
                continue
            s = min([s] + [x.start for x in overlapping])
            e = max([e] + [x.end for x in overlapping])
            entities = [x for x in entities if x not in overlapping]
            entities.append(PiiEntity(s, e, "NAME", max([SCORE] + [x.score for x in overlapping])))
            entities.sort()
    return entities


def _extend_left(words: Sequence[str], lower: Sequence[str], k: int) -> int:
    """Earlier words of the same name: capitalised ones in cased text, any non-function word otherwise."""
    cased = words[k][:1].isupper()
    s = k
    while s > 0 and k - s < MAX_EXTRA:
        w = lower[s - 1]
        if w in _NOT_NAME or not w.isalpha() or (cased and not words[s - 1][:1].isupper()):
            break
        s -= 1
    return s


def _next_to_name(lower: Sequence[str], entities: Sequence[PiiEntity], start: int, end: int) -> bool:
    for e in entities:
        if e.type != "NAME":
            continue
        if e.end <= start and all(w in _BRIDGE for w in lower[e.end:start]) and start - e.end <= 2:
            return True
        if end <= e.start and all(w in _BRIDGE for w in lower[end:e.start]) and e.start - end <= 2:
            return True
    return False
