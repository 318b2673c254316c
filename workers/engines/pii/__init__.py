"""PII detection for redaction: batch jobs, streaming and medical PHI share this engine."""

from workers.engines.pii.base import AWS_PII_TYPES, PiiDetector, PiiEntity, wanted_types
from workers.engines.pii.detector import get_detector

__all__ = ["AWS_PII_TYPES", "PiiDetector", "PiiEntity", "get_detector", "wanted_types"]
