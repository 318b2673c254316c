"""Tags of taggable resources. Resource services call ``replace_tags`` on create and
``delete_tags`` on delete; the Tag*/Untag*/ListTagsForResource operations live in ``api``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.core.arns import ResourceType
from services.db.models import Tag

MAX_TAGS = 200


def list_tags(session: Session, account_id: str, rtype: ResourceType, name: str) -> list[dict[str, str]]:
    rows = session.scalars(
        select(Tag).where(Tag.account_id == account_id, Tag.resource_type == rtype.value,
                          Tag.resource_name == name).order_by(Tag.id))
    return [{"Key": t.key, "Value": t.value} for t in rows]


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
