"""Spoken-form transcript words → written text that recognizers understand, with a map back.

ASR output says "four one one one …", "twenty twenty seven", "john dot smith at example dot com"
or "C V V"; pattern recognizers (and presidio's) want "4111…", "2027", "john.smith@example.com"
and "cvv". Every character of the written text remembers the word it came from, so a match in the
written text becomes a span of the original words and redaction can keep the words' timing.

Rules kept deliberately narrow, because precision matters as much as recall:
* number words are converted only inside a run of number words (and "oh"/"o" only next to
  another number word); adjacent numbers are written together ("five five five" → "555"), so a
  spoken card number becomes one digit string the way a written one is;
* "at"/"dot" become "@"/"." only inside something shaped like an e-mail address: a local part, then
  "at", then a domain that ends in "dot" + a known top-level domain;
* runs of two or more single letters are joined ("S S N" → "ssn").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workers.engines.pii.context import UNIT_WORDS

DIGIT_WORDS = {
    "zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
    # es-US, digit by digit (how numbers are usually dictated)
    "cero": 0, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9,
}
TEEN_WORDS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
              "seventy": 70, "eighty": 80, "ninety": 90}
MULTIPLIERS = {"hundred": 100, "thousand": 1000}
REPEATS = {"double": 2, "triple": 3, "treble": 3}
#: "plus four four …": an international prefix, written "+" before a dictated number of 8+ digits.
PLUS_WORDS = frozenset({"plus", "más"})
MIN_INTERNATIONAL_DIGITS = 8
#: "oh" and "o" are digits only beside another number word ("oh three", not "oh, I see").
WEAK_DIGITS = frozenset({"oh", "o", "una"})
#: Joiners inside a number run: "oh one slash twenty seven", "five five five dash one two …".
RUN_JOINERS = {"slash": "/", "/": "/", "dash": "-", "hyphen": "-", "-": "-"}

EMAIL_AT = frozenset({"at", "arroba", "@"})
EMAIL_DOT = frozenset({"dot", "punto", "."})
EMAIL_SYMBOLS = {"underscore": "_", "dash": "-", "hyphen": "-", "plus": "+"}
TLDS = frozenset({
    "com", "org", "net", "edu", "gov", "io", "co", "us", "uk", "ca", "de", "fr", "es", "mx", "info", "biz",
    "me", "ai", "app", "dev", "tv", "mil", "int", "au", "in", "jp", "nl", "eu", "ly", "gg", "xyz",
})
#: Words that end an e-mail's local part when walking back from "at".
LOCAL_STOP = frozenset({
    "is", "was", "it's", "its", "email", "e-mail", "mail", "address", "to", "me", "my", "the", "a", "an", "and",
    "or", "at", "send", "reach", "contact", "write", "use", "you", "can", "please", "correo", "es", "mi",
    "electrónico", "electronico", "emails", "that's", "thats", "it", "be", "on", "under", "via", "by", "try",
})

#: Stand-alone sentence marks (punctuation items passed as words) stay in the written text, so the
#: NER sees "John Carter. Date of birth …" and not one long name. Transcript words never are these.
SENTENCE_ENDS = frozenset({".", "?", "!"})

_WRITTEN_NUMBER = re.compile(r"^\+?\(?\d[\d\-./)]*$")
_EDGE_PUNCT = ".,?!;:…\"“”«»()[]{}¿¡"
_EMAIL_TOKEN = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_DOMAIN_TOKEN = re.compile(r"^[\w-]+(\.[\w-]+)+$")


@dataclass(frozen=True)
class Normalised:
    """Written text plus, per character, the index of the word it came from (-1: separator)."""

    text: str
    owner: tuple[int, ...]

    def words_for(self, start: int, end: int) -> tuple[int, int] | None:
        """The word span ``[first, last + 1)`` covering characters ``[start, end)``."""
        owners = [o for o in self.owner[start:end] if o >= 0]
        if not owners:
            return None
        return min(owners), max(owners) + 1


def clean(word: str) -> str:
    return word.strip().strip(_EDGE_PUNCT)


def _number_kind(lw: str) -> str | None:
    if lw in DIGIT_WORDS:
        return "digit"
    if lw in TEEN_WORDS:
        return "teen"
    if lw in TENS_WORDS:
        return "tens"
    if lw in MULTIPLIERS:
        return "mult"
    if lw in REPEATS:
        return "repeat"
    if _WRITTEN_NUMBER.match(lw) and any(c.isdigit() for c in lw):
        return "written"
    return None


def _number_runs(lower: Sequence[str], taken: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal [start, end) runs of number words (with joiners between numbers)."""
    kinds = [None if taken[i] or _counts_digits(lower, i) else _number_kind(w) for i, w in enumerate(lower)]
    # a weak digit needs a strong number word beside it, or a weak digit that has one ("one oh oh");
    # multipliers and repeats need a number
    weak = [kinds[i] == "digit" and w in WEAK_DIGITS for i, w in enumerate(lower)]
    strong = [kinds[i] not in (None, "mult", "repeat") and not weak[i] for i in range(len(lower))]
    anchored = [False] * len(lower)
    for order in (range(len(lower)), range(len(lower) - 1, -1, -1)):
        for i in order:
            if not weak[i]:
                continue
            left = i > 0 and (strong[i - 1] or anchored[i - 1] or kinds[i - 1] == "repeat")
            right = i + 1 < len(lower) and (strong[i + 1] or anchored[i + 1] or kinds[i + 1] == "repeat")
            anchored[i] = anchored[i] or left or right
    for i in range(len(lower)):
        if weak[i] and not anchored[i]:
            kinds[i] = None
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lower):
        if kinds[i] is None or kinds[i] == "mult":
            i += 1
            continue
        j = i + 1
        if kinds[i] == "written" and i > 0 and lower[i - 1] in UNIT_WORDS:
            runs.append((i, j))  # "Suite 300 500 Fifth Avenue": the unit's number stands alone
            i = j
            continue
        while j < len(lower):
            joiner = (lower[j] in RUN_JOINERS and j + 1 < len(lower) and kinds[j + 1] not in (None, "mult")
                      and not taken[j])
            if kinds[j] is not None or joiner:
                j += 1
            else:
                break
        # a run never ends in a joiner or a dangling repeat
        while j > i and (lower[j - 1] in RUN_JOINERS or kinds[j - 1] == "repeat"):
            j -= 1
        if j > i:
            runs.append((i, j))
        i = max(j, i + 1)
    return runs


def _counts_digits(lower: Sequence[str], i: int) -> bool:
    """ "the three digit code", "a four-digit PIN": the number word describes a number, it is not one."""
    return i + 1 < len(lower) and lower[i + 1] in ("digit", "digits", "digit-code") and lower[i] in DIGIT_WORDS


def _convert_run(lower: Sequence[str]) -> list[str]:
    """Per-word written pieces of one number run; their concatenation is the written number."""
    pieces = [""] * len(lower)
    chunks: list[list[int]] = []  # [value, first index, last index, state]
    # state: 0 closed, 1 tens waiting for a unit, 2 hundreds/thousands waiting for tens or units
    repeat = 1
    out_chunks: list[tuple[str, list[int]]] = []

    def close_all() -> None:
        for value, first, last, _ in chunks:
            out_chunks.append((str(value), list(range(first, last + 1))))
        chunks.clear()

    for i, w in enumerate(lower):
        if w in RUN_JOINERS:
            close_all()
            out_chunks.append((RUN_JOINERS[w], [i]))
            continue
        if w in REPEATS:
            close_all()
            repeat = REPEATS[w]
            out_chunks.append(("", [i]))
            continue
        kind = _number_kind(w)
        last = chunks[-1] if chunks else None
        if kind == "written":
            close_all()
            out_chunks.append((re.sub(r"[()]", "", w).rstrip("."), [i]))
        elif kind == "digit":
            v = DIGIT_WORDS[w]
            if repeat > 1:
                close_all()
                out_chunks.append((str(v) * repeat, [i]))
                repeat = 1
            elif (last is not None and last[3] in (1, 2) and (last[3] == 1 or last[0] % 10 == 0)
                  and not (last[3] == 2 and _dictated_after(lower, i))):
                last[0] += v
                last[2] = i
                last[3] = 0
            else:
                close_all()
                chunks.append([v, i, i, 0])
        elif kind in ("teen", "tens"):
            # a teen closes the number's last two digits; a tens word leaves room for a unit
            v, level = (TEEN_WORDS[w], 0) if kind == "teen" else (TENS_WORDS[w], 1)
            if last is not None and last[3] == 2 and last[0] % 100 == 0:
                last[0] += v
                last[2] = i
                last[3] = level
            else:
                close_all()
                chunks.append([v, i, i, level])
        elif kind == "mult":
            m = MULTIPLIERS[w]
            if last is not None and (0 < last[0] < m or (m == 1000 and last[0] % 1000 != 0)):
                last[0] *= m
                last[2] = i
                last[3] = 2
            else:
                close_all()
                out_chunks.append((str(m), [i]))
    close_all()
    for text, idx in out_chunks:
        _spread(text, idx, pieces)
    return pieces


def _dictated_after(lower: Sequence[str], i: int) -> bool:
    """ "eight hundred five five five …": digits said one by one after a round number are appended to
    it (800 555 …), not added to it as in "one hundred five" (105)."""
    return i + 1 < len(lower) and _number_kind(lower[i + 1]) == "digit"


def _spread(text: str, idx: list[int], pieces: list[str]) -> None:
    """Give a multi-word number's characters to its words so the first and last both own some."""
    if len(idx) == 1 or len(text) < 2:
        pieces[idx[0]] += text
        return
    pieces[idx[0]] += text[0]
    pieces[idx[-1]] += text[-1]
    pieces[idx[1] if len(idx) > 2 else idx[0]] += text[1:-1]


def _email_spans(words: Sequence[str], lower: Sequence[str]) -> list[tuple[int, int, list[str]]]:
    """Spoken (and half-written) e-mail addresses: (start, end, per-word pieces)."""
    found: list[tuple[int, int, list[str]]] = []
    i = 1
    while i < len(lower):
        if lower[i] not in EMAIL_AT:
            i += 1
            continue
        # domain: name (dot name)* dot tld — or one written "example.com" token
        j = i + 1
        dom: list[str] = []
        end = None
        if j < len(lower) and _DOMAIN_TOKEN.match(lower[j]) and lower[j].rsplit(".", 1)[-1] in TLDS:
            dom, end = [lower[j]], j + 1
        else:
            k = j
            while k + 2 < len(lower) + 1 and k < len(lower) and lower[k] not in EMAIL_AT and len(dom) < 12:
                if not re.match(r"^[\w-]+$", lower[k]) or lower[k] in EMAIL_DOT:
                    break
                dom.append(lower[k])
                k += 1
                while k < len(lower) and lower[k] in EMAIL_SYMBOLS and k + 1 < len(lower):
                    dom.append(EMAIL_SYMBOLS[lower[k]])
                    k += 1
                    dom.append(lower[k])
                    k += 1
                if k + 1 < len(lower) and lower[k] in EMAIL_DOT and re.match(r"^[\w-]+$", lower[k + 1]):
                    dom.append(".")
                    k += 1
                    if lower[k] in TLDS and not (k + 2 < len(lower) and lower[k + 1] in EMAIL_DOT):
                        dom.append(lower[k])
                        end = k + 1
                        break
                    continue
                break
        if end is None:
            i += 1
            continue
        # local part: walk back over name-like words, letters, digits and symbols
        s = i
        named = 0
        spelled = 0
        while s - 1 >= 0 and named < 5 and spelled < 20:
            w = lower[s - 1]
            in_spelling = len(w) == 1 and s < i and len(lower[s]) == 1  # the "a" of "m o r a l e s"
            if (w in LOCAL_STOP and not in_spelling) or not w:
                break
            if w in EMAIL_DOT or w in EMAIL_SYMBOLS:
                if s - 2 < 0 or lower[s - 2] in LOCAL_STOP:
                    break
            elif len(w) == 1 and w.isalnum():
                spelled += 1  # "s o b r i e n at …": spelled letters are one name, not seven
            elif re.match(r"^[\w.+-]+$", w):
                named += 1
            else:
                break
            s -= 1
        if s == i:
            i += 1
            continue
        pieces: list[str] = []
        for w in lower[s:i]:
            pieces.append("." if w in EMAIL_DOT else EMAIL_SYMBOLS.get(w, w))
        pieces.append("@")
        # re-walk the domain words to give each word its own piece
        for w in lower[i + 1:end]:
            pieces.append("." if w in EMAIL_DOT else EMAIL_SYMBOLS.get(w, w))
        found.append((s, end, pieces))
        i = end
    return found


def _letter_runs(lower: Sequence[str], taken: Sequence[bool]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lower):
        j = i
        while j < len(lower) and not taken[j] and len(lower[j]) == 1 and lower[j].isalpha():
            j += 1
        if j - i >= 2 and not set(lower[i:j]) <= {"a", "i"}:
            runs.append((i, j))
        i = max(j, i + 1)
    return runs


def normalise(words: Sequence[str]) -> Normalised:
    cleaned = [clean(w) for w in words]
    lower = [w.lower() for w in cleaned]
    pieces: list[str] = list(cleaned)
    glued = [False] * len(words)  # no space before this word
    taken = [False] * len(words)

    for s, e, email_pieces in _email_spans(cleaned, lower):
        for k, piece in zip(range(s, e), email_pieces, strict=True):
            pieces[k] = piece
            taken[k] = True
            glued[k] = k > s
    for s, e in _number_runs(lower, taken):
        run = _convert_run(lower[s:e])
        for k, piece in zip(range(s, e), run, strict=True):
            pieces[k] = piece
            taken[k] = True
            glued[k] = k > s
        if (s > 0 and lower[s - 1] in PLUS_WORDS and not taken[s - 1]
                and sum(ch.isdigit() for ch in "".join(run)) >= MIN_INTERNATIONAL_DIGITS):
            pieces[s - 1] = "+"
            taken[s - 1] = True
            glued[s] = True
    for s, e in _letter_runs(lower, taken):
        for k in range(s, e):
            pieces[k] = lower[k]
            glued[k] = k > s
    for k, w in enumerate(words):
        if w.strip() in SENTENCE_ENDS and k > 0:  # a punctuation item: keep the sentence boundary
            pieces[k] = w.strip()
            glued[k] = True

    text: list[str] = []
    owner: list[int] = []
    for k, piece in enumerate(pieces):
        if not piece:
            continue
        if text and not glued[k]:
            text.append(" ")
            owner.append(-1)
        text.append(piece)
        owner.extend([k] * len(piece))
    return Normalised("".join(text), tuple(owner))


def is_email_token(word: str) -> bool:
    return bool(_EMAIL_TOKEN.match(clean(word)))
