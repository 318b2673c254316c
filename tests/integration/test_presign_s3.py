"""Lean presigned URLs download from a real S3 server (SeaweedFS, as the test stack runs it).

tests/unit/test_presign.py proves the URLs equal botocore's byte for byte; this proves the server
accepts them for awkward keys, and refuses a tampered one (so the check is real).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest

from services.core.settings import S3Settings
from services.embedded.seaweed import SeaweedS3
from services.storage import s3 as s3mod
from tests.conftest import S3_KEY

KEYS = ["transcripts/job-1/asr-output.json", "a b  c.json", "plus+sign.srt", "tilde~/x.vtt",
        "ünïcödé/日本語/файл.json", "semi;colon,comma:colon@at!bang$(p)*", "equals=and&amp.vtt"]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return bytes(resp.read())


def test_lean_presigned_urls_download(s3_server: SeaweedS3, s3: Any) -> None:
    bucket = "presign-lean"
    s3.create_bucket(Bucket=bucket)
    st = S3Settings(endpoint_url=s3_server.endpoint_url, access_key_id=S3_KEY[0],
                    secret_access_key=S3_KEY[1], addressing_style="path", presign_seconds=300)
    for i, key in enumerate(KEYS):
        body = f"object {i}: {key}".encode()
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        url = s3mod.presign_get(bucket, key, st)
        assert fetch(url) == body, key
    assert s3mod._presigner(st).uses_lean(bucket)  # the lean signer made them, not botocore

    url = s3mod.presign_get(bucket, KEYS[0], st)
    tampered = url[:-1] + ("0" if url[-1] != "0" else "1")
    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(tampered)
    assert err.value.code == 403
    other = url.replace(KEYS[0].replace("/", "%2F"), "x").replace("asr-output.json", "asr-output2.json")
    s3.put_object(Bucket=bucket, Key="transcripts/job-1/asr-output2.json", Body=b"x")
    with pytest.raises(urllib.error.HTTPError) as err:  # a signature is for one key only
        fetch(other)
    assert err.value.code == 403
