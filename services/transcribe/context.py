"""What every domain operation is handed: who is calling, where, and the open transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from services.core.settings import Settings


@dataclass
class RequestContext:
    account_id: str
    region: str
    request_id: str
    session: Session
    settings: Settings
    extras: dict[str, object] = field(default_factory=dict)
