"""Custom vocabularies compiled into what the recognizer and the transcript need.

A vocabulary does two things to a transcript, as on AWS: it makes its phrases more likely to be
recognised, and it makes them appear the way the customer writes them (DisplayAs). Whisper has no
lexicon to add words to, so Harken

1. biases decoding: ``initial_prompt`` (a short glossary sentence, rarest terms first, kept well
   inside Whisper's prompt budget so a large vocabulary cannot crowd out the audio's own context)
   is given only to the windows where a term was plausibly said (``selective_bias``). No
   ``hotwords`` are compiled: every biased window is at most 30 s, so the prompt covers it
   (streaming builds its own hotwords from the vocabulary's rows);
2. corrects after recognition: a run of recognised words whose letters equal a phrase ("los
   angeles", "C L I"), its SoundsLike form, or nearly sound like it (a phonetic key and the letters
   both close, e.g. "Lyloquent" for "Zyloquent") is replaced by the phrase's written form. Near
   misses are only taken where the recogniser itself was unsure, or the words are not ordinary
   words of the language, so vocabulary terms do not eat correctly recognised speech.

Compilation is pure and happens once, when the vocabulary becomes READY; the result is stored as
JSON (``to_dict``) and loaded per job (``from_dict``). Medical vocabularies use the same class.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.transcribe.vocabularies.parsing import display_text
from workers.pipeline import phonemes

FORMAT = "harken-vocabulary-v2"
#: Prompt budget in characters (about four characters per token). Whisper keeps at most 223
#: prompt tokens, but long prompts already hurt well before that: with hotwords and prompt together
#: over ~450 characters tiny.en started reciting the list and looping through temperature fallbacks
#: (35-45 s for a 3 s clip instead of 3 s, measured here).
MAX_PROMPT_CHARS = 250
#: Near-miss thresholds (0..1, a blend of letter and phonetic-key similarity, see ``_score``):
#: the lower one for garbled or doubted words, the higher one where the words are real ones.
UNSURE_SCORE = 0.66
SURE_SCORE = 0.86
#: Below this mean word probability the recogniser was unsure of a span.
UNSURE_PROBABILITY = 0.6
#: Words at least this frequent (wordfreq's Zipf scale: 4 = once per 10 000 words) are ordinary
#: words; a near miss never replaces only ordinary words.
COMMON_ZIPF = 3.3
#: Words at least this frequent (once per 100 million words) are words of the language at all.
KNOWN_ZIPF = 1.0
#: Near misses are considered only for terms at least this long (in letters); shorter ones must
#: match exactly (letters or SoundsLike).
MIN_FUZZY_LETTERS = 5

_VOICING = str.maketrans("BPDTGKVFZSJ", "PPTTKKFFSSK")


def letters(text: str) -> str:
    """Lower-case letters and digits only: the form in which "C.L.I.", "C L I" and "cli" agree."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if ch.isalnum())


def phonetic_key(text: str) -> str:
    """An English-leaning sound key: Metaphone of the letters with voicing pairs merged
    (b/p, d/t, g/k, v/f, z/s), so "Brevanta" and "preventer" come out close."""
    import jellyfish

    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if ch.isalpha() and ch.isascii())
    return jellyfish.metaphone(plain).replace(" ", "").translate(_VOICING) if plain else ""


@functools.lru_cache(maxsize=65536)
def _zipf(word: str, language: str) -> float:
    try:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, language))
    except (ImportError, LookupError, ValueError):
        return 0.0


def zipf(word: str, language_code: str) -> float:
    """wordfreq's Zipf frequency of ``word`` (0 when unknown or the language has no list)."""
    return _zipf(word.casefold(), language_code.split("-")[0])


def is_common(word: str, language_code: str) -> bool:
    return zipf(word, language_code) >= COMMON_ZIPF


@dataclass(frozen=True)
class Term:
    #: What the transcript shows.
    display: str
    #: The phrase's letters ("losangeles") and those of its SoundsLike form, if any.
    letters: str
    sounds_like: str
    #: Phonetic keys of both.
    key: str
    sounds_like_key: str
    #: Number of words the phrase is usually recognised as.
    words: int
    #: Whether the phrase is an ordinary word of the language (then only exact matches count).
    common: bool
    #: How the term sounds, as phoneme class letters (``phonemes``): from the IPA column, else the
    #: SoundsLike form, else the phrase's own spelling (dictionary or letter-to-sound rules).
    phonemes: str = ""
    #: The customer said how it sounds (IPA or SoundsLike): then near-miss correction compares
    #: phonemes too, so a term spelled far from its sound ("Caoimhe", said "KEE-va") is found.
    pronounced: bool = False


@dataclass(frozen=True)
class Correction:
    """Words ``start:end`` (end exclusive) should read ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CompiledVocabulary:
    language_code: str
    terms: tuple[Term, ...]
    initial_prompt: str
    #: Index: letters → term, for exact matches.
    _exact: dict[str, Term] = field(default_factory=dict, compare=False, repr=False)
    #: Index: letters of the written form (DisplayAs) → term.
    _by_display: dict[str, Term] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            self._exact.setdefault(term.letters, term)
            if term.sounds_like:
                self._exact.setdefault(term.sounds_like, term)
            self._by_display.setdefault(letters(term.display), term)

    # -------------------------------------------------------------- storage

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "language_code": self.language_code,
            "initial_prompt": self.initial_prompt,
            "terms": [
                [
                    t.display,
                    t.letters,
                    t.sounds_like,
                    t.key,
                    t.sounds_like_key,
                    t.words,
                    t.common,
                    t.phonemes,
                    t.pronounced,
                ]
                for t in self.terms
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CompiledVocabulary:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a compiled vocabulary: format {data.get('format')!r}")
        terms = tuple(
            Term(str(d), str(le), str(sl), str(k), str(sk), int(n), bool(c), str(ph), bool(pr))
            for d, le, sl, k, sk, n, c, ph, pr in data["terms"]
        )
        # Compilations stored before 2026-11-22 also hold "hotwords" (unused): ignored.
        return cls(str(data["language_code"]), terms, str(data["initial_prompt"]))

    # -------------------------------------------------------------- correction

    def correct(self, words: Sequence[str], probabilities: Sequence[float] | None = None) -> list[Correction]:
        """Corrections for transcript ``words`` (punctuation may stick to them; a span never runs
        across a word that ends a clause). ``probabilities``: the recogniser's per-word confidence,
        which lets near misses replace only what it was unsure of."""
        if not self.terms:
            return []
        max_span = max(3, max(t.words for t in self.terms) + 1)
        plain = [letters(w) for w in words]
        # Every candidate span first, then the best non-overlapping ones: an exact match inside a
        # longer near miss ("our gravimax") must win over it.
        found: list[tuple[float, int, int, Term]] = []
        for i in range(len(words)):
            for n in range(1, max_span + 1):
                if i + n > len(words) or not plain[i + n - 1]:
                    break
                span = "".join(plain[i : i + n])
                probs = probabilities[i : i + n] if probabilities is not None else None
                hit = self._match(span, words[i : i + n], probs)
                if hit is not None:
                    found.append((hit[0], n, i, hit[1]))
                if _ends_clause(words[i + n - 1]):
                    break
        found.sort(key=lambda f: (-f[0], f[1], f[2]))
        taken: set[int] = set()
        out: list[Correction] = []
        for _, n, i, term in found:
            if taken.intersection(range(i, i + n)):
                continue
            taken.update(range(i, i + n))
            if " ".join(w.strip() for w in words[i : i + n]).strip(".,;:?!") != term.display:
                out.append(Correction(i, i + n, term.display))
        return sorted(out, key=lambda c: c.start)

    def _match(self, span: str, words: Sequence[str], probs: Sequence[float] | None) -> tuple[float, Term] | None:
        exact = self._exact.get(span)
        if exact is not None:
            return 2.0, exact  # exact beats any near miss
        if len(span) < MIN_FUZZY_LETTERS:
            return None
        unsure = probs is not None and len(probs) > 0 and sum(probs) / len(probs) < UNSURE_PROBABILITY
        zipfs = [zipf(letters(w), self.language_code) for w in words]
        if min(zipfs) >= COMMON_ZIPF:  # ordinary words: only if the recogniser doubted them
            threshold = SURE_SCORE if unsure else 1.01
        elif min(zipfs) >= KNOWN_ZIPF:  # real if rare words: heard clearly, they stay
            threshold = UNSURE_SCORE if unsure else SURE_SCORE
        else:  # not a word of the language: a garbled term
            threshold = UNSURE_SCORE
        from rapidfuzz.distance import Levenshtein

        key = phonetic_key(span)
        sounds = ""
        best: tuple[float, Term] | None = None
        for term in self.terms:
            if term.common or len(term.letters) < MIN_FUZZY_LETTERS:
                continue
            score = 0.0
            if 0.6 <= len(span) / len(term.letters) <= 1.6:
                score = _score(Levenshtein, span, key, term.letters, term.key)
                if term.sounds_like:
                    score = max(score, _score(Levenshtein, span, key, term.sounds_like, term.sounds_like_key))
            if term.pronounced and term.phonemes:
                sounds = sounds or phonemes.text_classes(words)
                score = max(score, phonemes.similarity(sounds, term.phonemes))
            if score >= threshold and (best is None or score > best[0]):
                best = (score, term)
        return best

    # -------------------------------------------------------------- selective biasing

    def exact_terms(self, words: Sequence[str]) -> list[tuple[int, int, Term]]:
        """Runs of ``words`` whose letters are exactly a term (phrase, SoundsLike or written form):
        what a biased decode must contain before its words replace the unbiased ones."""
        max_span = max((t.words for t in self.terms), default=1) + 1
        plain = [letters(w) for w in words]
        out: list[tuple[int, int, Term]] = []
        i = 0
        while i < len(words):
            for n in range(min(max_span, len(words) - i), 0, -1):
                term = self._exact.get("".join(plain[i : i + n])) or self._by_display.get("".join(plain[i : i + n]))
                if term is not None and not term.common:
                    out.append((i, i + n, term))
                    i += n - 1
                    break
            i += 1
        return out

    def sound_score(self, words: Sequence[str], only: Term | None = None) -> tuple[float, Term | None]:
        """How much ``words`` sound like the closest term that is not an ordinary word (0..1), or
        like ``only``: the better of letter/Metaphone similarity and phoneme similarity (IPA,
        SoundsLike or spelling)."""
        span = "".join(letters(w) for w in words)
        if not span:
            return 0.0, None
        from rapidfuzz.distance import Levenshtein

        key = phonetic_key(span)
        sounds = phonemes.text_classes(words)
        best: tuple[float, Term | None] = (0.0, None)
        for term in (only,) if only is not None else self.terms:
            if term.common:
                continue
            score = _score(Levenshtein, span, key, term.letters, term.key)
            if term.sounds_like:
                score = max(score, _score(Levenshtein, span, key, term.sounds_like, term.sounds_like_key))
            score = max(score, phonemes.similarity(sounds, term.phonemes))
            if score > best[0]:
                best = (score, term)
        return best


def _score(lev: Any, span: str, key: str, term_letters: str, term_key: str) -> float:
    raw = float(lev.normalized_similarity(span, term_letters))
    sound = float(lev.normalized_similarity(key, term_key)) if key and term_key else raw
    return 0.4 * raw + 0.6 * sound


def _ends_clause(word: str) -> bool:
    return word.rstrip().endswith((",", ".", ";", ":", "?", "!"))


def _terms_for_prompt(terms: Sequence[Term], budget: int) -> list[str]:
    """Rarest first (ordinary words need no help), in file order among equals, within ``budget``."""
    ranked = sorted(range(len(terms)), key=lambda i: (terms[i].common, i))
    picked: list[str] = []
    used = 0
    seen: set[str] = set()
    for i in ranked:
        text = terms[i].display
        if text.casefold() in seen:
            continue
        cost = len(text) + 2
        if used + cost > budget:
            continue
        picked.append(text)
        seen.add(text.casefold())
        used += cost
    return picked


def glossary(terms: Sequence[str]) -> str:
    """A punctuated, capitalised sentence: a bare lower-case list makes Whisper drop punctuation."""
    return ", ".join(terms) + "." if terms else ""


def compile_vocabulary(entries: Sequence[Mapping[str, Any]], language_code: str) -> CompiledVocabulary:
    """Entries as parsed from a vocabulary ({"phrase","sounds_like","ipa","display_as"})."""
    terms: list[Term] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        display = display_text(dict(entry)).strip()
        phrase_letters = letters(str(entry["phrase"]))
        if not display or not phrase_letters or (phrase_letters, display) in seen:
            continue
        seen.add((phrase_letters, display))
        sounds = letters(str(entry.get("sounds_like") or ""))
        n_words = len([p for p in re.split(r"[\s-]+", display_text({"phrase": entry["phrase"]})) if p])
        n_words = max(n_words, len([p for p in str(entry.get("sounds_like") or "").split("-") if p]))
        parts = [p for p in re.split(r"[\s-]+", str(entry["phrase"])) if p]
        common = len(parts) == 1 and is_common(phrase_letters, language_code)
        ipa = str(entry.get("ipa") or "").strip()
        sounds_raw = str(entry.get("sounds_like") or "").strip()
        if ipa:
            spoken = phonemes.ipa_classes(ipa)
        elif sounds_raw:
            spoken = phonemes.sounds_like_classes(sounds_raw)
        else:
            spoken = phonemes.text_classes(parts)
        terms.append(
            Term(
                display,
                phrase_letters,
                sounds,
                phonetic_key(str(entry["phrase"])),
                phonetic_key(sounds),
                max(1, n_words),
                common,
                spoken,
                bool(ipa or sounds_raw),
            )
        )
    prompt = _terms_for_prompt(terms, MAX_PROMPT_CHARS)
    return CompiledVocabulary(language_code, tuple(terms), glossary(prompt))
