"""Console helpers for tests: a SigV4-signed sign-in (as the browser does it) and a signed-in client."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CSRF = {"x-harken-console": "1"}


def sign_in_response(base_url: str, key: tuple[str, str], region: str = "us-east-1",
                     client: httpx.Client | None = None) -> httpx.Response:
    url = f"{base_url}/console/api/session"
    req = AWSRequest(method="POST", url=url, data=b"{}", headers={"Content-Type": "application/x-amz-json-1.1"})
    SigV4Auth(Credentials(*key), "transcribe", region).add_auth(req)
    http = client or httpx.Client(timeout=30)
    return http.post(url, content=b"{}", headers=dict(req.headers.items()))


def console_client(base_url: str, key: tuple[str, str], region: str = "us-east-1") -> httpx.Client:
    """An httpx client holding a console session cookie for ``key``."""
    client = httpx.Client(base_url=base_url, timeout=30)
    response = sign_in_response(base_url, key, region, client)
    assert response.status_code == 200, response.text
    return client


def call(client: httpx.Client, operation: str, params: dict[str, object] | None = None,
         csrf: bool = True) -> httpx.Response:
    headers = {"x-amz-target": f"Transcribe.{operation}", "content-type": "application/x-amz-json-1.1"}
    if csrf:
        headers.update(CSRF)
    return client.post("/console/api/call", json=params or {}, headers=headers)


def completed_job(s3: Any, account: str, media_key: str, items: list[dict[str, Any]], *,
                  media: bytes = bytes(range(256)) * 40, media_bucket: str = "harken-service",
                  results_extra: dict[str, Any] | None = None) -> str:
    """A COMPLETED job as a worker leaves it (row, transcript JSON and media in S3), for tests of what
    the console shows of a transcript layout the running pipeline does not produce (speakers)."""
    from services.core.clock import utcnow
    from services.db.models.jobs import TranscriptionJob
    from services.db.session import unit_of_work

    name = f"console-{uuid.uuid4().hex[:8]}"
    doc = {"jobName": name, "accountId": account, "status": "COMPLETED",
           "results": {"transcripts": [{"transcript": "synthetic"}], "items": items, "audio_segments": [],
                       **(results_extra or {})}}
    tkey = f"{account}/{name}/1/{name}.json"
    s3.put_object(Bucket="harken-service", Key=tkey, Body=json.dumps(doc).encode())
    s3.put_object(Bucket=media_bucket, Key=media_key, Body=media, ContentType="audio/wav")
    now = utcnow()
    with unit_of_work() as s:
        s.add(TranscriptionJob(
            account_id=account, region="us-east-1", name=name, status="COMPLETED",
            request={"TranscriptionJobName": name, "LanguageCode": "en-US",
                     "Media": {"MediaFileUri": f"s3://{media_bucket}/{media_key}"}},
            language_code="en-US", media_format="wav", media_sample_rate_hertz=16000, creation_time=now,
            start_time=now, completion_time=now, attempts=1,
            outputs={"location_type": "SERVICE_BUCKET", "transcript": {"bucket": "harken-service", "key": tkey},
                     "subtitles": []}))
    return name
