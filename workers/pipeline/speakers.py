"""Speaker labels: diarization turns → ``speaker_label`` on items, ``results.speaker_labels``.

Pure functions over turns, tokens and finished items (no models), so every rule is unit-tested:

* speakers are numbered in order of first appearance (``spk_0`` speaks first), as AWS does;
* more speakers than MaxSpeakerLabels are merged into the speakers that remain — "multiple
  speakers are identified as a single speaker" (AWS, ``Settings.MaxSpeakerLabels``): the speaker
  with the least speech goes into the remaining one whose voice is most alike (centroid cosine
  when the engine gives centroids, else the one that spoke most);
* a word takes the speaker whose turns overlap it most, or the nearest turn when it falls in a
  gap; punctuation takes the speaker of the word it attaches to;
* ``speaker_labels.segments`` are runs of one speaker's words, their ``items`` carrying the same
  time strings as ``results.items`` (parsers match the two by string equality).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from workers.engines.diarization.base import Diarization, SpeakerTurn
from workers.pipeline.transcript import CLOSING, PRONUNCIATION, PUNCTUATION, Token

LABEL = "speaker_label"
#: The guide's example output names the (single) channel the speakers were found on.
CHANNEL = "ch_0"


def wanted(settings: dict[str, Any]) -> int | None:
    """MaxSpeakerLabels when ShowSpeakerLabels is on, else None."""
    if not settings.get("ShowSpeakerLabels"):
        return None
    return int(settings.get("MaxSpeakerLabels") or 2)


def label(n: int) -> str:
    return f"spk_{n}"


def cap(diarization: Diarization, max_speakers: int) -> list[SpeakerTurn]:
    """Turns with at most ``max_speakers`` speakers, renumbered by first appearance, merged runs."""
    turns = sorted(diarization.turns, key=lambda t: (t.start, t.end))
    mapping = {s: s for s in {t.speaker for t in turns}}
    centroids = dict(diarization.centroids)
    while len(set(mapping.values())) > max(1, max_speakers):
        talk: dict[int, float] = defaultdict(float)
        for t in turns:
            talk[mapping[t.speaker]] += t.end - t.start
        alive = sorted(talk, key=lambda s: (talk[s], s))
        victim, rest = alive[0], alive[1:]
        if victim in centroids and all(r in centroids for r in rest):
            target = max(rest, key=lambda r: float(np.dot(centroids[victim], centroids[r])))
        else:
            target = max(rest, key=lambda r: (talk[r], -r))
        for s, m in mapping.items():
            if m == victim:
                mapping[s] = target
    order: dict[int, int] = {}
    out: list[SpeakerTurn] = []
    for t in turns:
        speaker = order.setdefault(mapping[t.speaker], len(order))
        if out and out[-1].speaker == speaker and t.start - out[-1].end < 1e-6:
            out[-1] = SpeakerTurn(out[-1].start, max(out[-1].end, t.end), speaker)
        else:
            out.append(SpeakerTurn(t.start, t.end, speaker))
    return out


def speaker_at(start: float, end: float, turns: Sequence[SpeakerTurn]) -> int | None:
    """The speaker overlapping [start, end] most; the nearest turn's when none overlaps."""
    if not turns:
        return None
    overlap: dict[int, float] = defaultdict(float)
    for t in turns:
        o = min(end, t.end) - max(start, t.start)
        if o > 0:
            overlap[t.speaker] += o
    if overlap:
        return max(overlap, key=lambda s: (overlap[s], -s))
    mid = (start + end) / 2
    nearest = min(turns, key=lambda t: 0.0 if t.start <= mid <= t.end else min(abs(mid - t.start), abs(mid - t.end)))
    return nearest.speaker


def assign(tokens: Sequence[Token], turns: Sequence[SpeakerTurn]) -> list[Token]:
    """Every token labelled; tokens keep their order. Without turns everyone is ``spk_0``."""
    speakers: list[int | None] = []
    for tok in tokens:
        if tok.type == PRONUNCIATION and tok.start is not None and tok.end is not None:
            speakers.append(speaker_at(tok.start, tok.end, turns))
        else:
            speakers.append(None)
    # Punctuation: closing marks join the word before, opening marks the word after.
    for i, tok in enumerate(tokens):
        if speakers[i] is not None or tok.type != PUNCTUATION:
            continue
        before = next((speakers[j] for j in range(i - 1, -1, -1) if speakers[j] is not None), None)
        after = next((speakers[j] for j in range(i + 1, len(tokens)) if tokens[j].type == PRONUNCIATION
                      and speakers[j] is not None), None)
        speakers[i] = before if (tok.content[0] in CLOSING and before is not None) or after is None else after
    return [replace(tok, labels={**tok.labels, LABEL: label(s or 0)}) for tok, s in zip(tokens, speakers, strict=True)]


def block(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``results.speaker_labels`` from the finished items (so filtering and redaction show)."""
    segments: list[dict[str, Any]] = []
    for item in items:
        if item.get("type") != PRONUNCIATION or "start_time" not in item or LABEL not in item:
            continue
        entry = {"start_time": item["start_time"], "speaker_label": item[LABEL], "end_time": item["end_time"]}
        if segments and segments[-1]["speaker_label"] == item[LABEL]:
            seg = segments[-1]
            seg["items"].append(entry)
            if float(item["end_time"]) > float(seg["end_time"]):
                seg["end_time"] = item["end_time"]
        else:
            segments.append({"start_time": item["start_time"], "speaker_label": item[LABEL],
                             "end_time": item["end_time"], "items": [entry]})
    speakers = len({seg["speaker_label"] for seg in segments})
    return {"channel_label": CHANNEL, "speakers": speakers, "segments": segments}


def add_block(transcript: dict[str, Any]) -> None:
    """Insert ``speaker_labels`` after ``transcripts``, where AWS's files have it."""
    results = transcript["results"]
    ordered: dict[str, Any] = {}
    for key, value in results.items():
        if key == "speaker_labels":
            continue  # rebuilt below
        ordered[key] = value
        if key == "transcripts":
            ordered["speaker_labels"] = block(results["items"])
    results.clear()
    results.update(ordered)
