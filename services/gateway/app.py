"""FastAPI app factory for the batch API.

Routing is on ``X-Amz-Target`` only (boto3 POSTs to whatever path ``endpoint_url`` has). The
request edge owns the transaction: one ``unit_of_work`` per call, committed before the response,
with Celery sends deferred to after the commit.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from services.core.errors import (
    AwsError,
    InternalFailureException,
    SerializationException,
)
from services.core.metrics import observe_request
from services.core.settings import Settings, get_settings
from services.db.session import get_engine, unit_of_work
from services.gateway.auth import authenticate
from services.gateway.edge import access_log, read_body
from services.protocol import json11
from services.protocol.dispatch import dispatch, load_handlers, operation_from_target
from services.transcribe.context import RequestContext

log = logging.getLogger("harken.gateway")


def _headers_multi(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for k, v in request.headers.raw:
        out[k.decode("latin-1").lower()].append(v.decode("latin-1"))
    return dict(out)


def _handle(settings: Settings, request_id: str, method: str, path: str,
            query: list[tuple[str, str]], headers: dict[str, list[str]], body: bytes) -> tuple[str, bytes]:
    target = headers.get("x-amz-target")
    op = operation_from_target(target[0] if target else None)
    ctype = (headers.get("content-type") or [""])[0].split(";")[0].strip().lower()
    if ctype and ctype not in json11.ACCEPTED_CONTENT_TYPES:
        raise SerializationException(
            f"Unsupported Content-Type '{ctype}': send {json11.CONTENT_TYPE} (AWS JSON 1.1).")
    account_id, region = authenticate(settings, method=method, path=path, query=query,
                                      headers=headers, body=body)
    params = json11.parse_body(body)
    with unit_of_work() as session:
        ctx = RequestContext(account_id=account_id, region=region, request_id=request_id,
                             session=session, settings=settings)
        result = dispatch(op, ctx, params)
    return op, json11.encode(result)


def create_app(settings: Settings | None = None) -> FastAPI:
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

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.post("/{path:path}")
    async def api(request: Request) -> Response:
        request_id = str(uuid.uuid4())
        op = "Unknown"
        started, body = time.perf_counter(), b""
        with observe_request() as record:
            try:
                body = await read_body(request, settings.limits.max_request_bytes)
                op, payload = await run_in_threadpool(
                    _handle, settings, request_id, request.method, request.url.path,
                    list(request.query_params.multi_items()), _headers_multi(request), body)
                status, error_code = 200, ""
            except AwsError as err:
                payload, status, error_code = json11.error_body(err), err.status, err.code
            except Exception:
                log.exception("unhandled error in %s (request %s)", op, request_id)
                internal = InternalFailureException("An internal error occurred. Try your request again.")
                payload, status, error_code = json11.error_body(internal), 500, internal.code
            record(op, status)
        access_log(settings, request, request_id, op, status, error_code, started, body)
        headers = {"x-amzn-RequestId": request_id}
        if error_code:
            headers["x-amzn-ErrorType"] = error_code
        return Response(payload, status_code=status, media_type=json11.CONTENT_TYPE, headers=headers)

    return app
