"""Which buckets an account may make Harken read from or write to.

Harken reads and writes S3 with its own credentials, so without this every tenant could point a
job, a vocabulary or a training prefix at any bucket Harken can reach: another team's media, or
the service bucket where every account's transcripts live. The operator lists bucket patterns per
account (``tenants.accounts``), with a default for the rest; the service bucket is refused always,
whatever the patterns say, because it holds every account's outputs side by side, except for the
files an account uploaded through the web console under its own prefix (by default the console
uploads to the service bucket).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from services.core.settings import Settings


def _allowed(patterns: list[str], bucket: str) -> bool:
    return any(fnmatchcase(bucket, p) for p in patterns)


def console_upload_bucket(settings: Settings) -> str:
    """Where the web console puts the files it uploads (the service bucket unless configured)."""
    return settings.console.upload_bucket or settings.s3.service_bucket


def console_upload_prefix(settings: Settings, account_id: str) -> str:
    return f"{settings.console.upload_prefix.strip('/')}/{account_id}/"


def is_own_console_upload(settings: Settings, account_id: str, bucket: str, key: str) -> bool:
    """A file this account uploaded through the console: its jobs may read it even in the service
    bucket, and only its own (``<prefix>/<account_id>/...``)."""
    return (settings.console.enabled and bucket == console_upload_bucket(settings)
            and key.startswith(console_upload_prefix(settings, account_id)) and ".." not in key.split("/"))


def can_read(settings: Settings, account_id: str, bucket: str, key: str | None = None) -> bool:
    """May a job of this account read ``bucket`` (``key`` when one object is named)?"""
    if key is not None and is_own_console_upload(settings, account_id, bucket, key):
        return True
    if bucket == settings.s3.service_bucket:
        return False
    return _allowed(settings.tenants.policy(account_id).read_buckets, bucket)


def can_write(settings: Settings, account_id: str, bucket: str) -> bool:
    if bucket == settings.s3.service_bucket:
        return False
    return _allowed(settings.tenants.policy(account_id).write_buckets, bucket)
