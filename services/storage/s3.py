"""S3 access for media, outputs and the service bucket (MinIO, SeaweedFS, Ceph or AWS S3)."""

from __future__ import annotations

import logging
import threading
from typing import Any

import boto3
from botocore.config import Config

from services.core.settings import S3Settings, get_settings

log = logging.getLogger(__name__)

_local = threading.local()


def _client(s: S3Settings, endpoint: str) -> Any:
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint or None,
        aws_access_key_id=s.access_key_id,
        aws_secret_access_key=s.secret_access_key,
        region_name=s.region,
        config=Config(s3={"addressing_style": s.addressing_style}, signature_version="s3v4",
                      retries={"mode": "standard", "max_attempts": 3},
                      connect_timeout=5, read_timeout=60),
    )


def s3_client(settings: S3Settings | None = None) -> Any:
    """A client per thread (boto3 clients are not shared safely across threads at creation)."""
    s = settings or get_settings().s3
    key = (s.endpoint_url, s.access_key_id, s.region)
    cache = getattr(_local, "clients", None)
    if cache is None:
        cache = _local.clients = {}
    if key not in cache:
        cache[key] = _client(s, s.endpoint_url)
    return cache[key]


def presign_get(bucket: str, key: str, settings: S3Settings | None = None) -> str:
    """A presigned HTTPS/HTTP GET URL on the public endpoint (TranscriptFileUri, DownloadUri)."""
    s = settings or get_settings().s3
    client = _client(s, s.public_endpoint_url or s.endpoint_url)
    return str(client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                             ExpiresIn=s.presign_seconds))


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
