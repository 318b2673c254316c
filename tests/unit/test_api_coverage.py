"""docs/api-coverage.md is generated from the model and the registered handlers."""

from __future__ import annotations

from services.protocol import coverage
from services.protocol.dispatch import HANDLERS, load_handlers
from services.shapes.generated import OPERATIONS


def test_coverage_page_is_current() -> None:
    assert coverage.main(["--check"]) == 0


def test_core_operations_are_implemented() -> None:
    load_handlers()
    for op in ("StartTranscriptionJob", "GetTranscriptionJob", "ListTranscriptionJobs", "DeleteTranscriptionJob",
               "TagResource", "UntagResource", "ListTagsForResource"):
        assert op in HANDLERS
    assert set(HANDLERS) <= set(OPERATIONS)
