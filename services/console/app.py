"""The web console's routes: static files, sign-in, the API bridge, uploads, transcripts, audio, ops.

Every route but sign-in takes the account from the session cookie and nothing else, and reaches
data only through the account-scoped domain services (the same ``dispatch`` the JSON 1.1 API
uses), so a tenant sees in the console exactly what its access key sees through boto3.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import FileResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from services.console import media, ops, turns
from services.console.session import COOKIE, CSRF_HEADER, ConsoleSession, issue, verify
from services.core.errors import (
    AccessDeniedException,
    AwsError,
    BadRequestException,
    InternalFailureException,
    MissingAuthenticationTokenException,
    RequestEntityTooLargeException,
)
from services.core.metrics import observe_request
from services.core.settings import Settings
from services.db.session import unit_of_work
from services.gateway.auth import authenticate
from services.gateway.calls import execute
from services.protocol import json11, sigv4
from services.protocol.dispatch import operation_from_target
from services.storage.uris import S3Location, parse_media_uri
from services.transcribe.context import RequestContext
from services.transcribe.jobs import service as jobs

STATIC = Path(__file__).parent / "static"
PREFIX = "/console"
#: Strict policy for the page that holds the sign-in form: only this origin's scripts and styles.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOWNLOAD_TYPES = {"json": "application/json", "srt": "application/x-subrip", "vtt": "text/vtt",
                  "txt": "text/plain"}


def _error(err: AwsError, request_id: str | None = None) -> Response:
    headers = {"x-amzn-RequestId": request_id or str(uuid.uuid4()), "x-amzn-ErrorType": err.code}
    return Response(json11.error_body(err), err.status, media_type=json11.CONTENT_TYPE, headers=headers)


def _json(data: Any, status: int = 200) -> Response:
    return Response(json11.encode(data), status, media_type="application/json",
                    headers={"Cache-Control": "no-store"})


class _Denied(Exception):
    def __init__(self, err: AwsError) -> None:
        self.err = err


def _headers_multi(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in request.headers.raw:
        out.setdefault(k.decode("latin-1").lower(), []).append(v.decode("latin-1"))
    return out


def _session(settings: Settings, request: Request, *, write: bool) -> ConsoleSession:
    found = verify(settings, request.cookies.get(COOKIE))
    if found is None:
        raise _Denied(MissingAuthenticationTokenException("Console session missing or expired: sign in again."))
    if write and request.headers.get(CSRF_HEADER) != "1":
        raise _Denied(AccessDeniedException(f"Console requests must carry the {CSRF_HEADER} header."))
    return found


def _context(settings: Settings, who: ConsoleSession, session: Any) -> RequestContext:
    return RequestContext(account_id=who.account_id, region=who.region, request_id=str(uuid.uuid4()),
                          session=session, settings=settings)


def _job_files(settings: Settings, who: ConsoleSession, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(outputs, request) of a COMPLETED job of this account; AWS's not-found error otherwise."""
    with unit_of_work() as session:
        job, _ = jobs.get(_context(settings, who, session), name)
        if job.status != "COMPLETED" or not job.outputs:
            raise BadRequestException(f"The transcription job {name} has no transcript (status {job.status}).")
        return dict(job.outputs), dict(job.request)


def _pick(outputs: dict[str, Any], version: str) -> dict[str, Any]:
    use_redacted = version != "original" and outputs.get("redacted")
    obj = outputs["redacted"] if use_redacted else outputs.get("transcript")
    if not obj:
        raise BadRequestException("This job has no such transcript.")
    return dict(obj)


def _load_raw(settings: Settings, who: ConsoleSession, name: str,
             version: str) -> tuple[bytes, dict[str, Any]]:
    outputs, _ = _job_files(settings, who, name)
    obj = _pick(outputs, version)
    return media.read_text(obj["bucket"], obj["key"]), outputs


def _load_doc(settings: Settings, who: ConsoleSession, name: str,
              version: str) -> tuple[dict[str, Any], dict[str, Any]]:
    raw, outputs = _load_raw(settings, who, name, version)
    return json.loads(raw), outputs


def _subtitle(settings: Settings, who: ConsoleSession, name: str, fmt: str, version: str) -> str:
    """The job's own subtitle file when it asked for one, else the same renderer applied to its items."""
    outputs, request = _job_files(settings, who, name)
    key = "redacted_subtitles" if version != "original" and outputs.get("redacted_subtitles") else "subtitles"
    for sub in outputs.get(key) or []:
        if sub.get("format") == fmt:
            return media.read_text(sub["bucket"], sub["key"]).decode("utf-8")
    # Pure rendering stage shared with the worker, so an export matches the job's own layout.
    from workers.pipeline.subtitles import render

    doc = json.loads(media.read_text(**_pick(outputs, version)))
    start = int((request.get("Subtitles") or {}).get("OutputStartIndex", 0))
    return render(doc["results"]["items"], fmt, start) or ("WEBVTT\n\n" if fmt == "vtt" else "")


def _call(settings: Settings, who: ConsoleSession, op: str, body: bytes, request_id: str) -> bytes:
    return execute(settings, op, account_id=who.account_id, region=who.region, request_id=request_id, body=body)


def console_router(settings: Settings) -> APIRouter:
    router = APIRouter(prefix=PREFIX)

    @router.get("")
    def root() -> Response:
        return RedirectResponse(f"{PREFIX}/", 307)

    @router.get("/")
    def index() -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html",
                            headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache",
                                     "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})

    @router.post("/api/session")
    async def sign_in(request: Request) -> Response:
        body = await request.body()
        try:
            account_id, region = await run_in_threadpool(
                authenticate, settings, method=request.method, path=request.url.path,
                query=list(request.query_params.multi_items()), headers=_headers_multi(request), body=body)
        except AwsError as err:
            return _error(err)
        # Verified above (or dev mode's any-key rule applied): read the key id the request names.
        akid = sigv4.identity_without_check(_headers_multi(request), region).access_key_id
        token, who = issue(settings, account_id, akid, region)
        response = _json({"AccountId": who.account_id, "Region": who.region, "AccessKeyId": who.access_key_id,
                          "Expires": who.expires})
        response.set_cookie(COOKIE, token, max_age=settings.console.session_seconds, httponly=True,
                            samesite="strict", secure=request.url.scheme == "https", path=PREFIX)
        return response

    @router.get("/api/session")
    def whoami(request: Request) -> Response:
        try:
            who = _session(settings, request, write=False)
        except _Denied as denied:
            return _error(denied.err)
        return _json({"AccountId": who.account_id, "Region": who.region, "AccessKeyId": who.access_key_id,
                      "Expires": who.expires,
                      "Ops": not settings.console.ops_accounts or who.account_id in settings.console.ops_accounts})

    @router.delete("/api/session")
    def sign_out() -> Response:
        response = _json({})
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    @router.post("/api/call")
    async def call(request: Request) -> Response:
        """The JSON 1.1 API, authenticated by the console session instead of a per-request signature."""
        request_id = str(uuid.uuid4())
        op = "Unknown"
        with observe_request() as record:
            try:
                who = _session(settings, request, write=True)
                op = operation_from_target(request.headers.get("x-amz-target"))
                body = await request.body()
                if len(body) > settings.limits.max_request_bytes:
                    raise RequestEntityTooLargeException(
                        f"Request body of {len(body)} bytes exceeds the limit of "
                        f"{settings.limits.max_request_bytes} bytes.")
                payload = await run_in_threadpool(_call, settings, who, op, body, request_id)
                record(op, 200)
            except _Denied as denied:
                record(op, denied.err.status)
                return _error(denied.err, request_id)
            except AwsError as err:
                record(op, err.status)
                return _error(err, request_id)
        return Response(payload, media_type=json11.CONTENT_TYPE, headers={"x-amzn-RequestId": request_id})

    @router.put("/api/uploads")
    async def upload(request: Request, name: str = "upload") -> Response:
        try:
            who = _session(settings, request, write=True)
        except _Denied as denied:
            return _error(denied.err)
        limit = settings.worker.max_media_bytes
        location = media.upload_location(settings, who.account_id, name)
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            size = 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    return _error(RequestEntityTooLargeException(
                        f"The media file is larger than the limit of {limit} bytes."))
                spool.write(chunk)
            if size == 0:
                return _error(BadRequestException("The uploaded file is empty."))
            spool.seek(0)
            await run_in_threadpool(media.put_upload, spool, location,
                                    request.headers.get("content-type", ""))
        return _json({"MediaFileUri": str(location), "Size": size})

    @router.get("/api/jobs/{name}/transcript")
    def transcript(request: Request, name: str, version: str = "redacted") -> Response:
        try:
            who = _session(settings, request, write=False)
            raw, outputs = _load_raw(settings, who, name, version)
        except _Denied as denied:
            return _error(denied.err)
        except AwsError as err:
            return _error(err)
        versions = ["redacted", "original"] if outputs.get("redacted") and outputs.get("transcript") else []
        extra = json.dumps({"Turns": [t.as_dict() for t in turns.build_turns(json.loads(raw))],
                            "Versions": versions}, separators=(",", ":"))
        # The stored document goes out as stored (no re-encoding of a multi-megabyte transcript).
        body = b'{"Transcript":' + raw + b"," + extra[1:].encode()
        return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})

    @router.get("/api/jobs/{name}/download/{fmt}")
    def download(request: Request, name: str, fmt: str, version: str = "redacted") -> Response:
        if fmt not in DOWNLOAD_TYPES:
            return _error(BadRequestException(f"Unknown download format {fmt}: use json, srt, vtt or txt."))
        try:
            who = _session(settings, request, write=False)
            if fmt in ("srt", "vtt"):
                body = _subtitle(settings, who, name, fmt, version).encode("utf-8")
            else:
                doc, _ = _load_doc(settings, who, name, version)
                body = (json.dumps(doc, ensure_ascii=False, indent=2) if fmt == "json"
                        else turns.plain_text(doc)).encode("utf-8")
        except _Denied as denied:
            return _error(denied.err)
        except AwsError as err:
            return _error(err)
        file_name = f"{name}.{fmt}"
        return Response(body, media_type=f"{DOWNLOAD_TYPES[fmt]}; charset=utf-8", headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name)}",
            "Cache-Control": "no-store"})

    @router.get("/api/jobs/{name}/audio")
    def audio(request: Request, name: str) -> Response:
        try:
            who = _session(settings, request, write=False)
            with unit_of_work() as session:
                job, _ = jobs.get(_context(settings, who, session), name)
                uri = job.request["Media"]["MediaFileUri"]
                status = job.status
            location = parse_media_uri(uri, endpoint_url=settings.s3.endpoint_url)
            if status != "COMPLETED" or location is None:
                raise BadRequestException("Audio is available for completed jobs only.")
            if not media.playback_allowed(settings, who.account_id, location):
                raise AccessDeniedException(f"The console does not play {uri}: it is not this account's media.")
            obj = media.read_object(S3Location(location.bucket, location.key), request.headers.get("range"))
        except _Denied as denied:
            return _error(denied.err)
        except AwsError as err:
            return _error(err)
        except Exception as exc:  # S3 said no (object gone, range unsatisfiable)
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404", "InvalidRange"):
                return _error(BadRequestException(f"The media file {uri} can't be read ({code})."))
            return _error(InternalFailureException("The media file could not be read. Try again."))
        return StreamingResponse(obj.chunks(), status_code=obj.status,
                                 headers={**obj.headers, "Cache-Control": "private, max-age=300"})

    @router.get("/api/ops")
    def ops_glance(request: Request) -> Response:
        try:
            who = _session(settings, request, write=False)
        except _Denied as denied:
            return _error(denied.err)
        if settings.console.ops_accounts and who.account_id not in settings.console.ops_accounts:
            return _error(AccessDeniedException("This account may not see the ops glance."))
        return _json(ops.glance())

    return router


def mount_console(app: FastAPI, settings: Settings) -> None:
    """Add the console to the gateway; call before the API's catch-all POST route."""
    if not settings.console.enabled:
        return
    app.include_router(console_router(settings))
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")
