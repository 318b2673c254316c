"""Pieces the resource families (vocabularies, filters, language models) share: reading the
customer's S3 objects with a size cap, choosing the not-found error class, and the service-bucket
keys of stored resource files."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from services.core.settings import Settings
from services.storage.s3 import s3_client
from services.storage.uris import S3Location, parse_media_uri

#: S3 error codes that mean "this object cannot be read", as opposed to a passing outage.
_PERMANENT_S3_CODES = frozenset({"NoSuchKey", "NoSuchBucket", "AccessDenied", "404", "403", "NotFound",
                                 "InvalidBucketName", "InvalidObjectState"})

S3_UNREADABLE = ("The S3 URI that you provided can't be accessed. Make sure that you have read "
                 "permission and try your request again.")


class InputUnavailable(Exception):
    """The object is missing or unreadable: a permanent failure of the resource, not a retry."""


class TransientInputError(Exception):
    """S3 could not answer right now (network, 5xx): the task should retry."""


def parse_uri(uri: str, settings: Settings) -> S3Location | None:
    return parse_media_uri(uri, endpoint_url=settings.s3.endpoint_url)


def parse_prefix_uri(uri: str, settings: Settings) -> S3Location | None:
    """An S3 prefix (``s3://bucket/``, ``s3://bucket/folder/`` or the HTTPS forms): the key may be
    empty, which ``parse_media_uri`` refuses, so probe it with a placeholder key character."""
    if uri.startswith("s3://"):
        bucket, _, prefix = uri[5:].partition("/")
        return S3Location(bucket, prefix) if bucket else None
    for suffix in ("_", "/_"):
        loc = parse_media_uri(uri + suffix, endpoint_url=settings.s3.endpoint_url)
        if loc and loc.key.endswith("_"):
            return S3Location(loc.bucket, loc.key[:-1])
    return None


def _classify(exc: Exception) -> Exception:
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        if code in _PERMANENT_S3_CODES or 400 <= status < 500:
            return InputUnavailable(S3_UNREADABLE)
    return TransientInputError(str(exc))


def read_object(loc: S3Location, max_bytes: int) -> bytes:
    """The object's bytes, reading at most ``max_bytes + 1`` so an oversized object is detected
    without downloading it. Raises InputUnavailable or TransientInputError."""
    client = s3_client()
    try:
        resp = client.get_object(Bucket=loc.bucket, Key=loc.key)
        body = resp["Body"]
        try:
            return bytes(body.read(max_bytes + 1))
        finally:
            body.close()
    except (ClientError, BotoCoreError) as exc:
        raise _classify(exc) from exc


def list_objects(loc: S3Location) -> list[dict[str, Any]]:
    """Every object under the prefix (``Key``, ``Size``), folder markers left out."""
    client = s3_client()
    out: list[dict[str, Any]] = []
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=loc.bucket, Prefix=loc.key):
            out.extend(o for o in page.get("Contents", []) if not o["Key"].endswith("/"))
    except (ClientError, BotoCoreError) as exc:
        raise _classify(exc) from exc
    return out


def stream_object(loc: S3Location) -> Any:
    """The streaming body of an object (caller closes it)."""
    try:
        return s3_client().get_object(Bucket=loc.bucket, Key=loc.key)["Body"]
    except (ClientError, BotoCoreError) as exc:
        raise _classify(exc) from exc


def put_service_object(settings: Settings, key: str, data: bytes) -> None:
    try:
        s3_client().put_object(Bucket=settings.s3.service_bucket, Key=key, Body=data,
                               ContentType="text/plain; charset=utf-8")
    except (ClientError, BotoCoreError) as exc:
        raise TransientInputError(str(exc)) from exc


def delete_service_prefix(settings: Settings, prefix: str) -> None:
    """Remove every stored object under ``prefix`` (best effort: an orphaned file is harmless)."""
    client = s3_client()
    bucket = settings.s3.service_bucket
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if keys:
            client.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})


def delete_service_object(settings: Settings, key: str) -> None:
    s3_client().delete_object(Bucket=settings.s3.service_bucket, Key=key)
