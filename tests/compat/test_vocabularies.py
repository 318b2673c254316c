"""Custom vocabularies through real boto3 against the running gateway, with processing run the
way the worker runs it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from services.core.settings import get_settings
from services.transcribe.vocabularies.inputs import S3_UNREADABLE
from services.transcribe.vocabularies.parsing import INVALID_VOCABULARY
from tests.compat.resource_support import error, process_vocabularies, tag_rows, unique, vocabulary_row

NOT_FOUND = ("The requested vocabulary couldn't be found. Check the vocabulary name and try your request "
             "again.")
CONFLICT = "The requested vocabulary name already exists. Use a different vocabulary name."
TABLE = "Phrase\tSoundsLike\tIPA\tDisplayAs\nLos-Angeles\t\t\tLos Angeles\nC.L.I.\t\ts ɪ ɛ l aɪ\tCLI\n"  # noqa: RUF001


def put(s3: Any, bucket: str, key: str, body: str | bytes) -> str:
    s3.put_object(Bucket=bucket, Key=key, Body=body.encode() if isinstance(body, str) else body)
    return f"s3://{bucket}/{key}"


def test_phrases_vocabulary_goes_pending_then_ready(transcribe: Any) -> None:
    name = unique("phr")
    created = transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-US",
                                           Phrases=["Los-Angeles", "Eva-Maria", "C.L.I."],
                                           Tags=[{"Key": "team", "Value": "a"}])
    assert created["VocabularyName"] == name and created["LanguageCode"] == "en-US"
    assert created["VocabularyState"] == "PENDING"
    assert created["LastModifiedTime"].tzinfo is not None
    assert "FailureReason" not in created
    pending = transcribe.get_vocabulary(VocabularyName=name)
    assert pending["VocabularyState"] == "PENDING" and "DownloadUri" not in pending
    assert tag_rows("vocabulary", name) == [("team", "a")]

    assert process_vocabularies(name) == "READY"
    assert process_vocabularies(name) is None  # idempotent: a redelivered task does nothing
    got = transcribe.get_vocabulary(VocabularyName=name)
    assert got["VocabularyState"] == "READY" and "FailureReason" not in got
    assert got["LastModifiedTime"] >= created["LastModifiedTime"]
    assert httpx.get(got["DownloadUri"]).text == "Los-Angeles\nEva-Maria\nC.L.I.\n"
    assert [e["phrase"] for e in vocabulary_row(name).entries] == ["Los-Angeles", "Eva-Maria", "C.L.I."]


@pytest.mark.parametrize("https", [False, True])
def test_table_file_from_s3(transcribe: Any, s3: Any, media_bucket: str, https: bool) -> None:
    name = unique("tbl")
    uri = put(s3, media_bucket, f"vocab/{name}.txt", TABLE)
    if https:
        uri = f"{get_settings().s3.endpoint_url}/{media_bucket}/vocab/{name}.txt"
    transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-US", VocabularyFileUri=uri,
                                 DataAccessRoleArn="arn:aws:iam::111122223333:role/Transcribe")
    assert process_vocabularies(name) == "READY"
    got = transcribe.get_vocabulary(VocabularyName=name)
    assert got["VocabularyState"] == "READY"
    assert got["DataAccessRoleArn"] == "arn:aws:iam::111122223333:role/Transcribe"
    assert httpx.get(got["DownloadUri"]).text == TABLE
    entries = vocabulary_row(name).entries
    assert entries[1] == {"phrase": "C.L.I.", "sounds_like": None, "ipa": "s ɪ ɛ l aɪ",  # noqa: RUF001
                          "display_as": "CLI"}


def test_bad_or_missing_file_fails_the_vocabulary(transcribe: Any, s3: Any, media_bucket: str) -> None:
    bad, missing = unique("bad"), unique("missing")
    uri = put(s3, media_bucket, f"vocab/{bad}.txt", "Phrase\tSoundsLike\tIPA\tDisplayAs\nLos Angeles\t\t\t\n")
    transcribe.create_vocabulary(VocabularyName=bad, LanguageCode="en-US", VocabularyFileUri=uri)
    transcribe.create_vocabulary(VocabularyName=missing, LanguageCode="en-US",
                                 VocabularyFileUri=f"s3://{media_bucket}/vocab/nope.txt")
    assert process_vocabularies(bad) == "FAILED"
    assert process_vocabularies(missing) == "FAILED"
    got = transcribe.get_vocabulary(VocabularyName=bad)
    assert got["VocabularyState"] == "FAILED"
    assert got["FailureReason"].startswith(INVALID_VOCABULARY) and "line 2" in got["FailureReason"]
    assert "DownloadUri" in got  # the input was readable, so it is kept for inspection
    got = transcribe.get_vocabulary(VocabularyName=missing)
    assert got["FailureReason"] == S3_UNREADABLE and "DownloadUri" not in got
    listed = transcribe.list_vocabularies(StateEquals="FAILED", NameContains=missing)
    assert [v["VocabularyName"] for v in listed["Vocabularies"]] == [missing]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "Either Phrases or VocabularyFileUri field should be provided."),
    ({"Phrases": ["a"], "VocabularyFileUri": "s3://b/k.txt"},
     "Either Phrases or VocabularyFileUri field should be provided."),
    ({"Phrases": []}, "1 validation error detected: Value '[]' at 'phrases' failed to satisfy constraint: "
                      "Member must have length greater than or equal to 1"),
])
def test_source_rules(transcribe: Any, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.create_vocabulary(VocabularyName=unique("src"), LanguageCode="en-US", **kwargs)
    assert error(exc) == ("BadRequestException", message, 400)


def test_invalid_phrases_are_refused_at_request_time(transcribe: Any) -> None:
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.create_vocabulary(VocabularyName=unique("inv"), LanguageCode="en-US",
                                     Phrases=["fine", "Los Angeles"])
    code, message, status = error(exc)
    assert (code, status) == ("BadRequestException", 400)
    assert message.startswith(INVALID_VOCABULARY) and "phrase 2" in message
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.create_vocabulary(VocabularyName=unique("inv"), LanguageCode="en-US",
                                     VocabularyFileUri="https://example.com/vocab.txt")
    assert "doesn't point to an S3 object" in error(exc)[1]


def test_model_validation_runs_first(transcribe: Any) -> None:
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.create_vocabulary(VocabularyName="has space", LanguageCode="en-US", Phrases=["a"])
    assert "vocabularyName" in error(exc)[1]


def test_duplicate_name_conflicts(transcribe: Any) -> None:
    name = unique("dup")
    transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-US", Phrases=["one"])
    with pytest.raises(transcribe.exceptions.ConflictException) as exc:
        transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-GB", Phrases=["two"])
    assert error(exc) == ("ConflictException", CONFLICT, 409)


def test_unknown_vocabulary(transcribe: Any, monkeypatch: pytest.MonkeyPatch, gateway_settings: Any) -> None:
    for call in (lambda: transcribe.get_vocabulary(VocabularyName="nope"),
                 lambda: transcribe.delete_vocabulary(VocabularyName="nope"),
                 lambda: transcribe.update_vocabulary(VocabularyName="nope", LanguageCode="en-US",
                                                      Phrases=["x"])):
        with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
            call()
        assert error(exc) == ("BadRequestException", NOT_FOUND, 400)
    monkeypatch.setattr(gateway_settings.api, "not_found_error", "NotFoundException")
    with pytest.raises(transcribe.exceptions.NotFoundException) as nf:
        transcribe.get_vocabulary(VocabularyName="nope")
    assert error(nf) == ("NotFoundException", NOT_FOUND, 404)


def test_update_reprocesses_and_stale_runs_do_nothing(transcribe: Any, s3: Any, media_bucket: str) -> None:
    name = unique("upd")
    transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-US", Phrases=["first"])
    assert process_vocabularies(name) == "READY"
    old_uri = transcribe.get_vocabulary(VocabularyName=name)["DownloadUri"]
    uri = put(s3, media_bucket, f"vocab/{name}.txt", TABLE)
    updated = transcribe.update_vocabulary(VocabularyName=name, LanguageCode="en-GB", VocabularyFileUri=uri)
    assert updated["VocabularyState"] == "PENDING" and updated["LanguageCode"] == "en-GB"
    assert vocabulary_row(name).revision == 2
    assert process_vocabularies(name, revision=1) is None  # the task sent for the first revision
    assert transcribe.get_vocabulary(VocabularyName=name)["VocabularyState"] == "PENDING"
    assert process_vocabularies(name, revision=2) == "READY"
    got = transcribe.get_vocabulary(VocabularyName=name)
    assert got["LanguageCode"] == "en-GB" and httpx.get(got["DownloadUri"]).text == TABLE
    assert httpx.get(old_uri).status_code == 404  # the superseded file was removed


def test_delete_removes_row_tags_and_file(transcribe: Any) -> None:
    name = unique("del")
    transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-US", Phrases=["gone"],
                                 Tags=[{"Key": "k", "Value": "v"}])
    process_vocabularies(name)
    download = transcribe.get_vocabulary(VocabularyName=name)["DownloadUri"]
    assert transcribe.delete_vocabulary(VocabularyName=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert vocabulary_row(name) is None and tag_rows("vocabulary", name) == []
    assert httpx.get(download).status_code == 404
    with pytest.raises(transcribe.exceptions.BadRequestException):
        transcribe.get_vocabulary(VocabularyName=name)
    # the name is free again
    transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-US", Phrases=["back"])


@pytest.mark.usefixtures("clean_db")
def test_listing_pages_newest_first_and_filters(transcribe: Any) -> None:
    names = [f"List-Vocab-{i}" for i in range(7)]
    for n in names:
        transcribe.create_vocabulary(VocabularyName=n, LanguageCode="en-US", Phrases=["x"])
    transcribe.create_vocabulary(VocabularyName="other", LanguageCode="en-US", Phrases=["x"])
    first = transcribe.list_vocabularies(NameContains="list-VOCAB")
    assert [v["VocabularyName"] for v in first["Vocabularies"]] == names[::-1][:5]  # default page size 5
    assert set(first["Vocabularies"][0]) == {"VocabularyName", "LanguageCode", "LastModifiedTime",
                                             "VocabularyState"}
    assert "Status" not in first
    second = transcribe.list_vocabularies(NameContains="list-VOCAB", NextToken=first["NextToken"])
    assert [v["VocabularyName"] for v in second["Vocabularies"]] == names[::-1][5:]
    assert "NextToken" not in second

    seen, token = [], None
    while True:
        kwargs = {"MaxResults": 3, **({"NextToken": token} if token else {})}
        page = transcribe.list_vocabularies(**kwargs)
        seen += [v["VocabularyName"] for v in page["Vocabularies"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == ["other", *names[::-1]]

    process_vocabularies(names[0])
    ready = transcribe.list_vocabularies(StateEquals="READY")
    assert ready["Status"] == "READY" and [v["VocabularyName"] for v in ready["Vocabularies"]] == [names[0]]
    with pytest.raises(ClientError) as exc:  # a token is bound to its filters
        transcribe.list_vocabularies(NameContains="other", NextToken=first["NextToken"])
    assert error(exc)[0] == "BadRequestException"
    with pytest.raises(ClientError) as exc:
        transcribe.list_vocabularies(MaxResults=101)
    assert error(exc)[0] == "BadRequestException"


@pytest.mark.usefixtures("clean_db")
def test_limit_per_account(transcribe: Any, transcribe_b: Any, monkeypatch: pytest.MonkeyPatch,
                           gateway_settings: Any) -> None:
    monkeypatch.setattr(gateway_settings.limits, "max_vocabularies", 2)
    transcribe.create_vocabulary(VocabularyName="one", LanguageCode="en-US", Phrases=["x"])
    transcribe.create_vocabulary(VocabularyName="two", LanguageCode="en-US", Phrases=["x"])
    with pytest.raises(transcribe.exceptions.LimitExceededException) as exc:
        transcribe.create_vocabulary(VocabularyName="three", LanguageCode="en-US", Phrases=["x"])
    assert error(exc)[2] == 429
    transcribe_b.create_vocabulary(VocabularyName="three", LanguageCode="en-US", Phrases=["x"])


def test_tenant_isolation(transcribe: Any, transcribe_b: Any) -> None:
    name = unique("mine")
    transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-US", Phrases=["secret"])
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.get_vocabulary(VocabularyName=name)
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.delete_vocabulary(VocabularyName=name)
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.update_vocabulary(VocabularyName=name, LanguageCode="en-US", Phrases=["x"])
    assert transcribe_b.list_vocabularies(NameContains=name)["Vocabularies"] == []
    transcribe_b.create_vocabulary(VocabularyName=name, LanguageCode="en-US", Phrases=["theirs"])
    assert transcribe.get_vocabulary(VocabularyName=name)["VocabularyName"] == name
