"""Which buckets an account may make Harken read from or write to.

Harken reads and writes S3 with its own credentials, so without this every tenant could point a
job, a vocabulary or a training prefix at any bucket Harken can reach: another team's media, or
the service bucket where every account's transcripts live. The operator lists bucket patterns per
account (``tenants.accounts``), with a default for the rest; the service bucket is refused always,
whatever the patterns say, because it holds every account's outputs side by side — except an
account's own console uploads, which it may use as media.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from services.core.settings import Settings


def _allowed(patterns: list[str], bucket: str) -> bool:
    return any(fnmatchcase(bucket, p) for p in patterns)


def upload_bucket(settings: Settings) -> str:
    """Where the web console puts files a user uploads (the service bucket unless configured)."""
    return settings.console.upload_bucket or settings.s3.service_bucket


def own_upload_prefix(settings: Settings, account_id: str) -> str:
    return f"{settings.console.upload_prefix.strip('/')}/{account_id}/"


def can_read(settings: Settings, account_id: str, bucket: str, key: str = "") -> bool:
    """In the console's upload bucket an account reads only its own uploads (under its own
    prefix): that bucket holds every account's files side by side."""
    if bucket == upload_bucket(settings):
        return key.startswith(own_upload_prefix(settings, account_id))
    if bucket == settings.s3.service_bucket:
        return False
    return _allowed(settings.tenants.policy(account_id).read_buckets, bucket)


def can_write(settings: Settings, account_id: str, bucket: str) -> bool:
    if bucket == settings.s3.service_bucket:
        return False
    return _allowed(settings.tenants.policy(account_id).write_buckets, bucket)
