"""Medical vocabulary operations (medical transcription jobs live with the jobs package)."""

from __future__ import annotations

from typing import Any

from services.protocol.dispatch import operation
from services.transcribe.context import RequestContext
from services.transcribe.medical import service


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
