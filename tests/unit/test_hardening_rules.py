"""Pure hardening rules: S3 URI and key safety, bucket policy, per-account limits, sealed secrets,
default request rates. No services needed."""

from __future__ import annotations

import pytest

from services.core import ratelimit, secrets
from services.core.quotas import limit_for
from services.core.settings import Settings
from services.storage import access
from services.storage.uris import (
    S3Location,
    UnsafeS3Uri,
    key_problem,
    parse_media_uri,
    parse_s3_uri,
    safe_segment,
)
from workers.outputs import plan_outputs

ENDPOINT = "http://127.0.0.1:8333"


def settings(**groups: object) -> Settings:
    return Settings(dev_mode=True, **groups)  # type: ignore[arg-type]


@pytest.mark.parametrize("uri", [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://localhost:5432/",
    "http://127.0.0.1:6379/",            # same host as the endpoint, other port
    "https://evil.example.com/bucket/key.wav",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_FLUSHALL",
    "ftp://s3.amazonaws.com/b/k",
    "https://s3.amazonaws.com.evil.example/b/k.wav",
    "https://bucket.s3.amazonaws.com.evil.example/k.wav",
    "http://[",
    "http://s3.amazonaws.com:99999/b/k.wav",
    "https://[::1/b/k",
])
def test_other_hosts_and_schemes_are_not_s3(uri: str) -> None:
    assert parse_media_uri(uri, endpoint_url=ENDPOINT) is None


@pytest.mark.parametrize("uri", [
    "s3://media/../harken-service/111122223333/job/1/job.json",
    "s3://media/a/../../other/key.wav",
    "s3://media/./key.wav",
    "s3://media//key.wav",
    "s3://media/a\\..\\..\\other\\k.wav",
    "s3://media/a/\x00.wav",
    "https://s3.us-east-1.amazonaws.com/media/%2e%2e/harken-service/k.json",
    "https://media.s3.us-east-1.amazonaws.com/%2E%2E/other/k.wav",
    f"{ENDPOINT}/media/a/%2e%2e/%2e%2e/other/k.wav",
    "https://user:pw@s3.amazonaws.com/media/k.wav",
    "s3://169.254.169.254/k.wav",
    "s3://bad%2fbucket/k.wav",
    "s3://bad bucket/k.wav",
    "s3://a..b/k.wav",
    "s3://evil.com:80@x/k.wav",
])
def test_traversal_and_malformed_buckets_are_refused(uri: str) -> None:
    with pytest.raises(UnsafeS3Uri):
        parse_s3_uri(uri, endpoint_url=ENDPOINT)
    assert parse_media_uri(uri, endpoint_url=ENDPOINT) is None


@pytest.mark.parametrize(("uri", "loc"), [
    ("s3://media/audio/a.wav", S3Location("media", "audio/a.wav")),
    ("s3://media/a..b/c...wav", S3Location("media", "a..b/c...wav")),
    ("https://media.s3.eu-west-1.amazonaws.com/x%20y.wav", S3Location("media", "x y.wav")),
    ("https://s3.us-east-1.amazonaws.com/media/k.wav", S3Location("media", "k.wav")),
    (f"{ENDPOINT}/media/k.wav", S3Location("media", "k.wav")),
])
def test_s3_forms_still_parse(uri: str, loc: S3Location) -> None:
    assert parse_s3_uri(uri, endpoint_url=ENDPOINT) == loc


@pytest.mark.parametrize("key", ["../x.json", "a/../../b", "a/./b", "/abs", "a\\..\\b", "a\rb"])
def test_key_problem(key: str) -> None:
    assert key_problem(key)


def test_dot_job_names_stay_inside_the_account_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    from services.core.settings import reset_settings_cache

    monkeypatch.setenv("HARKEN_DEV_MODE", "true")
    reset_settings_cache()
    assert safe_segment("..") == "_.." and safe_segment(".") == "_." and safe_segment("a.b") == "a.b"
    plan = plan_outputs(7, "111122223333", "..", {"TranscriptionJobName": ".."})
    assert plan.transcript_key == "111122223333/_../7/...json"
    assert not key_problem(plan.transcript_key)
    monkeypatch.undo()
    reset_settings_cache()


def test_bucket_policy_patterns_and_service_bucket() -> None:
    s = settings(tenants={"default": {"read_buckets": ["*"], "write_buckets": []},
                          "accounts": {"111122223333": {"read_buckets": ["team-a-*"],
                                                        "write_buckets": ["team-a-out"]}}})
    assert access.can_read(s, "111122223333", "team-a-media")
    assert not access.can_read(s, "111122223333", "team-b-media")
    assert access.can_write(s, "111122223333", "team-a-out")
    assert not access.can_write(s, "111122223333", "team-a-media")
    assert access.can_read(s, "999999999999", "anything") and not access.can_write(s, "999999999999", "x")
    for acct in ("111122223333", "999999999999"):
        assert not access.can_read(s, acct, s.s3.service_bucket)
        assert not access.can_write(s, acct, s.s3.service_bucket)


def test_limits_per_account() -> None:
    s = settings(tenants={"accounts": {"111122223333": {"limits": {"max_concurrent_jobs": 3}}}})
    assert limit_for(s, "111122223333", "max_concurrent_jobs") == 3
    assert limit_for(s, "444455556666", "max_concurrent_jobs") == s.limits.max_concurrent_jobs
    assert limit_for(s, "111122223333", "max_vocabularies") == 100
    with pytest.raises(ValueError, match="unknown limits"):
        settings(tenants={"accounts": {"111122223333": {"limits": {"max_widgets": 1}}}})


def test_default_rates_follow_aws_table() -> None:
    assert ratelimit.default_rate("StartTranscriptionJob") == 25
    assert ratelimit.default_rate("StartStreamTranscription") == 25
    assert ratelimit.default_rate("GetTranscriptionJob") == 30
    assert ratelimit.default_rate("ListTranscriptionJobs") == 5
    assert ratelimit.default_rate("DeleteTranscriptionJob") == 5
    assert ratelimit.default_rate("GetVocabulary") == 20
    assert ratelimit.default_rate("DescribeLanguageModel") == 20   # by verb
    s = settings(throttle={"rates": {"GetTranscriptionJob": 100}},
                 tenants={"accounts": {"111122223333": {"rates": {"GetTranscriptionJob": 7}}}})
    assert ratelimit.rate_for(s, "111122223333", "GetTranscriptionJob") == 7
    assert ratelimit.rate_for(s, "444455556666", "GetTranscriptionJob") == 100


def test_sealed_secrets_open_in_memory_and_never_show() -> None:
    key = secrets.new_operator_key()
    sealed = secrets.seal("very-secret-value-123", key)
    assert sealed.startswith("enc:") and "very-secret" not in sealed
    s = Settings(dev_mode=False, api={"token_secret": "t"}, auth={
        "secrets_key": key,
        "credentials": [{"access_key_id": "AKIDX", "secret_access_key": sealed, "account_id": "111122223333"}]},
        s3={"secret_access_key": secrets.seal("s3-secret-xyz", key)})
    assert s.auth.credentials[0].secret_access_key == "very-secret-value-123"
    assert s.s3.secret_access_key == "s3-secret-xyz"
    shown = repr(s) + str(s) + repr(s.auth.credentials)
    for clear in ("very-secret-value-123", "s3-secret-xyz", key):
        assert clear not in shown


def test_sealed_secret_without_or_with_wrong_key_is_refused() -> None:
    sealed = secrets.seal("x", secrets.new_operator_key())
    creds = [{"access_key_id": "AKIDX", "secret_access_key": sealed, "account_id": "111122223333"}]
    with pytest.raises(ValueError, match="no operator key"):
        Settings(dev_mode=True, auth={"credentials": creds})
    with pytest.raises(ValueError, match="could not be opened") as info:
        Settings(dev_mode=True, auth={"credentials": creds, "secrets_key": secrets.new_operator_key()})
    assert sealed not in str(info.value)


def test_cli_seals_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from services import cli

    key = secrets.new_operator_key()
    monkeypatch.setenv("HARKEN_AUTH__SECRETS_KEY", key)
    monkeypatch.setattr("sys.stdin", io.StringIO("cli-secret\n"))
    assert cli.main(["keys", "seal"]) == 0
    out = capsys.readouterr().out.strip()
    assert secrets.unseal(out, key) == "cli-secret"
