"""The worker app's wiring: tasks registered by name, queues, beat schedule, error classes."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from sqlalchemy.exc import OperationalError

from services.core.settings import reset_settings_cache
from services.core.taskqueue import REAP, TRANSCRIBE_JOB
from workers.errors import is_missing, is_transient


def test_app_registers_tasks_queues_and_reaper_schedule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARKEN_DEV_MODE", "true")
    reset_settings_cache()
    from workers.celery_app import app

    reset_settings_cache()

    assert TRANSCRIBE_JOB in app.tasks and REAP in app.tasks
    assert {"gpu", "cpu"} <= {q.name for q in app.conf.task_queues}
    beat = app.conf.beat_schedule["harken-reaper"]
    assert beat["task"] == REAP and beat["schedule"] > 0
    task = app.tasks[TRANSCRIBE_JOB]
    assert task.acks_late and task.max_retries and task.autoretry_for
    assert app.conf.task_reject_on_worker_lost and app.conf.worker_prefetch_multiplier == 1


def _client_error(code: str, status: int) -> ClientError:
    response: Any = {"Error": {"Code": code, "Message": "x"}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, "GetObject")


def test_error_classes() -> None:
    assert is_transient(EndpointConnectionError(endpoint_url="http://x"))
    assert is_transient(_client_error("SlowDown", 503)) and is_transient(_client_error("Whatever", 500))
    assert is_transient(OperationalError("select 1", {}, Exception("server closed the connection")))
    assert is_transient(ConnectionRefusedError())
    assert not is_transient(_client_error("NoSuchKey", 404)) and is_missing(_client_error("NoSuchKey", 404))
    assert is_missing(_client_error("404", 404)) and is_missing(_client_error("AccessDenied", 403))
    assert not is_transient(KeyError("bug")) and not is_transient(ValueError())
