"""Console uploads against the bucket policy: the console puts uploads in the service bucket (by
default), which jobs may never read — except an account's own uploads under its console prefix."""

from __future__ import annotations

from typing import Any

from services.core.settings import Settings
from services.storage import access

A, B = "111122223333", "444455556666"


def settings(**kw: Any) -> Settings:
    return Settings(dev_mode=True, **kw)


def test_own_console_uploads_in_the_service_bucket_are_readable() -> None:
    s = settings(tenants={"default": {"read_buckets": ["customer-*"], "write_buckets": []}})
    bucket = s.s3.service_bucket
    own = f"console-uploads/{A}/0f3c/call.flac"
    assert access.can_read(s, A, bucket, own)
    assert not access.can_read(s, B, bucket, own)  # another account's upload
    assert not access.can_read(s, A, bucket)  # the bucket as such (a prefix, a training folder)
    assert not access.can_read(s, A, bucket, f"{A}/7/job.json")  # transcripts in the service bucket
    assert not access.can_read(s, A, bucket, f"console-uploads/{A}")  # the prefix needs its slash
    assert not access.can_write(s, A, bucket)


def test_a_separate_upload_bucket() -> None:
    s = settings(console={"upload_bucket": "uploads", "upload_prefix": "/web/"},
                 tenants={"default": {"read_buckets": ["customer-*"], "write_buckets": []}})
    assert access.upload_bucket(s) == "uploads"
    assert access.can_read(s, A, "uploads", f"web/{A}/1/a.wav")  # outside read_buckets, yet its own upload
    assert not access.can_read(s, A, "uploads", f"web/{B}/1/a.wav")
    assert not access.can_read(s, A, s.s3.service_bucket, f"console-uploads/{A}/1/a.wav")
