"""Pretraining throughput (segments per second) of the PRIMUS objectives.

``make bench`` calls :func:`bench_pretraining_throughput` (CPU by default). The same code runs on a
GPU and under ``torchrun``, because it trains through :func:`lib.primus.pretrain.pretrain` →
:func:`lib.train.fit`::

    python -m lib.primus.bench --device cuda --segments 20000
    torchrun --nproc_per_node 2 -m lib.primus.bench --segments 4096      # DDP, gloo on CPU

The corpus is random numbers of the real shapes (6 × 250 IMU, 512-d video/text): throughput does not
depend on the content. The median of three epochs after a warm-up epoch is reported (the machine may
be shared); the number is training windows per second of wall time for the whole step (augmentation,
every encoder pass, losses, the NN queue, Adam).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch

from lib.primus.objectives import get_objective
from lib.primus.pretrain import pretrain


def random_corpus(n: int, seed: int = 0) -> dict:
    """A corpus of the real shapes filled with noise (acc around gravity, unit-norm embeddings)."""
    rng = np.random.default_rng(seed)
    imu = rng.normal(size=(n, 6, 250)).astype(np.float32)
    imu[:, 1] += 9.81
    emb = rng.normal(size=(2, n, 512)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=2, keepdims=True)
    return {"imu": imu, "video": emb[0], "text": emb[1]}


def measure(objective: str, n_segments: int = 2048, batch_size: int = 128, device="cpu", seed: int = 0,
            epochs: int = 4) -> dict:
    """Train ``epochs`` epochs; segments/s of the median epoch after the first (warm-up) one."""
    corpus = random_corpus(n_segments, seed)
    started = time.perf_counter()
    _, report = pretrain(objective, corpus, epochs=epochs, batch_size=batch_size, seed=seed, device=device,
                         val_fraction=0.0, desc=f"bench {objective}")
    # the median warm epoch (the first pays one-off costs), all processes together
    per_s = report["n_train"] / float(np.median(report["epoch_seconds"][1:]))
    return {"segments_per_s": per_s, "wall_s": time.perf_counter() - started,
            "views": get_objective(objective).views}


def bench_pretraining_throughput(objectives=("primus", "imu2clip", "simclr", "multitask_ssl"),
                                 n_segments: int = 1024, batch_size: int = 128, device: str = "cpu") -> dict:
    """{objective}_segments_per_s for each objective, plus the threads used; CPU unless told otherwise."""
    out = {"device": str(device), "torch_threads": torch.get_num_threads(), "batch_size": batch_size,
           "n_segments": n_segments}
    for name in objectives:
        numbers = measure(name, n_segments, batch_size, device)
        out[f"{name}_segments_per_s"] = round(numbers["segments_per_s"], 1)
        out[f"{name}_encoder_passes_per_window"] = numbers["views"]
    out["primus_vs_imu2clip_time_ratio"] = round(out["imu2clip_segments_per_s"] / out["primus_segments_per_s"], 2) \
        if "imu2clip" in objectives and "primus" in objectives else None
    return out


def main(argv=None) -> int:
    """Command line of ``python -m lib.primus.bench``: measure one objective's pretraining throughput and print it."""
    parser = argparse.ArgumentParser(prog="python -m lib.primus.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--objective", default="primus")
    parser.add_argument("--segments", type=int, default=2048)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    numbers = measure(args.objective, args.segments, args.batch_size, args.device)
    rank = int(os.environ.get("RANK", "0"))
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if rank == 0:
        print(f"{args.objective}: {numbers['segments_per_s']:.1f} segments/s in total over {world} process(es) "
              f"on {args.device} (global batch {args.batch_size}, {args.segments} segments)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
