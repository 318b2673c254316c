"""Helpers for worker tests: job rows as the gateway writes them, and broker queue inspection."""

from __future__ import annotations

import json
from typing import Any

import redis

from services.core.clock import utcnow
from services.db.models.jobs import TranscriptionJob
from services.db.session import unit_of_work
from tests.support import stack


def insert_job(name: str, media_uri: str, *, account_id: str = stack.ACCOUNT_A, status: str = "IN_PROGRESS",
               **request: Any) -> int:
    req: dict[str, Any] = {"TranscriptionJobName": name, "LanguageCode": "en-US",
                           "Media": {"MediaFileUri": media_uri}, **request}
    now = utcnow()
    with unit_of_work() as s:
        job = TranscriptionJob(account_id=account_id, region="us-east-1", name=name, status=status,
                               request=req, language_code=req.get("LanguageCode"), creation_time=now,
                               start_time=now if status == "IN_PROGRESS" else None)
        s.add(job)
        s.flush()
        return int(job.id)


def get_job(job_id: int) -> TranscriptionJob | None:
    with unit_of_work() as s:
        return s.get(TranscriptionJob, job_id)


def queued_job_ids(queue: str) -> list[int]:
    """Job ids of TRANSCRIBE_JOB messages waiting in a Redis queue (Celery protocol 2, JSON)."""
    r = redis.Redis.from_url(stack.REDIS_URL)
    out = []
    for raw in r.lrange(queue, 0, -1):
        msg = json.loads(raw)
        body = json.loads(__import__("base64").b64decode(msg["body"]))
        out.append(int(body[0][0]))
    return out


def drop_queue(queue: str) -> None:
    redis.Redis.from_url(stack.REDIS_URL).delete(queue)
