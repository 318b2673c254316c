"""Keyset pagination with opaque, HMAC-signed ``NextToken`` values.

A token carries the sort key of the last row returned plus a digest of the filters, so pages stay
stable while rows are inserted concurrently (new rows sort before the cursor and are not repeated
or skipped) and a token cannot be replayed with different filters or by another account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from services.core.errors import BadRequestException

#: AWS's default page size when MaxResults is omitted.
DEFAULT_PAGE_SIZE = 5
INVALID_TOKEN = "The NextToken is invalid. Check the token and try your request again."


@dataclass(frozen=True)
class Cursor:
    sort_value: datetime
    row_id: int


def _digest(secret: str, scope: str, filters: dict[str, Any]) -> str:
    msg = json.dumps([scope, filters], sort_keys=True, default=str).encode()
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()[:32]


def encode_token(secret: str, scope: str, filters: dict[str, Any], cursor: Cursor) -> str:
    body = {"t": cursor.sort_value.isoformat(), "i": cursor.row_id, "f": _digest(secret, scope, filters)}
    raw = json.dumps(body, separators=(",", ":")).encode()
    sig = hmac.new(secret.encode(), raw, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(raw + sig).decode().rstrip("=")


def decode_token(secret: str, scope: str, filters: dict[str, Any], token: str) -> Cursor:
    try:
        blob = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        raw, sig = blob[:-16], blob[-16:]
        if not hmac.compare_digest(sig, hmac.new(secret.encode(), raw, hashlib.sha256).digest()[:16]):
            raise ValueError("bad signature")
        body = json.loads(raw)
        if body["f"] != _digest(secret, scope, filters):
            raise ValueError("filters changed")
        return Cursor(datetime.fromisoformat(body["t"]), int(body["i"]))
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        raise BadRequestException(INVALID_TOKEN) from None


def page(
    stmt: Select[Any],
    *,
    sort_col: InstrumentedAttribute[Any],
    id_col: InstrumentedAttribute[Any],
    secret: str,
    scope: str,
    filters: dict[str, Any],
    next_token: str | None,
    max_results: int | None,
    session: Any,
) -> tuple[list[Any], str | None]:
    """Newest first by ``sort_col`` (ties broken by id). Returns (rows, next token or None)."""
    limit = max_results or DEFAULT_PAGE_SIZE
    if next_token:
        c = decode_token(secret, scope, filters, next_token)
        stmt = stmt.where(or_(sort_col < c.sort_value, and_(sort_col == c.sort_value, id_col < c.row_id)))
    rows = list(session.scalars(stmt.order_by(sort_col.desc(), id_col.desc()).limit(limit + 1)))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    token = encode_token(secret, scope, filters,
                         Cursor(getattr(last, sort_col.key), getattr(last, id_col.key)))
    return rows, token
