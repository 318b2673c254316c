"""An 8 kHz telephone line for test and benchmark audio."""

from __future__ import annotations

import numpy as np

RATE = 16_000


def telephone(x: np.ndarray, *, mulaw: bool = False) -> np.ndarray:
    """16 kHz audio as it arrives from a telephone call: resampled to 8 kHz, band-passed to
    300-3400 Hz by a sharp linear-phase FIR (as G.712 codec filters are), optionally mu-law
    companded to 8 bits (G.711), and resampled back to 16 kHz. Times are kept (the filter's delay
    is taken out), so reference turns still hold."""
    from scipy.signal import firwin, lfilter, resample_poly

    low = resample_poly(x.astype(np.float64), 1, 2)
    taps = firwin(255, [300, 3400], pass_zero=False, fs=RATE // 2)
    band = lfilter(taps, 1.0, np.concatenate([low, np.zeros(127)]))[127:]
    if mulaw:
        mu = 255.0
        peak = max(float(np.abs(band).max()), 1e-9)
        y = np.sign(band) * np.log1p(mu * np.abs(band / peak)) / np.log1p(mu)
        y = np.round(y * 127) / 127
        band = np.sign(y) * np.expm1(np.abs(y) * np.log1p(mu)) / mu * peak
    return resample_poly(band, 2, 1)[: len(x)].astype(np.float32)
