"""Resolve a job's vocabulary, filter and language-model names to loaded resources.

Compiled forms live in the service bucket, written once when a resource becomes usable:

* a vocabulary's ``CompiledVocabulary`` at ``vocabularies/<account>/<id>/r<revision>/compiled.json``
  (``store_compiled_vocabulary``, run by the processing task as the vocabulary turns READY; the
  revision in the key means an Update can never leave a job reading a stale compilation);
* a language model's artifact at the key its row records (written by training).

Each worker process keeps the loaded forms in a small cache keyed by what makes them unique, so a
busy worker does not re-read S3 for every job. A resource deleted after the job started is simply
not applied (the request was valid when it was made).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from botocore.exceptions import ClientError
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.core.settings import get_settings
from services.db.models import LanguageModel, Vocabulary, VocabularyFilter
from services.db.session import unit_of_work
from services.storage.s3 import s3_client
from services.transcribe.vocabularies import inputs
from services.transcribe.vocabularies.service import storage_prefix
from workers.pipeline.customization import (
    Customization,
    FilterSpec,
    JobCustomizations,
    LanguageModelBias,
    from_request_settings,
)
from workers.pipeline.vocabulary import CompiledVocabulary, compile_vocabulary

log = logging.getLogger(__name__)

READY, COMPLETED = "READY", "COMPLETED"
#: How many distinctive terms of a language model feed near-miss correction.
LM_CORRECTION_TERMS = 150

T = TypeVar("T")


class _Cache:
    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = build()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value


_VOCABULARIES = _Cache()
_MODELS = _Cache()


def compiled_key(row: Vocabulary) -> str:
    return f"{storage_prefix(row)}r{row.revision}/compiled.json"


def store_compiled_vocabulary(session: Session, vocabulary_id: int) -> bool:
    """Compile a READY vocabulary and store the result (idempotent: same key, same content)."""
    row = session.get(Vocabulary, vocabulary_id)
    if row is None or row.state != READY or not row.entries:
        return False
    compiled = compile_vocabulary(row.entries, row.language_code)
    inputs.put_service_object(get_settings(), compiled_key(row),
                              json.dumps(compiled.to_dict(), ensure_ascii=False).encode())
    return True


def _read_json(key: str) -> dict[str, Any] | None:
    """A stored JSON document, or None when it is not there. Other S3 trouble propagates (the job
    retries)."""
    try:
        body = s3_client().get_object(Bucket=get_settings().s3.service_bucket, Key=key)["Body"]
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code")) in ("NoSuchKey", "404", "NotFound"):
            return None
        raise
    try:
        data = json.loads(body.read())
    finally:
        body.close()
    return data if isinstance(data, dict) else None


def vocabulary_from_row(row: Vocabulary) -> CompiledVocabulary:
    """The stored compilation, or one made now from the entries (a vocabulary that became READY
    before compilation existed, or whose compiled file was lost)."""
    def build() -> CompiledVocabulary:
        data = _read_json(compiled_key(row))
        if data is not None:
            try:
                return CompiledVocabulary.from_dict(data)
            except (ValueError, KeyError, TypeError):
                log.warning("vocabulary %s: unreadable compiled form; compiling again", row.id)
        return compile_vocabulary(row.entries or [], row.language_code)

    return _VOCABULARIES.get((row.id, row.revision, row.last_modified_time), build)


def load_vocabulary(session: Session, account_id: str, name: str, *,
                    medical: bool = False) -> CompiledVocabulary | None:
    """A READY vocabulary of the account, compiled; None when it is gone or not READY."""
    row = session.scalar(select(Vocabulary).where(
        Vocabulary.account_id == account_id, Vocabulary.medical.is_(medical), Vocabulary.name == name))
    if row is None or row.state != READY:
        log.warning("vocabulary %s is gone or not READY; not applied", name)
        return None
    return vocabulary_from_row(row)


def language_model_bias(artifact: Mapping[str, Any]) -> LanguageModelBias:
    """A trained model's artifact → what the recognizer and the corrector use."""
    language = str(artifact["language_code"])
    terms = [t for t in artifact.get("terms", []) if t.get("rare", True)]
    entries = [{"phrase": t["term"], "sounds_like": None, "ipa": None, "display_as": None}
               for t in terms[:LM_CORRECTION_TERMS]]
    vocab = compile_vocabulary(entries, language) if entries else None
    return LanguageModelBias(language, str(artifact.get("prompt") or ""), vocab)


def load_language_model(session: Session, account_id: str, name: str) -> LanguageModelBias | None:
    row = session.scalar(select(LanguageModel).where(
        LanguageModel.account_id == account_id, LanguageModel.name == name))
    if row is None or row.status != COMPLETED or not row.artifacts:
        log.warning("language model %s is gone or not COMPLETED; not applied", name)
        return None
    key = row.artifacts.get("key")

    def build() -> LanguageModelBias | None:
        artifact = _read_json(key) if key else row.artifacts
        if artifact is None:
            log.warning("language model %s: artifact %s missing; not applied", name, key)
            return None
        return language_model_bias(artifact)

    return _MODELS.get((row.id, row.last_modified_time, key), build)


def load_filter(session: Session, account_id: str, name: str, method: str) -> FilterSpec | None:
    row = session.scalar(select(VocabularyFilter).where(
        VocabularyFilter.account_id == account_id, VocabularyFilter.name == name))
    if row is None:
        log.warning("vocabulary filter %s is gone; not applied", name)
        return None
    return FilterSpec(tuple(str(w) for w in row.words), method, row.language_code)


def load_customizations(account_id: str, settings: Mapping[str, Any]) -> JobCustomizations:
    """Everything the request names, per language key (see ``customization.from_request_settings``)."""
    wanted = from_request_settings(settings)
    if not wanted:
        return JobCustomizations()
    out: dict[str, Customization] = {}
    with unit_of_work() as session:
        for lang, names in wanted.items():
            vocab = load_vocabulary(session, account_id, names["VocabularyName"]) \
                if names.get("VocabularyName") else None
            vf = load_filter(session, account_id, names["VocabularyFilterName"],
                             names.get("VocabularyFilterMethod", "mask")) \
                if names.get("VocabularyFilterName") else None
            lm = load_language_model(session, account_id, names["LanguageModelName"]) \
                if names.get("LanguageModelName") else None
            out[lang] = Customization(vocab, vf, lm)
    return JobCustomizations(out)
