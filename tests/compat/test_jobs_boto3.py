"""Transcription-job operations through an unmodified boto3 client against the running gateway."""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.core.settings import get_settings
from services.gateway.app import create_app
from tests.conftest import make_client
from tests.support import stack

MEDIA = {"MediaFileUri": "s3://customer-media/audio/en-gb.wav"}
NOT_FOUND = "The requested job couldn't be found. Check the job name and try your request again."


def _start(client: Any, name: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("LanguageCode", "en-US")
    return client.start_transcription_job(TranscriptionJobName=name, Media=MEDIA, **kw)["TranscriptionJob"]


def test_start_returns_in_progress_with_times(transcribe: Any, clean_db: None) -> None:
    job = _start(transcribe, "first-job", MediaFormat="wav", Subtitles={"Formats": ["vtt", "srt"]})
    assert job["TranscriptionJobStatus"] == "IN_PROGRESS"
    assert isinstance(job["CreationTime"], dt.datetime) and isinstance(job["StartTime"], dt.datetime)
    assert job["Media"] == MEDIA and job["MediaFormat"] == "wav" and job["LanguageCode"] == "en-US"
    assert job["Settings"] == {"ChannelIdentification": False, "ShowAlternatives": False}
    assert job["Subtitles"] == {"Formats": ["vtt", "srt"], "OutputStartIndex": 0}
    assert "Transcript" not in job and "CompletionTime" not in job


def test_get_echoes_settings_and_tags(transcribe: Any, clean_db: None) -> None:
    _start(transcribe, "echo", Settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 3},
           Tags=[{"Key": "team", "Value": "audio"}], OutputBucketName="customer-media", OutputKey="out/",
           JobExecutionSettings={"AllowDeferredExecution": True,
                                 "DataAccessRoleArn": "arn:aws:iam::111122223333:role/transcribe"})
    job = transcribe.get_transcription_job(TranscriptionJobName="echo")["TranscriptionJob"]
    assert job["Settings"] == {"ShowSpeakerLabels": True, "MaxSpeakerLabels": 3,
                               "ChannelIdentification": False, "ShowAlternatives": False}
    assert job["Tags"] == [{"Key": "team", "Value": "audio"}]
    assert job["JobExecutionSettings"]["AllowDeferredExecution"] is True


def test_duplicate_name_conflicts(transcribe: Any, clean_db: None) -> None:
    _start(transcribe, "dup")
    with pytest.raises(transcribe.exceptions.ConflictException) as exc:
        _start(transcribe, "dup")
    assert exc.value.response["Error"]["Message"] == ("The requested job name already exists. Use a different "
                                                      "job name.")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_unknown_job_get_and_delete(transcribe: Any, clean_db: None) -> None:
    for call in (transcribe.get_transcription_job, transcribe.delete_transcription_job):
        with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
            call(TranscriptionJobName="nope")
        assert exc.value.response["Error"]["Message"] == NOT_FOUND
        assert exc.value.response["Message"] == NOT_FOUND


def test_missing_language(transcribe: Any, clean_db: None) -> None:
    with pytest.raises(transcribe.exceptions.BadRequestException) as exc:
        transcribe.start_transcription_job(TranscriptionJobName="nolang", Media=MEDIA)
    assert exc.value.response["Error"]["Message"] == (
        "The language code is missing. Either add a language code or turn on language identification.")


def test_delete_in_progress_refused_then_queued_and_failed_deletable(transcribe: Any, clean_db: None, db: Any) -> None:
    _start(transcribe, "running")
    with pytest.raises(transcribe.exceptions.BadRequestException, match="IN_PROGRESS"):
        transcribe.delete_transcription_job(TranscriptionJobName="running")
    from services.db.models import TranscriptionJob

    db.query(TranscriptionJob).filter_by(name="running").update({"status": "FAILED", "failure_reason": "x"})
    db.commit()
    transcribe.delete_transcription_job(TranscriptionJobName="running")
    with pytest.raises(transcribe.exceptions.BadRequestException):
        transcribe.get_transcription_job(TranscriptionJobName="running")


def test_list_newest_first_filters_and_paging(transcribe: Any, clean_db: None) -> None:
    names = [f"page-{i:02d}" for i in range(12)] + ["Other-PAGE-x"]
    for n in names:
        _start(transcribe, n)
    first = transcribe.list_transcription_jobs()
    assert len(first["TranscriptionJobSummaries"]) == 5  # AWS's default page size
    assert "NextToken" in first
    seen: list[str] = []
    token: str | None = None
    while True:
        kw: dict[str, Any] = {"MaxResults": 4, "JobNameContains": "PAGE"}
        if token:
            kw["NextToken"] = token
        resp = transcribe.list_transcription_jobs(**kw)
        seen += [s["TranscriptionJobName"] for s in resp["TranscriptionJobSummaries"]]
        token = resp.get("NextToken")
        if not token:
            break
    assert seen == list(reversed(names))  # newest first, case-insensitive match, no repeats
    summary = first["TranscriptionJobSummaries"][0]
    assert summary["OutputLocationType"] == "SERVICE_BUCKET" and summary["TranscriptionJobStatus"] == "IN_PROGRESS"
    by_status = transcribe.list_transcription_jobs(Status="COMPLETED")
    assert by_status["Status"] == "COMPLETED" and by_status["TranscriptionJobSummaries"] == []


def test_job_name_contains_is_literal(transcribe: Any, clean_db: None) -> None:
    """"_" and "." in JobNameContains match themselves, not any character (SQL LIKE wildcards)."""
    for name in ("lit-a_b", "lit-axb", "lit-a.b"):
        _start(transcribe, name)
    for needle, want in (("a_b", ["lit-a_b"]), ("A.B", ["lit-a.b"]), ("lit-a", ["lit-a.b", "lit-axb", "lit-a_b"])):
        got = [s["TranscriptionJobName"] for s in
               transcribe.list_transcription_jobs(JobNameContains=needle)["TranscriptionJobSummaries"]]
        assert got == want, needle


def test_paging_is_stable_under_concurrent_inserts(transcribe: Any, clean_db: None) -> None:
    for i in range(10):
        _start(transcribe, f"stable-{i:02d}")
    resp = transcribe.list_transcription_jobs(MaxResults=3)
    seen = [s["TranscriptionJobName"] for s in resp["TranscriptionJobSummaries"]]
    token = resp["NextToken"]
    for i in range(5):  # inserted between pages: newer than the cursor, so never returned below it
        _start(transcribe, f"late-{i}")
    while token:
        resp = transcribe.list_transcription_jobs(MaxResults=3, NextToken=token)
        seen += [s["TranscriptionJobName"] for s in resp["TranscriptionJobSummaries"]]
        token = resp.get("NextToken")
    assert seen == [f"stable-{i:02d}" for i in reversed(range(10))]


def test_next_token_is_bound_to_filters(transcribe: Any, clean_db: None) -> None:
    for i in range(3):
        _start(transcribe, f"tok-{i}")
    token = transcribe.list_transcription_jobs(MaxResults=1)["NextToken"]
    with pytest.raises(transcribe.exceptions.BadRequestException, match="NextToken is invalid"):
        transcribe.list_transcription_jobs(MaxResults=1, NextToken=token, Status="FAILED")
    with pytest.raises(transcribe.exceptions.BadRequestException, match="NextToken is invalid"):
        transcribe.list_transcription_jobs(NextToken="garbage")


def test_tenants_are_isolated(transcribe: Any, transcribe_b: Any, clean_db: None) -> None:
    _start(transcribe, "shared-name")
    _start(transcribe_b, "shared-name")  # same name in another account is no conflict
    assert [s["TranscriptionJobName"] for s in transcribe_b.list_transcription_jobs()["TranscriptionJobSummaries"]] \
        == ["shared-name"]
    _start(transcribe, "only-a")
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.get_transcription_job(TranscriptionJobName="only-a")
    with pytest.raises(transcribe_b.exceptions.BadRequestException):
        transcribe_b.delete_transcription_job(TranscriptionJobName="only-a")
    assert transcribe.get_transcription_job(TranscriptionJobName="only-a")["TranscriptionJob"]


def test_concurrent_starts_with_same_name_create_one_job(transcribe: Any, clean_db: None) -> None:
    def attempt(_: int) -> str:
        try:
            _start(transcribe, "race")
            return "ok"
        except ClientError as exc:
            return exc.response["Error"]["Code"]

    with cf.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, range(8)))
    assert results.count("ok") == 1 and results.count("ConflictException") == 7


def test_references_must_exist(transcribe: Any, clean_db: None) -> None:
    cases = [
        ({"Settings": {"VocabularyName": "missing"}}, "vocabulary couldn't be found"),
        ({"Settings": {"VocabularyFilterName": "missing", "VocabularyFilterMethod": "mask"}},
         "vocabulary filter couldn't be found"),
        ({"ModelSettings": {"LanguageModelName": "missing"}}, "language model couldn't be found"),
    ]
    for kw, fragment in cases:
        with pytest.raises(transcribe.exceptions.BadRequestException, match=fragment):
            _start(transcribe, "ref", **kw)


def test_referenced_vocabulary_must_be_ready(transcribe: Any, clean_db: None, db: Any) -> None:
    from services.core.clock import utcnow
    from services.db.models import Vocabulary

    db.add(Vocabulary(account_id=stack.ACCOUNT_A, region="us-east-1", name="pending-v", language_code="en-US",
                      state="PENDING", last_modified_time=utcnow()))
    db.commit()
    with pytest.raises(transcribe.exceptions.BadRequestException, match="isn't ready"):
        _start(transcribe, "uses-pending", Settings={"VocabularyName": "pending-v"})


@pytest.fixture()
def limited_gateway(harken_env: dict[str, str]) -> Any:
    settings = get_settings().model_copy(deep=True)
    settings.limits.max_concurrent_jobs = 2
    server = stack.ServerThread(create_app(settings)).start()
    yield make_client("transcribe", server.url, stack.KEY_A)
    server.stop()


def test_concurrency_limit_and_deferred_execution(limited_gateway: Any, clean_db: None) -> None:
    client = limited_gateway
    _start(client, "slot-1")
    _start(client, "slot-2")
    with pytest.raises(client.exceptions.LimitExceededException) as exc:
        _start(client, "slot-3")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    job = _start(client, "deferred", JobExecutionSettings={
        "AllowDeferredExecution": True, "DataAccessRoleArn": "arn:aws:iam::111122223333:role/transcribe"})
    assert job["TranscriptionJobStatus"] == "QUEUED" and "StartTime" not in job
    assert [s["TranscriptionJobName"] for s in
            client.list_transcription_jobs(Status="QUEUED")["TranscriptionJobSummaries"]] == ["deferred"]
    client.delete_transcription_job(TranscriptionJobName="deferred")  # a queued job can be withdrawn


def test_not_found_error_class_is_configurable(harken_env: dict[str, str], clean_db: None) -> None:
    settings = get_settings().model_copy(deep=True)
    settings.api.not_found_error = "NotFoundException"
    server = stack.ServerThread(create_app(settings)).start()
    try:
        client = make_client("transcribe", server.url, stack.KEY_A)
        with pytest.raises(client.exceptions.NotFoundException) as exc:
            client.get_transcription_job(TranscriptionJobName="nope")
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    finally:
        server.stop()
