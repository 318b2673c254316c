"""What a finished job adds to the metrics: its transition, failure reason, audio and speed.

FailureReason texts are long sentences; as label values they become short fixed slugs, and any
text not listed here (there should be none) is counted as ``other`` so the label stays bounded.
"""

from __future__ import annotations

from services.core.metrics import (
    AUDIO_SECONDS,
    JOB_FAILURES,
    REAL_TIME_FACTOR,
    TRANSCRIBE_SECONDS,
    model_label,
    record_transition,
)
from services.core.settings import get_settings
from workers import errors
from workers.pipeline import failures

REASON_SLUGS = {
    failures.UNSUPPORTED_MEDIA_FORMAT: "unsupported_media_format",
    failures.MEDIA_FORMAT_MISMATCH: "media_format_mismatch",
    failures.INVALID_SAMPLE_RATE: "invalid_sample_rate",
    failures.SAMPLE_RATE_MISMATCH: "sample_rate_mismatch",
    failures.FILE_TOO_LARGE: "file_too_large",
    failures.TOO_MANY_CHANNELS: "too_many_channels",
    errors.MEDIA_TOO_LARGE: "file_too_large",
    errors.MEDIA_UNREACHABLE: "media_unreachable",
    errors.OUTPUT_UNWRITABLE: "output_unwritable",
    errors.INTERNAL_FAILURE: "internal_error",
}


def reason_slug(reason: str) -> str:
    return REASON_SLUGS.get(reason, "other")


def job_failed(reason: str, from_state: str = "IN_PROGRESS") -> None:
    record_transition(from_state, "FAILED")
    JOB_FAILURES.labels(reason_slug(reason)).inc()


def job_completed() -> None:
    record_transition("IN_PROGRESS", "COMPLETED")


def model_for_language(language_code: str | None) -> str:
    """The model a job's language was routed to (whisper.language_models, else whisper.model)."""
    w = get_settings().whisper
    lang = (language_code or "").split("-")[0].lower()
    return model_label(w.language_models.get(lang, w.model) if lang else w.model)


def transcribed(language_code: str | None, audio_seconds: float, pipeline_seconds: float) -> None:
    model = model_for_language(language_code)
    AUDIO_SECONDS.labels(model).inc(max(0.0, audio_seconds))
    TRANSCRIBE_SECONDS.labels(model).inc(max(0.0, pipeline_seconds))
    if audio_seconds > 0:
        REAL_TIME_FACTOR.labels(model).observe(pipeline_seconds / audio_seconds)
