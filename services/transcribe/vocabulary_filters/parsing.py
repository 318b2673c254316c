"""Vocabulary filter word lists: the ``Words`` request member or a UTF-8 file of line-separated
words (AWS: one word per entry, no spaces, the custom-vocabulary character set, at most 50 KB).
Matching is case-insensitive and whole-word, which is the pipeline's business, not this module's."""

from __future__ import annotations

from services.transcribe.vocabularies import charset
from services.transcribe.vocabularies.parsing import VocabularyFormatError, decode_file


class FilterFormatError(ValueError):
    """Why a word list is refused; the message is the BadRequestException text."""


def check_words(words: list[str], language_code: str) -> list[str]:
    for i, word in enumerate(words, start=1):
        problem = charset.word_problem(word, language_code)
        if problem:
            raise FilterFormatError(
                f"The vocabulary filter contains an invalid word: word {i} {word!r} {problem}.")
    return words


def parse_file(data: bytes, language_code: str) -> list[str]:
    try:
        text = decode_file(data.replace(b"\r\n", b"\n"), what="vocabulary filter file")
    except VocabularyFormatError as exc:
        raise FilterFormatError(f"The vocabulary filter file can't be used: {exc.detail}.") from None
    words: list[str] = []
    for n, line in enumerate(text.split("\n"), start=1):
        word = line.strip()
        if not word:
            continue
        problem = charset.word_problem(word, language_code)
        if problem:
            raise FilterFormatError(
                f"The vocabulary filter file contains an invalid word on line {n}: {word!r} {problem}.")
        words.append(word)
    if not words:
        raise FilterFormatError("The vocabulary filter file contains no words.")
    return words


def render(words: list[str]) -> bytes:
    """The stored file behind DownloadUri: one word per line."""
    return ("\n".join(words) + "\n").encode()
