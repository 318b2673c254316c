"""Probe, validate and decode a media file the way Amazon Transcribe accepts or refuses it.

Bad media must fail the job at once with AWS's FailureReason (``failures``), never with a
traceback, so every PyAV error is turned into a ``MediaError`` here and nowhere else.

Format policy (AWS's batch list is AMR, FLAC, M4A, MP3, MP4, Ogg, WebM, WAV — see ``failures``):

* ISO base media files (``.mp4``, ``.m4a``, ``.mov``, ``.3gp``; audio-only or video) are one
  container family to ffmpeg and to AWS's MP4/M4A support: detected as ``m4a`` when the major brand
  says so, otherwise ``mp4``; a request for either of the two matches the other.
* Matroska is accepted only with the WebM DocType; a plain ``.mkv`` is not among AWS's formats and
  fails with "Unsupported media format".
* Everything else ffmpeg could read (raw AAC, AIFF, WMA, …) fails the same way, so a job that fails
  on AWS also fails here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from workers.pipeline import failures
from workers.pipeline.contract import MediaError

#: Whisper's input rate.
TARGET_RATE = 16_000

#: AWS MediaFormat values (botocore enum ``MediaFormat``).
AWS_MEDIA_FORMATS = ("mp3", "mp4", "wav", "flac", "ogg", "amr", "webm", "m4a")

#: Formats that are the same container to a decoder: asking for one and sending the other is fine.
_FAMILY = {"mp4": "isobmff", "m4a": "isobmff"}

#: Corrupt packets tolerated before a file counts as undecodable.
_MAX_BAD_PACKETS = 50


@dataclass(frozen=True)
class MediaInfo:
    """What probing found; ``media_format`` is the AWS MediaFormat value."""

    media_format: str
    container: str
    codec: str
    sample_rate: int
    channels: int
    #: From the container header; None when the header does not say (decoding measures it).
    duration_seconds: float | None
    has_video: bool
    size_bytes: int


@dataclass(frozen=True)
class DecodedAudio:
    """16 kHz float32 samples, one row per source channel (channel identification needs rows)."""

    channels: np.ndarray
    sample_rate: int = TARGET_RATE

    @property
    def mono(self) -> np.ndarray:
        if self.channels.shape[0] == 1:
            return self.channels[0]
        return np.ascontiguousarray(self.channels.mean(axis=0, dtype=np.float32))

    def channel(self, index: int) -> np.ndarray:
        return self.channels[index]

    @property
    def duration_seconds(self) -> float:
        return self.channels.shape[1] / self.sample_rate


def probe(path: Path) -> MediaInfo:
    """Read the container header only; cheap enough to run before any model is touched."""
    size = _file_size(path)
    try:
        container = av.open(str(path), mode="r")
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(failures.UNSUPPORTED_MEDIA_FORMAT) from exc
    with container:
        if not container.streams.audio:
            raise MediaError(failures.UNSUPPORTED_MEDIA_FORMAT)
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        media_format = _aws_format(container, path)
        if media_format is None:
            raise MediaError(failures.UNSUPPORTED_MEDIA_FORMAT)
        duration: float | None = None
        if container.duration is not None and container.duration > 0:
            duration = container.duration / av.time_base
        elif stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        return MediaInfo(
            media_format=media_format,
            container=container.format.name,
            codec=ctx.name,
            sample_rate=int(ctx.sample_rate or 0),
            channels=int(ctx.channels or 0),
            duration_seconds=duration,
            has_video=bool(container.streams.video),
            size_bytes=size,
        )


def check(
    info: MediaInfo,
    *,
    requested_format: str | None = None,
    requested_sample_rate: int | None = None,
    max_seconds: float = failures.MAX_MEDIA_SECONDS,
) -> None:
    """Apply AWS's request-vs-media rules; the order puts the cheapest, surest verdicts first."""
    if info.size_bytes > failures.MAX_MEDIA_BYTES:
        raise MediaError(failures.FILE_TOO_LARGE)
    if requested_format is not None:
        fmt = requested_format.lower()
        if fmt not in AWS_MEDIA_FORMATS:
            raise MediaError(failures.UNSUPPORTED_MEDIA_FORMAT)
        if _FAMILY.get(fmt, fmt) != _FAMILY.get(info.media_format, info.media_format):
            raise MediaError(failures.MEDIA_FORMAT_MISMATCH)
    if info.channels > failures.MAX_CHANNELS:
        raise MediaError(failures.TOO_MANY_CHANNELS)
    if info.channels < 1:
        raise MediaError(failures.UNSUPPORTED_MEDIA_FORMAT)
    if requested_sample_rate is not None and not _rate_ok(requested_sample_rate):
        raise MediaError(failures.INVALID_SAMPLE_RATE)
    if not _rate_ok(info.sample_rate):
        raise MediaError(failures.INVALID_SAMPLE_RATE)
    if requested_sample_rate is not None and requested_sample_rate != info.sample_rate:
        raise MediaError(failures.SAMPLE_RATE_MISMATCH)
    if info.duration_seconds is not None and info.duration_seconds > max_seconds:
        raise MediaError(failures.FILE_TOO_LARGE)


def decode(path: Path, info: MediaInfo, *, max_seconds: float = failures.MAX_MEDIA_SECONDS) -> DecodedAudio:
    """Decode the first audio track to 16 kHz float32, keeping the source channels apart.

    Corrupt packets are skipped (as ffmpeg's command line does) up to a limit; a file whose header
    hid its length is cut off as soon as it proves longer than ``max_seconds``.
    """
    layout = "mono" if info.channels == 1 else "stereo"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=TARGET_RATE)
    n_channels = 1 if info.channels == 1 else 2
    chunks: list[np.ndarray] = []
    total = 0
    limit = int((max_seconds + 1.0) * TARGET_RATE)
    bad = 0
    try:
        with av.open(str(path), mode="r") as container:
            stream = container.streams.audio[0]
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except av.FFmpegError:
                    bad += 1
                    if bad > _MAX_BAD_PACKETS:
                        raise
                    continue
                for frame in frames:
                    for out in resampler.resample(frame):
                        arr = out.to_ndarray()
                        chunks.append(arr)
                        total += arr.shape[1]
                if total > limit:
                    raise MediaError(failures.FILE_TOO_LARGE)
            for out in resampler.resample(None):
                arr = out.to_ndarray()
                chunks.append(arr)
                total += arr.shape[1]
    except MediaError:
        raise
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(failures.UNSUPPORTED_MEDIA_FORMAT) from exc
    if total == 0:
        raise MediaError(failures.UNSUPPORTED_MEDIA_FORMAT)
    samples = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    if samples.shape[0] != n_channels:  # pragma: no cover - resampler honours the layout
        samples = samples[:n_channels]
    if samples.shape[1] / TARGET_RATE > max_seconds:
        raise MediaError(failures.FILE_TOO_LARGE)
    return DecodedAudio(channels=np.ascontiguousarray(samples))


def load(
    path: Path,
    *,
    requested_format: str | None = None,
    requested_sample_rate: int | None = None,
    max_seconds: float = failures.MAX_MEDIA_SECONDS,
) -> tuple[MediaInfo, DecodedAudio]:
    """Probe, check and decode in the one order the pipeline needs."""
    info = probe(path)
    check(info, requested_format=requested_format, requested_sample_rate=requested_sample_rate,
          max_seconds=max_seconds)
    return info, decode(path, info, max_seconds=max_seconds)


def _file_size(path: Path) -> int:
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise MediaError(failures.UNSUPPORTED_MEDIA_FORMAT) from exc
    if size == 0:
        raise MediaError(failures.UNSUPPORTED_MEDIA_FORMAT)
    return size


def _rate_ok(rate: int) -> bool:
    return failures.MIN_SAMPLE_RATE <= rate <= failures.MAX_SAMPLE_RATE


def _aws_format(container: av.container.InputContainer, path: Path) -> str | None:
    names = set(container.format.name.split(","))
    if "wav" in names:
        return "wav"
    if "flac" in names:
        return "flac"
    if "mp3" in names:
        return "mp3"
    if "ogg" in names:
        return "ogg"
    if names & {"amr", "amrnb", "amrwb"}:
        return "amr"
    if "mov" in names or "mp4" in names:
        brand = str(container.metadata.get("major_brand", "")).strip().lower()
        return "m4a" if brand in ("m4a", "m4b") else "mp4"
    if "matroska" in names or "webm" in names:
        return "webm" if _ebml_doctype(path) == "webm" else None
    return None


def _ebml_doctype(path: Path) -> str | None:
    """Matroska and WebM share one ffmpeg demuxer; only the EBML header's DocType tells them apart."""
    with open(path, "rb") as fh:
        head = fh.read(256)
    at = head.find(b"\x42\x82")
    if at < 0 or at + 3 > len(head):
        return None
    first = head[at + 2]
    width = 1
    while width <= 8 and not first & (0x80 >> (width - 1)):
        width += 1
    if width > 8:
        return None
    size = first & (0xFF >> width)
    for b in head[at + 3 : at + 2 + width]:
        size = (size << 8) | b
    start = at + 2 + width
    return head[start : start + size].rstrip(b"\x00").decode("ascii", "replace").lower()
