"""The gateway's HTTP protocol: a response's head and body leave in one write (one TCP segment),
nothing is held past the event-loop turn, close sends what is pending and abort drops it."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from services.core.settings import Settings
from services.gateway.app import create_app
from services.gateway.http import CoalescingTransport, GatewayHttpProtocol


class FakeTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = self.aborted = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 1)}.get(name, default)


async def _turn() -> None:
    await asyncio.sleep(0)


def test_writes_of_one_turn_leave_together() -> None:
    async def go() -> None:
        real = FakeTransport()
        t = CoalescingTransport(real, asyncio.get_running_loop())  # type: ignore[arg-type]
        t.write(b"HTTP/1.1 200 OK\r\n\r\n")
        t.write(b"")
        t.write(memoryview(b"body"))
        assert real.writes == [] and t.get_write_buffer_size() == 23
        await _turn()
        assert real.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
        t.write(b"next")
        await _turn()
        assert real.writes[-1] == b"next" and len(real.writes) == 2
        assert t.get_extra_info("peername") == ("127.0.0.1", 1)  # the rest is the real transport's

    asyncio.run(go())


def test_close_sends_what_is_pending_and_abort_drops_it() -> None:
    async def go() -> None:
        real = FakeTransport()
        t = CoalescingTransport(real, asyncio.get_running_loop())  # type: ignore[arg-type]
        t.write(b"last words")
        t.close()
        assert real.writes == [b"last words"] and real.closed
        await _turn()
        assert real.writes == [b"last words"]  # the scheduled flush finds nothing left
        other = FakeTransport()
        t2 = CoalescingTransport(other, asyncio.get_running_loop())  # type: ignore[arg-type]
        t2.write(b"never sent")
        t2.abort()
        await _turn()
        assert other.writes == [] and other.aborted

    asyncio.run(go())


class _CountingProxy:
    """The real (uvloop) transport, with its writes counted."""

    def __init__(self, transport: asyncio.Transport, writes: list[bytes]) -> None:
        self._transport = transport
        self._writes = writes

    def write(self, data: bytes) -> None:
        self._writes.append(data)
        self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def test_each_api_answer_is_one_write_on_the_socket() -> None:
    """A real server and socket: every answer on a keep-alive connection is one write to the
    kernel (uvicorn's own protocol makes two: head, then body)."""
    import threading

    import uvicorn

    from services.embedded.ports import free_port, wait_for_port

    writes: list[bytes] = []

    class Spy(GatewayHttpProtocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(_CountingProxy(transport, writes))  # type: ignore[arg-type]

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(dev_mode=True)), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off", access_log=False, http=Spy))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert wait_for_port("127.0.0.1", port, 20)
        body = b'{"TranscriptionJobName": "x"}'
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            for i in range(1, 4):
                sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
                             b"X-Amz-Target: Transcribe.GetTranscriptionJob\r\n"
                             b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
                answer = b""
                while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                    answer += sock.recv(65536)
                assert answer.startswith(b"HTTP/1.1 4") and b"x-amzn-requestid" in answer.lower()
                assert len(writes) == i and writes[-1] == answer  # head and body in one write
    finally:
        server.should_exit = True
        thread.join(10)
