"""Whisper calls for streaming: one utterance's audio in, words with absolute times out.

The batch recognizer's defaults suit whole files (beam 5, VAD inside, temperature fallback); a
live stream wants bounded latency, so partials decode greedily at a single temperature and the
audio is already cut at VAD endpoints. Models come from the same process-wide cache as the batch
engine (``workers.engines.whisper``), so nothing downloads and a model loads once per process.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import os
import threading
import time
import zlib
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from services.core.settings import Settings
from services.streaming import metrics
from workers.engines.base import Word
from workers.engines.whisper import WhisperRecognizer, resolve_model_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decoded:
    words: tuple[Word, ...]
    #: Whisper language the audio was decoded in.
    language: str


FINAL, PARTIAL = 0, 1

#: Encoder frames (10 ms each) of padding after the audio when the encoder window is shortened, and
#: the smallest window used.
SHORT_CONTEXT_MARGIN = 100
SHORT_CONTEXT_MIN = 500
_SHORT = threading.local()
#: Whisper's 448-token window minus room for a prompt (initial_prompt / hotwords take up to 223).
MAX_NEW_TOKENS = 220


def _install_short_context() -> None:
    """Let streaming decodes encode only as much of Whisper's 30 s window as the audio needs.

    faster-whisper always pads the features to 3000 frames, so a 2 s utterance costs the encoder as
    much as 30 s of audio; CTranslate2 accepts a shorter window (as whisper.cpp's ``audio_ctx``
    does), which made a partial 4-10x cheaper at the same WER on the test clips. The padding
    function is wrapped once; the wrapper shortens only on threads that opted in (the streaming
    decode threads), so the batch engine in the same process is unaffected.
    """
    import faster_whisper.transcribe as fw

    if getattr(fw.pad_or_trim, "harken_short_context", False):
        return
    original = fw.pad_or_trim

    def pad_or_trim(array: Any, length: int = 3000, *, axis: int = -1) -> Any:
        if getattr(_SHORT, "enabled", False) and array.shape[axis] < length:
            length = min(length, max(array.shape[axis] + SHORT_CONTEXT_MARGIN, SHORT_CONTEXT_MIN))
        return original(array, length, axis=axis)

    pad_or_trim.harken_short_context = True  # type: ignore[attr-defined]
    fw.pad_or_trim = pad_or_trim


def looks_degenerate(text: str) -> bool:
    """A decode stuck in a loop ("my name is N. my name is N. …"): a run of words repeated three
    times in a row, or text as repetitive as Whisper's own compression-ratio check rejects."""
    words = ["".join(ch for ch in w.lower() if ch.isalnum()) for w in text.split()]
    words = [w for w in words if w]
    for n in range(1, 5):
        for i in range(len(words) - 3 * n + 1):
            if words[i:i + n] * 3 == words[i:i + 3 * n]:
                return True
    raw = text.encode()
    return len(raw) > 40 and len(raw) / len(zlib.compress(raw)) > 2.4


class _Slots:
    """At most ``n`` model calls at once; waiting finals go before waiting partials, FIFO otherwise.

    Finals are what a client cannot do without (partials of a busy stream are simply skipped), so
    under load the decode capacity goes to them first. Runs on one event loop.
    """

    def __init__(self, n: int) -> None:
        self._free = n
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    @contextlib.asynccontextmanager
    async def hold(self, priority: int) -> AsyncIterator[None]:
        if self._free > 0 and not self._waiting:
            self._free -= 1
        else:
            fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (priority, next(self._seq), fut))
            try:
                await fut
            except asyncio.CancelledError:
                if fut.done() and not fut.cancelled():
                    self._release()  # granted and cancelled at once: pass the slot on
                raise
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        while self._waiting:
            _, _, fut = heapq.heappop(self._waiting)
            if not fut.done():
                fut.set_result(None)
                return
        self._free += 1


class StreamDecoder:
    """Shared by every session of the process; ``decode_threads`` model calls run at once."""

    def __init__(self, settings: Settings) -> None:
        recognizer = WhisperRecognizer.from_settings(settings)
        if settings.streaming.model:
            recognizer.model_name = settings.streaming.model
        cores = os.cpu_count() or 1
        threads = max(1, settings.streaming.decode_threads)
        recognizer.cpu_threads = settings.streaming.cpu_threads or max(1, cores // threads)
        self.recognizer = recognizer
        self.final_beam_size = max(1, settings.streaming.final_beam_size)
        self.short_context = settings.streaming.short_context
        if self.short_context:
            _install_short_context()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="stream-whisper")
        self._slots: _Slots | None = None
        self._threads = threads
        self._models: dict[str, Any] = {}
        self._models_lock = threading.Lock()

    def model_for(self, language: str | None) -> Any:
        """The model for a language, loaded with one CTranslate2 worker per decode thread.

        The batch engine's cached models have a single worker, which serialises concurrent calls;
        paths, devices and compute types still come from it (nothing downloads).
        """
        rec = self.recognizer
        name = rec.language_models.get(language, rec.model_name) if language else rec.model_name
        with self._models_lock:
            model = self._models.get(name)
            if model is None:
                from faster_whisper import WhisperModel

                path = resolve_model_path(name, rec.cache_dir)
                model = self._models[name] = WhisperModel(
                    str(path), device=rec.device, compute_type=rec.compute_type, cpu_threads=rec.cpu_threads,
                    num_workers=self._threads, local_files_only=True)
            return model

    def slot(self, priority: int) -> contextlib.AbstractAsyncContextManager[None]:
        """Hold one of the model-call slots (take the audio snapshot after acquiring it)."""
        if self._slots is None:
            self._slots = _Slots(self._threads)
        return self._slots.hold(priority)

    @property
    def multilingual(self) -> bool:
        return bool(self.model_for(None).model.is_multilingual)

    def warm_up(self) -> None:
        """Load the model and run it once, so the first stream does not pay for it."""
        self._decode(np.zeros(8000, dtype=np.float32), "en", False, None, None, 0.0)

    async def decode(self, audio: np.ndarray, *, language: str | None, final: bool, offset: float,
                     initial_prompt: str | None = None, hotwords: str | None = None) -> Decoded:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._decode, audio, language, final, initial_prompt,
                                          hotwords, offset)

    async def detect_language(self, audio: np.ndarray, candidates: Sequence[str]) -> list[tuple[str, float]]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._detect, audio, list(candidates))

    def _detect(self, audio: np.ndarray, candidates: list[str]) -> list[tuple[str, float]]:
        model = self.model_for(None)
        if not model.model.is_multilingual:
            return [("en", 1.0)]
        _, _, probs = model.detect_language(audio=audio)
        scored = [(lang, float(p)) for lang, p in probs if not candidates or lang in candidates]
        return sorted(scored, key=lambda lp: lp[1], reverse=True)

    def _decode(self, audio: np.ndarray, language: str | None, final: bool, initial_prompt: str | None,
                hotwords: str | None, offset: float) -> Decoded:
        began = time.perf_counter()
        short = self.short_context and len(audio) < 29 * 16000
        _SHORT.enabled = short
        try:
            decoded = self._transcribe(audio, language, final, initial_prompt, hotwords, offset)
            if short and looks_degenerate(" ".join(w.text for w in decoded.words)):
                if final:  # the final must be right: pay for the full window
                    _SHORT.enabled = False
                    decoded = self._transcribe(audio, language, final, initial_prompt, hotwords, offset)
                else:  # a looping partial is dropped; the next one comes half a second later
                    decoded = Decoded((), decoded.language)
        finally:
            _SHORT.enabled = False
        elapsed = time.perf_counter() - began
        metrics.DECODE_SECONDS.labels("final" if final else "partial").observe(elapsed)
        log.debug("decoded %.2f s of audio (%s) in %.3f s", len(audio) / 16000, "final" if final else "partial",
                  elapsed)
        return decoded

    def _transcribe(self, audio: np.ndarray, language: str | None, final: bool, initial_prompt: str | None,
                    hotwords: str | None, offset: float) -> Decoded:
        model: Any = self.model_for(language)
        if not model.model.is_multilingual:
            language = "en"
        segments, info = model.transcribe(
            audio, language=language, beam_size=self.final_beam_size if final else 1,
            best_of=1, temperature=0.0, word_timestamps=True, vad_filter=False,
            condition_on_previous_text=False, initial_prompt=initial_prompt or None,
            hotwords=hotwords or None, without_timestamps=False,
            # Speech carries a few tokens a second; a bound stops a runaway decode early.
            max_new_tokens=min(MAX_NEW_TOKENS, 16 + int(10 * len(audio) / 16000)),
        )
        words: list[Word] = []
        for seg in segments:
            for w in seg.words or ():
                words.append(Word(text=w.word, start=round(offset + float(w.start), 3),
                                  end=round(offset + float(w.end), 3), probability=float(w.probability)))
        return Decoded(tuple(words), info.language)


_DECODERS: dict[int, StreamDecoder] = {}
_DECODERS_LOCK = threading.Lock()


def get_decoder(settings: Settings) -> StreamDecoder:
    """One decoder per settings object (in practice: per process)."""
    with _DECODERS_LOCK:
        decoder = _DECODERS.get(id(settings))
        if decoder is None:
            decoder = _DECODERS[id(settings)] = StreamDecoder(settings)
        return decoder
