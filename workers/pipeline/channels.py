"""Channel identification (``ChannelIdentification``): each channel transcribed on its own.

Call recordings put the agent on one channel and the caller on the other; transcribing the mix
would interleave their words and lose who said what. Each channel is recognised separately, its
tokens labelled ``ch_0``/``ch_1``, and the channels are merged in time order, one recognizer
segment (an utterance) at a time so that crosstalk never splits an utterance word by word.
The output adds ``channel_label`` on items and audio segments, and ``results.channel_labels``
(``channels[].items`` repeat the items without their ``id``, as AWS's current format does).
More than two channels never gets here: the media check fails such files with AWS's reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from workers.pipeline.transcript import OPENING, PUNCTUATION, Token

LABEL = "channel_label"
#: A pause this long on one channel ends an utterance (the other channel may speak in it).
PAUSE_SECONDS = 0.5
#: Keeps segment indexes of different channels apart (audio_segments group by segment index).
SEGMENT_STRIDE = 1_000_000


def wanted(settings: dict[str, Any]) -> bool:
    return bool(settings.get("ChannelIdentification"))


def label(n: int) -> str:
    return f"ch_{n}"


def utterances(tokens: Sequence[Token], pause: float = PAUSE_SECONDS) -> list[list[Token]]:
    """A channel's tokens cut where its recognizer segment changes or its speaker pauses.

    Whisper segments on a channel that is silent while the other side talks can span that silence,
    so segments alone are too coarse to interleave two channels in time order.
    """
    out: list[list[Token]] = []
    last_end: float | None = None
    last_segment: int | None = None
    pending: list[Token] = []  # opening marks waiting for their word
    for tok in tokens:
        if tok.type == PUNCTUATION:
            if tok.content[0] in OPENING or not out:
                pending.append(tok)
            else:
                out[-1].append(tok)
            continue
        new = (not out or tok.segment != last_segment
               or (tok.start is not None and last_end is not None and tok.start - last_end >= pause))
        if new:
            out.append([])
        out[-1].extend(pending)
        pending = []
        out[-1].append(tok)
        last_end, last_segment = tok.end, tok.segment
    if pending and out:
        out[-1].extend(pending)
    return out


def merge(token_lists: Sequence[Sequence[Token]]) -> list[Token]:
    """Tokens of all channels, labelled, utterances ordered by start time (channel breaks ties)."""
    groups: list[tuple[float, int, list[Token]]] = []
    for c, tokens in enumerate(token_lists):
        for n, utterance in enumerate(utterances(tokens)):
            toks = [replace(t, segment=c * SEGMENT_STRIDE + n, labels={**t.labels, LABEL: label(c)})
                    for t in utterance]
            start = min((t.start for t in toks if t.start is not None), default=float("inf"))
            groups.append((start, c, toks))
    groups.sort(key=lambda g: (g[0], g[1]))
    return [tok for _, _, toks in groups for tok in toks]


def block(items: Sequence[dict[str, Any]], number_of_channels: int) -> dict[str, Any]:
    channels = []
    for c in range(number_of_channels):
        name = label(c)
        channels.append({
            "channel_label": name,
            "items": [{k: v for k, v in item.items() if k != "id"} for item in items if item.get(LABEL) == name],
        })
    return {"channels": channels, "number_of_channels": number_of_channels}


def add_block(transcript: dict[str, Any], number_of_channels: int) -> None:
    """Insert ``channel_labels`` after ``transcripts``, where AWS's files have it."""
    results = transcript["results"]
    ordered: dict[str, Any] = {}
    for key, value in results.items():
        if key == "channel_labels":
            continue  # rebuilt below
        ordered[key] = value
        if key == "transcripts":
            ordered["channel_labels"] = block(results["items"], number_of_channels)
    results.clear()
    results.update(ordered)
