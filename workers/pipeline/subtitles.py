"""SubRip and WebVTT subtitles from transcript items, the way Amazon Transcribe writes them.

Built from the finished items (not from the recognizer) so that vocabulary filtering and redaction
already applied to the transcript show in the subtitles too.

AWS conventions (https://docs.aws.amazon.com/transcribe/latest/dg/subtitles.html and the
``Subtitles`` API shape):
* cues are numbered from ``OutputStartIndex``, 0 by default, in both formats;
* a cue is shown while its words are spoken and stays up until a natural pause or the speaker
  finishes; no speech means no subtitle file at all (``render`` returns None);
* SRT times are ``00:00:00,640``, WebVTT times ``00:00:00.640``.

AWS does not publish its segmentation limits; Harken keeps cues to two lines of at most 42
characters and 7 seconds, and starts a new cue after a sentence end, a pause of a second or more,
or a change of speaker or channel. These numbers are constants so that output stays stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workers.pipeline.transcript import CLOSING, OPENING, PRONUNCIATION, item_content

MAX_LINE_CHARS = 42
MAX_LINES = 2
MAX_CUE_SECONDS = 7.0
PAUSE_SECONDS = 1.0
#: Sentence ends, including the CJK full stop and fullwidth question/exclamation marks.
SENTENCE_END = frozenset(".?!…\u3002\uff1f\uff01")
FORMATS = ("srt", "vtt")


@dataclass
class _Unit:
    """A word with the punctuation that sticks to it ("¿cómo", "Fry,")."""

    text: str
    start: float
    end: float
    label: tuple[str | None, str | None]


@dataclass
class Cue:
    start: float
    end: float
    lines: list[str]


def _units(items: Sequence[dict[str, Any]]) -> list[_Unit]:
    units: list[_Unit] = []
    pending_open = ""
    for item in items:
        content = item_content(item)
        if not content:
            continue
        if item["type"] == PRONUNCIATION:
            label = (item.get("speaker_label"), item.get("channel_label"))
            units.append(_Unit(pending_open + content, float(item["start_time"]),
                               float(item["end_time"]), label))
            pending_open = ""
        elif content[0] in OPENING:
            pending_open += content
        elif content[0] in CLOSING and units:
            units[-1].text += content
    return units


def wrap(words: Sequence[str], width: int = MAX_LINE_CHARS, max_lines: int = MAX_LINES) -> list[str] | None:
    """Lines for a cue, balanced when two are needed; None when the words do not fit."""
    text = " ".join(words)
    if len(text) <= width:
        return [text]
    if max_lines < 2:
        return None
    best: list[str] | None = None
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        if len(first) <= width and len(second) <= width and (
            best is None or max(len(first), len(second)) < max(len(best[0]), len(best[1]))
        ):
            best = [first, second]
    return best


def cues(items: Sequence[dict[str, Any]]) -> list[Cue]:
    out: list[Cue] = []
    current: list[_Unit] = []

    def flush() -> None:
        if current:
            lines = wrap([u.text for u in current]) or [" ".join(u.text for u in current)]
            end = max(u.end for u in current)
            out.append(Cue(current[0].start, max(end, current[0].start), lines))
            current.clear()

    for unit in _units(items):
        if current:
            prev = current[-1]
            if (
                prev.text[-1] in SENTENCE_END
                or unit.start - prev.end >= PAUSE_SECONDS
                or unit.label != prev.label
                or unit.end - current[0].start > MAX_CUE_SECONDS
                or wrap([u.text for u in current] + [unit.text]) is None
            ):
                flush()
        current.append(unit)
    flush()
    return out


def timestamp(seconds: float, separator: str) -> str:
    ms = max(0, round(seconds * 1000))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def render(items: Sequence[dict[str, Any]], fmt: str, start_index: int = 0) -> str | None:
    """The subtitle file for ``fmt`` ("srt" or "vtt"), or None when there is no speech."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown subtitle format {fmt!r}")
    found = cues(items)
    if not found:
        return None
    separator = "," if fmt == "srt" else "."
    blocks = [
        f"{start_index + n}\n{timestamp(c.start, separator)} --> {timestamp(c.end, separator)}\n"
        + "\n".join(c.lines)
        for n, c in enumerate(found)
    ]
    body = "\n\n".join(blocks) + "\n"
    return "WEBVTT\n\n" + body if fmt == "vtt" else body


def render_all(
    items: Sequence[dict[str, Any]], formats: Sequence[str], start_index: int = 0
) -> dict[str, str]:
    """Every requested format that has content; absent formats mean "no file", as on AWS."""
    out: dict[str, str] = {}
    for fmt in formats:
        text = render(items, fmt, start_index)
        if text is not None:
            out[fmt] = text
    return out
