"""Medical transcription jobs: start, read, list and delete, in their own name space.

Medical and general jobs share the ``transcription_jobs`` table and the worker, but not names (a
medical and a general job may both be called "visit-1", as in AWS), concurrency slots, listings or
paging tokens. There is no deferred execution for medical jobs: over the limit, Start fails.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core import taskqueue
from services.core.arns import ResourceType
from services.core.clock import utcnow
from services.core.errors import BadRequestException, ConflictException, LimitExceededException
from services.core.quotas import limit_for
from services.db.models import TranscriptionJob, Vocabulary
from services.db.session import after_commit
from services.storage.uris import parse_media_uri
from services.transcribe import errors
from services.transcribe.context import RequestContext
from services.transcribe.jobs import service as job_service
from services.transcribe.jobs.service import CONFLICT, IN_PROGRESS
from services.transcribe.medical.job_rules import check_start_request
from services.transcribe.tags import service as tags

LIMIT = ("You have reached the maximum number of concurrent medical transcription jobs for your account. "
         "Wait for a job to finish and try your request again.")


def _find(session: Session, account_id: str, name: str) -> TranscriptionJob | None:
    return session.scalar(select(TranscriptionJob).where(
        TranscriptionJob.account_id == account_id, TranscriptionJob.medical.is_(True),
        TranscriptionJob.name == name))


def _running(session: Session, account_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(TranscriptionJob).where(
        TranscriptionJob.account_id == account_id, TranscriptionJob.medical.is_(True),
        TranscriptionJob.status == IN_PROGRESS)) or 0)


def _check_vocabulary(ctx: RequestContext, name: str) -> None:
    vocab = ctx.session.scalar(select(Vocabulary).where(
        Vocabulary.account_id == ctx.account_id, Vocabulary.medical.is_(True), Vocabulary.name == name))
    if vocab is None:
        raise errors.not_found("StartMedicalTranscriptionJob", ctx.settings, errors.VOCABULARY_NOT_FOUND)
    if vocab.state != "READY":
        raise BadRequestException(f"The medical vocabulary {name} isn't ready (state {vocab.state}). Wait "
                                  "until its state is READY and try your request again.")


def start(ctx: RequestContext, req: dict[str, Any]) -> TranscriptionJob:
    check_start_request(req)
    media_uri = req["Media"]["MediaFileUri"]
    if parse_media_uri(media_uri, endpoint_url=ctx.settings.s3.endpoint_url) is None:
        raise BadRequestException(
            f"The S3 URI {media_uri} isn't valid. Specify the media file as s3://bucket/key or as an "
            "https Amazon S3 URL.")
    session = ctx.session
    name = req["MedicalTranscriptionJobName"]
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"medical-jobs:{ctx.account_id}"})
    if _find(session, ctx.account_id, name) is not None:
        raise ConflictException(CONFLICT)
    vocabulary = (req.get("Settings") or {}).get("VocabularyName")
    if vocabulary:
        _check_vocabulary(ctx, vocabulary)
    if _running(session, ctx.account_id) >= limit_for(ctx.settings, ctx.account_id, "max_concurrent_jobs"):
        raise LimitExceededException(LIMIT)
    now = utcnow()
    job = TranscriptionJob(
        account_id=ctx.account_id, region=ctx.region, medical=True, name=name, status=IN_PROGRESS,
        request=req, language_code=req["LanguageCode"], media_format=req.get("MediaFormat"),
        media_sample_rate_hertz=req.get("MediaSampleRateHertz"), creation_time=now, start_time=now,
        attempts=0,
    )
    session.add(job)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictException(CONFLICT) from None
    tags.replace_tags(session, ctx.account_id, ResourceType.MEDICAL_TRANSCRIPTION_JOB, name, req.get("Tags"))
    job_id = job.id
    after_commit(session, lambda: taskqueue.send(taskqueue.TRANSCRIBE_JOB, job_id))
    return job


def get(ctx: RequestContext, name: str) -> TranscriptionJob:
    job = _find(ctx.session, ctx.account_id, name)
    if job is None:
        raise errors.not_found("GetMedicalTranscriptionJob", ctx.settings, errors.JOB_NOT_FOUND)
    return job


def list_jobs(ctx: RequestContext, req: dict[str, Any]) -> tuple[list[TranscriptionJob], str | None]:
    return job_service.list_jobs(ctx, req, medical=True, operation="ListMedicalTranscriptionJobs")


def delete(ctx: RequestContext, name: str) -> None:
    """Removes the job and its tags; the transcript in the customer's bucket stays (as in AWS)."""
    job = _find(ctx.session, ctx.account_id, name)
    if job is None:
        raise errors.not_found("DeleteMedicalTranscriptionJob", ctx.settings, errors.JOB_NOT_FOUND)
    if job.status == IN_PROGRESS:
        raise BadRequestException(f"The medical transcription job {name} is IN_PROGRESS and can't be deleted "
                                  "until it completes or fails.")
    tags.delete_tags(ctx.session, ctx.account_id, ResourceType.MEDICAL_TRANSCRIPTION_JOB, name)
    ctx.session.delete(job)
    ctx.session.flush()
