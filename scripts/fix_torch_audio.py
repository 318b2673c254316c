"""Make pyannote.audio importable on a CPU-only torch: run after every install of harken[test].

pyannote.audio pulls torchaudio and torchcodec wheels built against CUDA torch. With the CPU torch
wheel their compiled libraries fail to load and ``import pyannote.audio`` dies. Harken hands
pyannote audio in memory, so neither library is needed: torchaudio's ``lib/*.so`` are removed
(torchaudio then runs its pure-Python code, which is all pyannote uses) and torchcodec is
uninstalled. Idempotent and quick when there is nothing to do; exits 0 when pyannote is absent.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path


def _broken_libs() -> list[Path]:
    spec = importlib.util.find_spec("torchaudio")
    if spec is None or not spec.submodule_search_locations:
        return []
    lib = Path(next(iter(spec.submodule_search_locations))) / "lib"
    return sorted(lib.glob("*.so")) if lib.is_dir() else []


def main() -> int:
    if importlib.util.find_spec("pyannote") is None:
        return 0
    for so in _broken_libs():
        so.unlink()
        print(f"fix_torch_audio: removed {so}", file=sys.stderr)
    if importlib.util.find_spec("torchcodec") is not None:
        subprocess.run([sys.executable, "-m", "pip", "uninstall", "-y", "-q", "torchcodec"], check=True)
        print("fix_torch_audio: uninstalled torchcodec", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
