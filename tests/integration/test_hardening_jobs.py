"""Hardening of the job life cycle against real Postgres, Redis and S3: retention purge, resources
deleted while a job waits in the queue, media size, presigned URL expiry, and what the logs hold."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from services.core.clock import utcnow
from services.core.settings import reset_settings_cache
from services.db.models import Tag
from services.db.models.jobs import TranscriptionJob
from services.db.session import unit_of_work
from services.transcribe import errors
from tests.compat.resource_support import process_vocabularies
from tests.support import stack
from tests.support.jobs import drop_queue, get_job, insert_job
from workers import runner
from workers.errors import MEDIA_TOO_LARGE, MEDIA_UNREACHABLE
from workers.reaper import promote_queued
from workers.retention import purge_expired

WAV = "s3://customer-media/audio/en-gb.wav"


@pytest.fixture()
def wenv(harken_env: dict[str, str], clean_db: None, media_bucket: str,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    queue = f"test-{uuid.uuid4().hex[:8]}"
    for k, v in {"HARKEN_WORKER__QUEUE": queue, "HARKEN_WORKER__HEARTBEAT_SECONDS": "1",
                 "HARKEN_WORKER__PIPELINE": "tests.support.fake_pipeline:transcribe_media"}.items():
        monkeypatch.setenv(k, v)
    reset_settings_cache()
    yield queue
    drop_queue(queue)
    monkeypatch.undo()
    reset_settings_cache()


def _age(job_id: int, days: float) -> None:
    with unit_of_work() as s:
        s.execute(update(TranscriptionJob).where(TranscriptionJob.id == job_id)
                  .values(completion_time=utcnow() - timedelta(days=days)))


def _exists(s3: Any, bucket: str, key: str) -> bool:
    return bool(s3.list_objects_v2(Bucket=bucket, Prefix=key).get("KeyCount"))


def test_retention_purges_old_finished_jobs_and_service_outputs(wenv: str, s3: Any, transcribe: Any) -> None:
    old = insert_job("old-done", WAV, Subtitles={"Formats": ["srt"]})
    customer = insert_job("old-customer", WAV, OutputBucketName="customer-media", OutputKey="retention/")
    failed = insert_job("old-failed", "s3://customer-media/audio/missing.wav")
    recent = insert_job("recent-done", WAV)
    for job_id in (old, customer, failed, recent):
        assert runner.run_attempt(job_id) in ("completed", "failed")
    transcribe.tag_resource(ResourceArn=f"arn:aws:transcribe:us-east-1:{stack.ACCOUNT_A}:transcription-job/old-done",
                            Tags=[{"Key": "team", "Value": "a"}])
    stale_queued = insert_job("old-queued", WAV, status="QUEUED")
    for job_id in (old, customer, failed, stale_queued):
        _age(job_id, 91)
    _age(recent, 89)
    old_row, customer_row = get_job(old), get_job(customer)
    assert old_row is not None and old_row.outputs and customer_row is not None and customer_row.outputs
    svc_keys = [old_row.outputs["transcript"]["key"], old_row.outputs["subtitles"][0]["key"]]
    assert all(_exists(s3, "harken-service", k) for k in svc_keys)

    purged = purge_expired()

    assert sorted(purged) == sorted([old, customer, failed])
    assert get_job(recent) is not None and get_job(stale_queued) is not None
    assert not any(_exists(s3, "harken-service", k) for k in svc_keys)
    assert _exists(s3, "customer-media", customer_row.outputs["transcript"]["key"])  # the customer's file
    with unit_of_work() as s:
        assert s.scalars(select(Tag).where(Tag.resource_name == "old-done")).first() is None
    with pytest.raises(transcribe.exceptions.BadRequestException):
        transcribe.get_transcription_job(TranscriptionJobName="old-done")
    assert purge_expired() == []  # idempotent


def test_retention_zero_keeps_everything(wenv: str, monkeypatch: pytest.MonkeyPatch) -> None:
    job_id = insert_job("keep", WAV)
    assert runner.run_attempt(job_id) == "completed"
    _age(job_id, 10_000)
    monkeypatch.setenv("HARKEN_RETENTION__JOB_DAYS", "0")
    reset_settings_cache()
    assert purge_expired() == [] and get_job(job_id) is not None


def _deferred() -> dict[str, Any]:
    return {"JobExecutionSettings": {"AllowDeferredExecution": True,
                                     "DataAccessRoleArn": "arn:aws:iam::111122223333:role/r"}}


def test_vocabulary_deleted_while_job_queued(wenv: str, transcribe: Any, gateway_settings: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS lets you delete a vocabulary a queued job names (Delete has no "in use" error); the job
    then fails when it starts, instead of running without it."""
    vocab = f"v-{uuid.uuid4().hex[:8]}"
    transcribe.create_vocabulary(VocabularyName=vocab, LanguageCode="en-US", Phrases=["Harken"])
    assert process_vocabularies(vocab) == "READY"
    monkeypatch.setattr(gateway_settings.limits, "max_concurrent_jobs", 0)
    job = transcribe.start_transcription_job(
        TranscriptionJobName="uses-vocab", LanguageCode="en-US", Media={"MediaFileUri": WAV},
        Settings={"VocabularyName": vocab}, **_deferred())["TranscriptionJob"]
    assert job["TranscriptionJobStatus"] == "QUEUED"
    transcribe.delete_vocabulary(VocabularyName=vocab)  # allowed, as on AWS
    promoted = promote_queued()
    assert len(promoted) == 1
    assert runner.run_attempt(promoted[0]) == "failed"
    got = transcribe.get_transcription_job(TranscriptionJobName="uses-vocab")["TranscriptionJob"]
    assert got["TranscriptionJobStatus"] == "FAILED"
    assert got["FailureReason"] == errors.VOCABULARY_NOT_FOUND


def test_filter_deleted_while_job_queued(wenv: str, transcribe: Any, gateway_settings: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"f-{uuid.uuid4().hex[:8]}"
    transcribe.create_vocabulary_filter(VocabularyFilterName=name, LanguageCode="en-US", Words=["darn"])
    monkeypatch.setattr(gateway_settings.limits, "max_concurrent_jobs", 0)
    transcribe.start_transcription_job(
        TranscriptionJobName="uses-filter", LanguageCode="en-US", Media={"MediaFileUri": WAV},
        Settings={"VocabularyFilterName": name, "VocabularyFilterMethod": "mask"}, **_deferred())
    transcribe.delete_vocabulary_filter(VocabularyFilterName=name)
    (job_id,) = promote_queued()
    assert runner.run_attempt(job_id) == "failed"
    row = get_job(job_id)
    assert row is not None and row.failure_reason == errors.FILTER_NOT_FOUND


def test_bucket_policy_narrowed_while_queued(wenv: str, monkeypatch: pytest.MonkeyPatch) -> None:
    job_id = insert_job("narrowed", WAV)
    monkeypatch.setenv("HARKEN_TENANTS__ACCOUNTS", f'{{"{stack.ACCOUNT_A}": {{"read_buckets": ["other-*"]}}}}')
    reset_settings_cache()
    assert runner.run_attempt(job_id) == "failed"
    row = get_job(job_id)
    assert row is not None and row.failure_reason == MEDIA_UNREACHABLE


def test_media_size_limit(wenv: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARKEN_WORKER__MAX_MEDIA_BYTES", "1000")
    reset_settings_cache()
    job_id = insert_job("too-big", WAV)
    assert runner.run_attempt(job_id) == "failed"
    row = get_job(job_id)
    assert row is not None and row.failure_reason == MEDIA_TOO_LARGE


def test_presigned_transcript_url_expires(wenv: str, transcribe: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    job_id = insert_job("presigned", WAV)
    assert runner.run_attempt(job_id) == "completed"
    uri = transcribe.get_transcription_job(TranscriptionJobName="presigned")["TranscriptionJob"][
        "Transcript"]["TranscriptFileUri"]
    assert "X-Amz-Expires=900" in uri and httpx.get(uri).status_code == 200
    monkeypatch.setenv("HARKEN_S3__PRESIGN_SECONDS", "1")
    reset_settings_cache()
    short = transcribe.get_transcription_job(TranscriptionJobName="presigned")["TranscriptionJob"][
        "Transcript"]["TranscriptFileUri"]
    assert "X-Amz-Expires=1&" in short or short.endswith("X-Amz-Expires=1")
    time.sleep(2.5)
    assert httpx.get(short).status_code == 403


def test_logs_carry_request_ids_never_secrets_or_transcripts(wenv: str, transcribe: Any,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    job_id = insert_job("quiet", WAV)
    assert runner.run_attempt(job_id) == "completed"
    row = get_job(job_id)
    assert row is not None and row.outputs
    from services.storage.s3 import s3_client

    doc = s3_client().get_object(Bucket="harken-service", Key=row.outputs["transcript"]["key"])["Body"].read()
    text = __import__("json").loads(doc)["results"]["transcripts"][0]["transcript"]
    resp = transcribe.get_transcription_job(TranscriptionJobName="quiet")
    request_id = resp["ResponseMetadata"]["RequestId"]
    deadline = time.monotonic() + 5
    while not any(request_id in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.05)  # the access log line is written by the server thread after the response
    logged = "\n".join(r.getMessage() + str(r.exc_text or "") for r in caplog.records)
    assert f"request_id={request_id} op=GetTranscriptionJob status=200" in logged
    assert text and text not in logged
    assert stack.KEY_A[1] not in logged and stack.KEY_B[1] not in logged


def test_sealed_credentials_sign_like_clear_ones(harken_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from services.core import secrets
    from services.core.settings import Settings
    from services.gateway.app import create_app
    from tests.conftest import make_client

    key = secrets.new_operator_key()
    creds = [{"access_key_id": "AKIDSEALED0000000001", "secret_access_key": secrets.seal("sealed-secret-1", key),
              "account_id": stack.ACCOUNT_A}]
    monkeypatch.setenv("HARKEN_AUTH__CREDENTIALS", json.dumps(creds))
    monkeypatch.setenv("HARKEN_AUTH__SECRETS_KEY", key)
    server = stack.ServerThread(create_app(Settings())).start()
    try:
        client = make_client("transcribe", server.url, ("AKIDSEALED0000000001", "sealed-secret-1"))
        assert "TranscriptionJobSummaries" in client.list_transcription_jobs()
        wrong = make_client("transcribe", server.url, ("AKIDSEALED0000000001", secrets.seal("sealed-secret-1", key)))
        with pytest.raises(wrong.exceptions.ClientError) as exc:
            wrong.list_transcription_jobs()
        assert exc.value.response["Error"]["Code"] == "InvalidSignatureException"
    finally:
        server.stop()
        monkeypatch.undo()
        reset_settings_cache()  # nothing may keep the sealed-key environment cached
