"""The gateway's access log: one line per API call, keyed by the request id the client sees in
``x-amzn-RequestId``.

Never the body: request bodies can hold vocabulary phrases and S3 keys, and nothing in Harken logs
audio or transcript text. ``api.log_request_bodies`` turns body logging on for debugging only.
Signatures and secrets are never part of the line (the Authorization header is not logged).
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping
from typing import Any

from services.core.settings import Settings

log = logging.getLogger("harken.access")


def access_log(settings: Settings, scope: MutableMapping[str, Any], request_id: str, op: str, status: int,
               error_code: str, started: float, body: bytes) -> None:
    if not settings.api.access_log or not log.isEnabledFor(logging.INFO):
        return
    client = scope.get("client")
    host = client[0] if client else "-"
    ms = (time.perf_counter() - started) * 1000
    log.info("request_id=%s op=%s status=%s error=%s key=%s client=%s ms=%.1f", request_id, op, status,
             error_code or "-", _access_key_id(scope), host, ms)
    if settings.api.log_request_bodies and body:
        log.debug("request_id=%s body=%r", request_id, body[:4096])


def _access_key_id(scope: MutableMapping[str, Any]) -> str:
    """The caller's access key id as the request claims it (``Credential=AKID/…``), or "-".

    Logged like CloudTrail's accessKeyId so an operator can tell tenants apart; it is an
    identifier, not a secret, and is logged whether or not the signature then verified."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            _, found, rest = value.partition(b"Credential=")
            key = rest.split(b"/", 1)[0][:128] if found else b""
            return key.decode("ascii") if key.isalnum() else "-"  # never echo arbitrary bytes into logs
    return "-"
