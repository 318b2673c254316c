"""The contract between the Celery task layer and the pure pipeline.

The task layer (``workers.tasks``) fetches media from S3 to a local file, builds ``JobOptions``
from the job row, calls ``workers.pipeline.run.transcribe_media`` and writes what comes back to S3.
The pipeline never touches the database or S3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workers.pipeline.customization import JobCustomizations


class MediaError(Exception):
    """Bad media: the job FAILS at once with ``reason`` as its FailureReason (AWS's wording)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class JobOptions:
    job_name: str
    account_id: str
    #: BCP-47 code requested (e.g. "en-US"), or None with identify_language.
    language_code: str | None = None
    identify_language: bool = False
    identify_multiple_languages: bool = False
    language_options: tuple[str, ...] = ()
    #: MediaFormat / MediaSampleRateHertz given in the request: must match what is detected.
    requested_media_format: str | None = None
    requested_sample_rate: int | None = None
    #: Subtitles={Formats, OutputStartIndex}.
    subtitle_formats: tuple[str, ...] = ()
    subtitle_start_index: int = 0
    #: The rest of Settings etc. as received (speaker labels, channels, alternatives, filters…),
    #: for later stages (diarization, filters, redaction) that other issues add.
    settings: dict[str, Any] = field(default_factory=dict)
    max_media_seconds: int = 4 * 3600
    #: Custom vocabularies, filters and language models the worker resolved from the request.
    customizations: JobCustomizations = field(default_factory=JobCustomizations)


@dataclass
class PipelineResult:
    #: The AWS transcript document (jobName, accountId, status, results{...}).
    transcript: dict[str, Any]
    #: Subtitle file text per format ("srt", "vtt").
    subtitles: dict[str, str]
    media_format: str
    sample_rate: int
    duration_seconds: float
    #: Language used/identified (BCP-47) and the identification score, when identified.
    language_code: str | None
    identified_language_score: float | None = None
    language_codes: list[dict[str, Any]] | None = None
    #: ContentRedaction: the redacted transcript document (``transcript`` is then the unredacted one,
    #: written only for ``redacted_and_unredacted``; ``subtitles`` are rendered from this one).
    redacted_transcript: dict[str, Any] | None = None
