"""Medical vocabularies: their own name space, en-US only, table-format files only."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.transcribe.vocabularies.parsing import INVALID_VOCABULARY
from tests.compat.resource_support import error, process_vocabularies, tag_rows, unique, vocabulary_row

NOT_FOUND = ("The requested vocabulary couldn't be found. Check the vocabulary name and try your request "
             "again.")
TABLE = ("Phrase\tIPA\tSoundsLike\tDisplayAs\nacute-respiratory-distress-syndrome\t\t\tARDS\n"
         "S.T.E.M.I.-s\t\t\tSTEMIs\n")


@pytest.fixture()
def table_uri(s3: Any, media_bucket: str) -> str:
    key = f"medical/{unique('table')}.txt"
    s3.put_object(Bucket=media_bucket, Key=key, Body=TABLE.encode())
    return f"s3://{media_bucket}/{key}"


def test_lifecycle(transcribe: Any, table_uri: str) -> None:
    name = unique("med")
    created = transcribe.create_medical_vocabulary(VocabularyName=name, LanguageCode="en-US",
                                                   VocabularyFileUri=table_uri,
                                                   Tags=[{"Key": "dept", "Value": "cardio"}])
    assert created["VocabularyState"] == "PENDING" and created["LanguageCode"] == "en-US"
    assert tag_rows("medical-vocabulary", name) == [("dept", "cardio")]
    assert process_vocabularies(name, medical=True) == "READY"
    got = transcribe.get_medical_vocabulary(VocabularyName=name)
    assert got["VocabularyState"] == "READY"
    assert set(got) - {"ResponseMetadata"} == {"VocabularyName", "LanguageCode", "VocabularyState",
                                               "LastModifiedTime", "DownloadUri"}
    assert httpx.get(got["DownloadUri"]).text == TABLE
    assert vocabulary_row(name, medical=True).entries[1]["display_as"] == "STEMIs"
    listed = transcribe.list_medical_vocabularies(StateEquals="READY", NameContains=name.upper())
    assert [v["VocabularyName"] for v in listed["Vocabularies"]] == [name] and listed["Status"] == "READY"
    updated = transcribe.update_medical_vocabulary(VocabularyName=name, LanguageCode="en-US",
                                                   VocabularyFileUri=table_uri)
    assert updated["VocabularyState"] == "PENDING"
    transcribe.delete_medical_vocabulary(VocabularyName=name)
    assert tag_rows("medical-vocabulary", name) == []
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.get_medical_vocabulary(VocabularyName=name)
    assert error(exc) == ("BadRequestException", NOT_FOUND, 400)


def test_separate_name_space_from_standard_vocabularies(transcribe: Any, table_uri: str) -> None:
    name = unique("shared")
    transcribe.create_vocabulary(VocabularyName=name, LanguageCode="en-US", Phrases=["x"])
    transcribe.create_medical_vocabulary(VocabularyName=name, LanguageCode="en-US",
                                         VocabularyFileUri=table_uri)
    with pytest.raises(transcribe.exceptions.ConflictException):
        transcribe.create_medical_vocabulary(VocabularyName=name, LanguageCode="en-US",
                                             VocabularyFileUri=table_uri)
    assert transcribe.list_vocabularies(NameContains=name)["Vocabularies"][0]["VocabularyName"] == name
    transcribe.delete_medical_vocabulary(VocabularyName=name)
    assert transcribe.get_vocabulary(VocabularyName=name)["VocabularyName"] == name
    with pytest.raises(transcribe.exceptions.BadRequestException):
        transcribe.get_medical_vocabulary(VocabularyName=name)


def test_only_us_english(transcribe: Any, table_uri: str) -> None:
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.create_medical_vocabulary(VocabularyName=unique("gb"), LanguageCode="en-GB",
                                             VocabularyFileUri=table_uri)
    assert "en-US" in error(exc)[1]


def test_list_format_fails(transcribe: Any, s3: Any, media_bucket: str) -> None:
    name = unique("list")
    s3.put_object(Bucket=media_bucket, Key=f"medical/{name}.txt", Body=b"appendectomy\nbiopsy\n")
    transcribe.create_medical_vocabulary(VocabularyName=name, LanguageCode="en-US",
                                         VocabularyFileUri=f"s3://{media_bucket}/medical/{name}.txt")
    assert process_vocabularies(name, medical=True) == "FAILED"
    reason = transcribe.get_medical_vocabulary(VocabularyName=name)["FailureReason"]
    assert reason.startswith(INVALID_VOCABULARY) and "header row" in reason


def test_tenant_isolation(transcribe: Any, transcribe_b: Any, table_uri: str) -> None:
    name = unique("medmine")
    transcribe.create_medical_vocabulary(VocabularyName=name, LanguageCode="en-US",
                                         VocabularyFileUri=table_uri)
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.get_medical_vocabulary(VocabularyName=name)
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.delete_medical_vocabulary(VocabularyName=name)
    assert transcribe_b.list_medical_vocabularies(NameContains=name)["Vocabularies"] == []
