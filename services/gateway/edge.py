"""The request edge's guards that run before any parsing: a bounded body read and the access log.

``request.body()`` buffers whatever the client sends, so a 10 GB POST (or an endless chunked one)
would be held in memory before any size check. The body is read here chunk by chunk and refused
with ``RequestEntityTooLargeException`` as soon as it passes the limit, or at once when the
declared Content-Length already does.

The access log carries the request id the client sees in ``x-amzn-RequestId``, never the body:
request bodies can hold vocabulary phrases and S3 keys, and nothing in Harken logs audio or
transcript text. ``api.log_request_bodies`` turns body logging on for debugging only.
"""

from __future__ import annotations

import logging
import time

from starlette.requests import Request

from services.core.errors import RequestEntityTooLargeException
from services.core.settings import Settings

log = logging.getLogger("harken.access")


def _too_large(size: int | str, limit: int) -> RequestEntityTooLargeException:
    return RequestEntityTooLargeException(f"Request body of {size} bytes exceeds the limit of {limit} bytes.")


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(f"more than {limit}", limit)
        chunks.append(chunk)
    return b"".join(chunks)


def access_log(settings: Settings, request: Request, request_id: str, op: str, status: int,
               error_code: str, started: float, body: bytes) -> None:
    if not settings.api.access_log:
        return
    client = request.client.host if request.client else "-"
    ms = (time.perf_counter() - started) * 1000
    log.info("request_id=%s op=%s status=%s error=%s client=%s ms=%.1f", request_id, op, status,
             error_code or "-", client, ms)
    if settings.api.log_request_bodies and body:
        log.debug("request_id=%s body=%r", request_id, body[:4096])
