"""Serving the streaming app with Hypercorn: TLS with ALPN h2 (what the AWS SDKs need) and h2c.

Hypercorn sends response HEADERS as soon as the app starts the response, and accepts cleartext
HTTP/2 with prior knowledge on a plain port, so one server covers both deployments: TLS
terminated here, or h2c behind a proxy that speaks HTTP/2 upstream (Envoy, Caddy).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

from hypercorn.asyncio import serve
from hypercorn.config import Config

from services.core.settings import Settings

log = logging.getLogger(__name__)

#: Seconds Hypercorn waits beyond the streams' grace period, for their closing events to go out.
DRAIN_MARGIN_SECONDS = 5.0


def hypercorn_config(settings: Settings, *, host: str | None = None, port: int | None = None) -> Config:
    s = settings.streaming
    config = Config()
    bind = f"{host or s.host}:{port if port is not None else s.port}"
    if s.certfile:
        config.certfile = s.certfile
        config.keyfile = s.keyfile or None
        config.alpn_protocols = ["h2", "http/1.1"]
        config.bind = [bind]
        if s.h2c_port:
            config.insecure_bind = [f"{host or s.host}:{s.h2c_port}"]
    else:
        config.bind = [bind]
    config.accesslog = None
    config.errorlog = logging.getLogger("hypercorn.error")
    # Streams are long-lived; keep-alive pings are the client's business, idle limits are the app's.
    config.keep_alive_timeout = 3600
    # SIGTERM (a rollout, a drain): Hypercorn stops listening, then waits this long for open
    # connections. The app ends its streams itself at shutdown_grace_seconds (with an exception
    # event, StreamingApp.drain); the margin lets those events reach the clients before Hypercorn
    # would cut the connections.
    config.graceful_timeout = s.shutdown_grace_seconds + DRAIN_MARGIN_SECONDS
    config.h2_max_concurrent_streams = 100
    config.websocket_max_message_size = 16 * 1024 * 1024
    return config


async def serve_app(app: Any, config: Config, shutdown: Callable[[], Awaitable[Any]] | None = None) -> None:
    """Serve until ``shutdown`` returns (default: SIGTERM or SIGINT), then drain the app's streams.

    Hypercorn's own shutdown would cancel streams still open at its graceful timeout, so a client
    saw its stream cut with no reason given; here the app is told first and ends each stream with
    a modeled exception event once its grace period is over.
    """
    loop = asyncio.get_running_loop()
    if shutdown is None:
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        shutdown = stop.wait
    draining: list[asyncio.Task[None]] = []

    async def trigger() -> None:
        assert shutdown is not None
        await shutdown()
        grace = max(0.0, config.graceful_timeout - DRAIN_MARGIN_SECONDS)
        log.info("shutting down: no new streams; open streams have %s s", grace)
        drain = getattr(app, "drain", None)
        if drain is not None:
            draining.append(loop.create_task(drain(grace)))

    try:
        await serve(app, config, shutdown_trigger=trigger)
    except (ssl.SSLError, ConnectionError) as exc:
        # Hypercorn gathers its connection tasks at shutdown and re-raises the first error: a client
        # still sending audio while its TLS connection closes is routine then, not a failed exit.
        log.info("a connection closed uncleanly during shutdown: %s", exc)
    finally:
        for task in draining:
            task.cancel()


def run(settings: Settings, *, host: str | None = None, port: int | None = None, warm: bool = True) -> None:
    """``harken streaming``: load the model once, then serve until interrupted."""
    from services.streaming.app import StreamingApp

    app = StreamingApp(settings)
    if warm:
        log.info("loading the streaming model")
        app.decoder.warm_up()
    config = hypercorn_config(settings, host=host, port=port)
    log.info("streaming server on %s (%s)", config.bind, "TLS, ALPN h2" if settings.streaming.certfile else "h2c")
    asyncio.run(serve_app(app, config))
