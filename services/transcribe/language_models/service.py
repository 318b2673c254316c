"""Custom language models: IN_PROGRESS on create, then COMPLETED or FAILED once
``train_language_model`` (a Celery task sent after the commit) has read the training text from S3.
See ``training`` for what the artifacts are."""

from __future__ import annotations

import json
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
from services.db.models import LanguageModel
from services.db.session import after_commit
from services.storage.uris import S3Location
from services.transcribe import errors
from services.transcribe.context import RequestContext
from services.transcribe.language_models import training
from services.transcribe.named import find_named, list_named
from services.transcribe.tags.service import delete_tags, replace_tags
from services.transcribe.vocabularies import inputs

IN_PROGRESS, COMPLETED, FAILED = "IN_PROGRESS", "COMPLETED", "FAILED"
RTYPE = ResourceType.LANGUAGE_MODEL

NOT_FOUND = ("The requested language model couldn't be found. Check the language model name and try "
             "your request again.")
CONFLICT = "The requested language model name already exists. Use a different language model name."
#: How many leading terms and phrases the row keeps beside the artifact's S3 key.
SUMMARY_TERMS = 20
#: Read size for streaming training files.
_CHUNK = 1 << 20


def find(session: Session, account_id: str, name: str, for_update: bool = False) -> LanguageModel | None:
    return find_named(session, LanguageModel, account_id, name, for_update=for_update)


def _require(ctx: RequestContext, op: str, name: str, for_update: bool = False) -> LanguageModel:
    row = find(ctx.session, ctx.account_id, name, for_update)
    if row is None:
        raise errors.not_found(op, ctx.settings, NOT_FOUND)
    return row


def upgrade_available(row: LanguageModel) -> bool:
    """True for a COMPLETED model whose artifact an older Harken built: training it again (a new
    model from the same data) would give the current, better artifact. AWS means the same by it
    for a newer base model."""
    return row.status == COMPLETED and (row.artifacts or {}).get("format") != training.ARTIFACT_FORMAT


def _model(row: LanguageModel) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ModelName": row.name, "CreateTime": epoch(row.create_time),
        "LastModifiedTime": epoch(row.last_modified_time), "LanguageCode": row.language_code,
        "BaseModelName": row.base_model_name, "ModelStatus": row.status,
        "UpgradeAvailability": upgrade_available(row), "InputDataConfig": row.input_data_config}
    if row.failure_reason:
        out["FailureReason"] = row.failure_reason
    if row.encryption_configuration:
        out["EncryptionConfiguration"] = row.encryption_configuration
    return out


def create(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    name, config = params["ModelName"], params["InputDataConfig"]
    for member in ("S3Uri", "TuningDataS3Uri"):
        uri = config.get(member)
        if uri is not None and inputs.parse_prefix_uri(uri, ctx.settings) is None:
            raise BadRequestException(
                f"The {member} {uri!r} doesn't point to an S3 location. Use s3://bucket/prefix/ and try "
                "your request again.")
    if config.get("TuningDataS3Uri") and config["TuningDataS3Uri"].rstrip("/") == config["S3Uri"].rstrip("/"):
        raise BadRequestException("TuningDataS3Uri must point to different files than S3Uri: keep the "
                                  "tuning data separate from the training data.")
    session = ctx.session
    if find(session, ctx.account_id, name) is not None:
        raise ConflictException(CONFLICT)
    count = session.scalar(select(func.count()).select_from(LanguageModel).where(
        LanguageModel.account_id == ctx.account_id)) or 0
    limit = limit_for(ctx.settings, ctx.account_id, "max_language_models")
    if count >= limit:
        raise LimitExceededException(
            f"You have reached the limit of {limit} custom language models for this account. Delete a "
            "model and try your request again.")
    now = utcnow()
    row = LanguageModel(
        account_id=ctx.account_id, region=ctx.region, name=name, language_code=params["LanguageCode"],
        base_model_name=params["BaseModelName"], status=IN_PROGRESS, input_data_config=dict(config),
        encryption_configuration=params.get("EncryptionConfiguration"), upgrade_availability=False,
        create_time=now, last_modified_time=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise ConflictException(CONFLICT) from None
    replace_tags(session, ctx.account_id, RTYPE, name, params.get("Tags"))
    model_id = row.id
    after_commit(session, lambda: taskqueue.send(taskqueue.TRAIN_LANGUAGE_MODEL, model_id))
    return {"LanguageCode": row.language_code, "BaseModelName": row.base_model_name, "ModelName": row.name,
            "InputDataConfig": row.input_data_config, "ModelStatus": row.status}


def describe(ctx: RequestContext, name: str) -> dict[str, Any]:
    return {"LanguageModel": _model(_require(ctx, "DescribeLanguageModel", name))}


def list_models(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    rows, token = list_named(ctx, LanguageModel, params, scope="ListLanguageModels",
                             sort_col=LanguageModel.create_time, status_param="StatusEquals",
                             status_col=LanguageModel.status)
    out: dict[str, Any] = {"Models": [_model(r) for r in rows]}
    if token:
        out["NextToken"] = token
    return out


def update(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    """UpdateLanguageModel only changes the encryption settings of a finished model (AWS re-encrypts
    the artifacts in place); Harken records them. Refused while the model is still training."""
    row = _require(ctx, "UpdateLanguageModel", params["ModelName"], for_update=True)
    if row.status == IN_PROGRESS:
        raise ConflictException(
            f"The custom language model {row.name} is still being created (IN_PROGRESS). Wait until it "
            "is COMPLETED or FAILED and try your request again.")
    if "EncryptionConfiguration" in params:
        row.encryption_configuration = params["EncryptionConfiguration"]
    row.last_modified_time = utcnow()
    ctx.session.flush()
    return {"ModelName": row.name, "LastModifiedTime": epoch(row.last_modified_time),
            "ModelStatus": row.status}


def delete(ctx: RequestContext, name: str) -> None:
    row = _require(ctx, "DeleteLanguageModel", name, for_update=True)
    delete_tags(ctx.session, ctx.account_id, RTYPE, name)
    prefix, settings = storage_prefix(row), ctx.settings
    ctx.session.delete(row)
    ctx.session.flush()
    after_commit(ctx.session, lambda: inputs.delete_service_prefix(settings, prefix))


# --- training (runs in the worker) ----------------------------------------------------------------


def _read_corpus(loc: S3Location, max_bytes: int, what: str, language_code: str,
                 required: bool) -> training.CorpusStats | None:
    objects = inputs.list_objects(loc)
    uri = f"s3://{loc.bucket}/{loc.key}"
    if not objects:
        if not required:
            return None
        raise training.TrainingDataError(
            f"No {what} data was found at {uri}. Upload plain-text (UTF-8) files under that prefix and "
            "create the model again.")
    total = sum(int(o["Size"]) for o in objects)
    if total > max_bytes:
        raise training.TrainingDataError(
            f"The {what} data at {uri} is {total} bytes in total; the limit is {max_bytes} bytes.")
    stats = training.CorpusStats(files=len(objects), bytes=total)
    for obj in objects:
        name = f"s3://{loc.bucket}/{obj['Key']}"
        body = inputs.stream_object(S3Location(loc.bucket, obj["Key"]))
        try:
            for line in training.decode_lines(body.iter_chunks(_CHUNK), name):
                stats.add_line(line, language_code)
        finally:
            body.close()
    return stats


def storage_prefix(row: LanguageModel) -> str:
    return f"language-models/{row.account_id}/{row.id}/"


def summary(artifacts: dict[str, Any], key: str) -> dict[str, Any]:
    """What the row keeps: where the full artifact is, and its head for operators to inspect."""
    out = {k: artifacts[k] for k in ("format", "language_code", "base_model_name", "training", "tuning",
                                     "prompt")}
    out["key"] = key
    out["terms"] = artifacts["terms"][:SUMMARY_TERMS]
    out["phrases"] = artifacts["phrases"][:SUMMARY_TERMS]
    return out


def train_language_model(session: Session, model_id: int, settings: Settings | None = None) -> str | None:
    """Train an IN_PROGRESS model; returns its new status, or None if there was nothing to do
    (deleted, or already finished: the task is idempotent). Transient S3 errors propagate so the
    task retries; the caller commits."""
    settings = settings or get_settings()
    row = session.get(LanguageModel, model_id)
    if row is None or row.status != IN_PROGRESS:
        return None
    config = row.input_data_config
    try:
        train_loc = inputs.parse_prefix_uri(config["S3Uri"], settings)
        tune_uri = config.get("TuningDataS3Uri")
        tune_loc = inputs.parse_prefix_uri(tune_uri, settings) if tune_uri else None
        if train_loc is None or (tune_uri and tune_loc is None):
            raise training.TrainingDataError("The S3Uri or TuningDataS3Uri isn't a valid S3 location.")
        train = _read_corpus(train_loc, training.MAX_TRAINING_BYTES, "training", row.language_code, True)
        tune = (_read_corpus(tune_loc, training.MAX_TUNING_BYTES, "tuning", row.language_code, True)
                if tune_loc else None)
        assert train is not None
        artifacts = training.build_artifacts(train, tune, language_code=row.language_code,
                                             base_model_name=row.base_model_name)
        key = f"{storage_prefix(row)}artifact.json"
        inputs.put_service_object(settings, key, json.dumps(artifacts, ensure_ascii=False).encode())
        artifacts = summary(artifacts, key)
        status, reason = COMPLETED, None
    except training.TrainingDataError as exc:
        artifacts, status, reason = None, FAILED, str(exc)
    except inputs.InputUnavailable as exc:
        artifacts, status, reason = None, FAILED, str(exc)
    # Re-read under a lock: the model may have been deleted while the data was being read.
    row = session.get(LanguageModel, model_id, with_for_update=True, populate_existing=True)
    if row is None or row.status != IN_PROGRESS:
        return None
    row.status, row.failure_reason, row.artifacts = status, reason, artifacts
    row.last_modified_time = utcnow()
    session.flush()
    return status


def fail_language_model(session: Session, model_id: int, reason: str) -> None:
    """Give up on a model whose training kept failing for transient reasons."""
    row = session.get(LanguageModel, model_id, with_for_update=True)
    if row is None or row.status != IN_PROGRESS:
        return
    row.status, row.failure_reason, row.last_modified_time = FAILED, reason, utcnow()
    session.flush()
