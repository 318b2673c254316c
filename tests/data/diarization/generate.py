"""Regenerate the diarization, channel and language test fixtures (needs espeak-ng and sox).

    PYTHONPATH=. python tests/data/diarization/generate.py

Each ``NAME.flac`` (16 kHz, 16-bit) comes with ``NAME.json``: the turns as spoken (speaker or
channel, start and end in seconds, text, language). The files are committed so tests never need
the generator; rerun it only to change the fixtures. espeak-ng output is deterministic for one
espeak-ng version, so a rerun on another version moves times by milliseconds, not the truth.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.support.synth import Voice, conversation, stereo, write_flac, write_truth

HERE = Path(__file__).resolve().parent

#: Voices that a speaker encoder tells apart: different variants, pitches and accents.
VOICES = {
    "A": Voice("en-us+m3", pitch=35, speed=160),
    "B": Voice("en-gb+f2", pitch=70, speed=170),
    "C": Voice("en-us+m7", pitch=55, speed=150),
    "D": Voice("en-gb-scotland+f4", pitch=80, speed=175),
}

TWO_SPEAKERS = [
    ("A", "Good morning, thank you for calling the support line. How can I help you today?"),
    ("B", "Hi, my internet connection keeps dropping every few minutes since yesterday."),
    ("A", "I am sorry to hear that. Could you tell me which router model you are using?"),
    ("B", "It is the grey box that came with the contract, I think it says model seven."),
    ("A", "Thank you. Please unplug it, wait thirty seconds and plug it back in."),
    ("B", "All right, I have done that and the lights are blinking green now."),
]

THREE_SPEAKERS = [
    ("A", "Let us start the weekly planning meeting with the status of the release."),
    ("B", "The release candidate passed every test last night, so we can ship on Thursday."),
    ("C", "Marketing needs the final screenshots by Wednesday to prepare the announcement."),
    ("A", "Good. Who can take the screenshots before Wednesday afternoon?"),
    ("B", "I will take them tomorrow morning and send them over right away."),
    ("C", "Perfect, then I will schedule the announcement for Thursday at ten."),
]

STEREO = [
    (0, "Thank you for calling the bank, my name is Alex, how may I help you?"),
    (1, "Hello, I would like to check the balance of my savings account please."),
    (0, "Of course, can you confirm your date of birth for me?"),
    (1, "Yes, it is the fourth of July nineteen eighty."),
]


def main() -> None:
    audio, turns = conversation(TWO_SPEAKERS, VOICES, gaps=(0.7, 0.5, 0.9))
    write_flac(HERE / "two-speakers.flac", audio)
    write_truth(HERE / "two-speakers.json", turns, speakers=2)

    audio, turns = conversation(THREE_SPEAKERS, VOICES, gaps=(0.6, 0.8, 0.5))
    write_flac(HERE / "three-speakers.flac", audio)
    write_truth(HERE / "three-speakers.json", turns, speakers=3)

    audio, turns = stereo(STEREO, [VOICES["A"], VOICES["B"]])
    write_flac(HERE / "stereo-call.flac", audio)
    write_truth(HERE / "stereo-call.json", turns, channels=2)

    # Three channels: AWS accepts at most two, so a job on it must fail with AWS's reason.
    one = conversation([("A", "Three channels.")], VOICES, lead=0.1, tail=0.1)[0]
    write_flac(HERE / "three-channels.flac", np.stack([one, one * 0.5, one * 0.25]))

    mixed_voices = {"en": Voice("en-us+m3", pitch=40, speed=150), "es": Voice("es+f2", pitch=60, speed=140)}
    audio, turns = conversation(
        [("en", "Good morning everyone, welcome to the international meeting. Today we will talk about "
                "the budget for next year and the new offices."),
         ("es", "Buenos días a todos. Muchas gracias por la invitación. Nosotros queremos hablar sobre "
                "el presupuesto y las nuevas oficinas en Madrid.")],
        mixed_voices, gaps=(1.2,), languages={"en": "en-US", "es": "es-ES"},
    )
    write_flac(HERE / "mixed-language.flac", audio)
    write_truth(HERE / "mixed-language.json", turns, languages=["en-US", "es-ES"])


if __name__ == "__main__":
    main()
