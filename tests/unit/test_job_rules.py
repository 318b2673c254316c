"""Cross-field rules of StartTranscriptionJob, without a database."""

from __future__ import annotations

from typing import Any

import pytest

from services.core.errors import BadRequestException
from services.transcribe.jobs.rules import MISSING_LANGUAGE, check_start_request

BASE: dict[str, Any] = {"TranscriptionJobName": "j", "Media": {"MediaFileUri": "s3://b/k.wav"}}


def _req(**kw: Any) -> dict[str, Any]:
    return {**BASE, **kw}


@pytest.mark.parametrize(("req", "fragment"), [
    (_req(), MISSING_LANGUAGE),
    (_req(LanguageCode="en-US", IdentifyLanguage=True), "can't specify a LanguageCode"),
    (_req(IdentifyLanguage=True, IdentifyMultipleLanguages=True), "IdentifyMultipleLanguages in the same"),
    (_req(LanguageCode="en-US", LanguageOptions=["en-US", "es-US"]), "LanguageOptions can only be used"),
    (_req(IdentifyLanguage=True, LanguageOptions=["en-US"]), "at least two"),
    (_req(IdentifyLanguage=True, LanguageOptions=["en-US", "en-US"]), "duplicate"),
    (_req(IdentifyLanguage=True, LanguageIdSettings={"en-US": {}}), "must also include LanguageOptions"),
    (_req(IdentifyLanguage=True, LanguageOptions=["en-US", "es-US"], LanguageIdSettings={"fr-FR": {}}),
     "aren't in LanguageOptions: fr-FR"),
    (_req(IdentifyLanguage=True, ModelSettings={"LanguageModelName": "m"}), "in LanguageIdSettings instead"),
    (_req(IdentifyLanguage=True, Settings={"VocabularyName": "v"}), "in LanguageIdSettings instead of Settings"),
    (_req(LanguageCode="en-US", Settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2,
                                          "ChannelIdentification": True}), "both ShowSpeakerLabels"),
    (_req(LanguageCode="en-US", Settings={"ShowSpeakerLabels": True}), "must also specify MaxSpeakerLabels"),
    (_req(LanguageCode="en-US", Settings={"MaxSpeakerLabels": 3}), "only be used when ShowSpeakerLabels"),
    (_req(LanguageCode="en-US", Settings={"ShowAlternatives": True}), "must also specify MaxAlternatives"),
    (_req(LanguageCode="en-US", Settings={"MaxAlternatives": 3}), "only be used when ShowAlternatives"),
    (_req(LanguageCode="en-US", Settings={"VocabularyFilterName": "f"}), "also specify VocabularyFilterMethod"),
    (_req(LanguageCode="en-US", Settings={"VocabularyFilterMethod": "mask"}), "together with VocabularyFilterName"),
    (_req(IdentifyLanguage=True, LanguageOptions=["en-US", "es-US"],
          LanguageIdSettings={"en-US": {"VocabularyFilterName": "f"}}), "VocabularyFilterMethod in Settings"),
    (_req(LanguageCode="en-US", OutputKey="k.json"), "To use OutputKey"),
    (_req(LanguageCode="en-US", OutputEncryptionKMSKeyId="k"), "To use OutputEncryptionKMSKeyId"),
    (_req(LanguageCode="en-US", OutputBucketName="bkt", KMSEncryptionContext={"a": "b"}),
     "To use KMSEncryptionContext"),
    (_req(LanguageCode="en-US", OutputBucketName="bkt", OutputKey="a//b"), "consecutive slashes"),
    (_req(LanguageCode="en-US", Subtitles={"Formats": []}), "at least one format"),
    (_req(LanguageCode="en-US", Subtitles={"Formats": ["srt", "srt"]}), "duplicate formats"),
    (_req(LanguageCode="en-US", JobExecutionSettings={"AllowDeferredExecution": True}),
     "must also specify DataAccessRoleArn"),
    (_req(LanguageCode="en-US", JobExecutionSettings={"DataAccessRoleArn": "arn:aws:iam::1:role/r"}),
     "only be used when AllowDeferredExecution"),
    (_req(LanguageCode="fr-FR", ContentRedaction={"RedactionType": "PII", "RedactionOutput": "redacted"}),
     "isn't supported for fr-FR"),
    (_req(IdentifyLanguage=True, ContentRedaction={"RedactionType": "PII", "RedactionOutput": "redacted"}),
     "isn't supported with language identification"),
    (_req(LanguageCode="en-US", ContentRedaction={"RedactionType": "PII", "RedactionOutput": "redacted",
                                                  "PiiEntityTypes": ["ALL", "NAME"]}), "ALL with other"),
    (_req(LanguageCode="en-US", ContentRedaction={"RedactionType": "PII", "RedactionOutput": "redacted",
                                                  "PiiEntityTypes": ["NAME", "PASSPORT_NUMBER"]}),
     "PiiEntityTypes PASSPORT_NUMBER can't be redacted"),
    (_req(LanguageCode="en-US", ToxicityDetection=[{"ToxicityCategories": ["ALL"]}]), "ToxicityDetection"),
    ({**BASE, "Media": {"MediaFileUri": "s3://b/k", "RedactedMediaFileUri": "s3://b/r"}, "LanguageCode": "en-US"},
     "RedactedMediaFileUri"),
    ({**BASE, "Media": {}, "LanguageCode": "en-US"}, "must include MediaFileUri"),
])
def test_rule_violations(req: dict[str, Any], fragment: str) -> None:
    with pytest.raises(BadRequestException) as exc:
        check_start_request(req)
    assert fragment in exc.value.message


@pytest.mark.parametrize("req", [
    _req(LanguageCode="en-US"),
    _req(IdentifyLanguage=True, LanguageOptions=["en-US", "es-US"], LanguageIdSettings={"en-US": {}}),
    _req(IdentifyMultipleLanguages=True),
    _req(IdentifyLanguage=True, LanguageOptions=["en-US", "es-US"], Settings={"VocabularyFilterMethod": "tag"},
         LanguageIdSettings={"en-US": {"VocabularyFilterName": "f"}}),
    _req(LanguageCode="en-US", Settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2}),
    _req(LanguageCode="es-US", ContentRedaction={"RedactionType": "PII", "RedactionOutput": "redacted"}),
    _req(LanguageCode="en-US", OutputBucketName="bkt", OutputKey="folder/x.json", OutputEncryptionKMSKeyId="k"),
])
def test_valid_combinations(req: dict[str, Any]) -> None:
    check_start_request(req)
