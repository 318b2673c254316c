"""One authenticated API call, whoever authenticated it (a SigV4 request or a console session).

Both edges run the operation through here so that validation, transaction handling and anything
added to the call path later (quotas, throttling) apply to both alike.
"""

from __future__ import annotations

from services.core.settings import Settings
from services.db.session import lazy_unit_of_work
from services.protocol import json11
from services.protocol.dispatch import dispatch, is_read_only
from services.transcribe.context import RequestContext


def execute(settings: Settings, op: str, *, account_id: str, region: str, request_id: str, body: bytes) -> bytes:
    """The JSON 1.1 response body of ``op``; AWS errors propagate as ``AwsError``. The transaction
    is this call's (autocommit for Get/List/Describe), opened when the operation first uses it, and
    commits before the body is returned."""
    params = json11.parse_body(body)
    with lazy_unit_of_work(read_only=is_read_only(op)) as open_session:
        ctx = RequestContext(account_id=account_id, region=region, request_id=request_id,
                             open_session=open_session, settings=settings)
        result = dispatch(op, ctx, params)
    return json11.encode(result)
