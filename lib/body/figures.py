"""The figures of notebook 40 (P4 Fig. 1-4 and the real-vs-procedural walk), kept out of the notebook.

Every function draws on given axes (or a new figure) and returns the figure; saving and the
"synthetic data" stamp are the notebook's job (``run.savefig``).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from lib.body.analysis import dominant_frequency, spectrum
from lib.body.imu import IMUData
from lib.plots import PALETTE

AXIS_LABELS = ("x", "y (up)", "z")


def plot_site_acceleration(imu: IMUData, site: str, start_s: float = 0.0, seconds: float = 5.0, ax=None,
                           title: str | None = None, ylim: tuple | None = None):
    """The three acceleration axes of one sensor over ``seconds`` (P4 Fig. 1-2 style)."""
    import matplotlib.pyplot as plt

    if site not in imu.sites:
        raise ValueError(f"site {site!r} is not in this IMUData; sites: {list(imu.sites)}")
    k = imu.sites.index(site)
    first = int(round(start_s * imu.fps))
    last = min(imu.n_frames, first + int(round(seconds * imu.fps)))
    t = np.arange(first, last) / imu.fps
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.0))
    for axis in range(3):
        ax.plot(t, imu.acc[first:last, k, axis], color=PALETTE[axis], lw=1.2, label=AXIS_LABELS[axis])
    frame = "world, gravity removed" if imu.acc_frame == "world" and not imu.gravity else f"{imu.acc_frame} frame"
    ax.set(xlabel="time (s)", ylabel=f"acceleration (m/s²)\n{frame}", title=title or site)
    if ylim is not None:
        ax.set_ylim(ylim)
    ax.legend(loc="upper right", ncol=3, frameon=False)
    return ax.figure


def plot_real_vs_virtual(runs: Sequence[tuple[str, IMUData, slice]], site: str, seconds: float = 4.0,
                         axis: int = 1, band: tuple = (0.3, 10.0)):
    """Per run (label, imu, segment): a time trace of one axis of ``site`` (same axis limits for all)
    and the Welch spectra of the acceleration magnitude, dominant peaks marked."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 3.4), gridspec_kw={"width_ratios": [1.6, 1]})
    peak_y = 0.0
    for n, (label, imu, segment) in enumerate(runs):
        k = imu.sites.index(site)
        acc = imu.acc[segment, k]
        show = acc[: int(seconds * imu.fps)]
        t = np.arange(len(show)) / imu.fps
        axes[0].plot(t, show[:, axis], color=PALETTE[n], lw=1.2, label=label)
        mag = np.linalg.norm(acc, axis=-1)
        f, p = spectrum(mag, imu.fps)
        keep = (f >= band[0]) & (f <= band[1])
        axes[1].plot(f[keep], p[keep], color=PALETTE[n], lw=1.2, label=label)
        fd = dominant_frequency(mag, imu.fps, band)
        axes[1].axvline(fd, color=PALETTE[n], ls=":", lw=1)
        peak_y = max(peak_y, p[keep].max())
    axes[0].set(xlabel="time in the walking segment (s)", ylabel=f"{site} acc. {AXIS_LABELS[axis]} (m/s²)",
                title=f"{site}: {AXIS_LABELS[axis]} axis, same sensor and frame")
    axes[1].set(xlabel="frequency (Hz)", ylabel="PSD of |a| ((m/s²)²/Hz)", title="spectrum (dotted: dominant peak)",
                xlim=band)
    axes[0].legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig
