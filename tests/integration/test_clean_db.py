"""The suite's table reset must not wait forever on a transaction some earlier test leaked."""

from __future__ import annotations

import psycopg
from sqlalchemy import select

from services.db.base import Base
from services.db.models.jobs import TranscriptionJob
from services.db.session import get_engine
from tests.support import stack
from tests.support.jobs import get_job, insert_job


def test_truncate_ends_a_connection_idle_in_a_transaction(harken_env: dict[str, str]) -> None:
    job_id = insert_job("leaked-lock", "s3://customer-media/audio/en-gb.wav")
    url = harken_env["HARKEN_DB__URL"].replace("postgresql+psycopg://", "postgresql://", 1)
    leak = psycopg.connect(url, application_name="leaked-by-test")
    leak.execute("SELECT id FROM transcription_jobs WHERE id = %s FOR UPDATE", (job_id,))
    try:
        ended = stack.truncate_all(get_engine(), [t.name for t in Base.metadata.sorted_tables],
                                   lock_wait="1s")
        assert len(ended) == 1 and "leaked-by-test" in ended[0] and "idle in transaction" in ended[0]
        assert get_job(job_id) is None
        with get_engine().connect() as conn:
            assert conn.execute(select(TranscriptionJob.id)).all() == []
    finally:
        leak.close()


def test_truncate_without_holders_ends_nothing(harken_env: dict[str, str]) -> None:
    insert_job("plain", "s3://customer-media/audio/en-gb.wav")
    assert stack.truncate_all(get_engine(), [t.name for t in Base.metadata.sorted_tables]) == []
    with get_engine().connect() as conn:
        assert conn.execute(select(TranscriptionJob.id)).all() == []
