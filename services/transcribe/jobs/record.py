"""A transcription job as GetTranscriptionJob reads it: the columns its answer shows, no ORM object.

Get reads its row with plain psycopg (``services.db.fastread``); the renderers accept this or a
``TranscriptionJob`` alike, since they only read these attributes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from services.db.models import TranscriptionJob

#: The model's columns a JobRecord holds, in its field order (the SELECT list of Get's statement).
COLUMNS = (
    TranscriptionJob.account_id, TranscriptionJob.name, TranscriptionJob.status, TranscriptionJob.failure_reason,
    TranscriptionJob.request, TranscriptionJob.language_code, TranscriptionJob.media_format,
    TranscriptionJob.media_sample_rate_hertz, TranscriptionJob.identified_language_score,
    TranscriptionJob.language_codes, TranscriptionJob.outputs, TranscriptionJob.creation_time,
    TranscriptionJob.start_time, TranscriptionJob.completion_time,
)


class JobRecord(NamedTuple):
    account_id: str
    name: str
    status: str
    failure_reason: str | None
    request: dict[str, Any]
    language_code: str | None
    media_format: str | None
    media_sample_rate_hertz: int | None
    identified_language_score: float | None
    language_codes: list[Any] | None
    outputs: dict[str, Any] | None
    creation_time: datetime
    start_time: datetime | None
    completion_time: datetime | None


assert JobRecord._fields == tuple(c.key for c in COLUMNS), "JobRecord fields must follow COLUMNS"
