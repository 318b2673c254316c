"""Transcription jobs (standard and medical share one table, in separate name spaces)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base, JsonType


class TranscriptionJob(Base):
    __tablename__ = "transcription_jobs"
    __table_args__ = (
        UniqueConstraint("account_id", "medical", "name"),
        Index("ix_jobs_listing", "account_id", "medical", "creation_time", "id"),
        Index("ix_jobs_status_listing", "account_id", "medical", "status", "creation_time", "id"),
        Index("ix_jobs_lease", "status", "lease_expires_at"),
        Index("ix_jobs_retention", "completion_time", "id",
              postgresql_where=text("status IN ('COMPLETED', 'FAILED')")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(32))
    medical: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    #: The request as received (validated): the source of every echoed setting.
    request: Mapped[dict[str, Any]] = mapped_column(JsonType)
    language_code: Mapped[str | None] = mapped_column(String(16))
    media_format: Mapped[str | None] = mapped_column(String(8))
    media_sample_rate_hertz: Mapped[int | None] = mapped_column(Integer)
    identified_language_score: Mapped[float | None]
    language_codes: Mapped[list[Any] | None] = mapped_column(JsonType)
    #: Where outputs were written: {"transcript": {"bucket","key"}, "redacted": …, "subtitles": [...]}.
    outputs: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    creation_time: Mapped[datetime]
    start_time: Mapped[datetime | None]
    completion_time: Mapped[datetime | None]
    #: Worker lease: the job belongs to lease_owner until lease_expires_at (renewed by heartbeat).
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
