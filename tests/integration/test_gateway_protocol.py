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


def test_failed_calls_are_counted_and_logged_under_their_operation(
        gateway: ServerThread, caplog: pytest.LogCaptureFixture) -> None:
    """The operation is named as soon as X-Amz-Target is parsed: a call refused for its signature,
    its body or its parameters is attributed to GetTranscriptionJob in the metrics and the access
    log, not to "Unknown" (which is left for targets that name no operation)."""
    import logging
    import time

    from botocore.exceptions import ClientError

    from services.core.metrics import API_REQUESTS
    from tests.conftest import make_client
    from tests.support import stack

    def count(op: str, status: int) -> float:
        return float(API_REQUESTS.labels(op, str(status))._value.get())

    caplog.set_level(logging.INFO, logger="harken.access")
    before = {k: count(*k) for k in [("GetTranscriptionJob", 400), ("GetTranscriptionJob", 403),
                                      ("Unknown", 400)]}
    ids: list[str] = []
    bad_sig = make_client("transcribe", gateway.url, (stack.KEY_A[0], "not-the-secret"))
    good = make_client("transcribe", gateway.url, stack.KEY_A)
    for call in (lambda: bad_sig.get_transcription_job(TranscriptionJobName="x"),  # 403 signature
                 lambda: good.get_transcription_job(TranscriptionJobName="bad name!")):  # 400 validation
        with pytest.raises(ClientError) as err:
            call()
        ids.append(err.value.response["ResponseMetadata"]["RequestId"])
    r = httpx.post(gateway.url + "/", content=b'{"TranscriptionJobName": ', headers={  # 400, before auth
        "X-Amz-Target": "Transcribe.GetTranscriptionJob", "Content-Type": "application/x-amz-json-1.1"})
    assert r.status_code in (400, 403)
    r2 = httpx.post(gateway.url + "/", content=b"{}", headers={
        "X-Amz-Target": "Transcribe.NoSuchOperation", "Content-Type": "application/x-amz-json-1.1"})
    ids += [r.headers["x-amzn-RequestId"], r2.headers["x-amzn-RequestId"]]
    deadline = time.monotonic() + 5  # the access line is written after the response is sent
    while not all(any(i in rec.getMessage() for rec in caplog.records) for i in ids) and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = {i: next(rec.getMessage() for rec in caplog.records if i in rec.getMessage()) for i in ids}
    assert "op=GetTranscriptionJob status=403" in lines[ids[0]]
    assert "op=GetTranscriptionJob status=400 error=BadRequestException" in lines[ids[1]]
    assert f"op=GetTranscriptionJob status={r.status_code}" in lines[ids[2]]
    assert "op=Unknown status=400 error=UnknownOperationException" in lines[ids[3]]
    assert count("GetTranscriptionJob", 403) - before["GetTranscriptionJob", 403] >= 1
    assert count("GetTranscriptionJob", 400) - before["GetTranscriptionJob", 400] >= 1 + (r.status_code == 400)
    assert count("Unknown", 400) - before["Unknown", 400] >= 1
