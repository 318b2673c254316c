"""Tags of taggable resources. Resource services call ``replace_tags`` on create and
``delete_tags`` on delete; the Tag*/Untag*/ListTagsForResource operations live in ``api``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, cast, delete, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.orm import InstrumentedAttribute, Session

from services.core.arns import ResourceType
from services.db.models import Tag

MAX_TAGS = 200


def list_tags(session: Session, account_id: str, rtype: ResourceType, name: str) -> list[dict[str, str]]:
    rows = session.scalars(
        select(Tag).where(Tag.account_id == account_id, Tag.resource_type == rtype.value,
                          Tag.resource_name == name).order_by(Tag.id))
    return [{"Key": t.key, "Value": t.value} for t in rows]


def tags_column(rtype: ResourceType, account_id: ColumnElement[str] | InstrumentedAttribute[str],
                name: ColumnElement[str] | InstrumentedAttribute[str]) -> ScalarSelect[Any]:
    """A resource's tags as one JSON array column (``[{"Key", "Value"}]`` in tag order), so a Get
    reads the resource and its tags in a single round trip."""
    pairs = func.jsonb_agg(aggregate_order_by(func.jsonb_build_object("Key", Tag.key, "Value", Tag.value), Tag.id))
    return (
        select(func.coalesce(pairs, cast(literal("[]"), JSONB)))
        .where(Tag.account_id == account_id, Tag.resource_type == rtype.value, Tag.resource_name == name)
        .scalar_subquery()
    )


def upsert_tags(session: Session, account_id: str, rtype: ResourceType, name: str,
                tags: list[dict[str, Any]]) -> None:
    existing = {t.key: t for t in session.scalars(
        select(Tag).where(Tag.account_id == account_id, Tag.resource_type == rtype.value,
                          Tag.resource_name == name))}
    for item in tags:
        key, value = item["Key"], item.get("Value") or ""
        if key in existing:
            existing[key].value = value
        else:
            existing[key] = Tag(account_id=account_id, resource_type=rtype.value, resource_name=name,
                                key=key, value=value)
            session.add(existing[key])
    session.flush()


def replace_tags(session: Session, account_id: str, rtype: ResourceType, name: str,
                 tags: list[dict[str, Any]] | None) -> None:
    delete_tags(session, account_id, rtype, name)
    if tags:
        upsert_tags(session, account_id, rtype, name, tags)


def remove_tag_keys(session: Session, account_id: str, rtype: ResourceType, name: str,
                    keys: list[str]) -> None:
    session.execute(delete(Tag).where(Tag.account_id == account_id, Tag.resource_type == rtype.value,
                                      Tag.resource_name == name, Tag.key.in_(keys)))


def delete_tags(session: Session, account_id: str, rtype: ResourceType, name: str) -> None:
    session.execute(delete(Tag).where(Tag.account_id == account_id, Tag.resource_type == rtype.value,
                                      Tag.resource_name == name))
