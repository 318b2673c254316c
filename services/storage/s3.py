"""S3 access for media, outputs and the service bucket (MinIO, SeaweedFS, Ceph or AWS S3)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config

from services.core.settings import S3Settings, get_settings
from services.storage.presign import LeanPresigner

log = logging.getLogger(__name__)

#: Re-entrant: building a presigner builds (or finds) the shared client under the same lock.
_lock = threading.RLock()
_clients: dict[tuple[Any, ...], Any] = {}
_presigners: dict[tuple[Any, ...], LeanPresigner] = {}
#: Connections one shared client keeps per host: the gateway's request threads (AnyIO: 40), the
#: console's audio streams and a worker's transfers all draw from it. botocore's default is 10;
#: beyond the pool size urllib3 opens and throws away a connection per call.
MAX_POOL_CONNECTIONS = 64


def _client(s: S3Settings, endpoint: str) -> Any:
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint or None,
        aws_access_key_id=s.access_key_id,
        aws_secret_access_key=s.secret_access_key,
        region_name=s.region,
        config=Config(s3={"addressing_style": s.addressing_style}, signature_version="s3v4",
                      retries={"mode": "standard", "max_attempts": 3},
                      connect_timeout=5, read_timeout=60, max_pool_connections=MAX_POOL_CONNECTIONS),
    )


def _shared(s: S3Settings, endpoint: str) -> Any:
    """One client per process and S3 identity, shared by every thread.

    Building a client loads botocore's S3 model and endpoint rules: 0.4-1 s of CPU (more on a loaded
    machine), and it holds the GIL most of that time. A client per thread paid it on the request
    path each time the gateway's thread pool started a thread (AnyIO retires idle ones after 10 s),
    and presigning built one per call; both made a GetTranscriptionJob or a console transcript take
    seconds under load. botocore clients are thread-safe once built; building is not, hence the
    lock. The pid is part of the key: a forked child (Celery prefork) never reuses its parent's
    connections.
    """
    return _once(_clients, _identity(s, endpoint), lambda: _client(s, endpoint))


def _identity(s: S3Settings, endpoint: str) -> tuple[Any, ...]:
    return (os.getpid(), endpoint, s.access_key_id, s.secret_access_key, s.region, s.addressing_style)


def _once(cache: dict[tuple[Any, ...], Any], key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """``cache[key]``, built at most once per process: looked up without the lock, built under it."""
    value = cache.get(key)
    if value is None:
        with _lock:
            value = cache.get(key)
            if value is None:
                value = cache[key] = build()
    return value


def s3_client(settings: S3Settings | None = None) -> Any:
    """The process's shared client for the configured S3 endpoint."""
    s = settings or get_settings().s3
    return _shared(s, s.endpoint_url)


def _presigner(s: S3Settings) -> LeanPresigner:
    endpoint = s.public_endpoint_url or s.endpoint_url
    presigner: LeanPresigner = _once(_presigners, _identity(s, endpoint),
                                     lambda: LeanPresigner(_shared(s, endpoint), s.secret_access_key))
    return presigner


def presign_get(bucket: str, key: str, settings: S3Settings | None = None) -> str:
    """A presigned HTTPS/HTTP GET URL on the public endpoint (TranscriptFileUri, DownloadUri).

    Signed by ``presign.LeanPresigner`` (≈ 0.3 ms cheaper per URL than botocore, identical URL);
    botocore presigns for a bucket whose URL layout the lean signer cannot reproduce.
    """
    s = settings or get_settings().s3
    return _presigner(s).presign_get(bucket, key, s.presign_seconds)


def object_url(bucket: str, key: str, settings: S3Settings | None = None) -> str:
    """The plain HTTPS URL of an object in a customer bucket, as TranscriptFileUri shows it."""
    s = settings or get_settings().s3
    base = (s.public_endpoint_url or s.endpoint_url).rstrip("/")
    if not base:
        base = f"https://s3.{s.region}.amazonaws.com"
    return f"{base}/{bucket}/{key}"


def ensure_bucket(bucket: str, settings: S3Settings | None = None) -> None:
    client = s3_client(settings)
    try:
        client.head_bucket(Bucket=bucket)
    except client.exceptions.ClientError:
        client.create_bucket(Bucket=bucket)


def delete_service_outputs(outputs: dict[str, Any]) -> None:
    """Remove the files a job's ``outputs`` record lists, when Harken's own bucket holds them;
    files in a customer's bucket are the customer's, and AWS never deletes them. Best effort: a
    file that cannot be removed is logged, and the rest are still tried."""
    if outputs.get("location_type") != "SERVICE_BUCKET":
        return
    client = s3_client()
    objects = [*(outputs.get("subtitles") or []), *(outputs.get("redacted_subtitles") or []),
               outputs.get("redacted"), outputs.get("transcript")]
    for obj in objects:
        if obj:
            try:
                client.delete_object(Bucket=obj["bucket"], Key=obj["key"])
            except Exception:
                log.warning("could not delete %s/%s", obj.get("bucket"), obj.get("key"), exc_info=True)
