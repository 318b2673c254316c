"""Worker side of medical jobs: load what the pure medical pipeline needs, then run it.

The pipeline must not touch the database, so the job's medical vocabulary (its parsed table
entries) and the lexicon switch are read here and handed over in ``JobOptions.settings``.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from services.core.settings import get_settings
from services.db.models import Vocabulary
from services.db.session import unit_of_work
from workers.leases import ClaimedJob
from workers.pipeline.contract import JobOptions, PipelineResult
from workers.pipeline.medical import USE_LEXICON, VOCABULARY_ENTRIES, transcribe_medical

log = logging.getLogger("harken.worker")

Pipeline = Callable[[Path, JobOptions], PipelineResult]


def vocabulary_entries(account_id: str, name: str) -> list[dict[str, Any]] | None:
    with unit_of_work() as s:
        vocab = s.scalar(select(Vocabulary).where(
            Vocabulary.account_id == account_id, Vocabulary.medical.is_(True), Vocabulary.name == name))
        if vocab is None or vocab.state != "READY":
            return None
        return list(vocab.entries or [])


def medical_options(job: ClaimedJob, options: JobOptions) -> JobOptions:
    name = (job.request.get("Settings") or {}).get("VocabularyName")
    entries = vocabulary_entries(job.account_id, name) if name else None
    if name and entries is None:
        # Deleted (or re-processing) after the job started: transcribe without it rather than fail.
        log.warning("job %s: medical vocabulary %s is gone or not READY; running without it", job.id, name)
    extra = {**options.settings, VOCABULARY_ENTRIES: entries, USE_LEXICON: get_settings().medical.lexicon}
    return dataclasses.replace(options, settings=extra)


def medical_pipeline(base: Pipeline) -> Pipeline:
    """The configured pipeline, wrapped with medical biasing and the medical transcript layout."""
    return functools.partial(transcribe_medical, base=base)
