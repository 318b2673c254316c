"""Custom language models: training data read from S3, status IN_PROGRESS → COMPLETED/FAILED."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base, JsonType


class LanguageModel(Base):
    __tablename__ = "language_models"
    __table_args__ = (
        UniqueConstraint("account_id", "name"),
        Index("ix_language_models_listing", "account_id", "create_time", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    language_code: Mapped[str] = mapped_column(String(16))
    base_model_name: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    input_data_config: Mapped[dict[str, Any]] = mapped_column(JsonType)
    #: The request's EncryptionConfiguration, echoed back (Harken does not use KMS keys).
    encryption_configuration: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    upgrade_availability: Mapped[bool] = mapped_column(default=False)
    #: What training produced (term weights, phrases) for the recognizer to use.
    artifacts: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    create_time: Mapped[datetime]
    last_modified_time: Mapped[datetime]
