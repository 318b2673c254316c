"""Abuse cases through unmodified boto3 (and raw signed HTTP where boto3 cannot send the request):
SSRF and traversal through every S3 location a request can name, per-account bucket policy,
request rates across gateway processes, per-account limits, the queue cap and body size."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from services.core.settings import TenantPolicy, TenantSettings
from tests.conftest import make_client
from tests.support import stack
from tests.support.signing import signed_post

WAV = "s3://customer-media/audio/en-gb.wav"


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _error(exc: pytest.ExceptionInfo[ClientError] | ClientError) -> tuple[str, str, int]:
    err = (exc if isinstance(exc, ClientError) else exc.value).response
    return err["Error"]["Code"], err["Error"]["Message"], err["ResponseMetadata"]["HTTPStatusCode"]


def _start(client: Any, uri: str = WAV, **extra: Any) -> Any:
    return client.start_transcription_job(TranscriptionJobName=_name("abuse"), LanguageCode="en-US",
                                          Media={"MediaFileUri": uri}, **extra)


# --- SSRF: nothing but S3 locations on the configured store -------------------------------------

@pytest.mark.parametrize("uri", [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://127.0.0.1:5432/postgres",
    "https://internal.corp.example/secret.wav",
    "http://[::1]:6379/",
    "https://s3.amazonaws.com.evil.example/b/k.wav",
])
def test_media_uri_other_hosts_refused(transcribe: Any, uri: str) -> None:
    with pytest.raises(ClientError) as exc:
        _start(transcribe, uri)
    code, message, status = _error(exc)
    assert (code, status) == ("BadRequestException", 400)
    assert "isn't valid" in message


@pytest.mark.parametrize("uri", [
    "s3://customer-media/../harken-service/111122223333/x/1/x.json",
    "s3://customer-media/audio/../../harken-service/k.json",
    "https://s3.us-east-1.amazonaws.com/customer-media/%2e%2e/harken-service/k.json",
    "https://customer-media.s3.us-east-1.amazonaws.com/audio/%2E%2E/%2E%2E/other/k.wav",
    "s3://customer-media/audio\\..\\..\\other\\k.wav",
])
def test_media_uri_traversal_refused(transcribe: Any, uri: str) -> None:
    with pytest.raises(ClientError) as exc:
        _start(transcribe, uri)
    code, message, _ = _error(exc)
    assert code == "BadRequestException"
    assert "'.' or '..'" in message or "isn't a valid S3" in message


@pytest.mark.parametrize("key", ["../escape.json", "out/../../harken-service/x.json", "a/./b", "x\\..\\..\\y"])
def test_output_key_traversal_refused(transcribe: Any, key: str) -> None:
    with pytest.raises(ClientError) as exc:
        _start(transcribe, OutputBucketName="customer-media", OutputKey=key)
    code, message, _ = _error(exc)
    assert code == "BadRequestException" and "outputkey" in message.lower()


def test_service_bucket_is_never_a_tenant_location(transcribe: Any, transcribe_b: Any) -> None:
    # Reading another account's transcript as "media", or writing over it as "output".
    with pytest.raises(ClientError) as exc:
        _start(transcribe_b, f"s3://harken-service/{stack.ACCOUNT_A}/job/1/job.json")
    assert _error(exc)[:2] == ("BadRequestException",
                               "The S3 URI that you provided can't be accessed. Make sure that you have read "
                               "permission and try your request again.")
    with pytest.raises(ClientError) as exc:
        _start(transcribe_b, OutputBucketName="harken-service", OutputKey=f"{stack.ACCOUNT_A}/job/1/job.json")
    code, message, _ = _error(exc)
    assert code == "BadRequestException" and "can't be written to" in message


def test_console_uploads_are_media_for_their_own_account_only(transcribe: Any, transcribe_b: Any) -> None:
    """The console stores uploads in the service bucket under console-uploads/<account>/: the
    uploader may name them as media; another account may not, nor anything else in that bucket."""
    own = f"s3://harken-service/console-uploads/{stack.ACCOUNT_A}/0123abcd/talk.wav"
    assert _start(transcribe, own)["TranscriptionJob"]["TranscriptionJobStatus"] in ("IN_PROGRESS", "QUEUED")
    for client, uri in ((transcribe_b, own),
                        (transcribe, f"s3://harken-service/console-uploads/{stack.ACCOUNT_B}/0123abcd/talk.wav"),
                        (transcribe, f"s3://harken-service/console-uploads/{stack.ACCOUNT_A}"),
                        (transcribe, f"s3://harken-service/{stack.ACCOUNT_A}/job/1/job.json")):
        with pytest.raises(ClientError) as exc:
            _start(client, uri)
        assert _error(exc)[0] == "BadRequestException", uri


def test_vocabulary_filter_and_model_sources_checked(transcribe: Any) -> None:
    with pytest.raises(ClientError) as exc:
        transcribe.create_vocabulary(VocabularyName=_name("v"), LanguageCode="en-US",
                                     VocabularyFileUri="s3://harken-service/111122223333/vocab.txt")
    assert _error(exc)[0] == "BadRequestException" and "can't be accessed" in _error(exc)[1]
    with pytest.raises(ClientError) as exc:
        transcribe.create_vocabulary(VocabularyName=_name("v"), LanguageCode="en-US",
                                     VocabularyFileUri="http://169.254.169.254/latest/user-data")
    assert _error(exc)[0] == "BadRequestException"
    with pytest.raises(ClientError) as exc:
        transcribe.create_vocabulary_filter(VocabularyFilterName=_name("f"), LanguageCode="en-US",
                                            VocabularyFilterFileUri="s3://customer-media/../harken-service/k")
    assert _error(exc)[0] == "BadRequestException" and "'.' or '..'" in _error(exc)[1]
    with pytest.raises(ClientError) as exc:
        transcribe.create_language_model(
            LanguageCode="en-US", BaseModelName="WideBand", ModelName=_name("m"),
            InputDataConfig={"S3Uri": "s3://harken-service/", "DataAccessRoleArn":
                             "arn:aws:iam::111122223333:role/r"})
    assert _error(exc)[0] == "BadRequestException" and "can't be accessed" in _error(exc)[1]


def test_per_account_buckets(transcribe: Any, transcribe_b: Any, gateway_settings: Any,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    tenants = TenantSettings(accounts={stack.ACCOUNT_A: TenantPolicy(read_buckets=["team-a-*"],
                                                                     write_buckets=["team-a-out"])})
    monkeypatch.setattr(gateway_settings, "tenants", tenants)
    with pytest.raises(ClientError) as exc:
        _start(transcribe, WAV)  # customer-media is not team A's
    assert "can't be accessed" in _error(exc)[1]
    with pytest.raises(ClientError) as exc:
        _start(transcribe, "s3://team-a-media/x.wav", OutputBucketName="customer-media")
    assert "can't be written to" in _error(exc)[1]
    started = _start(transcribe, "s3://team-a-media/x.wav", OutputBucketName="team-a-out")
    assert started["TranscriptionJob"]["TranscriptionJobStatus"] in ("IN_PROGRESS", "QUEUED")
    _start(transcribe_b, WAV)  # account B keeps the default policy


# --- request rates --------------------------------------------------------------------------------

@pytest.fixture()
def throttled(gateway_settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(gateway_settings.throttle, "enabled", True)
    monkeypatch.setattr(gateway_settings.throttle, "key_prefix", f"harken-test:{uuid.uuid4().hex}")
    monkeypatch.setattr(gateway_settings.throttle, "redis_url", stack.REDIS_URL)
    return gateway_settings


def _slow_refill(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bucket of 5 that refills at 0.2/s: the counts below then do not depend on how fast this
    (shared, loaded) machine answers. AWS's own rates are checked in tests/unit."""
    monkeypatch.setitem(settings.throttle.rates, "ListTranscriptionJobs", 0.2)
    monkeypatch.setattr(settings.throttle, "burst_seconds", 25.0)


def test_throttling_exception_as_aws_sends_it(transcribe: Any, throttled: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_refill(throttled, monkeypatch)
    codes = []
    for _ in range(12):
        try:
            transcribe.list_transcription_jobs()
            codes.append("ok")
        except ClientError as exc:
            code, message, status = _error(exc)
            assert (code, message, status) == ("ThrottlingException", "Rate exceeded", 400)
            codes.append(code)
    assert codes[:5] == ["ok"] * 5 and "ThrottlingException" in codes
    assert codes.count("ok") <= 6  # 5 at once plus what refills while the calls run


def test_raw_throttling_body(gateway: Any, throttled: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(throttled.throttle.rates, "GetTranscriptionJob", 1)
    body = b'{"TranscriptionJobName": "nope"}'
    first = signed_post(gateway.url, "Transcribe.GetTranscriptionJob", body, stack.KEY_A)
    second = signed_post(gateway.url, "Transcribe.GetTranscriptionJob", body, stack.KEY_A)
    assert first.json()["__type"] == "BadRequestException"
    assert second.status_code == 400 and second.headers["x-amzn-ErrorType"] == "ThrottlingException"
    assert second.json() == {"__type": "ThrottlingException", "message": "Rate exceeded"}
    assert second.headers["x-amzn-RequestId"]


def test_rates_are_per_account_and_shared_across_gateways(transcribe: Any, transcribe_b: Any, throttled: Any,
                                                         harken_env: dict[str, str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A second gateway (its own app, its own Settings, same Redis) draws from the same buckets: the
    limit holds across processes, not per process."""
    from services.core.settings import Settings
    from services.gateway.app import create_app

    _slow_refill(throttled, monkeypatch)
    other_settings = Settings()
    other_settings.throttle = throttled.throttle.model_copy(deep=True)
    second = stack.ServerThread(create_app(other_settings)).start()
    try:
        other_a = make_client("transcribe", second.url, stack.KEY_A)
        ok = 0
        for i in range(10):  # alternate the two gateways
            try:
                (transcribe if i % 2 else other_a).list_transcription_jobs()
                ok += 1
            except ClientError as exc:
                assert _error(exc)[0] == "ThrottlingException"
        assert 5 <= ok <= 6
        transcribe_b.list_transcription_jobs()  # account B has its own bucket
    finally:
        second.stop()


# --- counts, the queue and sizes -------------------------------------------------------------------

def test_queue_cap_with_deferred_execution(transcribe: Any, gateway_settings: Any, clean_db: None,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway_settings.limits, "max_concurrent_jobs", 0)
    monkeypatch.setattr(gateway_settings.limits, "max_queued_jobs", 2)
    deferred = {"JobExecutionSettings": {"AllowDeferredExecution": True,
                                         "DataAccessRoleArn": "arn:aws:iam::111122223333:role/r"}}
    for _ in range(2):
        assert _start(transcribe, **deferred)["TranscriptionJob"]["TranscriptionJobStatus"] == "QUEUED"
    with pytest.raises(ClientError) as exc:
        _start(transcribe, **deferred)
    code, message, status = _error(exc)
    assert (code, status) == ("LimitExceededException", 429) and "queued" in message
    with pytest.raises(ClientError) as exc:
        _start(transcribe)
    assert _error(exc)[0] == "LimitExceededException"


def test_resource_counts_per_account(transcribe: Any, transcribe_b: Any, gateway_settings: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    tenants = TenantSettings(accounts={stack.ACCOUNT_A: TenantPolicy(
        limits={"max_vocabulary_filters": 0, "max_vocabularies": 0})})
    monkeypatch.setattr(gateway_settings, "tenants", tenants)
    with pytest.raises(ClientError) as exc:
        transcribe.create_vocabulary_filter(VocabularyFilterName=_name("f"), LanguageCode="en-US", Words=["x"])
    assert _error(exc)[:1] == ("LimitExceededException",)
    with pytest.raises(ClientError) as exc:
        transcribe.create_vocabulary(VocabularyName=_name("v"), LanguageCode="en-US", Phrases=["hello"])
    assert _error(exc)[0] == "LimitExceededException"
    name = _name("f")
    transcribe_b.create_vocabulary_filter(VocabularyFilterName=name, LanguageCode="en-US", Words=["x"])
    transcribe_b.delete_vocabulary_filter(VocabularyFilterName=name)


def test_request_body_size(gateway: Any, gateway_settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway_settings.limits, "max_request_bytes", 10_000)
    big = b'{"TranscriptionJobName": "' + b"a" * 20_000 + b'"}'
    r = signed_post(gateway.url, "Transcribe.GetTranscriptionJob", big, stack.KEY_A)
    assert r.status_code == 413 and r.json()["__type"] == "RequestEntityTooLargeException"

    def endless() -> Any:  # chunked, no Content-Length: refused once past the limit, not buffered
        for _ in range(10_000):
            yield b"x" * 1024

    r = httpx.post(gateway.url + "/", content=endless(), timeout=30,
                   headers={"X-Amz-Target": "Transcribe.ListTranscriptionJobs",
                            "Content-Type": "application/x-amz-json-1.1"})
    assert r.status_code == 413 and r.headers["x-amzn-ErrorType"] == "RequestEntityTooLargeException"


def test_request_body_limit_through_boto3(transcribe: Any, gateway_settings: Any,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway_settings.limits, "max_request_bytes", 2_000)
    with pytest.raises(ClientError) as exc:
        transcribe.create_vocabulary(VocabularyName=_name("v"), LanguageCode="en-US",
                                     Phrases=[f"word{i}" for i in range(400)])
    assert _error(exc)[0] == "RequestEntityTooLargeException" and _error(exc)[2] == 413
