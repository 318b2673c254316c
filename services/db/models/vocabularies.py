"""Custom vocabularies (standard and medical, separate name spaces)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base, JsonType


class Vocabulary(Base):
    __tablename__ = "vocabularies"
    __table_args__ = (
        UniqueConstraint("account_id", "medical", "name"),
        Index("ix_vocabularies_listing", "account_id", "medical", "last_modified_time", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(32))
    medical: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    name: Mapped[str] = mapped_column(String(200))
    language_code: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    phrases: Mapped[list[Any] | None] = mapped_column(JsonType)
    file_uri: Mapped[str | None] = mapped_column(Text)
    data_access_role_arn: Mapped[str | None] = mapped_column(Text)
    #: The request's EncryptionConfiguration, echoed back (Harken does not use KMS keys).
    encryption_configuration: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    #: Parsed entries [{"phrase","sounds_like","ipa","display_as"}] once READY.
    entries: Mapped[list[Any] | None] = mapped_column(JsonType)
    #: Service-bucket key of the stored vocabulary file (DownloadUri).
    download_key: Mapped[str | None] = mapped_column(Text)
    #: Bumped on every update so a stale processing task can tell it lost the race.
    revision: Mapped[int] = mapped_column(BigInteger, default=1, server_default=text("1"))
    last_modified_time: Mapped[datetime]
