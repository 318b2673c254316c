"""Regenerate the synthetic clinical dictation fixtures (espeak-ng → sox → 16 kHz mono Ogg Vorbis).

    python tests/data/medical/generate.py

Needs /usr/bin/espeak-ng and sox; the tests use the committed .ogg files and never run this. The
texts are what was spoken, commands included; ``CLIPS`` is also read by the tests and the
benchmark (bench/medical_terms.py) for the expected terms.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name → (espeak voice, words per minute, spoken text)
CLIPS: dict[str, tuple[str, int, str]] = {
    "dictation-meds": ("en-us", 150, (
        "Patient is a fifty four year old male with hypertension comma hyperlipidemia comma and type two "
        "diabetes period new paragraph Current medications include lisinopril ten milligrams daily comma "
        "metformin five hundred milligrams twice daily comma and atorvastatin forty milligrams at bedtime "
        "period")),
    "dictation-plan": ("en-us", 145, (
        "History of present illness colon the patient reports shortness of breath and a productive cough "
        "for three days period She has a history of C O P D and atrial fibrillation on apixaban period "
        "new paragraph Plan colon start azithromycin and prednisone period")),
    "conversation-visit": ("en-us+m3", 150, (
        "Have you been taking the metoprolol and the furosemide every day? Yes, but my ankles are still "
        "swollen and I get short of breath when I climb the stairs.")),
    "dictation-vocabulary": ("en-us", 140, (
        "The patient was started on zelvoramab for acute respiratory distress syndrome period")),
}


def render(name: str, voice: str, wpm: int, text: str) -> Path:
    out = HERE / f"{name}.ogg"
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(wav), text], check=True)
        subprocess.run(["sox", str(wav), "-r", "16000", "-c", "1", "-C", "3", str(out)], check=True)
    return out


def main() -> None:
    for name, (voice, wpm, text) in CLIPS.items():
        print(render(name, voice, wpm, text))


if __name__ == "__main__":
    main()
