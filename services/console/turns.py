"""A transcript document read as turns, for the console's transcript view and plain-text export.

A turn is a run of items by one speaker (``speaker_label``) or one channel (``channel_label``).
Without labels (no ShowSpeakerLabels / ChannelIdentification) the document's ``audio_segments``
are the turns. Both the item-level labels Harken writes and AWS's older
``speaker_labels.segments`` layout are understood, so transcripts copied from AWS read the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

PRONUNCIATION = "pronunciation"
#: Punctuation that opens (attaches to the next word) rather than closes.
OPENING = frozenset("¿¡([{\"«")


@dataclass
class Turn:
    #: ``spk_0`` / ``ch_1`` or None for plain segments.
    label: str | None
    #: ``speaker``, ``channel`` or ``segment``.
    kind: str
    start: float
    end: float
    items: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _speaker_by_start(results: dict[str, Any]) -> dict[str, str]:
    """AWS's older layout keeps speakers apart from items: match on start_time."""
    out: dict[str, str] = {}
    for seg in (results.get("speaker_labels") or {}).get("segments") or []:
        for it in seg.get("items") or []:
            if "start_time" in it and "speaker_label" in it:
                out[str(it["start_time"])] = str(it["speaker_label"])
    return out


def _channel_by_start(results: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ch in (results.get("channel_labels") or {}).get("channels") or []:
        for it in ch.get("items") or []:
            if "start_time" in it:
                out[str(it["start_time"])] = str(ch.get("channel_label"))
    return out


def _label(item: dict[str, Any], speakers: dict[str, str], channels: dict[str, str]) -> tuple[str, str] | None:
    if item.get("speaker_label"):
        return "speaker", str(item["speaker_label"])
    if item.get("channel_label"):
        return "channel", str(item["channel_label"])
    start = item.get("start_time")
    if start is not None and str(start) in speakers:
        return "speaker", speakers[str(start)]
    if start is not None and str(start) in channels:
        return "channel", channels[str(start)]
    return None


def _times(items: Sequence[dict[str, Any]], ids: Sequence[int]) -> tuple[float, float]:
    timed = [items[i] for i in ids if "start_time" in items[i]]
    if not timed:
        return 0.0, 0.0
    return float(timed[0]["start_time"]), max(float(i["end_time"]) for i in timed)


def build_turns(doc: dict[str, Any]) -> list[Turn]:
    results = doc.get("results") or {}
    items: list[dict[str, Any]] = results.get("items") or []
    speakers, channels = _speaker_by_start(results), _channel_by_start(results)
    labels = [_label(it, speakers, channels) if it.get("type") == PRONUNCIATION else None for it in items]
    turns: list[Turn] = []
    if any(labels):
        current: tuple[str, str] | None = None
        for idx, lab in enumerate(labels):
            if lab is not None and (not turns or lab != current):
                current = lab
                turns.append(Turn(lab[1], lab[0], 0.0, 0.0, [idx]))
            elif turns:
                turns[-1].items.append(idx)
            else:  # leading punctuation before any labelled word
                turns.append(Turn(None, "segment", 0.0, 0.0, [idx]))
    elif results.get("audio_segments"):
        by_id = {int(it.get("id", i)): i for i, it in enumerate(items)}
        for seg in results["audio_segments"]:
            ids = [by_id[i] for i in seg.get("items") or [] if i in by_id]
            if ids:
                turns.append(Turn(None, "segment", 0.0, 0.0, ids))
    elif items:
        turns.append(Turn(None, "segment", 0.0, 0.0, list(range(len(items)))))
    for turn in turns:
        turn.start, turn.end = _times(items, turn.items)
    return turns


def join_words(items: Sequence[dict[str, Any]]) -> str:
    """Words with spaces between them; closing punctuation sticks to the word before it."""
    out = ""
    glue_next = False
    for item in items:
        content = str(item["alternatives"][0]["content"])
        if item.get("type") == PRONUNCIATION:
            out += ("" if not out or glue_next else " ") + content
            glue_next = False
        elif content and content[0] in OPENING:
            out += ("" if not out else " ") + content
            glue_next = True
        else:
            out += content
    return out


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def plain_text(doc: dict[str, Any]) -> str:
    """The transcript as readable text: one paragraph per turn with its time and speaker/channel."""
    items: list[dict[str, Any]] = (doc.get("results") or {}).get("items") or []
    paragraphs = []
    for turn in build_turns(doc):
        head = f"[{clock(turn.start)} - {clock(turn.end)}]"
        if turn.label:
            head += f" {turn.label}"
        paragraphs.append(f"{head}\n{join_words([items[i] for i in turn.items])}")
    return "\n\n".join(paragraphs) + ("\n" if paragraphs else "")
