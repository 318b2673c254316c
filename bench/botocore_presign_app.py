"""The gateway with every output URL presigned by botocore (``gateway_latency.py --presigner
botocore``): what GetTranscriptionJob cost before services/storage/presign.py, for comparison."""

from __future__ import annotations

from typing import Any

from services.gateway.app import create_app as _create_app
from services.storage.presign import LeanPresigner


def _botocore_only(self: LeanPresigner, bucket: str, key: str, expires: int, now: float | None = None) -> str:
    return self._botocore(bucket, key, expires)


def create_app() -> Any:
    LeanPresigner.presign_get = _botocore_only  # type: ignore[method-assign]
    return _create_app()
