"""Where a job's files go, and writing them so that a retry can never leave two of them.

Keys are a pure function of the job row, so a second attempt (after a killed worker, or a task
delivered twice) overwrites the same objects instead of adding new ones. Each object is rendered
completely in memory and written with one PUT, which S3 makes visible all at once; subtitles go
first and the transcript last, so a client that sees the transcript also finds its subtitles.

Service bucket layout (no OutputBucketName): ``<account_id>/<job name>/<job id>/<job name>.json``.
The job id keeps a deleted job's late writes (or their clean-up) away from a new job that reuses
the name, and medical and standard jobs of the same name apart; the file name is still
``<job name>.json`` as AWS's downloads are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from services.core.settings import get_settings
from services.storage.s3 import s3_client
from services.storage.uris import safe_segment, sibling_key, transcript_key
from workers.pipeline.contract import PipelineResult

SERVICE_BUCKET = "SERVICE_BUCKET"
CUSTOMER_BUCKET = "CUSTOMER_BUCKET"

_CONTENT_TYPES = {"srt": "application/x-subrip", "vtt": "text/vtt"}


@dataclass(frozen=True)
class OutputPlan:
    location_type: str
    bucket: str
    transcript_key: str
    #: (format, key) in the order the request listed the formats (SubtitleFileUris keep it).
    subtitles: tuple[tuple[str, str], ...]

    def as_record(self) -> dict[str, Any]:
        """The ``job.outputs`` JSON the gateway turns into TranscriptFileUri / SubtitleFileUris."""
        return {
            "location_type": self.location_type,
            "transcript": {"bucket": self.bucket, "key": self.transcript_key},
            "subtitles": [{"format": f, "bucket": self.bucket, "key": k} for f, k in self.subtitles],
        }


def plan_outputs(job_id: int, account_id: str, job_name: str, request: dict[str, Any]) -> OutputPlan:
    bucket = request.get("OutputBucketName")
    if bucket:
        key = transcript_key(job_name, request.get("OutputKey"))
        location = CUSTOMER_BUCKET
    else:
        bucket = get_settings().s3.service_bucket
        key = f"{account_id}/{safe_segment(job_name)}/{job_id}/{transcript_key(job_name, None)}"
        location = SERVICE_BUCKET
    formats = (request.get("Subtitles") or {}).get("Formats") or []
    seen: list[str] = []
    for f in formats:
        if f not in seen:
            seen.append(f)
    return OutputPlan(location, bucket, key, tuple((f, sibling_key(key, f)) for f in seen))


def write_outputs(plan: OutputPlan, result: PipelineResult) -> dict[str, Any]:
    client = s3_client()
    for fmt, key in plan.subtitles:
        body = result.subtitles.get(fmt, "")
        client.put_object(Bucket=plan.bucket, Key=key, Body=body.encode("utf-8"),
                          ContentType=_CONTENT_TYPES.get(fmt, "text/plain") + "; charset=utf-8")
    doc = json.dumps(result.transcript, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    client.put_object(Bucket=plan.bucket, Key=plan.transcript_key, Body=doc,
                      ContentType="application/json")
    return plan.as_record()


def delete_service_outputs(plan: OutputPlan) -> None:
    """Only the service bucket is ours to clean; AWS never deletes files in a customer bucket."""
    if plan.location_type != SERVICE_BUCKET:
        return
    client = s3_client()
    for _, key in plan.subtitles:
        client.delete_object(Bucket=plan.bucket, Key=key)
    client.delete_object(Bucket=plan.bucket, Key=plan.transcript_key)
