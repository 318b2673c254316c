"""Streaming Silero VAD: speech probability per 32 ms frame, state carried across chunks.

Uses the Silero model that ships inside the faster-whisper wheel (no download), run frame by
frame with its recurrent state kept per channel, so endpointing sees audio as it arrives.
"""

from __future__ import annotations

import numpy as np

FRAME = 512  # samples at 16 kHz: 32 ms
_CONTEXT = 64


def _session() -> object:
    from faster_whisper.vad import get_vad_model

    return get_vad_model().session


class StreamingVad:
    def __init__(self) -> None:
        self._session = _session()
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def push(self, samples: np.ndarray) -> np.ndarray:
        """Speech probabilities of every frame completed by ``samples`` (leftovers wait)."""
        audio = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        n = len(audio) // FRAME
        self._pending = audio[n * FRAME:]
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        frames = audio[: n * FRAME].reshape(n, FRAME)
        contexts = np.concatenate([self._context[None, :], frames[:-1, -_CONTEXT:]], axis=0)
        self._context = frames[-1, -_CONTEXT:].copy()
        probs = []
        for ctx, frame in zip(contexts, frames, strict=True):
            batch = np.concatenate([ctx, frame])[None, :]
            out, self._h, self._c = self._session.run(  # type: ignore[attr-defined]
                None, {"input": batch, "h": self._h, "c": self._c})
            probs.append(float(np.asarray(out).reshape(-1)[0]))
        return np.asarray(probs, dtype=np.float32)
