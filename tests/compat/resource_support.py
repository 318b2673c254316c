"""Helpers shared by the vocabulary, filter and language-model compat tests: run the processing
that a Celery worker would run (directly, after the request committed) and inspect rows."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from services.db.models import LanguageModel, Tag, Vocabulary
from services.db.session import unit_of_work
from tests.support import stack


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def process_vocabularies(name: str, *, medical: bool = False, account_id: str = stack.ACCOUNT_A,
                         revision: int | None = None) -> str | None:
    from services.transcribe.vocabularies.service import process_vocabulary

    with unit_of_work() as session:
        vid = session.scalar(select(Vocabulary.id).where(
            Vocabulary.account_id == account_id, Vocabulary.medical == medical, Vocabulary.name == name))
    assert vid is not None, name
    with unit_of_work() as session:
        return process_vocabulary(session, vid, revision)


def vocabulary_row(name: str, *, medical: bool = False, account_id: str = stack.ACCOUNT_A) -> Any:
    with unit_of_work() as session:
        return session.scalars(select(Vocabulary).where(
            Vocabulary.account_id == account_id, Vocabulary.medical == medical,
            Vocabulary.name == name)).first()


def train_model(name: str, account_id: str = stack.ACCOUNT_A) -> str | None:
    from services.transcribe.language_models.service import train_language_model

    with unit_of_work() as session:
        mid = session.scalar(select(LanguageModel.id).where(
            LanguageModel.account_id == account_id, LanguageModel.name == name))
    assert mid is not None, name
    with unit_of_work() as session:
        return train_language_model(session, mid)


def model_row(name: str, account_id: str = stack.ACCOUNT_A) -> Any:
    with unit_of_work() as session:
        return session.scalars(select(LanguageModel).where(
            LanguageModel.account_id == account_id, LanguageModel.name == name)).first()


def tag_rows(resource_type: str, name: str, account_id: str = stack.ACCOUNT_A) -> list[tuple[str, str]]:
    with unit_of_work() as session:
        return [(t.key, t.value) for t in session.scalars(select(Tag).where(
            Tag.account_id == account_id, Tag.resource_type == resource_type, Tag.resource_name == name))]


def error(exc_info: Any) -> tuple[str, str, int]:
    resp = exc_info.value.response
    return resp["Error"]["Code"], resp["Error"]["Message"], resp["ResponseMetadata"]["HTTPStatusCode"]
