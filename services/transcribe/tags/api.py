"""TagResource, UntagResource and ListTagsForResource over every taggable resource type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.core.arns import Arn, ResourceType, parse_arn
from services.core.errors import BadRequestException, NotFoundException
from services.db.models import LanguageModel, TranscriptionJob, Vocabulary, VocabularyFilter
from services.protocol.dispatch import operation
from services.transcribe.context import RequestContext
from services.transcribe.tags import service

NOT_FOUND = "The requested resource couldn't be found. Check the resource ARN and try your request again."


def _exists_job(medical: bool) -> Callable[[Session, str, str], bool]:
    def check(session: Session, account: str, name: str) -> bool:
        return session.scalar(select(TranscriptionJob.id).where(
            TranscriptionJob.account_id == account, TranscriptionJob.medical.is_(medical),
            TranscriptionJob.name == name)) is not None
    return check


def _exists_vocab(medical: bool) -> Callable[[Session, str, str], bool]:
    def check(session: Session, account: str, name: str) -> bool:
        return session.scalar(select(Vocabulary.id).where(
            Vocabulary.account_id == account, Vocabulary.medical.is_(medical),
            Vocabulary.name == name)) is not None
    return check


def _exists_filter(session: Session, account: str, name: str) -> bool:
    return session.scalar(select(VocabularyFilter.id).where(
        VocabularyFilter.account_id == account, VocabularyFilter.name == name)) is not None


def _exists_model(session: Session, account: str, name: str) -> bool:
    return session.scalar(select(LanguageModel.id).where(
        LanguageModel.account_id == account, LanguageModel.name == name)) is not None


EXISTS: dict[ResourceType, Callable[[Session, str, str], bool]] = {
    ResourceType.TRANSCRIPTION_JOB: _exists_job(False),
    ResourceType.MEDICAL_TRANSCRIPTION_JOB: _exists_job(True),
    ResourceType.VOCABULARY: _exists_vocab(False),
    ResourceType.MEDICAL_VOCABULARY: _exists_vocab(True),
    ResourceType.VOCABULARY_FILTER: _exists_filter,
    ResourceType.LANGUAGE_MODEL: _exists_model,
}


def _resource(ctx: RequestContext, arn_text: str) -> Arn:
    arn = parse_arn(arn_text)
    if arn is None:
        raise BadRequestException(f"The ARN {arn_text} isn't valid. Check the resource ARN and try again.")
    check = EXISTS.get(arn.resource_type)
    # Another account's ARN is reported exactly like a missing resource: nothing leaks across tenants.
    if check is None or arn.account_id != ctx.account_id or not check(ctx.session, ctx.account_id, arn.name):
        raise NotFoundException(NOT_FOUND)
    return arn


@operation("TagResource")
def tag_resource(ctx: RequestContext, req: dict[str, Any]) -> None:
    arn = _resource(ctx, req["ResourceArn"])
    current = {t["Key"] for t in service.list_tags(ctx.session, ctx.account_id, arn.resource_type, arn.name)}
    merged = current | {t["Key"] for t in req["Tags"]}
    if len(merged) > service.MAX_TAGS:
        raise BadRequestException(f"A resource can have at most {service.MAX_TAGS} tags; this request would "
                                  f"give it {len(merged)}.")
    service.upsert_tags(ctx.session, ctx.account_id, arn.resource_type, arn.name, req["Tags"])


@operation("UntagResource")
def untag_resource(ctx: RequestContext, req: dict[str, Any]) -> None:
    arn = _resource(ctx, req["ResourceArn"])
    service.remove_tag_keys(ctx.session, ctx.account_id, arn.resource_type, arn.name, req["TagKeys"])


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: RequestContext, req: dict[str, Any]) -> dict[str, Any]:
    arn = _resource(ctx, req["ResourceArn"])
    return {"ResourceArn": req["ResourceArn"],
            "Tags": service.list_tags(ctx.session, ctx.account_id, arn.resource_type, arn.name)}
