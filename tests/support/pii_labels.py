"""The labelled PII sentences (development and held-out sets) and how detections are scored.

Shared by the unit tests and bench/pii_accuracy.py so both judge the detector the same way: an
entity counts as found when a detection of the same type overlaps it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workers.engines.pii.base import PiiEntity
from workers.pipeline.transcript import split_word

LABELLED = Path(__file__).resolve().parents[1] / "data" / "pii" / "labelled.txt"
_MARK = re.compile(r"\[([A-Z_]+)\|([^\]]+)\]")


@dataclass(frozen=True)
class Sentence:
    text: str
    words: tuple[str, ...]
    #: (start, end, type) word spans.
    gold: tuple[tuple[int, int, str], ...]


def parse(line: str) -> Sentence:
    words: list[str] = []
    gold: list[tuple[int, int, str]] = []
    pos = 0
    for m in _MARK.finditer(line):
        words.extend(line[pos:m.start()].split())
        span = m.group(2).split()
        gold.append((len(words), len(words) + len(span), m.group(1)))
        words.extend(span)
        pos = m.end()
    words.extend(line[pos:].split())
    return Sentence(_MARK.sub(lambda m: m.group(2), line), tuple(words), tuple(gold))


def load(path: Path = LABELLED) -> list[Sentence]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse(line) for line in lines if line.strip() and not line.startswith("#")]


#: The held-out set (bench/pii_heldout.py): never used to tune the detector, see that script.
HELDOUT = Path(__file__).resolve().parents[2] / "bench" / "data" / "pii_heldout.jsonl"
SPLITS = ("tune", "test")
#: The second held-out set, written after the first set's test half had been examined and before
#: the engine was changed against it; one split, ``unseen``, never used for tuning.
HELDOUT2 = HELDOUT.with_name("pii_heldout2.jsonl")
SPLITS2 = ("unseen",)


def as_transcript_words(sentence: Sentence) -> Sentence:
    """The sentence as the redaction stage sees it: word cores only, gold spans remapped."""
    new_index: list[int | None] = []
    words: list[str] = []
    for word in sentence.words:
        _, core, _ = split_word(word)
        if core:
            new_index.append(len(words))
            words.append(core)
        else:
            new_index.append(None)
    gold = []
    for start, end, kind in sentence.gold:
        kept = [i for i in (new_index[k] for k in range(start, end)) if i is not None]
        if kept:
            gold.append((kept[0], kept[-1] + 1, kind))
    return Sentence(sentence.text, tuple(words), tuple(gold))


def load_heldout(path: Path = HELDOUT, splits: Sequence[str] = SPLITS) -> dict[str, list[tuple[str, Sentence]]]:
    """Split name → [(id, sentence)], in file order."""
    out: dict[str, list[tuple[str, Sentence]]] = {name: [] for name in splits}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        out[row["split"]].append((row["id"], as_transcript_words(parse(row["text"]))))
    return out


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Score:
    by_type: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    #: Gold PII words left unredacted (by a detection of any type) / all gold PII words.
    leaked_words: int = 0
    gold_words: int = 0

    def add(self, sentence: Sentence, found: Sequence[PiiEntity]) -> None:
        matched: set[int] = set()
        for s, e, t in sentence.gold:
            hit = next((i for i, f in enumerate(found) if f.type == t and f.start < e and f.end > s), None)
            tally = self.by_type.setdefault(t, Tally())
            if hit is None:
                tally.fn += 1
                self.overall.fn += 1
            else:
                matched.add(hit)
                tally.tp += 1
                self.overall.tp += 1
            covered = {w for f in found for w in range(f.start, f.end)}
            self.gold_words += e - s
            self.leaked_words += sum(1 for w in range(s, e) if w not in covered)
        for i, f in enumerate(found):
            if i not in matched:
                self.by_type.setdefault(f.type, Tally()).fp += 1
                self.overall.fp += 1


def score(pairs: Iterable[tuple[Sentence, Sequence[PiiEntity]]]) -> Score:
    result = Score()
    for sentence, found in pairs:
        result.add(sentence, found)
    return result
