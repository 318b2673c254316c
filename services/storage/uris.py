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


class UnsafeS3Uri(ValueError):
    """A URI that names a bucket or key Harken will not touch; the message says why."""


#: The characters botocore accepts in a bucket name (legacy names included): nothing that could
#: change the URL a request goes to (``/``, ``@``, ``:``, ``?``, ``#``, ``%``, spaces). Finer S3
#: naming rules are left to the store; ``..`` and IPv4-shaped names are refused as well.
_BUCKET = re.compile(r"^[a-zA-Z0-9._-]{1,255}$")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def bucket_problem(bucket: str) -> str | None:
    """Why ``bucket`` is not a bucket name S3 would accept (None when it is)."""
    if not _BUCKET.match(bucket) or ".." in bucket or _IPV4.match(bucket):
        return f"{bucket!r} isn't a valid S3 bucket name"
    return None


def key_problem(key: str) -> str | None:
    """Why ``key`` could escape its bucket or prefix on some S3 server or proxy (None when safe).

    AWS stores ``a/../b`` literally, but path-normalising servers and proxies (nginx, some MinIO and
    Ceph front ends) resolve it to another key or even another bucket, so Harken refuses dot
    segments, backslash separators and control characters outright instead of trusting the store."""
    if _CONTROL.search(key):
        return "the key contains control characters"
    if key.startswith(("/", "\\")):
        return "the key can't start with a slash"
    segments = re.split(r"[/\\]", key)
    if any(seg in (".", "..") for seg in segments):
        return "the key can't contain '.' or '..' path segments"
    return None


def _checked(bucket: str, key: str) -> S3Location:
    problem = bucket_problem(bucket) or key_problem(key)
    if problem:
        raise UnsafeS3Uri(problem)
    return S3Location(bucket, key)


def parse_media_uri(uri: str, *, endpoint_url: str = "") -> S3Location | None:
    """``s3://b/k``, ``https://b.s3.<region>.amazonaws.com/k``, ``https://s3.<region>.amazonaws.com/b/k``
    and path-style URLs on the configured S3 endpoint. None when the URI names no bucket and key,
    names a host other than S3's, or names a bucket or key that ``parse_s3_uri`` refuses."""
    try:
        return parse_s3_uri(uri, endpoint_url=endpoint_url)
    except UnsafeS3Uri:
        return None


def parse_s3_uri(uri: str, *, endpoint_url: str = "") -> S3Location | None:
    """Like ``parse_media_uri`` but raises UnsafeS3Uri for a bucket or key that is malformed or
    could escape its bucket (the caller words the AWS error). Nothing here ever fetches: a URI only
    becomes (bucket, key) on Harken's own S3 client, so no other host can be reached through it."""
    if uri.startswith("s3://"):
        bucket, _, key = uri[5:].partition("/")
        return _checked(bucket, key) if bucket and key else None
    try:
        parts = urlsplit(uri)
        port = parts.port  # raises on a port that is not a number in range
    except ValueError:
        return None  # "http://[", "http://h:99999/": not a URL, so not an S3 location either
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    path = unquote(parts.path)
    if parts.username is not None or parts.password is not None:
        raise UnsafeS3Uri("the URI can't carry user information")
    m = _VHOST.match(host)
    if m:
        key = path[1:] if path.startswith("/") else path
        return _checked(m["bucket"], key) if key else None
    endpoint = urlsplit(endpoint_url) if endpoint_url else None
    same_endpoint = endpoint is not None and endpoint.hostname == host and (endpoint.port == port)
    if _PATH_HOST.match(host) or same_endpoint:
        bucket, _, key = path.lstrip("/").partition("/")
        return _checked(bucket, key) if bucket and key else None
    return None


def safe_segment(name: str) -> str:
    """A resource name used as one folder of a derived key: names made only of dots (``.``, ``..``,
    valid job names) would climb out of the account's prefix on a path-normalising store, so they
    get a leading underscore; every other name is already a single safe segment."""
    return f"_{name}" if name and set(name) == {"."} else name


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
