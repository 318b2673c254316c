"""The lean presigner's URLs are botocore's, byte for byte (services/storage/presign.py).

botocore's clock is frozen (as botocore's own tests freeze it) at the same instant the lean
presigner is given, over many keys, endpoints, addressing styles, regions, buckets and a session
token; and the fallback to botocore is checked to engage when the lean signer cannot reproduce a
bucket's URL. Nothing here talks to S3 (tests/integration/test_presign_s3.py downloads).
"""

from __future__ import annotations

import datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config

from services.core.settings import S3Settings
from services.storage import s3
from services.storage.presign import LeanPresigner

KEYS = [
    "transcripts/job-1/asr-output.json", "a b  c.json", "plus+sign.srt", "tilde~/x.vtt",
    "ünïcödé/日本語/файл.json", "emoji-🎙️.json", "/leading-slash", "double//slash/", "trailing/",
    "percent%20already", "query?x=1&y=2#frag", "semi;colon,comma:colon@at!bang$dollar'q(p)*",
    "equals=and&amp", "brackets[]{}|\\^`\"<>", "tab\there", "dot./..", ".", "..hidden", "k" * 900,
]
TIMES = [datetime.datetime(2026, 11, 22, 2, 30, 5), datetime.datetime(2026, 12, 31, 23, 59, 59),
         datetime.datetime(2027, 1, 1, 0, 0, 0)]

CONFIGS: list[dict[str, Any]] = [
    {"endpoint_url": "http://127.0.0.1:8333", "addressing_style": "path"},
    {"endpoint_url": "http://localhost:8333", "addressing_style": "path", "region": "eu-west-3"},
    {"endpoint_url": "https://s3.example.com", "addressing_style": "path"},
    {"endpoint_url": "https://S3.Example.com:443", "addressing_style": "path"},
    {"endpoint_url": "http://minio.internal:80", "addressing_style": "path"},
    {"endpoint_url": "https://minio.example.com:9000", "addressing_style": "virtual"},
    {"endpoint_url": "https://minio.example.com:9000", "addressing_style": "auto"},
    {"endpoint_url": "http://[::1]:9000", "addressing_style": "path"},
    {"endpoint_url": "", "addressing_style": "path", "region": "eu-central-1"},
    {"endpoint_url": "", "addressing_style": "virtual", "region": "us-east-1"},
    {"endpoint_url": "", "addressing_style": "auto", "region": "ap-southeast-2"},
]
BUCKETS = ["harken-service", "my.dotted.bucket", "b"]


def frozen(monkeypatch: pytest.MonkeyPatch, when: datetime.datetime) -> None:
    """botocore presigns with its CRT signer when awscrt is installed (it is), else in Python:
    freeze both clocks."""
    def now(remove_tzinfo: bool = True) -> datetime.datetime:
        return when if remove_tzinfo else when.replace(tzinfo=datetime.UTC)

    monkeypatch.setattr("botocore.auth.get_current_datetime", now)
    monkeypatch.setattr("botocore.crt.auth.get_current_datetime", now, raising=False)


def epoch(when: datetime.datetime) -> float:
    return when.replace(tzinfo=datetime.UTC).timestamp()


def botocore_url(client: Any, bucket: str, key: str, expires: int) -> str:
    return str(client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                             ExpiresIn=expires))


@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: f"{c['endpoint_url'] or 'aws'}-{c['addressing_style']}")
def test_lean_urls_equal_botocores(cfg: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    st = S3Settings(access_key_id="AKIDEXAMPLE", secret_access_key="wJalr/XUtnFEMI+K7MDENG", **cfg)
    client = s3._client(st, st.endpoint_url)  # the client Harken builds, with its Config
    lean = LeanPresigner(client, st.secret_access_key)
    compared = 0
    for when in TIMES:
        frozen(monkeypatch, when)
        for bucket in BUCKETS:
            for key in KEYS:
                for expires in (1, 900, 604800):
                    assert lean.presign_get(bucket, key, expires, now=epoch(when)) == \
                        botocore_url(client, bucket, key, expires), (bucket, key)
                    compared += 1
    assert compared == len(TIMES) * len(BUCKETS) * len(KEYS) * 3
    # The lean path really is used for Harken's own configuration (not botocore all along).
    if cfg["addressing_style"] == "path":
        assert all(lean.uses_lean(b) for b in BUCKETS)
    assert lean.uses_lean("harken-service")


def test_session_token_is_signed_and_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    client = boto3.session.Session().client(
        "s3", endpoint_url="http://127.0.0.1:8333", aws_access_key_id="ASIATEMP",
        aws_secret_access_key="secret", aws_session_token="FwoGZXIvYXdzE+/token==", region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
    lean = LeanPresigner(client, "secret")
    when = TIMES[0]
    frozen(monkeypatch, when)
    for key in KEYS[:6]:
        url = lean.presign_get("harken-service", key, 900, now=epoch(when))
        assert url == botocore_url(client, "harken-service", key, 900)
    assert "X-Amz-Security-Token=FwoGZXIvYXdzE%2B%2Ftoken%3D%3D" in url and lean.uses_lean("harken-service")


def test_wrong_secret_falls_back_to_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    st = S3Settings(access_key_id="AKIDEXAMPLE", secret_access_key="right")
    client = s3._client(st, st.endpoint_url)
    lean = LeanPresigner(client, "wrong")  # cannot reproduce the probe's signature
    frozen(monkeypatch, TIMES[0])
    url = lean.presign_get("harken-service", "k.json", 900, now=epoch(TIMES[0]))
    assert not lean.uses_lean("harken-service")
    assert url == botocore_url(client, "harken-service", "k.json", 900)


def test_custom_signed_parameters_fall_back_to_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    """A client configuration that changes what is signed (here an extra header added by an event
    hook, as a custom S3 setup might) is detected by the probe and left to botocore."""
    st = S3Settings(access_key_id="AKIDEXAMPLE", secret_access_key="s")
    client = s3._client(st, st.endpoint_url)

    def add_header(request: Any, **_: Any) -> None:
        request.headers["x-amz-custom"] = "1"

    client.meta.events.register("before-sign.s3.GetObject", add_header)
    lean = LeanPresigner(client, "s")
    frozen(monkeypatch, TIMES[0])
    url = lean.presign_get("harken-service", "k.json", 900, now=epoch(TIMES[0]))
    assert not lean.uses_lean("harken-service") and "x-amz-custom" in url
    assert url == botocore_url(client, "harken-service", "k.json", 900)


def test_presign_get_uses_settings_lifetime_and_public_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    st = S3Settings(endpoint_url="http://127.0.0.1:9", public_endpoint_url="https://files.example.test",
                    access_key_id="AKIDTEST", secret_access_key="s", presign_seconds=120)
    url = s3.presign_get("harken-service", "out/job 1.json", st)
    assert url.startswith("https://files.example.test/harken-service/out/job%201.json?")
    assert "X-Amz-Expires=120&" in url
    assert s3._presigner(st).uses_lean("harken-service")
