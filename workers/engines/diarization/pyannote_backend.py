"""The pyannote.audio backend: the operator's own pipeline folder, loaded without any hub.

``settings.diarization.pyannote_path`` names a folder with ``config.yaml`` and the checkpoints it
refers to as ``$model/segmentation``, ``$model/embedding`` and ``$model/plda`` (pyannote's layout
for a downloaded pipeline, e.g. speaker-diarization-community-1 fetched once by the operator).
Harken never passes pyannote a hub name: a missing folder is an operator error, reported as such.
pyannote's usage telemetry is switched off and the Hugging Face client forced offline before the
library is imported. Audio is handed over in memory (``{"waveform", "sample_rate"}``), so neither
torchcodec nor torchaudio's compiled I/O is needed. pyannote's *exclusive* diarization (one
speaker at a time) is used, since each word gets exactly one speaker.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from workers.engines.diarization.base import Diarization, SpeakerTurn

log = logging.getLogger(__name__)

RATE = 16_000


class PipelineNotFoundError(RuntimeError):
    """``pyannote_path`` is not a pipeline folder: an operator error, not bad media."""


def _offline() -> None:
    os.environ["PYANNOTE_METRICS_ENABLED"] = "false"
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:  # huggingface_hub reads HF_HUB_OFFLINE once, at import (faster-whisper may import it first)
        import huggingface_hub.constants as hub_constants

        hub_constants.HF_HUB_OFFLINE = True
    except ImportError:  # pragma: no cover - pyannote depends on it
        pass


class PyannoteDiarizer:
    def __init__(self, path: Path, *, device: str = "auto", segmentation_step: float = 0.1,
                 threads: int = 1) -> None:
        self.path = path
        self.device = device
        self.segmentation_step = segmentation_step
        self.threads = threads
        self._pipeline: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Any) -> PyannoteDiarizer:
        d = settings.diarization
        if not d.pyannote_path:
            raise PipelineNotFoundError("diarization.backend is pyannote but diarization.pyannote_path is empty")
        return cls(Path(d.pyannote_path).expanduser(), device=d.device,
                   segmentation_step=d.pyannote_segmentation_step, threads=d.cpu_threads)

    @property
    def pipeline(self) -> Any:
        with self._lock:
            if self._pipeline is None:
                self._pipeline = self._load()
            return self._pipeline

    def _load(self) -> Any:
        if not (self.path / "config.yaml").is_file():
            raise PipelineNotFoundError(f"pyannote pipeline folder {self.path} has no config.yaml")
        _offline()
        import torch
        from pyannote.audio import Pipeline

        if self.threads > 0:
            torch.set_num_threads(self.threads)
        pipeline = Pipeline.from_pretrained(self.path)
        if pipeline is None:  # pragma: no cover - only for hub names, which are never passed
            raise PipelineNotFoundError(f"pyannote could not load {self.path}")
        segmentation = getattr(pipeline, "_segmentation", None)
        if segmentation is not None:
            segmentation.step = self.segmentation_step * segmentation.duration
        device = self.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        pipeline.to(torch.device(device))
        log.info("loaded pyannote pipeline %s on %s", self.path, device)
        return pipeline

    def diarize(self, audio: np.ndarray, *, max_speakers: int) -> Diarization:
        import torch

        waveform = torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32))[None, :]
        output = self.pipeline({"waveform": waveform, "sample_rate": RATE}, max_speakers=max_speakers)
        annotation = getattr(output, "exclusive_speaker_diarization", output)
        full = getattr(output, "speaker_diarization", annotation)
        labels = list(full.labels())
        duration = len(audio) / RATE  # chunks are padded: turns may run past the end
        turns = [
            SpeakerTurn(round(max(0.0, float(seg.start)), 3), round(min(duration, float(seg.end)), 3),
                        labels.index(label))
            for seg, _, label in annotation.itertracks(yield_label=True)
            if label in labels and min(duration, seg.end) > max(0.0, seg.start)
        ]
        centroids: dict[int, np.ndarray] = {}
        embeddings = getattr(output, "speaker_embeddings", None)
        if embeddings is not None and len(embeddings) == len(labels):
            for i, vec in enumerate(np.asarray(embeddings, dtype=np.float64)):
                norm = float(np.linalg.norm(vec))
                if np.isfinite(norm) and norm > 0:
                    centroids[i] = vec / norm
        return Diarization(turns=sorted(turns, key=lambda t: t.start), centroids=centroids)
