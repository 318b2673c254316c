"""Console session cookies: signed, expiring, and revoked with the key they were issued for."""

from __future__ import annotations

from services.console.session import issue, verify
from services.core.settings import Settings

A = {"access_key_id": "AKIDA", "secret_access_key": "secret-a", "account_id": "111122223333"}


def settings(*creds: dict[str, object], **extra: object) -> Settings:
    return Settings(dev_mode=False, auth={"credentials": list(creds)}, api={"token_secret": "t"}, **extra)


def test_round_trip_and_expiry() -> None:
    s = settings(A)
    token, who = issue(s, "111122223333", "AKIDA", "eu-west-1", now=1000)
    assert who.expires == 1000 + s.console.session_seconds
    got = verify(s, token, now=1001)
    assert got == who and got.region == "eu-west-1"
    assert verify(s, token, now=who.expires) is None


def test_forged_or_damaged_tokens_are_refused() -> None:
    s = settings(A)
    token, _ = issue(s, "111122223333", "AKIDA", "us-east-1", now=1000)
    body, mac = token.split(".")
    other_body, _ = issue(s, "444455556666", "AKIDA", "us-east-1", now=1000)[0].split(".")
    for bad in (None, "", "x", f"{other_body}.{mac}", f"{body}.{mac[:-2]}AA", f"{body}.{mac}.x", token + "x"):
        assert verify(s, bad, now=1001) is None, bad
    other_secret = Settings(dev_mode=False, auth={"credentials": [A]}, api={"token_secret": "other"})
    assert verify(other_secret, token, now=1001) is None


def test_removing_rotating_or_moving_the_key_ends_its_sessions() -> None:
    token, _ = issue(settings(A), "111122223333", "AKIDA", "us-east-1", now=1000)
    assert verify(settings(), token, now=1001) is None
    assert verify(settings({**A, "secret_access_key": "rotated"}), token, now=1001) is None
    assert verify(settings({**A, "account_id": "444455556666"}), token, now=1001) is None
    assert verify(settings({**A, "regions": ["eu-west-1"]}), token, now=1001) is None
    assert verify(settings({**A, "regions": ["us-east-1"]}), token, now=1001) is not None


def test_dev_mode_any_key_sessions_hold_without_a_configured_key() -> None:
    s = Settings(dev_mode=True, auth={"allow_any_key": True})
    token, _ = issue(s, s.auth.dev_account_id, "ANYKEY", "us-east-1", now=1000)
    assert verify(s, token, now=1001) is not None


def test_dev_mode_sign_in_without_a_signature_gets_a_session() -> None:
    """harken up's dev mode accepts any key for the API; the console follows the same rule."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from services.console.app import console_router

    s = Settings(dev_mode=True, auth={"allow_any_key": True})
    app = FastAPI()
    app.include_router(console_router(s))
    client = TestClient(app)
    r = client.post("/console/api/session", content=b"{}")
    assert r.status_code == 200 and r.json()["AccountId"] == s.auth.dev_account_id
    assert r.json()["AccessKeyId"] == "anonymous"
    assert client.get("/console/api/session").json()["AccountId"] == s.auth.dev_account_id
