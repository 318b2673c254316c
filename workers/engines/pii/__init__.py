"""PII detection for redaction: batch jobs, streaming and medical PHI share this engine.

Importing this package is cheap: presidio and spaCy (and the torch that presidio's NLP layer pulls
in when it is installed) cost seconds and hundreds of MB per process, so they load on the first
``get_detector()`` — only in processes that actually redact — not when a worker imports the
pipeline.
"""

from workers.engines.pii.base import AWS_PII_TYPES, PHI_ONLY_TYPES, PiiDetector, PiiEntity, wanted_types


def get_detector() -> PiiDetector:
    """The process-wide detector, loaded on first use."""
    from workers.engines.pii.detector import get_detector as load

    return load()


__all__ = ["AWS_PII_TYPES", "PHI_ONLY_TYPES", "PiiDetector", "PiiEntity", "get_detector", "wanted_types"]
