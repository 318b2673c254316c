"""Names in uncased transcripts, and the number and address forms added with them.

Sentences written for these tests, none taken from a held-out set (bench/data/pii_heldout*.jsonl),
which stay measurements. Each form is tested with a near miss that must stay unredacted.
"""

from __future__ import annotations

import pytest

from workers.engines.pii import PiiDetector, get_detector
from workers.engines.pii.casing import is_uncased, ordinary, restore_case
from workers.engines.pii.normalise import normalise
from workers.engines.pii.recognizers import aba_ok


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return get_detector()


def found(detector: PiiDetector, text: str) -> list[tuple[str, str]]:
    words = text.split()
    return [(e.type, " ".join(words[e.start : e.end])) for e in detector.detect(words)]


def test_uncased_text_is_recognised() -> None:
    assert is_uncased("okay so i called about the bill")
    assert not is_uncased("Okay, so I called Hannah about the bill.")
    assert not is_uncased("Hello")  # one word says nothing


def test_ordinary_words_are_not_names() -> None:
    for word in ("will", "grace", "rose", "frank", "bill", "chase", "banks", "hunter", "april", "monday"):
        assert ordinary(word), word
    for word in ("rachel", "derek", "john", "tomasz", "kwabena"):
        assert not ordinary(word), word


def test_restore_case_capitalises_names_only_in_uncased_text() -> None:
    assert restore_case("yes tell ingrid the parcel came") == "yes tell Ingrid the parcel came"
    # a listed name beside an unusual word: both are parts of the name
    assert restore_case("this is chidi okoro from accounts") == "this is Chidi Okoro from accounts"
    # ordinary words that are also names stay words; cased text is left alone
    assert restore_case("my grace period ends may first") == "my grace period ends may first"
    assert restore_case("Tell ingrid the parcel came.") == "Tell ingrid the parcel came."
    # same length, so every offset still maps to its word
    text = "ok so ask for wojciech about it"
    assert len(restore_case(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # no lead at all: NER on the case-restored text
        ("so yeah ingrid said the engineer would come monday", [("NAME", "ingrid")]),
        ("okay thanks chidi okoro i'll wait for the email", [("NAME", "chidi okoro")]),
        # a listed name after a word that introduces a person
        ("my nephew mateusz set it up for me", [("NAME", "mateusz")]),
        ("Can I talk to Gwen about my order?", [("NAME", "Gwen")]),
        # a spelling after an uncased name stays its own entity
        ("hi this is farida f a r i d a", [("NAME", "farida"), ("NAME", "f a r i d a")]),
        # ordinary words that are names too, in uncased speech
        ("will you mark it as paid and bill me in may", []),
        ("my grace period ended so to be frank i'm annoyed", []),
        ("thanks for your patience how can i help", []),
    ],
)
def test_uncased_names(detector: PiiDetector, text: str, want: list[tuple[str, str]]) -> None:
    assert found(detector, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # CVV described by where it is printed
        ("and the code on the back is seven one two", [("CREDIT_DEBIT_CVV", "seven one two")]),
        ("the three digits on the back of my card are 905", [("CREDIT_DEBIT_CVV", "905")]),
        ("the number on the back of the parcel is 3318", []),
        # a four-digit tail said with "ending" alone, or "ends"
        ("the savings account ending 6 6 0 2 please", [("BANK_ACCOUNT_NUMBER", "6 6 0 2")]),
        ("my mastercard ends 7 7 1 9", [("CREDIT_DEBIT_NUMBER", "7 7 1 9")]),
        ("the promo ending 2 2 0 0 is over", []),
        # routing: "check" only for nine digits; UK sort codes
        ("it's the number on the bottom of the check 0 9 1 0 0 0 0 1 9", [("BANK_ROUTING", "0 9 1 0 0 0 0 1 9")]),
        ("let me check 4 things first", []),
        ("the sort code is 60-16-13", [("BANK_ROUTING", "60-16-13")]),
        # international and UK national phone numbers, spoken and written
        ("you can reach me on +33 1 70 36 39 50", [("PHONE", "+33 1 70 36 39 50")]),
        (
            "call plus six one four one two three four five six seven eight",
            [("PHONE", "plus six one four one two three four five six seven eight")],
        ),
        (
            "my mobile is oh seven nine double oh nine treble one two three",
            [("PHONE", "oh seven nine double oh nine treble one two three")],
        ),
        ("it went up by plus 20 percent", []),
        # addresses: rural routes, street-type-first, unnumbered streets, spoken postcodes
        ("mail it to RR 7 Box 21 Ada Oklahoma", [("ADDRESS", "RR 7 Box 21 Ada Oklahoma")]),
        ("I live at 40 rue du Bac", [("ADDRESS", "40 rue du Bac")]),
        (
            "Send it to Station Road, Long Melford, Sudbury CO10 9HP",
            [("ADDRESS", "Station Road, Long Melford, Sudbury CO10 9HP")],
        ),
        ("the postcode is b one one a a", [("ADDRESS", "b one one a a")]),
        ("twelve elm street halifax nova scotia", [("ADDRESS", "twelve elm street halifax nova scotia")]),
        ("Station Road was closed all week", []),
    ],
)
def test_new_forms(detector: PiiDetector, text: str, want: list[tuple[str, str]]) -> None:
    assert found(detector, text) == want


def test_normaliser_international_prefix() -> None:
    assert normalise(["plus", "four", "four", "two", "oh", "seven", "one"]).text == "plus 442071"  # too short
    assert normalise(["plus", "four", "four", "two", "oh", "seven", "nine", "four", "six"]).text == "+44207946"
    assert normalise(["two", "plus", "two"]).text == "2 plus 2"
    assert normalise(["seven", "double", "oh"]).text == "700"
    assert normalise(["treble", "nine"]).text == "999"


def test_aba_checksum() -> None:
    assert aba_ok("011000015")
    assert not aba_ok("011000016")
    assert not aba_ok("12345")
