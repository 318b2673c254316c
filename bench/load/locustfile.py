"""Locust users for the load test (driven by bench/load/run_load.py; runnable alone against any
Harken with HARKEN_LOAD_* set).

Each user is one tenant with its own access key (accounts are throttled separately, as on AWS).
Starters submit jobs at a fixed pace; pollers Get the jobs their tenant started and List; every
call goes through unmodified boto3 (SigV4, AWS JSON 1.1) with retries off, so a throttled or failed
call shows as a failure instead of being hidden by the SDK's back-off.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from locust import User, between, constant_throughput, events, task

ENDPOINT = os.environ.get("HARKEN_LOAD_ENDPOINT", "http://127.0.0.1:8000")
KEYS: list[list[str]] = json.loads(os.environ.get("HARKEN_LOAD_KEYS", "[]"))
MEDIA = os.environ.get("HARKEN_LOAD_MEDIA", "s3://load-media/clip.flac")
START_RATE = float(os.environ.get("HARKEN_LOAD_START_RATE", "0.5"))  # starts per second per starter
STARTED_FILE = os.environ.get("HARKEN_LOAD_STARTED_FILE", "started.jsonl")

_lock = threading.Lock()
_started: dict[str, list[str]] = {}
_counter = iter(range(10**9))


def _client(key: list[str]) -> Any:
    return boto3.client("transcribe", endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id=key[0], aws_secret_access_key=key[1],
                        config=Config(retries={"mode": "standard", "max_attempts": 1},
                                      max_pool_connections=4, connect_timeout=5, read_timeout=30))


class _Tenant(User):
    abstract = True

    def on_start(self) -> None:
        self.key = KEYS[next(_counter) % len(KEYS)]
        self.client_ = _client(self.key)

    def call(self, name: str, fn: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        exc: Exception | None = None
        result = None
        try:
            result = fn(**kwargs)
        except ClientError as e:
            exc = e
        except Exception as e:  # connection errors count as failures too
            exc = e
        events.request.fire(request_type="boto3", name=name, response_time=(time.perf_counter() - started) * 1000,
                            response_length=0, exception=exc, context={})
        return result


class Starter(_Tenant):
    weight = 1
    wait_time = constant_throughput(START_RATE)

    @task
    def start_job(self) -> None:
        name = f"load-{uuid.uuid4().hex[:12]}"
        ok = self.call("StartTranscriptionJob", self.client_.start_transcription_job, TranscriptionJobName=name,
                       LanguageCode="en-US", Media={"MediaFileUri": MEDIA},
                       JobExecutionSettings={"AllowDeferredExecution": True,
                                             "DataAccessRoleArn": "arn:aws:iam::123456789012:role/load"})
        if ok is not None:
            with _lock:
                _started.setdefault(self.key[0], []).append(name)
                with open(STARTED_FILE, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"key": self.key[0], "name": name, "t": time.time()}) + "\n")


class Poller(_Tenant):
    weight = 2
    wait_time = between(0.2, 0.6)

    @task(4)
    def get(self) -> None:
        with _lock:
            names = list(_started.get(self.key[0], []))
        if names:
            self.call("GetTranscriptionJob", self.client_.get_transcription_job,
                      TranscriptionJobName=random.choice(names[-50:]))

    @task(1)
    def list_jobs(self) -> None:
        self.call("ListTranscriptionJobs", self.client_.list_transcription_jobs, MaxResults=20)
