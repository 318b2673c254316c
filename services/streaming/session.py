"""One streaming transcription session: audio chunks in, partial and final results out.

Per channel: Silero VAD marks speech frame by frame; an utterance opens at speech onset (with a
short pre-roll) and closes after ``endpoint_silence_seconds`` of silence or at
``max_utterance_seconds``. While it is open, the channel's worker re-decodes the utterance so far
every ``partial_interval_seconds`` of new audio (greedy Whisper) and sends a growing partial
result; when it closes, the worker decodes it once more and sends the final result with the same
``ResultId``. A channel has at most one decode in flight, so a slow machine coalesces partials
instead of queueing them, and finals are always sent before the next utterance's partials.

The session never touches the transport: results go to ``out`` (an asyncio queue of events), and
the front end (HTTP/2 or WebSocket) encodes them.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from services.core.errors import AwsError, BadRequestException, InternalFailureException
from services.core.settings import StreamingSettings
from services.streaming import metrics
from services.streaming.audio import SAMPLE_RATE, AudioDecoder, make_decoder
from services.streaming.decoder import FINAL, PARTIAL, StreamDecoder
from services.streaming.params import StreamParams
from services.streaming.registry import ResumeState
from services.streaming.results import (
    Item,
    Stabilizer,
    apply_display_forms,
    build_result,
    items_from_words,
)
from services.streaming.speakers import Embed, SpeakerTracker
from services.streaming.spoken import to_spoken
from services.streaming.vad import FRAME, StreamingVad
from workers.engines.vad import telephone_band
from workers.pipeline import languages

log = logging.getLogger(__name__)

PREROLL = int(0.2 * SAMPLE_RATE)
#: Audio kept after the last speech frame when an utterance closes (word endings are soft).
TAIL = int(0.15 * SAMPLE_RATE)
#: Speech shorter than this never produces a partial (Whisper guesses words in a blip).
MIN_PARTIAL_SPEECH = int(0.3 * SAMPLE_RATE)
#: No new partial once the speaker has been quiet this long: the utterance is probably ending, and
#: a decode started now would only delay its final.
QUIET_FOR_PARTIAL = 4 * FRAME
#: Seconds of sound (samples above the floor) a 16 kHz stream is judged on for telephone band;
#: workers.engines.vad.telephone_band looks at the loudest 30 % of them.
BAND_PROBE_SECONDS = 3
BAND_PROBE_FLOOR = 0.003

#: Stages after recognition: items in, (items, entities or None) out. One call each.
PostProcess = Callable[[list[Item]], tuple[list[Item], list[dict[str, Any]] | None]]


@dataclass
class Vocabulary:
    """What a custom vocabulary contributes to recognition and display."""

    hotwords: str = ""
    #: (lower-cased words, DisplayAs) pairs.
    display: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    #: A trained custom language model's prompt (LanguageModelName).
    initial_prompt: str = ""
    #: Words of the named vocabulary filter(s) (VocabularyFilterName).
    filter_words: list[str] = field(default_factory=list)


@dataclass
class Utterance:
    result_id: str
    start: int
    end: int | None = None
    #: Absolute sample where the newest partial's audio ended.
    partial_upto: int = 0
    #: Monotonic arrival time of the audio holding the last speech frame seen.
    speech_arrival: float = 0.0
    sent_partial: bool = False
    stabilizer: Stabilizer | None = None
    language: str | None = None


class ChannelRecognizer:
    def __init__(self, session: StreamSession, index: int) -> None:
        self.session = session
        self.index = index
        self.channel_id = f"ch_{index}" if session.params.enable_channel_identification else None
        self.vad = StreamingVad()
        #: Telephone-band audio (300-3400 Hz), where Silero's speech probabilities run low, gets a
        #: lower threshold: 8 kHz streams from the start; other streams once their first seconds
        #: of sound turn out to carry nothing above the band (a call a phone system resampled).
        cfg = session.cfg
        narrow = session.params.sample_rate <= 8000
        self.vad_threshold = cfg.telephone_vad_threshold if narrow else cfg.vad_threshold
        self.band_probe: list[np.ndarray] | None = None if narrow else []
        self.band_probe_samples = 0
        self.buffer = np.zeros(0, dtype=np.float32)
        self.buffer_start = 0  # absolute sample index of buffer[0]
        self.total = 0
        self.vad_done = 0  # samples judged by the VAD
        self.in_speech = False
        self.last_speech_end = 0
        self.current: Utterance | None = None
        self.finals: deque[Utterance] = deque()
        self.arrivals: deque[tuple[int, float]] = deque()  # (end sample, arrival time)
        self.wake = asyncio.Event()
        self.ending = False

    # ------------------------------------------------------------------ audio and endpointing

    def _probe_band(self, samples: np.ndarray) -> None:
        """Collect the stream's first seconds of sound; once there are enough, decide whether it
        is telephone band (``workers.engines.vad.telephone_band``) and stop looking."""
        assert self.band_probe is not None
        if not len(samples) or float(np.abs(samples).max()) < BAND_PROBE_FLOOR:
            return  # silence tells nothing about the band
        self.band_probe.append(samples)
        self.band_probe_samples += len(samples)
        if self.band_probe_samples < BAND_PROBE_SECONDS * SAMPLE_RATE:
            return
        if telephone_band(np.concatenate(self.band_probe)):
            self.vad_threshold = self.session.cfg.telephone_vad_threshold
        self.band_probe = None

    def push(self, samples: np.ndarray, arrival: float) -> None:
        cfg = self.session.cfg
        if self.band_probe is not None:
            self._probe_band(samples)
        self.buffer = np.concatenate([self.buffer, samples])
        self.total += len(samples)
        self.arrivals.append((self.total, arrival))
        silence_needed = int(cfg.endpoint_silence_seconds * SAMPLE_RATE)
        max_len = int(cfg.max_utterance_seconds * SAMPLE_RATE)
        threshold = self.vad_threshold
        stay = max(0.15, threshold - 0.15)
        for prob in self.vad.push(samples):
            frame_start = self.vad_done
            self.vad_done += FRAME
            speech = prob >= (stay if self.in_speech else threshold)
            if speech:
                if self.current is None:
                    start = max(self.buffer_start, frame_start - PREROLL)
                    self.current = Utterance(str(uuid.uuid4()), start, partial_upto=start)
                    if self.session.stability:
                        self.current.stabilizer = Stabilizer(self.session.stability)
                self.in_speech = True
                self.last_speech_end = self.vad_done
                self.current.speech_arrival = arrival
            elif self.in_speech and self.vad_done - self.last_speech_end >= silence_needed:
                self.in_speech = False
                self._close(min(self.total, self.last_speech_end + TAIL))
            if self.current is not None and self.vad_done - self.current.start >= max_len:
                cut = self.vad_done
                self._close(cut)
                if self.in_speech:
                    self.current = Utterance(str(uuid.uuid4()), cut, partial_upto=cut, speech_arrival=arrival)
                    if self.session.stability:
                        self.current.stabilizer = Stabilizer(self.session.stability)
        self._trim()
        self.wake.set()

    def _close(self, end: int) -> None:
        if self.current is None:
            return
        self.current.end = end
        self.finals.append(self.current)
        self.current = None

    def end_of_audio(self) -> None:
        if self.current is not None:
            self.current.speech_arrival = self.current.speech_arrival or time.monotonic()
            self._close(min(self.total, max(self.last_speech_end + TAIL, self.current.start)))
        self.ending = True
        self.wake.set()

    def _trim(self) -> None:
        keep_from = self.total - PREROLL - FRAME
        for u in (*self.finals, self.current):
            if u is not None:
                keep_from = min(keep_from, u.start)
        if keep_from > self.buffer_start:
            self.buffer = self.buffer[keep_from - self.buffer_start:]
            self.buffer_start = keep_from
        while len(self.arrivals) > 1 and self.arrivals[1][0] <= keep_from:
            self.arrivals.popleft()

    def _audio(self, start: int, end: int) -> np.ndarray:
        return self.buffer[max(0, start - self.buffer_start):max(0, end - self.buffer_start)]

    def _arrival_of(self, sample: int) -> float:
        for end, when in self.arrivals:
            if end >= sample:
                return when
        return self.arrivals[-1][1] if self.arrivals else time.monotonic()

    # ------------------------------------------------------------------ decoding worker

    async def run(self) -> None:
        try:
            await self._run()
        except AwsError as exc:  # ends this stream with an exception event, never the server
            self.session.fail(exc)
            raise

    async def _run(self) -> None:
        cfg = self.session.cfg
        interval = int(cfg.partial_interval_seconds * SAMPLE_RATE)
        while True:
            if self.finals:
                await self._final(self.finals.popleft())
                continue
            u = self.current
            if (u is not None and self.last_speech_end - u.start >= MIN_PARTIAL_SPEECH
                    and self.total - u.partial_upto >= interval
                    and self.vad_done - self.last_speech_end <= QUIET_FOR_PARTIAL):
                await self._partial(u)
                continue
            if self.ending:
                return
            self.wake.clear()
            await self.wake.wait()

    async def _partial(self, u: Utterance) -> None:
        async with self.session.decoder.slot(PARTIAL):
            if u.end is not None:  # closed while waiting: decode its final instead, sooner
                return
            upto = self.total  # the newest audio: it may have grown while waiting for the slot
            audio = self._audio(u.start, upto)
            arrival = self._arrival_of(upto)
            u.partial_upto = upto
            decoded = await self.session.decode(audio, u, final=False, offset=u.start / SAMPLE_RATE)
        # If the utterance closed during the decode, this partial still goes out: the worker sends
        # the final next, so the order holds, and a slow machine still shows progress.
        items = items_from_words(decoded.words)
        if not items:
            return
        await self.session.emit(self, u, items, partial=True, end=upto)
        u.sent_partial = True
        metrics.PARTIAL_LATENCY.observe(time.monotonic() - arrival)

    async def _final(self, u: Utterance) -> None:
        assert u.end is not None
        audio = self._audio(u.start, u.end)
        async with self.session.decoder.slot(FINAL):
            await self.session.identify(self, u, audio)
            decoded = await self.session.decode(audio, u, final=True, offset=u.start / SAMPLE_RATE)
        items = items_from_words(decoded.words)
        if items or u.sent_partial:
            if self.session.speakers is not None and items:
                # the encoder runs off the event loop (an LSTM pass: tens of ms per utterance)
                vec = await asyncio.get_running_loop().run_in_executor(None, self.session.speakers.embed, audio)
                speaker = self.session.speakers.assign(vec)
                items = [{**it, "Speaker": speaker} for it in items]
            await self.session.emit(self, u, items, partial=False, end=u.end)
            metrics.FINAL_LATENCY.observe(time.monotonic() - u.speech_arrival)


class StreamSession:
    """The recognition side of one StartStreamTranscription stream."""

    def __init__(
        self,
        params: StreamParams,
        cfg: StreamingSettings,
        decoder: StreamDecoder,
        *,
        vocabulary: Vocabulary | None = None,
        post_process: Sequence[PostProcess] = (),
        resume: ResumeState | None = None,
        speaker_embedder: tuple[Embed, float] | None = None,
    ) -> None:
        self.params = params
        self.cfg = cfg
        self.decoder = decoder
        self.vocabulary = vocabulary or Vocabulary()
        self.post_process = list(post_process)
        self.stability = params.partial_results_stability if params.enable_partial_results_stabilization else None
        self.speakers: SpeakerTracker | None = None
        if params.show_speaker_label:
            self.speakers = SpeakerTracker(*speaker_embedder) if speaker_embedder else SpeakerTracker()
        self.out: asyncio.Queue[dict[str, Any] | AwsError | None] = asyncio.Queue()
        self.channels = [ChannelRecognizer(self, i) for i in range(params.channels)]
        self._loop = asyncio.get_running_loop()
        self._audio: AudioDecoder = make_decoder(params.media_encoding, params.sample_rate, params.channels,
                                                 notify=self._decoded_ready)
        self._workers = [asyncio.create_task(ch.run()) for ch in self.channels]
        self.audio_seconds = 0.0
        # language state shared by the channels
        self.fixed_language = languages.to_whisper(params.language_code) if params.language_code else None
        self.identified: str | None = None
        self.identification: list[tuple[str, float]] | None = None
        self._identify_audio: list[np.ndarray] = []
        #: Stream time where this connection's audio starts: 0, or where a resumed session left off.
        self.time_offset = resume.offset if resume else 0.0
        if resume is not None:
            if params.identify_language and resume.language:
                self.identified, self.identification = resume.language, resume.language_scores
            if self.speakers is not None and resume.speakers:
                self.speakers.restore(resume.speakers, resume.speaker_counts)

    def resume_state(self, previous: ResumeState) -> ResumeState:
        """The state a later connection to this session continues from (SessionResumeWindow)."""
        state = replace(previous, offset=round(self.time_offset + self.audio_seconds, 3))
        if self.params.identify_language and self.identified:
            state.language, state.language_scores = self.identified, self.identification
        if self.speakers is not None:
            state.speakers, state.speaker_counts = self.speakers.export()
        return state

    # ------------------------------------------------------------------ audio in

    def _decoded_ready(self) -> None:
        self._loop.call_soon_threadsafe(self._drain)

    def feed(self, data: bytes) -> None:
        """An AudioEvent payload arrived (may be any length, need not align to samples)."""
        if not data:
            return
        self._audio.feed(data)
        self._drain()

    def _drain(self) -> None:
        if self._audio.error:
            self.fail(BadRequestException(self._audio.error))
            return
        samples = self._audio.take()
        if samples.shape[1] == 0:
            return
        now = time.monotonic()
        self.audio_seconds += samples.shape[1] / SAMPLE_RATE
        metrics.AUDIO_SECONDS.inc(samples.shape[1] / SAMPLE_RATE)
        for i, channel in enumerate(self.channels):
            channel.push(samples[min(i, samples.shape[0] - 1)], now)

    async def finish(self) -> None:
        """End of audio: flush the decoder, finalise open utterances, wait for every result."""
        await self._loop.run_in_executor(None, self._audio.finish)
        self._drain()
        for channel in self.channels:
            channel.end_of_audio()
        await asyncio.gather(*self._workers)
        await self.out.put(None)

    def fail(self, error: AwsError) -> None:
        self.out.put_nowait(error)

    def cancel(self) -> None:
        """The client went away: stop decoding at once and free everything."""
        for task in self._workers:
            task.cancel()
        abort = getattr(self._audio, "abort", None)
        if abort is not None:
            abort()

    def worker_failed(self) -> BaseException | None:
        for task in self._workers:
            if task.done() and not task.cancelled() and task.exception() is not None:
                return task.exception()
        return None

    # ------------------------------------------------------------------ recognition helpers

    def decode_language(self, u: Utterance) -> str | None:
        if self.fixed_language:
            return self.fixed_language
        if u.language:
            return u.language
        if self.identified:
            return languages.to_whisper(self.identified)
        if self.params.preferred_language:
            return languages.to_whisper(self.params.preferred_language)
        return None

    async def decode(self, audio: np.ndarray, u: Utterance, *, final: bool, offset: float) -> Any:
        try:
            return await self.decoder.decode(audio, language=self.decode_language(u), final=final,
                                             offset=self.time_offset + offset,
                                             hotwords=self.vocabulary.hotwords or None,
                                             initial_prompt=self.vocabulary.initial_prompt or None)
        except Exception as exc:  # a model failure ends this stream, never the server
            log.exception("streaming decode failed")
            raise InternalFailureException("An internal error occurred while transcribing your audio.") from exc

    async def identify(self, channel: ChannelRecognizer, u: Utterance, audio: np.ndarray) -> None:
        """IdentifyLanguage settles on the first utterances; IdentifyMultipleLanguages judges each one."""
        p = self.params
        if not (p.identify_language or p.identify_multiple_languages):
            return
        if p.identify_language and self.identified is not None:
            return
        sample = audio
        if p.identify_language:
            self._identify_audio.append(audio)
            sample = np.concatenate(self._identify_audio)[-30 * SAMPLE_RATE:]
            if len(sample) < 2 * SAMPLE_RATE and not channel.ending:
                return  # too little speech to judge yet; partials keep the preferred language
        candidates = languages.candidates(p.language_options)
        scored = await self.decoder.detect_language(sample, candidates)
        ranked = languages.identification(scored, p.language_options)
        if not ranked:
            ranked = [(p.preferred_language or p.language_options[0], 1.0)]
        if p.preferred_language and len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 0.05:
            ranked.sort(key=lambda cs: cs[0] != p.preferred_language)
        self.identification = ranked
        if p.identify_language:
            self.identified = ranked[0][0]
        else:
            u.language = languages.to_whisper(ranked[0][0])
            self.identified = ranked[0][0]

    async def emit(self, channel: ChannelRecognizer, u: Utterance, items: list[Item], *, partial: bool,
                   end: int) -> None:
        if u.stabilizer is not None:
            items = u.stabilizer.apply(items, final=not partial)
        items = apply_display_forms(items, self.vocabulary.display)
        if self.params.transcript_format == "spoken":
            items = to_spoken(items, self.decode_language(u))
        entities: list[dict[str, Any]] | None = None
        for stage in self.post_process:
            items, found = stage(items)
            if found is not None:
                entities = found
        language_code = self.params.language_code or self.identified
        t0 = self.time_offset
        result = build_result(
            u.result_id, items, partial=partial, start=t0 + u.start / SAMPLE_RATE, end=t0 + end / SAMPLE_RATE,
            channel_id=channel.channel_id, language_code=language_code,
            language_identification=self.identification if self.identified else None, entities=entities,
        )
        await self.out.put({"Transcript": {"Results": [result]}})
