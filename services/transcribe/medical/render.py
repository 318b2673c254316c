"""MedicalTranscriptionJob and MedicalTranscriptionJobSummary as AWS returns them.

Medical output always goes to the customer's bucket (OutputBucketName is required), so the
transcript URI is the object's URL, never a presigned one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.core.arns import ResourceType
from services.db.models import TranscriptionJob
from services.storage.s3 import object_url
from services.transcribe.jobs.render import SETTINGS_DEFAULTS
from services.transcribe.tags import service as tags


def transcript_block(job: TranscriptionJob) -> dict[str, Any] | None:
    if job.status != "COMPLETED" or not job.outputs or not job.outputs.get("transcript"):
        return None
    obj = job.outputs["transcript"]
    return {"TranscriptFileUri": object_url(obj["bucket"], obj["key"])}


def job_shape(job: TranscriptionJob, session: Session | None = None) -> dict[str, Any]:
    req = job.request
    shape: dict[str, Any] = {
        "MedicalTranscriptionJobName": job.name,
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
        "Settings": {**SETTINGS_DEFAULTS, **(req.get("Settings") or {})},
        "ContentIdentificationType": req.get("ContentIdentificationType"),
        "Specialty": req.get("Specialty"),
        "Type": req.get("Type"),
    }
    if session is not None:
        shape["Tags"] = tags.list_tags(session, job.account_id, ResourceType.MEDICAL_TRANSCRIPTION_JOB,
                                       job.name) or None
    return shape


def summary_shape(job: TranscriptionJob) -> dict[str, Any]:
    req = job.request
    return {
        "MedicalTranscriptionJobName": job.name,
        "CreationTime": job.creation_time,
        "StartTime": job.start_time,
        "CompletionTime": job.completion_time,
        "LanguageCode": job.language_code,
        "TranscriptionJobStatus": job.status,
        "FailureReason": job.failure_reason if job.status == "FAILED" else None,
        "OutputLocationType": "CUSTOMER_BUCKET",
        "Specialty": req.get("Specialty"),
        "ContentIdentificationType": req.get("ContentIdentificationType"),
        "Type": req.get("Type"),
    }
