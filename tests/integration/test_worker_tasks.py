"""One job attempt in-process against real Postgres, Redis and S3 (no Celery worker).

The pipeline is the recogniser-free stand-in: these tests are about leases, retries, outputs and
the reaper. ``test_real_pipeline_end_to_end`` runs the real ``transcribe_media``.
"""

from __future__ import annotations

import importlib.util
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from services.core.settings import get_settings, reset_settings_cache
from services.db.models.jobs import TranscriptionJob
from services.db.session import unit_of_work
from tests.support import fake_pipeline, stack
from tests.support.jobs import drop_queue, get_job, insert_job, queued_job_ids
from workers import leases, runner
from workers.errors import INTERNAL_FAILURE, MEDIA_UNREACHABLE, TransientError
from workers.pipeline.contract import JobOptions, PipelineResult

WAV = "s3://customer-media/audio/en-gb.wav"


@pytest.fixture()
def wenv(harken_env: dict[str, str], clean_db: None, media_bucket: str,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    queue = f"test-{uuid.uuid4().hex[:8]}"
    for k, v in {"HARKEN_WORKER__QUEUE": queue, "HARKEN_WORKER__LEASE_SECONDS": "30",
                 "HARKEN_WORKER__HEARTBEAT_SECONDS": "1", "HARKEN_WORKER__UNCLAIMED_SECONDS": "5",
                 "HARKEN_WORKER__MAX_ATTEMPTS": "3",
                 "HARKEN_WORKER__PIPELINE": "tests.support.fake_pipeline:transcribe_media"}.items():
        monkeypatch.setenv(k, v)
    reset_settings_cache()
    yield queue
    drop_queue(queue)
    monkeypatch.undo()
    reset_settings_cache()


def _objects(s3: Any, bucket: str, prefix: str) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]


def test_completes_into_service_bucket(wenv: str, s3: Any) -> None:
    job_id = insert_job("svc-job", WAV, Subtitles={"Formats": ["vtt", "srt"], "OutputStartIndex": 1})
    assert runner.run_attempt(job_id) == "completed"
    job = get_job(job_id)
    assert job is not None and job.status == "COMPLETED" and job.lease_owner is None
    assert job.attempts == 1 and job.completion_time and job.start_time
    key = f"{stack.ACCOUNT_A}/svc-job/{job_id}/svc-job.json"
    assert job.outputs == {
        "location_type": "SERVICE_BUCKET",
        "transcript": {"bucket": "harken-service", "key": key},
        "subtitles": [{"format": "vtt", "bucket": "harken-service", "key": key[:-5] + ".vtt"},
                      {"format": "srt", "bucket": "harken-service", "key": key[:-5] + ".srt"}],
    }
    doc = json.loads(s3.get_object(Bucket="harken-service", Key=key)["Body"].read())
    assert doc["jobName"] == "svc-job" and doc["status"] == "COMPLETED"
    vtt = s3.get_object(Bucket="harken-service", Key=key[:-5] + ".vtt")["Body"].read().decode()
    assert vtt.startswith("WEBVTT\n\n1\n")
    assert job.media_format == "wav" and job.media_sample_rate_hertz == 16000


@pytest.mark.parametrize(("output_key", "expected"), [
    (None, "kr-job.json"), ("out/x.json", "out/x.json"), ("folder/sub", "folder/sub/kr-job.json")])
def test_customer_bucket_key_rules(wenv: str, s3: Any, output_key: str | None, expected: str) -> None:
    extra: dict[str, Any] = {"OutputBucketName": "customer-media", "Subtitles": {"Formats": ["srt"]}}
    if output_key:
        extra["OutputKey"] = output_key
    job_id = insert_job("kr-job", WAV, **extra)
    assert runner.run_attempt(job_id) == "completed"
    job = get_job(job_id)
    assert job is not None and job.outputs is not None
    assert job.outputs["location_type"] == "CUSTOMER_BUCKET"
    assert job.outputs["transcript"] == {"bucket": "customer-media", "key": expected}
    s3.head_object(Bucket="customer-media", Key=expected)
    s3.head_object(Bucket="customer-media", Key=expected[:-5] + ".srt")


@pytest.mark.parametrize("uri", ["s3://customer-media/audio/nope.wav", "s3://no-such-bucket-x/a.wav",
                                 "https://s3.us-east-1.amazonaws.com/customer-media/audio/missing.wav"])
def test_missing_media_fails_with_aws_reason(wenv: str, uri: str) -> None:
    job_id = insert_job("missing", uri)
    assert runner.run_attempt(job_id) == "failed"
    job = get_job(job_id)
    assert job is not None and job.status == "FAILED" and job.failure_reason == MEDIA_UNREACHABLE
    assert job.attempts == 1 and job.lease_owner is None


def test_https_media_uri_on_configured_endpoint(wenv: str) -> None:
    uri = f"{get_settings().s3.endpoint_url}/customer-media/audio/en-gb.flac"
    job_id = insert_job("https-uri", uri)
    assert runner.run_attempt(job_id) == "completed"


def test_bad_media_fails_at_once(wenv: str, s3: Any) -> None:
    s3.put_object(Bucket="customer-media", Key="audio/bad.wav", Body=fake_pipeline.BAD_MEDIA + b"xx")
    job_id = insert_job("bad", "s3://customer-media/audio/bad.wav")
    assert runner.run_attempt(job_id) == "failed"
    job = get_job(job_id)
    assert job is not None and job.failure_reason == "Unsupported media format"


def test_live_lease_and_terminal_jobs_are_not_claimed(wenv: str) -> None:
    job_id = insert_job("owned", WAV)
    assert leases.claim(job_id, "other-worker", 60) is not None
    assert runner.run_attempt(job_id) == "skipped"
    job = get_job(job_id)
    assert job is not None and job.lease_owner == "other-worker" and job.attempts == 1
    done = insert_job("done", WAV, status="COMPLETED")
    assert runner.run_attempt(done) == "skipped"
    assert runner.run_attempt(999_999) == "skipped"


def test_expired_lease_is_taken_over_and_old_owner_cannot_complete(wenv: str) -> None:
    job_id = insert_job("takeover", WAV)
    assert leases.claim(job_id, "dead-worker", 0.01) is not None
    time.sleep(0.05)
    assert runner.run_attempt(job_id, owner="new-worker") == "completed"
    assert not leases.complete(job_id, "dead-worker", {})
    assert not leases.fail(job_id, "dead-worker", "late")
    job = get_job(job_id)
    assert job is not None and job.status == "COMPLETED" and job.attempts == 2


def test_deleted_while_running_removes_service_outputs(wenv: str, s3: Any) -> None:
    job_id = insert_job("deleted", WAV)

    def pipeline(path: Path, options: JobOptions) -> PipelineResult:
        result = fake_pipeline.transcribe_media(path, options)
        leases.purge(job_id)  # DeleteTranscriptionJob lands while the model runs
        return result

    assert runner.run_attempt(job_id, pipeline=pipeline) == "deleted"
    assert _objects(s3, "harken-service", f"{stack.ACCOUNT_A}/deleted/{job_id}/") == []


def test_deleted_after_outputs_written_removes_them(wenv: str, s3: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    job_id = insert_job("deleted-late", WAV, Subtitles={"Formats": ["srt"]})
    real_write = runner.write_outputs

    def write_then_delete(plan: Any, result: PipelineResult) -> dict[str, Any]:
        record = real_write(plan, result)
        leases.purge(job_id)
        return record

    monkeypatch.setattr(runner, "write_outputs", write_then_delete)
    assert runner.run_attempt(job_id) == "deleted"
    assert _objects(s3, "harken-service", f"{stack.ACCOUNT_A}/deleted-late/{job_id}/") == []


def test_transient_error_releases_lease_then_fails_on_last_try(
        wenv: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import EndpointConnectionError

    def broken(*_: Any, **__: Any) -> Any:
        raise EndpointConnectionError(endpoint_url="http://s3.invalid")

    monkeypatch.setattr(runner, "write_outputs", broken)
    job_id = insert_job("flaky", WAV)
    for _ in range(5):  # more than max_attempts: transient errors do not use attempts up
        with pytest.raises(TransientError):
            runner.run_attempt(job_id)
        job = get_job(job_id)
        assert job is not None and job.status == "IN_PROGRESS" and job.attempts == 0
        assert job.lease_owner is None and job.lease_expires_at is not None  # held for the retry
    assert runner.run_attempt(job_id, last_try=True) == "failed"
    job = get_job(job_id)
    assert job is not None and job.status == "FAILED" and job.failure_reason == INTERNAL_FAILURE


def test_transient_error_then_recovery_completes_once(wenv: str, s3: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import EndpointConnectionError

    calls = {"n": 0}
    real_write = runner.write_outputs

    def flaky(plan: Any, result: PipelineResult) -> dict[str, Any]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise EndpointConnectionError(endpoint_url="http://s3.invalid")
        return real_write(plan, result)

    monkeypatch.setattr(runner, "write_outputs", flaky)
    job_id = insert_job("recovers", WAV)
    with pytest.raises(TransientError):
        runner.run_attempt(job_id)
    assert runner.run_attempt(job_id) == "completed"
    assert runner.run_attempt(job_id) == "skipped"
    assert _objects(s3, "harken-service", f"{stack.ACCOUNT_A}/recovers/{job_id}/") == [
        f"{stack.ACCOUNT_A}/recovers/{job_id}/recovers.json"]


def test_unexpected_error_fails_job(wenv: str) -> None:
    def buggy(path: Path, options: JobOptions) -> PipelineResult:
        raise KeyError("bug")

    job_id = insert_job("buggy", WAV)
    assert runner.run_attempt(job_id, pipeline=buggy) == "failed"
    job = get_job(job_id)
    assert job is not None and job.failure_reason == INTERNAL_FAILURE


def test_heartbeat_loss_abandons_the_attempt(wenv: str) -> None:
    job_id = insert_job("stolen", WAV)

    def pipeline(path: Path, options: JobOptions) -> PipelineResult:
        with unit_of_work() as s:  # the reaper (or an operator) takes the job away
            s.execute(update(TranscriptionJob).where(TranscriptionJob.id == job_id)
                      .values(lease_owner="thief"))
        time.sleep(1.5)  # one heartbeat notices
        return fake_pipeline.transcribe_media(path, options)

    assert runner.run_attempt(job_id, pipeline=pipeline) == "lease-lost"
    job = get_job(job_id)
    assert job is not None and job.status == "IN_PROGRESS" and job.lease_owner == "thief"


def test_claims_beyond_max_attempts_fail_the_job(wenv: str) -> None:
    job_id = insert_job("poison", WAV)
    with unit_of_work() as s:  # three workers died on it already
        s.execute(update(TranscriptionJob).where(TranscriptionJob.id == job_id).values(attempts=3))
    assert runner.run_attempt(job_id) == "failed"
    job = get_job(job_id)
    assert job is not None and job.failure_reason == INTERNAL_FAILURE and job.attempts == 4


# --- reaper -----------------------------------------------------------------------------------


def _age(job_id: int, seconds: int, **values: Any) -> None:
    from datetime import timedelta

    from services.core.clock import utcnow

    with unit_of_work() as s:
        s.execute(update(TranscriptionJob).where(TranscriptionJob.id == job_id).values(
            start_time=utcnow() - timedelta(seconds=seconds),
            creation_time=utcnow() - timedelta(seconds=seconds), **values))


def test_reaper_requeues_expired_and_unclaimed_and_fails_exhausted(wenv: str) -> None:
    from services.core.clock import utcnow
    from workers.reaper import reap

    expired = insert_job("expired", WAV)
    leases.claim(expired, "dead", 0.01)
    time.sleep(0.05)
    exhausted = insert_job("exhausted", WAV)
    _age(exhausted, 10, attempts=3, lease_owner="dead", lease_expires_at=utcnow())
    lost_send = insert_job("lost-send", WAV)
    _age(lost_send, 60)
    fresh = insert_job("fresh", WAV)  # just sent: must not be sent again yet
    report = reap()
    assert report.requeued == [expired] and report.resent == [lost_send] and report.failed == [exhausted]
    assert sorted(queued_job_ids(wenv)) == sorted([expired, lost_send])
    job = get_job(exhausted)
    assert job is not None and job.status == "FAILED" and job.failure_reason == INTERNAL_FAILURE
    # a second pass right away sends nothing: the re-sent jobs are held for unclaimed_seconds
    again = reap()
    assert again.requeued == [] and again.resent == []
    assert fresh not in queued_job_ids(wenv)
    # the re-sent job is claimable and completes
    assert runner.run_attempt(lost_send) == "completed"


def test_reaper_promotes_queued_oldest_first_within_limit(wenv: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from workers.reaper import reap

    monkeypatch.setenv("HARKEN_LIMITS__MAX_CONCURRENT_JOBS", "2")
    reset_settings_cache()
    running = insert_job("running", WAV)
    q1 = insert_job("q1", WAV, status="QUEUED")
    q2 = insert_job("q2", WAV, status="QUEUED")
    other = insert_job("other-acct", WAV, status="QUEUED", account_id=stack.ACCOUNT_B)
    _age(q1, 30)
    _age(q2, 20)
    report = reap()
    assert sorted(report.promoted) == sorted([q1, other])
    for jid in (q1, other):
        job = get_job(jid)
        assert job is not None and job.status == "IN_PROGRESS" and job.start_time is not None
    assert get_job(q2).status == "QUEUED"  # type: ignore[union-attr]
    assert sorted(queued_job_ids(wenv)) == sorted([q1, other])
    # finishing a job frees a slot and starts the next QUEUED job at once
    assert runner.run_attempt(running) == "completed"
    assert get_job(q2).status == "IN_PROGRESS"  # type: ignore[union-attr]
    assert q2 in queued_job_ids(wenv)


def test_reaper_is_single_flight(wenv: str) -> None:
    from sqlalchemy import func, select

    from workers.reaper import REAPER_LOCK, reap

    with unit_of_work() as s:
        assert s.execute(select(func.pg_try_advisory_xact_lock(REAPER_LOCK))).scalar()
        assert reap().skipped


@pytest.mark.slow
def _real_pipeline_present() -> bool:
    import workers.pipeline

    spec = importlib.util.find_spec("workers.pipeline.run")
    here = Path(workers.pipeline.__file__).parent
    return bool(spec and spec.origin and Path(spec.origin).parent == here)


@pytest.mark.skipif(not _real_pipeline_present(),
                    reason="workers.pipeline.run (the real pipeline) has not landed in this branch yet")
def test_real_pipeline_end_to_end(wenv: str, s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARKEN_WORKER__PIPELINE", "workers.pipeline.run:transcribe_media")
    reset_settings_cache()
    job_id = insert_job("real-e2e", "s3://customer-media/audio/en-gb.wav", LanguageCode="en-GB",
                        OutputBucketName="customer-media", OutputKey="real/",
                        Subtitles={"Formats": ["srt"], "OutputStartIndex": 1})
    assert runner.run_attempt(job_id) == "completed"
    job = get_job(job_id)
    assert job is not None and job.status == "COMPLETED" and job.media_format == "wav"
    doc = json.loads(s3.get_object(Bucket="customer-media", Key="real/real-e2e.json")["Body"].read())
    text = doc["results"]["transcripts"][0]["transcript"].lower()
    assert "my name is" in text and "london" in text and "1981" in text
    srt = s3.get_object(Bucket="customer-media", Key="real/real-e2e.srt")["Body"].read().decode()
    assert srt.startswith("1\n")
