"""Send raw, SigV4-signed JSON 1.1 requests (malformed bodies, odd headers) the way boto3 signs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def signed_post(url: str, target: str | None, body: bytes, key: tuple[str, str], *,
                region: str = "us-east-1", service: str = "transcribe",
                content_type: str = "application/x-amz-json-1.1",
                when: dt.datetime | None = None, tamper: bool = False,
                extra_headers: dict[str, str] | None = None) -> httpx.Response:
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = target
    headers.update(extra_headers or {})
    req = AWSRequest(method="POST", url=url + "/", data=body, headers=headers)
    auth = SigV4Auth(Credentials(*key), service, region)
    if when is not None:
        # botocore reads the clock inside add_auth; sign with a fixed timestamp instead.
        req.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
        auth._modify_request_before_signing(req)  # type: ignore[attr-defined]
        canonical = auth.canonical_request(req)
        string_to_sign = auth.string_to_sign(req, canonical)
        sig = auth.signature(string_to_sign, req)
        auth._inject_signature_to_request(req, sig)  # type: ignore[attr-defined]
    else:
        auth.add_auth(req)
    send_body = body + (b" " if tamper else b"")
    prepared: dict[str, Any] = dict(req.headers.items())
    return httpx.post(url + "/", content=send_body, headers=prepared, timeout=30)
