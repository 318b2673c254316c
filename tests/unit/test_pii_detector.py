"""The PII detector on the labelled sentences (tests/data/pii/labelled.txt), one test per sentence,
plus the normaliser's written forms and the engine contract other helpers rely on."""

from __future__ import annotations

import itertools

import pytest

from tests.support.pii_labels import Sentence, load
from workers.engines.pii import AWS_PII_TYPES, PiiDetector, PiiEntity, get_detector, wanted_types
from workers.engines.pii.normalise import normalise

SENTENCES = load()


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return get_detector()


def test_the_labelled_set_covers_every_type_in_both_forms() -> None:
    assert len(SENTENCES) >= 60
    types = {t for s in SENTENCES for _, _, t in s.gold}
    assert types == set(AWS_PII_TYPES)
    assert sum(1 for s in SENTENCES if not s.gold) >= 15
    spoken = {t for s in SENTENCES for a, b, t in s.gold if any(w.isalpha() for w in s.words[a:b])}
    digits = {t for s in SENTENCES for a, b, t in s.gold if any(any(c.isdigit() for c in w) for w in s.words[a:b])}
    assert {"CREDIT_DEBIT_NUMBER", "PHONE", "SSN", "PIN", "BANK_ROUTING", "BANK_ACCOUNT_NUMBER",
            "CREDIT_DEBIT_CVV", "CREDIT_DEBIT_EXPIRY", "ADDRESS"} <= spoken & digits


@pytest.mark.parametrize("sentence", SENTENCES, ids=[s.text[:60] for s in SENTENCES])
def test_sentence(detector: PiiDetector, sentence: Sentence) -> None:
    found = detector.detect(sentence.words)
    got = [(e.start, e.end, e.type, " ".join(sentence.words[e.start:e.end])) for e in found]
    want = [(a, b, t, " ".join(sentence.words[a:b])) for a, b, t in sentence.gold]
    assert got == want
    assert all(0.0 < e.score <= 1.0 for e in found)


def test_only_requested_types_are_reported(detector: PiiDetector) -> None:
    words = ["My", "name", "is", "John", "Smith", "and", "my", "pin", "is", "four", "three", "two", "one"]
    assert [e.type for e in detector.detect(words, ["PIN"])] == ["PIN"]
    assert [e.type for e in detector.detect(words, ["NAME"])] == ["NAME"]
    assert [e.type for e in detector.detect(words, ["ALL"])] == ["NAME", "PIN"]
    assert detector.detect(words, ["EMAIL"]) == []
    assert wanted_types(None) == wanted_types([]) == wanted_types(["ALL"]) == frozenset(AWS_PII_TYPES)


def test_entities_are_sorted_and_never_overlap(detector: PiiDetector) -> None:
    text = ("my card number is 4111 1111 1111 1111 it expires oh three twenty seven the cvv is one two "
            "three and my name is Jane Doe")
    words = text.split()
    found = detector.detect(words)
    assert found == sorted(found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert isinstance(found[0], PiiEntity)


def test_long_input_is_windowed_without_losing_entities(detector: PiiDetector) -> None:
    filler = ["we", "talked", "about", "the", "weather", "and", "the", "game", "for", "a", "while"]
    words = filler * 50 + ["my", "pin", "is", "four", "three", "two", "one"] + filler * 50
    found = detector.detect(words)
    assert [(e.type, words[e.start]) for e in found] == [("PIN", "four")]


@pytest.mark.parametrize(("spoken", "written"), [
    ("four one one one one one one one one one one one one one one one", "4111111111111111"),
    ("oh three slash twenty seven", "03/27"),
    ("one hundred twenty three Main Street", "123 Main Street"),
    ("twenty twenty seven", "2027"),
    ("two thousand twenty five", "2025"),
    ("double five triple seven", "55777"),
    ("john dot smith at example dot com", "john.smith@example.com"),
    ("maria underscore garcia at gmail dot com", "maria_garcia@gmail.com"),
    ("the C V V", "the cvv"),
    ("oh I see", "oh I see"),
    ("I have two dogs", "I have 2 dogs"),
])
def test_normaliser_written_forms(spoken: str, written: str) -> None:
    assert normalise(spoken.split()).text == written


def test_normaliser_maps_characters_back_to_words() -> None:
    words = ["call", "one", "hundred", "twenty", "three", "now"]
    norm = normalise(words)
    start = norm.text.index("123")
    assert norm.words_for(start, start + 3) == (1, 5)
    assert norm.words_for(0, 4) == (0, 1)
