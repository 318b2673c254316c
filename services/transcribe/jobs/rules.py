"""Cross-field rules of StartTranscriptionJob that the model states in prose.

Pure functions over the request dict (already checked against lengths, patterns and enums), so
every rule is unit-tested without a database. Messages say what is wrong and how to fix it.
"""

from __future__ import annotations

from typing import Any

from services.core.errors import BadRequestException

MISSING_LANGUAGE = ("The language code is missing. Either add a language code or turn on language "
                    "identification.")
#: Batch PII redaction is available for these languages only (AWS developer guide).
REDACTION_LANGUAGES = ("en-US", "es-US")
#: The PiiEntityTypes batch redaction recognises (developer guide, "Redacting PII in your batch job");
#: the model's enum also lists types of other AWS services, which batch transcription doesn't redact.
BATCH_PII_TYPES = ("BANK_ACCOUNT_NUMBER", "BANK_ROUTING", "CREDIT_DEBIT_NUMBER", "CREDIT_DEBIT_CVV",
                   "CREDIT_DEBIT_EXPIRY", "PIN", "EMAIL", "ADDRESS", "NAME", "PHONE", "SSN", "ALL")


def _bad(message: str) -> BadRequestException:
    return BadRequestException(message)


def check_language(req: dict[str, Any]) -> None:
    code = req.get("LanguageCode")
    identify = bool(req.get("IdentifyLanguage"))
    identify_multi = bool(req.get("IdentifyMultipleLanguages"))
    if identify and identify_multi:
        raise _bad("You can't use IdentifyLanguage and IdentifyMultipleLanguages in the same request. "
                   "Choose one.")
    if code and (identify or identify_multi):
        raise _bad("You can't specify a LanguageCode and turn on language identification in the same "
                   "request. Remove LanguageCode or set IdentifyLanguage/IdentifyMultipleLanguages to false.")
    if not code and not (identify or identify_multi):
        raise _bad(MISSING_LANGUAGE)
    options = req.get("LanguageOptions")
    if options is not None:
        if not (identify or identify_multi):
            raise _bad("LanguageOptions can only be used with IdentifyLanguage or IdentifyMultipleLanguages.")
        if len(options) < 2:
            raise _bad("LanguageOptions must include at least two language codes.")
        if len(set(options)) != len(options):
            raise _bad("LanguageOptions can't contain duplicate language codes.")
    id_settings = req.get("LanguageIdSettings")
    if id_settings is not None:
        if not (identify or identify_multi):
            raise _bad("LanguageIdSettings can only be used with IdentifyLanguage or "
                       "IdentifyMultipleLanguages.")
        if not options:
            raise _bad("To use LanguageIdSettings, you must also include LanguageOptions.")
        extra = sorted(set(id_settings) - set(options))
        if extra:
            raise _bad(f"LanguageIdSettings contains language codes that aren't in LanguageOptions: "
                       f"{', '.join(extra)}.")
        for lang, item in id_settings.items():
            if item.get("VocabularyName") and identify_multi:
                raise _bad("Custom vocabularies in LanguageIdSettings aren't supported with "
                           "IdentifyMultipleLanguages.")
            if item.get("LanguageModelName") and identify_multi:
                raise _bad(f"Custom language models ({lang}) aren't supported with IdentifyMultipleLanguages.")
    if (identify or identify_multi) and (req.get("ModelSettings") or {}).get("LanguageModelName"):
        raise _bad("To use a custom language model with language identification, specify it in "
                   "LanguageIdSettings instead of ModelSettings.")
    settings = req.get("Settings") or {}
    if (identify or identify_multi) and (settings.get("VocabularyName") or settings.get("VocabularyFilterName")):
        raise _bad("To use a custom vocabulary or vocabulary filter with language identification, specify "
                   "it in LanguageIdSettings instead of Settings.")


def check_settings(req: dict[str, Any]) -> None:
    s = req.get("Settings") or {}
    if s.get("ShowSpeakerLabels") and s.get("ChannelIdentification"):
        raise _bad("You can't specify both ShowSpeakerLabels and ChannelIdentification in the same request. "
                   "Choose one.")
    if s.get("ShowSpeakerLabels") and s.get("MaxSpeakerLabels") is None:
        raise _bad("When ShowSpeakerLabels is true, you must also specify MaxSpeakerLabels.")
    if s.get("MaxSpeakerLabels") is not None and not s.get("ShowSpeakerLabels"):
        raise _bad("MaxSpeakerLabels can only be used when ShowSpeakerLabels is set to true.")
    if s.get("ShowAlternatives") and s.get("MaxAlternatives") is None:
        raise _bad("When ShowAlternatives is true, you must also specify MaxAlternatives.")
    if s.get("MaxAlternatives") is not None and not s.get("ShowAlternatives"):
        raise _bad("MaxAlternatives can only be used when ShowAlternatives is set to true.")
    if s.get("VocabularyFilterName") and not s.get("VocabularyFilterMethod"):
        raise _bad("When you specify VocabularyFilterName, you must also specify VocabularyFilterMethod.")
    # With language identification the filter is named per language in LanguageIdSettings and the
    # method still comes from Settings.
    per_language = any((item or {}).get("VocabularyFilterName")
                       for item in (req.get("LanguageIdSettings") or {}).values())
    if per_language and not s.get("VocabularyFilterMethod"):
        raise _bad("When you specify VocabularyFilterName in LanguageIdSettings, you must also specify "
                   "VocabularyFilterMethod in Settings.")
    if s.get("VocabularyFilterMethod") and not (s.get("VocabularyFilterName") or per_language):
        raise _bad("VocabularyFilterMethod can only be used together with VocabularyFilterName.")


def check_output(req: dict[str, Any]) -> None:
    if req.get("OutputKey") and not req.get("OutputBucketName"):
        raise _bad("To use OutputKey, you must also specify OutputBucketName.")
    if req.get("OutputEncryptionKMSKeyId") and not req.get("OutputBucketName"):
        raise _bad("To use OutputEncryptionKMSKeyId, you must also specify OutputBucketName.")
    if req.get("KMSEncryptionContext") and not req.get("OutputEncryptionKMSKeyId"):
        raise _bad("To use KMSEncryptionContext, you must also specify OutputEncryptionKMSKeyId.")
    key = req.get("OutputKey")
    if key and ("//" in key or key.startswith("/")):
        raise _bad("OutputKey can't start with a slash or contain consecutive slashes.")
    subtitles = req.get("Subtitles")
    if subtitles is not None:
        formats = subtitles.get("Formats") or []
        if not formats:
            raise _bad("Subtitles must include at least one format in Formats (vtt or srt).")
        if len(set(formats)) != len(formats):
            raise _bad("Subtitles.Formats can't contain duplicate formats.")


def check_execution(req: dict[str, Any]) -> None:
    ex = req.get("JobExecutionSettings")
    if ex is None:
        return
    if ex.get("AllowDeferredExecution") and not ex.get("DataAccessRoleArn"):
        raise _bad("When AllowDeferredExecution is true, you must also specify DataAccessRoleArn.")
    if ex.get("DataAccessRoleArn") and not ex.get("AllowDeferredExecution"):
        raise _bad("DataAccessRoleArn in JobExecutionSettings can only be used when AllowDeferredExecution "
                   "is set to true.")


def check_redaction(req: dict[str, Any]) -> None:
    red = req.get("ContentRedaction")
    if red is None:
        return
    if req.get("IdentifyLanguage") or req.get("IdentifyMultipleLanguages"):
        raise _bad("Content redaction isn't supported with language identification. Specify a LanguageCode.")
    if req.get("LanguageCode") not in REDACTION_LANGUAGES:
        raise _bad(f"Content redaction isn't supported for {req.get('LanguageCode')}. Supported language "
                   f"codes: {', '.join(REDACTION_LANGUAGES)}.")
    types = red.get("PiiEntityTypes") or []
    if "ALL" in types and len(types) > 1:
        raise _bad("PiiEntityTypes can't combine ALL with other entity types.")
    other = [t for t in types if t not in BATCH_PII_TYPES]
    if other:
        raise _bad(f"PiiEntityTypes {', '.join(other)} can't be redacted in a transcription job. Supported "
                   f"types: {', '.join(BATCH_PII_TYPES)}.")


def check_unsupported(req: dict[str, Any]) -> None:
    """Documented inputs Harken cannot honour are refused, never silently ignored."""
    if (req.get("Media") or {}).get("RedactedMediaFileUri"):
        raise _bad("RedactedMediaFileUri is an output of Call Analytics jobs and can't be set in "
                   "StartTranscriptionJob.")
    if not (req.get("Media") or {}).get("MediaFileUri"):
        raise _bad("The Media parameter must include MediaFileUri, the S3 location of your media file.")
    if req.get("ToxicityDetection"):
        raise _bad("ToxicityDetection isn't supported by this Harken deployment.")


def check_start_request(req: dict[str, Any]) -> None:
    check_unsupported(req)
    check_language(req)
    check_settings(req)
    check_output(req)
    check_execution(req)
    check_redaction(req)
