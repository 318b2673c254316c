"""Real Celery worker processes under faults: SIGTERM, SIGKILL, a Redis restart, an S3 outage, a
Postgres restart.

The claim that matters is "exactly once": however a worker dies or a dependency blinks, a job ends
COMPLETED by one transition with one transcript object, or FAILED cleanly, and is never left
IN_PROGRESS for good. Transitions are counted from the workers' own logs ("transition COMPLETED"),
objects from S3. The pipeline is the recogniser-free stand-in, slowed by
``worker.debug_stage_delay_seconds`` so a kill lands mid-job deterministically.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from services.core.settings import reset_settings_cache
from services.core.taskqueue import TRANSCRIBE_JOB, send
from services.db.models.jobs import TranscriptionJob
from services.db.session import after_commit, unit_of_work
from services.embedded.ports import free_port, wait_for_port
from tests.support import stack
from tests.support.celery_worker import WorkerProcess
from tests.support.jobs import drop_queue, get_job, insert_job
from tests.support.tcp_proxy import CuttableProxy
from workers.errors import INTERNAL_FAILURE
from workers.reaper import reap

WAV = "s3://customer-media/audio/en-gb.wav"
DELAY = 5.0


class Faults:
    """Per-test worker settings (shared with the test process) and the workers it started."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp, self.monkeypatch = tmp, monkeypatch
        self.queue = f"faults-{uuid.uuid4().hex[:8]}"
        self.env: dict[str, str] = {
            "HARKEN_WORKER__QUEUE": self.queue,
            "HARKEN_WORKER__LEASE_SECONDS": "6",
            "HARKEN_WORKER__HEARTBEAT_SECONDS": "1",
            "HARKEN_WORKER__UNCLAIMED_SECONDS": "3",
            "HARKEN_WORKER__RETRY_BACKOFF_SECONDS": "1",
            "HARKEN_WORKER__RETRY_BACKOFF_MAX_SECONDS": "2",
            "HARKEN_WORKER__MAX_TRANSIENT_RETRIES": "30",
            "HARKEN_WORKER__PIPELINE": "tests.support.fake_pipeline:transcribe_media",
            "HARKEN_WORKER__DEBUG_STAGE_DELAY_SECONDS": str(DELAY),
            "HARKEN_BROKER__VISIBILITY_TIMEOUT": "20",
        }
        self.workers: list[WorkerProcess] = []
        self.apply()

    def apply(self, **overrides: str) -> None:
        self.env.update(overrides)
        for k, v in self.env.items():
            self.monkeypatch.setenv(k, v)
        reset_settings_cache()

    def worker(self, name: str, **env: str) -> WorkerProcess:
        w = WorkerProcess(name, {**self.env, **env}, self.tmp / f"{name}.log", self.queue).start()
        self.workers.append(w)
        w.wait_ready()
        return w

    def transitions(self, job_id: int, status: str = "COMPLETED") -> int:
        return sum(w.log().count(f"job {job_id}: transition {status}") for w in self.workers)

    def close(self) -> None:
        for w in self.workers:
            w.stop()
        drop_queue(self.queue)


@pytest.fixture()
def faults(harken_env: dict[str, str], clean_db: None, media_bucket: str, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    f = Faults(tmp_path, monkeypatch)
    yield f
    f.close()
    monkeypatch.undo()
    reset_settings_cache()


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, every: float = 0.2,
             tick: Callable[[], Any] | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if tick is not None:
            tick()
        time.sleep(every)
    raise TimeoutError(what)


def claimed(job_id: int) -> bool:
    job = get_job(job_id)
    return job is not None and job.lease_owner is not None


def terminal(job_id: int) -> bool:
    job = get_job(job_id)
    return job is not None and job.status in ("COMPLETED", "FAILED")


def transcript_objects(s3: Any, job_id: int, name: str) -> list[str]:
    prefix = f"{stack.ACCOUNT_A}/{name}/{job_id}/"
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket="harken-service", Prefix=prefix)
                  .get("Contents", []))


def start_job(name: str, **request: Any) -> int:
    job_id = insert_job(name, WAV, Subtitles={"Formats": ["srt"]}, **request)
    send(TRANSCRIBE_JOB, job_id)
    return job_id


def test_sigterm_lets_the_running_job_finish(faults: Faults, s3: Any) -> None:
    a = faults.worker("term-a")
    job_id = start_job("sigterm")
    wait_for(lambda: claimed(job_id), 60, "job claimed")
    a.terminate()
    assert a.process is not None
    assert a.process.wait(DELAY + 60) == 0, a.log()[-3000:]
    job = get_job(job_id)
    assert job is not None and job.status == "COMPLETED" and job.attempts == 1, a.log()[-3000:]
    assert faults.transitions(job_id) == 1
    prefix = f"{stack.ACCOUNT_A}/sigterm/{job_id}/"
    assert transcript_objects(s3, job_id, "sigterm") == [prefix + "sigterm.json", prefix + "sigterm.srt"]


def test_sigkill_mid_job_completes_exactly_once(faults: Faults, s3: Any) -> None:
    a = faults.worker("kill-a")
    job_id = start_job("sigkill")
    wait_for(lambda: claimed(job_id), 60, "job claimed")
    time.sleep(1)  # inside the slow stage: media downloaded, nothing written
    a.kill9()
    job = get_job(job_id)
    assert job is not None and job.status == "IN_PROGRESS" and job.attempts == 1
    assert transcript_objects(s3, job_id, "sigkill") == []

    b = faults.worker("kill-b")
    # the reaper notices the lease ran out and sends the job again
    wait_for(lambda: terminal(job_id), 120, "job finished after the kill", every=1.0, tick=reap)
    job = get_job(job_id)
    assert job is not None and job.status == "COMPLETED", b.log()[-3000:]
    assert job.attempts == 2
    # Redis hands the killed worker's unacked message out again only after the visibility timeout
    # plus kombu's restore sweep (~100 s by default); deliver that duplicate now instead
    send(TRANSCRIBE_JOB, job_id)
    wait_for(lambda: f"job {job_id}: not claimed (COMPLETED)" in b.log(), 60, "duplicate delivery")
    assert faults.transitions(job_id) == 1, a.log()[-2000:] + b.log()[-3000:]
    prefix = f"{stack.ACCOUNT_A}/sigkill/{job_id}/"
    assert transcript_objects(s3, job_id, "sigkill") == [prefix + "sigkill.json", prefix + "sigkill.srt"]


def test_s3_outage_mid_job_then_recovery(faults: Faults, s3: Any, s3_server: Any) -> None:
    proxy = CuttableProxy("127.0.0.1", s3_server.s3_port)
    try:
        faults.worker("s3-a", HARKEN_S3__ENDPOINT_URL=proxy.url)
        job_id = start_job("s3-outage")
        wait_for(lambda: claimed(job_id), 60, "job claimed")
        time.sleep(1)
        proxy.cut()  # the output write fails, so do the retries' downloads
        time.sleep(DELAY + 3)
        job = get_job(job_id)
        assert job is not None and job.status == "IN_PROGRESS"
        proxy.restore()
        wait_for(lambda: terminal(job_id), 90, "job finished after S3 came back", every=0.5)
        job = get_job(job_id)
        assert job is not None and job.status == "COMPLETED", faults.workers[0].log()[-3000:]
        assert job.attempts == 1  # transient failures do not use up attempts
        assert "Retry in" in faults.workers[0].log()  # it went through Celery's backoff
        assert faults.transitions(job_id) == 1
        assert len(transcript_objects(s3, job_id, "s3-outage")) == 2
    finally:
        proxy.close()


def test_s3_down_for_good_fails_cleanly(faults: Faults, s3_server: Any) -> None:
    proxy = CuttableProxy("127.0.0.1", s3_server.s3_port)
    proxy.cut()
    try:
        faults.worker("s3-b", HARKEN_S3__ENDPOINT_URL=proxy.url,
                      HARKEN_WORKER__MAX_TRANSIENT_RETRIES="2")
        job_id = start_job("s3-dead")
        wait_for(lambda: terminal(job_id), 90, "job failed", every=0.5)
        job = get_job(job_id)
        assert job is not None and job.status == "FAILED" and job.failure_reason == INTERNAL_FAILURE
        assert job.lease_owner is None
        assert faults.transitions(job_id, "FAILED") == 1
    finally:
        proxy.close()


@pytest.fixture()
def private_redis(tmp_path: Path) -> Iterator[Callable[[str], None]]:
    """A Redis only this test uses, so it can be killed and restarted (no persistence, like a
    restarted cache node: queued messages are lost)."""
    port = free_port()
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed")
    procs: list[subprocess.Popen[bytes]] = []

    def control(action: str) -> None:
        if action == "start":
            procs.append(subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                           "--appendonly", "no"], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
            assert wait_for_port("127.0.0.1", port, 10)
        else:
            for p in procs:
                p.kill()
                p.wait(10)
            procs.clear()

    control.url = f"redis://127.0.0.1:{port}/0"  # type: ignore[attr-defined]
    control("start")
    yield control
    control("stop")


def test_redis_restart_mid_job_and_lost_send(faults: Faults, private_redis: Any, s3: Any) -> None:
    faults.apply(HARKEN_BROKER__URL=private_redis.url)
    w = faults.worker("redis-a")
    job_id = start_job("redis-restart")
    wait_for(lambda: claimed(job_id), 60, "job claimed")
    private_redis("stop")

    # a Start while the broker is down: the row commits, the send fails after the commit
    lost = insert_job("lost-send", WAV, status="QUEUED")
    with unit_of_work() as s:
        s.execute(update(TranscriptionJob).where(TranscriptionJob.id == lost)
                  .values(status="IN_PROGRESS"))
        after_commit(s, lambda: send(TRANSCRIBE_JOB, lost))

    wait_for(lambda: terminal(job_id), DELAY + 30, "running job finished while Redis was down")
    private_redis("start")
    job = get_job(job_id)
    assert job is not None and job.status == "COMPLETED" and faults.transitions(job_id) == 1
    # the reaper re-sends the never-claimed job once unclaimed_seconds pass; the worker reconnected
    wait_for(lambda: terminal(lost), 120, "lost send recovered", every=1.0, tick=reap)
    job = get_job(lost)
    assert job is not None and job.status == "COMPLETED", w.log()[-3000:]
    assert faults.transitions(lost) == 1


def test_postgres_restart_mid_job(faults: Faults, s3: Any) -> None:
    """The worker's database goes away mid-job (every connection dropped, new ones refused, as in a
    restart) and comes back: the job completes once, with one set of outputs, and is not stuck."""
    from sqlalchemy.engine import make_url

    db = make_url(os.environ["HARKEN_DB__URL"])
    proxy = CuttableProxy(db.host or "127.0.0.1", db.port or 5432)
    try:
        via_proxy = db.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        w = faults.worker("pg-a", HARKEN_DB__URL=via_proxy, HARKEN_DB__POOL_PRE_PING="true")
        job_id = start_job("pg-restart")
        wait_for(lambda: claimed(job_id), 60, "job claimed")
        time.sleep(1)  # inside the slow stage
        proxy.cut()
        time.sleep(DELAY + 3)  # the stage ends and its writes meet a dead database
        job = get_job(job_id)
        assert job is not None and job.status == "IN_PROGRESS"
        proxy.restore()
        wait_for(lambda: terminal(job_id), 120, "job finished after Postgres came back", every=1.0, tick=reap)
        job = get_job(job_id)
        assert job is not None and job.status == "COMPLETED", w.log()[-3000:]
        assert faults.transitions(job_id) == 1, w.log()[-3000:]
        assert "OperationalError" in w.log()  # the outage really reached the worker
        prefix = f"{stack.ACCOUNT_A}/pg-restart/{job_id}/"
        assert transcript_objects(s3, job_id, "pg-restart") == [prefix + "pg-restart.json",
                                                                prefix + "pg-restart.srt"]
    finally:
        proxy.close()
