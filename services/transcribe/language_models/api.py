"""CreateLanguageModel, DescribeLanguageModel, ListLanguageModels, UpdateLanguageModel,
DeleteLanguageModel."""

from __future__ import annotations

from typing import Any

from services.protocol.dispatch import operation
from services.transcribe.context import RequestContext
from services.transcribe.language_models import service


@operation("CreateLanguageModel")
def create_language_model(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.create(ctx, params)


@operation("DescribeLanguageModel")
def describe_language_model(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.describe(ctx, params["ModelName"])


@operation("ListLanguageModels")
def list_language_models(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.list_models(ctx, params)


@operation("UpdateLanguageModel")
def update_language_model(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return service.update(ctx, params)


@operation("DeleteLanguageModel")
def delete_language_model(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    service.delete(ctx, params["ModelName"])
    return {}
