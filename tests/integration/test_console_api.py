"""The console's HTTP surface against the running gateway, real Postgres and SeaweedFS S3.

Sign-in goes through the API's SigV4 rules; every other route is tested for session, CSRF and
tenant checks. Completed jobs are made the way a worker leaves them (row + files in S3), so the
transcript, download and audio routes are exercised without loading a model (the browser tests
in tests/console run the real worker).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support import stack
from tests.support.console import CSRF, call, console_client, sign_in_response
from tests.support.console import completed_job as make_completed_job

DOC_ITEMS = [
    {"id": 0, "type": "pronunciation", "start_time": "0.5", "end_time": "0.9", "speaker_label": "spk_0",
     "alternatives": [{"confidence": "0.98", "content": "Hello"}]},
    {"id": 1, "type": "punctuation", "alternatives": [{"confidence": "0.0", "content": ","}]},
    {"id": 2, "type": "pronunciation", "start_time": "1.0", "end_time": "1.4", "speaker_label": "spk_0",
     "alternatives": [{"confidence": "0.31", "content": "there"}]},
    {"id": 3, "type": "pronunciation", "start_time": "2.0", "end_time": "2.6", "speaker_label": "spk_1",
     "alternatives": [{"confidence": "0.0", "content": "[PII]",
                       "redactions": [{"confidence": "0.9", "type": "PII", "category": "NAME"}]}]},
    {"id": 4, "type": "punctuation", "alternatives": [{"confidence": "0.0", "content": "."}]},
]


@pytest.fixture(scope="module")
def base(gateway: stack.ServerThread) -> str:
    return gateway.url


@pytest.fixture(scope="module")
def client_a(base: str) -> httpx.Client:
    return console_client(base, stack.KEY_A)


@pytest.fixture(scope="module")
def client_b(base: str) -> httpx.Client:
    return console_client(base, stack.KEY_B)


def completed_job(s3: Any, account: str, media_key: str) -> str:
    return make_completed_job(s3, account, media_key, DOC_ITEMS)


def test_static_page_and_modules_are_served_with_a_strict_policy(base: str) -> None:
    page = httpx.get(f"{base}/console/", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'src="static/js/main.js"' in page.text and "http" not in page.text.split("<body>")[0].replace(
        "http-equiv", "")  # nothing from another origin
    js = httpx.get(f"{base}/console/static/js/sigv4.js", timeout=10)
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert httpx.get(f"{base}/console", timeout=10, follow_redirects=False).status_code == 307


def test_sign_in_applies_the_api_signature_rules(base: str) -> None:
    ok = sign_in_response(base, stack.KEY_A)
    assert ok.status_code == 200 and ok.json()["AccountId"] == stack.ACCOUNT_A
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    bad = sign_in_response(base, (stack.KEY_A[0], "not-the-secret"))
    assert bad.status_code == 403 and bad.json()["__type"] == "InvalidSignatureException"
    unknown = sign_in_response(base, ("AKIDNOTCONFIGURED000", "x"))
    assert unknown.status_code == 403 and unknown.json()["__type"] == "UnrecognizedClientException"
    unsigned = httpx.post(f"{base}/console/api/session", content=b"{}", timeout=10)
    assert unsigned.json()["__type"] == "MissingAuthenticationTokenException"


def test_calls_need_a_session_and_the_console_header(base: str, client_a: httpx.Client) -> None:
    anon = call(httpx.Client(base_url=base), "ListTranscriptionJobs")
    assert anon.status_code == 403 and anon.json()["__type"] == "MissingAuthenticationTokenException"
    forged = httpx.Client(base_url=base, cookies={"harken_console": "e30.AAAA"})
    assert call(forged, "ListTranscriptionJobs").json()["__type"] == "MissingAuthenticationTokenException"
    no_csrf = call(client_a, "ListTranscriptionJobs", csrf=False)
    assert no_csrf.status_code == 403 and no_csrf.json()["__type"] == "AccessDeniedException"
    assert call(client_a, "ListTranscriptionJobs").status_code == 200
    upload = client_a.put("/console/api/uploads?name=a.wav", content=b"RIFF")
    assert upload.status_code == 403  # uploads need the header too


def test_api_errors_come_back_as_the_api_gives_them(client_a: httpx.Client, transcribe: Any) -> None:
    req = {"TranscriptionJobName": "bad name!", "Media": {"MediaFileUri": "s3://b/k.wav"}, "LanguageCode": "en-US"}
    via_console = call(client_a, "StartTranscriptionJob", req)
    with pytest.raises(transcribe.exceptions.BadRequestException) as via_api:
        transcribe.start_transcription_job(**req)
    body = via_console.json()
    assert via_console.status_code == 400 and body["__type"] == "BadRequestException"
    assert body["Message"] == via_api.value.response["Error"]["Message"]
    bogus = client_a.post("/console/api/call", json={}, headers={**CSRF, "x-amz-target": "Transcribe.Nope"})
    assert bogus.json()["__type"] == "UnknownOperationException"


def test_upload_lands_under_the_accounts_prefix(client_a: httpx.Client, s3: Any) -> None:
    data = b"RIFF" + bytes(5000)
    r = client_a.put("/console/api/uploads?name=my%20talk%20(1).wav", content=data,
                     headers={**CSRF, "content-type": "audio/wav"})
    assert r.status_code == 200, r.text
    uri = r.json()["MediaFileUri"]
    bucket, _, key = uri[len("s3://"):].partition("/")
    assert bucket == "harken-service" and key.startswith(f"console-uploads/{stack.ACCOUNT_A}/")
    assert key.endswith("/my-talk-1-.wav") or key.endswith("/my-talk-1.wav")
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == data
    empty = client_a.put("/console/api/uploads?name=x.wav", content=b"", headers=CSRF)
    assert empty.status_code == 400


def test_transcript_downloads_and_ranged_audio(client_a: httpx.Client, s3: Any) -> None:
    name = completed_job(s3, stack.ACCOUNT_A, f"console-uploads/{stack.ACCOUNT_A}/x/a.wav")
    r = client_a.get(f"/console/api/jobs/{name}/transcript")
    assert r.status_code == 200, r.text
    data = r.json()
    assert [(t["kind"], t["label"], t["items"]) for t in data["Turns"]] == [
        ("speaker", "spk_0", [0, 1, 2]), ("speaker", "spk_1", [3, 4])]
    assert data["Transcript"]["jobName"] == name and data["Versions"] == []
    txt = client_a.get(f"/console/api/jobs/{name}/download/txt")
    assert txt.status_code == 200 and "attachment" in txt.headers["content-disposition"]
    assert txt.text == "[00:00:00 - 00:00:01] spk_0\nHello, there\n\n[00:00:02 - 00:00:02] spk_1\n[PII].\n"
    srt = client_a.get(f"/console/api/jobs/{name}/download/srt").text
    vtt = client_a.get(f"/console/api/jobs/{name}/download/vtt").text
    assert srt.startswith("0\n00:00:00,500 --> ") and "Hello, there" in srt
    assert vtt.startswith("WEBVTT\n\n0\n00:00:00.500 --> ")
    assert json.loads(client_a.get(f"/console/api/jobs/{name}/download/json").text)["jobName"] == name
    assert client_a.get(f"/console/api/jobs/{name}/download/docx").status_code == 400
    whole = client_a.get(f"/console/api/jobs/{name}/audio")
    assert whole.status_code == 200 and len(whole.content) == 10240
    part = client_a.get(f"/console/api/jobs/{name}/audio", headers={"range": "bytes=100-199"})
    assert part.status_code == 206 and part.headers["content-range"] == "bytes 100-199/10240"
    assert part.content == whole.content[100:200]


def test_tenants_see_only_their_own(client_a: httpx.Client, client_b: httpx.Client, s3: Any,
                                    transcribe: Any) -> None:
    name = completed_job(s3, stack.ACCOUNT_A, f"console-uploads/{stack.ACCOUNT_A}/y/a.wav")
    listed_a = call(client_a, "ListTranscriptionJobs", {"JobNameContains": name}).json()
    listed_b = call(client_b, "ListTranscriptionJobs", {"JobNameContains": name}).json()
    assert [j["TranscriptionJobName"] for j in listed_a["TranscriptionJobSummaries"]] == [name]
    assert listed_b["TranscriptionJobSummaries"] == []
    for path in ("transcript", "download/json", "download/srt", "audio"):
        r = client_b.get(f"/console/api/jobs/{name}/{path}")
        assert r.status_code == 400 and r.json()["__type"] == "BadRequestException", (path, r.text)
        assert "couldn't be found" in r.json()["Message"] or "not found" in r.json()["Message"].lower()
    assert call(client_b, "DeleteTranscriptionJob", {"TranscriptionJobName": name}).status_code == 400
    still = transcribe.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
    assert still["TranscriptionJobName"] == name


def test_audio_is_refused_for_media_in_harkens_buckets_outside_the_accounts_uploads(
        client_b: httpx.Client, s3: Any) -> None:
    # B names A's upload (or any service-bucket object) as its media: the job may exist, but the
    # console will not stream another tenant's bytes.
    name = completed_job(s3, stack.ACCOUNT_B, f"console-uploads/{stack.ACCOUNT_A}/z/secret.wav")
    r = client_b.get(f"/console/api/jobs/{name}/audio")
    assert r.status_code == 403 and r.json()["__type"] == "AccessDeniedException"


def test_ops_glance_reads_the_gateway_metrics(client_a: httpx.Client, base: str) -> None:
    call(client_a, "ListTranscriptionJobs")
    glance = client_a.get("/console/api/ops").json()
    assert glance["cards"]["requests"] >= 1
    names = {f["name"] for f in glance["families"]}
    assert "harken_api_requests" in names
    scraped = httpx.get(f"{base}/metrics", timeout=10).text
    assert 'harken_api_requests_total{operation="ListTranscriptionJobs",status="200"}' in scraped


def test_ops_glance_can_be_limited_to_operator_accounts(client_a: httpx.Client, client_b: httpx.Client,
                                                        gateway_settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway_settings.console, "ops_accounts", [stack.ACCOUNT_A])
    assert client_a.get("/console/api/ops").status_code == 200
    denied = client_b.get("/console/api/ops")
    assert denied.status_code == 403 and denied.json()["__type"] == "AccessDeniedException"
    assert client_b.get("/console/api/session").json()["Ops"] is False


def test_sign_out_clears_the_cookie(base: str) -> None:
    client = console_client(base, stack.KEY_A)
    assert client.get("/console/api/session").status_code == 200
    client.delete("/console/api/session", headers=CSRF)
    assert client.get("/console/api/session").status_code == 403
