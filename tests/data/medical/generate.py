"""Regenerate the synthetic clinical dictation fixtures (espeak-ng → sox → 16 kHz mono Ogg Vorbis).

    PYTHONPATH=. python tests/data/medical/generate.py [NAME ...]   # all, or the clips named
                                                                    # ("conversations": the two below)

Needs /usr/bin/espeak-ng and sox; the tests use the committed .ogg files and never run this. The
texts are what was spoken, commands included; ``CLIPS`` is also read by the tests and the
benchmark (bench/medical_terms.py) for the expected terms.
"""

from __future__ import annotations

import subprocess
import sys
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
    # PHI identification: a name, a date of birth and a phone number (tests/compat/test_medical_e2e.py)
    "conversation-phi": ("en-us", 140, (
        "The patient's name is John Carter. His date of birth is March fourth, nineteen sixty two. "
        "You can reach him at five five five, two three four, seven eight nine zero. "
        "He has had a dry cough for three days.")),
}


def render(name: str, voice: str, wpm: int, text: str) -> Path:
    out = HERE / f"{name}.ogg"
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(wav), text], check=True)
        subprocess.run(["sox", str(wav), "-r", "16000", "-c", "1", "-C", "3", str(out)], check=True)
    return out


#: Clinician (A) and patient (B): two voices a speaker encoder tells apart (as tests/data/diarization).
VOICES = {"A": ("en-us+m3", 35, 160), "B": ("en-gb+f2", 70, 165)}
#: ShowSpeakerLabels: one mono recording, turns known to the millisecond (``NAME.json``).
VISIT_SPEAKERS = [
    ("A", "Good morning, what brings you in today?"),
    ("B", "I have had a sore throat and a fever for two days."),
    ("A", "Any cough or shortness of breath?"),
    ("B", "A little cough at night, but no trouble breathing."),
]
#: ChannelIdentification: a nurse line call, clinician on channel 0 and patient on channel 1.
VISIT_STEREO = [
    (0, "This is the nurse line, how can I help you?"),
    (1, "I need a refill of my lisinopril prescription."),
    (0, "Which pharmacy should we send it to?"),
    (1, "The one on Main Street, please."),
]


def conversations() -> None:
    """The speaker and channel fixtures, with their truth (needs PYTHONPATH=. for tests.support)."""
    from tests.support.synth import Voice, conversation, stereo, write_flac, write_truth

    voices = {k: Voice(name, pitch=pitch, speed=speed) for k, (name, pitch, speed) in VOICES.items()}
    audio, turns = conversation(VISIT_SPEAKERS, voices, gaps=(0.7, 0.6, 0.8))
    write_flac(HERE / "visit-speakers.ogg", audio)  # sox writes Ogg Vorbis for the .ogg name
    write_truth(HERE / "visit-speakers.json", turns, speakers=2)
    audio, turns = stereo(VISIT_STEREO, [voices["A"], voices["B"]])
    write_flac(HERE / "visit-stereo.ogg", audio)
    write_truth(HERE / "visit-stereo.json", turns, channels=2)
    print(HERE / "visit-speakers.ogg", HERE / "visit-stereo.ogg")


def main(names: list[str]) -> None:
    for name, (voice, wpm, text) in CLIPS.items():
        if not names or name in names:
            print(render(name, voice, wpm, text))
    if not names or "conversations" in names:
        conversations()


if __name__ == "__main__":
    main(sys.argv[1:])
