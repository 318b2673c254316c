"""Maps a signed request to an account: SigV4 against operator-configured keys, or dev mode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from services.core.errors import AccessDeniedException, UnrecognizedClientException
from services.core.settings import Settings
from services.protocol import sigv4
from services.shapes.generated import SIGNING_NAME


def authenticate(
    settings: Settings,
    *,
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, Sequence[str]],
    body: bytes,
) -> tuple[str, str]:
    """Return (account_id, region) for the caller or raise the AWS auth error."""
    auth = settings.auth
    if auth.allow_any_key and settings.dev_mode:
        ident = sigv4.identity_without_check(headers, settings.api.default_region)
        keyed = {c.access_key_id: c for c in auth.credentials}
        cred = keyed.get(ident.access_key_id)
        return (cred.account_id if cred else auth.dev_account_id), ident.region
    by_key = {c.access_key_id: c for c in auth.credentials}
    ident = sigv4.verify(
        method=method, path=path, query=query, headers=headers, body=body,
        lookup=lambda akid: by_key[akid].secret_access_key if akid in by_key else None,
        service=SIGNING_NAME, max_skew=timedelta(seconds=auth.max_clock_skew_seconds),
    )
    return account_for(settings, ident.access_key_id, ident.region), ident.region


def secret_for(settings: Settings, access_key_id: str) -> str | None:
    """The secret of an operator-issued key (None when unknown): what SigV4 checks sign against."""
    for cred in settings.auth.credentials:
        if cred.access_key_id == access_key_id:
            return cred.secret_access_key
    return None


def account_for(settings: Settings, access_key_id: str, region: str) -> str:
    """The account of a key whose signature was verified, enforcing the key's allowed regions."""
    cred = next((c for c in settings.auth.credentials if c.access_key_id == access_key_id), None)
    if cred is None:
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    if cred.regions and region not in cred.regions:
        raise AccessDeniedException(
            f"User: {access_key_id} is not authorized to perform transcribe actions in region {region}")
    return cred.account_id
