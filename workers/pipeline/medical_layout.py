"""The speaker, channel and alternatives blocks of a medical transcript.

The general pipeline's stages (``speakers``, ``channels``, ``alternatives``) build these blocks;
a medical transcript keeps them in the shape AWS's Transcribe Medical guide shows:

* ``speaker_labels`` is ``{"speakers": n, "segments": [...]}`` — the medical example has no
  ``channel_label`` member (a medical job cannot ask for speakers and channels together);
* ``channel_labels.channels[].items`` repeat the channel's items without the ``channel_label``
  each item already sits under (the medical example's items have none);
* ``segments`` (alternatives) are as for general jobs; the medical guide shows no example.

A DICTATION job rewrites its items after those stages ran (spoken commands become marks), so the
blocks are rebuilt from the final items, and each alternative is dictated the same way: no block
may still say "comma" where the transcript has ",".
"""

from __future__ import annotations

from typing import Any

from workers.pipeline import channels, speakers
from workers.pipeline.dictation import apply_spoken_punctuation, render_text
from workers.pipeline.transcript import PRONUNCIATION


def speaker_labels(items: list[dict[str, Any]]) -> dict[str, Any]:
    block = speakers.block(items)
    return {"speakers": block["speakers"], "segments": block["segments"]}


def channel_labels(items: list[dict[str, Any]], number_of_channels: int) -> dict[str, Any]:
    block = channels.block(items, number_of_channels)
    for channel in block["channels"]:
        channel["items"] = [{k: v for k, v in it.items() if k != channels.LABEL} for it in channel["items"]]
    return block


def _dictated_alternative(alternative: dict[str, Any]) -> dict[str, Any]:
    """An alternative's flat items through the dictation rules (as full items and back)."""
    full = [{"type": it["type"], **{k: it[k] for k in ("start_time", "end_time") if k in it},
             "alternatives": [{"confidence": it.get("confidence", "0.0"), "content": it["content"]}]}
            for it in alternative.get("items", [])]
    dictated = apply_spoken_punctuation(full)
    return {**alternative, "transcript": render_text(dictated), "items": _flat(dictated)}


def _segments_for_dictation(segments: list[dict[str, Any]], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each segment's first alternative is the final items in its time span; the others dictated."""
    out: list[dict[str, Any]] = []
    for seg in segments:
        alts = [_dictated_alternative(a) for a in seg.get("alternatives", [])]
        inside = _items_between(items, float(seg["start_time"]), float(seg["end_time"]))
        if alts and inside:
            alts[0] = {**alts[0], "transcript": render_text(inside), "items": _flat(inside)}
        out.append({**seg, "alternatives": alts})
    return out


def _items_between(items: list[dict[str, Any]], lo: float, hi: float) -> list[dict[str, Any]]:
    """Items whose words fall in [lo, hi], with the punctuation that follows them."""
    out: list[dict[str, Any]] = []
    taking = False
    for it in items:
        if it["type"] == PRONUNCIATION and "start_time" in it:
            taking = lo <= float(it["start_time"]) and float(it["end_time"]) <= hi
        if taking:
            out.append(it)
    return out


def _flat(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for it in items:
        entry: dict[str, Any] = {k: it[k] for k in ("start_time", "end_time") if k in it}
        best = it["alternatives"][0]
        entry.update(confidence=best["confidence"], content=best["content"], type=it["type"])
        flat.append(entry)
    return flat


def blocks(results: dict[str, Any], items: list[dict[str, Any]], dictation: bool) -> dict[str, Any]:
    """The medical ``speaker_labels`` / ``channel_labels`` / ``segments`` present in ``results``,
    rebuilt over the final ``items``."""
    out: dict[str, Any] = {}
    if "speaker_labels" in results:
        out["speaker_labels"] = speaker_labels(items)
    if "channel_labels" in results:
        out["channel_labels"] = channel_labels(items, int(results["channel_labels"].get("number_of_channels", 2)))
    if "segments" in results:
        segs = results["segments"]
        out["segments"] = _segments_for_dictation(segs, items) if dictation else segs
    return out
