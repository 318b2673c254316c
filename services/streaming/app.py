"""The streaming server as a raw ASGI application (served by Hypercorn).

Raw ASGI, not a framework: the request body must be read while results are written (full
duplex), and the response headers must go out before any audio is read — the amazon-transcribe
SDK sends no audio until it has them. Starlette's streaming response drops request chunks under
Hypercorn (ENVIRONMENT.md), so the two directions are driven here by hand.

Routes: ``POST /stream-transcription`` (HTTP/2), ``GET /stream-transcription-websocket``
(WebSocket, presigned URL), ``GET /health``, ``GET /metrics``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.core import ratelimit
from services.core.errors import (
    AwsError,
    BadRequestException,
    ConflictException,
    LimitExceededException,
    ServiceUnavailableException,
)
from services.core.settings import Settings
from services.gateway import auth
from services.protocol import eventstream, sigv4
from services.shapes.generated import SIGNING_NAME
from services.streaming import filters, metrics, params, pii
from services.streaming.decoder import StreamDecoder, get_decoder
from services.streaming.registry import Claim, ResumeState, conflict, make_registry
from services.streaming.resources import load_vocabulary
from services.streaming.session import PostProcess, StreamSession, Vocabulary
from services.streaming.speakers import Embed, embedder_for

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

HTTP_PATH = "/stream-transcription"
WS_PATH = "/stream-transcription-websocket"
OPERATION = "StartStreamTranscription"
#: Event types a client may send that carry nothing for plain transcription.
_IGNORED_EVENTS = {"ConfigurationEvent"}
#: AWS's documented ConflictException on the result stream (the event the OLD stream receives).
TAKEOVER_MESSAGE = "A new stream started with the same session ID. The current stream has been terminated."
#: How long a resumed session waits for the stream it took over to end and record where it got
#: to; past it (an owner that died, or cannot be told) it goes on from the last record.
RELEASE_WAIT_SECONDS = 5.0
#: The streaming model's ServiceUnavailableException text (API reference, TranscriptResultStream).
UNAVAILABLE = "The service is currently unavailable. Try your request later."


@dataclass
class Caller:
    account_id: str
    region: str
    #: For event-signature checks; None when signatures are not checked (dev mode).
    secret: str | None = None
    seed_signature: str | None = None


class _ClientGone(Exception):
    """The client disconnected: stop at once, send nothing more."""


class _DependencyDown(ServiceUnavailableException):
    """Redis or Postgres failed while a stream was starting (counted apart from shutdowns)."""

    def __init__(self) -> None:
        super().__init__(UNAVAILABLE)


class _TakenOver(ConflictException):
    """A newer stream of the account took this stream's SessionId: the modeled end of this one."""

    def __init__(self) -> None:
        super().__init__(TAKEOVER_MESSAGE)


def _headers(scope: Scope) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for raw_name, raw_value in scope.get("headers", []):
        out.setdefault(raw_name.decode("latin-1").lower(), []).append(raw_value.decode("latin-1"))
    return out


class StreamRateExceeded(LimitExceededException):
    """Beyond the account's StartStreamTranscription rate.

    The streaming model has no ThrottlingException (its errors are BadRequest 400, Conflict 409,
    LimitExceeded 429, InternalFailure 500, ServiceUnavailable 503), so the SDKs would surface one
    as an unknown error; AWS documents LimitExceededException for opening streams too quickly, and
    every SDK retries a 429 as throttling.
    """

    def __init__(self, rate: float) -> None:
        super().__init__(
            f"You have exceeded your rate of {rate:g} {OPERATION} requests per second. Slow down and try "
            "your request again using an exponential backoff strategy.")


def _outcome(error: AwsError) -> str:
    if isinstance(error, StreamRateExceeded):
        return "throttled"
    if isinstance(error, _TakenOver):
        return "taken_over"
    if isinstance(error, _DependencyDown):
        return "unavailable"
    known = {"BadRequestException": "bad_request", "LimitExceededException": "limit_exceeded",
             "ConflictException": "conflict", "ServiceUnavailableException": "shutdown"}
    return known.get(error.code, "auth_failed" if error.status == 403 else "internal_error")


def _unsupported(p: params.StreamParams) -> str | None:
    """Parameters whose engines have not landed in this build (refused, never silently ignored)."""
    if (p.vocabulary_filter_name or p.vocabulary_filter_names) and filters.matcher() is None:
        return ("Vocabulary filters are not supported for streaming by this Harken server yet. Remove "
                "VocabularyFilterName and try again.")
    return None


class StreamingApp:
    def __init__(self, settings: Settings, decoder: StreamDecoder | None = None) -> None:
        self.settings = settings
        self.registry = make_registry(settings.streaming.registry_url)
        self.registry.on_takeover = self._taken_over
        self._decoder = decoder
        self._metrics: Any = None
        #: Sessions streaming now (what a shutdown must end with an exception event).
        self.sessions: set[StreamSession] = set()
        #: This process's open streams by owner token (a newer stream may take their SessionId over).
        self.live: dict[str, StreamSession] = {}
        #: Owner tokens of this process taken over by a newer stream, until their stream has ended.
        self.superseded: set[str] = set()
        self._speaker_embedder: tuple[Embed, float] | None = None
        self.draining = False

    @property
    def decoder(self) -> StreamDecoder:
        if self._decoder is None:
            self._decoder = get_decoder(self.settings)
        return self._decoder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            if scope["path"] == WS_PATH:
                await self._websocket(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008})
        elif kind == "http":
            path = scope["path"]
            if path == HTTP_PATH:
                await self._http_stream(scope, receive, send)
            elif path == "/health":
                body = json.dumps({"status": "ok", "active_streams": self.registry.active()}).encode()
                await _respond(send, 200, body, "application/json")
            elif path == "/metrics":
                await _respond(send, 200, self._scrape(), CONTENT_TYPE_LATEST)
            else:
                await _error(send, BadRequestException(f"No operation is served at {path}"), 404)

    def _scrape(self) -> bytes:
        """This process's metrics plus NVML's GPU figures (the streaming dashboard's GPU panel), as
        the worker serves them."""
        if self._metrics is None:
            from services.observability.exposition import build_registry
            from services.observability.gpu import GpuCollector

            self._metrics = build_registry(GpuCollector())
        return bytes(generate_latest(self._metrics))

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    # ------------------------------------------------------------------ shutting down

    async def drain(self, grace: float) -> None:
        """SIGTERM: refuse new streams, give open ones ``grace`` seconds to end by themselves, then
        end each one with a ``ServiceUnavailableException`` event (the modeled "try again later"
        error) and a clean close, so clients know to reconnect rather than seeing a cut stream."""
        self.draining = True
        deadline = time.monotonic() + grace
        while self.sessions and time.monotonic() < deadline:
            await asyncio.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        if not self.sessions:
            return
        log.warning("shutdown grace period over: ending %d open stream(s)", len(self.sessions))
        for session in list(self.sessions):
            session.fail(_shutting_down())
        # Each stream's loop now writes the event and closes; give them a moment to flush.
        end = time.monotonic() + 5.0
        while self.sessions and time.monotonic() < end:
            await asyncio.sleep(0.05)

    # ------------------------------------------------------------------ opening a stream

    def _taken_over(self, session_id: str, token: str) -> None:
        """The registry's news that a newer stream took ``session_id`` from our stream ``token``.

        That stream gets AWS's ConflictException event and closes; one still opening gets it as
        soon as it starts (``superseded``). Called once or more (direct, pub/sub, lease renewal).
        """
        if token in self.superseded:
            return
        self.superseded.add(token)
        session = self.live.get(token)
        if session is not None:
            session.fail(_TakenOver())

    async def _release(self, session_id: str, claim: Claim) -> None:
        await self.registry.close(session_id, claim.token)
        self.superseded.discard(claim.token)

    async def _claim(self, p: params.StreamParams, caller: Caller) -> tuple[Claim, ResumeState | None]:
        """Take the SessionId, over a stream of the same account still open with it, if any.

        AWS: a new stream with the same session ID terminates the current one with
        ConflictException. So the new stream proceeds and the old one — in this process or on
        another replica — is ended with that event; an id of another account is refused. With
        ``SessionResumeWindow`` (a resume record of the account exists), the new stream waits
        (``RELEASE_WAIT_SECONDS`` at most) for the old one to record where it got to, and continues
        from there. The limit counts the session id once, so the overlap never double-counts it.
        """
        state = await self.registry.resume_state(p.session_id)
        if state is not None and state.account_id != caller.account_id:
            raise conflict(p.session_id)
        claim = await self.registry.open(p.session_id, caller.account_id,
                                         self.settings.streaming.max_streams_per_account)
        try:
            if claim.previous is not None:
                log.info("session %s taken over by a new stream", p.session_id)
                if state is not None:
                    await self.registry.wait_released(p.session_id, claim.previous, RELEASE_WAIT_SECONDS)
                    state = await self.registry.resume_state(p.session_id) or state
            if state is None and p.session_resume_window:
                state = ResumeState(caller.account_id, time.time() + 60 * p.session_resume_window)
                # recorded now, so a reconnect while this stream still runs finds the session resumable
                await self.registry.save_resume_state(p.session_id, state)
        except BaseException:
            await self._release(p.session_id, claim)
            raise
        return claim, state

    async def _open(self, p: params.StreamParams,
                    caller: Caller) -> tuple[Vocabulary, list[PostProcess], Claim, ResumeState | None]:
        """Validate what the stream needs and register it; the response has not started yet.

        A dependency that fails here (the registry's Redis, Postgres for vocabularies) is the
        service being unavailable: the client gets AWS's 503, not a dropped request it cannot
        tell from a network fault."""
        try:
            return await self._open_stream(p, caller)
        except AwsError:
            raise
        except Exception:
            log.exception("stream %s could not start: a dependency failed", p.session_id)
            raise _DependencyDown from None

    async def _open_stream(self, p: params.StreamParams,
                           caller: Caller) -> tuple[Vocabulary, list[PostProcess], Claim, ResumeState | None]:
        if self.draining:
            raise _shutting_down()
        reason = _unsupported(p)
        if reason:
            raise BadRequestException(reason)
        if ((p.identify_multiple_languages or p.identify_language) and not self.decoder.multilingual
                and not all(o.startswith("en-") for o in p.language_options)):
            log.warning("language identification asked of an English-only model: configure "
                        "HARKEN_STREAMING__MODEL with a multilingual model")
        pii.check_supported(p)
        loop = asyncio.get_running_loop()
        await self._throttle(loop, caller)
        vocabulary = await loop.run_in_executor(None, load_vocabulary, self.settings.db.url, caller.account_id, p)
        post: list[PostProcess] = []
        match = filters.matcher()
        if (p.vocabulary_filter_name or p.vocabulary_filter_names) and match is not None:
            post.append(filters.FilterStage(match, vocabulary.filter_words, p.vocabulary_filter_method or "mask"))
        stage = await loop.run_in_executor(None, pii.make_stage, p)  # the engine loads once per process
        if p.show_speaker_label:  # the speaker encoder loads once per process, off the event loop
            self._speaker_embedder = await loop.run_in_executor(None, embedder_for, self.settings)
        if stage is not None:
            post.append(stage)
        claim, resume = await self._claim(p, caller)
        return vocabulary, post, claim, resume

    async def _throttle(self, loop: asyncio.AbstractEventLoop, caller: Caller) -> None:
        """The account's token bucket for StartStreamTranscription, the batch gateway's limiter
        (Redis, shared by every replica). Taken after the parameters are validated, as the gateway
        does, and before anything touches Postgres or the stream registry. The Redis call blocks
        (at most its 0.5 s socket timeout), so it runs off the event loop."""
        s = self.settings
        if s.throttle.enabled and not await loop.run_in_executor(
                None, ratelimit.take, s, caller.account_id, OPERATION):
            raise StreamRateExceeded(ratelimit.rate_for(s, caller.account_id, OPERATION))

    def _authenticate_headers(self, scope: Scope, headers: dict[str, list[str]]) -> Caller:
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        account, region = auth.authenticate(self.settings, method=scope["method"], path=scope["path"],
                                            query=query, headers=headers, body=b"")
        parsed = sigv4.parse_authorization((headers.get("authorization") or [""])[0])
        secret = auth.secret_for(self.settings, parsed[0]) if parsed else None
        if self.settings.auth.allow_any_key and self.settings.dev_mode:
            secret = None
        return Caller(account, region, secret, parsed[3] if parsed else None)

    def _authenticate_query(self, scope: Scope, headers: dict[str, list[str]],
                            query: list[tuple[str, str]]) -> Caller:
        s = self.settings
        if s.auth.allow_any_key and s.dev_mode:
            cred = dict(query).get("X-Amz-Credential", "").split("/")
            region = cred[2] if len(cred) == 5 else s.api.default_region
            known = {c.access_key_id: c.account_id for c in s.auth.credentials}
            return Caller(known.get(cred[0], s.auth.dev_account_id), region)
        ident = sigv4.verify_presigned(
            method="GET", path=scope["path"], query=query, headers=headers,
            lookup=lambda akid: auth.secret_for(s, akid), service=SIGNING_NAME,
            max_skew=timedelta(seconds=s.auth.max_clock_skew_seconds))
        account = auth.account_for(s, ident.access_key_id, ident.region)
        return Caller(account, ident.region, auth.secret_for(s, ident.access_key_id), ident.signature)

    # ------------------------------------------------------------------ HTTP/2

    async def _http_stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = str(uuid.uuid4())
        if scope.get("http_version") != "2":
            metrics.SESSIONS_TOTAL.labels("bad_request").inc()
            await _error(send, BadRequestException(
                "StartStreamTranscription requires HTTP/2 (TLS with ALPN h2, or h2c with prior knowledge); "
                f"this request arrived over HTTP/{scope.get('http_version')}."), request_id=request_id)
            return
        if scope["method"] != "POST":
            await _error(send, BadRequestException("StartStreamTranscription is a POST request."),
                         request_id=request_id)
            return
        headers = _headers(scope)
        try:
            caller = self._authenticate_headers(scope, headers)
            p = params.from_headers({k: v[0] for k, v in headers.items()})
            vocabulary, post, claim, resume = await self._open(p, caller)
        except AwsError as exc:
            metrics.SESSIONS_TOTAL.labels(_outcome(exc)).inc()
            await _error(send, exc, request_id=request_id)
            return
        try:
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"application/vnd.amazon.eventstream"),
                (b"x-amzn-request-id", request_id.encode()),
                *p.response_headers(),
            ]})
        except BaseException:
            await self._release(p.session_id, claim)
            raise

        async def write(data: bytes) -> None:
            await send({"type": "http.response.body", "body": data, "more_body": True})

        body_done = False

        async def read() -> bytes | None:
            nonlocal body_done
            if body_done:
                return None
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            body = bytes(message.get("body", b""))
            if not message.get("more_body", False):
                body_done = True
                return body if body else None
            return body

        try:
            await self._run_stream(p, caller, vocabulary, post, claim, resume, read, write)
        finally:
            with contextlib.suppress(Exception):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

    # ------------------------------------------------------------------ WebSocket

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        first = await receive()
        if first["type"] != "websocket.connect":
            return
        headers = _headers(scope)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        await send({"type": "websocket.accept"})
        try:
            caller = self._authenticate_query(scope, headers, query)
            raw = {k: v for k, v in query if k in params.KNOWN}
            p = params.parse(raw)
            vocabulary, post, claim, resume = await self._open(p, caller)
        except AwsError as exc:
            metrics.SESSIONS_TOTAL.labels(_outcome(exc)).inc()
            await send({"type": "websocket.send", "bytes": _exception_bytes(exc)})
            await send({"type": "websocket.close", "code": 1000})
            return

        closed = False

        async def write(data: bytes) -> None:
            await send({"type": "websocket.send", "bytes": data})

        async def read() -> bytes | None:
            nonlocal closed
            message = await receive()
            if message["type"] == "websocket.disconnect":
                closed = True
                raise _ClientGone
            data = message.get("bytes")
            if data is None:
                text = message.get("text") or ""
                data = text.encode()
            return bytes(data)

        try:
            await self._run_stream(p, caller, vocabulary, post, claim, resume, read, write)
        finally:
            if not closed:
                with contextlib.suppress(Exception):
                    await send({"type": "websocket.close", "code": 1000})

    # ------------------------------------------------------------------ the duplex loop

    async def _run_stream(
        self,
        p: params.StreamParams,
        caller: Caller,
        vocabulary: Vocabulary,
        post: list[PostProcess],
        claim: Claim,
        resume: ResumeState | None,
        read: Callable[[], Awaitable[bytes | None]],
        write: Callable[[bytes], Awaitable[None]],
    ) -> None:
        cfg = self.settings.streaming
        metrics.SESSIONS_ACTIVE.inc()
        try:
            session = StreamSession(p, cfg, self.decoder, vocabulary=vocabulary, post_process=post, resume=resume,
                                    speaker_embedder=self._speaker_embedder)
        except BaseException:
            metrics.SESSIONS_ACTIVE.dec()
            await self._release(p.session_id, claim)  # else its lease would be renewed for ever
            raise
        self.sessions.add(session)
        self.live[claim.token] = session
        if claim.token in self.superseded:  # taken over while it was opening
            session.fail(_TakenOver())
        outcome = "completed"
        unwrap = _Unwrapper(caller, cfg.verify_event_signatures)
        started = time.monotonic()

        async def reader() -> None:
            decoder = eventstream.MessageDecoder()
            last_audio = time.monotonic()
            while True:
                remaining_idle = cfg.idle_timeout_seconds - (time.monotonic() - last_audio)
                remaining_total = cfg.max_stream_seconds - (time.monotonic() - started)
                if remaining_total <= 0:
                    session.fail(LimitExceededException(
                        f"Your stream is too long. The maximum stream duration is "
                        f"{_duration(cfg.max_stream_seconds)}."))
                    return
                if remaining_idle <= 0:
                    session.fail(BadRequestException(
                        f"Your request timed out because no new audio was received for "
                        f"{_duration(cfg.idle_timeout_seconds)}."))
                    return
                try:
                    chunk = await asyncio.wait_for(read(), min(remaining_idle, remaining_total))
                except TimeoutError:
                    continue
                if chunk is None:  # the client closed its side without the empty end-of-audio event
                    if decoder.pending:
                        session.fail(BadRequestException(
                            "The event stream ended in the middle of a message."))
                        return
                    await session.finish()
                    return
                try:
                    for message in decoder.feed(chunk):
                        audio = unwrap(message)
                        if audio is None:
                            continue
                        if not audio:
                            await session.finish()
                            return
                        last_audio = time.monotonic()
                        session.feed(audio)
                except eventstream.DecodeError as exc:
                    session.fail(BadRequestException(f"Your event stream could not be decoded: {exc}."))
                    return
                except AwsError as exc:
                    session.fail(exc)
                    return

        reader_task = asyncio.create_task(reader())
        try:
            while True:
                getter = asyncio.ensure_future(session.out.get())
                done, _ = await asyncio.wait({getter, reader_task}, return_when=asyncio.FIRST_COMPLETED)
                if getter not in done:
                    getter.cancel()
                    exc = reader_task.exception()
                    if isinstance(exc, _ClientGone):
                        outcome = "client_disconnect"
                        return
                    if exc is not None:
                        raise exc
                    # reader finished normally: keep draining results until the session ends
                    event = await session.out.get()
                else:
                    event = getter.result()
                failure = session.worker_failed()
                if failure is not None and event is not None and not isinstance(event, AwsError):
                    event = failure if isinstance(failure, AwsError) else BadRequestException(str(failure))
                if event is None:
                    return
                if isinstance(event, AwsError):
                    outcome = _outcome(event)
                    await write(_exception_bytes(event))
                    return
                await write(eventstream.event_message("TranscriptEvent", json.dumps(event).encode()))
        except _ClientGone:
            outcome = "client_disconnect"
        except Exception:
            outcome = "internal_error"
            log.exception("streaming session failed")
            with contextlib.suppress(Exception):
                await write(_exception_bytes(AwsError("An internal error occurred.")))
        finally:
            self.sessions.discard(session)
            reader_task.cancel()
            session.cancel()
            if resume is not None:
                await self.registry.save_resume_state(p.session_id, session.resume_state(resume))
            await self._release(p.session_id, claim)  # after the state is saved: a takeover waits for it
            del self.live[claim.token]
            metrics.SESSIONS_ACTIVE.dec()
            metrics.SESSIONS_TOTAL.labels(outcome).inc()


class _Unwrapper:
    """Strips (and checks) the signed ``:date``/``:chunk-signature`` envelope around audio events.

    Returns the audio bytes of an AudioEvent, ``b""`` at end of audio, None for events to ignore.
    Unsigned AudioEvents (AWS's raw WebSocket recipe) are accepted as they are.
    """

    def __init__(self, caller: Caller, verify: bool) -> None:
        self.caller = caller
        self.verify = verify and caller.secret is not None and caller.seed_signature is not None
        self.previous = caller.seed_signature or ""

    def __call__(self, message: eventstream.Message) -> bytes | None:
        if ":chunk-signature" in message.headers:
            self._check(message)
            if not message.payload:
                return b""
            message = eventstream.decode_message(message.payload)
        kind = message.header_str(":message-type")
        event = message.header_str(":event-type")
        if kind != "event":
            raise BadRequestException(f"Unexpected message type {kind!r} in the audio stream.")
        if event == "AudioEvent":
            return message.payload
        if event in _IGNORED_EVENTS:
            return None
        raise BadRequestException(f"Unexpected event type {event!r} in the audio stream.")

    def _check(self, message: eventstream.Message) -> None:
        signature = message.headers.get(":chunk-signature")
        date = message.headers.get(":date")
        if not isinstance(signature, bytes) or not isinstance(date, eventstream.Timestamp):
            raise BadRequestException("The audio event envelope lacks a valid :date or :chunk-signature.")
        if not self.verify:
            return
        assert self.caller.secret is not None
        expected = sigv4.event_signature(self.caller.secret, self.caller.region, SIGNING_NAME, self.previous,
                                         message.raw_headers[":date"], date.as_datetime(), message.payload)
        if not _constant_eq(expected, signature):
            raise BadRequestException(
                "The signature of an audio event doesn't match the signature we calculated. Sign each "
                "event with the previous event's signature, starting with the request's.")
        self.previous = signature.hex()


def _shutting_down() -> ServiceUnavailableException:
    return ServiceUnavailableException(
        "The service is shutting down and ended your stream. Start a new stream to continue.")


def _constant_eq(a: bytes, b: bytes) -> bool:
    import hmac

    return hmac.compare_digest(a, b)


def _duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = int(seconds // 3600)
        return f"{hours} hour" + ("s" if hours != 1 else "")
    return f"{seconds:g} seconds"


def _exception_bytes(error: AwsError) -> bytes:
    return eventstream.exception_message(error.code, json.dumps({"Message": error.message}).encode())


async def _respond(send: Send, status: int, body: bytes, content_type: str,
                   extra: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type.encode()),
                            (b"content-length", str(len(body)).encode()), *(extra or [])]})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _error(send: Send, error: AwsError, status: int | None = None, request_id: str | None = None) -> None:
    """A request-level error, as the streaming SDKs parse it: code in x-amzn-errortype, JSON body."""
    body = json.dumps({error.message_key: error.message}).encode()
    await _respond(send, status or error.status, body, "application/json", [
        (b"x-amzn-errortype", f"{error.code}:http://internal.amazon.com/coral/com.amazonaws.transcribe/"
         .encode()),
        (b"x-amzn-request-id", (request_id or str(uuid.uuid4())).encode()),
    ])
