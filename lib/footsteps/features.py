"""Log-mel features of paper §3.3: 20 ms Hamming windows, 50 % overlap, 50 mel bands, log magnitude.

For a 10-s clip this gives exactly 999 frames x 50 bands for both the audio (16 kHz: 320-sample
window, 160-sample hop) and the geophone (4 kHz: 80-sample window, 40-sample hop). 999 frames is
what framing without padding yields (1 + (N - window) // hop); we compute librosa's centred STFT
(frames centred on multiples of the hop) and drop the first and last frame, which gives the same
frame centres. The FFT size is 512 (audio) and 256 (geophone: the paper's "256 bins"), so each
20-ms window is zero-padded to it. Mel filters use the HTK formula m = 2595 log10(1 + f / 700)
(paper Eq. 5-6) from 0 Hz to Nyquist; values are log(|S| mel-weighted + 1e-6) (Eq. 7).

:func:`scene_features` simulates scenes and caches their features on disk (``lib.repro.cached``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import librosa
import numpy as np

from lib.footsteps.simulator import SIMULATOR_VERSION, SceneConfig, load_step_clips, simulate_scenes
from lib.footsteps.sources import AUDIO_RATE, DURATION_S, GEO_RATE
from lib.repro import cached

N_FRAMES = 999
N_MELS = 50
WINDOW_S = 0.020
FEATURES_VERSION = "2"
LOG_FLOOR = 1e-6
N_FFT = {AUDIO_RATE: 512, GEO_RATE: 256}


def log_mel(signals: np.ndarray, rate: int) -> np.ndarray:
    """Log-mel spectrograms (..., 999, 50) float32 (time x mel) of 10-s signals (..., rate * 10).

    ``rate`` must be 16000 (audio) or 4000 (geophone); the signal length must be exactly 10 s.
    """
    signals = np.asarray(signals, dtype=np.float32)
    if rate not in N_FFT:
        raise ValueError(f"log_mel(rate={rate}): the paper's features are defined for {AUDIO_RATE} Hz audio "
                         f"and {GEO_RATE} Hz geophone signals; resample first")
    expected = int(round(DURATION_S * rate))
    if signals.shape[-1] != expected:
        raise ValueError(f"log_mel: signals have {signals.shape[-1]} samples on the last axis; a 10-s clip at "
                         f"{rate} Hz has {expected} (pad or crop first)")
    win = int(round(WINDOW_S * rate))
    mel = librosa.feature.melspectrogram(y=signals, sr=rate, n_fft=N_FFT[rate], hop_length=win // 2,
                                         win_length=win, window="hamming", center=True, power=1.0,
                                         n_mels=N_MELS, fmin=0.0, fmax=rate / 2, htk=True)
    mel = mel[..., 1:1 + N_FRAMES]  # drop the two half-padded edge frames -> 999
    return np.log(mel + LOG_FLOOR).swapaxes(-1, -2).astype(np.float32)


def _folder_digest(folder: Path | None) -> str | None:
    if folder is None:
        return None
    h = hashlib.sha256()
    for p in sorted(Path(folder).iterdir()):
        if p.is_file():
            h.update(p.name.encode())
            h.update(str(p.stat().st_size).encode())
    return h.hexdigest()[:16]


def scene_features(n_pos: int, n_neg: int, seed: int = 0, config=None, clips_dir: str | Path | None = None,
                   cache_dir: str | Path | None = None, chunk: int = 50, progress: bool = True) -> dict:
    """Simulate ``n_pos`` positive + ``n_neg`` negative scenes and return their features, cached on disk.

    Returns {"audio": (n, 999, 50) float32, "geophone": (n, 999, 50) float32, "label": (n,) int64, and
    per-scene "kind", "floor", "shoe", "extras" (str), "n_steps", "cadence_hz", "nearest_m"}. Positives come first. The cache key covers the counts, seed, simulator config
    and version, and the clip folder's file list (``clips_dir``: real footstep sounds, optional).
    """
    from tqdm.auto import tqdm


    config = config or SceneConfig()
    params = {"n_pos": int(n_pos), "n_neg": int(n_neg), "seed": int(seed), "config": config.to_dict(),
              "clips": _folder_digest(Path(clips_dir)) if clips_dir else None}

    def compute() -> dict:
        clips = load_step_clips(clips_dir) if clips_dir else None
        jobs = [(1, i) for i in range(0, n_pos, chunk)] + [(0, i) for i in range(0, n_neg, chunk)]
        audio, geo, labels, infos = [], [], [], []
        for label, first in tqdm(jobs, desc="simulating scenes", disable=not progress, leave=False):
            total = n_pos if label else n_neg
            count = min(chunk, total - first)
            scenes = simulate_scenes(count if label else 0, 0 if label else count, seed, config, clips,
                                     start=(first, first))
            audio.append(log_mel(scenes["audio"], AUDIO_RATE).astype(np.float16))
            geo.append(log_mel(scenes["geophone"], GEO_RATE).astype(np.float16))
            labels.append(scenes["label"])
            infos += scenes["info"]
        empty = np.zeros((0, N_FRAMES, N_MELS), np.float16)
        return {"audio": np.concatenate(audio) if audio else empty, "geophone": np.concatenate(geo) if geo else empty,
                "label": np.concatenate(labels) if labels else np.zeros(0, np.int64), **_info_arrays(infos)}

    out = cached("p1_scene_features", params, SIMULATOR_VERSION + "." + FEATURES_VERSION, compute, cache_dir=cache_dir)
    out["audio"] = out["audio"].astype(np.float32)
    out["geophone"] = out["geophone"].astype(np.float32)
    out["label"] = out["label"].astype(np.int64)
    return out


def _info_arrays(infos) -> dict:
    """Per-scene description as arrays (cacheable without pickle): kind, floor, shoe, extras, steps, cadence, distance."""
    return {"kind": np.array([i.kind for i in infos], dtype="U16"),
            "floor": np.array([i.floor for i in infos], dtype="U16"),
            "shoe": np.array([i.shoe for i in infos], dtype="U16"),
            "extras": np.array([",".join(i.extras) for i in infos], dtype="U64"),
            "n_steps": np.array([i.n_steps for i in infos], np.int64),
            "cadence_hz": np.array([i.cadence_hz for i in infos], np.float64),
            "nearest_m": np.array([i.nearest_m for i in infos], np.float64)}
