"""Model resolution, device choice and (slow) real transcription with the packaged tiny.en model."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from workers.engines import whisper
from workers.pipeline.contract import JobOptions
from workers.pipeline.run import transcribe_media

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
REFERENCE = (
    "Hello, my name is Stephen Fry, I was born in London, and I've been in the entertainment "
    "business since, well I suppose about 1981."
)


def test_packaged_tiny_en_resolves_to_a_complete_folder(tmp_path: Path) -> None:
    folder = whisper.resolve_model_path("tiny.en", tmp_path)
    assert all((folder / f).is_file() for f in whisper.REQUIRED_FILES)
    assert whisper.resolve_model_path(str(folder), tmp_path) == folder


def test_base_is_joined_once_into_the_cache(tmp_path: Path) -> None:
    folder = whisper.resolve_model_path("base", tmp_path)
    assert folder == tmp_path / "whisper-base"
    model = folder / "model.bin"
    size, mtime = model.stat().st_size, model.stat().st_mtime_ns
    assert size > 100_000_000
    assert (folder / "tokenizer.json").is_file() and (folder / "config.json").is_file()
    assert whisper.resolve_model_path("base", tmp_path) == folder
    assert model.stat().st_mtime_ns == mtime  # not joined again
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".whisper-base-")]


def test_broken_leftover_join_is_replaced(tmp_path: Path) -> None:
    leftover = tmp_path / "whisper-base"
    leftover.mkdir()
    (leftover / "model.bin").write_bytes(b"half")
    folder = whisper.resolve_model_path("base", tmp_path)
    assert (folder / "model.bin").stat().st_size > 100_000_000


def test_unknown_names_and_incomplete_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(whisper.ModelNotFoundError):
        whisper.resolve_model_path("large-v3", tmp_path)  # would be a hub download
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "model.bin").write_bytes(b"x")
    (tmp_path / "m" / "config.json").write_text("{}")
    with pytest.raises(whisper.ModelNotFoundError, match=r"tokenizer\.json"):
        whisper.resolve_model_path(str(tmp_path / "m"), tmp_path)


def test_device_and_compute_type(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    assert whisper.pick_device("auto") == "cpu"
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 2)
    assert whisper.pick_device("auto") == "cuda"
    assert whisper.pick_device("cpu") == "cpu"
    assert whisper.pick_compute_type("auto", "cpu") == "int8"
    assert whisper.pick_compute_type("auto", "cuda") == "float16"
    assert whisper.pick_compute_type("int8_float16", "cuda") == "int8_float16"


def test_language_override_picks_another_model(tmp_path: Path) -> None:
    rec = whisper.WhisperRecognizer(
        model="tiny.en", cache_dir=tmp_path, language_models={"de": "nowhere"}, device="cpu"
    )
    with pytest.raises(whisper.ModelNotFoundError):
        rec.model_for("de")


def test_batched_pipeline_only_for_long_audio_with_vad(tmp_path: Path) -> None:
    rec = whisper.WhisperRecognizer(model="tiny.en", cache_dir=tmp_path, device="cpu", batch_size=8,
                                    batch_min_seconds=60)
    assert not rec.uses_batches(59.9) and rec.uses_batches(60) and rec.uses_batches(4 * 3600)
    rec.vad_filter = False  # without VAD the pipeline cannot cut the audio into chunks
    assert not rec.uses_batches(600)
    rec.vad_filter, rec.batch_size = True, 0
    assert not rec.uses_batches(600)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def overlap(hyp: str, ref: str) -> float:
    ref_words, hyp_words = words(ref), words(hyp)
    pool = list(hyp_words)
    hits = 0
    for w in ref_words:
        if w in pool:
            pool.remove(w)
            hits += 1
    return hits / len(ref_words)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> whisper.WhisperRecognizer:
    return whisper.WhisperRecognizer(
        model="tiny.en",
        cache_dir=tmp_path_factory.mktemp("models"),
        device="cpu",
        compute_type="auto",
        cpu_threads=1,
        beam_size=5,
        vad_filter=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["en-gb.wav", "en-gb.mp3"])
def test_tiny_en_transcribes_the_clip(tiny: whisper.WhisperRecognizer, name: str) -> None:
    opts = JobOptions(
        job_name="slow", account_id="111122223333", language_code="en-GB", subtitle_formats=("srt",)
    )
    started = time.monotonic()
    result = transcribe_media(AUDIO / name, opts, engine=tiny)
    elapsed = time.monotonic() - started
    print(
        f"{name}: {result.duration_seconds:.1f} s audio in {elapsed:.2f} s "
        f"({result.duration_seconds / elapsed:.1f}x real time)"
    )
    text = result.transcript["results"]["transcripts"][0]["transcript"]
    assert overlap(text, REFERENCE) >= 0.8, text
    items = result.transcript["results"]["items"]
    timed = [float(i["start_time"]) for i in items if i["type"] == "pronunciation"]
    assert timed == sorted(timed) and 0.0 <= timed[0] < 1.0 and timed[-1] < result.duration_seconds
    assert any(i["type"] == "punctuation" for i in items)
    assert result.subtitles["srt"].startswith("0\n00:00:0")


@pytest.mark.slow
def test_scoring_prefers_what_was_said(tiny: whisper.WhisperRecognizer) -> None:
    # The unprompted log-probability the selective bias compares: the words spoken score far above
    # the same sentence with a made-up name in place of "Stephen Fry", and above unrelated words.
    from workers.pipeline import media

    _, audio = media.load(AUDIO / "en-gb.wav", requested_format=None, requested_sample_rate=None, max_seconds=600)
    clip = audio.mono[: 6 * 16_000]
    # What the clip says, written out: tiny.en's own decode spells the name differently on different
    # CPUs ("Stephen Fry" on one, "Steven Frye" on another), and the test is about the scores.
    said = " Hello, my name is Stephen Fry. I was born in London and I've been in the entertainment business since"
    named = said.replace("Stephen Fry", "Zyloquent")
    other = "The weather was cold and windy all weekend."
    scores = tiny.score_texts(clip, [said, named, other], language="en")
    assert scores[0] > scores[1] + 20 and scores[0] > scores[2] + 20 and all(s < 0 for s in scores)


@pytest.mark.slow
def test_english_only_model_identifies_english(tiny: whisper.WhisperRecognizer) -> None:
    assert tiny.detect_language(__import__("numpy").zeros(16000, dtype="float32")) == [("en", 1.0)]


@pytest.mark.slow
def test_long_audio_goes_through_the_batched_pipeline(tmp_path: Path) -> None:
    """Eight repeats of the clip (≈ 75 s): decoded in batches, every repeat recognised, in time order."""
    import numpy as np

    from workers.pipeline import media

    clip = media.load(AUDIO / "en-gb.wav")[1].mono
    gap = np.zeros(whisper.SAMPLE_RATE // 2, dtype=np.float32)
    audio = np.concatenate([part for _ in range(8) for part in (clip, gap)])
    rec = whisper.WhisperRecognizer(model="tiny.en", cache_dir=tmp_path, device="cpu", batch_size=8,
                                    batch_min_seconds=60)
    assert rec.uses_batches(len(audio) / whisper.SAMPLE_RATE)
    recognition = rec.transcribe(audio, language="en")
    text = " ".join(s.text for s in recognition.segments)
    assert words(text).count("london") >= 7, text
    starts = [w.start for s in recognition.segments for w in s.words]
    assert starts == sorted(starts) and starts[-1] > 60
