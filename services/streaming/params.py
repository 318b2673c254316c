"""StartStreamTranscription parameters: parsed from ``x-amzn-transcribe-*`` headers (HTTP/2) or the
query string (WebSocket), validated with AWS's errors, and echoed back.

The same names serve both transports: a WebSocket query parameter is the header name without the
``x-amzn-transcribe-`` prefix (reference/transcribe-wire.md §3.7).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from services.core.errors import BadRequestException
from workers.pipeline.languages import AWS_LANGUAGE_CODES

PREFIX = "x-amzn-transcribe-"

#: Every parameter the operation defines, by wire name (without the prefix).
KNOWN = (
    "language-code", "sample-rate", "media-encoding", "vocabulary-name", "vocabulary-names", "session-id",
    "vocabulary-filter-name", "vocabulary-filter-names", "vocabulary-filter-method", "show-speaker-label",
    "enable-channel-identification", "number-of-channels", "enable-partial-results-stabilization",
    "partial-results-stability", "content-identification-type", "content-redaction-type",
    "pii-entity-types", "language-model-name", "identify-language", "language-options",
    "preferred-language", "identify-multiple-languages", "session-resume-window", "transcript-format",
)
MEDIA_ENCODINGS = ("pcm", "ogg-opus", "flac", "g711-alaw", "g711-ulaw", "g729")
FILTER_METHODS = ("remove", "mask", "tag")
STABILITY = ("high", "medium", "low")
PII_ENTITY_TYPES = (
    "BANK_ACCOUNT_NUMBER", "BANK_ROUTING", "CREDIT_DEBIT_NUMBER", "CREDIT_DEBIT_CVV", "CREDIT_DEBIT_EXPIRY",
    "PIN", "EMAIL", "ADDRESS", "NAME", "PHONE", "SSN", "ALL",
)
_SESSION_ID = re.compile(r"^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$")
_NAME = re.compile(r"^[0-9a-zA-Z._-]+$")


def _camel(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(p.capitalize() for p in rest)


def _invalid(name: str, value: str, constraint: str) -> BadRequestException:
    return BadRequestException(
        f"1 validation error detected: Value '{value}' at '{_camel(name)}' failed to satisfy constraint: "
        f"Member must {constraint}")


@dataclass(frozen=True)
class StreamParams:
    sample_rate: int
    media_encoding: str
    language_code: str | None = None
    session_id: str = ""
    vocabulary_name: str | None = None
    vocabulary_names: tuple[str, ...] = ()
    vocabulary_filter_name: str | None = None
    vocabulary_filter_names: tuple[str, ...] = ()
    vocabulary_filter_method: str | None = None
    show_speaker_label: bool = False
    enable_channel_identification: bool = False
    number_of_channels: int = 1
    enable_partial_results_stabilization: bool = False
    partial_results_stability: str | None = None
    content_identification_type: str | None = None
    content_redaction_type: str | None = None
    pii_entity_types: tuple[str, ...] = ()
    language_model_name: str | None = None
    identify_language: bool = False
    identify_multiple_languages: bool = False
    language_options: tuple[str, ...] = ()
    preferred_language: str | None = None
    session_resume_window: int | None = None
    transcript_format: str | None = None
    #: The parameters as received (wire name → value), echoed in the response headers.
    echo: dict[str, str] = field(default_factory=dict)

    @property
    def channels(self) -> int:
        return self.number_of_channels if self.enable_channel_identification else 1

    def response_headers(self) -> list[tuple[bytes, bytes]]:
        out = [(f"{PREFIX}{k}".encode(), v.encode()) for k, v in self.echo.items() if k != "session-id"]
        out.append((f"{PREFIX}session-id".encode(), self.session_id.encode()))
        return out


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value not in ("true", "false"):
        raise _invalid(name, raw, "be a boolean (true or false)")
    return value == "true"


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise _invalid(name, raw, "be an integer") from None
    if value < low:
        raise _invalid(name, raw, f"have value greater than or equal to {low}")
    if value > high:
        raise _invalid(name, raw, f"have value less than or equal to {high}")
    return value


def _enum(name: str, raw: str, allowed: tuple[str, ...]) -> str:
    if raw not in allowed:
        raise _invalid(name, raw, f"satisfy enum value set: [{', '.join(allowed)}]")
    return raw


def _names(name: str, raw: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in raw.split(","))
    for part in parts:
        if not part or len(part) > 200 or not _NAME.match(part):
            raise _invalid(name, raw, "satisfy regular expression pattern: ^[a-zA-Z0-9,-._]+")
    return parts


def _name(name: str, raw: str) -> str:
    if not raw or len(raw) > 200 or not _NAME.match(raw):
        raise _invalid(name, raw, "satisfy regular expression pattern: ^[0-9a-zA-Z._-]+")
    return raw


def from_headers(headers: Mapping[str, str]) -> StreamParams:
    """Parse from lower-cased HTTP headers (only ``x-amzn-transcribe-*`` are looked at)."""
    return parse({k[len(PREFIX):]: v for k, v in headers.items() if k.startswith(PREFIX)})


def parse(raw: Mapping[str, str]) -> StreamParams:
    """Validate parameters by wire name; raises BadRequestException with AWS's wording."""
    echo = {k: v for k, v in raw.items() if k in KNOWN}
    get = echo.get

    if get("sample-rate") is None:
        raise _invalid("media-sample-rate-hertz", "null", "not be null")
    if get("media-encoding") is None:
        raise _invalid("media-encoding", "null", "not be null")
    sample_rate = _int("media-sample-rate-hertz", get("sample-rate", ""), 8000, 48000)
    media_encoding = _enum("media-encoding", get("media-encoding", ""), MEDIA_ENCODINGS)

    identify = _bool("identify-language", get("identify-language", "false"))
    identify_multi = _bool("identify-multiple-languages", get("identify-multiple-languages", "false"))
    language_code = get("language-code")
    if language_code is not None:
        _enum("language-code", language_code, AWS_LANGUAGE_CODES)
    chosen = sum((language_code is not None, identify, identify_multi))
    if chosen == 0:
        raise BadRequestException(
            "You must specify either LanguageCode, IdentifyLanguage or IdentifyMultipleLanguages.")
    if chosen > 1:
        raise BadRequestException(
            "You can only specify one of LanguageCode, IdentifyLanguage and IdentifyMultipleLanguages.")

    options: tuple[str, ...] = ()
    if get("language-options") is not None:
        options = tuple(o.strip() for o in get("language-options", "").split(","))
        for option in options:
            _enum("language-options", option, AWS_LANGUAGE_CODES)
        if len(set(options)) != len(options):
            raise BadRequestException("LanguageOptions can't contain duplicate language codes.")
        if not (identify or identify_multi):
            raise BadRequestException(
                "LanguageOptions can only be used with IdentifyLanguage or IdentifyMultipleLanguages.")
    if (identify or identify_multi) and len(options) < 2:
        raise BadRequestException(
            "To use language identification, you must specify at least two language options in "
            "LanguageOptions.")
    preferred = get("preferred-language")
    if preferred is not None:
        _enum("preferred-language", preferred, AWS_LANGUAGE_CODES)
        if not (identify or identify_multi):
            raise BadRequestException(
                "PreferredLanguage can only be used with IdentifyLanguage or IdentifyMultipleLanguages.")
        if preferred not in options:
            raise BadRequestException("PreferredLanguage must be one of the LanguageOptions.")

    session_id = get("session-id")
    if session_id is not None:
        if not _SESSION_ID.match(session_id):
            raise _invalid("session-id", session_id,
                           "satisfy regular expression pattern: "
                           "[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}")
    else:
        session_id = str(uuid.uuid4())

    vocabulary = _name("vocabulary-name", get("vocabulary-name", "")) if "vocabulary-name" in echo else None
    vocabularies = _names("vocabulary-names", get("vocabulary-names", "")) if "vocabulary-names" in echo else ()
    if vocabulary and vocabularies:
        raise BadRequestException("You can't specify both VocabularyName and VocabularyNames.")
    if vocabularies and not (identify or identify_multi):
        raise BadRequestException(
            "VocabularyNames can only be used with IdentifyLanguage or IdentifyMultipleLanguages; "
            "use VocabularyName.")
    vfilter = (_name("vocabulary-filter-name", get("vocabulary-filter-name", ""))
               if "vocabulary-filter-name" in echo else None)
    vfilters = (_names("vocabulary-filter-names", get("vocabulary-filter-names", ""))
                if "vocabulary-filter-names" in echo else ())
    if vfilter and vfilters:
        raise BadRequestException("You can't specify both VocabularyFilterName and VocabularyFilterNames.")
    if vfilters and not (identify or identify_multi):
        raise BadRequestException(
            "VocabularyFilterNames can only be used with IdentifyLanguage or IdentifyMultipleLanguages; "
            "use VocabularyFilterName.")
    method = get("vocabulary-filter-method")
    if method is not None:
        _enum("vocabulary-filter-method", method, FILTER_METHODS)
        if not (vfilter or vfilters):
            raise BadRequestException(
                "VocabularyFilterMethod requires VocabularyFilterName or VocabularyFilterNames.")

    speaker = _bool("show-speaker-label", get("show-speaker-label", "false"))
    channel_id = _bool("enable-channel-identification", get("enable-channel-identification", "false"))
    channels = 1
    if get("number-of-channels") is not None:
        channels = _int("number-of-channels", get("number-of-channels", ""), 2, 2)
    if channel_id and get("number-of-channels") is None:
        raise BadRequestException(
            "When you enable channel identification, you must also specify NumberOfChannels.")
    if get("number-of-channels") is not None and not channel_id:
        raise BadRequestException("NumberOfChannels can only be used with EnableChannelIdentification.")
    if speaker and channel_id:
        raise BadRequestException(
            "You can't set both ShowSpeakerLabel and EnableChannelIdentification in the same request.")
    if channel_id and media_encoding != "pcm" and media_encoding not in ("flac", "ogg-opus"):
        raise BadRequestException("Channel identification requires pcm, flac or ogg-opus audio.")

    stabilize = _bool("enable-partial-results-stabilization",
                      get("enable-partial-results-stabilization", "false"))
    stability = get("partial-results-stability")
    if stability is not None:
        _enum("partial-results-stability", stability, STABILITY)
        if not stabilize:
            raise BadRequestException(
                "PartialResultsStability requires EnablePartialResultsStabilization to be true.")

    ident_type = get("content-identification-type")
    redact_type = get("content-redaction-type")
    if ident_type is not None:
        _enum("content-identification-type", ident_type, ("PII",))
    if redact_type is not None:
        _enum("content-redaction-type", redact_type, ("PII",))
    if ident_type and redact_type:
        raise BadRequestException(
            "You can't set both ContentIdentificationType and ContentRedactionType in the same request.")
    entity_types: tuple[str, ...] = ()
    if get("pii-entity-types") is not None:
        entity_types = tuple(t.strip() for t in get("pii-entity-types", "").split(","))
        for t in entity_types:
            _enum("pii-entity-types", t, PII_ENTITY_TYPES)
        if not (ident_type or redact_type):
            raise BadRequestException(
                "PiiEntityTypes requires ContentIdentificationType or ContentRedactionType.")

    lm = _name("language-model-name", get("language-model-name", "")) if "language-model-name" in echo else None
    resume = (_int("session-resume-window", get("session-resume-window", ""), 1, 300)
              if get("session-resume-window") is not None else None)
    fmt = get("transcript-format")
    if fmt is not None:
        _enum("transcript-format", fmt, ("spoken", "written"))

    return StreamParams(
        sample_rate=sample_rate, media_encoding=media_encoding, language_code=language_code,
        session_id=session_id, vocabulary_name=vocabulary, vocabulary_names=vocabularies,
        vocabulary_filter_name=vfilter, vocabulary_filter_names=vfilters, vocabulary_filter_method=method,
        show_speaker_label=speaker, enable_channel_identification=channel_id, number_of_channels=channels,
        enable_partial_results_stabilization=stabilize,
        partial_results_stability=(stability or "high") if stabilize else None,
        content_identification_type=ident_type, content_redaction_type=redact_type,
        pii_entity_types=entity_types, language_model_name=lm, identify_language=identify,
        identify_multiple_languages=identify_multi, language_options=options, preferred_language=preferred,
        session_resume_window=resume, transcript_format=fmt, echo=echo,
    )
