"""AWS Signature Version 4 verification, as the server sees a boto3/CLI request.

The canonical request is rebuilt from what was received (host exactly as sent, the raw body
hashed here since boto3 sends no X-Amz-Content-SHA256) and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import quote, unquote

from services.core.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

ALGORITHM = "AWS4-HMAC-SHA256"
_AUTH = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<cred>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),"
    r"\s*Signature=(?P<sig>[0-9a-f]{64})\s*$"
)


def _header_value(value: str) -> str:
    """Trimmed, inner runs of whitespace collapsed to one space (botocore's own rule; str.split
    and the regex \\s agree on what whitespace is, and this costs a tenth of ``re.sub``)."""
    return " ".join(value.split())


@dataclass(frozen=True)
class SignedIdentity:
    access_key_id: str
    region: str
    service: str


#: Looks up the secret for an access key id, or None when the key is unknown.
SecretLookup = Callable[[str], str | None]


def _canonical_uri(path: str) -> str:
    if path == "/":  # what every SDK call of a JSON protocol signs
        return path
    path = unquote(path) or "/"
    normalized = posixpath.normpath(path)
    if path.endswith("/") and normalized != "/":
        normalized += "/"
    if normalized.startswith("//"):
        normalized = "/" + normalized.lstrip("/")
    return quote(normalized, safe="/~")


def _canonical_query(pairs: Sequence[tuple[str, str]]) -> str:
    if not pairs:
        return ""
    enc = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in enc)


_AMZ_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z")


def _parse_amz_date(value: str) -> datetime | None:
    """ISO 8601 basic format (20261121T221500Z); strptime costs ten times more on every request."""
    m = _AMZ_DATE.fullmatch(value)
    if not m:
        return None
    try:
        y, mo, d, h, mi, sec = (int(g) for g in m.groups())
        return datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    """Derived once per key, day, region and service (four HMACs saved on every request)."""
    k = hmac.new(("AWS4" + secret).encode(), date.encode(), hashlib.sha256).digest()
    for part in (region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def verify(
    *,
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, Sequence[str]],
    body: bytes,
    lookup: SecretLookup,
    service: str,
    now: datetime | None = None,
    max_skew: timedelta = timedelta(minutes=5),
) -> SignedIdentity:
    """Verify a header-signed request; ``headers`` maps lowercase names to all received values."""
    auth = (headers.get("authorization") or [""])[0]
    if not auth:
        raise MissingAuthenticationTokenException("Missing Authentication Token")
    m = _AUTH.match(auth.strip())
    if not m:
        if not auth.startswith(ALGORITHM):
            raise IncompleteSignatureException(
                f"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                f"Unsupported authorization scheme: {auth.split(' ', 1)[0]}")
        raise IncompleteSignatureException(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. "
            f"Authorization={auth}")
    cred_parts = m["cred"].split("/")
    if len(cred_parts) != 5 or cred_parts[4] != "aws4_request":
        raise IncompleteSignatureException(
            f"Credential should be scoped to a valid region, not '{m['cred']}'. ")
    akid, date, region, cred_service, _ = cred_parts
    if cred_service != service:
        raise InvalidSignatureException(
            f"Credential should be scoped to correct service: '{service}'. ")
    amz_date = (headers.get("x-amz-date") or [""])[0]
    if not amz_date:
        raise IncompleteSignatureException(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    when = _parse_amz_date(amz_date)
    if when is None:
        raise IncompleteSignatureException(f"Invalid X-Amz-Date: {amz_date}")
    if date != amz_date[:8]:
        raise InvalidSignatureException(
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{date}' != '{amz_date[:8]}', from '{amz_date}'.")
    signed = m["signed"].split(";")
    if "host" not in signed:
        raise InvalidSignatureException("'Host' must be a 'SignedHeader' in the AWS Authorization.")
    secret = lookup(akid)
    if secret is None:
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    now = now or datetime.now(UTC)
    if abs(now - when) > max_skew:
        fmt = "%Y%m%dT%H%M%SZ"
        raise InvalidSignatureException(
            f"Signature expired: {amz_date} is now earlier than {(now - max_skew).strftime(fmt)} "
            f"({now.strftime(fmt)} - {int(max_skew.total_seconds() // 60)} min.)"
            if when < now else
            f"Signature not yet current: {amz_date} is still later than {(now + max_skew).strftime(fmt)} "
            f"({now.strftime(fmt)} + {int(max_skew.total_seconds() // 60)} min.)")
    canonical_headers = ""
    for name in signed:
        values = headers.get(name)
        if values is None:
            raise InvalidSignatureException(
                f"The request signature we calculated does not match the signature you provided. "
                f"Signed header '{name}' is missing from the request.")
        canonical_headers += name + ":" + (
            _header_value(values[0]) if len(values) == 1 else ",".join(_header_value(v) for v in values)) + "\n"
    # The body the server received is what is signed: a client's own x-amz-content-sha256 is
    # checked, never trusted, or a captured request could be replayed with another body.
    payload_hash = hashlib.sha256(body).hexdigest()
    claimed = (headers.get("x-amz-content-sha256") or [""])[0]
    if claimed and claimed != payload_hash:
        raise InvalidSignatureException(
            "The provided 'x-amz-content-sha256' header does not match what was computed.")
    canonical = "\n".join([
        method.upper(), _canonical_uri(path), _canonical_query(query), canonical_headers,
        ";".join(signed), payload_hash,
    ])
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    expected = hmac.digest(signing_key(secret, date, region, service), to_sign.encode(), "sha256").hex()
    if not hmac.compare_digest(expected, m["sig"]):
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. Check your "
            "AWS Secret Access Key and signing method. Consult the service documentation for details.")
    return SignedIdentity(akid, region, service)


def identity_without_check(headers: Mapping[str, Sequence[str]], default_region: str) -> SignedIdentity:
    """Dev mode: read key and region from the Authorization header without verifying it."""
    auth = (headers.get("authorization") or [""])[0]
    m = _AUTH.match(auth.strip())
    if m:
        parts = m["cred"].split("/")
        if len(parts) == 5:
            return SignedIdentity(parts[0], parts[2], parts[3])
    return SignedIdentity("anonymous", default_region, "transcribe")


# --------------------------------------------------------------------------- presigned URLs and events

#: Payload hashes a presigned GET may have been signed with: SHA-256 of the empty body (AWS's
#: WebSocket recipe) or the literal botocore writes when it does not hash the payload.
_PRESIGN_PAYLOAD_HASHES = (hashlib.sha256(b"").hexdigest(), "UNSIGNED-PAYLOAD")
EVENT_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD"


@dataclass(frozen=True)
class PresignedIdentity(SignedIdentity):
    #: The request's signature: seeds the event-signature chain of a WebSocket stream.
    signature: str = ""
    date: str = ""


def verify_presigned(
    *,
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, Sequence[str]],
    lookup: SecretLookup,
    service: str,
    now: datetime | None = None,
    max_expires: int = 300,
    max_skew: timedelta = timedelta(minutes=5),
) -> PresignedIdentity:
    """Verify a query-string (presigned) SigV4 request, as browsers open the streaming WebSocket."""
    params: dict[str, str] = {}
    for k, v in query:
        params.setdefault(k, v)
    if "X-Amz-Signature" not in params and "X-Amz-Credential" not in params:
        raise MissingAuthenticationTokenException("Missing Authentication Token")
    for required in ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders",
                     "X-Amz-Signature"):
        if not params.get(required):
            raise IncompleteSignatureException(
                f"AWS query-string parameters must include '{required}'. Re-examine the query-string "
                "parameters.")
    if params["X-Amz-Algorithm"] != ALGORITHM:
        raise IncompleteSignatureException(
            f"X-Amz-Algorithm only supports '{ALGORITHM}'")
    cred_parts = params["X-Amz-Credential"].split("/")
    if len(cred_parts) != 5 or cred_parts[4] != "aws4_request":
        raise IncompleteSignatureException(
            f"Credential should be scoped to a valid region, not '{params['X-Amz-Credential']}'. ")
    akid, date, region, cred_service, _ = cred_parts
    if cred_service != service:
        raise InvalidSignatureException(f"Credential should be scoped to correct service: '{service}'. ")
    amz_date = params["X-Amz-Date"]
    try:
        when = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise IncompleteSignatureException(f"Invalid X-Amz-Date: {amz_date}") from exc
    if date != amz_date[:8]:
        raise InvalidSignatureException(
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{date}' != '{amz_date[:8]}', from '{amz_date}'.")
    try:
        expires = int(params.get("X-Amz-Expires", str(max_expires)))
    except ValueError as exc:
        raise IncompleteSignatureException("X-Amz-Expires should be a number") from exc
    if not 0 < expires <= max_expires:
        raise InvalidSignatureException(
            f"X-Amz-Expires must be less than a week (in seconds) that is 604800; for streaming at most "
            f"{max_expires}")
    secret = lookup(akid)
    if secret is None:
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    now = now or datetime.now(UTC)
    if when - now > max_skew:
        raise InvalidSignatureException("Signature not yet current: " + amz_date)
    if now > when + timedelta(seconds=expires):
        raise InvalidSignatureException(
            f"Signature expired: {amz_date} is now earlier than "
            f"{(now - timedelta(seconds=expires)).strftime('%Y%m%dT%H%M%SZ')}")
    signed = params["X-Amz-SignedHeaders"].split(";")
    if "host" not in signed:
        raise InvalidSignatureException("'Host' must be a 'SignedHeader' in the AWS Authorization.")
    canonical_headers = ""
    for name in signed:
        values = headers.get(name)
        if values is None:
            raise InvalidSignatureException(
                f"The request signature we calculated does not match the signature you provided. "
                f"Signed header '{name}' is missing from the request.")
        canonical_headers += name + ":" + (
            _header_value(values[0]) if len(values) == 1 else ",".join(_header_value(v) for v in values)) + "\n"
    unsigned_query = [(k, v) for k, v in query if k != "X-Amz-Signature"]
    scope = f"{date}/{region}/{service}/aws4_request"
    key = signing_key(secret, date, region, service)
    for payload_hash in _PRESIGN_PAYLOAD_HASHES:
        canonical = "\n".join([method.upper(), _canonical_uri(path), _canonical_query(unsigned_query),
                               canonical_headers, ";".join(signed), payload_hash])
        to_sign = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, params["X-Amz-Signature"]):
            return PresignedIdentity(akid, region, service, params["X-Amz-Signature"], date)
    raise InvalidSignatureException(
        "The request signature we calculated does not match the signature you provided. Check your "
        "AWS Secret Access Key and signing method. Consult the service documentation for details.")


def event_signature(secret: str, region: str, service: str, previous_signature: str, date_header: bytes,
                    event_time: datetime, payload: bytes) -> bytes:
    """The ``:chunk-signature`` of one event-stream envelope, chained from the previous signature.

    ``date_header`` is the encoded ``:date`` header exactly as received; the key and scope use the
    event's own date (a stream may cross midnight), as the SDKs' event signers do.
    """
    stamp = event_time.strftime("%Y%m%dT%H%M%SZ")
    scope = f"{stamp[:8]}/{region}/{service}/aws4_request"
    to_sign = "\n".join([
        EVENT_ALGORITHM, stamp, scope, previous_signature,
        hashlib.sha256(date_header).hexdigest(), hashlib.sha256(payload).hexdigest(),
    ])
    return hmac.new(signing_key(secret, stamp[:8], region, service), to_sign.encode(),
                    hashlib.sha256).digest()


def parse_authorization(header: str) -> tuple[str, str, str, str] | None:
    """(access key id, date, region, signature) from an Authorization header, if well formed."""
    m = _AUTH.match(header.strip())
    if not m:
        return None
    parts = m["cred"].split("/")
    if len(parts) != 5:
        return None
    return parts[0], parts[1], parts[2], m["sig"]
