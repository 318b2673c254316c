"""Protocol edge: targets, content types, malformed bodies and unimplemented operations."""

from __future__ import annotations

import httpx
import pytest

from tests.support.stack import ServerThread


def test_health_and_ready(gateway: ServerThread) -> None:
    assert httpx.get(gateway.url + "/health").json() == {"status": "ok"}
    assert httpx.get(gateway.url + "/ready").json() == {"status": "ready"}


def test_unknown_target_is_an_aws_error(gateway: ServerThread) -> None:
    r = httpx.post(gateway.url + "/", content=b"{}", headers={
        "X-Amz-Target": "Transcribe.NoSuchOperation", "Content-Type": "application/x-amz-json-1.1"})
    assert r.status_code == 400
    assert r.json()["__type"] == "UnknownOperationException"
    assert r.headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert r.headers["x-amzn-RequestId"]


@pytest.mark.parametrize("op", ["StartCallAnalyticsJob", "ListMedicalScribeJobs"])
def test_unimplemented_operation_names_itself(transcribe, op: str) -> None:  # type: ignore[no-untyped-def]
    from botocore.exceptions import ClientError

    method = {"StartCallAnalyticsJob": lambda: transcribe.start_call_analytics_job(
        CallAnalyticsJobName="x", Media={"MediaFileUri": "s3://b/k.wav"}),
        "ListMedicalScribeJobs": lambda: transcribe.list_medical_scribe_jobs()}[op]
    with pytest.raises(ClientError) as exc:
        method()
    assert exc.value.response["Error"]["Code"] == "NotImplementedException"
    assert op in exc.value.response["Error"]["Message"]
