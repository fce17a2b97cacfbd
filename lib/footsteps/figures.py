"""Figures of notebooks 10-12 (P1): spectrogram pairs (Fig. 1-2), the simulator's physics, training curves
(Fig. 6-7), training-set size (Fig. 8) and per-kind detection. Each returns the matplotlib figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from scipy import signal

from lib.footsteps import sources
from lib.plots import PALETTE

FRAME_S = 0.010  # hop of the log-mel frames


def spectrogram_pair(audio: np.ndarray, geophone: np.ndarray, title: str, axes=None):
    """Paper Fig. 1/2: audio and geophone log-mel spectrograms (999 x 50, time x mel) side by side."""
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(10, 2.8), sharey=True)
    else:
        fig = axes[0].figure
    extent = (0, audio.shape[0] * FRAME_S, 0, audio.shape[1])
    for ax, feat, name in ((axes[0], audio, "audio (16 kHz)"), (axes[1], geophone, "geophone (4 kHz)")):
        im = ax.imshow(feat.T, origin="lower", aspect="auto", extent=extent, cmap="magma",
                       vmin=np.percentile(feat, 2), vmax=feat.max())
        ax.set(title=f"{title}: {name}", xlabel="time (s)")
        ax.grid(False)
        fig.colorbar(im, ax=ax, pad=0.01, label="log magnitude")
    axes[0].set_ylabel("mel band")
    return fig


def scene_waveforms(audio: np.ndarray, geophone: np.ndarray, info, axes=None):
    """A scene's two waveforms with its heel-strike times marked (red ticks)."""
    if axes is None:
        fig, axes = plt.subplots(2, 1, figsize=(10, 3.6), sharex=True)
    else:
        fig = axes[0].figure
    axes[0].plot(np.arange(audio.size) / sources.AUDIO_RATE, audio, lw=0.4, color=PALETTE[0])
    axes[0].set(ylabel="audio (a.u.)")
    axes[1].plot(np.arange(geophone.size) / sources.GEO_RATE, geophone, lw=0.4, color=PALETTE[1])
    axes[1].set(ylabel="geophone (V)", xlabel="time (s)")
    for t in getattr(info, "step_times", []):
        for ax in axes:
            ax.axvline(t, color=PALETTE[3], lw=0.6, alpha=0.5)
    extras = f" + {', '.join(info.extras)}" if info.extras else ""
    axes[0].set_title(f"{info.kind} on {info.floor}{' (' + info.shoe + ' shoes)' if info.shoe else ''}{extras}"
                      + (f"; {info.n_steps} steps at {info.cadence_hz:.2f} Hz, nearest {info.nearest_m:.1f} m"
                         if info.label else ""))
    return fig


def simulator_physics(seed: int = 0):
    """Four panels: heel-strike force pulses by shoe; floor velocity answering one step per floor type;
    the SM-24 geophone response; amplitude versus distance for floor vibration and sound."""
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(1, 4, figsize=(15, 3.2))
    rate = sources.GEO_RATE
    for i, (name, shoe) in enumerate(sources.SHOES.items()):
        width = np.mean(shoe.pulse_s)
        pulse = sources.force_pulses(np.array([width]), rate)[0]
        axes[0].plot(np.arange(pulse.size) / rate * 1000, pulse, label=f"{name} ({width * 1000:.0f} ms)", color=PALETTE[i])
    axes[0].set(title="heel-strike force pulse", xlabel="time (ms)", ylabel="force (normalised)")
    axes[0].legend()
    n = int(0.5 * rate)
    for i, (name, floor) in enumerate(sources.FLOORS.items()):
        freqs, zetas, gains = sources.draw_modes(rng, floor, 4)
        irs = sources.modal_velocity_irs(freqs, zetas, n, rate) * gains[:, None]
        pulse = sources.force_pulses(np.array([0.03 * floor.pulse_stretch]), rate)
        v = sources.fft_convolve_rows(pulse, irs, n).sum(0)
        axes[1].plot(np.arange(n) / rate, v / np.abs(v).max() * floor.vib_gain + 2.0 * i, color=PALETTE[i], lw=0.8)
        axes[1].text(0.5, 2.0 * i + 0.3, f"{name}: modes {freqs.min():.0f}-{freqs.max():.0f} Hz", ha="right", fontsize=8)
    axes[1].set(title="floor velocity after one step", xlabel="time (s)", yticks=[])
    f = np.logspace(0, np.log10(1000), 400)
    for i, zeta in enumerate((0.25, 0.35, 0.7)):
        b, a = sources.geophone_filter(rate, damping=zeta)
        _, h = signal.freqz(b, a, worN=f, fs=rate)
        axes[2].loglog(f, np.abs(h), color=PALETTE[i], label=f"damping {zeta}")
    axes[2].axvline(sources.SM24_NATURAL_HZ, color="0.5", ls="--", lw=0.8)
    axes[2].set(title="SM-24 model: V per (m/s)", xlabel="frequency (Hz)", ylim=(0.5, 200))
    axes[2].legend()
    r = np.linspace(0.5, 10, 200)
    for i, (name, kappa) in enumerate((("vibration 30 Hz, kappa 0.05", 0.05), ("vibration 30 Hz, kappa 0.2", 0.2))):
        axes[3].semilogy(r, sources.distance_weights(r, np.array([30.0]), kappa)[:, 0], color=PALETTE[i], label=name)
    axes[3].semilogy(r, 1 / np.maximum(r, 0.3), color=PALETTE[2], label="sound, direct path 1/r")
    axes[3].set(title="amplitude vs distance", xlabel="distance (m)", ylabel="relative to 1 m")
    axes[3].legend(fontsize=7)
    fig.tight_layout()
    return fig


def training_curves(curves: dict, metric: str = "acc", title: str = ""):
    """Paper Fig. 6 (metric="acc") / Fig. 7 (metric="loss"): (a) training and (b) validation curves.

    curves: {label: [history rows of one training seed, ...]} (rows: dicts with paper_epoch,
    train_<metric>, val_<metric>; a single list of rows is one seed). Each seed is a thin line, the mean
    over the seeds still training at a check a thick one; the x-axis is in the paper's epochs
    (1,000,000 combinations each), so curves of different batch sizes line up.
    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharey=metric == "acc")
    for i, (label, runs) in enumerate(curves.items()):
        runs = [runs] if runs and isinstance(runs[0], dict) else runs
        style = "--" if "LSTM" in label else "-"
        color = PALETTE[i % len(PALETTE)]
        for ax, split in zip(axes, ("train", "val")):
            by_check: dict = {}
            for rows in runs:
                x = [r.get("paper_epoch", r["epoch"]) for r in rows]
                y = [r[f"{split}_{metric}"] for r in rows]
                ax.plot(x, y, style, color=color, lw=0.6, alpha=0.45)
                for xi, yi in zip(x, y):
                    by_check.setdefault(xi, []).append(yi)
            xs = sorted(by_check)
            ax.plot(xs, [np.mean(by_check[x]) for x in xs], style, color=color, lw=1.8,
                    label=f"{label} ({len(runs)} seed{'s' if len(runs) > 1 else ''})")
    name = "accuracy (combinations)" if metric == "acc" else "contrastive loss"
    axes[0].set(title=f"(a) training {name}", xlabel="epoch (1,000,000 combinations)", ylabel=name)
    axes[1].set(title=f"(b) validation {name}", xlabel="epoch (1,000,000 combinations)")
    if metric == "loss":
        for ax in axes:
            ax.set_yscale("log")
    axes[1].legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def learning_curve(table, paper: dict | None = None):
    """Test (and training) accuracy against training pairs per class, log x-axis.

    table: DataFrame indexed by pairs per class with columns train, test, "test sd" (percent) and
    seeds; paper: {pairs per class: the paper's test accuracy (percent)}, drawn as crosses.
    """
    fig, ax = plt.subplots(figsize=(6.2, 3.6))
    n = np.asarray(table.index, float)
    ax.errorbar(n, table["test"], yerr=table["test sd"], fmt="o-", color=PALETTE[0], capsize=3,
                label="ours: test (± sd across seeds)")
    ax.plot(n, table["train"], "s--", color=PALETTE[1], lw=1, label="ours: train")
    for i, (pairs, acc) in enumerate(sorted((paper or {}).items())):
        ax.plot([pairs], [acc], "x", color="k", ms=9, mew=2, label="paper (test)" if i == 0 else None)
    ax.set(xscale="log", xlabel="training pairs per class", ylabel="top-1 accuracy (combinations, %)",
           title="learning curve")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
