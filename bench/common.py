"""Shared pieces of the pipeline benchmarks: long speech files and an embedded Harken stack.

Long test speech is made from the real recordings in tests/data/audio (repeated, with short
pauses), so a benchmark needs nothing the repository does not carry. The stack is the one
`harken up --detach` starts, in a scratch data folder on free ports, so a benchmark measures
exactly what a user runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The benchmark process reads settings (model folder, decoding options) the way `harken up` does.
os.environ.setdefault("HARKEN_DEV_MODE", "true")

from services.embedded.ports import free_port  # noqa: E402
from workers.pipeline import media  # noqa: E402

AUDIO = ROOT / "tests" / "data" / "audio"
CLIPS = ("en-gb.wav", "multi-speaker.wav", "en-us_video.mp4")
SAMPLE_RATE = 16_000


def speech_wav(path: Path, seconds: float, pause: float = 0.4) -> Path:
    """A 16 kHz mono WAV of about ``seconds`` of real speech (the test clips in turn)."""
    clips = [media.load(AUDIO / name)[1].mono for name in CLIPS]
    gap = np.zeros(int(pause * SAMPLE_RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    total = 0
    i = 0
    while total < seconds * SAMPLE_RATE:
        clip = clips[i % len(clips)]
        parts += [clip, gap]
        total += len(clip) + len(gap)
        i += 1
    audio = np.concatenate(parts)[: int(seconds * SAMPLE_RATE)]
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    return path


@dataclass
class Stack:
    root: Path
    gateway: str
    s3: str
    key: str
    secret: str
    bucket: str
    db_url: str
    children: dict[str, int]

    def client(self, service: str) -> Any:
        import boto3

        endpoint = self.gateway if service == "transcribe" else self.s3
        return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                            aws_access_key_id=self.key, aws_secret_access_key=self.secret)

    def worker_pids(self) -> list[int]:
        """The worker command and every process under it (Celery's prefork children)."""
        top = self.children.get("worker")
        return descendants(top) if top else []

    def all_pids(self) -> list[int]:
        """Every process of the stack: gateway, worker, Postgres, Redis, S3 and their children."""
        return [pid for top in self.children.values() for pid in descendants(top)]


def descendants(top: int) -> list[int]:
    """``top`` and every process below it."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [top], [top]
    while frontier:
        frontier = [p for p, pp in parents.items() if pp in frontier]
        found += frontier
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far (those that still exist)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the highest resident set the process reached."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def embedded_stack(model: str = "tiny.en", concurrency: int = 1, **extra_env: str) -> Iterator[Stack]:
    """`harken up --detach` in a scratch folder; `harken down` afterwards."""
    root = Path(tempfile.mkdtemp(prefix="harken-bench-"))
    env = dict(os.environ, HARKEN_DATA_DIR=str(root), HARKEN_WHISPER__MODEL=model,
               HARKEN_UP__WORKER_CONCURRENCY=str(concurrency), HARKEN_UP__POSTGRES="embedded",
               HARKEN_UP__STREAMING="false",
               HARKEN_UP__GATEWAY_PORT=str(free_port()), HARKEN_UP__S3_PORT=str(free_port()),
               HARKEN_UP__POSTGRES_PORT=str(free_port()), HARKEN_UP__REDIS_PORT=str(free_port()),
               **extra_env)
    cli = [sys.executable, "-m", "services.cli"]
    subprocess.run([*cli, "up", "--detach"], env=env, check=True, stdout=subprocess.DEVNULL)
    try:
        state = json.loads((root / "run" / "up.json").read_text())
        up = {k.removeprefix("HARKEN_UP__").lower(): v for k, v in env.items() if k.startswith("HARKEN_UP__")}
        from services.core.settings import DEV_ACCESS_KEY_ID, DEV_SECRET_ACCESS_KEY

        yield Stack(root=root, gateway=state["endpoints"]["gateway"], s3=state["endpoints"]["s3"],
                    key=up.get("access_key_id", DEV_ACCESS_KEY_ID),
                    secret=up.get("secret_access_key", DEV_SECRET_ACCESS_KEY),
                    bucket=up.get("dev_bucket", "harken-dev"), db_url=state["db_url"],
                    children=state["children"])
    finally:
        subprocess.run([*cli, "down"], env=env, check=False, stdout=subprocess.DEVNULL)


def wait_completed(client: Any, name: str, timeout: float = 1800, every: float = 0.05) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
        if job["TranscriptionJobStatus"] in ("COMPLETED", "FAILED"):
            if job["TranscriptionJobStatus"] == "FAILED":
                raise RuntimeError(f"{name} failed: {job.get('FailureReason')}")
            return job
        time.sleep(every)
    raise TimeoutError(name)


def raw_whisper(model: str, threads: int = 1, batch_size: int | None = None) -> Any:
    """faster-whisper as a user would call it, with the worker's model folder and decoding settings.

    ``batch_size`` None decides like the worker (batched from ``whisper.batch_min_seconds`` on);
    0 forces sequential decoding, N > 0 the batched pipeline."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio

    from services.core.settings import get_settings
    from workers.engines.whisper import resolve_model_path

    w = get_settings().whisper
    s = get_settings()
    folder = resolve_model_path(model, Path(w.cache_dir or Path(s.data_dir) / "models"))
    loaded = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)

    def transcribe(path: Path) -> float:
        """Decode and transcribe ``path`` with word timestamps; returns seconds of audio."""
        audio = decode_audio(str(path))
        seconds = len(audio) / SAMPLE_RATE
        batch = batch_size if batch_size is not None else (
            w.batch_size if w.vad_filter and seconds >= w.batch_min_seconds else 0)
        options = {"beam_size": w.beam_size, "word_timestamps": True, "vad_filter": w.vad_filter or bool(batch),
                   "language": "en"}
        if batch:
            segments, _ = BatchedInferencePipeline(loaded).transcribe(audio, batch_size=batch, **options)
        else:
            segments, _ = loaded.transcribe(audio, **options)
        for _ in segments:
            pass
        return seconds

    return transcribe
