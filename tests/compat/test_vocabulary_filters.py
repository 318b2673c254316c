"""Vocabulary filters through real boto3: words or a file read at request time, DownloadUri,
paging, tags and tenant isolation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.transcribe.vocabularies.parsing import MAX_FILE_BYTES
from tests.compat.resource_support import error, tag_rows, unique

NOT_FOUND = ("The requested vocabulary filter couldn't be found. Check the vocabulary filter name and try "
             "your request again.")


def test_words_filter_lifecycle(transcribe: Any) -> None:
    name = unique("flt")
    created = transcribe.create_vocabulary_filter(VocabularyFilterName=name, LanguageCode="en-US",
                                                  Words=["darn", "Heck"], Tags=[{"Key": "k", "Value": "v"}])
    assert set(created) - {"ResponseMetadata"} == {"VocabularyFilterName", "LanguageCode", "LastModifiedTime"}
    got = transcribe.get_vocabulary_filter(VocabularyFilterName=name)
    assert got["VocabularyFilterName"] == name and got["LanguageCode"] == "en-US"
    first_download = got["DownloadUri"]
    assert httpx.get(first_download).text == "darn\nHeck\n"
    assert tag_rows("vocabulary-filter", name) == [("k", "v")]

    updated = transcribe.update_vocabulary_filter(VocabularyFilterName=name, Words=["gosh"])
    assert updated["LanguageCode"] == "en-US" and updated["LastModifiedTime"] >= created["LastModifiedTime"]
    got = transcribe.get_vocabulary_filter(VocabularyFilterName=name)
    assert httpx.get(got["DownloadUri"]).text == "gosh\n"
    assert httpx.get(first_download).status_code == 404

    transcribe.delete_vocabulary_filter(VocabularyFilterName=name)
    assert tag_rows("vocabulary-filter", name) == []
    assert httpx.get(got["DownloadUri"]).status_code == 404
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.get_vocabulary_filter(VocabularyFilterName=name)
    assert error(exc) == ("BadRequestException", NOT_FOUND, 400)


def test_file_filter(transcribe: Any, s3: Any, media_bucket: str) -> None:
    name = unique("fltfile")
    s3.put_object(Bucket=media_bucket, Key=f"filters/{name}.txt", Body=b"darn\nheck\n")
    transcribe.create_vocabulary_filter(VocabularyFilterName=name, LanguageCode="en-GB",
                                        VocabularyFilterFileUri=f"s3://{media_bucket}/filters/{name}.txt",
                                        DataAccessRoleArn="arn:aws:iam::111122223333:role/Transcribe")
    got = transcribe.get_vocabulary_filter(VocabularyFilterName=name)
    assert httpx.get(got["DownloadUri"]).text == "darn\nheck\n"
    assert got["DataAccessRoleArn"] == "arn:aws:iam::111122223333:role/Transcribe"


@pytest.mark.parametrize(("kwargs", "needle"), [
    ({}, "Either Words or VocabularyFilterFileUri field should be provided."),
    ({"Words": ["a"], "VocabularyFilterFileUri": "s3://b/k.txt"},
     "Either Words or VocabularyFilterFileUri field should be provided."),
    ({"Words": ["two words"]}, "each entry can only contain one word"),
    ({"VocabularyFilterFileUri": "s3://customer-media/filters/missing.txt"},
     "The vocabulary filter file s3://customer-media/filters/missing.txt can't be read"),
    ({"VocabularyFilterFileUri": "ftp-ish://nowhere"}, "failed to satisfy constraint"),
])
def test_refusals(transcribe: Any, media_bucket: str, kwargs: dict[str, Any], needle: str) -> None:
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.create_vocabulary_filter(VocabularyFilterName=unique("bad"), LanguageCode="en-US",
                                            **kwargs)
    code, message, status = error(exc)
    assert (code, status) == ("BadRequestException", 400) and needle in message


def test_file_size_limit(transcribe: Any, s3: Any, media_bucket: str) -> None:
    s3.put_object(Bucket=media_bucket, Key="filters/big.txt", Body=b"word\n" * (MAX_FILE_BYTES // 5 + 1))
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.create_vocabulary_filter(VocabularyFilterName=unique("big"), LanguageCode="en-US",
                                            VocabularyFilterFileUri=f"s3://{media_bucket}/filters/big.txt")
    assert "50 KB" in error(exc)[1]


def test_duplicate_and_unknown(transcribe: Any) -> None:
    name = unique("fdup")
    transcribe.create_vocabulary_filter(VocabularyFilterName=name, LanguageCode="en-US", Words=["x"])
    with pytest.raises(transcribe.exceptions.ConflictException) as exc:
        transcribe.create_vocabulary_filter(VocabularyFilterName=name, LanguageCode="en-US", Words=["y"])
    assert error(exc) == ("ConflictException",
                          "The requested vocabulary filter name already exists. Use a different vocabulary "
                          "filter name.", 409)
    for call in (lambda: transcribe.update_vocabulary_filter(VocabularyFilterName="nope", Words=["x"]),
                 lambda: transcribe.delete_vocabulary_filter(VocabularyFilterName="nope")):
        with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
            call()
        assert error(exc)[1] == NOT_FOUND


@pytest.mark.usefixtures("clean_db")
def test_listing(transcribe: Any, monkeypatch: pytest.MonkeyPatch, gateway_settings: Any) -> None:
    names = [f"Filter_{i}" for i in range(6)]
    for n in names:
        transcribe.create_vocabulary_filter(VocabularyFilterName=n, LanguageCode="en-US", Words=["x"])
    transcribe.create_vocabulary_filter(VocabularyFilterName="Filter-x", LanguageCode="en-US", Words=["x"])
    page = transcribe.list_vocabulary_filters(NameContains="FILTER_")  # "_" is literal, not a wildcard
    assert [f["VocabularyFilterName"] for f in page["VocabularyFilters"]] == names[::-1][:5]
    assert set(page["VocabularyFilters"][0]) == {"VocabularyFilterName", "LanguageCode", "LastModifiedTime"}
    rest = transcribe.list_vocabulary_filters(NameContains="FILTER_", NextToken=page["NextToken"])
    assert [f["VocabularyFilterName"] for f in rest["VocabularyFilters"]] == [names[0]]
    assert len(transcribe.list_vocabulary_filters(MaxResults=100)["VocabularyFilters"]) == 7

    monkeypatch.setattr(gateway_settings.limits, "max_vocabulary_filters", 7)
    with pytest.raises(transcribe.exceptions.LimitExceededException):
        transcribe.create_vocabulary_filter(VocabularyFilterName="eighth", LanguageCode="en-US", Words=["x"])


def test_tenant_isolation(transcribe: Any, transcribe_b: Any) -> None:
    name = unique("fmine")
    transcribe.create_vocabulary_filter(VocabularyFilterName=name, LanguageCode="en-US", Words=["x"])
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.get_vocabulary_filter(VocabularyFilterName=name)
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.delete_vocabulary_filter(VocabularyFilterName=name)
    assert transcribe_b.list_vocabulary_filters(NameContains=name)["VocabularyFilters"] == []
    transcribe_b.create_vocabulary_filter(VocabularyFilterName=name, LanguageCode="en-US", Words=["y"])
