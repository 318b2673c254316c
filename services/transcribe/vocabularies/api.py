"""CreateVocabulary, GetVocabulary, ListVocabularies, UpdateVocabulary, DeleteVocabulary."""

from __future__ import annotations

from typing import Any

from services.protocol.dispatch import operation
from services.transcribe.context import RequestContext
from services.transcribe.vocabularies import service


@operation("CreateVocabulary")
def create_vocabulary(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.create(ctx, params)


@operation("GetVocabulary")
def get_vocabulary(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.describe(ctx, params["VocabularyName"])


@operation("ListVocabularies")
def list_vocabularies(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.list_vocabularies(ctx, params)


@operation("UpdateVocabulary")
def update_vocabulary(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.update(ctx, params)


@operation("DeleteVocabulary")
def delete_vocabulary(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    service.delete(ctx, params["VocabularyName"])
    return {}
