"""Console helpers for tests: a SigV4-signed sign-in (as the browser does it) and a signed-in client."""

from __future__ import annotations

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
