"""`harken gateway`, run as operators run it, writes the access log (docs/security.md "Logs").

The in-process tests capture ``harken.access`` with pytest's caplog, which installs its own
handler; this starts the real command (uvicorn with worker processes) and reads its output, so a
process that never configures logging — every line dropped — fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from services.embedded.ports import free_port, wait_for_port
from tests.conftest import make_client
from tests.support import stack


@pytest.fixture
def harken_gateway(harken_env: dict[str, str]) -> Any:
    port = free_port()
    out = Path(tempfile.mkdtemp(prefix="harken-gw-log-")) / "gateway.log"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    with out.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "services.cli", "gateway", "--host", "127.0.0.1",
                                 "--port", str(port), "--workers", "2"], env=env, stdout=sink,
                                stderr=subprocess.STDOUT)
    try:
        assert wait_for_port("127.0.0.1", port, 60), out.read_text()
        yield f"http://127.0.0.1:{port}", out
    finally:
        proc.terminate()
        proc.wait(20)


def logged(out: Path, needle: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = out.read_text(errors="replace")
        if needle in text or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


def test_harken_gateway_writes_access_log(harken_gateway: tuple[str, Path]) -> None:
    url, out = harken_gateway
    client = make_client("transcribe", url, stack.KEY_A)
    ok = client.list_transcription_jobs(MaxResults=1)["ResponseMetadata"]["RequestId"]
    with pytest.raises(client.exceptions.BadRequestException) as err:
        client.get_transcription_job(TranscriptionJobName="no-such-job-for-the-log")
    failed = err.value.response["ResponseMetadata"]["RequestId"]
    text = logged(out, f"request_id={failed}")
    assert f"request_id={ok} op=ListTranscriptionJobs status=200 error=-" in text, text
    line = next((ln for ln in text.splitlines() if f"request_id={failed}" in ln), "")
    assert "harken.access" in line and "status=400 error=BadRequestException" in line, text
    assert f" key={stack.KEY_A[0]} " in line, line  # which tenant's key, as CloudTrail's accessKeyId
    # Never a secret or the request body.
    assert stack.KEY_A[1] not in text and "no-such-job-for-the-log" not in text
