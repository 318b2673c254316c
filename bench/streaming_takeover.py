"""SessionId takeover latency: two real `harken streaming` processes sharing a Redis registry.

    PYTHONPATH=$PWD python bench/streaming_takeover.py [--rounds 20] [--redis redis://127.0.0.1:6379/0]

Per round, an old WebSocket stream with a fresh SessionId is opened on replica A and fed silence;
then a new stream with the same SessionId is opened, on A (same process) or on B (other replica),
and we time from the new stream's connect() call to the old client receiving its ConflictException
event ("A new stream started with the same session ID…"). This includes the new stream's handshake,
SigV4 check and claim, and the Redis pub/sub notice for the cross-replica case. With
``SessionResumeWindow`` we also time the new stream's first response byte after connect (it waits
for the old stream to end and record its state). Nothing is decoded (silence), so the model does
not matter; the numbers are wall clock and noisy on a loaded machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402

from services.embedded.ports import free_port, wait_for_port  # noqa: E402
from tests.compat.test_streaming_wire import audio_event, decode_events, presigned_url  # noqa: E402
from tests.support.streaming import make_certificate  # noqa: E402

KEY = ("AKIDBENCHTAKEOVER01", "secret-bench-0123456789abcdef0123456789abcd")


def start_replicas(redis_url: str) -> tuple[list[SimpleNamespace], list[subprocess.Popen[bytes]]]:
    folder = Path(tempfile.mkdtemp(prefix="harken-bench-takeover-"))
    cert, key = make_certificate(folder)
    env = {**os.environ, "HARKEN_DEV_MODE": "true", "HARKEN_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT),
           "HARKEN_AUTH__CREDENTIALS": json.dumps([{"access_key_id": KEY[0], "secret_access_key": KEY[1],
                                                    "account_id": "999988887777"}]),
           "HARKEN_STREAMING__REGISTRY_URL": redis_url}
    servers, procs = [], []
    for _ in range(2):
        tls, plain = free_port(), free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "services.cli", "streaming", "--host", "127.0.0.1", "--port", str(tls),
             "--certfile", str(cert), "--keyfile", str(key), "--h2c-port", str(plain), "--no-warm-up"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        servers.append(SimpleNamespace(h2c_port=plain))
    for s in servers:
        if not wait_for_port("127.0.0.1", s.h2c_port, 180):
            raise SystemExit("a replica did not start")
    return servers, procs


async def one_round(old_server: Any, new_server: Any, window: bool) -> tuple[float, float]:
    params = {"session-id": str(uuid.uuid4()), **({"session-resume-window": "5"} if window else {})}
    old_url = presigned_url(old_server, "ws", old_server.h2c_port, KEY, **params)
    new_url = presigned_url(new_server, "ws", new_server.h2c_port, KEY, **params)
    async with websockets.connect(old_url, max_size=None) as old:
        for _ in range(5):
            await old.send(audio_event(bytes(3200)))
        await asyncio.sleep(0.3)  # the old stream is open and registered
        t0 = time.perf_counter()
        new = await websockets.connect(new_url, max_size=None)
        await new.send(audio_event(bytes(3200)))

        async def old_ended() -> float:
            async for message in old:
                for h, _ in decode_events(message if isinstance(message, bytes) else message.encode()):
                    if h.get(":exception-type") == "ConflictException":
                        return time.perf_counter() - t0
            raise RuntimeError("the old stream ended without ConflictException")

        async def new_ready() -> float:
            await new.send(audio_event(b""))
            async for _ in new:  # the first response byte (or the close, for silence)
                break
            return time.perf_counter() - t0

        ended, ready = await asyncio.gather(old_ended(), new_ready())
        await new.close()
        return ended, ready


def summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return (f"median {statistics.median(ms):.0f} ms, p90 {ms[int(0.9 * (len(ms) - 1))]:.0f} ms, "
            f"max {ms[-1]:.0f} ms (n={len(ms)})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--redis", default=os.environ.get("HARKEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = ap.parse_args()
    (a, b), procs = start_replicas(args.redis)
    try:
        for label, new_server, window in (("same process", a, False), ("other replica", b, False),
                                          ("other replica, resume window", b, True)):
            asyncio.run(one_round(a, new_server, window))  # warm-up
            rounds = [asyncio.run(one_round(a, new_server, window)) for _ in range(args.rounds)]
            print(f"{label}: old stream ended after {summary([r[0] for r in rounds])}; "
                  f"new stream's end-of-stream answered after {summary([r[1] for r in rounds])}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)


if __name__ == "__main__":
    main()
