"""The gateway's ASGI application.

API calls (POST, routed on ``X-Amz-Target`` only: boto3 POSTs to whatever path ``endpoint_url``
has) are answered by a raw ASGI handler; health, readiness, metrics and anything else mounted
later go to a FastAPI app behind it. The API path skips FastAPI's routing, middleware and
dependency machinery because they cost more CPU than the request itself. A call that may wait on
S3 runs in the gateway's thread pool (``threads.py``), since its I/O blocks; reads run on the
event loop while they are fast and in a read pool of their own while not (``placement.py``). The request edge
owns the transaction: one ``unit_of_work`` per call (autocommit for Get/List/Describe), opened when
the operation first uses the session (GetTranscriptionJob never does: it reads with plain
psycopg), committed before the response, with Celery sends deferred to after the commit.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Response
from sqlalchemy import text

from services.console.app import mount_console
from services.core.errors import (
    AwsError,
    InternalFailureException,
    RequestEntityTooLargeException,
    SerializationException,
)
from services.core.metrics import record_request
from services.core.settings import Settings, get_settings
from services.db.session import get_engine
from services.gateway.auth import authenticate
from services.gateway.calls import execute
from services.gateway.edge import access_log
from services.gateway.placement import ReadPlacement
from services.gateway.threads import Threads
from services.observability.cluster_state import ClusterStateCollector
from services.observability.exposition import build_registry, render
from services.protocol import json11
from services.protocol.dispatch import is_read_only, load_handlers, operation_from_target

log = logging.getLogger("harken.gateway")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Pools by (role, size), shared by every Gateway of the process (tests build many).
_POOLS: dict[tuple[str, int], Threads] = {}


def _pool(role: str, size: int) -> Threads:
    pool = _POOLS.get((role, size))
    if pool is None:
        pool = _POOLS.setdefault((role, size), Threads(size))
    return pool

#: POSTs under these paths belong to the FastAPI side (e.g. the console's forms), not to the API.
NON_API_PREFIXES: tuple[str, ...] = ("/console",)

def _handle(settings: Settings, op: str, request_id: str, method: str, path: str,
            query: list[tuple[str, str]], headers: dict[str, list[str]], body: bytes) -> bytes:
    ctype = (headers.get("content-type") or [""])[0].split(";")[0].strip().lower()
    if ctype and ctype not in json11.ACCEPTED_CONTENT_TYPES:
        raise SerializationException(
            f"Unsupported Content-Type '{ctype}': send {json11.CONTENT_TYPE} (AWS JSON 1.1).")
    account_id, region = authenticate(settings, method=method, path=path, query=query,
                                      headers=headers, body=body)
    return execute(settings, op, account_id=account_id, region=region, request_id=request_id, body=body)


class _BodyTooLarge(Exception):
    pass


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge(size)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class Gateway:
    """API POSTs answered here; every other request is passed to ``fallback`` (FastAPI)."""

    def __init__(self, settings: Settings, fallback: FastAPI) -> None:
        self.settings = settings
        self.fallback = fallback
        # Reads (Get/List/Describe: Postgres only, sub-millisecond) get a small pool of their own:
        # few threads contend less for the GIL, and calls that wait on S3 (Start, Create…) can
        # never take every thread from the polling clients.
        # They run on the event loop itself while they are fast (``placement.py``).
        self.read_threads = _pool("read", settings.api.read_threads)
        self.threads = _pool("call", settings.api.threads)
        self.reads = ReadPlacement(settings.api.inline_reads, settings.api.inline_read_budget_ms)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and not scope["path"].startswith(NON_API_PREFIXES):
            await self.api(scope, receive, send)
        else:
            await self.fallback(scope, receive, send)

    async def api(self, scope: Scope, receive: Receive, send: Send) -> None:
        settings = self.settings
        request_id = str(uuid.uuid4())
        op = "Unknown"
        started, body = time.perf_counter(), b""
        try:
            limit = settings.limits.max_request_bytes
            try:
                body = await _read_body(receive, limit)
            except _BodyTooLarge as big:
                raise RequestEntityTooLargeException(
                    f"Request body of more than {big.args[0]} bytes exceeds the limit of {limit} bytes.") from None
            headers: dict[str, list[str]] = {}
            for k, v in scope["headers"]:
                headers.setdefault(k.decode("latin-1").lower(), []).append(v.decode("latin-1"))
            # The operation is known from here on, so that a call failing later (signature,
            # validation, throttling, a 500) is counted and logged under it, not as "Unknown".
            # Only the Transcribe operations' names can come out (anything else raises), so a
            # caller cannot add metric labels.
            target = headers.get("x-amz-target")
            op = operation_from_target(target[0] if target else None)
            raw_query = scope["query_string"]
            query = parse_qsl(raw_query.decode("latin-1"), keep_blank_values=True) if raw_query else []
            args = (settings, op, request_id, "POST", scope["path"], query, headers, body)
            if not is_read_only(op):
                payload = await self.threads.run(_handle, *args)
            elif self.reads.on_loop:
                payload = self.reads.run_inline(_handle, *args)
            else:
                payload = await self.read_threads.run(self.reads.run_timed, _handle, *args)
            status, error_code = 200, ""
        except AwsError as err:
            payload, status, error_code = json11.error_body(err), err.status, err.code
        except Exception:
            log.exception("unhandled error in %s (request %s)", op, request_id)
            internal = InternalFailureException("An internal error occurred. Try your request again.")
            payload, status, error_code = json11.error_body(internal), 500, internal.code
        record_request(op, status, time.perf_counter() - started)
        response_headers = [(b"content-type", json11.CONTENT_TYPE.encode()),
                            (b"content-length", str(len(payload)).encode()),
                            (b"x-amzn-requestid", request_id.encode())]
        if error_code:
            response_headers.append((b"x-amzn-errortype", error_code.encode()))
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": payload})
        access_log(settings, scope, request_id, op, status, error_code, started, body)  # after the reply


def create_app(settings: Settings | None = None) -> Gateway:
    settings = settings or get_settings()
    load_handlers()
    app = FastAPI(title="Harken", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready")
    def ready() -> Response:
        try:
            with get_engine().connect() as conn:
                conn.execute(text("select 1"))
        except Exception as exc:  # readiness reports, never raises
            return Response(f'{{"status":"unavailable","reason":"{type(exc).__name__}"}}', 503,
                            media_type="application/json")
        return Response('{"status":"ready"}', media_type="application/json")

    # every uvicorn worker's samples (multiprocess files), plus queue depth / jobs by state
    scrape = build_registry(*([ClusterStateCollector(settings)] if settings.metrics.cluster_state else []))

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = render(scrape)
        return Response(body, media_type=content_type)

    mount_console(app, settings)
    return Gateway(settings, app)
