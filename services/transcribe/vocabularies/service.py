"""Custom vocabularies, standard and medical (one table, separate name spaces).

Create and Update only record the request and leave the vocabulary PENDING; the file is read and
checked by ``process_vocabulary`` in a Celery task sent after the commit, which moves it to READY
(with parsed entries) or FAILED (with a FailureReason). A ``revision`` counter, bumped by every
Update, lets a task that was sent for an older revision recognise that it lost the race.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core import taskqueue
from services.core.arns import ResourceType
from services.core.clock import epoch, utcnow
from services.core.errors import BadRequestException, ConflictException, LimitExceededException
from services.core.quotas import limit_for
from services.core.settings import Settings, get_settings
from services.db.models import Vocabulary
from services.db.session import after_commit
from services.transcribe import errors
from services.transcribe.context import RequestContext
from services.transcribe.named import find_named, list_named
from services.transcribe.tags.service import delete_tags, replace_tags
from services.transcribe.vocabularies import inputs
from services.transcribe.vocabularies.parsing import (
    MAX_FILE_BYTES,
    VocabularyFormatError,
    parse_file,
    parse_phrases,
)

PENDING, READY, FAILED = "PENDING", "READY", "FAILED"

NOT_FOUND = ("The requested vocabulary couldn't be found. Check the vocabulary name and try your "
             "request again.")
CONFLICT = "The requested vocabulary name already exists. Use a different vocabulary name."
PHRASES_XOR_FILE = "Either Phrases or VocabularyFileUri field should be provided."
EMPTY_PHRASES = ("1 validation error detected: Value '[]' at 'phrases' failed to satisfy constraint: "
                 "Member must have length greater than or equal to 1")
BAD_URI = ("The VocabularyFileUri {uri!r} doesn't point to an S3 object. Use s3://bucket/key or an "
           "HTTPS S3 URL and try your request again.")


def _op(verb: str, medical: bool) -> str:
    return f"{verb}{'Medical' if medical else ''}Vocabulary"


def resource_type(medical: bool) -> ResourceType:
    return ResourceType.MEDICAL_VOCABULARY if medical else ResourceType.VOCABULARY


def storage_prefix(row: Vocabulary) -> str:
    return f"vocabularies/{row.account_id}/{row.id}/"


def find(session: Session, account_id: str, name: str, *, medical: bool,
         for_update: bool = False) -> Vocabulary | None:
    return find_named(session, Vocabulary, account_id, name, for_update=for_update, medical=medical)


def _require(ctx: RequestContext, verb: str, name: str, medical: bool,
             for_update: bool = False) -> Vocabulary:
    row = find(ctx.session, ctx.account_id, name, medical=medical, for_update=for_update)
    if row is None:
        raise errors.not_found(_op(verb, medical), ctx.settings, NOT_FOUND)
    return row


def _check_source(ctx: RequestContext, params: dict[str, Any]) -> None:
    """The request-time rules: exactly one source, a usable URI, and well-formed phrases (AWS
    refuses bad phrases in the request itself; a bad file only fails the vocabulary later)."""
    phrases, uri = params.get("Phrases"), params.get("VocabularyFileUri")
    if (phrases is None) == (uri is None):
        raise BadRequestException(PHRASES_XOR_FILE)
    if phrases is not None:
        if not phrases:
            raise BadRequestException(EMPTY_PHRASES)
        if len("\n".join(phrases).encode()) > MAX_FILE_BYTES:
            raise BadRequestException(
                f"The phrases add up to more than the 50 KB ({MAX_FILE_BYTES} bytes) vocabulary size limit.")
        try:
            parse_phrases(phrases, params["LanguageCode"])
        except VocabularyFormatError as exc:
            raise BadRequestException(str(exc)) from None
    elif inputs.parse_uri(str(uri), ctx.settings) is None:
        raise BadRequestException(BAD_URI.format(uri=uri))


def _enqueue(session: Session, row: Vocabulary) -> None:
    vocabulary_id, revision = row.id, row.revision
    after_commit(session, lambda: taskqueue.send(taskqueue.PROCESS_VOCABULARY, vocabulary_id, revision))


def create(ctx: RequestContext, params: dict[str, Any], *, medical: bool = False) -> dict[str, Any]:
    _check_source(ctx, params)
    name = params["VocabularyName"]
    session = ctx.session
    if find(session, ctx.account_id, name, medical=medical) is not None:
        raise ConflictException(CONFLICT)
    count = session.scalar(select(func.count()).select_from(Vocabulary).where(
        Vocabulary.account_id == ctx.account_id, Vocabulary.medical == medical)) or 0
    limit = limit_for(ctx.settings, ctx.account_id, "max_vocabularies")
    if count >= limit:
        raise LimitExceededException(
            f"You have reached the limit of {limit} {'medical ' if medical else ''}vocabularies for this "
            "account. Delete a vocabulary and try your request again.")
    row = Vocabulary(
        account_id=ctx.account_id, region=ctx.region, medical=medical, name=name,
        language_code=params["LanguageCode"], state=PENDING, phrases=params.get("Phrases"),
        file_uri=params.get("VocabularyFileUri"), data_access_role_arn=params.get("DataAccessRoleArn"),
        encryption_configuration=params.get("EncryptionConfiguration"), revision=1,
        last_modified_time=utcnow())
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # a concurrent Create with the same name won the race
        raise ConflictException(CONFLICT) from None
    replace_tags(session, ctx.account_id, resource_type(medical), name, params.get("Tags"))
    _enqueue(session, row)
    return {"VocabularyName": row.name, "LanguageCode": row.language_code, "VocabularyState": row.state,
            "LastModifiedTime": epoch(row.last_modified_time)}


def update(ctx: RequestContext, params: dict[str, Any], *, medical: bool = False) -> dict[str, Any]:
    row = _require(ctx, "Update", params["VocabularyName"], medical, for_update=True)
    _check_source(ctx, params)
    row.language_code = params["LanguageCode"]
    row.phrases = params.get("Phrases")
    row.file_uri = params.get("VocabularyFileUri")
    if not medical:
        row.data_access_role_arn = params.get("DataAccessRoleArn")
        row.encryption_configuration = params.get("EncryptionConfiguration")
    row.state, row.failure_reason, row.entries = PENDING, None, None
    row.revision += 1
    row.last_modified_time = utcnow()
    ctx.session.flush()
    _enqueue(ctx.session, row)
    return {"VocabularyName": row.name, "LanguageCode": row.language_code,
            "LastModifiedTime": epoch(row.last_modified_time), "VocabularyState": row.state}


def describe(ctx: RequestContext, name: str, *, medical: bool = False) -> dict[str, Any]:
    from services.storage.s3 import presign_get

    row = _require(ctx, "Get", name, medical)
    out: dict[str, Any] = {"VocabularyName": row.name, "LanguageCode": row.language_code,
                           "VocabularyState": row.state, "LastModifiedTime": epoch(row.last_modified_time)}
    if row.failure_reason:
        out["FailureReason"] = row.failure_reason
    if row.download_key:
        out["DownloadUri"] = presign_get(ctx.settings.s3.service_bucket, row.download_key, ctx.settings.s3)
    if not medical:
        if row.data_access_role_arn:
            out["DataAccessRoleArn"] = row.data_access_role_arn
        if row.encryption_configuration:
            out["EncryptionConfiguration"] = row.encryption_configuration
    return out


def list_vocabularies(ctx: RequestContext, params: dict[str, Any], *,
                      medical: bool = False) -> dict[str, Any]:
    state = params.get("StateEquals")
    rows, token = list_named(ctx, Vocabulary, params, scope=_op("List", medical),
                             sort_col=Vocabulary.last_modified_time, status_param="StateEquals",
                             status_col=Vocabulary.state, medical=medical)
    out: dict[str, Any] = {"Vocabularies": [
        {"VocabularyName": r.name, "LanguageCode": r.language_code,
         "LastModifiedTime": epoch(r.last_modified_time), "VocabularyState": r.state} for r in rows]}
    if token:
        out["NextToken"] = token
    if state:
        out["Status"] = state
    return out


def delete(ctx: RequestContext, name: str, *, medical: bool = False) -> None:
    row = _require(ctx, "Delete", name, medical, for_update=True)
    delete_tags(ctx.session, ctx.account_id, resource_type(medical), name)
    prefix, settings = storage_prefix(row), ctx.settings
    ctx.session.delete(row)
    ctx.session.flush()
    after_commit(ctx.session, lambda: inputs.delete_service_prefix(settings, prefix))


# --- processing (runs in the worker) ---------------------------------------------------------------


def _read_source(row: Vocabulary, settings: Settings) -> bytes:
    """The vocabulary's input as stored behind DownloadUri (phrases one per line). Raises
    inputs.InputUnavailable or inputs.TransientInputError."""
    if row.phrases is not None:
        return ("\n".join(row.phrases) + "\n").encode()
    loc = inputs.parse_uri(row.file_uri or "", settings)
    if loc is None:
        raise inputs.InputUnavailable(BAD_URI.format(uri=row.file_uri))
    return inputs.read_object(loc, MAX_FILE_BYTES)


def _parse(row: Vocabulary, raw: bytes) -> list[dict[str, Any]]:
    if row.phrases is not None:
        return parse_phrases(list(row.phrases), row.language_code)
    return parse_file(raw, row.language_code, table_only=row.medical)


def process_vocabulary(session: Session, vocabulary_id: int, revision: int | None = None,
                       settings: Settings | None = None) -> str | None:
    """Move a PENDING vocabulary to READY or FAILED; returns the new state, or None when there was
    nothing to do (deleted, already processed, or superseded by a newer revision).

    The row stays locked while the file is read, so an Update waits for this run instead of being
    overwritten by it. Transient S3 errors propagate (the task retries); the caller commits."""
    settings = settings or get_settings()
    row = session.get(Vocabulary, vocabulary_id, with_for_update=True)
    if row is None or row.state != PENDING or (revision is not None and row.revision != revision):
        return None
    raw: bytes | None = None
    try:
        raw = _read_source(row, settings)
        entries = _parse(row, raw)
        row.state, row.entries, row.failure_reason = READY, entries, None
    except VocabularyFormatError as exc:
        row.state, row.entries, row.failure_reason = FAILED, None, str(exc)
    except inputs.InputUnavailable as exc:
        row.state, row.entries, row.failure_reason = FAILED, None, str(exc)
    old_key = row.download_key
    if raw is not None and len(raw) <= MAX_FILE_BYTES:
        key = f"{storage_prefix(row)}r{row.revision}/input.txt"
        inputs.put_service_object(settings, key, raw)
        row.download_key = key
    else:
        row.download_key = None
    row.last_modified_time = utcnow()
    session.flush()
    if old_key and old_key != row.download_key:
        after_commit(session, lambda: inputs.delete_service_object(settings, old_key))
    return row.state


def fail_vocabulary(session: Session, vocabulary_id: int, revision: int | None, reason: str) -> None:
    """Give up on a vocabulary whose processing kept failing for transient reasons."""
    row = session.get(Vocabulary, vocabulary_id, with_for_update=True)
    if row is None or row.state != PENDING or (revision is not None and row.revision != revision):
        return
    row.state, row.failure_reason, row.last_modified_time = FAILED, reason, utcnow()
    session.flush()
