"""ARNs for taggable resources: ``arn:aws:transcribe:<region>:<account>:<type>/<name>``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ResourceType(StrEnum):
    TRANSCRIPTION_JOB = "transcription-job"
    MEDICAL_TRANSCRIPTION_JOB = "medical-transcription-job"
    VOCABULARY = "vocabulary"
    MEDICAL_VOCABULARY = "medical-vocabulary"
    VOCABULARY_FILTER = "vocabulary-filter"
    LANGUAGE_MODEL = "language-model"
    CALL_ANALYTICS_JOB = "analytics"
    CALL_ANALYTICS_CATEGORY = "analytics-category"
    MEDICAL_SCRIBE_JOB = "medical-scribe-job"


_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov|aws-iso-?[a-z]?):transcribe:(?P<region>[a-z0-9-]+):"
    r"(?P<account>[0-9]{12}):(?P<type>[a-z-]+)/(?P<name>.+)$"
)


@dataclass(frozen=True)
class Arn:
    region: str
    account_id: str
    resource_type: ResourceType
    name: str
    partition: str = "aws"

    def __str__(self) -> str:
        return (f"arn:{self.partition}:transcribe:{self.region}:{self.account_id}:"
                f"{self.resource_type.value}/{self.name}")


def parse_arn(text: str) -> Arn | None:
    m = _ARN.match(text)
    if not m:
        return None
    try:
        rtype = ResourceType(m["type"])
    except ValueError:
        return None
    return Arn(m["region"], m["account"], rtype, m["name"], m["partition"])
