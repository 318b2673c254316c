"""Celery shims for resource processing: load by id, run the service function in one transaction,
retry transient S3/database trouble with backoff, and fail the resource once retries run out (so
nothing stays PENDING/IN_PROGRESS forever)."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import BotoCoreError
from sqlalchemy.exc import OperationalError

from services.core.taskqueue import PROCESS_VOCABULARY, TRAIN_LANGUAGE_MODEL, celery_app
from services.db.session import unit_of_work
from services.transcribe.language_models import service as language_models
from services.transcribe.vocabularies import service as vocabularies
from services.transcribe.vocabularies.inputs import TransientInputError
from workers.customizations import store_compiled_vocabulary

log = logging.getLogger(__name__)

TRANSIENT = (TransientInputError, BotoCoreError, OperationalError)
GAVE_UP = "An internal error occurred while reading the input from S3. Try your request again."
MAX_RETRIES = 5

app = celery_app()


@app.task(name=PROCESS_VOCABULARY, bind=True, acks_late=True, max_retries=MAX_RETRIES)
def process_vocabulary(self: Any, vocabulary_id: int, revision: int | None = None) -> str | None:
    try:
        with unit_of_work() as session:
            state = vocabularies.process_vocabulary(session, vocabulary_id, revision)
            if state == vocabularies.READY:  # compile once, in the same transaction as READY
                store_compiled_vocabulary(session, vocabulary_id)
            return state
    except TRANSIENT as exc:
        if self.request.retries >= MAX_RETRIES:
            log.exception("vocabulary %s: giving up after %s retries", vocabulary_id, MAX_RETRIES)
            with unit_of_work() as session:
                vocabularies.fail_vocabulary(session, vocabulary_id, revision, GAVE_UP)
            return None
        raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc


@app.task(name=TRAIN_LANGUAGE_MODEL, bind=True, acks_late=True, max_retries=MAX_RETRIES)
def train_language_model(self: Any, model_id: int) -> str | None:
    try:
        with unit_of_work() as session:
            return language_models.train_language_model(session, model_id)
    except TRANSIENT as exc:
        if self.request.retries >= MAX_RETRIES:
            log.exception("language model %s: giving up after %s retries", model_id, MAX_RETRIES)
            with unit_of_work() as session:
                language_models.fail_language_model(session, model_id, GAVE_UP)
            return None
        raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc
