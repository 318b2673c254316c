"""Vocabulary filters: words to remove, mask or tag in transcripts.

Unlike vocabularies, filters have no processing state: AWS answers Create/Update only once the
words are known, so a file is read from S3 and checked while the request waits (it is at most
50 KB). The word list is stored in the row for the pipeline and as a file behind DownloadUri.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core.arns import ResourceType
from services.core.clock import epoch, utcnow
from services.core.errors import (
    BadRequestException,
    ConflictException,
    InternalFailureException,
    LimitExceededException,
)
from services.core.quotas import limit_for
from services.db.models import VocabularyFilter
from services.db.session import after_commit
from services.storage.s3 import presign_get
from services.transcribe import errors
from services.transcribe.context import RequestContext
from services.transcribe.named import find_named, list_named
from services.transcribe.tags.service import delete_tags, replace_tags
from services.transcribe.vocabularies import inputs
from services.transcribe.vocabularies.parsing import MAX_FILE_BYTES
from services.transcribe.vocabulary_filters import parsing

NOT_FOUND = ("The requested vocabulary filter couldn't be found. Check the vocabulary filter name and "
             "try your request again.")
CONFLICT = "The requested vocabulary filter name already exists. Use a different vocabulary filter name."
WORDS_XOR_FILE = "Either Words or VocabularyFilterFileUri field should be provided."
RTYPE = ResourceType.VOCABULARY_FILTER


def find(session: Session, account_id: str, name: str, for_update: bool = False) -> VocabularyFilter | None:
    return find_named(session, VocabularyFilter, account_id, name, for_update=for_update)


def _require(ctx: RequestContext, op: str, name: str, for_update: bool = False) -> VocabularyFilter:
    row = find(ctx.session, ctx.account_id, name, for_update)
    if row is None:
        raise errors.not_found(op, ctx.settings, NOT_FOUND)
    return row


def _words(ctx: RequestContext, params: dict[str, Any], language_code: str) -> list[str]:
    """The filter's words from the request or its file; every refusal is a BadRequestException."""
    words, uri = params.get("Words"), params.get("VocabularyFilterFileUri")
    if (words is None) == (uri is None):
        raise BadRequestException(WORDS_XOR_FILE)
    try:
        if words is not None:
            return parsing.check_words(list(words), language_code)
        loc = inputs.parse_uri(str(uri), ctx.settings)
        if loc is None:
            raise BadRequestException(
                f"The VocabularyFilterFileUri {uri!r} doesn't point to an S3 object. Use s3://bucket/key "
                "or an HTTPS S3 URL and try your request again.")
        data = inputs.read_object(loc, MAX_FILE_BYTES)
        return parsing.parse_file(data, language_code)
    except parsing.FilterFormatError as exc:
        raise BadRequestException(str(exc)) from None
    except inputs.InputUnavailable:
        raise BadRequestException(
            f"The vocabulary filter file {uri} can't be read: the object doesn't exist or isn't readable. "
            "Check the VocabularyFilterFileUri and try your request again.") from None
    except inputs.TransientInputError:
        raise InternalFailureException(
            "The vocabulary filter file couldn't be read from S3 right now. Try your request again."
        ) from None


def _store(ctx: RequestContext, row: VocabularyFilter) -> None:
    """Write the word list under a fresh key; the previous file goes only once the commit stands."""
    old_key, settings = row.download_key, ctx.settings
    key = f"vocabulary-filters/{row.account_id}/{row.id}/{uuid.uuid4().hex}.txt"
    try:
        inputs.put_service_object(settings, key, parsing.render(list(row.words)))
    except inputs.TransientInputError:
        raise InternalFailureException(
            "The vocabulary filter couldn't be stored right now. Try your request again.") from None
    row.download_key = key
    if old_key:
        after_commit(ctx.session, lambda: inputs.delete_service_object(settings, old_key))


def create(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name, language_code = params["VocabularyFilterName"], params["LanguageCode"]
    words = _words(ctx, params, language_code)
    session = ctx.session
    if find(session, ctx.account_id, name) is not None:
        raise ConflictException(CONFLICT)
    count = session.scalar(select(func.count()).select_from(VocabularyFilter).where(
        VocabularyFilter.account_id == ctx.account_id)) or 0
    limit = limit_for(ctx.settings, ctx.account_id, "max_vocabulary_filters")
    if count >= limit:
        raise LimitExceededException(
            f"You have reached the limit of {limit} vocabulary filters for this account. Delete a "
            "vocabulary filter and try your request again.")
    row = VocabularyFilter(
        account_id=ctx.account_id, region=ctx.region, name=name, language_code=language_code, words=words,
        file_uri=params.get("VocabularyFilterFileUri"), data_access_role_arn=params.get("DataAccessRoleArn"),
        encryption_configuration=params.get("EncryptionConfiguration"), last_modified_time=utcnow())
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise ConflictException(CONFLICT) from None
    _store(ctx, row)
    replace_tags(session, ctx.account_id, RTYPE, name, params.get("Tags"))
    session.flush()
    return {"VocabularyFilterName": row.name, "LanguageCode": row.language_code,
            "LastModifiedTime": epoch(row.last_modified_time)}


def update(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    row = _require(ctx, "UpdateVocabularyFilter", params["VocabularyFilterName"], for_update=True)
    row.words = _words(ctx, params, row.language_code)
    row.file_uri = params.get("VocabularyFilterFileUri")
    row.data_access_role_arn = params.get("DataAccessRoleArn")
    row.encryption_configuration = params.get("EncryptionConfiguration")
    row.last_modified_time = utcnow()
    _store(ctx, row)
    ctx.session.flush()
    return {"VocabularyFilterName": row.name, "LanguageCode": row.language_code,
            "LastModifiedTime": epoch(row.last_modified_time)}


def describe(ctx: RequestContext, name: str) -> dict[str, Any]:
    row = _require(ctx, "GetVocabularyFilter", name)
    out: dict[str, Any] = {"VocabularyFilterName": row.name, "LanguageCode": row.language_code,
                           "LastModifiedTime": epoch(row.last_modified_time)}
    if row.download_key:
        out["DownloadUri"] = presign_get(ctx.settings.s3.service_bucket, row.download_key, ctx.settings.s3)
    if row.data_access_role_arn:
        out["DataAccessRoleArn"] = row.data_access_role_arn
    if row.encryption_configuration:
        out["EncryptionConfiguration"] = row.encryption_configuration
    return out


def list_filters(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    rows, token = list_named(ctx, VocabularyFilter, params, scope="ListVocabularyFilters",
                             sort_col=VocabularyFilter.last_modified_time)
    out: dict[str, Any] = {"VocabularyFilters": [
        {"VocabularyFilterName": r.name, "LanguageCode": r.language_code,
         "LastModifiedTime": epoch(r.last_modified_time)} for r in rows]}
    if token:
        out["NextToken"] = token
    return out


def delete(ctx: RequestContext, name: str) -> None:
    row = _require(ctx, "DeleteVocabularyFilter", name, for_update=True)
    delete_tags(ctx.session, ctx.account_id, RTYPE, name)
    prefix, settings = f"vocabulary-filters/{row.account_id}/{row.id}/", ctx.settings
    ctx.session.delete(row)
    ctx.session.flush()
    after_commit(ctx.session, lambda: inputs.delete_service_prefix(settings, prefix))
