"""Between AWS's BCP-47 language codes and the ISO 639-1 codes Whisper decodes in.

Whisper knows languages, not regions: "en-GB" and "en-US" are one Whisper language. Going back, a
detected language becomes the AWS code the caller offered in LanguageOptions (first one wins when
several share a language), or a fixed default region otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: AWS codes whose Whisper language is not simply the part before the hyphen.
_AWS_TO_WHISPER_SPECIAL = {"jv-ID": "jw", "zh-HK": "yue", "cy-WL": "cy"}

#: Languages AWS lists that Whisper cannot decode.
_NO_WHISPER = {"ab", "ast", "ckb", "kab", "ky", "lg", "mhr", "or", "rw", "ug", "wo"}

#: The region reported for a detected language when the caller gave no LanguageOptions.
_DEFAULT_REGION = {
    "en": "en-US", "es": "es-US", "fr": "fr-FR", "de": "de-DE", "pt": "pt-BR", "zh": "zh-CN",
    "ar": "ar-SA", "fa": "fa-IR", "sw": "sw-KE", "yue": "zh-HK", "jw": "jv-ID", "cy": "cy-GB",
    "et": "et-EE", "it": "it-IT", "nl": "nl-NL", "ja": "ja-JP", "ko": "ko-KR", "ru": "ru-RU",
    "hi": "hi-IN", "ta": "ta-IN", "te": "te-IN", "tr": "tr-TR", "he": "he-IL", "id": "id-ID",
    "ms": "ms-MY", "th": "th-TH", "vi": "vi-VN", "sv": "sv-SE", "da": "da-DK", "af": "af-ZA",
}

#: Every AWS LanguageCode (botocore enum ``LanguageCode``), in the model's order: the fallback
#: region for a detected language that has no entry in ``_DEFAULT_REGION``.
AWS_LANGUAGE_CODES = (
    "af-ZA", "ar-AE", "ar-SA", "am-ET", "cy-GB", "da-DK", "de-CH", "de-DE", "en-AB", "en-AU",
    "en-GB", "en-IE", "en-IN", "en-US", "en-WL", "es-ES", "es-MX", "es-US", "fa-AF", "fa-IR",
    "fr-CA", "fr-FR", "ga-IE", "gd-GB", "he-IL", "hi-IN", "ht-HT", "id-ID", "it-IT", "ja-JP",
    "jv-ID", "km-KH", "ko-KR", "my-MM", "ms-MY", "nl-NL", "pt-BR", "pt-PT", "ru-RU", "ta-IN",
    "te-IN", "tr-TR", "zh-CN", "zh-TW", "th-TH", "en-ZA", "en-NZ", "vi-VN", "sv-SE", "ab-GE",
    "ast-ES", "az-AZ", "ba-RU", "be-BY", "bg-BG", "bn-IN", "bs-BA", "ca-ES", "ckb-IQ", "ckb-IR",
    "cs-CZ", "cy-WL", "el-GR", "et-EE", "et-ET", "eu-ES", "fi-FI", "gl-ES", "gu-IN", "ha-NG",
    "hr-HR", "hu-HU", "hy-AM", "is-IS", "ka-GE", "kab-DZ", "kk-KZ", "kn-IN", "ky-KG", "lg-IN",
    "lt-LT", "lv-LV", "mhr-RU", "mi-NZ", "mk-MK", "ml-IN", "mn-MN", "mr-IN", "mt-MT", "no-NO",
    "ne-NP", "or-IN", "pa-IN", "pl-PL", "ps-AF", "ro-RO", "rw-RW", "si-LK", "sk-SK", "sl-SI",
    "so-SO", "sq-AL", "sr-RS", "su-ID", "sw-BI", "sw-KE", "sw-RW", "sw-TZ", "sw-UG", "tl-PH",
    "tt-RU", "ug-CN", "uk-UA", "uz-UZ", "wo-SN", "zh-HK", "zu-ZA",
)


def to_whisper(aws_code: str) -> str | None:
    """Whisper's language for an AWS code, or None when Whisper has no such language."""
    if aws_code in _AWS_TO_WHISPER_SPECIAL:
        return _AWS_TO_WHISPER_SPECIAL[aws_code]
    lang = aws_code.split("-", 1)[0].lower()
    return None if lang in _NO_WHISPER else lang


def to_aws(whisper_code: str, options: Sequence[str] = ()) -> str | None:
    """The AWS code to report for a Whisper language, honouring the caller's LanguageOptions."""
    for option in options:
        if to_whisper(option) == whisper_code:
            return option
    if options:
        return None
    if whisper_code in _DEFAULT_REGION:
        return _DEFAULT_REGION[whisper_code]
    for code in AWS_LANGUAGE_CODES:
        if to_whisper(code) == whisper_code:
            return code
    return None


def candidates(options: Iterable[str]) -> list[str]:
    """Whisper languages to choose among for the given LanguageOptions (deduplicated, in order)."""
    out: list[str] = []
    for option in options:
        lang = to_whisper(option)
        if lang is not None and lang not in out:
            out.append(lang)
    return out


def identification(
    scored: Sequence[tuple[str, float]], options: Sequence[str] = (), limit: int = 5
) -> list[tuple[str, float]]:
    """AWS ``language_identification``: AWS codes with scores renormalised over what can be reported.

    Scores are renormalised because AWS's list sums to one over the languages it considered; with
    LanguageOptions that is the options, not all of Whisper's 99 languages.
    """
    mapped: dict[str, float] = {}
    for lang, prob in scored:
        code = to_aws(lang, options)
        if code is not None and code not in mapped:
            mapped[code] = float(prob)
    total = sum(mapped.values())
    ranked = sorted(mapped.items(), key=lambda kv: kv[1], reverse=True)[:limit]
    if total <= 0:
        return [(code, 0.0) for code, _ in ranked]
    return [(code, prob / total) for code, prob in ranked]
