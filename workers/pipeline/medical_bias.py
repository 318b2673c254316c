"""Recognition biasing for medical jobs: the clinical lexicon plus the job's medical vocabulary.

Two levers, both outside the model:

* a decoding prompt (``initial_prompt``) that lists the vocabulary's terms and the lexicon's most
  common ones, so Whisper prefers "lisinopril" to "this in April" — and, for DICTATION jobs, shows
  spoken punctuation commands as words, so they are kept as words for the dictation stage;
* ``correct``: after decoding, word runs that spell a term once joined ("lisin opril", "C O P D")
  become the term, a vocabulary phrase becomes its DisplayAs form, and near misses of lexicon or
  vocabulary words ("hyperlypidemia") are fixed when the match is close and unambiguous.

``MedicalBias`` has the shape of the general vocabulary stage's ``CompiledVocabulary`` (hotwords,
initial_prompt, correct), so the two can be merged once that stage lands. Pure code: the worker
loads the vocabulary entries and hands them in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from workers.engines.base import Recognition, Recognizer, Segment, Word
from workers.engines.nbest import Hypothesis
from workers.pipeline import clinical_lexicon as lexicon

#: Whisper keeps only the last ~223 prompt tokens; about 3.5 characters per token for these terms.
MAX_PROMPT_CHARS = 700
#: A near miss must be at least this similar (difflib ratio) to be replaced, and clearly the best.
SINGLE_WORD_RATIO = 0.85
JOINED_WORDS_RATIO = 0.9
MIN_CORRECTABLE_LENGTH = 6
#: A prompt makes Whisper likelier to invent a closing line ("Thank you for watching.") in the last
#: half second; such a segment packs words faster than anyone speaks. Trailing segments with at
#: least this many words at more than this many words per second are dropped.
TAIL_MIN_WORDS = 3
TAIL_MAX_WORDS_PER_SECOND = 6.0
DICTATION_PROMPT = ("Dictation with spoken punctuation: the patient denies chest pain comma fever "
                    "comma or chills period new paragraph")

_KEY = re.compile(r"[^0-9a-z]+")
_LEAD = "¿¡([{\"“"
_TRAIL = ".,?!;:…)]}\"”"


def key_of(text: str) -> str:
    """Letters and digits only, lower case: "S.T.E.M.I.-s" and "Stemis" share the key "stemis"."""
    return _KEY.sub("", text.lower())


@dataclass(frozen=True)
class Term:
    #: What the transcript shows (DisplayAs, else the phrase with hyphens as spaces).
    display: str
    #: Keys a run of recognised words may join to (phrase, SoundsLike).
    keys: tuple[str, ...]
    #: Abbreviations match only as spelled letters or dotted/upper-case forms ("bid" is a word).
    spelled_only: bool = False
    #: Custom vocabulary terms keep their case; lexicon words follow the sentence.
    keep_case: bool = False


@dataclass
class MedicalBias:
    hotwords: str | None = None
    initial_prompt: str | None = None
    terms: list[Term] = field(default_factory=list)
    #: One-word written forms (key → display) that near misses are corrected to.
    targets: dict[str, str] = field(default_factory=dict)
    #: Keys of real words that must never be corrected into something else.
    protected: frozenset[str] = frozenset()
    #: key → term; the first term with a key wins (vocabulary terms come before the lexicon's).
    by_key: dict[str, Term] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for term in self.terms:
            for k in term.keys:
                self.by_key.setdefault(k, term)

    def correct(self, words: Sequence[Word]) -> list[Word]:
        return correct_words(words, self)


def _vocabulary_term(entry: dict[str, object]) -> Term | None:
    phrase = str(entry.get("phrase") or "").strip()
    if not phrase:
        return None
    display = str(entry.get("display_as") or "").strip() or phrase.replace("-", " ")
    keys = [key_of(phrase)]
    sounds = str(entry.get("sounds_like") or "").strip()
    if sounds:
        keys.append(key_of(sounds))
    return Term(display=display, keys=tuple(k for k in keys if k), keep_case=True)


def compile_bias(vocabulary: Iterable[dict[str, object]] | None, *, use_lexicon: bool,
                 dictation: bool) -> MedicalBias:
    """The bias for one job. ``vocabulary``: the medical vocabulary's parsed table entries."""
    terms: list[Term] = []
    prompt_terms: list[str] = []
    targets: dict[str, str] = {}
    for entry in vocabulary or ():
        term = _vocabulary_term(entry)
        if term is None:
            continue
        terms.append(term)
        prompt_terms.append(term.display)
        if " " not in term.display:
            targets[key_of(term.display)] = term.display
    protected: set[str] = set()
    if use_lexicon:
        for key, display in lexicon.ABBREVIATIONS.items():
            terms.append(Term(display=display, keys=(key,), spelled_only=True, keep_case=True))
        for phrase in lexicon.multi_word_terms():
            terms.append(Term(display=phrase, keys=(key_of(phrase),)))
        for word in lexicon.single_word_terms():
            terms.append(Term(display=word, keys=(key_of(word),)))
            targets.setdefault(key_of(word), word)
        protected = {key_of(w) for w in lexicon.CONFUSABLE}
        prompt_terms.extend(t for t in lexicon.PROMPT_TERMS if t not in prompt_terms)
    prompt = _prompt(prompt_terms, dictation)
    return MedicalBias(initial_prompt=prompt, terms=terms, targets=targets,
                       protected=frozenset(protected))


def _prompt(terms: Sequence[str], dictation: bool) -> str | None:
    parts: list[str] = []
    if dictation:
        parts.append(DICTATION_PROMPT + ".")
    budget = MAX_PROMPT_CHARS - sum(len(p) + 1 for p in parts)
    listed: list[str] = []
    for term in terms:
        if budget - len(term) - 2 < 0:
            break
        listed.append(term)
        budget -= len(term) + 2
    if listed:
        # Phrased as a sentence: a bare header ("Clinical note:") made Whisper invent closing lines.
        parts.append("The patient's medications and conditions include " + ", ".join(listed) + ".")
    return " ".join(parts) or None


# --------------------------------------------------------------------------- correction


def _split(text: str) -> tuple[str, str, str, str]:
    """(leading space, opening marks, core, closing marks) of a model word such as " (COPD),"."""
    space = text[: len(text) - len(text.lstrip())]
    rest = text.strip()
    i = 0
    while i < len(rest) and rest[i] in _LEAD:
        i += 1
    j = len(rest)
    while j > i and rest[j - 1] in _TRAIL:
        j -= 1
    return space, rest[:i], rest[i:j], rest[j:]


def _is_spelled(cores: Sequence[str]) -> bool:
    """Letters read aloud: several one-letter words, or one dotted / upper-case word ("C.O.P.D.")."""
    if len(cores) > 1:
        return all(len(key_of(c)) == 1 for c in cores)
    core = cores[0]
    return bool(re.fullmatch(r"(?:[A-Za-z]\.?-?)+", core)) and ("." in core or core.isupper())


def _case_like(display: str, original_core: str, keep_case: bool) -> str:
    if keep_case or not original_core:
        return display
    if original_core[:1].isupper() and display[:1].islower():
        return display[:1].upper() + display[1:]
    return display


def _replace(span: Sequence[Word], display: str, keep_case: bool) -> list[Word]:
    space, lead, first_core, _ = _split(span[0].text)
    _, _, _, trail = _split(span[-1].text)
    shown = _case_like(display, first_core, keep_case).split()
    start, end = span[0].start, span[-1].end
    prob = min(w.probability for w in span)
    step = (end - start) / len(shown)
    out: list[Word] = []
    for n, part in enumerate(shown):
        text = (space or " ") + (lead if n == 0 else "") + part + (trail if n == len(shown) - 1 else "")
        out.append(Word(text=text, start=round(start + n * step, 3),
                        end=round(end if n == len(shown) - 1 else start + (n + 1) * step, 3),
                        probability=prob))
    return out


def _match_term(words: Sequence[Word], i: int, bias: MedicalBias) -> tuple[int, Term] | None:
    """The longest run starting at ``i`` that joins to a term's key (no punctuation inside)."""
    best: tuple[int, Term] | None = None
    joined = ""
    cores: list[str] = []
    for j in range(i, min(len(words), i + 8)):
        _, lead, core, trail = _split(words[j].text)
        if not core or (j > i and lead):
            break
        cores.append(core)
        joined += key_of(core)
        term = bias.by_key.get(joined)
        if term is not None and (not term.spelled_only or _is_spelled(cores)):
            best = (j + 1 - i, term)
        if trail:
            break
    return best


def _near_miss(core: str, bias: MedicalBias, ratio: float) -> str | None:
    key = key_of(core)
    if len(key) < MIN_CORRECTABLE_LENGTH or key in bias.targets or key in bias.protected:
        return None
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, t).ratio(), t) for t in bias.targets
         if t[0] == key[0] and abs(len(t) - len(key)) <= 3),
        reverse=True,
    )
    if not scored or scored[0][0] < ratio:
        return None
    if len(scored) > 1 and scored[1][0] > scored[0][0] - 0.03:
        return None  # two terms equally close: guessing would be worse than leaving it
    return bias.targets[scored[0][1]]


def correct_words(words: Sequence[Word], bias: MedicalBias) -> list[Word]:
    out: list[Word] = []
    i = 0
    while i < len(words):
        found = _match_term(words, i, bias)
        if found is not None:
            n, term = found
            span = words[i: i + n]
            if n > 1 or _split(span[0].text)[2] != term.display:
                out.extend(_replace(span, term.display, term.keep_case))
            else:
                out.append(span[0])
            i += n
            continue
        word = words[i]
        _, _, core, trail = _split(word.text)
        if core and " " not in core:
            # Two words that join into a near miss ("lisin april") before one word alone.
            if i + 1 < len(words) and not trail:
                _, lead2, core2, _ = _split(words[i + 1].text)
                fixed2 = _near_miss(core + core2, bias, JOINED_WORDS_RATIO) if core2 and not lead2 else None
                if fixed2 and key_of(core) not in bias.targets and key_of(core2) not in bias.targets:
                    out.extend(_replace(words[i: i + 2], fixed2, False))
                    i += 2
                    continue
            fixed = _near_miss(core, bias, SINGLE_WORD_RATIO)
            if fixed:
                out.extend(_replace([word], fixed, False))
                i += 1
                continue
        out.append(word)
        i += 1
    return out


def drop_invented_tail(segments: list[Segment]) -> list[Segment]:
    out = list(segments)
    while out:
        seg = out[-1]
        span = max(seg.end - seg.start, 0.05)
        if len(seg.words) >= TAIL_MIN_WORDS and len(seg.words) / span > TAIL_MAX_WORDS_PER_SECOND:
            out.pop()
            continue
        break
    return out


class BiasedRecognizer:
    """A ``Recognizer`` that decodes with the bias's prompt and corrects what comes back.

    A prompt or hotwords passed by the caller (the general vocabulary stage) go first: a job's own
    vocabulary is more specific than the lexicon."""

    def __init__(self, engine: Recognizer, bias: MedicalBias) -> None:
        self.engine = engine
        self.bias = bias

    def transcribe(self, audio: np.ndarray, *, language: str | None = None,
                   initial_prompt: str | None = None, hotwords: str | None = None) -> Recognition:
        prompt = " ".join(p for p in (initial_prompt, self.bias.initial_prompt) if p) or None
        words_hot = " ".join(h for h in (hotwords, self.bias.hotwords) if h) or None
        rec = self.engine.transcribe(audio, language=language, initial_prompt=prompt, hotwords=words_hot)
        segments = []
        for seg in drop_invented_tail(rec.segments):
            fixed = tuple(self.bias.correct(seg.words))
            text = "".join(w.text for w in fixed) if fixed != seg.words else seg.text
            segments.append(Segment(start=seg.start, end=seg.end, text=text, words=fixed))
        return Recognition(language=rec.language, language_probability=rec.language_probability,
                           segments=segments)

    def detect_language(self, audio: np.ndarray, candidates: Sequence[str] | None = None
                        ) -> list[tuple[str, float]]:
        return self.engine.detect_language(audio, candidates)

    @property
    def alternatives(self) -> Callable[..., list[Hypothesis]]:
        """The engine's n-best (ShowAlternatives) with the same corrections as the best reading.

        An AttributeError when the engine has none, so ``hasattr`` answers as for the bare engine.
        The hypotheses are decoded without the prompt (n-best decoding takes none); the lexicon and
        vocabulary corrections still apply to their words."""
        nbest = getattr(self.engine, "alternatives")  # noqa: B009 - AttributeError is the answer

        def corrected(audio: np.ndarray, *, language: str | None = None, n: int = 2) -> list[Hypothesis]:
            out: list[Hypothesis] = []
            for hyp in nbest(audio, language=language, n=n):
                words = tuple(self.bias.correct(hyp.words))
                text = "".join(w.text for w in words).strip() if words != hyp.words else hyp.text
                out.append(Hypothesis(text, hyp.score, words))
            return out

        return corrected
