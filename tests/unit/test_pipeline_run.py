"""The pipeline end to end with a fake recognizer: no model, so it runs everywhere in milliseconds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from workers.engines.base import Recognition, Recognizer, Segment, Word
from workers.pipeline import failures, languages
from workers.pipeline.contract import JobOptions, MediaError
from workers.pipeline.run import transcribe_media

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"


class FakeRecognizer:
    def __init__(self, scores: Sequence[tuple[str, float]] = (("en", 0.9), ("es", 0.1))) -> None:
        self.scores = list(scores)
        self.calls: list[tuple[str, object]] = []

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        hotwords: str | None = None,
    ) -> Recognition:
        self.calls.append(("transcribe", language))
        assert audio.dtype == np.float32 and audio.ndim == 1
        words = (
            Word(" Hello,", 0.18, 0.86, 0.9),
            Word(" my", 1.14, 1.16, 0.97),
            Word(" name", 1.16, 1.36, 0.99),
            Word(" is", 1.36, 1.58, 0.99),
            Word(" Stephen", 1.58, 1.9, 0.5),
            Word(" Fry.", 1.9, 2.48, 0.6),
        )
        return Recognition(language or "en", 1.0, [Segment(0.18, 2.48, "", words)])

    def detect_language(
        self, audio: np.ndarray, candidates: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        self.calls.append(("detect", tuple(candidates) if candidates else None))
        return [(lang, p) for lang, p in self.scores if not candidates or lang in candidates]


def options(**kw: object) -> JobOptions:
    return JobOptions(job_name="job-1", account_id="111122223333", **kw)  # type: ignore[arg-type]


def test_fake_satisfies_the_protocol() -> None:
    assert isinstance(FakeRecognizer(), Recognizer)


def test_plain_job() -> None:
    fake = FakeRecognizer()
    result = transcribe_media(
        AUDIO / "en-gb.mp3",
        options(language_code="en-GB", subtitle_formats=("srt", "vtt"), subtitle_start_index=1),
        engine=fake,
    )
    assert fake.calls == [("transcribe", "en")]
    doc = result.transcript
    assert doc["jobName"] == "job-1" and doc["accountId"] == "111122223333" and doc["status"] == "COMPLETED"
    assert doc["results"]["transcripts"][0]["transcript"] == "Hello, my name is Stephen Fry."
    assert "language_code" not in doc["results"]
    assert (result.media_format, result.sample_rate) == ("mp3", 22050)
    assert abs(result.duration_seconds - 8.92) < 0.05
    assert result.language_code == "en-GB" and result.identified_language_score is None
    assert result.subtitles["srt"].startswith(
        "1\n00:00:00,180 --> 00:00:02,480\nHello, my name is Stephen Fry.\n"
    )
    assert result.subtitles["vtt"].startswith("WEBVTT\n\n1\n00:00:00.180 --> ")


def test_requested_media_format_is_reported_as_given() -> None:
    result = transcribe_media(
        AUDIO / "en-gb.mp4",
        options(language_code="en-US", requested_media_format="m4a"),
        engine=FakeRecognizer(),
    )
    assert result.media_format == "m4a"
    assert result.subtitles == {}


def test_identify_language_restricted_to_options() -> None:
    fake = FakeRecognizer(scores=[("es", 0.6), ("en", 0.3), ("fr", 0.1)])
    result = transcribe_media(
        AUDIO / "en-gb.wav", options(identify_language=True, language_options=("en-GB", "fr-FR")), engine=fake
    )
    assert fake.calls == [("detect", ("en", "fr")), ("transcribe", "en")]
    results = result.transcript["results"]
    assert results["language_code"] == "en-GB" == result.language_code
    assert [e["code"] for e in results["language_identification"]] == ["en-GB", "fr-FR"]
    assert result.identified_language_score == pytest.approx(0.75)


def test_identify_multiple_languages() -> None:
    result = transcribe_media(
        AUDIO / "en-gb.wav", options(identify_multiple_languages=True), engine=FakeRecognizer()
    )
    results = result.transcript["results"]
    assert result.language_codes == [
        {"LanguageCode": "en-US", "DurationInSeconds": pytest.approx(2.02, abs=0.01)}
    ]
    assert results["language_codes"][0]["language_code"] == "en-US"
    assert {item["language_code"] for item in results["items"]} == {"en-US"}


def test_bad_media_fails_before_the_engine_is_touched(tmp_path: Path) -> None:
    fake = FakeRecognizer()
    with pytest.raises(MediaError) as err:
        transcribe_media(
            AUDIO / "en-gb.wav", options(language_code="en-US", requested_media_format="flac"), engine=fake
        )
    assert err.value.reason == failures.MEDIA_FORMAT_MISMATCH
    assert fake.calls == []


@pytest.mark.parametrize(
    ("aws", "whisper"),
    [("en-GB", "en"), ("zh-HK", "yue"), ("jv-ID", "jw"), ("ckb-IQ", None), ("pt-PT", "pt")],
)
def test_aws_to_whisper(aws: str, whisper: str | None) -> None:
    assert languages.to_whisper(aws) == whisper


def test_whisper_to_aws() -> None:
    assert languages.to_aws("en") == "en-US"
    assert languages.to_aws("en", ("fr-FR", "en-GB", "en-AU")) == "en-GB"
    assert languages.to_aws("de", ("fr-FR",)) is None
    assert languages.to_aws("uk") == "uk-UA"
    assert languages.to_aws("la") is None


def test_identification_renormalises_over_reportable_languages() -> None:
    out = languages.identification([("en", 0.5), ("la", 0.3), ("es", 0.2)])
    assert out == [("en-US", pytest.approx(0.5 / 0.7)), ("es-US", pytest.approx(0.2 / 0.7))]
