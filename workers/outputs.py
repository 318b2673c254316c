"""Where a job's files go, and writing them so that a retry can never leave two of them.

Keys are a pure function of the job row, so a second attempt (after a killed worker, or a task
delivered twice) overwrites the same objects instead of adding new ones. Each object is rendered
completely in memory and written with one PUT, which S3 makes visible all at once; subtitles go
first and the transcript last, so a client that sees the transcript also finds its subtitles.

Service bucket layout (no OutputBucketName): ``<account_id>/<job name>/<job id>/<job name>.json``.
The job id keeps a deleted job's late writes (or their clean-up) away from a new job that reuses
the name, and medical and standard jobs of the same name apart; the file name is still
``<job name>.json`` as AWS's downloads are.

ContentRedaction: the redacted transcript is ``redacted-<file name>`` beside where the transcript
would go (AWS's naming, in the service bucket and under OutputBucketName/OutputKey alike); the
unredacted one is written only for ``redacted_and_unredacted``; subtitles are the redacted ones and
are named after the redacted file, so no file of a redacted job carries PII unless asked for.
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
    #: ContentRedaction: key of the redacted transcript, and whether the unredacted one is written.
    redacted_key: str | None = None
    unredacted: bool = True

    def as_record(self) -> dict[str, Any]:
        """The ``job.outputs`` JSON the gateway turns into TranscriptFileUri / SubtitleFileUris."""
        record: dict[str, Any] = {"location_type": self.location_type}
        if self.unredacted:
            record["transcript"] = {"bucket": self.bucket, "key": self.transcript_key}
        if self.redacted_key:
            record["redacted"] = {"bucket": self.bucket, "key": self.redacted_key}
        record["subtitles"] = [{"format": f, "bucket": self.bucket, "key": k} for f, k in self.subtitles]
        return record


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
    redaction = request.get("ContentRedaction")
    redacted_key = sibling_key(key, "json", prefix="redacted-") if redaction else None
    unredacted = not redaction or redaction.get("RedactionOutput") == "redacted_and_unredacted"
    subtitle_base = redacted_key or key
    return OutputPlan(location, bucket, key, tuple((f, sibling_key(subtitle_base, f)) for f in seen),
                      redacted_key=redacted_key, unredacted=unredacted)


def write_outputs(plan: OutputPlan, result: PipelineResult) -> dict[str, Any]:
    client = s3_client()
    for fmt, key in plan.subtitles:
        body = result.subtitles.get(fmt, "")
        client.put_object(Bucket=plan.bucket, Key=key, Body=body.encode("utf-8"),
                          ContentType=_CONTENT_TYPES.get(fmt, "text/plain") + "; charset=utf-8")
    if plan.redacted_key:
        if result.redacted_transcript is None:  # never let an unredacted document pass as redacted
            raise RuntimeError("ContentRedaction was requested but the pipeline returned no redacted transcript")
        _put_json(client, plan.bucket, plan.redacted_key, result.redacted_transcript)
    if plan.unredacted:
        _put_json(client, plan.bucket, plan.transcript_key, result.transcript)
    return plan.as_record()


def _put_json(client: Any, bucket: str, key: str, document: dict[str, Any]) -> None:
    doc = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    client.put_object(Bucket=bucket, Key=key, Body=doc, ContentType="application/json")
