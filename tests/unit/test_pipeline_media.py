"""Media probing, validation and decoding: real files in every AWS format, and bad media generated
here, each failing with AWS's exact FailureReason."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pytest

from workers.pipeline import failures, media
from workers.pipeline.contract import MediaError

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"


def tone(seconds: float, rate: int, channels: int = 1) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    rows = [0.3 * np.sin(2 * np.pi * (220 + 110 * ch) * t) for ch in range(channels)]
    return np.stack(rows).astype(np.float32)


def write_wav(path: Path, seconds: float = 1.0, rate: int = 16_000, channels: int = 1) -> Path:
    samples = (tone(seconds, rate, channels).T * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def write_av(
    path: Path, fmt: str, codec: str, seconds: float = 1.0, rate: int = 16_000, channels: int = 1
) -> Path:
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), "w", format=fmt) as c:
        stream = c.add_stream(codec, rate=rate, layout=layout)
        assert isinstance(stream, av.AudioStream)
        data = tone(seconds, rate, channels)
        step = 1024
        for i in range(0, data.shape[1], step):
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(data[:, i : i + step]), format="fltp", layout=layout
            )
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                c.mux(packet)
        for packet in stream.encode(None):
            c.mux(packet)
    return path


def reason(path: Path, **kwargs: object) -> str:
    with pytest.raises(MediaError) as err:
        media.load(path, **kwargs)  # type: ignore[arg-type]
    return err.value.reason


# ---------------------------------------------------------------- the shipped test audio


@pytest.mark.parametrize(
    ("name", "fmt", "rate"),
    [
        ("en-gb.wav", "wav", 22050),
        ("en-gb.flac", "flac", 22050),
        ("en-gb.mp3", "mp3", 22050),
        ("en-gb.mp4", "mp4", 22050),
        ("en-gb.ogg", "ogg", 22050),
        ("en-gb.webm", "webm", 48000),
        ("en-gb.amr", "amr", 8000),
        ("en-us_video.mp4", "mp4", 16000),
        ("multi-speaker.wav", "wav", 48000),
    ],
)
def test_shipped_formats_probe_and_decode(name: str, fmt: str, rate: int) -> None:
    info, audio = media.load(AUDIO / name)
    assert (info.media_format, info.sample_rate, info.channels) == (fmt, rate, 1)
    assert audio.sample_rate == 16_000 and audio.channels.dtype == np.float32
    assert audio.channels.shape[0] == 1
    assert info.duration_seconds is not None
    assert abs(audio.duration_seconds - info.duration_seconds) < 0.35
    assert 0.01 < float(np.abs(audio.mono).max()) <= 1.5  # real signal, not silence or garbage


def test_video_container_is_probed_by_its_audio_track() -> None:
    info = media.probe(AUDIO / "en-us_video.mp4")
    assert info.has_video and info.codec == "aac"


def test_matroska_that_is_not_webm_is_unsupported() -> None:
    assert reason(AUDIO / "en-us_video.mkv") == failures.UNSUPPORTED_MEDIA_FORMAT


def test_requested_format_and_rate_that_match_pass() -> None:
    info, _ = media.load(AUDIO / "en-gb.flac", requested_format="flac", requested_sample_rate=22050)
    assert info.media_format == "flac"


# ---------------------------------------------------------------- request vs. media


@pytest.mark.parametrize(
    ("name", "requested"),
    [("en-gb.wav", "mp3"), ("en-gb.ogg", "webm"), ("en-gb.mp3", "mp4"), ("en-gb.amr", "wav")],
)
def test_format_mismatch(name: str, requested: str) -> None:
    assert reason(AUDIO / name, requested_format=requested) == failures.MEDIA_FORMAT_MISMATCH


def test_mp4_and_m4a_are_one_family(tmp_path: Path) -> None:
    m4a = write_av(tmp_path / "a.m4a", "ipod", "aac")
    assert media.probe(m4a).media_format == "m4a"
    media.load(m4a, requested_format="mp4")
    media.load(AUDIO / "en-gb.mp4", requested_format="m4a")


def test_requested_format_outside_the_enum_is_unsupported() -> None:
    assert reason(AUDIO / "en-gb.wav", requested_format="aiff") == failures.UNSUPPORTED_MEDIA_FORMAT


def test_sample_rate_mismatch() -> None:
    assert reason(AUDIO / "en-gb.wav", requested_sample_rate=16000) == failures.SAMPLE_RATE_MISMATCH


@pytest.mark.parametrize("rate", [7999, 48001, 96000])
def test_requested_sample_rate_out_of_range(rate: int) -> None:
    assert reason(AUDIO / "en-gb.wav", requested_sample_rate=rate) == failures.INVALID_SAMPLE_RATE


# ---------------------------------------------------------------- media AWS refuses


@pytest.mark.parametrize("rate", [96_000, 4_000])
def test_detected_sample_rate_out_of_range(tmp_path: Path, rate: int) -> None:
    path = write_wav(tmp_path / "x.wav", seconds=0.5, rate=rate)
    assert reason(path) == failures.INVALID_SAMPLE_RATE


def test_three_channels(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "3ch.wav", channels=3)
    assert reason(path) == failures.TOO_MANY_CHANNELS


def test_longer_than_the_limit(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "long.wav", seconds=3.0)
    assert reason(path, max_seconds=2.0) == failures.FILE_TOO_LARGE
    media.load(path, max_seconds=3.5)


def test_length_is_enforced_while_decoding_when_the_header_hides_it(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "long.wav", seconds=4.0)
    info = media.probe(path)
    with pytest.raises(MediaError) as err:
        media.decode(path, info, max_seconds=1.0)
    assert err.value.reason == failures.FILE_TOO_LARGE


def test_larger_than_two_gigabytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(failures, "MAX_MEDIA_BYTES", 1000)
    path = write_wav(tmp_path / "big.wav", seconds=1.0)
    assert reason(path) == failures.FILE_TOO_LARGE


@pytest.mark.parametrize("content", [b"", b"this is not media at all\n" * 40, bytes(range(256)) * 64])
def test_empty_or_garbage_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    assert reason(path) == failures.UNSUPPORTED_MEDIA_FORMAT


def test_missing_file(tmp_path: Path) -> None:
    assert reason(tmp_path / "nope.mp3") == failures.UNSUPPORTED_MEDIA_FORMAT


def test_truncated_header(tmp_path: Path) -> None:
    path = tmp_path / "cut.flac"
    path.write_bytes((AUDIO / "en-gb.flac").read_bytes()[:30])
    assert reason(path) == failures.UNSUPPORTED_MEDIA_FORMAT


def test_wav_header_without_samples(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "empty.wav", seconds=0.0)
    assert reason(path) == failures.UNSUPPORTED_MEDIA_FORMAT


def test_video_without_audio(tmp_path: Path) -> None:
    path = tmp_path / "silent-film.mp4"
    with av.open(str(path), "w") as c:
        stream = c.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for _ in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                c.mux(packet)
        for packet in stream.encode(None):
            c.mux(packet)
    assert reason(path) == failures.UNSUPPORTED_MEDIA_FORMAT


def test_container_outside_the_aws_list(tmp_path: Path) -> None:
    path = write_av(tmp_path / "a.aac", "adts", "aac")
    assert reason(path) == failures.UNSUPPORTED_MEDIA_FORMAT


# ---------------------------------------------------------------- decoding


def test_stereo_keeps_channels_apart(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "st.wav", seconds=1.0, rate=44_100, channels=2)
    info, audio = media.load(path)
    assert info.channels == 2
    assert audio.channels.shape == (2, 16_000)
    left, right = audio.channel(0), audio.channel(1)
    assert not np.allclose(left, right)
    assert np.allclose(audio.mono, (left + right) / 2, atol=1e-6)


def test_webm_doctype_is_read_from_the_header(tmp_path: Path) -> None:
    webm = write_av(tmp_path / "a.webm", "webm", "libopus", rate=48_000)
    mkv = write_av(tmp_path / "a.mkv", "matroska", "libopus", rate=48_000)
    assert media.probe(webm).media_format == "webm"
    assert reason(mkv) == failures.UNSUPPORTED_MEDIA_FORMAT


@pytest.mark.parametrize(
    ("fmt", "codec", "name"),
    [("ogg", "libopus", "a.opus.ogg"), ("flac", "flac", "a.flac"), ("mp3", "libmp3lame", "a.mp3")],
)
def test_generated_stereo_in_other_containers(tmp_path: Path, fmt: str, codec: str, name: str) -> None:
    rate = 48_000 if codec == "libopus" else 16_000
    path = write_av(tmp_path / name, fmt, codec, seconds=1.0, rate=rate, channels=2)
    info, audio = media.load(path)
    assert info.channels == 2 and audio.channels.shape[0] == 2
    assert abs(audio.duration_seconds - 1.0) < 0.1
