"""The batch pipeline: media file + job options → AWS transcript, subtitles and job metadata.

Stages run in the order that fails fastest and cheapest: the container header is checked before
anything is decoded, and decoding finishes before a model is loaded, so bad media never waits for
(or occupies) a model.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from workers.engines.base import Recognizer
from workers.engines.diarization.base import Diarizer
from workers.engines.vad import job_audio
from workers.pipeline import annotate, languages, media, recognise, redaction, subtitles
from workers.pipeline.contract import JobOptions, PipelineResult
from workers.pipeline.selective_bias import Bias, SelectiveBiasRecognizer
from workers.pipeline.transcript import build_transcript

log = logging.getLogger(__name__)

#: Reported when identification has nothing to go on (no candidates Whisper knows).
FALLBACK_LANGUAGE = "en-US"


def _customised(engine: Recognizer, options: JobOptions, language_code: str | None) -> Recognizer:
    """The engine, biased towards the job's vocabulary and language-model terms where they were
    plausibly spoken. A multi-language job's spans are decoded in their own languages, so the bias
    of each call is that language's (LanguageIdSettings); any other job has one language."""
    if not options.customizations:
        return engine

    def bias_for(whisper_language: str | None) -> Bias | None:
        code = language_code
        if options.identify_multiple_languages and whisper_language:
            code = languages.to_aws(whisper_language, options.language_options) or languages.to_aws(whisper_language)
        custom = options.customizations.pick(code)
        prompt = custom.bias()
        return Bias(prompt, custom.term_lists()) if prompt else None

    return SelectiveBiasRecognizer(engine, bias_for)


def transcribe_media(
    path: Path, options: JobOptions, engine: Recognizer | None = None, diarizer: Diarizer | None = None
) -> PipelineResult:
    """Raises ``MediaError`` (AWS FailureReason text) for bad media; anything else is a bug or an
    operator error (missing model) and should be retried or surfaced, not blamed on the media."""
    info, audio = media.load(
        path,
        requested_format=options.requested_media_format,
        requested_sample_rate=options.requested_sample_rate,
        max_seconds=options.max_media_seconds,
    )
    # Language ID, Whisper's VAD filter, multi-language spans and diarization all ask whether the
    # recording is telephone band (a lower Silero threshold); it is worked out once per job.
    with job_audio(audio.mono):
        return _transcribe(info, audio, options, engine, diarizer)


def _transcribe(
    info: media.MediaInfo, audio: media.DecodedAudio, options: JobOptions, engine: Recognizer | None,
    diarizer: Diarizer | None,
) -> PipelineResult:
    if engine is None:
        from workers.engines.whisper import get_recognizer

        engine = get_recognizer()
    mono = audio.mono

    identify = options.identify_language or options.identify_multiple_languages
    language_id: list[tuple[str, float]] | None = None
    score: float | None = None
    if identify:
        wanted = languages.candidates(options.language_options) or None
        scored = engine.detect_language(mono, wanted)
        language_id = languages.identification(scored, options.language_options)
        if language_id:
            language_code: str | None = language_id[0][0]
            score = language_id[0][1]
        else:
            language_code = options.language_options[0] if options.language_options else FALLBACK_LANGUAGE
            score = 0.0
            language_id = [(language_code, 0.0)]
    else:
        language_code = options.language_code
    whisper_language = languages.to_whisper(language_code) if language_code else None

    started = time.monotonic()
    recogniser = _customised(engine, options, language_code)
    recognised = recognise.recognise(recogniser, audio, options, language=whisper_language)
    recognition = recognised.first
    elapsed = time.monotonic() - started
    log.info(
        "transcribed %.1f s of audio in %.1f s (%.1fx real time)",
        audio.duration_seconds,
        elapsed,
        audio.duration_seconds / elapsed if elapsed > 0 else float("inf"),
    )
    if language_code is None:
        language_code = languages.to_aws(recognition.language) or FALLBACK_LANGUAGE

    tokens = options.customizations.apply(
        recognised.tokens, language_code, recognise.LANGUAGE_LABEL if options.identify_multiple_languages else None
    )
    language_codes: list[tuple[str, float]] | None = None
    if options.identify_multiple_languages:
        language_codes = recognise.language_durations(tokens) or [(language_code, 0.0)]
        language_code = language_codes[0][0]
    tokens = annotate.label_speakers(tokens, audio, options, diarizer)
    transcript = build_transcript(
        options.job_name,
        options.account_id,
        tokens,
        language_code=language_code if options.identify_language else None,
        language_identification=language_id if options.identify_language else None,
        language_codes=language_codes,
    )
    annotate.add_blocks(transcript, audio, options, engine, whisper_language or recognition.language)
    redacted = redaction.for_request(transcript, options.settings.get("ContentRedaction"))
    if redacted is not None:
        transcript = redaction.with_flag(transcript, False)
        annotate.refresh_blocks(redacted)
    subs = subtitles.render_all(
        (redacted or transcript)["results"]["items"], options.subtitle_formats, options.subtitle_start_index
    )
    return PipelineResult(
        transcript=transcript,
        subtitles=subs,
        media_format=(options.requested_media_format or info.media_format).lower(),
        sample_rate=info.sample_rate,
        duration_seconds=audio.duration_seconds,
        language_code=language_code,
        identified_language_score=score,
        # The API's LanguageCodes shape (GetTranscriptionJob), not the transcript file's.
        language_codes=(
            [{"LanguageCode": code, "DurationInSeconds": round(secs, 2)} for code, secs in language_codes]
            if language_codes is not None
            else None
        ),
        redacted_transcript=redacted,
    )
