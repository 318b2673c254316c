"""A real streaming server for tests: Hypercorn in a thread, TLS with a throw-away certificate.

The certificate is generated at test time (cryptography) for ``localhost``/127.0.0.1 and trusted
by the clients explicitly; nothing is installed in the system store.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import numpy as np

from services.embedded.ports import free_port, wait_for_port
from services.embedded.tls import self_signed


def make_certificate(folder: Path) -> tuple[Path, Path]:
    return self_signed(folder, days=1)


@dataclass
class StreamingServer:
    settings: Any
    tls_port: int = 0
    h2c_port: int = 0
    app: Any = None
    thread: threading.Thread | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _stop: asyncio.Event | None = None
    cert: Path | None = None
    errors: list[BaseException] = field(default_factory=list)

    @property
    def https_url(self) -> str:
        return f"https://localhost:{self.tls_port}"

    def start(self) -> StreamingServer:
        from services.streaming.app import StreamingApp
        from services.streaming.server import hypercorn_config, serve_app

        self.tls_port, self.h2c_port = free_port(), free_port()
        s = self.settings.streaming
        s.port, s.h2c_port, s.host = self.tls_port, self.h2c_port, "127.0.0.1"
        self.app = StreamingApp(self.settings)
        self.app.decoder.warm_up()
        config = hypercorn_config(self.settings)
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._stop = asyncio.Event()
            ready.set()
            try:
                loop.run_until_complete(serve_app(self.app, config, self._stop.wait))
            except BaseException as exc:  # pragma: no cover - surfaced by the tests
                self.errors.append(exc)

        self.thread = threading.Thread(target=run, daemon=True, name="streaming-server")
        self.thread.start()
        ready.wait(10)
        for port in (self.tls_port, self.h2c_port):
            if not wait_for_port("127.0.0.1", port, 20):
                raise RuntimeError("streaming server did not start")
        return self

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self.thread:
            self.thread.join(10)


def pcm16(path: Path, rate: int = 16000, channels: int = 1) -> bytes:
    """A test file as raw s16le PCM (what AWS calls ``pcm``)."""
    layout = "stereo" if channels == 2 else "mono"
    resampler = av.AudioResampler(format="s16", layout=layout, rate=rate)
    out = bytearray()
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            for f in resampler.resample(frame):
                out += f.to_ndarray().astype("<i2").tobytes()
        for f in resampler.resample(None):
            out += f.to_ndarray().astype("<i2").tobytes()
    return bytes(out)


def words(text: str) -> list[str]:
    return [w for w in "".join(c.lower() if c.isalnum() or c.isspace() else " " for c in text).split()]


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = words(reference), words(hypothesis)
    d = np.zeros((len(ref) + 1, len(hyp) + 1), dtype=int)
    d[:, 0] = range(len(ref) + 1)
    d[0, :] = range(len(hyp) + 1)
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1]))
    return float(d[len(ref), len(hyp)]) / max(1, len(ref))
