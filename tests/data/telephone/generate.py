"""Writes call-phoneband.flac: one side of a phone call (8 kHz, 300-3400 Hz, G.711 mu-law) as a
16 kHz recording of it holds it (upsampled by the phone system), with its text and speech spans in
call-phoneband.json.

The audio is conversation ``heldout-4-mono`` of bench/telephone_wer.py (espeak-ng en-us+Gene: low
pitch, slow) through the telephone chain of tests/support/telephone.py. Silero VAD scores this
voice far lower once it has been through a telephone line: at the usual threshold of 0.5
faster-whisper's VAD filter dropped 22 % of its speech there. (That held-out conversation is
therefore no longer unseen; docs/performance.md says so.) Kept at 16 kHz: an 8 kHz file upsampled
by PyAV's resampler, as the pipeline decodes one, happened not to lose this voice's speech.
Regenerating is not bit-exact (sox dithers espeak's output when resampling it); a regenerated file
lost the same 22 % at 0.5.

    PYTHONPATH=. python tests/data/telephone/generate.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CASE = "heldout-4-mono"


def main() -> None:
    from bench.telephone_wer import build, cases
    from tests.support.synth import write_flac
    from tests.support.telephone import telephone

    x, text, spans = build(next(c for c in cases() if c.name == CASE))
    write_flac(HERE / "call-phoneband.flac", telephone(x, mulaw=True).astype(np.float32))
    truth = {"text": text, "speech": [[round(s, 3), round(e, 3)] for s, e in spans]}
    (HERE / "call-phoneband.json").write_text(json.dumps(truth, indent=1) + "\n")
    print(HERE / "call-phoneband.flac")


if __name__ == "__main__":
    main()
