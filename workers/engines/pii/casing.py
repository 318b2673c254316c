"""Case restoration for uncased transcripts, so spaCy's NER can see names.

spaCy's small English model finds people almost only by capital letters, and the detector drops the
lower-case "persons" it does report as noise. Whisper usually writes "Kwame", but an uncased ASR
(and Whisper, now and then, for a whole segment) writes "okay tell kwame i said thanks". When a
chunk of text has (almost) no capitals, this module capitalises the words that are probably parts
of a name, and spaCy then judges them in context as it would judge Whisper's cased output:

* a word in a given-name or surname list (Faker's person data for every Latin-script locale, so
  names from many cultures, accents folded) that is not an ordinary English word;
* an unusual word (not an ordinary English word) right beside such a name — "oluwaseun adeyemi";
* the word after a title ("ms patel").

"Ordinary English word" means: written in lower case in Webster's Second International word list
(the ``english-words`` package, where a proper noun is capitalised), itself or with a plural,
past or agent ending taken off ("banks", "hunter"). So "will", "rose", "grace", "frank", "bill" and
"chase" keep their lower case and stay words, while "rachel", "derek", "john" and "tomasz" become
names for NER to consider. Frequency is no guide here: "john" is more frequent than "grace".

Text that already has capitals is left alone: in cased output a lower-case word is not a name.
The lists load with the detector (``preload``, ≈1-2 s and ≈30 MB), once per process.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
import unicodedata
from collections.abc import Callable

from workers.engines.pii.context import MONTHS, TITLES

#: At most this share of capitalised words (besides "I" and acronyms) makes text uncased: cased ASR
#: output capitalises at least each sentence's first word.
UNCASED_SHARE = 0.02
#: Shortest list word that makes a name on its own ("ed", "hd" and "op" are in the lists too).
MIN_NAME = 3
#: A neighbour of a name joins it only when it is rarer than this (Zipf).
NEIGHBOUR_MAX_ZIPF = 4.3
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_I_FORMS = frozenset({"i", "i'm", "i'll", "i've", "i'd"})
#: Function words never capitalised, whatever the lists say ("le", "van", "de" are also surnames).
_FUNCTION = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "so",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "is",
        "was",
        "are",
        "be",
        "it",
        "it's",
        "its",
        "this",
        "that",
        "my",
        "your",
        "his",
        "her",
        "our",
        "their",
        "me",
        "you",
        "he",
        "she",
        "we",
        "they",
        "him",
        "them",
        "i",
        "um",
        "uh",
        "yeah",
        "yes",
        "no",
        "okay",
        "ok",
        "hi",
        "hello",
        "thanks",
        "please",
        "sir",
        "madam",
        "de",
        "la",
        "le",
        "van",
        "von",
        "da",
        "del",
        "di",
        "du",
        "el",
        "al",
        "bin",
        "ben",
        "st",
        "mac",
        "mc",
        "o",
        "y",
        "e",
        "do",
        "dos",
        "das",
        "der",
        "den",
        "ten",
        "ter",
    }
)


#: Months and days are in the name lists ("April", "June") and capitalised in the dictionary.
_CALENDAR = frozenset({*MONTHS, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def _latin(name: str) -> bool:
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in name)


@functools.cache
def name_words() -> frozenset[str]:
    """Given names and surnames (lower case, ASCII-folded) from Faker's person providers."""
    import faker.providers.person as person

    out: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "last_names"):
            names = getattr(provider, attr, None)
            if not isinstance(names, dict | list | tuple | set | frozenset):
                continue
            for name in names:
                if not isinstance(name, str) or not _latin(name):
                    continue
                for part in re.split(r"[\s-]+", name):
                    folded = _fold(part)
                    if len(folded) >= 2 and folded.isalpha():
                        out.add(folded)
    return frozenset(out)


@functools.cache
def _dictionary() -> frozenset[str]:
    """Words Webster's Second writes in lower case (common nouns, verbs …, not proper names)."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


@functools.cache
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def preload() -> None:
    """Load the name and word lists now (≈1-2 s), with the detector, not on the first uncased job."""
    name_words()
    _dictionary()
    _zipf("name")


def ordinary(word: str) -> bool:
    """Is ``word`` (lower case) an ordinary English word rather than only a name?"""
    if word in _FUNCTION or word in _CALENDAR:
        return True
    words = _dictionary()
    return any(base in words for base in _bases(word))


def _bases(word: str) -> list[str]:
    """``word`` and the words it may be inflected from (web2 lists lemmas only)."""
    out = [word]
    for ending, put_back in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("er", ""),
        ("er", "e"),
        ("ers", ""),
        ("ly", ""),
    ):
        base = word[: -len(ending)] + put_back
        if word.endswith(ending) and len(base) >= 4:
            out.append(base)
    return out


def is_uncased(text: str) -> bool:
    words = [m.group() for m in _WORD.finditer(text)]
    if len(words) < 2:
        return False
    capitals = sum(
        1 for w in words if w[0].isupper() and w.lower().replace("\u2019", "'") not in _I_FORMS and not w.isupper()
    )
    return capitals <= UNCASED_SHARE * len(words)


def restore_case(text: str, spelled: Callable[[int], bool] | None = None) -> str:
    """``text`` with probable name words capitalised when it is uncased (same length, same offsets).

    ``spelled(offset)``: is the word starting there letters said one by one ("s h a n k a r", joined
    by the normaliser)? A spelling is left as it is: ``spelled`` attaches it to the name it spells."""
    if not is_uncased(text):
        return text
    matches = [m for m in _WORD.finditer(text) if spelled is None or not spelled(m.start())]
    lower = [m.group().lower() for m in matches]
    names = name_words()
    cap = [len(w) >= MIN_NAME and w in names and not ordinary(w) for w in lower]
    for i, w in enumerate(lower[:-1]):
        if w.rstrip(".") in TITLES and lower[i + 1] not in _FUNCTION:
            cap[i + 1] = True
    for i in [i for i, c in enumerate(cap) if c]:
        for j in (i - 1, i + 1):
            if 0 <= j < len(lower) and not cap[j] and _unusual(lower[j]):
                cap[j] = True
    out = list(text)
    for m, c in zip(matches, cap, strict=True):
        first = m.group()[0]
        if c and first.islower() and len(first.upper()) == 1:
            out[m.start()] = first.upper()
    return "".join(out)


def given_name(word: str) -> bool:
    """Is ``word`` (any case) a listed name that is not an ordinary word ("priya", not "grace")?"""
    folded = _fold(word)
    return len(folded) >= MIN_NAME and folded in name_words() and not ordinary(folded)


def name_part(word: str) -> bool:
    """Could ``word`` continue a name: a listed name, or an unusual word ("adeyemi")?"""
    folded = _fold(word)
    return given_name(folded) or _unusual(folded)


def _unusual(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and not ordinary(word) and _zipf(word) < NEIGHBOUR_MAX_ZIPF
