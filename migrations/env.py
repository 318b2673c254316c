"""Alembic environment: the database URL comes from Harken's settings (HARKEN_DB__URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from services.core.settings import get_settings
from services.db import models  # noqa: F401  (registers tables)
from services.db.base import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("url") or get_settings().db.url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
