"""Vocabulary tables, lists and phrases; filter word lists; CLM corpus statistics (pure code)."""

from __future__ import annotations

import pytest

from services.transcribe.language_models import training
from services.transcribe.vocabularies.parsing import (
    INVALID_VOCABULARY,
    MAX_FILE_BYTES,
    VocabularyFormatError,
    display_terms,
    parse_file,
    parse_phrases,
    render_table,
)
from services.transcribe.vocabulary_filters import parsing as filters

TABLE = (
    "Phrase\tSoundsLike\tIPA\tDisplayAs\n"
    "Los-Angeles\t\tl ɔ s æ n ʤ ə l ə s\tLos Angeles\n"
    "A.B.C.-s\tay-bee-sees\t\t\n"
    "Amazon-dot-com\t\t\tAmazon.com\n"
    "C.L.I.\t\ts ɪ ɛ l aɪ\tCLI\n"  # noqa: RUF001
    "Dynamo-D.B.\t\t\tDynamoDB\n"
)


def test_table_parses_into_entries() -> None:
    entries = parse_file(TABLE.encode(), "en-US")
    assert entries[0] == {"phrase": "Los-Angeles", "sounds_like": None, "ipa": "l ɔ s æ n ʤ ə l ə s",
                          "display_as": "Los Angeles"}
    assert entries[1]["sounds_like"] == "ay-bee-sees"
    assert display_terms(entries) == ["Los Angeles", "ABCs", "Amazon.com", "CLI", "DynamoDB"]


def test_table_columns_in_any_order_and_short_rows() -> None:
    data = "DisplayAs\tPhrase\tIPA\tSoundsLike\nEva Maria\tEva-Maria\n\tKubernetes\n"
    entries = parse_file(data.encode(), "en-US")
    assert [e["phrase"] for e in entries] == ["Eva-Maria", "Kubernetes"]
    assert entries[0]["display_as"] == "Eva Maria"


def test_round_trip_through_rendered_table() -> None:
    entries = parse_file(TABLE.encode(), "en-US")
    assert parse_file(render_table(entries), "en-US") == entries


def test_list_format_comma_and_line_separated() -> None:
    entries = parse_file(b"Los-Angeles,CLI\nEva-Maria\n\nABCs\n", "en-US")
    assert [e["phrase"] for e in entries] == ["Los-Angeles", "CLI", "Eva-Maria", "ABCs"]


@pytest.mark.parametrize(("data", "needle"), [
    ("Phrase\tSoundsLike\tIPA\tDisplayAs\nLos Angeles\t\t\t\n", "contains a space"),
    ("Phrase\tSoundsLike\tIPA\tDisplayAs\nVX02Q\t\t\t\n", "digit"),
    ("Phrase\tSoundsLike\tIPA\tDisplayAs\nEva-Maria\tay-va\tə v ə\t\n", "SoundsLike or IPA, not both"),
    ("Phrase\tSoundsLike\tIPA\n", "header row"),
    ("Phrase\tSoundsLike\tIPA\tDisplayAs\na\tb\tc\td\te\n", "5 columns"),
    ("Phrase\tSoundsLike\tIPA\tDisplayAs\r\nCLI\t\t\t\r\n", "CRLF"),
    ("Phrase\tSoundsLike\tIPA\tDisplayAs\n", "no entries"),
    ("Phrase\tSoundsLike\tIPA\tDisplayAs\n-Hawn\t\t\t\n", "starts with a hyphen"),
    ("Phrase\tSoundsLike\tIPA\tDisplayAs\nfoo\t\tl  ɔ\t\n", "single spaces"),
    ("Phrase\tSoundsLike\tIPA\tDisplayAs\nfoo\tfoo bar\t\t\n", "separate syllables"),
    ("héllo,wörld,naïve,C++\n", "'+'"),
    ("", "empty"),
])
def test_invalid_files_name_the_problem(data: str, needle: str) -> None:
    with pytest.raises(VocabularyFormatError) as exc:
        parse_file(data.encode(), "en-US")
    assert needle in str(exc.value)
    assert str(exc.value).startswith(INVALID_VOCABULARY)


def test_size_and_encoding_limits() -> None:
    with pytest.raises(VocabularyFormatError, match="50 KB"):
        parse_file(b"abc\n" * (MAX_FILE_BYTES // 4 + 1), "en-US")
    with pytest.raises(VocabularyFormatError, match="UTF-8"):
        parse_file(b"caf\xe9\n", "en-US")


def test_medical_requires_the_table() -> None:
    with pytest.raises(VocabularyFormatError, match="header row"):
        parse_file(b"appendectomy\n", "en-US", table_only=True)


def test_phrases_follow_the_language_character_set() -> None:
    assert parse_phrases(["Andorra-la-Vella", "O'Neil", "C.L.I."], "en-US")[2]["phrase"] == "C.L.I."
    assert parse_phrases(["東京"], "ja-JP")[0]["phrase"] == "東京"
    with pytest.raises(VocabularyFormatError, match="character set"):
        parse_phrases(["東京"], "en-US")
    with pytest.raises(VocabularyFormatError, match="phrase 2"):
        parse_phrases(["ok", "not ok"], "en-US")


def test_filter_words() -> None:
    assert filters.parse_file(b"darn\r\nHeck\n\n gosh \n", "en-US") == ["darn", "Heck", "gosh"]
    with pytest.raises(filters.FilterFormatError, match="line 2"):
        filters.parse_file(b"darn\ntwo words\n", "en-US")
    with pytest.raises(filters.FilterFormatError, match="no words"):
        filters.parse_file(b"\n\n", "en-US")
    with pytest.raises(filters.FilterFormatError, match="word 1"):
        filters.check_words(["bad word"], "en-US")


def test_corpus_statistics_and_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(training, "MIN_TRAINING_WORDS", 5)
    train = training.CorpusStats(files=1, bytes=100)
    chunks = [b"The Kubernetes kubelet talks to etcd.\nKubernetes ", b"kubelet logs\n"]
    for line in training.decode_lines(chunks, "s3://b/k"):
        train.add_line(line, "en-US")
    tune = training.CorpusStats(files=1, bytes=10)
    tune.add_line("etcd quorum", "en-US")
    art = training.build_artifacts(train, tune, language_code="en-US", base_model_name="WideBand")
    terms = {t["term"]: t["count"] for t in art["terms"]}
    assert "The" not in terms and "the" not in terms
    assert terms["Kubernetes"] == 2 and terms["etcd"] == 1 + training.TUNING_WEIGHT
    ranked = [t["term"] for t in art["terms"]]
    assert ranked.index("kubelet") < ranked.index("talks")  # an everyday word ranks below jargon
    assert {t["term"]: t["rare"] for t in art["terms"]}["kubelet"] is True
    assert {"phrase": "etcd quorum", "count": training.TUNING_WEIGHT} in art["phrases"]
    assert {"phrase": "Kubernetes kubelet", "count": 2} in art["phrases"]
    assert "etcd quorum" in art["prompt"] and "Kubernetes kubelet" in art["prompt"]
    assert art["prompt"].endswith(".") and "talks" in art["prompt"]
    assert art["training"] == {"files": 1, "bytes": 100, "words": 9}


def test_too_little_text_fails_training() -> None:
    train = training.CorpusStats(files=1, bytes=30)
    train.add_line("Kubernetes kubelet talks to etcd", "en-US")
    with pytest.raises(training.TrainingDataError, match="only 5 words; at least 100"):
        training.build_artifacts(train, None, language_code="en-US", base_model_name="WideBand")


def test_corpus_rejects_binary_and_empty_data() -> None:
    with pytest.raises(training.TrainingDataError, match="UTF-8"):
        list(training.decode_lines([b"ok\n\xff\xfe"], "s3://b/bad.txt"))
    with pytest.raises(training.TrainingDataError, match="no words"):
        training.build_artifacts(training.CorpusStats(), None, language_code="en-US",
                                 base_model_name="WideBand")
