"""Figures of notebooks 10-12 (P1): spectrogram pairs (Fig. 1-2), the simulator's physics, training curves
(Fig. 6-7), training-set size (Fig. 8), the learning curve and single-clip detection. Each returns the
matplotlib figure.

:data:`REDRAW` maps each notebook to a function that redraws every figure it saves from its results
record (``python -m lib.figures 11_footstep_siamese_training``). Curves and tables come from the record's
``values``; the scene figures of notebook 10 (spectrograms of single clips) are simulated again from the
record's seed and preset, which takes seconds.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import signal

from lib.figures import AbsentDataWarning
from lib.footsteps import experiments, sources, spec
from lib.footsteps.claims import PAPER_TRAINING_SIZE
from lib.footsteps.features import log_mel
from lib.plots import PALETTE, figure_size, legend_outside

FRAME_S = 0.010  # hop of the log-mel frames
#: The data stamp of the figure whose step sounds are real recordings in a simulated scene.
REAL_SOUNDS_STAMP = "synthetic scene; real footstep sounds (freesound, CC0/CC BY 3.0)"
#: Figure 8's title: the paper's two training-set sizes.
FIG8_TITLE = "Fig. 8: 200 vs 500 training pairs per class"


def spectrogram_pair(audio: np.ndarray, geophone: np.ndarray, title: str, axes=None):
    """Paper Fig. 1/2: audio and geophone log-mel spectrograms (999 x 50, time x mel) side by side."""
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=figure_size("wide", 2.8), sharey=True)
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
        fig, axes = plt.subplots(2, 1, figsize=figure_size("wide", 3.6), sharex=True)
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
    fig, axes = plt.subplots(1, 4, figsize=figure_size("page", 3.2))
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
    fig, axes = plt.subplots(1, 2, figsize=figure_size("wide", 3.6), sharey=metric == "acc")
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

    table: records (notebook 12's ``values["learning_curve"]``) or a DataFrame indexed by pairs per class,
    with columns "training pairs per class", train, test, "test sd" (percent) and seeds; paper: {pairs per
    class: the paper's test accuracy (percent)}, drawn as crosses.
    """
    if not isinstance(table, pd.DataFrame):
        table = pd.DataFrame(table).set_index("training pairs per class")
    fig, ax = plt.subplots(figsize=figure_size("column", 3.6))
    n = np.asarray(table.index, float)
    ax.errorbar(n, table["test"], yerr=table["test sd"], fmt="o-", color=PALETTE[0], capsize=3,
                label="ours: test (± sd across seeds)")
    ax.plot(n, table["train"], "s--", color=PALETTE[1], lw=1, label="ours: train")
    for i, (pairs, acc) in enumerate(sorted((paper or {}).items())):
        ax.plot([pairs], [acc], "x", color="k", ms=9, mew=2, label="paper (test)" if i == 0 else None)
    ax.set(xscale="log", xlabel="training pairs per class", ylabel="top-1 accuracy (combinations, %)",
           title="learning curve")
    legend_outside(ax, "right", fontsize=8)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- notebook 10


def paper_pairs(pairs: dict) -> dict:
    """Paper Fig. 1 (a negative pair) and Fig. 2 (a positive pair) as log-mel spectrograms, by figure name.

    pairs: {"positive": (audio, geophone, ...), "negative": (...)} with the raw signals (16 kHz audio,
    4 kHz geophone, 10 s each), e.g. from :func:`lib.footsteps.experiments.example_pairs`.
    """
    out = {}
    for name, key, title in (("p1_fig1_negative_pair", "negative", "Fig. 1, negative"),
                             ("p1_fig2_positive_pair", "positive", "Fig. 2, positive")):
        audio, geo = pairs[key][:2]
        out[name] = spectrogram_pair(log_mel(audio, sources.AUDIO_RATE), log_mel(geo, sources.GEO_RATE), title)
    return out


def negative_kinds(gallery: dict):
    """Audio and geophone spectrograms of one negative scene per kind, one row each.

    gallery: {kind: (audio, geophone, SceneInfo)} (:func:`lib.footsteps.experiments.negative_gallery`).
    """
    fig, axes = plt.subplots(len(gallery), 2, figsize=figure_size("wide", 1.9 * len(gallery)), sharex=True)
    for row, (kind, (audio, geo, info)) in enumerate(gallery.items()):
        spectrogram_pair(log_mel(audio, sources.AUDIO_RATE), log_mel(geo, sources.GEO_RATE), kind, axes=axes[row])
        extras = f" ({', '.join(info.extras)})" if info.extras else ""
        axes[row, 0].set_title(f"{kind}{extras}: audio", fontsize=9)
        axes[row, 1].set_title(f"{kind}: geophone", fontsize=9)
        if row < len(gallery) - 1:
            axes[row, 0].set_xlabel("")
            axes[row, 1].set_xlabel("")
    fig.tight_layout()
    return fig


def real_step_sounds(audio: np.ndarray, geophone: np.ndarray):
    """Spectrograms of a simulated scene whose step sounds are real recordings (audio 16 kHz, geophone 4 kHz)."""
    return spectrogram_pair(log_mel(audio, sources.AUDIO_RATE), log_mel(geophone, sources.GEO_RATE),
                            "real step sounds")


def dataset_statistics(positives: dict):
    """Four histograms of the positive scenes: heel strikes per clip, cadence (steps/s), nearest step (m), floors.

    positives: {"n_steps", "cadence_hz", "nearest_m", "floor": one value per positive scene} (notebook 10's
    ``values["positives"]``).
    """
    pos = pd.DataFrame(positives)
    fig, axes = plt.subplots(1, 4, figsize=figure_size("page", 2.8))
    axes[0].hist(pos.n_steps, bins=np.arange(0, 30, 2), color="#0173b2")
    axes[0].set(title="heel strikes per positive clip", xlabel="steps")
    axes[1].hist(pos.cadence_hz, bins=12, color="#de8f05")
    axes[1].set(title="cadence", xlabel="steps per second")
    axes[2].hist(pos.nearest_m, bins=12, color="#029e73")
    axes[2].set(title="nearest step to the geophone", xlabel="m")
    pos.floor.value_counts().plot.bar(ax=axes[3], color="#cc78bc", rot=0)
    axes[3].set(title="floors (positives)")
    fig.tight_layout()
    return fig


def presets_positives(by_preset: dict):
    """Nearest step (m) and heel strikes per clip of the positives of two simulator presets, overlaid.

    by_preset: {preset: {"nearest_m": [...], "n_steps": [...]}} with as many positives per preset
    (notebook 10's ``values["presets_positives"]``).
    """
    n_cmp = len(next(iter(by_preset.values()))["nearest_m"])
    fig, axes = plt.subplots(1, 2, figsize=figure_size("wide", 2.8))
    for preset, pos in by_preset.items():
        axes[0].hist(pos["nearest_m"], bins=np.linspace(0, 6, 25), alpha=0.6, label=preset)
        axes[1].hist(pos["n_steps"], bins=np.arange(0, 50, 2), alpha=0.6, label=preset)
    axes[0].set(title=f"nearest step to the geophone ({n_cmp} positives each)", xlabel="m", ylabel="scenes")
    axes[1].set(title="heel strikes per positive clip", xlabel="steps")
    axes[0].legend()
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- notebook 12


def single_clip_detection(records: list):
    """Single-clip test accuracy (fraction) against support clips per class k, one line per detector.

    records: notebook 12's ``values["detection"]`` (column "k (support clips per class)" and one column
    per detector).
    """
    detection = pd.DataFrame(records).set_index("k (support clips per class)")
    fig, ax = plt.subplots(figsize=figure_size("column", 3.4))
    for i, name in enumerate(detection):
        ax.plot(detection.index, detection[name], "o-", color=f"C{i}", label=name)
    ax.set(xscale="log", xlabel="support clips per class (k)", ylabel="test accuracy (clips)",
           title="single-clip detection")
    legend_outside(ax, "right")
    return fig


# --------------------------------------------------------------------------- redrawing from results records


def redraw_10(record: dict) -> dict:
    """Notebook 10's figures from its results record; the scenes are simulated again from its seed and preset.

    A run on real data (``params["data_root"]``) redraws Fig. 1-2 only when that folder is still there; the
    data-set figures need ``values["positives"]`` and ``values["presets_positives"]`` (absent from records
    written before they were added).
    """
    values, seed, root = record["values"], record["seed"], record["params"].get("data_root")
    figs: dict = {"p1_simulator_physics": (simulator_physics(seed), True)}
    if root is None or Path(root).is_dir():
        figs.update(paper_pairs(experiments.example_pairs(seed, values["scenes"], root)))
    if root is not None:
        return figs
    figs["p1_negative_kinds"] = (negative_kinds(experiments.negative_gallery(seed)), True)
    scene = experiments.real_sound_scene(seed)
    if scene is not None:
        figs["p1_real_step_sounds"] = (real_step_sounds(*scene[:2]), REAL_SOUNDS_STAMP)
    else:
        warnings.warn(AbsentDataWarning(f"{spec.STEP_CLIPS_DIR} is absent: p1_real_step_sounds is not redrawn",
                                        ["p1_real_step_sounds"]), stacklevel=2)
    if values.get("positives"):
        figs["p1_dataset_statistics"] = (dataset_statistics(values["positives"]), True)
    if values.get("presets_positives"):
        by_preset = _in_order(values["presets_positives"], ["paper", "hard"])  # the notebook's order
        figs["p1_presets_positives"] = (presets_positives(by_preset), True)
    return figs


def _in_order(table: dict, first: list) -> dict:
    """``table`` with the keys of ``first`` (those present) leading, in that order, then the rest.

    Results JSON sorts its keys (:func:`lib.repro.write_results`), so a redraw states the order the notebook
    drew its series in rather than relying on the file's."""
    return {**{k: table[k] for k in first if k in table}, **table}


def redraw_11(record: dict) -> dict:
    """Notebook 11's Figures 6-7 (accuracy and loss for several batch sizes) from ``values["curves"]``."""
    sizes = [int(s) for s in str(record["params"]["batch_sizes"]).split(",") if s.strip()]
    order = [f"2DCNN, BS {sizes[0]}", f"LSTM, BS {sizes[0]}", *(f"2DCNN, BS {s}" for s in sizes[1:])]
    curves = _in_order(record["values"]["curves"], order)
    return {"p1_fig6_batch_size_accuracy": training_curves(curves, "acc"),
            "p1_fig7_batch_size_loss": training_curves(curves, "loss")}


def redraw_12(record: dict) -> dict:
    """Notebook 12's Figure 8, learning curve and single-clip detection from its results ``values``."""
    values, params = record["values"], record["params"]
    curves = _in_order(values["curves"], [f"{params[n]} pairs per class" for n in ("n_small", "n_large")])
    detectors = ["k (support clips per class)", "audio + geophone", "audio only", "geophone only"]
    detection = [_in_order(row, detectors) for row in values["detection"]]
    return {"p1_fig8_training_size": training_curves(curves, "acc", title=FIG8_TITLE),
            "p1_learning_curve": learning_curve(values["learning_curve"], paper=PAPER_TRAINING_SIZE),
            "p1_single_clip_detection": single_clip_detection(detection)}


#: notebook stem -> redraw function (see :mod:`lib.figures`).
REDRAW = {"10_footstep_data": redraw_10, "11_footstep_siamese_training": redraw_11,
          "12_footstep_training_size": redraw_12}
