"""Bias decoding only where a vocabulary or language-model term was plausibly spoken.

A glossary prompt makes Whisper write invented terms it could never guess ("Quorvex" for what it
hears as "cormex"), but applied to a whole file it also nudges ordinary speech ("She reads my
book", a term's fragment in an everyday sentence) and makes Whisper recite the list over silence.
So the job's audio is decoded **without** bias first, and the bias is spent only where it is needed:

1. *Candidates*: a segment of the plain decode is re-decoded when some run of its words sounds like
   a term (``CompiledVocabulary.sound_score``: letters, Metaphone and phonemes from IPA, SoundsLike
   or the spelling) and the recogniser was not sure of those words — clearly heard ordinary words
   are never a candidate. Neighbouring candidates share one window of at most 30 s.
2. *Biased re-decode*: the window alone, with the glossary prompt (echoes of the prompt dropped).
3. *Keep only what is better supported*: the two readings are aligned word by word; a stretch where
   they differ takes the biased words only if they contain a term (or a near miss the correction
   pass fixes), the plain words there were doubtful or not ordinary words, and either
   - *sound*: the stretch holds one term, the plain words sound like the biased ones, and some run
     of the plain words sounds like that term as much as a candidate must; or
   - *the audio itself*, where the engine can score readings (``score_texts``: Whisper's
     log-probability of a text for the window's audio, without the prompt): the window's text with
     the biased words is at most ``LIKELIHOOD_DROP_PER_TERM`` less likely per term than the plain
     text, and the plain words sound at least a little like each term (``WEAK_SCORE``). This takes
     terms tiny.en heard as unrelated words ("and to" for Fentalune, two terms in a row) and still
     refuses a recited glossary or a term written over other speech, which cost far more.
   Everything else — every word the prompt changed without producing a term — stays as the plain
   decode heard it.

The correction pass (``Customization.apply``) then runs over the merged words as before. Decoding
cost: one plain decode plus one biased decode of each candidate window, and for a stretch the sound
test refuses, one encoder pass and two forced alignments of the window.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from workers.engines.base import Recognition, Recognizer, Segment, Word
from workers.pipeline import phonemes
from workers.pipeline.vocabulary import (
    KNOWN_ZIPF,
    UNSURE_PROBABILITY,
    CompiledVocabulary,
    Term,
    is_common,
    letters,
    phonetic_key,
    zipf,
)

RATE = 16_000
#: A run of words at least this close to a term (``sound_score``) makes its segment a candidate
#: when the recogniser doubted it (mean word probability below ``UNSURE_PROBABILITY``) or it holds
#: a word that is no word of the language; a run at least ``STRONG_SCORE`` close only needs not
#: to be ordinary words heard clearly. (Chosen on the benchmark's tuning set, not its measure set.)
CANDIDATE_SCORE = 0.5
STRONG_SCORE = 0.6
#: Words heard at least this surely, all ordinary words of the language, are never re-decoded.
CLEAR_PROBABILITY = 0.8
#: The plain words a biased stretch replaces must sound at least this much like it.
SUPPORT_SCORE = 0.5
#: Where the engine can score a reading (``score_texts``), a biased stretch the sound test refuses
#: is still taken when the audio alone supports it: the unprompted log-probability of the window's
#: text with the biased words may fall at most this much (natural log) per term below that of the
#: plain text — about what one invented word of three unlikely tokens costs — and some run of the
#: plain words must sound at least ``WEAK_SCORE`` like each term.
LIKELIHOOD_DROP_PER_TERM = 15.0
WEAK_SCORE = 0.25
#: Seconds of context around a candidate segment, and the longest window decoded at once.
PAD_SECONDS = 0.4
MAX_WINDOW_SECONDS = 30.0


@dataclass(frozen=True)
class Bias:
    """What the recognizer needs of a job's customisation for one language."""

    prompt: str
    vocabularies: tuple[CompiledVocabulary, ...]


@dataclass
class BiasStats:
    """Counts for logs and the benchmark: how much audio was decoded twice, what was kept."""

    calls: int = 0
    windows: int = 0
    window_seconds: float = 0.0
    audio_seconds: float = 0.0
    accepted: int = 0
    refused: int = 0


class SelectiveBiasRecognizer:
    """A ``Recognizer`` that decodes plainly and re-decodes with the bias only where a term was
    plausibly spoken. ``bias_for(language)`` gives the bias for the language of each call (a
    multi-language job calls once per language span), or None where nothing applies."""

    def __init__(self, engine: Recognizer, bias_for: Callable[[str | None], Bias | None]) -> None:
        self.engine = engine
        self.bias_for = bias_for
        self.stats = BiasStats()

    def detect_language(self, audio: np.ndarray, candidates: Sequence[str] | None = None) -> list[tuple[str, float]]:
        return self.engine.detect_language(audio, candidates)

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        hotwords: str | None = None,
    ) -> Recognition:
        plain = self.engine.transcribe(audio, language=language, initial_prompt=initial_prompt, hotwords=hotwords)
        bias = self.bias_for(language)
        self.stats.calls += 1
        self.stats.audio_seconds += len(audio) / RATE
        if bias is None or not bias.prompt or not bias.vocabularies:
            return plain
        windows = candidate_windows(plain.segments, bias.vocabularies, len(audio) / RATE)
        words = [list(seg.words) for seg in plain.segments]
        for start, end in windows:
            self.stats.windows += 1
            self.stats.window_seconds += end - start
            from workers.pipeline.customization import drop_echoes

            clip = audio[int(start * RATE) : int(end * RATE)]
            biased = drop_echoes(
                self.engine.transcribe(clip, language=language, initial_prompt=bias.prompt), bias.prompt
            )
            heard = [
                Word(w.text, round(w.start + start, 3), round(w.end + start, 3), w.probability)
                for seg in biased.segments
                for w in seg.words
            ]
            scorer = _scorer(self.engine, clip, language)
            accepted, refused = merge(words, heard, start, end, bias.vocabularies, scorer)
            self.stats.accepted += accepted
            self.stats.refused += refused
        segments = [
            seg if tuple(ws) == seg.words else Segment(seg.start, seg.end, "".join(w.text for w in ws), tuple(ws))
            for seg, ws in zip(plain.segments, words, strict=True)
        ]
        return Recognition(plain.language, plain.language_probability, segments)


Scorer = Callable[[Sequence[str]], list[float]]


def _scorer(engine: Recognizer, clip: np.ndarray, language: str | None) -> Scorer | None:
    """The engine's unprompted scoring of readings of ``clip``, where it has one."""
    score = getattr(engine, "score_texts", None)
    if score is None:
        return None

    def scorer(texts: Sequence[str]) -> list[float]:
        return list(score(clip, texts, language=language))

    return scorer


def _clear(words: Sequence[Word], language_code: str) -> bool:
    """Ordinary words heard surely: nothing for a vocabulary to do there."""
    if not words:
        return True
    mean = sum(w.probability for w in words) / len(words)
    return mean >= CLEAR_PROBABILITY and all(is_common(letters(w.text), language_code) for w in words)


def _doubtful(words: Sequence[Word], language_code: str) -> bool:
    mean = sum(w.probability for w in words) / len(words)
    return mean < UNSURE_PROBABILITY or any(zipf(letters(w.text), language_code) < KNOWN_ZIPF for w in words)


def is_candidate(words: Sequence[Word], vocabularies: Sequence[CompiledVocabulary]) -> bool:
    """Does some run of ``words`` (one segment) plausibly hold a term the decode missed?"""
    texts = [w.text for w in words]
    for vocab in vocabularies:
        if not vocab.terms:
            continue
        longest = max(t.words for t in vocab.terms) + 2  # "Sorry to conceal" for Sarnoxil
        exact = {i for a, b, _ in vocab.exact_terms(texts) for i in range(a, b)}
        for i in range(len(words)):
            for n in range(1, min(longest, len(words) - i) + 1):
                run = words[i : i + n]
                if exact.intersection(range(i, i + n)) or _clear(run, vocab.language_code):
                    continue
                if len(letters("".join(texts[i : i + n]))) < 3:
                    continue
                score, _ = vocab.sound_score(texts[i : i + n])
                if score >= STRONG_SCORE or (score >= CANDIDATE_SCORE and _doubtful(run, vocab.language_code)):
                    return True
    return False


def candidate_windows(
    segments: Sequence[Segment], vocabularies: Sequence[CompiledVocabulary], duration: float
) -> list[tuple[float, float]]:
    """Time windows (seconds) to re-decode with the bias, neighbours joined up to 30 s."""
    out: list[list[float]] = []
    for seg in segments:
        if not seg.words or not is_candidate(seg.words, vocabularies):
            continue
        start = max(0.0, min(seg.start, seg.words[0].start) - PAD_SECONDS)
        end = min(duration, max(seg.end, seg.words[-1].end) + PAD_SECONDS)
        if out and start <= out[-1][1] + PAD_SECONDS and end - out[-1][0] <= MAX_WINDOW_SECONDS:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, min(end, start + MAX_WINDOW_SECONDS)])
    return [(a, b) for a, b in out]


def _sounds_alike(a: Sequence[str], b: Sequence[str]) -> float:
    la, lb = "".join(letters(w) for w in a), "".join(letters(w) for w in b)
    if not la or not lb:
        return 0.0
    from rapidfuzz.distance import Levenshtein

    keys = float(Levenshtein.normalized_similarity(phonetic_key(la), phonetic_key(lb)))
    return max(keys, phonemes.similarity(phonemes.text_classes(a), phonemes.text_classes(b)))


def _terms_in(
    words: Sequence[Word], vocabularies: Sequence[CompiledVocabulary]
) -> list[tuple[CompiledVocabulary, Term]]:
    """The distinct stretches of ``words`` that are a term: spelled exactly, or a near miss the
    correction pass would turn into it ("Pentalune"), with their term."""
    texts = [w.text for w in words]
    probs = [w.probability for w in words]
    spans: dict[tuple[int, int], tuple[CompiledVocabulary, Term]] = {}
    for vocab in vocabularies:
        by_display = {t.display: t for t in vocab.terms}
        for c in vocab.correct(texts, probs):
            if c.text in by_display:
                spans.setdefault((c.start, c.end), (vocab, by_display[c.text]))
        for a, b, term in vocab.exact_terms(texts):
            spans[(a, b)] = (vocab, term)
    out: list[tuple[CompiledVocabulary, Term]] = []
    reach = -1
    for (a, b), hit in sorted(spans.items(), key=lambda item: item[0]):
        if a >= reach:
            out.append(hit)
        reach = max(reach, b)
    return out


def _heard_as(words: Sequence[Word], vocab: CompiledVocabulary, term: Term) -> float:
    """How much some run of the plain ``words`` sounds like ``term`` (the evidence that made the
    window a candidate must be in the stretch the term replaces)."""
    texts = [w.text for w in words]
    longest = term.words + 2
    return max(
        (
            vocab.sound_score(texts[i : i + n], term)[0]
            for i in range(len(texts))
            for n in range(1, min(longest, len(texts) - i) + 1)
        ),
        default=0.0,
    )


def _invented(found: list[tuple[CompiledVocabulary, Term]], language: str) -> list[tuple[CompiledVocabulary, Term]]:
    """Of several terms in one stretch, those that are no word of the language: a language model's
    rare real words ("firewalls") next to a product name ("Torvane firewall") are not a recited
    glossary, and the product name is what the stretch is about."""
    if len(found) < 2:
        return found
    invented = [f for f in found if zipf(f[1].letters, language) < KNOWN_ZIPF]
    return invented or found


def merge(
    words: list[list[Word]],
    heard: Sequence[Word],
    start: float,
    end: float,
    vocabularies: Sequence[CompiledVocabulary],
    scorer: Scorer | None = None,
) -> tuple[int, int]:
    """Put the biased words ``heard`` in window [start, end) into the per-segment ``words`` where
    they are better supported (see the module docstring). ``scorer`` gives the unprompted
    log-probability of readings of the window's audio, where the engine has it. Returns (stretches
    taken, refused)."""
    at = [(s, k) for s, ws in enumerate(words) for k, w in enumerate(ws) if start <= (w.start + w.end) / 2 < end]
    plain = [words[s][k] for s, k in at]
    matcher = difflib.SequenceMatcher(
        None, [letters(w.text) for w in plain], [letters(w.text) for w in heard], autojunk=False
    )
    accepted = refused = 0
    replace: list[tuple[int, int, list[Word]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue  # words only one reading has: the plain decode stays
        old, new = plain[i1:i2], list(heard[j1:j2])
        new_texts = [w.text for w in new]
        found = _terms_in(new, vocabularies)
        if not found:
            continue
        language = vocabularies[0].language_code
        found = _invented(found, language)
        if _clear(old, language):
            refused += 1
            continue
        heard_as = [_heard_as(old, vocab, term) for vocab, term in found]
        # Sound support: one term, the plain words sound like the biased ones and like that term.
        # Several terms where the plain decode heard other words are taken only with the audio's
        # support below: a recited glossary ("BrevantiMax, Tenzarine, Velmorix,") costs far more
        # than a term or two said in a row.
        sounds = (
            len(found) == 1
            and heard_as[0] >= CANDIDATE_SCORE
            and _sounds_alike([w.text for w in old], new_texts) >= SUPPORT_SCORE
        )
        if not sounds and not _likely(plain, i1, i2, new, len(found), min(heard_as), scorer):
            refused += 1
            continue
        replace.append((i1, i2, new))
        accepted += 1
    for i1, i2, new in reversed(replace):
        first_seg, first_k = at[i1]
        targets = at[i1:i2]
        lead = words[first_seg][first_k].text[:1] == " " or first_k > 0
        if lead and new and not new[0].text.startswith(" "):
            new[0] = Word(" " + new[0].text, new[0].start, new[0].end, new[0].probability)
        for s, k in sorted(targets[1:], reverse=True):
            del words[s][k]
        words[first_seg][first_k : first_k + 1] = new
    return accepted, refused


def _likely(
    plain: Sequence[Word], i1: int, i2: int, new: Sequence[Word], terms: int, heard: float, scorer: Scorer | None
) -> bool:
    """Does the audio alone (no prompt) support the window's text with ``plain[i1:i2]`` replaced by
    ``new`` nearly as well as the plain text, allowing ``LIKELIHOOD_DROP_PER_TERM`` per term?"""
    if scorer is None or heard < WEAK_SCORE:
        return False
    before = "".join(w.text for w in plain)
    after = "".join(w.text for w in plain[:i1]) + " " + " ".join(w.text.strip() for w in new)
    after += "".join(w.text for w in plain[i2:])
    old_score, new_score = scorer([before, after])
    return new_score - old_score >= -LIKELIHOOD_DROP_PER_TERM * terms
