"""Vocabulary filters: words to remove, mask or tag in transcripts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base, JsonType


class VocabularyFilter(Base):
    __tablename__ = "vocabulary_filters"
    __table_args__ = (
        UniqueConstraint("account_id", "name"),
        Index("ix_vocabulary_filters_listing", "account_id", "last_modified_time", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    language_code: Mapped[str] = mapped_column(String(16))
    words: Mapped[list[Any]] = mapped_column(JsonType)
    file_uri: Mapped[str | None] = mapped_column(Text)
    data_access_role_arn: Mapped[str | None] = mapped_column(Text)
    #: The request's EncryptionConfiguration, echoed back (Harken does not use KMS keys).
    encryption_configuration: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    download_key: Mapped[str | None] = mapped_column(Text)
    last_modified_time: Mapped[datetime]
