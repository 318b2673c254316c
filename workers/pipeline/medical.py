"""Medical jobs through the batch pipeline: bias, transcribe, dictation marks, medical layout.

The medical job runs the same ``transcribe_media`` as any job, with two things wrapped around it:
the recogniser is a ``BiasedRecognizer`` (clinical lexicon + the job's medical vocabulary), and the
finished transcript is rewritten into the medical layout (spoken punctuation for DICTATION), with
PHI ``entities`` when the job asked for them (``workers/pipeline/phi.py``).

The medical transcript file is the layout AWS documents for Transcribe Medical: ``jobName``,
``accountId``, ``results`` (``transcripts``, ``items`` and, where the job asked for them,
``speaker_labels`` / ``channel_labels`` / ``segments`` (shaped by ``medical_layout``) and
``entities``) and ``status``. It carries no ``audio_segments`` or language-identification
members: medical jobs are US English only.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workers.engines.base import Recognizer
from workers.engines.pii.base import PiiDetector
from workers.pipeline import medical_layout
from workers.pipeline.contract import JobOptions, PipelineResult
from workers.pipeline.dictation import apply_spoken_punctuation, render_text
from workers.pipeline.medical_bias import BiasedRecognizer, compile_bias
from workers.pipeline.phi import add_entities

#: ``JobOptions.settings`` keys the worker fills for medical jobs.
VOCABULARY_ENTRIES = "MedicalVocabularyEntries"
USE_LEXICON = "ClinicalLexicon"
#: ``ContentIdentificationType`` value that asks for PHI entities (the only one AWS defines).
PHI = "PHI"
#: Members of ``results`` other stages add that the medical layout keeps, where AWS's examples
#: put them: speakers and channels before ``items``, alternatives (as in general transcripts) after.
BEFORE_ITEMS = ("speaker_labels", "channel_labels")
AFTER_ITEMS = ("segments",)

BasePipeline = Callable[..., PipelineResult]


def medical_results(results: dict[str, Any], dictation: bool) -> dict[str, Any]:
    """The ``results`` member of a medical transcript, from the general pipeline's."""
    items = list(results.get("items") or [])
    if dictation:
        items = apply_spoken_punctuation(items)
        transcripts = [{"transcript": render_text(items)}]
    else:
        transcripts = results.get("transcripts") or [{"transcript": render_text(items)}]
    blocks = medical_layout.blocks(results, items, dictation)
    out: dict[str, Any] = {"transcripts": transcripts}
    for key in BEFORE_ITEMS:
        if key in blocks:
            out[key] = blocks[key]
    out["items"] = items
    for key in AFTER_ITEMS:
        if key in blocks:
            out[key] = blocks[key]
    if "entities" in results:
        out["entities"] = results["entities"]
    return out


def medical_transcript(doc: dict[str, Any], dictation: bool) -> dict[str, Any]:
    return {
        "jobName": doc.get("jobName"),
        "accountId": doc.get("accountId"),
        "results": medical_results(doc.get("results") or {}, dictation),
        "status": doc.get("status", "COMPLETED"),
    }


def _run_base(base: BasePipeline, path: Path, options: JobOptions, engine: Recognizer) -> PipelineResult:
    # A configured pipeline that takes no engine (a test stand-in) still runs; it just is not biased.
    if "engine" in inspect.signature(base).parameters:
        return base(path, options, engine=engine)
    return base(path, options)


def transcribe_medical(path: Path, options: JobOptions, engine: Recognizer | None = None, *,
                       base: BasePipeline | None = None, phi_detector: PiiDetector | None = None) -> PipelineResult:
    s = options.settings
    dictation = s.get("Type") == "DICTATION"
    bias = compile_bias(s.get(VOCABULARY_ENTRIES), use_lexicon=bool(s.get(USE_LEXICON, True)),
                        dictation=dictation)
    if base is None:
        from workers.pipeline.run import transcribe_media

        base = transcribe_media
    if engine is None:
        from workers.engines.whisper import get_recognizer

        engine = get_recognizer()
    result = _run_base(base, path, options, BiasedRecognizer(engine, bias))
    result.transcript = medical_transcript(result.transcript, dictation)
    if s.get("ContentIdentificationType") == PHI:
        # after the dictation marks: entities are found in (and point at) the final items
        if phi_detector is None:
            from workers.engines.pii import get_detector

            phi_detector = get_detector()
        result.transcript = add_entities(result.transcript, phi_detector)
    return result
