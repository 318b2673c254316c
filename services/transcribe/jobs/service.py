"""Transcription jobs: start, read, list and delete, scoped by account.

The gateway's transaction wraps each call; the Celery send happens after commit so a worker never
sees a job that was rolled back. The per-account concurrency check takes a transaction-scoped
advisory lock so two concurrent starts cannot both take the last slot.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.dialects.postgresql import psycopg as postgresql_psycopg
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core import taskqueue
from services.core.arns import ResourceType
from services.core.clock import utcnow
from services.core.errors import BadRequestException, ConflictException, LimitExceededException
from services.core.metrics import record_transition
from services.core.quotas import limit_for
from services.db import fastread
from services.db.models import LanguageModel, TranscriptionJob, Vocabulary, VocabularyFilter
from services.db.session import after_commit
from services.storage.s3 import delete_service_outputs
from services.storage.uris import parse_media_uri
from services.transcribe import errors
from services.transcribe.context import RequestContext
from services.transcribe.jobs.record import COLUMNS, JobRecord
from services.transcribe.jobs.rules import check_start_request
from services.transcribe.paging import page
from services.transcribe.tags import service as tags

log = logging.getLogger(__name__)

QUEUED, IN_PROGRESS, COMPLETED, FAILED = "QUEUED", "IN_PROGRESS", "COMPLETED", "FAILED"
CONFLICT = "The requested job name already exists. Use a different job name."
LIMIT = ("You have reached the maximum number of concurrent transcription jobs for your account. Wait for "
         "a job to finish, or set AllowDeferredExecution to queue the job.")
QUEUE_FULL = ("You have reached the maximum number of queued transcription jobs for your account. Wait for "
              "queued jobs to start and try your request again.")


def _lang_base(code: str | None) -> str:
    return (code or "").split("-")[0]


def _check_vocabulary(ctx: RequestContext, name: str) -> None:
    vocab = ctx.session.scalar(select(Vocabulary).where(
        Vocabulary.account_id == ctx.account_id, Vocabulary.medical.is_(False), Vocabulary.name == name))
    if vocab is None:
        raise errors.not_found("StartTranscriptionJob", ctx.settings, errors.VOCABULARY_NOT_FOUND)
    if vocab.state != "READY":
        raise BadRequestException(f"The vocabulary {name} isn't ready (state {vocab.state}). Wait until its "
                                  "state is READY and try your request again.")


def _check_filter(ctx: RequestContext, name: str) -> None:
    vf = ctx.session.scalar(select(VocabularyFilter).where(
        VocabularyFilter.account_id == ctx.account_id, VocabularyFilter.name == name))
    if vf is None:
        raise errors.not_found("StartTranscriptionJob", ctx.settings, errors.FILTER_NOT_FOUND)


def _check_model(ctx: RequestContext, name: str) -> None:
    lm = ctx.session.scalar(select(LanguageModel).where(
        LanguageModel.account_id == ctx.account_id, LanguageModel.name == name))
    if lm is None:
        raise errors.not_found("StartTranscriptionJob", ctx.settings, errors.MODEL_NOT_FOUND)
    if lm.status != "COMPLETED":
        raise BadRequestException(f"The language model {name} isn't ready (status {lm.status}). Wait until "
                                  "its status is COMPLETED and try your request again.")


def check_references(ctx: RequestContext, req: dict[str, Any]) -> None:
    """Referenced vocabularies, filters and models must exist in this account and be ready. A
    language that differs from the job's is not an error: AWS documents that such a resource is
    simply not applied, which the worker does."""
    s = req.get("Settings") or {}
    if s.get("VocabularyName"):
        _check_vocabulary(ctx, s["VocabularyName"])
    if s.get("VocabularyFilterName"):
        _check_filter(ctx, s["VocabularyFilterName"])
    model = (req.get("ModelSettings") or {}).get("LanguageModelName")
    if model:
        _check_model(ctx, model)
    for item in (req.get("LanguageIdSettings") or {}).values():
        if item.get("VocabularyName"):
            _check_vocabulary(ctx, item["VocabularyName"])
        if item.get("VocabularyFilterName"):
            _check_filter(ctx, item["VocabularyFilterName"])
        if item.get("LanguageModelName"):
            _check_model(ctx, item["LanguageModelName"])


def _running(session: Session, account_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(TranscriptionJob).where(
        TranscriptionJob.account_id == account_id, TranscriptionJob.medical.is_(False),
        TranscriptionJob.status == IN_PROGRESS)) or 0)


def _queued(session: Session, account_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(TranscriptionJob).where(
        TranscriptionJob.account_id == account_id, TranscriptionJob.medical.is_(False),
        TranscriptionJob.status == QUEUED)) or 0)


def _find(session: Session, account_id: str, name: str, medical: bool = False) -> TranscriptionJob | None:
    return session.scalar(select(TranscriptionJob).where(
        TranscriptionJob.account_id == account_id, TranscriptionJob.medical.is_(medical),
        TranscriptionJob.name == name))


def start(ctx: RequestContext, req: dict[str, Any]) -> TranscriptionJob:
    check_start_request(req)
    media_uri = req["Media"]["MediaFileUri"]
    if parse_media_uri(media_uri, endpoint_url=ctx.settings.s3.endpoint_url) is None:
        raise BadRequestException(
            f"The S3 URI {media_uri} isn't valid. Specify the media file as s3://bucket/key or as an "
            "https Amazon S3 URL.")
    session = ctx.session
    # Serialise starts per account: the name check and the slot count are then race-free.
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"jobs:{ctx.account_id}"})
    if _find(session, ctx.account_id, req["TranscriptionJobName"]) is not None:
        raise ConflictException(CONFLICT)
    check_references(ctx, req)
    now = utcnow()
    deferred = bool((req.get("JobExecutionSettings") or {}).get("AllowDeferredExecution"))
    if _running(session, ctx.account_id) >= limit_for(ctx.settings, ctx.account_id, "max_concurrent_jobs"):
        if not deferred:
            raise LimitExceededException(LIMIT)
        if _queued(session, ctx.account_id) >= limit_for(ctx.settings, ctx.account_id, "max_queued_jobs"):
            raise LimitExceededException(QUEUE_FULL)
        status = QUEUED
    else:
        status = IN_PROGRESS
    job = TranscriptionJob(
        account_id=ctx.account_id, region=ctx.region, medical=False, name=req["TranscriptionJobName"],
        status=status, request=req, language_code=req.get("LanguageCode"),
        media_format=req.get("MediaFormat"), media_sample_rate_hertz=req.get("MediaSampleRateHertz"),
        creation_time=now, start_time=now if status == IN_PROGRESS else None, attempts=0,
    )
    session.add(job)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictException(CONFLICT) from None
    tags.replace_tags(session, ctx.account_id, ResourceType.TRANSCRIPTION_JOB, job.name, req.get("Tags"))
    after_commit(session, lambda: record_transition("NONE", status))
    if status == IN_PROGRESS:
        job_id = job.id
        after_commit(session, lambda: taskqueue.send(taskqueue.TRANSCRIBE_JOB, job_id))
    return job


#: Get's one statement (the job and its tags, a JSON array in tag order), compiled once to the SQL
#: text psycopg runs: Get is the hottest call of the API, and the ORM path (Session, statement
#: execution, row loading) costs several times the CPU Postgres spends answering it.
_GET_COMPILED = select(
    *COLUMNS,
    tags.tags_column(ResourceType.TRANSCRIPTION_JOB, TranscriptionJob.account_id, TranscriptionJob.name),
).where(TranscriptionJob.account_id == bindparam("account_id"), TranscriptionJob.medical == bindparam("medical"),
        TranscriptionJob.name == bindparam("name")).compile(dialect=postgresql_psycopg.dialect())
_GET_SQL = _GET_COMPILED.string.encode()
_GET_CONSTANTS = {k: v for k, v in _GET_COMPILED.params.items() if k not in ("account_id", "medical", "name")}


def get(ctx: RequestContext, name: str, *, medical: bool = False,
        operation: str = "GetTranscriptionJob") -> tuple[JobRecord, list[dict[str, str]]]:
    """The job and its tags, read in autocommit outside the request's Session (which is never opened
    for a Get): every committed Start, Delete or TagResource is visible, as in the ORM path."""
    row = fastread.pool_for(ctx.settings.db.url).fetchone(
        _GET_SQL, {**_GET_CONSTANTS, "account_id": ctx.account_id, "medical": medical, "name": name})
    if row is None:
        raise errors.not_found(operation, ctx.settings, errors.JOB_NOT_FOUND)
    return JobRecord._make(row[:-1]), row[-1]


def list_jobs(ctx: RequestContext, req: dict[str, Any], *, medical: bool = False,
              operation: str = "ListTranscriptionJobs") -> tuple[list[TranscriptionJob], str | None]:
    """Newest first, filtered as the List operations filter; ``medical`` picks the namespace, and
    ``operation`` scopes the NextToken (a token of one List is refused by the other)."""
    stmt = select(TranscriptionJob).where(TranscriptionJob.account_id == ctx.account_id,
                                          TranscriptionJob.medical.is_(medical))
    filters: dict[str, Any] = {"account": ctx.account_id}
    if req.get("Status"):
        stmt = stmt.where(TranscriptionJob.status == req["Status"])
        filters["status"] = req["Status"]
    if req.get("JobNameContains"):
        needle = req["JobNameContains"].lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(func.lower(TranscriptionJob.name).contains(needle, autoescape=False))
        filters["contains"] = req["JobNameContains"].lower()
    return page(stmt, sort_col=TranscriptionJob.creation_time, id_col=TranscriptionJob.id,
                secret=ctx.settings.api.token_secret, scope=operation, filters=filters,
                next_token=req.get("NextToken"), max_results=req.get("MaxResults"), session=ctx.session)


def delete(ctx: RequestContext, name: str) -> None:
    job = _find(ctx.session, ctx.account_id, name)
    if job is None:
        raise errors.not_found("DeleteTranscriptionJob", ctx.settings, errors.JOB_NOT_FOUND)
    if job.status == IN_PROGRESS:
        raise BadRequestException(
            f"The transcription job {name} is IN_PROGRESS and can't be deleted until it completes or fails.")
    outputs = dict(job.outputs or {})
    tags.delete_tags(ctx.session, ctx.account_id, ResourceType.TRANSCRIPTION_JOB, name)
    ctx.session.delete(job)
    ctx.session.flush()
    after_commit(ctx.session, lambda: delete_service_outputs(outputs))
