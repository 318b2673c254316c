"""What a pipeline needs from a PII detector: word spans with an AWS type and a confidence.

The detector works on word tokens, not characters, because every consumer (batch transcript items,
streaming result items, medical PHI) redacts whole items and must keep their timing. A span is
``[start, end)`` over the words given; ``type`` is an AWS ``PiiEntityType`` name.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

#: The eleven types Amazon Transcribe redacts in batch and streaming jobs (``ALL`` means these).
AWS_PII_TYPES: tuple[str, ...] = (
    "BANK_ACCOUNT_NUMBER", "BANK_ROUTING", "CREDIT_DEBIT_NUMBER", "CREDIT_DEBIT_CVV",
    "CREDIT_DEBIT_EXPIRY", "PIN", "EMAIL", "ADDRESS", "NAME", "PHONE", "SSN",
)
#: Kinds of personal health information (PHI) that are not PII types: what Transcribe Medical's PHI
#: identification also labels (dates, ages, gender, record/insurance/licence numbers, facility
#: names, vehicle ids, URLs, IP addresses). Only asked for by name, never by ``ALL``, so PII
#: redaction can never report (or be overruled by) them.
PHI_ONLY_TYPES: tuple[str, ...] = (
    "DATE", "AGE", "GENDER", "ID_NUMBER", "FACILITY", "VEHICLE_ID", "URL", "IP_ADDRESS",
)


@dataclass(frozen=True, order=True)
class PiiEntity:
    #: First word of the entity (inclusive) and the word after it (exclusive).
    start: int
    end: int
    type: str
    #: How sure the detector is that the words are this PII, 0..1.
    score: float


@runtime_checkable
class PiiDetector(Protocol):
    def detect(self, words: Sequence[str], entity_types: Collection[str] | None = None) -> list[PiiEntity]:
        """Entities among ``words`` (None or ``{"ALL"}`` = every type), sorted, never overlapping."""
        ...


def wanted_types(entity_types: Collection[str] | None) -> frozenset[str]:
    """A request's ``PiiEntityTypes`` as the set of types to report (absent, empty or ALL = all PII).

    PHI-only types count only when named (medical PHI identification names them)."""
    if not entity_types or "ALL" in entity_types:
        return frozenset(AWS_PII_TYPES)
    return frozenset(t for t in entity_types if t in AWS_PII_TYPES or t in PHI_ONLY_TYPES)
