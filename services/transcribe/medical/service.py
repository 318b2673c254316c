"""Medical custom vocabularies: the standard vocabulary machinery in its own name space, with the
medical rules on top (US English only, a table-format file in S3, no phrase lists)."""

from __future__ import annotations

from typing import Any

from services.core.errors import BadRequestException
from services.transcribe.context import RequestContext
from services.transcribe.vocabularies import service as vocabularies

MEDICAL_LANGUAGE = "en-US"


def _check_language(params: dict[str, Any]) -> None:
    code = params["LanguageCode"]
    if code != MEDICAL_LANGUAGE:
        raise BadRequestException(
            f"The language code {code} isn't supported for medical vocabularies. "
            f"Amazon Transcribe Medical supports only {MEDICAL_LANGUAGE}.")


def create(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    _check_language(params)
    return vocabularies.create(ctx, params, medical=True)


def update(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    _check_language(params)
    return vocabularies.update(ctx, params, medical=True)


def describe(ctx: RequestContext, name: str) -> dict[str, Any]:
    return vocabularies.describe(ctx, name, medical=True)


def list_vocabularies(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return vocabularies.list_vocabularies(ctx, params, medical=True)


def delete(ctx: RequestContext, name: str) -> None:
    vocabularies.delete(ctx, name, medical=True)
