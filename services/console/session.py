"""Console sessions: issued after a SigV4-signed sign-in, carried in an HttpOnly cookie.

The browser signs one request with the access key pair (the same ``authenticate`` the API uses, so
the same accounts, region limits and clock-skew rule apply) and then forgets the secret. The cookie
is stateless: an HMAC over (account, key id, region, expiry, secret fingerprint) under a key derived
from ``api.token_secret``. Every use re-checks that the key is still configured for that account
with the same secret, so removing or rotating a key ends its console sessions at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from services.core.settings import Settings

COOKIE = "harken_console"
#: Header every state-changing console request carries. A cross-site form cannot set it, and a
#: cross-site fetch that sets it needs a CORS preflight the gateway never grants (with the
#: SameSite=Strict cookie this closes CSRF).
CSRF_HEADER = "x-harken-console"


@dataclass(frozen=True)
class ConsoleSession:
    account_id: str
    access_key_id: str
    region: str
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac_key(settings: Settings) -> bytes:
    return hmac.new(settings.api.token_secret.encode(), b"harken-console-session", hashlib.sha256).digest()


def _fingerprint(settings: Settings, access_key_id: str) -> str:
    """Binds a session to the key's current secret (empty for dev-mode keys that are not configured)."""
    for cred in settings.auth.credentials:
        if cred.access_key_id == access_key_id:
            return hashlib.sha256(b"console:" + cred.secret_access_key.encode()).hexdigest()[:32]
    return ""


def issue(settings: Settings, account_id: str, access_key_id: str, region: str,
          now: float | None = None) -> tuple[str, ConsoleSession]:
    expires = int((now if now is not None else time.time()) + settings.console.session_seconds)
    payload = {"a": account_id, "k": access_key_id, "r": region, "e": expires,
               "f": _fingerprint(settings, access_key_id)}
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    mac = _b64(hmac.new(_mac_key(settings), body.encode(), hashlib.sha256).digest())
    return f"{body}.{mac}", ConsoleSession(account_id, access_key_id, region, expires)


def _still_valid_key(settings: Settings, session: ConsoleSession, fingerprint: str) -> bool:
    if settings.auth.allow_any_key and settings.dev_mode:
        return True
    for cred in settings.auth.credentials:
        if cred.access_key_id == session.access_key_id:
            return (cred.account_id == session.account_id
                    and hmac.compare_digest(fingerprint, _fingerprint(settings, session.access_key_id))
                    and (not cred.regions or session.region in cred.regions))
    return False


def verify(settings: Settings, token: str | None, now: float | None = None) -> ConsoleSession | None:
    """The session a cookie carries, or None when it is missing, forged, expired or revoked."""
    if not token or token.count(".") != 1:
        return None
    body, mac = token.split(".")
    expected = _b64(hmac.new(_mac_key(settings), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, mac):
        return None
    try:
        payload = json.loads(_unb64(body))
        session = ConsoleSession(str(payload["a"]), str(payload["k"]), str(payload["r"]), int(payload["e"]))
        fingerprint = str(payload["f"])
    except (ValueError, KeyError, TypeError):
        return None
    if session.expires <= (now if now is not None else time.time()):
        return None
    return session if _still_valid_key(settings, session, fingerprint) else None
