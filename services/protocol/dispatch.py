"""One dispatcher keyed on the operation name from ``X-Amz-Target``.

Domain packages register handlers with ``@operation("Name")``; every operation of the model that
has no handler answers with a clear ``NotImplementedException`` naming it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from services.core.errors import NotImplementedOperation, UnknownOperationException
from services.shapes.generated import OPERATIONS, TARGET_PREFIX
from services.shapes.validate import validate_request
from services.transcribe.admission import admit
from services.transcribe.context import RequestContext

Handler = Callable[[RequestContext, dict[str, Any]], dict[str, Any] | None]
HANDLERS: dict[str, Handler] = {}

#: Modules that register handlers; imported once by ``load_handlers``.
HANDLER_MODULES = (
    "services.transcribe.jobs.api",
    "services.transcribe.tags.api",
    "services.transcribe.vocabularies.api",
    "services.transcribe.vocabulary_filters.api",
    "services.transcribe.language_models.api",
    "services.transcribe.medical.api",
)


def operation(name: str) -> Callable[[Handler], Handler]:
    if name not in OPERATIONS:
        raise ValueError(f"{name} is not an operation of the Transcribe model")

    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


def load_handlers() -> None:
    for mod in HANDLER_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if not exc.name or not mod.startswith(exc.name):
                raise


def operation_from_target(target: str | None) -> str:
    if not target:
        raise UnknownOperationException("Missing X-Amz-Target header: cannot determine the operation.")
    prefix, _, op = target.partition(".")
    if prefix != TARGET_PREFIX or op not in OPERATIONS:
        raise UnknownOperationException(f"The operation '{target}' is not recognized by this service.")
    return op


def is_read_only(op: str) -> bool:
    """AWS names every operation that changes nothing Get*, List* or Describe*; the edge runs those
    without a transaction."""
    return op.startswith(("Get", "List", "Describe"))


def dispatch(op: str, ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    handler = HANDLERS.get(op)
    if handler is None:
        raise NotImplementedOperation(
            f"The operation {op} is part of the Amazon Transcribe API but is not implemented by Harken. "
            "See docs/api-coverage.md.")
    validate_request(op, params)
    admit(op, ctx, params)  # request rate and S3 locations (services/transcribe/admission.py)
    return handler(ctx, params) or {}
