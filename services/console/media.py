"""Where console uploads go, which media the console may play back, and ranged reads from S3.

Harken reaches every bucket with its own S3 key, so "the job names this object" is not enough to
let a tenant download it through the console: a job naming another tenant's upload or a file in
the service bucket would turn the audio player into a reader of someone else's data. Playback is
therefore allowed for customer buckets (the tenant's own business, as with the API) and, inside
Harken's own buckets, only under the tenant's own upload prefix.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from services.core.settings import Settings
from services.storage import access
from services.storage.s3 import s3_client
from services.storage.uris import S3Location

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
CHUNK = 256 * 1024


def upload_bucket(settings: Settings) -> str:
    return access.upload_bucket(settings)


def safe_file_name(name: str) -> str:
    """A file name that is a valid S3 key part and a valid MediaFileUri (no spaces, no slashes)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("-", base).strip("-.") or "upload"
    return cleaned[-200:]


def upload_location(settings: Settings, account_id: str, file_name: str) -> S3Location:
    prefix = settings.console.upload_prefix.strip("/")
    return S3Location(upload_bucket(settings),
                      f"{prefix}/{account_id}/{uuid.uuid4().hex}/{safe_file_name(file_name)}")


def put_upload(body: IO[bytes], location: S3Location, content_type: str) -> None:
    s3_client().upload_fileobj(body, location.bucket, location.key,
                               ExtraArgs={"ContentType": content_type or "application/octet-stream"})


def playback_allowed(settings: Settings, account_id: str, location: S3Location) -> bool:
    """The console plays only media the account could have named in StartTranscriptionJob."""
    return access.can_read(settings, account_id, location.bucket, location.key)


@dataclass
class RangedObject:
    status: int
    headers: dict[str, str]
    body: Any

    def chunks(self) -> Iterator[bytes]:
        try:
            yield from self.body.iter_chunks(CHUNK)
        finally:
            self.body.close()


def read_object(location: S3Location, range_header: str | None) -> RangedObject:
    """GET the object (or the byte range the browser asked for), passing S3's range answer through."""
    kwargs: dict[str, Any] = {"Bucket": location.bucket, "Key": location.key}
    if range_header and range_header.startswith("bytes="):
        kwargs["Range"] = range_header
    obj = s3_client().get_object(**kwargs)
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(obj["ContentLength"]),
               "Content-Type": obj.get("ContentType") or "application/octet-stream"}
    if obj.get("ContentRange"):
        headers["Content-Range"] = obj["ContentRange"]
    return RangedObject(206 if "Range" in kwargs and obj.get("ContentRange") else 200, headers, obj["Body"])


def read_text(bucket: str, key: str) -> bytes:
    return bytes(s3_client().get_object(Bucket=bucket, Key=key)["Body"].read())
