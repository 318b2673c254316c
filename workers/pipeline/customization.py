"""A job's custom vocabulary, vocabulary filter and custom language model, applied to a transcript.

The worker resolves the names in the request to loaded resources (``workers.customizations``);
this module decides which of them apply and applies them, purely:

* **which**: AWS applies a resource only when its language is the job's language — the requested
  ``LanguageCode`` or, with language identification, the identified one — and silently skips it
  otherwise. With ``LanguageIdSettings`` the resources listed for the identified language are used;
  a plain job uses ``Settings``/``ModelSettings``.
* **during recognition**: ``bias`` merges the vocabulary's and the language model's glossary prompt
  (vocabulary first: the customer's own list outranks mined terms) within Whisper's budget; the
  selective decoder (``selective_bias``) spends it only on windows where a term was plausibly said.
* **after recognition**: ``drop_echoes`` removes what biasing is known to make Whisper invent
  (the prompt repeated over trailing silence, zero-length words), then ``apply`` corrects
  vocabulary terms and finally runs the vocabulary filter, so a filtered word is filtered in the
  form the customer will read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from workers.engines.base import Recognition, Segment
from workers.pipeline import vocabulary_filter
from workers.pipeline.transcript import PRONUNCIATION, PUNCTUATION, Token
from workers.pipeline.vocabulary import MAX_PROMPT_CHARS, CompiledVocabulary, letters

#: The key of resources named in Settings/ModelSettings (not per language).
JOB_LEVEL = "*"
#: A segment whose words average below this confidence, or run faster than this many words per
#: second, is not speech but an echo of the prompt (only checked when decoding was biased).
ECHO_PROBABILITY = 0.15
ECHO_WORDS_PER_SECOND = 9.0
#: A segment with at least this many glossary terms making up at least this share of its words is
#: the prompt recited ("Zyloquent, Quorvex, Ubrinex, Ubrinex.").
RECITED_TERMS = 3
RECITED_SHARE = 0.75


@dataclass(frozen=True)
class FilterSpec:
    words: tuple[str, ...]
    method: str
    language_code: str


@dataclass(frozen=True)
class LanguageModelBias:
    """What a trained custom language model contributes (see language_models/training.py)."""

    language_code: str
    initial_prompt: str
    #: The model's distinctive rare terms, as a vocabulary for near-miss correction.
    vocabulary: CompiledVocabulary | None = None


@dataclass(frozen=True)
class Customization:
    vocabulary: CompiledVocabulary | None = None
    vocabulary_filter: FilterSpec | None = None
    language_model: LanguageModelBias | None = None

    def for_language(self, language_code: str | None) -> Customization:
        """Only the parts whose language is the job's (AWS: a mismatch is skipped, no error)."""

        def ok(code: str | None) -> bool:
            return language_code is not None and code == language_code

        return Customization(
            self.vocabulary if self.vocabulary and ok(self.vocabulary.language_code) else None,
            self.vocabulary_filter if self.vocabulary_filter and ok(self.vocabulary_filter.language_code) else None,
            self.language_model if self.language_model and ok(self.language_model.language_code) else None,
        )

    def bias(self) -> str | None:
        """The glossary prompt (vocabulary first, then the language model) within Whisper's budget,
        or None when nothing applies. It is given only to the windows the selective decoder
        re-decodes (``selective_bias``), each at most 30 s, so no ``hotwords`` are needed to carry
        it across windows."""
        prompt = [
            p
            for p in (
                self.vocabulary.initial_prompt if self.vocabulary else "",
                self.language_model.initial_prompt if self.language_model else "",
            )
            if p
        ]
        initial = _fit(" ".join(prompt), MAX_PROMPT_CHARS)
        if initial and not initial.endswith("."):
            initial = initial.rstrip(",;: ") + "."  # a cut glossary still ends as a sentence
        return initial or None

    def term_lists(self) -> tuple[CompiledVocabulary, ...]:
        """The compiled term lists whose terms justify a biased re-decode."""
        lm = self.language_model.vocabulary if self.language_model else None
        return tuple(v for v in (self.vocabulary, lm) if v is not None and v.terms)

    def apply(self, tokens: Sequence[Token]) -> list[Token]:
        out = list(tokens)
        # The customer's own vocabulary corrects last, so its spelling (DisplayAs) wins over the
        # spelling a language model mined from text.
        for vocab in (self.language_model.vocabulary if self.language_model else None, self.vocabulary):
            if vocab is not None:
                out = correct_tokens(out, vocab)
        if self.vocabulary_filter is not None:
            out = vocabulary_filter.apply_filter(out, self.vocabulary_filter.words, self.vocabulary_filter.method)
        return out


@dataclass(frozen=True)
class JobCustomizations:
    """Per-language resources (LanguageIdSettings) and the job-level ones (key ``JOB_LEVEL``)."""

    by_language: Mapping[str, Customization] = field(default_factory=dict)

    def pick(self, language_code: str | None) -> Customization:
        chosen = (
            (self.by_language.get(language_code) if language_code else None)
            or self.by_language.get(JOB_LEVEL)
            or Customization()
        )
        return chosen.for_language(language_code)

    def __bool__(self) -> bool:
        return bool(self.by_language)

    def apply(self, tokens: Sequence[Token], language_code: str | None, label: str | None = None) -> list[Token]:
        """Corrections and filter of each language on its own words: with IdentifyMultipleLanguages
        every token carries its span's language under ``label``, and each run of one language gets
        that language's resources (LanguageIdSettings), as AWS documents; otherwise all tokens get
        ``language_code``'s."""
        if label is None or not any(label in t.labels for t in tokens):
            return self.pick(language_code).apply(tokens)
        out: list[Token] = []
        run: list[Token] = []
        run_language: str | None = None
        for t in tokens:
            code = t.labels.get(label, run_language)
            if run and code != run_language:
                out.extend(self.pick(run_language).apply(run))
                run = []
            run_language = code
            run.append(t)
        if run:
            out.extend(self.pick(run_language).apply(run))
        return out


def _fit(text: str, budget: int) -> str:
    """Cut a comma list at the last whole item within ``budget`` characters."""
    if len(text) <= budget:
        return text
    cut = text.rfind(", ", 0, budget)
    return text[:cut] if cut > 0 else text[:budget]


def drop_echoes(recognition: Recognition, prompt: str | None = None) -> Recognition:
    """Remove segments a biased decoder invents: repeats of the prompt over trailing silence come
    out with near-zero word confidences, or as many words squeezed into a few hundred ms; and a
    segment that is mostly the glossary recited (three or more of its terms making up most of the
    words) is the prompt, not speech."""
    glossary = {letters(t) for t in (prompt or "").rstrip(".").split(", ") if letters(t)}
    kept: list[Segment] = []
    for seg in recognition.segments:
        words = seg.words
        if words:
            mean_p = sum(w.probability for w in words) / len(words)
            span = max(words[-1].end - words[0].start, 1e-3)
            if mean_p < ECHO_PROBABILITY or (len(words) >= 2 and len(words) / span > ECHO_WORDS_PER_SECOND):
                continue
            recited = sum(1 for w in words if letters(w.text) in glossary)
            if recited >= RECITED_TERMS and recited / len(words) >= RECITED_SHARE:
                continue
        kept.append(seg)
    if len(kept) == len(recognition.segments):
        return recognition
    return replace(recognition, segments=kept)


def _shown_words(tokens: Sequence[Token]) -> tuple[list[int], list[str]]:
    """Indexes of word tokens and each word with the punctuation that follows it ("Fry,")."""
    at = [i for i, t in enumerate(tokens) if t.type == PRONUNCIATION]
    shown: list[str] = []
    for n, i in enumerate(at):
        nxt = at[n + 1] if n + 1 < len(at) else len(tokens)
        shown.append(tokens[i].content + "".join(t.content for t in tokens[i + 1 : nxt] if t.type == PUNCTUATION))
    return at, shown


def correct_tokens(tokens: Sequence[Token], vocab: CompiledVocabulary) -> list[Token]:
    """Replace corrected word runs by the term's written form: one token per written word, the
    run's time shared by letter count, confidence the run's mean. Punctuation after the run's last
    word stays; punctuation inside it goes (the term is one unit)."""
    at, shown = _shown_words(tokens)
    probs = [tokens[i].confidence for i in at]
    corrections = vocab.correct(shown, probs)
    if not corrections:
        return list(tokens)
    replace_at: dict[int, tuple[int, list[Token]]] = {}
    for c in corrections:
        first, last = at[c.start], at[c.end - 1]
        run = [tokens[i] for i in at[c.start : c.end]]
        replace_at[first] = (last, _spread(c.text, run))
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if i in replace_at:
            last, new = replace_at[i]
            out.extend(new)
            i = last + 1
        else:
            out.append(tokens[i])
            i += 1
    return out


def _spread(text: str, run: Sequence[Token]) -> list[Token]:
    start = run[0].start if run[0].start is not None else 0.0
    end = max((t.end for t in run if t.end is not None), default=start)
    conf = sum(t.confidence for t in run) / len(run)
    parts = text.split()
    total = sum(len(p) for p in parts) or 1
    out: list[Token] = []
    t = start
    for n, part in enumerate(parts):
        t_end = end if n == len(parts) - 1 else round(t + (end - start) * len(part) / total, 3)
        out.append(replace(run[0], type=PRONUNCIATION, content=part, start=round(t, 3), end=t_end, confidence=conf))
        t = t_end
    return out


def from_request_settings(settings: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The resource names a request asks for, per language key: ``{JOB_LEVEL: {...}}`` from
    Settings/ModelSettings and one entry per LanguageIdSettings language."""
    out: dict[str, dict[str, str]] = {}
    job: dict[str, str] = {}
    for key in ("VocabularyName", "VocabularyFilterName"):
        if settings.get(key):
            job[key] = str(settings[key])
    if job.get("VocabularyFilterName"):
        job["VocabularyFilterMethod"] = str(settings.get("VocabularyFilterMethod") or "mask")
    model = (settings.get("ModelSettings") or {}).get("LanguageModelName")
    if model:
        job["LanguageModelName"] = str(model)
    if job:
        out[JOB_LEVEL] = job
    method = settings.get("VocabularyFilterMethod")
    for lang, item in (settings.get("LanguageIdSettings") or {}).items():
        names = {
            k: str(v)
            for k, v in (item or {}).items()
            if k in ("VocabularyName", "VocabularyFilterName", "LanguageModelName") and v
        }
        if names.get("VocabularyFilterName"):
            # LanguageIdSettings has no method of its own: AWS takes Settings.VocabularyFilterMethod.
            names["VocabularyFilterMethod"] = str(method or "mask")
        if names:
            out[str(lang)] = names
    return out


def split_names(names: str | None) -> list[str]:
    """``VocabularyNames`` / ``VocabularyFilterNames`` (streaming): comma-separated, order kept."""
    return [n.strip() for n in (names or "").split(",") if n.strip()]


def pick_named(languages_by_name: Mapping[str, str], language_code: str | None) -> str | None:
    """Of the resources named in ``VocabularyNames`` or ``VocabularyFilterNames`` (name → its
    language, in request order), the one for the identified language, or None. AWS fails the
    stream when none of the vocabularies matches; that decision is the caller's."""
    for name, code in languages_by_name.items():
        if language_code is not None and code == language_code:
            return name
    return None
