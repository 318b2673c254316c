"""Language identification accuracy of the base model, the way IdentifyLanguage runs it.

Clips: recorded prompts from Debian's asterisk-core-sounds-{en,es,fr}-wav (real speakers, 8 kHz,
CC-BY-SA-3.0; the longest ones per language) and espeak-ng sentences in German and Italian.
Each clip goes through ``WhisperRecognizer.detect_language`` exactly as a job's audio does: once
over all of Whisper's languages (IdentifyLanguage without LanguageOptions) and once restricted to
the five languages present (with LanguageOptions). Reports top-1 accuracy and time per clip.

Usage: PYTHONPATH=. python bench/language_id.py [--asterisk DIR] [--per-language 6] [--json OUT]
Without --asterisk the three .deb packages are fetched with `apt-get download` and unpacked into
~/.cache/harken-bench (no install). Needs espeak-ng and sox for the synthetic clips.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.synth import Voice, speak

ASTERISK = {"en": "en_US_f_Allison", "es": "es_MX_f_Allison", "fr": "fr_CA_f_June"}
SYNTHETIC = {
    "de": (Voice("de+m3", pitch=45, speed=150), [
        "Guten Morgen, ich möchte gerne einen Termin für nächste Woche vereinbaren.",
        "Der Zug nach Berlin fährt heute leider mit zwanzig Minuten Verspätung ab.",
        "Können Sie mir bitte sagen, wo sich der nächste Bahnhof befindet?",
        "Wir haben das Problem gestern Abend gemeinsam mit dem Kunden gelöst.",
    ]),
    "it": (Voice("it+f2", pitch=60, speed=150), [
        "Buongiorno, vorrei prenotare un tavolo per quattro persone stasera.",
        "Il treno per Roma partirà con un ritardo di circa venti minuti.",
        "Mi può dire per favore dove si trova la stazione più vicina?",
        "Abbiamo risolto il problema ieri sera insieme al cliente.",
    ]),
}


def asterisk_root(given: Path | None) -> Path:
    if given:
        return given
    cache = Path.home() / ".cache" / "harken-bench" / "asterisk"
    root = cache / "x" / "usr" / "share" / "asterisk" / "sounds"
    if all((root / v).is_dir() for v in ASTERISK.values()):
        return root
    cache.mkdir(parents=True, exist_ok=True)
    pkgs = [f"asterisk-core-sounds-{lang}-wav" for lang in ASTERISK]
    subprocess.run(["apt-get", "download", *pkgs], cwd=cache, check=True)
    for deb in cache.glob("*.deb"):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(cache / "x")], check=True)
    return root


def longest(folder: Path, n: int) -> list[Path]:
    def seconds(p: Path) -> float:
        with wave.open(str(p)) as fh:
            return fh.getnframes() / fh.getframerate()

    return sorted(folder.glob("*.wav"), key=lambda p: (-seconds(p), p.name))[:n]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--asterisk", type=Path)
    parser.add_argument("--per-language", type=int, default=6)
    parser.add_argument("--model", default="base")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from workers.engines.whisper import WhisperRecognizer
    from workers.pipeline import media

    clips = []
    root = asterisk_root(args.asterisk)
    for lang, voice_dir in ASTERISK.items():
        for path in longest(root / voice_dir, args.per_language):
            _, audio = media.load(path)
            clips.append((lang, f"asterisk/{voice_dir}/{path.name}", audio.mono))
    for lang, (voice, lines) in SYNTHETIC.items():
        for i, line in enumerate(lines):
            clips.append((lang, f"espeak/{voice.name}/{i}", speak(line, voice)))

    engine = WhisperRecognizer(model=args.model, cache_dir=Path.home() / ".harken" / "models")
    started = time.perf_counter()
    engine.detect_language(clips[0][2][:16000])
    load = time.perf_counter() - started
    candidates = sorted({lang for lang, _, _ in clips})
    rows = []
    for lang, name, audio in clips:
        started = time.perf_counter()
        free = engine.detect_language(audio)
        took = time.perf_counter() - started
        restricted = engine.detect_language(audio, candidates)
        rows.append({"clip": name, "seconds": round(len(audio) / 16000, 2), "expected": lang,
                     "detected": free[0][0], "p": round(free[0][1], 3), "restricted": restricted[0][0],
                     "wall_s": round(took, 2)})
        print(json.dumps(rows[-1]), flush=True)
    summary = {
        "model": args.model, "clips": len(rows), "languages": candidates,
        "accuracy_all_languages": round(sum(r["detected"] == r["expected"] for r in rows) / len(rows), 4),
        "accuracy_with_options": round(sum(r["restricted"] == r["expected"] for r in rows) / len(rows), 4),
        "per_language_all": {lang: f"{sum(r['detected'] == lang for r in rows if r['expected'] == lang)}/"
                                   f"{sum(r['expected'] == lang for r in rows)}" for lang in candidates},
        "mean_wall_s": round(sum(r["wall_s"] for r in rows) / len(rows), 2), "model_load_s": round(load, 2),
    }
    print(json.dumps(summary), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"clips": rows, "summary": summary}, indent=1))


if __name__ == "__main__":
    main()
