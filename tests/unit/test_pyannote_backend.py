"""The pyannote.audio backend's real loading and inference code, on random-weight checkpoints.

The checkpoints are built at test time in pyannote's own folder layout (tests/support/
pyannote_checkpoints.py); their segmentation model is biased to "one speaker always talking", so
the pipeline's output is predictable enough to check while every stage of it really runs.
"""

from __future__ import annotations

import os
import wave
from pathlib import Path
from typing import Any

import pytest

from services.core.settings import get_settings, reset_settings_cache
from tests.support.synth import read_truth
from tests.unit.test_diarization_pipeline import ScriptedRecognizer
from workers.engines.diarization import base, get_diarizer, reset_diarizer
from workers.engines.diarization.pyannote_backend import PipelineNotFoundError, PyannoteDiarizer
from workers.pipeline import media
from workers.pipeline.contract import JobOptions
from workers.pipeline.run import transcribe_media

pytestmark = pytest.mark.slow
pytest.importorskip("pyannote.audio")

DIAR = Path(__file__).resolve().parents[1] / "data" / "diarization"


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.support.pyannote_checkpoints import build

    return build(tmp_path_factory.mktemp("pyannote") / "speaker-diarization")


@pytest.fixture(scope="module")
def diarizer(pipeline_dir: Path) -> PyannoteDiarizer:
    return PyannoteDiarizer(pipeline_dir, device="cpu", segmentation_step=0.5)


def test_loads_from_the_folder_offline_and_diarizes(diarizer: PyannoteDiarizer) -> None:
    _, audio = media.load(DIAR / "two-speakers.flac")
    clip = audio.mono[: 16000 * 12]
    found = diarizer.diarize(clip, max_speakers=2)
    assert os.environ["PYANNOTE_METRICS_ENABLED"] == "false" and os.environ["HF_HUB_OFFLINE"] == "1"
    assert found.turns and 1 <= len(found.speakers) <= 2
    assert all(0.0 <= t.start < t.end <= 12.0 for t in found.turns)
    covered = sum(t.end - t.start for t in found.turns)
    assert covered > 8.0  # the biased model hears one speaker throughout
    assert set(found.centroids) <= set(found.speakers)
    assert all(abs(float((v**2).sum()) - 1.0) < 1e-6 for v in found.centroids.values())


def test_pipeline_job_with_the_pyannote_backend(diarizer: PyannoteDiarizer, tmp_path: Path) -> None:
    truth = read_truth(DIAR / "two-speakers.json")
    _, audio = media.load(DIAR / "two-speakers.flac")
    clip = tmp_path / "clip.wav"  # the first 12 s keep the CPU run short
    with wave.open(str(clip), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(16000)
        fh.writeframes((audio.mono[: 16000 * 12] * 32767).astype("<i2").tobytes())
    job = JobOptions(job_name="pya", account_id="111122223333", language_code="en-US",
                     settings={"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2})
    result = transcribe_media(clip, job, engine=ScriptedRecognizer(truth), diarizer=diarizer)
    results = result.transcript["results"]
    assert 1 <= results["speaker_labels"]["speakers"] <= 2
    assert all(i["speaker_label"] in ("spk_0", "spk_1") for i in results["items"])


def test_backend_is_chosen_by_settings(pipeline_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARKEN_DEV_MODE", "true")
    monkeypatch.setenv("HARKEN_DIARIZATION__BACKEND", "pyannote")
    monkeypatch.setenv("HARKEN_DIARIZATION__PYANNOTE_PATH", str(pipeline_dir))
    reset_settings_cache()
    reset_diarizer()
    try:
        chosen: Any = get_diarizer()
        assert isinstance(chosen, PyannoteDiarizer) and chosen.path == pipeline_dir
        assert isinstance(chosen, base.Diarizer)
        monkeypatch.setenv("HARKEN_DIARIZATION__BACKEND", "embedded")
        reset_settings_cache()
        from workers.engines.diarization.embedded import EmbeddedDiarizer

        assert isinstance(base.build_diarizer(get_settings()), EmbeddedDiarizer)
    finally:
        monkeypatch.undo()
        reset_settings_cache()
        reset_diarizer()


def test_missing_folder_is_an_operator_error(tmp_path: Path) -> None:
    with pytest.raises(PipelineNotFoundError, match=r"config\.yaml"):
        PyannoteDiarizer(tmp_path / "nowhere").diarize(media.load(DIAR / "two-speakers.flac")[1].mono,
                                                       max_speakers=2)
