"""Serving the streaming app with Hypercorn: TLS with ALPN h2 (what the AWS SDKs need) and h2c.

Hypercorn sends response HEADERS as soon as the app starts the response, and accepts cleartext
HTTP/2 with prior knowledge on a plain port, so one server covers both deployments: TLS
terminated here, or h2c behind a proxy that speaks HTTP/2 upstream (Envoy, Caddy).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from hypercorn.asyncio import serve
from hypercorn.config import Config

from services.core.settings import Settings

log = logging.getLogger(__name__)


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
    config.h2_max_concurrent_streams = 100
    config.websocket_max_message_size = 16 * 1024 * 1024
    return config


async def serve_app(app: object, config: Config, shutdown: Callable[[], Awaitable[None]] | None = None) -> None:
    await serve(app, config, shutdown_trigger=shutdown)  # type: ignore[arg-type]


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
