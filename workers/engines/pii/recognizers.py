"""Presidio recognizers for what presidio lacks: typed numbers by context, addresses, names by lead.

They run on the written text from ``normalise`` (so spoken and written forms look alike) and report
AWS type names directly. Presidio's own recognizers (spaCy PERSON/LOCATION, e-mail, Luhn-checked
cards, written SSNs and phone numbers) run beside them; ``detector`` maps and reconciles the two.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import tldextract
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from workers.engines.pii.casing import given_name, name_part
from workers.engines.pii.context import (
    ACCOUNT_REFERENCES,
    LAST_FOUR,
    MONTHS,
    NAME_LEADS,
    NAME_LIST_LEADS,
    NOT_CARD_EXPIRY,
    NOT_PII_NUMBER_CONTEXT,
    NUMBER_CONTEXT,
    PROVINCES,
    STATE_CODES,
    STREET_SUFFIXES,
    TITLES,
    UNIT_WORDS,
    US_STATES,
    WINDOW_AFTER,
    WINDOW_BEFORE,
)

#: Context phrases too generic to beat a specific one further back ("account number is …"); they
#: never stretch a kind's digit count ("check" is a routing number's only on a nine-digit number).
WEAK_PHRASES = frozenset({"number is", "text", "call", "reach", "exp", "social", "check", "cheque", "the back",
                          "on back"})
_PHRASE_TYPES: dict[str, str] = {p: t for t, phrases in NUMBER_CONTEXT.items() for p in phrases}
#: A digit string; "+" kept in front of an international number ("+442079460958").
_NUMBER = re.compile(r"(?<![\w@.+])\+?\d(?:[\d/-]*\d)?(?![\w@])")
_TOKEN = re.compile(r"\S+")
_STOP = frozenset({"and", "or", "the", "a", "an", "on", "in", "at", "of", "to", "my", "is", "was", "for", "with",
                   "from", "by", "it", "i", "we", "you", "he", "she", "they", "this", "that", "our", "your", "near",
                   "down", "up", "off", "over", "into", "has", "have", "had", "are", "were", "be", "but", "so"})
_SUFFIX_RE = "|".join(sorted(STREET_SUFFIXES, key=len, reverse=True))
_UNIT_RE = "|".join(UNIT_WORDS)
_STREET = re.compile(
    rf"\b\d{{1,6}}[a-z]?\s+(?!\d+\b)(?:(?!(?:{'|'.join(_STOP)})\b)[a-z0-9][\w'.-]*\s+){{1,4}}(?:{_SUFFIX_RE})\b\.?"
    rf"(?:\s*,?\s*(?:{_UNIT_RE}|number|#)\s*#?\s*\d+[a-z]?\b)?",
    re.IGNORECASE,
)
_UNIT = re.compile(rf"\b(?:{_UNIT_RE})\s*(?:number\s*)?#?\s*\d+[a-z]?\b", re.IGNORECASE)
#: A unit said before its street: "Suite 300, 500 Fifth Avenue", "Flat 3, 12 High Street".
_UNIT_BEFORE = re.compile(rf"\b(?:{_UNIT_RE})\s*(?:number\s*)?#?\s*\d+[a-z]?\s*,?\s*$", re.IGNORECASE)
_PO_BOX = re.compile(r"\b(?:p\.?\s?o\.?|post\s+office)\s+box\s+\d+\b", re.IGNORECASE)
#: "Rural Route 2, Box 45", "RR 3 Box 112", "HC 64 Box 10" (US rural delivery).
_RURAL = re.compile(r"\b(?:rural\s+route|r\.?\s?r\.?|highway\s+contract|h\.?\s?c\.?)\s*#?\s*\d+"
                    r"(?:\s*,?\s*box\s*#?\s*\d+)?\b", re.IGNORECASE)
#: Street types said before the name: "1515 rue Sainte-Catherine", "12 calle Mayor", "3 via Roma".
STREET_PREFIXES = ("rue", "calle", "avenida", "av", "avenue", "via", "viale", "chemin", "boulevard", "boul",
                   "rua", "strada", "carrer", "ulica", "ul", "route", "rang", "place", "piazza", "plaza", "camino")
_STREET_PREFIX = re.compile(
    rf"\b\d{{1,6}}[a-z]?\s*,?\s+(?:{'|'.join(STREET_PREFIXES)})\b\.?"
    rf"(?:\s+(?!(?:{'|'.join(_STOP)})\b)[^\W\d_][\w'.-]*){{1,3}}",
    re.IGNORECASE,
)
#: A named street with no house number ("Church Lane, Little Snoring, Norfolk NR21 0AA"): only an
#: address when a city with a state or postcode follows (see ``AddressRecognizer``).
_NAMED_STREET = re.compile(
    rf"\b(?:[A-Z][\w'-]+\s+){{1,3}}(?:{'|'.join(s.capitalize() for s in STREET_SUFFIXES)})\b\.?")
#: A unit word said right before the house number: "unit five, fourteen Park Road".
_UNIT_WORD_BEFORE = re.compile(rf"\b(?:{_UNIT_RE})\s*,?\s*$", re.IGNORECASE)
_MONTH = re.compile(rf"\b(?:{'|'.join(sorted(MONTHS, key=len, reverse=True))})\b(?:\s+(?:of\s+)?\d{{2,4}}(?![\w/]))?",
                    re.IGNORECASE)
_LUHN_LEN = range(13, 20)
#: Digit counts accepted with a specific context phrase close by (see ``fits``).
_LOOSE = {"PHONE": (7, 12), "CREDIT_DEBIT_NUMBER": (12, 19), "SSN": (8, 10), "BANK_ROUTING": (8, 10),
          "BANK_ACCOUNT_NUMBER": (5, 17), "PIN": (4, 8)}


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _word(token: str) -> str:
    return token.lower().strip(".,?!;:'\"()")


@dataclass(frozen=True)
class Words:
    """The written text split into words with their character offsets, for context look-ups."""

    tokens: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Words:
        found = list(_TOKEN.finditer(text))
        return cls(tuple(_word(m.group()) for m in found), tuple(m.start() for m in found),
                   tuple(m.end() for m in found))

    def index_at(self, char: int) -> int:
        """Index of the word that contains (or first follows) ``char``."""
        return bisect.bisect_right(self.ends, char)

    def before(self, char: int, n: int) -> list[str]:
        i = self.index_at(char)
        return list(self.tokens[max(0, i - n):i])

    def after(self, char: int, n: int) -> list[str]:
        i = self.index_at(char)
        while i < len(self.tokens) and self.ends[i] <= char:
            i += 1
        return list(self.tokens[i:i + n])


def phrases_back(words: Sequence[str]) -> list[tuple[int, str]]:
    """(distance, phrase) for each context phrase, nearest first; two-word phrases win over one."""
    out: list[tuple[int, str]] = []
    n = len(words)
    for d in range(n):
        i = n - 1 - d
        pair = f"{words[i - 1]} {words[i]}" if i > 0 else ""
        if pair in _PHRASE_TYPES:
            out.append((d, pair))
        elif words[i] in _PHRASE_TYPES and not _account_reference(words, i):
            out.append((d, words[i]))
    return out


def _account_reference(words: Sequence[str], i: int) -> bool:
    """ "the phone number on the account": "account" here is the customer's, not a bank number's label."""
    return words[i] in ("account", "accounts") and i >= 2 and f"{words[i - 2]} {words[i - 1]}" in ACCOUNT_REFERENCES


def not_pii_label(words: Sequence[str], pii_distance: int | None) -> bool:
    """Is the number labelled as something that is no AWS PII type ("order number", "case")?

    Only a label nearer than every PII phrase counts: "my card for order 12 is 4111 …" is a card."""
    n = len(words)
    for d in range(n if pii_distance is None else min(n, pii_distance)):
        if words[n - 1 - d] in NOT_PII_NUMBER_CONTEXT:
            return True
    return False


def labelled_not_pii(before: Sequence[str]) -> bool:
    """``not_pii_label`` against the nearest specific PII phrase in ``before``."""
    specific = [d for d, p in phrases_back(before) if p not in WEAK_PHRASES]
    return not_pii_label(before, specific[0] if specific else None)


def _about_other_thing(words: Sequence[str], phrase_distance: int) -> bool:
    """ "my warranty expires …": the expiry phrase is about something that is not a payment card."""
    end = len(words) - 1 - phrase_distance
    return any(w in NOT_CARD_EXPIRY for w in words[max(0, end - 4):end])


_BACK_PHRASES = frozenset({"the back", "on back"})
_CARD_WORDS = frozenset({"card", "cards", "visa", "mastercard", "amex", "discover", "it"})


def _back_of_other_thing(words: Sequence[str], phrase_distance: int) -> bool:
    """ "the code on the back of the box": "the back" is a CVV's place only on a card."""
    after = words[len(words) - phrase_distance:]
    return bool(after) and after[0] == "of" and not any(w in _CARD_WORDS for w in after[1:4])


def phrases_forward(words: Sequence[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for d, w in enumerate(words):
        pair = f"{w} {words[d + 1]}" if d + 1 < len(words) else ""
        if pair in _PHRASE_TYPES:
            out.append((d, pair))
        elif w in _PHRASE_TYPES:
            out.append((d, w))
    return out


def fits(kind: str, digits: str, raw: str, tail: bool, loose: bool = False) -> bool:
    """Could ``digits`` (written ``raw``) be a ``kind``? ``tail``: "ending in"/"last four" was said.

    ``loose``: a specific context phrase names the kind, so a digit or two more or fewer (ASR drops
    and doubles digits in long dictated numbers) still counts — redaction errs on the safe side."""
    n = len(digits)
    if loose and kind in _LOOSE and _LOOSE[kind][0] <= n <= _LOOSE[kind][1]:
        return True
    if kind == "CREDIT_DEBIT_NUMBER":
        return n in _LUHN_LEN or (n == 4 and tail)
    if kind == "CREDIT_DEBIT_CVV":
        return n in (3, 4) and "/" not in raw
    if kind == "CREDIT_DEBIT_EXPIRY":
        if "/" in raw:
            month = raw.split("/")[0]
            return month.isdigit() and 1 <= int(month) <= 12 and 3 <= n <= 6
        if n in (3, 4, 6):
            month = digits[:1] if n == 3 else digits[:2]
            return 1 <= int(month) <= 12
        return False
    if kind == "PIN":
        return 4 <= n <= 6
    if kind == "BANK_ROUTING" and n == 6:
        return True  # a UK sort code or an Australian BSB ("sort code 40-47-84")
    if kind in ("SSN", "BANK_ROUTING"):
        return n == 9 or (n == 4 and tail)
    if kind == "BANK_ACCOUNT_NUMBER":
        return 6 <= n <= 17 or (n == 4 and tail)
    if kind == "PHONE":
        return n in (7, 10) or (n == 11 and digits[0] in "10") or international(digits, raw)
    if kind == "ADDRESS":
        return n in (5, 9)
    return False


def international(digits: str, raw: str) -> bool:
    """ "+44 20 7946 0958", "plus four four …": a "+" and 8-15 digits (E.164) is a phone number."""
    return raw.startswith("+") and 8 <= len(digits) <= 15


def aba_ok(digits: str) -> bool:
    """The ABA routing number checksum (weights 3, 7, 1)."""
    return len(digits) == 9 and sum(int(d) * w for d, w in zip(digits, (3, 7, 1) * 3, strict=True)) % 10 == 0


def _tail(before: Sequence[str]) -> bool:
    """Was "ending in", "last four" … said (as words, so "spending" is no "ending")?"""
    pairs = {f"{a} {b}" for a, b in itertools.pairwise(before)}
    return any(p in pairs or p in before for p in LAST_FOUR)


def type_number(digits: str, raw: str, before: Sequence[str], after: Sequence[str]) -> tuple[str, float] | None:
    """The type and confidence of a number from its context (nearest specific phrase first)."""
    tail = _tail(before)
    back = phrases_back(before)
    if labelled_not_pii(before):
        return None
    for weak in (False, True):
        for dist, phrase in back:
            if (phrase in WEAK_PHRASES) != weak:
                continue
            kind = _PHRASE_TYPES[phrase]
            if kind == "CREDIT_DEBIT_EXPIRY" and _about_other_thing(before, dist):
                continue
            if phrase in _BACK_PHRASES and _back_of_other_thing(before, dist):
                continue
            if fits(kind, digits, raw, tail, loose=not weak and dist <= 4):
                return kind, max(0.6, (0.9 if weak else 0.97) - 0.02 * dist)
    for dist, phrase in phrases_forward(after):
        kind = _PHRASE_TYPES[phrase]
        if phrase not in WEAK_PHRASES and fits(kind, digits, raw, tail):
            return kind, max(0.6, 0.85 - 0.05 * dist)
    # no context: shapes that are PII on their own
    if international(digits, raw):
        return "PHONE", 0.8
    if len(digits) in _LUHN_LEN and luhn_ok(digits):
        return "CREDIT_DEBIT_NUMBER", 0.9
    if aba_ok(digits) and any(w in _BANK_WORDS for w in (*before, *after)):
        return "BANK_ROUTING", 0.75  # "the nine digits at the bottom of the check": checksum + a bank word
    if re.fullmatch(r"\d{3}-\d{2}-\d{4}", raw):
        return "SSN", 0.85
    if re.fullmatch(r"(?:1-)?\d{3}-\d{3}-\d{4}", raw) or (len(digits) == 10 and digits[0] in "23456789"):
        return "PHONE", 0.75
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "23456789":
        return "PHONE", 0.7
    if len(digits) == 11 and re.fullmatch(r"0[1237]\d{9}", digits):
        return "PHONE", 0.7  # a UK number in national form: 020 …, 0161 …, 07700 …
    return None


#: Words that make a checksum-valid nine-digit number a routing number without "routing" being said.
_BANK_WORDS = frozenset({"bank", "bank's", "check", "cheque", "checks", "cheques", "wire", "deposit", "ach",
                         "transfer", "checkbook"})


class _Base(LocalRecognizer):
    ENTITIES: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__(supported_entities=list(self.ENTITIES), supported_language="en",
                         name=type(self).__name__)

    def load(self) -> None:
        """Nothing to load: rules only."""


class NumberContextRecognizer(_Base):
    """Every digit string, typed by the context phrases around it."""

    ENTITIES = ("CREDIT_DEBIT_NUMBER", "CREDIT_DEBIT_CVV", "CREDIT_DEBIT_EXPIRY", "PIN", "SSN", "BANK_ROUTING",
                "BANK_ACCOUNT_NUMBER", "PHONE", "ADDRESS")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        words = Words.of(text)
        out: list[RecognizerResult] = []
        for m in _NUMBER.finditer(text):
            raw = m.group()
            digits = re.sub(r"\D", "", raw)
            typed = type_number(digits, raw, words.before(m.start(), WINDOW_BEFORE),
                                words.after(m.end(), WINDOW_AFTER))
            if typed is not None:
                out.append(RecognizerResult(typed[0], m.start(), m.end(), typed[1]))
        return out


class ExpiryMonthRecognizer(_Base):
    """ "expires January 2027", "expiration date March twenty six" → the month (and year)."""

    ENTITIES = ("CREDIT_DEBIT_EXPIRY",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        words = Words.of(text)
        out: list[RecognizerResult] = []
        for m in _MONTH.finditer(text):
            before = words.before(m.start(), 6)
            back = [(d, p) for d, p in phrases_back(before) if p not in WEAK_PHRASES]
            if (back and _PHRASE_TYPES[back[0][1]] == "CREDIT_DEBIT_EXPIRY"
                    and not _about_other_thing(before, back[0][0])):
                out.append(RecognizerResult("CREDIT_DEBIT_EXPIRY", m.start(), m.end(), 0.9 - 0.02 * back[0][0]))
        return out


class AddressRecognizer(_Base):
    """Street addresses (number + name + suffix, unit), suites and PO boxes, then city/state/zip."""

    ENTITIES = ("ADDRESS",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for rx, score in ((_STREET, 0.9), (_UNIT, 0.7), (_PO_BOX, 0.9), (_RURAL, 0.85), (_STREET_PREFIX, 0.85),
                          (_NAMED_STREET, 0.9)):
            for m in rx.finditer(text):
                start = m.start()
                unit = _UNIT_BEFORE.search(text, max(0, start - 24), start)
                if unit is None and rx is not _UNIT:
                    unit = _UNIT_WORD_BEFORE.search(text, max(0, start - 16), start)
                if unit and rx is not _UNIT:
                    start = unit.start()
                end = extend_address(text, m.end())
                if rx is _NAMED_STREET and not _PLACE_AFTER.match(text, m.end()):
                    continue
                out.append(RecognizerResult("ADDRESS", start, end, score))
        for m in _POSTCODE_LEAD.finditer(text):
            code = _SPOKEN_POSTCODE.match(text, m.end())
            if code:
                out.append(RecognizerResult("ADDRESS", code.start(), code.end(), 0.85))
        return out


_STATE_RE = re.compile(rf"\s*,?\s*(?:(?i:{'|'.join(sorted(US_STATES + PROVINCES, key=len, reverse=True))})|"
                       rf"(?:{'|'.join(STATE_CODES)}))\b")
#: A city word: capitalised, or any word but a function word in uncased text ("montreal quebec").
_CITY_WORD = re.compile(rf"\s*,?\s*(?:[A-Z][a-z'.-]+|(?!(?:{'|'.join(_STOP)})\b)[a-z][a-z'.-]+)")
#: UK and Canadian postcodes as dictated and normalised: letters and digits, spaced or not
#: ("sw 1 a 1 a a", "nw 16 xe", "m 5 j 2 n 8"), in any case.
_SPOKEN_POSTCODE = re.compile(r"(?i:[a-z]\s?[a-z]?\s?\d\s?(?:[a-z\d]\s?)?\d\s?[a-z]\s?[a-z]\b|"
                              r"[a-z]\s?\d\s?[a-z]\s?\d\s?[a-z]\s?\d\b)")
#: US zip codes, and UK / Canadian postcodes ("M1 4BT", "H3B 1A7", spoken forms as above).
_ZIP_RE = re.compile(r"\s*,?\s*(?:\d{5}(?:-?\d{4})?(?!\d)|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|"
                     r"[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|" + _SPOKEN_POSTCODE.pattern + ")")
_POSTCODE_LEAD = re.compile(r"\b(?:post\s?code|postal\s+code|zip\s+code|zip|eircode)\s*(?:is\s+|:\s*)?",
                            re.IGNORECASE)
#: What must follow a named street with no number: a city (1-3 words) then a state or postcode.
_PLACE_AFTER = re.compile(rf"(?:{_CITY_WORD.pattern}){{1,3}}(?:{_STATE_RE.pattern}|{_ZIP_RE.pattern})")


def extend_address(text: str, end: int) -> int:
    """Grow an address over a following "City, State 12345" (each part optional, in that order).

    A city (one to three capitalised words) counts only when a state or a zip code follows it."""
    pos = end
    city_end = pos
    offset = pos
    for _ in range(3):
        m = _CITY_WORD.match(text, offset)
        if m is None:
            break
        offset = m.end()
        if _STATE_RE.match(text, offset) or _ZIP_RE.match(text, offset):
            city_end = offset
            break
    pos = max(pos, city_end)
    state = _STATE_RE.match(text, pos)
    if state:
        pos = state.end()
    zip_code = _ZIP_RE.match(text, pos)
    if zip_code:
        pos = zip_code.end()
    return pos


class NameLeadRecognizer(_Base):
    """Capitalised words right after "my name is", "this is", "I'm" …, and spelled-out names."""

    ENTITIES = ("NAME",)
    _lead = re.compile(rf"\b(?:{'|'.join(re.escape(p) for p in sorted(NAME_LEADS, key=len, reverse=True))})"
                       r"\s+(?:(?:is|was)\s+)?", re.IGNORECASE)
    _name = re.compile(r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?([A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,2})")
    _spelled = re.compile(r"[a-z]{2,}")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for m in self._lead.finditer(text):
            lead = m.group().strip().lower()
            if lead in ("spelled", "spelt"):
                s = self._spelled.match(text, m.end())
                if s and s.group() not in _STOP and s.group() not in _NOT_UNCASED_NAME:
                    out.append(RecognizerResult("NAME", s.start(), s.end(), 0.8))
                continue
            n = self._name.match(text, m.end())
            if not n:
                if any(w in _EXPLICIT_NAME_LEADS for w in lead.split()):
                    out.extend(self._uncased(text, m.end()))
                continue
            words = n.group(1).split()
            keep: list[str] = []
            for w in words:
                if w.lower() in _STOP or w.lower() in TITLES:
                    break
                keep.append(w)
            if keep:
                start = n.start(1)
                out.append(RecognizerResult("NAME", start, start + len(" ".join(keep)), 0.8))
        return out

    _uncased_name = re.compile(r"[a-z][a-z'\-]+(?:\s+[a-z][a-z'\-]+){0,2}")

    def _uncased(self, text: str, at: int) -> list[RecognizerResult]:
        """ "yeah my name is john and …" from an uncased recognizer: after a lead that says "name",
        the next words are the name unless they are function words ("my name is on the account")."""
        n = self._uncased_name.match(text, at)
        if not n:
            return []
        keep: list[str] = []
        for w in n.group().split():
            if w in _STOP or w in _NOT_UNCASED_NAME or w in TITLES:
                break
            keep.append(w)
        if not keep:
            return []
        return [RecognizerResult("NAME", at, at + len(" ".join(keep)), 0.7)]


#: Leads that name the thing said next as a name ("my name is", "last name"), unlike "this is".
_EXPLICIT_NAME_LEADS = ("name", "name's", "surname", "llamo", "nombre")
#: Lower-case words that follow "my name is" without being a name.
_NOT_UNCASED_NAME = frozenset({
    "not", "spelled", "spelt", "still", "also", "right", "correct", "wrong", "missing", "listed", "misspelled",
    "different", "same", "just", "actually", "um", "uh", "like", "there", "here", "under", "please", "if",
    "because", "as", "what", "how", "why", "who", "when", "where", "which", "all", "no", "yes", "yeah", "okay",
    "ok", "changed", "showing", "shown", "printed", "written", "supposed", "going", "being",
})


class NameListRecognizer(_Base):
    """A listed given name right after words that introduce a person ("hi it's priya", "my daughter
    Sophie", "tell kwame"), with the name's next word when that is a name too; NER alone misses
    many of these (most of all in uncased text). Ordinary words that are also names ("grace",
    "will") never count: see ``casing``."""

    ENTITIES = ("NAME",)
    _lead = re.compile(rf"\b(?:{'|'.join(re.escape(p) for p in sorted(NAME_LIST_LEADS, key=len, reverse=True))})"
                       r"\s+(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?", re.IGNORECASE)
    _word = re.compile(r"[^\W\d_][\w'-]*")
    SCORE = 0.75

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for m in self._lead.finditer(text):
            first = self._word.match(text, m.end())
            if first is None or not given_name(first.group()):
                continue
            end = first.end()
            following = self._word.match(text, end + 1) if text[end:end + 1] == " " else None
            if following is not None and name_part(following.group()):
                end = following.end()
            out.append(RecognizerResult("NAME", first.start(), end, self.SCORE))
        return out


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validating domains against tldextract's bundled suffix list."""

    _extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    def validate_result(self, pattern_text: str) -> bool:
        return bool(self._extract(pattern_text).fqdn)
