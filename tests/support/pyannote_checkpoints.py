"""A pyannote.audio pipeline folder with random-weight checkpoints, built at test time.

pyannote's trained weights are gated on a hub and never available here, but the loading and
inference code is what Harken must get right: this writes the same layout an operator mounts
(config.yaml + segmentation/ + embedding/ + plda/), with real model classes (PyanNet, WeSpeaker
ResNet34) saved the way pyannote saves them. The segmentation model's output layer is biased so
that one speaker is always active: the pipeline then yields real, checkable turns.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CONFIG = """\
version: 4.0.0
pipeline:
  name: pyannote.audio.pipelines.SpeakerDiarization
  params:
    clustering: VBxClustering
    segmentation: $model/segmentation
    embedding: $model/embedding
    plda: $model/plda
    embedding_exclude_overlap: true
    segmentation_batch_size: 8
    embedding_batch_size: 8
params:
  clustering:
    threshold: 0.6
    Fa: 0.07
    Fb: 0.8
  segmentation:
    min_duration_off: 0.0
"""


def _save(model: object, folder: Path) -> None:
    import lightning
    import torch
    from pyannote.audio import __version__

    folder.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "state_dict": model.state_dict(),  # type: ignore[attr-defined]
        "hyper_parameters": dict(model.hparams),  # type: ignore[attr-defined]
        "pytorch-lightning_version": lightning.__version__,
        "pyannote.audio": {
            "versions": {"pyannote.audio": __version__},
            "architecture": {"module": type(model).__module__, "class": type(model).__name__},
            "specifications": model.specifications,  # type: ignore[attr-defined]
        },
    }
    torch.save(checkpoint, folder / "pytorch_model.bin")


def build(folder: Path, seed: int = 0) -> Path:
    """Write the pipeline folder and return it."""
    import torch
    from pyannote.audio.core.task import Problem, Resolution, Specifications
    from pyannote.audio.models.embedding import WeSpeakerResNet34
    from pyannote.audio.models.segmentation import PyanNet

    torch.manual_seed(seed)
    segmentation = PyanNet(sincnet={"stride": 10})
    segmentation.specifications = Specifications(
        problem=Problem.MONO_LABEL_CLASSIFICATION, resolution=Resolution.FRAME, duration=10.0,
        classes=["speaker#1", "speaker#2", "speaker#3"], powerset_max_classes=2, permutation_invariant=True,
    )
    segmentation.setup()
    with torch.no_grad():  # powerset class 1 = {speaker#1}: always one speaker talking
        segmentation.classifier.weight.mul_(0.01)
        segmentation.classifier.bias.zero_()
        segmentation.classifier.bias[1] = 10.0
    _save(segmentation, folder / "segmentation")

    embedding = WeSpeakerResNet34()
    embedding.specifications = Specifications(
        problem=Problem.REPRESENTATION, resolution=Resolution.CHUNK, duration=5.0,
    )
    _save(embedding, folder / "embedding")

    rng = np.random.default_rng(seed)
    dim, lda_dim = 256, 128
    (folder / "plda").mkdir(parents=True, exist_ok=True)
    np.savez(folder / "plda" / "xvec_transform.npz", mean1=rng.normal(size=dim) * 0.01,
             mean2=rng.normal(size=lda_dim) * 0.01, lda=np.linalg.qr(rng.normal(size=(dim, dim)))[0][:, :lda_dim])
    np.savez(folder / "plda" / "plda.npz", mu=np.zeros(lda_dim), tr=np.eye(lda_dim),
             psi=np.linspace(2.0, 0.5, lda_dim))
    (folder / "config.yaml").write_text(CONFIG)
    return folder
