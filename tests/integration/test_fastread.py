"""GetTranscriptionJob's plain-psycopg read path: read-your-writes through the real gateway, and
the per-process connection pool (reuse, a killed backend, timeouts, tenant scoping)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import update

from services.db import fastread
from services.db.models import TranscriptionJob
from services.db.session import unit_of_work
from tests.support import stack

MEDIA = {"MediaFileUri": "s3://customer-media/audio/en-gb.wav"}


def _get(client: Any, name: str) -> dict[str, Any]:
    job: dict[str, Any] = client.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
    return job


def test_get_sees_every_write_at_once(transcribe: Any, transcribe_b: Any, clean_db: None) -> None:
    """No cache anywhere: each write is visible to the very next Get, whichever process made it."""
    transcribe.start_transcription_job(TranscriptionJobName="ryw", Media=MEDIA, LanguageCode="en-US",
                                       Tags=[{"Key": "a", "Value": "1"}])
    assert _get(transcribe, "ryw")["TranscriptionJobStatus"] == "IN_PROGRESS"
    arn = "arn:aws:transcribe:us-east-1:111122223333:transcription-job/ryw"
    transcribe.tag_resource(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}])
    assert _get(transcribe, "ryw")["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    transcribe.untag_resource(ResourceArn=arn, TagKeys=["a", "b"])
    assert "Tags" not in _get(transcribe, "ryw")
    with unit_of_work() as session:  # a worker finishing the job, in its own transaction
        session.execute(update(TranscriptionJob).where(TranscriptionJob.name == "ryw").values(
            status="FAILED", failure_reason="Unsupported media"))
    job = _get(transcribe, "ryw")
    assert (job["TranscriptionJobStatus"], job["FailureReason"]) == ("FAILED", "Unsupported media")
    with pytest.raises(transcribe_b.exceptions.BadRequestException):  # another account's job
        _get(transcribe_b, "ryw")
    transcribe.delete_transcription_job(TranscriptionJobName="ryw")
    with pytest.raises(transcribe.exceptions.BadRequestException):
        _get(transcribe, "ryw")


def test_pool_reuses_and_survives_a_killed_backend(harken_env: dict[str, str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastread, "STATEMENT_TIMEOUT_MS", 300)
    pool = fastread.ReadPool(harken_env["HARKEN_DB__URL"])
    try:
        first = pool.fetchone(b"SELECT pg_backend_pid()", ())
        assert first is not None
        assert pool.fetchone(b"SELECT pg_backend_pid()", ()) == first  # the same connection again
        assert pool.fetchone(b"SHOW statement_timeout", ()) == ("300ms",)
        with psycopg.connect(stack.ADMIN_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (first[0],))
        again = pool.fetchone(b"SELECT pg_backend_pid()", ())  # retried once on a fresh connection
        assert again is not None and again != first
        with pytest.raises(psycopg.errors.DivisionByZero):  # a failing statement is not retried
            pool.fetchone(b"SELECT 1 / 0", ())
        before = pool.fetchone(b"SELECT pg_backend_pid()", ())
        with pytest.raises(psycopg.errors.QueryCanceled):  # nor one that timed out on a live connection
            pool.fetchone(b"SELECT pg_sleep(5)", ())
        assert pool.fetchone(b"SELECT pg_backend_pid()", ()) != before  # that connection was dropped
        assert pool.fetchone(b"SELECT %s::int + 1", (41,)) == (42,)
    finally:
        pool.close()
