"""Account-scoped lookup and listing shared by the named resources (vocabularies, filters, models).

Every one of them is addressed by (account, name), listed newest first with an optional status
filter and a case-insensitive ``NameContains``, and paged with a token bound to those filters; one
implementation keeps the tenancy rule and the paging contract identical across them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from services.transcribe.context import RequestContext
from services.transcribe.paging import page

Row = TypeVar("Row")


def find_named(session: Session, model: type[Row], account_id: str, name: str, *,
               for_update: bool = False, **columns: Any) -> Row | None:
    """The account's row called ``name`` (``columns`` narrows further, e.g. medical=True)."""
    stmt = select(model).filter_by(account_id=account_id, name=name, **columns)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).first()


def list_named(ctx: RequestContext, model: type[Row], params: Mapping[str, Any], *, scope: str,
               sort_col: InstrumentedAttribute[Any], status_param: str | None = None,
               status_col: InstrumentedAttribute[Any] | None = None,
               **columns: Any) -> tuple[list[Row], str | None]:
    """One page of the account's rows, newest ``sort_col`` first, and the next token (or None).

    ``status_param`` names the request member holding the status filter (StateEquals,
    StatusEquals) and ``status_col`` the column it compares; ``scope`` is the operation name that
    binds the token to this listing.
    """
    contains = params.get("NameContains")
    table: Any = model  # a mapped class: its columns are attributes
    stmt = select(model).filter_by(account_id=ctx.account_id, **columns)
    filters: dict[str, Any] = {"NameContains": contains}
    if status_param is not None and status_col is not None:
        status = params.get(status_param)
        filters[status_param] = status
        if status:
            stmt = stmt.where(status_col == status)
    if contains:
        stmt = stmt.where(table.name.icontains(contains, autoescape=True))
    return page(stmt, sort_col=sort_col, id_col=table.id, secret=ctx.settings.api.token_secret,
                scope=f"{scope}:{ctx.account_id}", filters=filters, next_token=params.get("NextToken"),
                max_results=params.get("MaxResults"), session=ctx.session)
