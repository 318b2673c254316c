"""Medical vocabulary and medical transcription job operations (thin: the rules live below)."""

from __future__ import annotations

from typing import Any

from services.protocol.dispatch import operation
from services.transcribe.context import RequestContext
from services.transcribe.medical import jobs, render, service


@operation("CreateMedicalVocabulary")
def create_medical_vocabulary(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.create(ctx, params)


@operation("GetMedicalVocabulary")
def get_medical_vocabulary(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.describe(ctx, params["VocabularyName"])


@operation("ListMedicalVocabularies")
def list_medical_vocabularies(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.list_vocabularies(ctx, params)


@operation("UpdateMedicalVocabulary")
def update_medical_vocabulary(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.update(ctx, params)


@operation("DeleteMedicalVocabulary")
def delete_medical_vocabulary(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    service.delete(ctx, params["VocabularyName"])
    return {}


@operation("StartMedicalTranscriptionJob")
def start_medical_transcription_job(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    job = jobs.start(ctx, params)
    return {"MedicalTranscriptionJob": render.job_shape(job, ctx.session)}


@operation("GetMedicalTranscriptionJob")
def get_medical_transcription_job(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    job = jobs.get(ctx, params["MedicalTranscriptionJobName"])
    return {"MedicalTranscriptionJob": render.job_shape(job, ctx.session)}


@operation("ListMedicalTranscriptionJobs")
def list_medical_transcription_jobs(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    found, token = jobs.list_jobs(ctx, params)
    return {"Status": params.get("Status"), "NextToken": token,
            "MedicalTranscriptionJobSummaries": [render.summary_shape(j) for j in found]}


@operation("DeleteMedicalTranscriptionJob")
def delete_medical_transcription_job(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    jobs.delete(ctx, params["MedicalTranscriptionJobName"])
    return {}
