"""What every domain operation is handed: who is calling, where, and the open transaction."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from services.core.settings import Settings


class RequestContext:
    """``session`` is the call's transaction. The gateway passes ``open_session`` instead, so that a
    call that never touches the ORM (GetTranscriptionJob reads with plain psycopg) never builds a
    Session; it opens on first use of ``ctx.session``."""

    __slots__ = ("_open_session", "_session", "account_id", "extras", "region", "request_id", "settings")

    def __init__(self, *, account_id: str, region: str, request_id: str, settings: Settings,
                 session: Session | None = None, open_session: Callable[[], Session] | None = None,
                 extras: dict[str, object] | None = None) -> None:
        if session is None and open_session is None:
            raise TypeError("RequestContext needs a session or open_session")
        self.account_id = account_id
        self.region = region
        self.request_id = request_id
        self.settings = settings
        self.extras: dict[str, object] = {} if extras is None else extras
        self._session = session
        self._open_session = open_session

    @property
    def session(self) -> Session:
        if self._session is None:
            assert self._open_session is not None
            self._session = self._open_session()
        return self._session
