"""Rules of StartMedicalTranscriptionJob that the model states in prose.

Every documented parameter is honoured: Settings run the general pipeline's speaker, channel and
alternatives stages, and ContentIdentificationType needs no rule here (its enum, PHI only, is
checked with the model; PHI identification runs in the worker, workers/pipeline/phi.py).

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
    """ShowSpeakerLabels, ChannelIdentification and ShowAlternatives run the general pipeline's
    stages; the rules between them are AWS's rules for general jobs."""
    job_rules.check_settings(req)


def check_start_request(req: dict[str, Any]) -> None:
    check_media(req)
    check_language(req)
    check_output(req)
    check_settings(req)
