"""SigV4 verification against signatures made by botocore itself."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from services.core.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)
from services.protocol import sigv4

KEY, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def _signed(body: bytes = b'{"a":1}', host: str = "localhost:8443", path: str = "/") -> AWSRequest:
    req = AWSRequest(method="POST", url=f"http://{host}{path}", data=body, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Transcribe.ListVocabularies"})
    SigV4Auth(Credentials(KEY, SECRET), "transcribe", "eu-west-1").add_auth(req)
    return req


def _verify(req: AWSRequest, body: bytes | None = None, lookup=lambda k: SECRET if k == KEY else None,  # type: ignore[no-untyped-def]
            now: dt.datetime | None = None, path: str = "/") -> sigv4.SignedIdentity:
    headers = {k.lower(): [v] for k, v in req.headers.items()}
    headers["host"] = [req.url.split("/")[2]]
    return sigv4.verify(method="POST", path=path, query=[], headers=headers,
                        body=req.body if body is None else body, lookup=lookup, service="transcribe", now=now)


def test_botocore_signature_verifies_and_yields_region() -> None:
    ident = _verify(_signed())
    assert (ident.access_key_id, ident.region, ident.service) == (KEY, "eu-west-1", "transcribe")


def test_path_prefix_from_endpoint_url_is_canonicalised() -> None:
    assert _verify(_signed(path="/prefix/x"), path="/prefix/x").region == "eu-west-1"


def test_changed_body_fails() -> None:
    with pytest.raises(InvalidSignatureException, match="does not match"):
        _verify(_signed(), body=b'{"a":2}')


def test_signed_payload_hash_header_cannot_vouch_for_another_body() -> None:
    """A captured request whose x-amz-content-sha256 is signed must not carry a different body."""
    body = b'{"a":1}'
    req = AWSRequest(method="POST", url="http://localhost:8443/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Transcribe.ListVocabularies",
        "X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()})
    SigV4Auth(Credentials(KEY, SECRET), "transcribe", "eu-west-1").add_auth(req)
    assert _verify(req).region == "eu-west-1"
    with pytest.raises(InvalidSignatureException, match="x-amz-content-sha256"):
        _verify(req, body=b'{"a":2}')


def test_malformed_amz_date_is_refused() -> None:
    req = _signed()
    req.headers.replace_header("X-Amz-Date", "20261321T000000Z")
    with pytest.raises(IncompleteSignatureException, match="Invalid X-Amz-Date"):
        _verify(req)


def test_unknown_key() -> None:
    with pytest.raises(UnrecognizedClientException, match="security token included in the request is invalid"):
        _verify(_signed(), lookup=lambda k: None)


def test_wrong_secret() -> None:
    with pytest.raises(InvalidSignatureException):
        _verify(_signed(), lookup=lambda k: "other")


def test_clock_skew_both_directions() -> None:
    req = _signed()
    with pytest.raises(InvalidSignatureException, match="Signature expired"):
        _verify(req, now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=6))
    with pytest.raises(InvalidSignatureException, match="not yet current"):
        _verify(req, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=6))


def test_missing_and_malformed_authorization() -> None:
    with pytest.raises(MissingAuthenticationTokenException):
        sigv4.verify(method="POST", path="/", query=[], headers={}, body=b"", lookup=lambda k: None,
                     service="transcribe")
    with pytest.raises(IncompleteSignatureException):
        sigv4.verify(method="POST", path="/", query=[], headers={"authorization": ["AWS4-HMAC-SHA256 junk"]},
                     body=b"", lookup=lambda k: None, service="transcribe")


def test_wrong_service_scope() -> None:
    req = AWSRequest(method="POST", url="http://h/", data=b"{}", headers={"X-Amz-Target": "x"})
    SigV4Auth(Credentials(KEY, SECRET), "s3", "us-east-1").add_auth(req)
    with pytest.raises(InvalidSignatureException, match="correct service"):
        _verify(req)


def test_signing_key_matches_aws_documented_example() -> None:
    # AWS SigV4 documentation example (iam, us-east-1, 20150830).
    key = sigv4.signing_key(SECRET, "20150830", "us-east-1", "iam")
    assert key.hex() == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
