"""One S3 client per process and identity, shared by threads (services/storage/s3.py).

Building a client costs 0.4-1 s of CPU; a client per thread or per presign put that on the request
path (docs/performance.md). Nothing here talks to S3: presigning is local.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from services.core.settings import S3Settings
from services.storage import s3


def settings(**kw: Any) -> S3Settings:
    return S3Settings(**{"endpoint_url": "http://127.0.0.1:9", "access_key_id": "AKIDTEST",
                         "secret_access_key": "s", **kw})


def test_threads_share_one_client_and_presigning_builds_none(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    real = s3._client
    monkeypatch.setattr(s3, "_clients", {})
    monkeypatch.setattr(s3, "_client", lambda st, endpoint: built.append(endpoint) or real(st, endpoint))
    st = settings()
    seen: list[Any] = []
    threads = [threading.Thread(target=lambda: seen.append(s3.s3_client(st))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in seen}) == 1 and built == ["http://127.0.0.1:9"]
    urls = [s3.presign_get("b", f"k{i}", st) for i in range(5)]
    assert all(u.startswith("http://127.0.0.1:9/b/k") and "X-Amz-Signature=" in u for u in urls)
    assert built == ["http://127.0.0.1:9"]  # the same endpoint and identity: the same client
    public = settings(public_endpoint_url="https://s3.example.test")
    assert s3.presign_get("b", "k", public).startswith("https://s3.example.test/b/k")
    assert s3.presign_get("b", "k2", public).startswith("https://s3.example.test/b/k2")
    assert built == ["http://127.0.0.1:9", "https://s3.example.test"]
    other = settings(access_key_id="AKIDOTHER")
    assert s3.s3_client(other) is not seen[0]  # another identity, another client
    assert s3.s3_client(other).meta.config.max_pool_connections == s3.MAX_POOL_CONNECTIONS
