"""CreateVocabularyFilter, GetVocabularyFilter, ListVocabularyFilters, UpdateVocabularyFilter,
DeleteVocabularyFilter."""

from __future__ import annotations

from typing import Any

from services.protocol.dispatch import operation
from services.transcribe.context import RequestContext
from services.transcribe.vocabulary_filters import service


@operation("CreateVocabularyFilter")
def create_vocabulary_filter(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.create(ctx, params)


@operation("GetVocabularyFilter")
def get_vocabulary_filter(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.describe(ctx, params["VocabularyFilterName"])


@operation("ListVocabularyFilters")
def list_vocabulary_filters(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.list_filters(ctx, params)


@operation("UpdateVocabularyFilter")
def update_vocabulary_filter(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.update(ctx, params)


@operation("DeleteVocabularyFilter")
def delete_vocabulary_filter(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    service.delete(ctx, params["VocabularyFilterName"])
    return {}
