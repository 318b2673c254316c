"""Audio event payloads → 16 kHz float32 samples per channel, incrementally.

Each encoding keeps state across chunks (a chunk may end mid-sample, mid-frame or mid-page):
raw codecs (pcm, G.711, G.729) are decoded packet by packet; containers (ogg-opus, flac) are
demuxed by PyAV in a thread reading from a blocking pipe, because a demuxer cannot resume
after hitting a premature end of input. One stateful resampler per stream keeps the output
continuous at chunk boundaries.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import av
import numpy as np

from services.core.errors import BadRequestException

SAMPLE_RATE = 16_000


class _Resampler:
    def __init__(self, channels: int) -> None:
        self.channels = channels
        self._resampler = av.AudioResampler(format="fltp", layout="stereo" if channels == 2 else "mono",
                                            rate=SAMPLE_RATE)

    def __call__(self, frame: av.AudioFrame | None) -> np.ndarray:
        chunks = [f.to_ndarray() for f in self._resampler.resample(frame)]
        if not chunks:
            return np.zeros((self.channels, 0), dtype=np.float32)
        return np.concatenate(chunks, axis=1).astype(np.float32, copy=False)


class AudioDecoder:
    """Base: ``feed`` bytes, ``take`` what has been decoded so far, ``finish`` at end of stream."""

    def __init__(self, channels: int) -> None:
        self.channels = channels
        self._resample = _Resampler(channels)
        self._out: list[np.ndarray] = []
        self._lock = threading.Lock()
        self.error: str | None = None

    def _emit(self, samples: np.ndarray) -> None:
        if samples.shape[1]:
            with self._lock:
                self._out.append(samples)

    def take(self) -> np.ndarray:
        with self._lock:
            out, self._out = self._out, []
        if not out:
            return np.zeros((self.channels, 0), dtype=np.float32)
        return np.concatenate(out, axis=1)

    def feed(self, data: bytes) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Flush everything buffered (may block briefly: call off the event loop for containers)."""
        self._emit(self._resample(None))


class PcmDecoder(AudioDecoder):
    """Signed 16-bit little-endian PCM, channels interleaved (AWS's ``pcm``: no WAV header)."""

    def __init__(self, sample_rate: int, channels: int) -> None:
        super().__init__(channels)
        self.sample_rate = sample_rate
        self._carry = b""
        self._frame_bytes = 2 * channels

    def feed(self, data: bytes) -> None:
        data = self._carry + data
        usable = len(data) - len(data) % self._frame_bytes
        self._carry = data[usable:]
        if not usable:
            return
        samples = np.frombuffer(data[:usable], dtype="<i2").reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="stereo" if self.channels == 2 else "mono")
        frame.sample_rate = self.sample_rate
        self._emit(self._resample(frame))


class CodecDecoder(AudioDecoder):
    """Raw codec payloads with no container: G.711 A-law/µ-law, G.729 (8 kHz mono telephony)."""

    _CODECS = {"g711-alaw": "pcm_alaw", "g711-ulaw": "pcm_mulaw", "g729": "g729"}
    #: Bytes per packet handed to the codec (G.729 frames are 10 bytes; G.711 is one byte a sample).
    _PACKET = {"g729": 10}

    def __init__(self, encoding: str, sample_rate: int) -> None:
        super().__init__(1)
        ctx: Any = av.CodecContext.create(self._CODECS[encoding], "r")
        ctx.sample_rate = sample_rate
        ctx.layout = "mono"
        self._ctx = ctx
        self._packet = self._PACKET.get(encoding, 0)
        self._carry = b""

    def feed(self, data: bytes) -> None:
        data = self._carry + data
        if self._packet:
            usable = len(data) - len(data) % self._packet
            self._carry, data = data[usable:], data[:usable]
        if not data:
            return
        try:
            frames = self._ctx.decode(av.Packet(data))
        except av.FFmpegError as exc:
            raise BadRequestException(f"Your audio could not be decoded as the declared encoding: {exc}") from exc
        for frame in frames:
            self._emit(self._resample(frame))


class _Pipe(io.RawIOBase):
    """A blocking byte pipe: the demuxer thread reads what the event loop writes."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._closed_for_write = False
        self._cond = threading.Condition()

    def readable(self) -> bool:
        return True

    def write_bytes(self, data: bytes) -> None:
        with self._cond:
            self._buf += data
            self._cond.notify_all()

    def close_write(self) -> None:
        with self._cond:
            self._closed_for_write = True
            self._cond.notify_all()

    def readinto(self, b: memoryview) -> int:  # type: ignore[override]
        with self._cond:
            while not self._buf and not self._closed_for_write:
                self._cond.wait()
            n = min(len(b), len(self._buf))
            b[:n] = self._buf[:n]
            del self._buf[:n]
            return n


class ContainerDecoder(AudioDecoder):
    """ogg-opus and flac: demuxed and decoded by PyAV in a background thread."""

    _FORMATS = {"ogg-opus": "ogg", "flac": "flac"}

    def __init__(self, encoding: str, channels: int, notify: Callable[[], None] | None = None) -> None:
        super().__init__(channels)
        self._pipe = _Pipe()
        self._format = self._FORMATS[encoding]
        self._encoding = encoding
        self._notify = notify or (lambda: None)
        self._thread = threading.Thread(target=self._run, name=f"stream-decode-{encoding}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with av.open(self._pipe, mode="r", format=self._format,
                         options={"probesize": "32", "analyzeduration": "0"}) as container:
                stream = container.streams.audio[0]
                for frame in container.decode(stream):
                    self._emit(self._resample(frame))
                    self._notify()
        except (av.FFmpegError, IndexError, ValueError, OSError) as exc:
            self.error = f"Your audio could not be decoded as {self._encoding}: {exc}"
        finally:
            self._pipe.close_write()  # unblock nothing further; drains on error
            self._notify()

    def feed(self, data: bytes) -> None:
        self._pipe.write_bytes(data)

    def finish(self) -> None:
        self._pipe.close_write()
        self._thread.join(30)
        super().finish()

    def abort(self) -> None:
        self._pipe.close_write()


def make_decoder(encoding: str, sample_rate: int, channels: int,
                 notify: Callable[[], None] | None = None) -> AudioDecoder:
    if encoding == "pcm":
        return PcmDecoder(sample_rate, channels)
    if encoding in ContainerDecoder._FORMATS:
        return ContainerDecoder(encoding, channels, notify)
    return CodecDecoder(encoding, sample_rate)
