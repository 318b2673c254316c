"""Access-key secrets sealed at rest with an operator key.

SigV4 is an HMAC over the request keyed by the secret, so the gateway must hold the secret itself:
hashing it (as one would a password) cannot work. What can be kept out of configuration files,
Helm values, environment dumps and logs is the clear text: the operator seals each secret with a
Fernet key (AES-128-CBC + HMAC-SHA256) kept apart from the configuration, writes ``enc:<token>``
where the secret would go, and the secret is opened in memory when the settings load. Settings
fields holding secrets are ``repr=False`` so a logged settings object shows none of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.core.settings import Settings

PREFIX = "enc:"


class SealedSecretError(ValueError):
    """An ``enc:`` secret that cannot be opened (no operator key, or the wrong one)."""


def new_operator_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode("ascii")


def seal(secret: str, operator_key: str) -> str:
    from cryptography.fernet import Fernet

    return PREFIX + Fernet(operator_key.encode("ascii")).encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(value: str, operator_key: str) -> str:
    """The clear secret of an ``enc:`` value; any other value is returned as it is."""
    if not value.startswith(PREFIX):
        return value
    if not operator_key:
        raise SealedSecretError("a secret is sealed (enc:...) but no operator key is configured: set "
                                "HARKEN_AUTH__SECRETS_KEY or HARKEN_AUTH__SECRETS_KEY_FILE")
    from cryptography.fernet import Fernet, InvalidToken

    try:
        return Fernet(operator_key.encode("ascii")).decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        # the message never includes the token or the key
        raise SealedSecretError("a sealed secret could not be opened with the configured operator key") from exc


def operator_key(settings: Settings) -> str:
    auth = settings.auth
    if auth.secrets_key:
        return auth.secrets_key.strip()
    if auth.secrets_key_file:
        return Path(auth.secrets_key_file).read_text(encoding="ascii").strip()
    return ""


def open_sealed_secrets(settings: Settings) -> None:
    """Replace every ``enc:`` secret in ``settings`` by its clear text, in memory only."""
    values = [c.secret_access_key for c in settings.auth.credentials] + [settings.s3.secret_access_key]
    if not any(v.startswith(PREFIX) for v in values):
        return
    key = operator_key(settings)
    for cred in settings.auth.credentials:
        cred.secret_access_key = unseal(cred.secret_access_key, key)
    settings.s3.secret_access_key = unseal(settings.s3.secret_access_key, key)
