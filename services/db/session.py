"""Engine and session handling.

The edge (a request handler or a task wrapper) owns the transaction through ``unit_of_work``:
services only add and flush. Work that must not run unless the data is durable — sending a Celery
task above all — is registered with ``after_commit`` and runs only once the commit succeeded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from services.core.settings import get_settings

log = logging.getLogger(__name__)
_AFTER_COMMIT = "harken.after_commit"


_ENGINES: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    engine = _ENGINES.get(url)
    if engine is None:
        s = get_settings().db
        engine = _ENGINES[url] = create_engine(url, pool_size=s.pool_size, max_overflow=s.max_overflow,
                                               pool_pre_ping=s.pool_pre_ping, pool_recycle=1800,
                                               echo=s.echo)
    return engine


def get_engine() -> Engine:
    return engine_for(get_settings().db.url)


def dispose_engines() -> None:
    """Close every pooled connection (tests, and workers after fork)."""
    from services.db.fastread import close_pools

    close_pools()
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
    _factory.cache_clear()
    _read_factory.cache_clear()


@lru_cache(maxsize=8)
def _factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=engine_for(url), expire_on_commit=False, autoflush=True)


@lru_cache(maxsize=8)
def _read_factory(url: str) -> sessionmaker[Session]:
    # Autocommit: a read needs no BEGIN/COMMIT round trips, which are half of a Get's wire time.
    return sessionmaker(bind=engine_for(url).execution_options(isolation_level="AUTOCOMMIT"),
                        expire_on_commit=False, autoflush=False)


def after_commit(session: Session, fn: Callable[[], None]) -> None:
    """Run ``fn`` after this session's transaction commits (never if it rolls back)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(fn)


@contextmanager
def unit_of_work(url: str | None = None, *, read_only: bool = False) -> Iterator[Session]:
    """``read_only`` runs each statement in autocommit: for work that only reads (the Get/List/
    Describe operations), where a transaction would cost two round trips and buy nothing."""
    url = url or get_settings().db.url
    session = (_read_factory if read_only else _factory)(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        session.info.pop(_AFTER_COMMIT, None)
        raise
    finally:
        session.close()
    for fn in session.info.pop(_AFTER_COMMIT, []):
        try:
            fn()
        except Exception:  # the data is committed; a lost send is recovered by the reaper
            log.exception("after-commit hook failed")


@contextmanager
def lazy_unit_of_work(url: str | None = None, *, read_only: bool = False) -> Iterator[Callable[[], Session]]:
    """``unit_of_work`` entered on the first call of the yielded opener, and only then: a call that
    never needs the ORM pays nothing for a Session (≈ 45 µs of CPU). Commit, rollback and
    after-commit hooks are ``unit_of_work``'s, whenever it was opened."""
    with ExitStack() as stack:
        session: Session | None = None

        def open_session() -> Session:
            nonlocal session
            if session is None:
                session = stack.enter_context(unit_of_work(url, read_only=read_only))
            return session

        yield open_session
