"""Clinical-term accuracy of medical jobs with and without the clinical lexicon / medical vocabulary.

    python bench/medical_terms.py [--models tiny.en base] [--out results.json]

Synthetic clinical speech (espeak-ng, two voices) is transcribed through the medical pipeline
(workers.pipeline.medical.transcribe_medical, exactly what a worker runs) in three modes:

* ``plain``: lexicon off, no vocabulary — the general model as it is;
* ``lexicon``: the built-in clinical lexicon (the default for medical jobs);
* ``lexicon+vocabulary``: plus a medical vocabulary listing three rare drugs the lexicon lacks.

Reported per model and mode: clinical-term recall (each expected term found as written, case
insensitive), word error rate over the whole reference, and decode time. Needs espeak-ng and sox.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HARKEN_DEV_MODE", "true")

from workers.engines.whisper import WhisperRecognizer  # noqa: E402
from workers.pipeline.contract import JobOptions  # noqa: E402
from workers.pipeline.medical import USE_LEXICON, VOCABULARY_ENTRIES, transcribe_medical  # noqa: E402

#: (spoken text, reference text, clinical terms expected in the transcript)
SENTENCES: list[tuple[str, str, tuple[str, ...]]] = [
    ("The patient takes metoprolol 25 milligrams twice daily and apixaban for atrial fibrillation.",
     None, ("metoprolol", "milligrams", "apixaban", "atrial fibrillation")),
    ("She was prescribed amoxicillin for otitis media and ibuprofen for the fever.", None,
     ("amoxicillin", "otitis media", "ibuprofen")),
    ("Start levothyroxine for hypothyroidism and recheck the thyroid level in six weeks.", None,
     ("levothyroxine", "hypothyroidism")),
    ("History of congestive heart failure on furosemide and spironolactone.", None,
     ("congestive heart failure", "furosemide", "spironolactone")),
    ("He reports dyspnea on exertion and bilateral lower extremity edema.", None,
     ("dyspnea", "bilateral", "edema")),
    ("Continue omeprazole for gastroesophageal reflux and avoid naproxen.", None,
     ("omeprazole", "gastroesophageal reflux", "naproxen")),
    ("The chest film shows pneumonia. Start azithromycin and albuterol as needed.", None,
     ("pneumonia", "azithromycin", "albuterol")),
    ("Her hemoglobin is low, consistent with anemia.", None, ("hemoglobin", "anemia")),
    ("Increase gabapentin for neuropathy and continue metformin.", None,
     ("gabapentin", "neuropathy", "metformin")),
    ("Blood pressure is elevated. Add amlodipine and hydrochlorothiazide.", None,
     ("amlodipine", "hydrochlorothiazide")),
    ("The patient has C O P D and uses tiotropium and fluticasone daily.",
     "The patient has COPD and uses tiotropium and fluticasone daily.", ("COPD", "tiotropium", "fluticasone")),
    ("Prescribe sertraline for depression and trazodone for insomnia.", None,
     ("sertraline", "depression", "trazodone", "insomnia")),
    ("Begin tirzepatide weekly and stop glipizide.", None, ("tirzepatide", "glipizide")),
    ("Add ezetimibe to rosuvastatin for hypercholesterolemia.", None,
     ("ezetimibe", "rosuvastatin", "hypercholesterolemia")),
    ("She is on dulaglutide and empagliflozin for diabetes mellitus.", None,
     ("dulaglutide", "empagliflozin", "diabetes mellitus")),
]
VOICES = ("en-us", "en-us+f3")
VOCABULARY = [{"phrase": p} for p in ("tirzepatide", "ezetimibe", "dulaglutide")]
MODES = {"plain": (False, None), "lexicon": (True, None), "lexicon+vocabulary": (True, VOCABULARY)}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def wer(hyp: str, ref: str) -> tuple[int, int]:
    h, r = words(hyp), words(ref)
    d = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        prev, d[0] = d[0], i
        for j, hw in enumerate(h, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (rw != hw))
    return d[len(h)], len(r)


def term_hits(hyp: str, terms: tuple[str, ...]) -> int:
    padded = " " + " ".join(words(hyp)) + " "
    return sum(1 for t in terms if " " + " ".join(words(t)) + " " in padded)


def make_clips(folder: Path) -> list[tuple[Path, str, tuple[str, ...]]]:
    clips = []
    for n, (spoken, ref, terms) in enumerate(SENTENCES):
        for voice in VOICES:
            raw, out = folder / f"{n}-{voice}.wav", folder / f"{n}-{voice}.ogg"
            subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), spoken], check=True)
            subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(out)], check=True)
            clips.append((out, ref or spoken, terms))
    return clips


def run(model: str, clips: list[tuple[Path, str, tuple[str, ...]]], cache: Path) -> dict[str, Any]:
    engine = WhisperRecognizer(model=model, cache_dir=cache, cpu_threads=1)
    out: dict[str, Any] = {}
    for mode, (lexicon, vocabulary) in MODES.items():
        hits = terms = errors = ref_words = 0
        audio_s = decode_s = 0.0
        misses: list[str] = []
        for path, ref, expected in clips:
            options = JobOptions(job_name="bench", account_id="0", language_code="en-US",
                                 settings={"Type": "CONVERSATION", USE_LEXICON: lexicon,
                                           VOCABULARY_ENTRIES: vocabulary})
            started = time.perf_counter()
            result = transcribe_medical(path, options, engine=engine)
            decode_s += time.perf_counter() - started
            audio_s += result.duration_seconds
            text = result.transcript["results"]["transcripts"][0]["transcript"]
            found = term_hits(text, expected)
            hits, terms = hits + found, terms + len(expected)
            e, n = wer(text, ref)
            errors, ref_words = errors + e, ref_words + n
            if found < len(expected):
                misses.append(text)
        out[mode] = {"term_recall": round(hits / terms, 3), "terms": terms, "wer": round(errors / ref_words, 3),
                     "audio_seconds": round(audio_s, 1), "decode_seconds": round(decode_s, 1),
                     "x_real_time": round(audio_s / decode_s, 1), "sample_misses": misses[:3]}
        print(f"{model:8s} {mode:20s} term recall {hits}/{terms} = {hits / terms:.1%}  "
              f"WER {errors / ref_words:.1%}  {audio_s / decode_s:.1f}x real time", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="harken-medbench-") as tmp:
        clips = make_clips(Path(tmp))
        results = {m: run(m, clips, Path(tmp) / "models") for m in args.models}
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
