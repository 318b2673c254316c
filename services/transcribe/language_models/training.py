"""What "training" a custom language model means in Harken, as pure functions over text.

Whisper cannot be re-trained per customer at request time, but it can be steered: a prompt of
domain terms, and hotword-style term lists, shift it toward the words of the domain. So training
reads the customer's text, counts terms and recurring word pairs, and ranks them against general
language (the ``wordfreq`` frequency lists): a word the domain uses far more often than everyday
text does is what a general recognizer gets wrong. The most telling ones (with their usual spelling
and capitalisation) become the artifact the recognizer uses later. Tuning data is what AWS
describes as text closest to the audio; its counts weigh more.
"""

from __future__ import annotations

import codecs
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: v2: terms ranked against general language, full artifact in S3 (v1 models show UpgradeAvailability).
ARTIFACT_FORMAT = "harken-clm-v2"
#: AWS limits: 2 GB of training data and 200 MB of tuning data in total.
MAX_TRAINING_BYTES = 2 * 1024**3
MAX_TUNING_BYTES = 200 * 1024**2
#: How much more a word seen in tuning data counts than one seen in training data.
TUNING_WEIGHT = 3
TOP_TERMS = 1000
TOP_PHRASES = 200
#: Whisper keeps at most 223 prompt tokens and needs room for the previous window's text too.
MAX_PROMPT_CHARS = 360
#: Fewer words than this cannot rank a domain's terms against general language ("too little text").
MIN_TRAINING_WORDS = 100
#: General-language frequency given to words wordfreq has never seen (rarer than any it lists).
_UNSEEN_FREQUENCY = 1e-9
#: Terms rarer than this in general language (about once in a million words, Zipf 3) are the
#: domain's own words: they also feed near-miss correction of transcripts.
RARE_FREQUENCY = 1e-6
#: A line longer than this (a file without newlines) is cut at the last space to bound memory.
_MAX_PENDING_CHARS = 1 << 20

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")

#: Function words that say nothing about a domain. Only English is listed; for other languages very
#: short words are left out instead.
_STOPWORDS_EN = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't",
    "doing", "don't", "down", "during", "each", "few", "for", "from", "further", "had", "hadn't", "has",
    "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's", "her", "here", "here's",
    "hers", "herself", "him", "himself", "his", "how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if",
    "in", "into", "is", "isn't", "it", "it's", "its", "itself", "let's", "me", "more", "most",
    "mustn't", "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other",
    "ought", "our", "ours", "ourselves", "out", "over", "own", "same", "shan't", "she", "she'd",
    "she'll", "she's", "should", "shouldn't", "so", "some", "such", "than", "that", "that's", "the",
    "their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "they'd",
    "they'll", "they're", "they've", "this", "those", "through", "to", "too", "under", "until", "up",
    "very", "was", "wasn't", "we", "we'd", "we'll", "we're", "we've", "were", "weren't", "what",
    "what's", "when", "when's", "where", "where's", "which", "while", "who", "who's", "whom", "why",
    "why's", "will", "with", "won't", "would", "wouldn't", "you", "you'd", "you'll", "you're", "you've",
    "your", "yours", "yourself", "yourselves", "also", "just", "like", "yes", "yeah", "okay", "oh",
    "um", "uh", "well", "get", "got", "go", "going", "one", "two", "three", "say", "said", "know",
    "think", "really", "right", "now",
])


class TrainingDataError(ValueError):
    """The data cannot train a model; the message is the model's FailureReason."""


def is_stopword(term: str, language_code: str) -> bool:
    lowered = term.lower()
    if language_code.startswith("en-"):
        return lowered in _STOPWORDS_EN or len(lowered) < 2
    return len(lowered) < 4


@dataclass
class CorpusStats:
    """Counts over one data set (training or tuning)."""

    files: int = 0
    bytes: int = 0
    words: int = 0
    surfaces: Counter[str] = field(default_factory=Counter)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add_line(self, line: str, language_code: str) -> None:
        tokens = _WORD.findall(line)
        self.words += len(tokens)
        self.surfaces.update(tokens)
        for a, b in itertools.pairwise(tokens):
            if not is_stopword(a, language_code) and not is_stopword(b, language_code):
                self.pairs[(a, b)] += 1

    def summary(self) -> dict[str, int]:
        return {"files": self.files, "bytes": self.bytes, "words": self.words}


def decode_lines(chunks: Iterable[bytes], name: str) -> Iterator[str]:
    """Lines of a UTF-8 stream, failing with the file's name on the first invalid byte."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    pending = ""
    offset = 0
    try:
        for chunk in chunks:
            text = decoder.decode(chunk)
            offset += len(chunk)
            if "\x00" in text:
                raise TrainingDataError(f"The training file {name} isn't plain text (it contains NUL bytes).")
            pending += text
            *lines, pending = pending.split("\n")
            yield from lines
            if len(pending) > _MAX_PENDING_CHARS:
                cut = pending.rfind(" ")
                cut = cut if cut > 0 else len(pending)
                yield pending[:cut]
                pending = pending[cut:]
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise TrainingDataError(
            f"The training file {name} isn't UTF-8 plain text (invalid byte near offset {offset}).") from None
    if pending:
        yield pending


def general_frequency(word: str, language_code: str) -> float:
    """How often ``word`` occurs in general text of the language (wordfreq's blend of Wikipedia,
    subtitles, news, books, web and social text), with a floor for words it has never seen."""
    try:
        from wordfreq import word_frequency

        return max(float(word_frequency(word, language_code.split("-")[0])), _UNSEEN_FREQUENCY)
    except (ImportError, LookupError, ValueError):
        return _UNSEEN_FREQUENCY


def _keyness(count: int, total: int, general: float) -> float:
    """How much more the domain uses a term than general language does, weighted by how much
    evidence there is: log2(domain rate / general rate) * log2(1 + count). The ratio dominates, so
    a rare word seen a few times outranks an everyday word the domain repeats ("apixaban" before
    "patients"); positive means distinctive."""
    return math.log2((count / max(total, 1)) / general) * math.log2(1 + count)


def _ranked_terms(stats: list[tuple[CorpusStats, int]], language_code: str) -> list[dict[str, Any]]:
    weighted: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for corpus, weight in stats:
        for surface, n in corpus.surfaces.items():
            key = surface.lower()
            if is_stopword(key, language_code):
                continue
            weighted[key] += n * weight
            spelling.setdefault(key, Counter())[surface] += n
    total = sum(weighted.values())
    scored = []
    for key, n in weighted.items():
        general = general_frequency(key, language_code)
        score = _keyness(n, total, general)
        if score > 0:
            scored.append((score, key, n, general))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [{"term": spelling[key].most_common(1)[0][0], "count": n, "score": round(score, 2),
             "rare": general < RARE_FREQUENCY}
            for score, key, n, general in scored[:TOP_TERMS]]


def _ranked_phrases(stats: list[tuple[CorpusStats, int]], language_code: str) -> list[dict[str, Any]]:
    weighted: Counter[tuple[str, str]] = Counter()
    spelling: dict[tuple[str, str], Counter[str]] = {}
    for corpus, weight in stats:
        for (a, b), n in corpus.pairs.items():
            key = (a.lower(), b.lower())
            weighted[key] += n * weight
            spelling.setdefault(key, Counter())[f"{a} {b}"] += n
    total = sum(weighted.values())
    scored = []
    for key, n in weighted.items():
        if n < 2:
            continue
        # Independence baseline: how often the two words would meet by chance in general text.
        general = max(general_frequency(key[0], language_code) * general_frequency(key[1], language_code),
                      _UNSEEN_FREQUENCY**2)
        scored.append((_keyness(n, total, general), key, n))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [{"phrase": spelling[key].most_common(1)[0][0], "count": n}
            for score, key, n in scored[:TOP_PHRASES] if score > 0]


def build_prompt(terms: list[dict[str, Any]], phrases: list[dict[str, Any]]) -> str:
    """A glossary sentence within MAX_PROMPT_CHARS: the most distinctive recurring phrases, then
    single terms not already covered by a phrase. It ends with a full stop: a bare list makes
    Whisper drop punctuation and capitals in what it writes next."""
    picked: list[str] = []
    covered: set[str] = set()
    for p in phrases[:8]:
        picked.append(p["phrase"])
        covered.update(p["phrase"].lower().split())
    picked.extend(t["term"] for t in terms if t["term"].lower() not in covered)
    out = ""
    for item in picked:
        candidate = f"{out}, {item}" if out else item
        if len(candidate) + 1 > MAX_PROMPT_CHARS:
            break
        out = candidate
    return out + "." if out else out


def build_artifacts(training: CorpusStats, tuning: CorpusStats | None, *, language_code: str,
                    base_model_name: str) -> dict[str, Any]:
    if training.words == 0:
        raise TrainingDataError("The training data contains no words. Provide plain-text files with "
                                "sentences from your domain.")
    if training.words < MIN_TRAINING_WORDS:
        raise TrainingDataError(
            f"The training data contains only {training.words} words; at least {MIN_TRAINING_WORDS} are "
            "needed to tell the domain's terms from ordinary language. Add more text from your domain.")
    weighted = [(training, 1)] + ([(tuning, TUNING_WEIGHT)] if tuning else [])
    terms = _ranked_terms(weighted, language_code)
    phrases = _ranked_phrases(weighted, language_code)
    return {
        "format": ARTIFACT_FORMAT,
        "language_code": language_code,
        "base_model_name": base_model_name,
        "training": training.summary(),
        "tuning": tuning.summary() if tuning else None,
        "terms": terms,
        "phrases": phrases,
        "prompt": build_prompt(terms, phrases),
    }
