"""Which characters a vocabulary phrase or a filter word may hold.

AWS publishes one character set per language; they share a shape: letters of the language's
script, plus apostrophe, hyphen and period (hyphens join the words of a phrase, periods mark
spelled-out letters), and no digits, spaces or other punctuation. Rather than ship a table per
language, Harken checks that shape with Unicode categories, and for English variants additionally
requires Latin letters, which is what the English character set amounts to.
"""

from __future__ import annotations

import unicodedata

#: Punctuation allowed inside a phrase: apostrophe, hyphen (joins words), period (acronyms).
PHRASE_PUNCTUATION = frozenset("'-.")
#: AWS's per-entry limit (Phrase, SoundsLike, IPA and DisplayAs alike).
MAX_ENTRY_CHARS = 256


def _is_letter(ch: str, language_code: str) -> bool:
    cat = unicodedata.category(ch)
    if not (cat.startswith("L") or cat.startswith("M")):
        return False
    if language_code.startswith("en-") and cat.startswith("L"):
        return "LATIN" in unicodedata.name(ch, "")
    return True


def _character_problem(text: str, language_code: str) -> str | None:
    for ch in text:
        if ch.isspace():
            return "contains a space; join the words of a phrase with hyphens (Los-Angeles)"
        if ch.isdigit():
            return "contains a digit; spell numbers out (zero-two)"
        if ch not in PHRASE_PUNCTUATION and not _is_letter(ch, language_code):
            return f"contains the character {ch!r}, which is not in the {language_code} character set"
    return None


def phrase_problem(phrase: str, language_code: str) -> str | None:
    """Why ``phrase`` is not a valid Phrase entry, or None when it is."""
    if not phrase:
        return "is empty"
    if len(phrase) > MAX_ENTRY_CHARS:
        return f"is longer than {MAX_ENTRY_CHARS} characters"
    problem = _character_problem(phrase, language_code)
    if problem:
        return problem
    if phrase[0] in "-.":
        return "starts with a hyphen or period"
    if phrase.endswith("-"):
        return "ends with a hyphen"
    if "--" in phrase:
        return "contains two hyphens in a row"
    if not any(_is_letter(ch, language_code) for ch in phrase):
        return "contains no letters"
    return None


def word_problem(word: str, language_code: str) -> str | None:
    """Why ``word`` is not a valid vocabulary-filter entry (one word, vocabulary character set)."""
    if not word:
        return "is empty"
    if len(word) > MAX_ENTRY_CHARS:
        return f"is longer than {MAX_ENTRY_CHARS} characters"
    if any(ch.isspace() for ch in word):
        return "contains a space; each entry can only contain one word"
    return _character_problem(word, language_code)


def sounds_like_problem(value: str) -> str | None:
    if len(value) > MAX_ENTRY_CHARS:
        return f"is longer than {MAX_ENTRY_CHARS} characters"
    if any(ch.isspace() for ch in value):
        return "contains a space; separate syllables with hyphens (loss-ann-gel-es)"
    if any(ch.isdigit() for ch in value):
        return "contains a digit"
    if value.startswith("-") or value.endswith("-") or "--" in value:
        return "has an empty syllable (a leading, trailing or doubled hyphen)"
    for ch in value:
        cat = unicodedata.category(ch)
        if ch not in PHRASE_PUNCTUATION and not (cat.startswith("L") or cat.startswith("M")):
            return f"contains the character {ch!r}"
    return None


def ipa_problem(value: str) -> str | None:
    if len(value) > MAX_ENTRY_CHARS:
        return f"is longer than {MAX_ENTRY_CHARS} characters"
    if value != value.strip() or "  " in value:
        return "must separate phonemes with single spaces, without leading or trailing spaces"
    for token in value.split(" "):
        if len(token) > 3:
            return f"contains {token!r}; separate every IPA symbol with a space"
        for ch in token:
            if ch.isdigit() or (ch.isascii() and not ch.isalpha()):
                return f"contains the character {ch!r}, which is not an IPA symbol"
    return None


def display_as_problem(value: str) -> str | None:
    if len(value) > MAX_ENTRY_CHARS:
        return f"is longer than {MAX_ENTRY_CHARS} characters"
    for ch in value:
        if unicodedata.category(ch).startswith("C"):
            return f"contains the control character {ch!r}"
    return None
