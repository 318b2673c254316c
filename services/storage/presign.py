"""Lean SigV4 query-string presigning of S3 GET URLs (TranscriptFileUri, SubtitleFileUris).

Why: a GetTranscriptionJob of a completed job returns one to four presigned URLs, and botocore's
``generate_presigned_url`` costs ≈ 0.3 ms of CPU each (request model, event hooks, endpoint rules)
— more than the gateway's whole remaining CPU budget per Get. Here one URL costs one HMAC and one
SHA-256 over a short canonical request (≈ 10-20 µs).

What is ours and what is botocore's, decided deliberately:

* **Addressing comes from botocore, once per bucket and process.** Which host and path a bucket's
  objects live at (path-style or virtual-hosted, ``auto``, AWS's default endpoints, buckets whose
  names are not DNS-safe, IP endpoints, the region the scope names) follows botocore's endpoint
  rules, which we do not re-implement. We presign a probe key with botocore once, take the
  URL's scheme, host and path prefix and the credential scope from it, and then **recompute the
  probe's signature ourselves** at the probe's own X-Amz-Date. Only if that matches byte for
  byte does the bucket use the lean path; otherwise (a custom S3 configuration, extra signed
  headers or query parameters, a credential we cannot see) every URL for that bucket keeps
  coming from botocore, and a warning says so once.
* **Per URL, everything is ours:** the key's URI encoding (UTF-8, percent-encoded except
  unreserved characters, ``/`` kept: botocore's ``{Key+}`` rule), the canonical request of a GET
  with ``X-Amz-SignedHeaders=host`` and ``UNSIGNED-PAYLOAD``, the query in botocore's order
  (Algorithm, Credential, Date, then SignedHeaders and Expires in whichever order botocore's
  signer writes them, [Security-Token], Signature), and the
  signing key, derived once per (secret, date, region).

``tests/unit/test_presign.py`` compares the URLs byte for byte with botocore's at frozen times
over many keys and settings; ``tests/integration/test_presign_s3.py`` downloads through them from
a real SeaweedFS.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, urlsplit

log = logging.getLogger(__name__)

ALGORITHM = "AWS4-HMAC-SHA256"
_PROBE_KEY = "harken-presign-probe"
#: The query botocore writes: its CRT signer (used when ``awscrt`` is installed, as here) puts
#: SignedHeaders before Expires, its Python signer after; the token, when any, comes last.
_HEAD = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date")
_ORDERS: dict[tuple[str, ...], bool] = {(*_HEAD, "X-Amz-SignedHeaders", "X-Amz-Expires"): False,
                                        (*_HEAD, "X-Amz-Expires", "X-Amz-SignedHeaders"): True}


def _quote(value: str) -> str:
    """AWS's query-value encoding (botocore's ``percent_encode``: unreserved characters kept)."""
    return quote(value, safe="-_.~")


class _Layout(NamedTuple):
    """Where one bucket's objects are and how their URLs are scoped (from the botocore probe)."""

    base: str  #: "scheme://netloc" exactly as botocore writes it
    prefix: str  #: path before the key, e.g. "/bucket/" (path-style) or "/" (virtual-hosted)
    host: str  #: canonical host header (lowercase, default port dropped)
    access_key: str
    region: str
    service: str
    token: str | None
    expires_first: bool  #: botocore's Python signer's query order (else its CRT signer's)


class LeanPresigner:
    """Presigns GET URLs for one botocore S3 client's endpoint and credentials.

    ``secret_key`` must be the client's secret (botocore does not expose it publicly); a wrong one
    simply fails the probe check, and botocore keeps presigning.
    """

    def __init__(self, client: Any, secret_key: str) -> None:
        self._client = client
        self._secret = secret_key
        self._layouts: dict[str, _Layout | None] = {}
        self._keys: dict[tuple[str, str, str], bytes] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ public
    def presign_get(self, bucket: str, key: str, expires: int, now: float | None = None) -> str:
        """The presigned GET URL of ``bucket/key`` valid ``expires`` seconds from ``now`` (epoch
        seconds; the current time when omitted)."""
        layout = self._layouts.get(bucket) if bucket in self._layouts else self._probe(bucket)
        if layout is None:
            return self._botocore(bucket, key, expires)
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
        return self._sign(layout, layout.prefix + quote(key, safe="/~"), amz_date, expires)

    def uses_lean(self, bucket: str) -> bool:
        """Whether ``bucket``'s URLs are presigned here (False: botocore fallback)."""
        return (self._layouts.get(bucket) if bucket in self._layouts else self._probe(bucket)) is not None

    # ------------------------------------------------------------------ signing
    def _signing_key(self, date: str, region: str, service: str) -> bytes:
        ck = (date, region, service)
        k = self._keys.get(ck)
        if k is None:
            k = hmac.digest(("AWS4" + self._secret).encode(), date.encode(), "sha256")
            for part in (region, service, "aws4_request"):
                k = hmac.digest(k, part.encode(), "sha256")
            if len(self._keys) > 16:  # a new day or region: the old keys are dead weight
                self._keys.clear()
            self._keys[ck] = k
        return k

    def _sign(self, lay: _Layout, path: str, amz_date: str, expires: int) -> str:
        date = amz_date[:8]
        scope = f"{date}/{lay.region}/{lay.service}/aws4_request"
        head = (f"X-Amz-Algorithm={ALGORITHM}&X-Amz-Credential={_quote(lay.access_key)}%2F"
                f"{_quote(scope)}&X-Amz-Date={amz_date}")
        tok = "" if lay.token is None else f"&X-Amz-Security-Token={_quote(lay.token)}"
        # The URL keeps botocore's order (its CRT signer and its Python one differ); the canonical
        # query is sorted by name.
        if lay.expires_first:
            query = f"{head}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host{tok}"
        else:
            query = f"{head}&X-Amz-SignedHeaders=host&X-Amz-Expires={expires}{tok}"
        canonical_query = f"{head}&X-Amz-Expires={expires}{tok}&X-Amz-SignedHeaders=host"
        canonical = f"GET\n{path}\n{canonical_query}\nhost:{lay.host}\n\nhost\nUNSIGNED-PAYLOAD"
        to_sign = (f"{ALGORITHM}\n{amz_date}\n{scope}\n"
                   + hashlib.sha256(canonical.encode()).hexdigest())
        sig = hmac.new(self._signing_key(date, lay.region, lay.service), to_sign.encode(),
                       hashlib.sha256).hexdigest()
        return f"{lay.base}{path}?{query}&X-Amz-Signature={sig}"

    # ------------------------------------------------------------------ the probe
    def _botocore(self, bucket: str, key: str, expires: int) -> str:
        return str(self._client.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires))

    def _probe(self, bucket: str) -> _Layout | None:
        with self._lock:
            if bucket in self._layouts:
                return self._layouts[bucket]
            layout = None
            try:
                layout = self._learn(bucket)
            except Exception:
                log.warning("lean presigning unavailable for bucket %s; botocore presigns its URLs",
                            bucket, exc_info=True)
            if len(self._layouts) > 256:
                self._layouts.clear()
            self._layouts[bucket] = layout
            return layout

    def _learn(self, bucket: str) -> _Layout | None:
        url = self._botocore(bucket, _PROBE_KEY, 900)
        parts = urlsplit(url)
        params = parse_qsl(parts.query, keep_blank_values=True)
        names = tuple(n for n, _ in params)
        q = dict(params)
        tail = ("X-Amz-Security-Token", "X-Amz-Signature") if "X-Amz-Security-Token" in q else ("X-Amz-Signature",)
        why = ""
        if names[-len(tail):] != tail or names[:-len(tail)] not in _ORDERS:
            why = f"query parameters {names}"
        elif q["X-Amz-SignedHeaders"] != "host" or q["X-Amz-Algorithm"] != ALGORITHM:
            why = f"signed headers {q['X-Amz-SignedHeaders']!r}"
        elif not parts.path.endswith("/" + _PROBE_KEY) or parts.fragment:
            why = f"path {parts.path!r}"
        if why:
            log.warning("bucket %s: botocore's presigned URL has %s; botocore presigns its URLs",
                        bucket, why)
            return None
        access_key, _date, region, service, _ = q["X-Amz-Credential"].rsplit("/", 4)
        host = parts.hostname or ""
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        if parts.port is not None and parts.port != {"http": 80, "https": 443}.get(parts.scheme):
            host = f"{host}:{parts.port}"
        layout = _Layout(base=f"{parts.scheme}://{parts.netloc}",
                         prefix=parts.path[: -len(_PROBE_KEY)], host=host, access_key=access_key,
                         region=region, service=service, token=q.get("X-Amz-Security-Token"),
                         expires_first=_ORDERS[names[:-len(tail)]])
        mine = self._sign(layout, parts.path, q["X-Amz-Date"], int(q["X-Amz-Expires"]))
        if mine != url:
            log.warning("bucket %s: lean presigned URL differs from botocore's; botocore presigns "
                        "its URLs", bucket)
            return None
        return layout
