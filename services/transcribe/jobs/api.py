"""Handlers for the transcription-job operations (thin: validation and rules live below)."""

from __future__ import annotations

from typing import Any

from services.protocol.dispatch import operation
from services.transcribe.context import RequestContext
from services.transcribe.jobs import service
from services.transcribe.jobs.render import job_shape, summary_shape


@operation("StartTranscriptionJob")
def start_transcription_job(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    job = service.start(ctx, req)
    return {"TranscriptionJob": job_shape(job, ctx.session)}


@operation("GetTranscriptionJob")
def get_transcription_job(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    job, job_tags = service.get(ctx, req["TranscriptionJobName"])
    return {"TranscriptionJob": job_shape(job, tags=job_tags)}


@operation("ListTranscriptionJobs")
def list_transcription_jobs(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    jobs, token = service.list_jobs(ctx, req)
    return {"Status": req.get("Status"), "NextToken": token,
            "TranscriptionJobSummaries": [summary_shape(j) for j in jobs]}


@operation("DeleteTranscriptionJob")
def delete_transcription_job(ctx: RequestContext, req: dict[str, Any]) -> None:
    service.delete(ctx, req["TranscriptionJobName"])
