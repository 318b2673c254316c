"""TranscriptionJob and TranscriptionJobSummary as AWS returns them.

Output URIs are derived on every read: service-bucket transcripts get a fresh presigned URL
(valid ``s3.presign_seconds``, 15 minutes by default), customer-bucket ones the object's URL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.core.arns import ResourceType
from services.db.models import TranscriptionJob
from services.storage.s3 import object_url, presign_get
from services.transcribe.jobs.record import JobRecord
from services.transcribe.tags import service as tag_service

#: Settings members AWS always echoes, with their defaults.
SETTINGS_DEFAULTS = {"ChannelIdentification": False, "ShowAlternatives": False}

#: What the renderers read: the ORM row, or the plain record GetTranscriptionJob reads.
Job = TranscriptionJob | JobRecord


def _uri(obj: dict[str, Any] | None, service_bucket: bool) -> str | None:
    if not obj:
        return None
    return presign_get(obj["bucket"], obj["key"]) if service_bucket else object_url(obj["bucket"], obj["key"])


def location_type(job: Job) -> str:
    return "CUSTOMER_BUCKET" if job.request.get("OutputBucketName") else "SERVICE_BUCKET"


def transcript_block(job: Job) -> dict[str, Any] | None:
    if job.status != "COMPLETED" or not job.outputs:
        return None
    svc = job.outputs.get("location_type", location_type(job)) == "SERVICE_BUCKET"
    return {
        "TranscriptFileUri": _uri(job.outputs.get("transcript"), svc),
        "RedactedTranscriptFileUri": _uri(job.outputs.get("redacted"), svc),
    }


def subtitles_block(job: Job) -> dict[str, Any] | None:
    requested = job.request.get("Subtitles")
    if not requested:
        return None
    out: dict[str, Any] = {"Formats": requested.get("Formats", []),
                           "OutputStartIndex": requested.get("OutputStartIndex", 0)}
    if job.status == "COMPLETED" and job.outputs:
        svc = job.outputs.get("location_type", location_type(job)) == "SERVICE_BUCKET"
        files = {s["format"]: s for s in job.outputs.get("subtitles") or []}
        uris = [_uri(files.get(f), svc) for f in out["Formats"]]
        out["SubtitleFileUris"] = [u for u in uris if u]
    return out


def job_shape(job: Job, session: Session | None = None,
              tags: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """``tags``: the job's tags when the caller read them already; else they are read from ``session``
    (when given)."""
    req = job.request
    settings = {**SETTINGS_DEFAULTS, **(req.get("Settings") or {})}
    shape: dict[str, Any] = {
        "TranscriptionJobName": job.name,
        "TranscriptionJobStatus": job.status,
        "LanguageCode": job.language_code,
        "MediaSampleRateHertz": job.media_sample_rate_hertz,
        "MediaFormat": job.media_format,
        "Media": {"MediaFileUri": req["Media"]["MediaFileUri"]},
        "Transcript": transcript_block(job),
        "StartTime": job.start_time,
        "CreationTime": job.creation_time,
        "CompletionTime": job.completion_time,
        "FailureReason": job.failure_reason if job.status == "FAILED" else None,
        "Settings": settings,
        "ModelSettings": req.get("ModelSettings"),
        "JobExecutionSettings": req.get("JobExecutionSettings"),
        "ContentRedaction": req.get("ContentRedaction"),
        "IdentifyLanguage": True if req.get("IdentifyLanguage") else None,
        "IdentifyMultipleLanguages": True if req.get("IdentifyMultipleLanguages") else None,
        "LanguageOptions": req.get("LanguageOptions"),
        "IdentifiedLanguageScore": job.identified_language_score,
        "LanguageCodes": job.language_codes,
        "Subtitles": subtitles_block(job),
        "LanguageIdSettings": req.get("LanguageIdSettings"),
        "ToxicityDetection": req.get("ToxicityDetection"),
    }
    if tags is None and session is not None:
        tags = tag_service.list_tags(session, job.account_id, ResourceType.TRANSCRIPTION_JOB, job.name)
    if tags is not None:
        shape["Tags"] = tags or None
    return shape


def summary_shape(job: Job) -> dict[str, Any]:
    req = job.request
    return {
        "TranscriptionJobName": job.name,
        "CreationTime": job.creation_time,
        "StartTime": job.start_time,
        "CompletionTime": job.completion_time,
        "LanguageCode": job.language_code,
        "TranscriptionJobStatus": job.status,
        "FailureReason": job.failure_reason if job.status == "FAILED" else None,
        "OutputLocationType": location_type(job),
        "ContentRedaction": req.get("ContentRedaction"),
        "ModelSettings": req.get("ModelSettings"),
        "IdentifyLanguage": True if req.get("IdentifyLanguage") else None,
        "IdentifyMultipleLanguages": True if req.get("IdentifyMultipleLanguages") else None,
        "IdentifiedLanguageScore": job.identified_language_score,
        "LanguageCodes": job.language_codes,
        "ToxicityDetection": req.get("ToxicityDetection"),
    }
