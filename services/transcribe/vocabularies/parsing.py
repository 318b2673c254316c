"""Custom vocabulary files and phrase lists, parsed into entries the recognizer can use.

Two file formats exist (AWS developer guide, "Creating a custom vocabulary"): the table (a header
row naming the columns Phrase, SoundsLike, IPA and DisplayAs in any order, one TAB between
columns) and the deprecated list (entries separated by newlines or commas). Medical vocabularies
accept only the table. Files must be UTF-8 with LF line endings and at most 50 KB.

An entry is ``{"phrase", "sounds_like", "ipa", "display_as"}`` (absent values are None); this is
the shape stored in ``Vocabulary.entries`` and read by the transcription pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from services.transcribe.vocabularies import charset

#: AWS: "The size limit is 50 KB" for vocabulary files and filter files.
MAX_FILE_BYTES = 50 * 1024
COLUMNS = ("Phrase", "SoundsLike", "IPA", "DisplayAs")

#: AWS's wording for a vocabulary it rejects (note the typographic apostrophe).
INVALID_VOCABULARY = ("The vocabulary that you\u2019re trying to create contains invalid characters or "
                      "incorrectly formatted terms. See the developer guide for more information.")

Entry = dict[str, Any]


@dataclass
class VocabularyFormatError(Exception):
    """A vocabulary AWS would refuse; ``detail`` says where and why, for FailureReason."""

    detail: str

    def __str__(self) -> str:
        return f"{INVALID_VOCABULARY} ({self.detail})"


def _entry(phrase: str, sounds_like: str = "", ipa: str = "", display_as: str = "") -> Entry:
    return {"phrase": phrase, "sounds_like": sounds_like or None, "ipa": ipa or None,
            "display_as": display_as or None}


def parse_phrases(phrases: list[str], language_code: str) -> list[Entry]:
    """The ``Phrases`` request member: each item one list-format entry."""
    entries = []
    for i, phrase in enumerate(phrases, start=1):
        problem = charset.phrase_problem(phrase, language_code)
        if problem:
            raise VocabularyFormatError(f"phrase {i} {phrase!r} {problem}")
        entries.append(_entry(phrase))
    return entries


def decode_file(data: bytes, what: str = "vocabulary file") -> str:
    if len(data) > MAX_FILE_BYTES:
        raise VocabularyFormatError(
            f"the {what} is {len(data)} bytes; the limit is 50 KB ({MAX_FILE_BYTES} bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise VocabularyFormatError(
            f"the {what} is not UTF-8 text (invalid byte at offset {exc.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        raise VocabularyFormatError(
            f"the {what} has CRLF (Windows) line endings; save it with LF line endings")
    return text


def _is_header(line: str) -> bool:
    return "\t" in line or line.strip() in COLUMNS


def parse_file(data: bytes, language_code: str, *, table_only: bool = False) -> list[Entry]:
    """Parse a vocabulary file (table or list). Raises VocabularyFormatError."""
    text = decode_file(data)
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise VocabularyFormatError("the vocabulary file is empty")
    if _is_header(lines[first]):
        return _parse_table(lines, first, language_code)
    if table_only:
        raise VocabularyFormatError(
            "the first line must be the header row Phrase, SoundsLike, IPA, DisplayAs separated by tabs")
    return _parse_list(text, language_code)


def _parse_table(lines: list[str], header_at: int, language_code: str) -> list[Entry]:
    header = lines[header_at].split("\t")
    if sorted(header) != sorted(COLUMNS):
        raise VocabularyFormatError(
            f"line {header_at + 1}: the header row must name the four columns Phrase, SoundsLike, IPA "
            f"and DisplayAs (in any order) separated by single tabs; got {lines[header_at]!r}")
    order = [COLUMNS.index(name) for name in header]
    entries: list[Entry] = []
    for n, line in enumerate(lines[header_at + 1:], start=header_at + 2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) > len(COLUMNS):
            raise VocabularyFormatError(
                f"line {n} has {len(fields)} columns; separate the four columns with a single tab")
        fields += [""] * (len(COLUMNS) - len(fields))
        values = [""] * len(COLUMNS)
        for pos, value in zip(order, fields, strict=True):
            values[pos] = value
        phrase, sounds_like, ipa, display_as = values
        problem = charset.phrase_problem(phrase, language_code)
        if problem:
            raise VocabularyFormatError(f"line {n}: the Phrase {phrase!r} {problem}")
        if sounds_like and ipa:
            raise VocabularyFormatError(f"line {n}: a row can have SoundsLike or IPA, not both")
        for column, value, check in (("SoundsLike", sounds_like, charset.sounds_like_problem),
                                     ("IPA", ipa, charset.ipa_problem)):
            problem = check(value) if value else None
            if problem:
                raise VocabularyFormatError(f"line {n}: the {column} {value!r} {problem}")
        display_as = display_as.strip()
        problem = charset.display_as_problem(display_as)
        if problem:
            raise VocabularyFormatError(f"line {n}: the DisplayAs {display_as!r} {problem}")
        entries.append(_entry(phrase, sounds_like, ipa, display_as))
    if not entries:
        raise VocabularyFormatError("the vocabulary table has a header row but no entries")
    return entries


def _parse_list(text: str, language_code: str) -> list[Entry]:
    entries = []
    for n, line in enumerate(text.split("\n"), start=1):
        for item in line.split(","):
            phrase = item.strip()
            if not phrase:
                continue
            problem = charset.phrase_problem(phrase, language_code)
            if problem:
                raise VocabularyFormatError(f"line {n}: the phrase {phrase!r} {problem}")
            entries.append(_entry(phrase))
    if not entries:
        raise VocabularyFormatError("the vocabulary file contains no phrases")
    return entries


def render_table(entries: list[Entry]) -> bytes:
    """The stored vocabulary file behind DownloadUri, in table format."""
    rows = ["\t".join(COLUMNS)]
    for e in entries:
        rows.append("\t".join(e.get(k) or "" for k in ("phrase", "sounds_like", "ipa", "display_as")))
    return ("\n".join(rows) + "\n").encode()


_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+$")


def display_text(entry: Entry) -> str:
    """How an entry should read in a transcript: DisplayAs, else the Phrase with its hyphens and
    acronym periods undone (``Los-Angeles`` → ``Los Angeles``, ``A.B.C.-s`` → ``ABCs``)."""
    if entry.get("display_as"):
        return str(entry["display_as"])
    out: list[str] = []
    for part in str(entry["phrase"]).split("-"):
        if _ACRONYM.match(part):
            out.append(part.replace(".", ""))
        elif part == "s" and out and out[-1].isupper():
            out[-1] += "s"
        else:
            out.append(part)
    return " ".join(out)


def display_terms(entries: list[Entry]) -> list[str]:
    """Distinct display forms, in file order: what a recognizer prompt or hotword list needs."""
    seen: dict[str, None] = {}
    for e in entries:
        seen.setdefault(display_text(e), None)
    return list(seen)
