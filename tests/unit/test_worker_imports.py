"""A worker process pays only for the engines its jobs use.

presidio/spaCy (which pull in torch when it is installed) and the diarization backends cost
seconds of start-up and hundreds of MB per prefork child; a worker that never redacts or labels
speakers must not load them just by importing the pipeline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "spacy", "presidio_analyzer", "pyannote.audio", "thinc")


def test_importing_the_worker_and_pipeline_loads_no_heavy_engine() -> None:
    code = (
        "import json, sys\n"
        "import workers.celery_app, workers.runner, workers.pipeline.run\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), HARKEN_DEV_MODE="true")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
