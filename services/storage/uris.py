"""S3 URI forms Transcribe accepts, and AWS's output-key rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


_VHOST = re.compile(r"^(?P<bucket>.+)\.s3[.-](?:(?P<region>[a-z0-9-]+)\.)?amazonaws\.com(?:\.cn)?$")
_PATH_HOST = re.compile(r"^s3[.-](?:(?P<region>[a-z0-9-]+)\.)?amazonaws\.com(?:\.cn)?$|^s3\.amazonaws\.com$")


def parse_media_uri(uri: str, *, endpoint_url: str = "") -> S3Location | None:
    """``s3://b/k``, ``https://b.s3.<region>.amazonaws.com/k``, ``https://s3.<region>.amazonaws.com/b/k``
    and path-style URLs on the configured S3 endpoint. None when the URI names no bucket and key."""
    if uri.startswith("s3://"):
        bucket, _, key = uri[5:].partition("/")
        return S3Location(bucket, key) if bucket and key else None
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    path = unquote(parts.path)
    m = _VHOST.match(host)
    if m:
        key = path.lstrip("/")
        return S3Location(m["bucket"], key) if key else None
    endpoint = urlsplit(endpoint_url) if endpoint_url else None
    same_endpoint = endpoint is not None and endpoint.hostname == host and (endpoint.port == parts.port)
    if _PATH_HOST.match(host) or same_endpoint:
        bucket, _, key = path.lstrip("/").partition("/")
        return S3Location(bucket, key) if bucket and key else None
    return None


def transcript_key(job_name: str, output_key: str | None) -> str:
    """AWS's rules: no key → ``<job>.json``; a key ending in ``.json`` is used as is; any other key
    is a folder (``<key>/<job>.json``)."""
    if not output_key:
        return f"{job_name}.json"
    if output_key.endswith(".json"):
        return output_key
    return f"{output_key.rstrip('/')}/{job_name}.json"


def sibling_key(json_key: str, extension: str, prefix: str = "") -> str:
    """Subtitle and redacted outputs sit next to the transcript with the same base name."""
    folder, _, base = json_key.rpartition("/")
    stem = base[: -len(".json")] if base.endswith(".json") else base
    name = f"{prefix}{stem}.{extension}"
    return f"{folder}/{name}" if folder else name
