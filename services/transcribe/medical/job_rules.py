"""Rules of StartMedicalTranscriptionJob that the model states in prose, plus what Harken refuses.

Pure functions over the validated request (lengths, patterns and enums are already checked), so
each rule is unit-tested without a database. The general job rules are reused where AWS states the
same rule for both (speaker labels vs channels, Max* needing Show*, output key form).
"""

from __future__ import annotations

from typing import Any

from services.core.errors import BadRequestException
from services.transcribe.jobs import rules as job_rules

MEDICAL_LANGUAGE = "en-US"
SPECIALTY = "PRIMARYCARE"

#: Settings members whose pipeline stage is not in this build yet. They are refused, never
#: silently ignored; each leaves this set when its stage lands in the general pipeline.
PENDING_SETTINGS = {
    "ShowSpeakerLabels": "speaker partitioning (ShowSpeakerLabels)",
    "ChannelIdentification": "channel identification (ChannelIdentification)",
    "ShowAlternatives": "alternative transcriptions (ShowAlternatives)",
}
#: ContentIdentificationType PHI needs the PII/PHI detection engine (workers/engines/pii).
PHI_AVAILABLE = False


def _bad(message: str) -> BadRequestException:
    return BadRequestException(message)


def check_language(req: dict[str, Any]) -> None:
    code = req["LanguageCode"]
    if code != MEDICAL_LANGUAGE:
        raise _bad(f"The language code {code} isn't supported for medical transcription jobs. Amazon "
                   f"Transcribe Medical supports only {MEDICAL_LANGUAGE}.")
    if req["Specialty"] != SPECIALTY:  # the model's enum has one value today; keep the rule explicit
        raise _bad(f"The specialty {req['Specialty']} isn't supported for batch medical transcription. "
                   f"Use {SPECIALTY}.")


def check_media(req: dict[str, Any]) -> None:
    media = req.get("Media") or {}
    if media.get("RedactedMediaFileUri"):
        raise _bad("RedactedMediaFileUri is an output of Call Analytics jobs and can't be set in "
                   "StartMedicalTranscriptionJob.")
    if not media.get("MediaFileUri"):
        raise _bad("The Media parameter must include MediaFileUri, the S3 location of your media file.")


def check_output(req: dict[str, Any]) -> None:
    job_rules.check_output({k: req.get(k) for k in ("OutputBucketName", "OutputKey",
                                                     "OutputEncryptionKMSKeyId", "KMSEncryptionContext")})


def check_settings(req: dict[str, Any]) -> None:
    job_rules.check_settings(req)
    settings = req.get("Settings") or {}
    for member, feature in PENDING_SETTINGS.items():
        if settings.get(member):
            raise _bad(f"{member} isn't supported for medical transcription jobs by this Harken deployment "
                       f"yet: {feature} is not available in its batch pipeline. Remove {member} from "
                       "Settings.")


def check_content_identification(req: dict[str, Any]) -> None:
    if req.get("ContentIdentificationType") == "PHI" and not PHI_AVAILABLE:
        raise _bad("ContentIdentificationType PHI isn't supported by this Harken deployment yet: it has no "
                   "PHI detection engine. Remove ContentIdentificationType.")


def check_start_request(req: dict[str, Any]) -> None:
    check_media(req)
    check_language(req)
    check_output(req)
    check_settings(req)
    check_content_identification(req)
