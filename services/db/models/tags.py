"""Tags of any taggable resource, keyed by (account, resource type, resource name)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.db.base import Base


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (
        UniqueConstraint("account_id", "resource_type", "resource_name", "key"),
        Index("ix_tags_resource", "account_id", "resource_type", "resource_name"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(12))
    resource_type: Mapped[str] = mapped_column(String(40))
    resource_name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(128))
    value: Mapped[str] = mapped_column(String(256))
