"""The Celery task shims for resources, run eagerly in-process against real Postgres and S3, and
the service calls they wrap (no worker processes)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from services.core.settings import get_settings
from services.db.models import LanguageModel, Vocabulary
from services.db.session import unit_of_work
from services.transcribe.context import RequestContext
from services.transcribe.language_models import service as language_models
from services.transcribe.vocabularies import service as vocabularies
from tests.support import stack


def _ctx(session: Any) -> RequestContext:
    return RequestContext(account_id=stack.ACCOUNT_A, region="us-east-1", request_id=str(uuid.uuid4()),
                          session=session, settings=get_settings())


def test_process_vocabulary_task_eagerly(harken_env: dict[str, str]) -> None:
    from workers.resource_tasks import process_vocabulary

    name = f"task-{uuid.uuid4().hex[:8]}"
    with unit_of_work() as session:
        vocabularies.create(_ctx(session), {"VocabularyName": name, "LanguageCode": "en-US",
                                            "Phrases": ["Kubernetes"]})
    with unit_of_work() as session:
        row = session.scalars(select(Vocabulary).where(Vocabulary.name == name)).one()
    assert process_vocabulary.apply(args=[row.id, row.revision + 1]).get() is None  # stale revision
    assert process_vocabulary.apply(args=[row.id, row.revision]).get() == "READY"
    with unit_of_work() as session:
        row = session.get(Vocabulary, row.id)
        assert row is not None and row.state == "READY" and row.download_key
        assert row.entries == [{"phrase": "Kubernetes", "sounds_like": None, "ipa": None, "display_as": None}]


def test_fail_vocabulary_respects_revision(harken_env: dict[str, str]) -> None:
    name = f"give-up-{uuid.uuid4().hex[:8]}"
    with unit_of_work() as session:
        vocabularies.create(_ctx(session), {"VocabularyName": name, "LanguageCode": "en-US",
                                            "Phrases": ["x"]})
    with unit_of_work() as session:
        vid = session.scalars(select(Vocabulary.id).where(Vocabulary.name == name)).one()
        vocabularies.fail_vocabulary(session, vid, 99, "stale")
    with unit_of_work() as session:
        assert session.get(Vocabulary, vid).state == "PENDING"  # type: ignore[union-attr]
        vocabularies.fail_vocabulary(session, vid, 1, "gave up")
    with unit_of_work() as session:
        row = session.get(Vocabulary, vid)
        assert row is not None and (row.state, row.failure_reason) == ("FAILED", "gave up")


def test_train_language_model_task_eagerly(harken_env: dict[str, str], s3: Any, media_bucket: str) -> None:
    from workers.resource_tasks import train_language_model

    name = f"clm-task-{uuid.uuid4().hex[:8]}"
    s3.put_object(Bucket=media_bucket, Key=f"clm-task/{name}/a.txt",
                  Body=b"Harken transcribes audio with Whisper.\n" * 20)
    with unit_of_work() as session:
        language_models.create(_ctx(session), {
            "ModelName": name, "LanguageCode": "en-GB", "BaseModelName": "NarrowBand",
            "InputDataConfig": {"S3Uri": f"s3://{media_bucket}/clm-task/{name}/",
                                "DataAccessRoleArn": "arn:aws:iam::111122223333:role/r"}})
    with unit_of_work() as session:
        mid = session.scalars(select(LanguageModel.id).where(LanguageModel.name == name)).one()
    assert train_language_model.apply(args=[mid]).get() == "COMPLETED"
    with unit_of_work() as session:
        row = session.get(LanguageModel, mid)
        assert row is not None and row.status == "COMPLETED"
        assert row.artifacts["base_model_name"] == "NarrowBand"
        assert {t["term"] for t in row.artifacts["terms"][:2]} == {"Harken", "transcribes"}
