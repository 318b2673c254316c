"""Regenerate the vocabulary test clips (espeak-ng → 16 kHz mono FLAC) and MANIFEST.json.

Terms are invented so no speech model knows them: without a vocabulary Whisper writes something
else ("Mount River" for Maltrivia), with it the term. Run from anywhere:
    python tests/data/vocabulary/generate.py
Needs espeak-ng and ffmpeg; the outputs are committed, so tests never need either.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent

CLIPS = {
    "terms.flac": ("en-us", "She moved to Maltrivia after finishing her degree. "
                            "Run the Tenzarine scanner before you commit the code."),
    "display.flac": ("en-us", "Connect the Gravimax sensor to the second port."),
    "filter.flac": ("en-us", "The stupid printer jammed again. Honestly, this stupid machine is useless."),
}


def synth(text: str, voice: str, path: Path) -> None:
    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "--stdout", text],
                         capture_output=True, check=True).stdout
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", "-", "-ar", "16000", "-ac", "1",
                    "-sample_fmt", "s16", "-c:a", "flac", str(path)], input=wav, check=True)


def main() -> None:
    manifest = {}
    for name, (voice, text) in CLIPS.items():
        synth(text, voice, HERE / name)
        manifest[name] = {"voice": voice, "text": text}
    (HERE / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
