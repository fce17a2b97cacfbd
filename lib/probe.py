"""Few-shot linear probing over repeated seeds (mean ± std), as PRIMUS evaluates encoders (paper §III).

Protocol (PRIMUS reference code, Nokia-Bell-Labs/pretrained-imu-encoders, downstream_evaluation/): for each N
in the shot list, draw N labelled windows **per class** from the training split (a class with ≤ N windows keeps
all of them), fit a classifier, measure accuracy (overall, micro) on the whole held-out test split; repeat with
several seeds and report mean ± std. The probe is scikit-learn's multinomial logistic regression on **L2-normalised**
embeddings of a frozen encoder (the reference probes the MM head's output, L2-normalised, with a
linear layer). A shot count is kept only "where the data allow": N ≤ the smallest class's count of
training windows.

:func:`few_shot_curve` runs any ``fit_predict(train_index, seed) -> test predictions``, so the same
sampling serves linear probes and full training from scratch (P2's "standard training" baseline).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

#: The shot counts of PRIMUS Fig. 4–6 (samples per class), "where the data allow".
PAPER_SHOTS = (1, 2, 5, 10, 20, 50, 100, 200, 500)


def l2_normalise(features: np.ndarray) -> np.ndarray:
    """(N, D) float64 ``features`` with each row scaled to unit L2 norm (all-zero rows stay zero)."""
    features = np.asarray(features, dtype=np.float64)
    return features / np.maximum(np.linalg.norm(features, axis=1, keepdims=True), 1e-12)


def usable_shots(train_labels: np.ndarray, shots: Sequence[int] = PAPER_SHOTS) -> list[int]:
    """The shot counts N ≤ the smallest class's number of training windows."""
    counts = np.unique(np.asarray(train_labels), return_counts=True)[1]
    if len(counts) < 2:
        raise ValueError(f"few-shot probing needs at least two classes in the training labels; got {len(counts)}")
    return [int(n) for n in shots if n <= counts.min()]


def sample_few_shot(labels: np.ndarray, n_per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``n_per_class`` random windows of each class (all of a class with fewer), sorted."""
    if n_per_class < 1:
        raise ValueError(f"sample_few_shot(n_per_class={n_per_class}) must be >= 1")
    labels = np.asarray(labels)
    chosen = []
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        chosen.append(members if len(members) <= n_per_class else rng.choice(members, n_per_class, replace=False))
    return np.sort(np.concatenate(chosen))


def logistic_probe(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, *, C: float = 10.0,
                   max_iter: int = 2000) -> np.ndarray:
    """Fit multinomial logistic regression on L2-normalised features; return test predictions.

    C = 10 (weak L2 penalty): unit-norm 512-d features have coordinates of order 0.04, for which
    scikit-learn's default C = 1 shrinks the probe towards predicting the majority class.
    BLAS and OpenMP run single-threaded here: for problems this small, extra threads only add synchronisation
    (and on a shared machine they made a 4000 × 512 fit 10× slower).
    """
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        clf = LogisticRegression(C=C, max_iter=max_iter)
        clf.fit(l2_normalise(train_x), np.asarray(train_y))
        return clf.predict(l2_normalise(test_x))


def few_shot_curve(train_labels: np.ndarray, test_labels: np.ndarray,
                   fit_predict: Callable[[np.ndarray, int], np.ndarray], *,
                   shots: Sequence[int] = PAPER_SHOTS, seeds: Sequence[int] = (0, 1, 2), method: str = "",
                   progress: bool = False):
    """Accuracy of ``fit_predict(train_index, seed)`` for every (shot, seed): a long DataFrame.

    Columns: method, shots, seed, accuracy. Shots beyond what the data allow are dropped.
    """
    import pandas as pd
    from tqdm.auto import tqdm

    if len(seeds) < 1:
        raise ValueError("few_shot_curve needs at least one seed")
    test_labels = np.asarray(test_labels)
    rows = []
    grid = [(n, s) for n in usable_shots(train_labels, shots) for s in seeds]
    for n, seed in tqdm(grid, desc=f"probe {method}", leave=False, disable=not progress or None):
        index = sample_few_shot(train_labels, n, np.random.default_rng([seed, n]))
        pred = np.asarray(fit_predict(index, seed))
        rows.append({"method": method, "shots": n, "seed": seed, "accuracy": float(np.mean(pred == test_labels))})
    return pd.DataFrame(rows, columns=["method", "shots", "seed", "accuracy"])


def linear_probe_curve(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, test_y: np.ndarray, *,
                       shots: Sequence[int] = PAPER_SHOTS, seeds: Sequence[int] = (0, 1, 2), method: str = "",
                       C: float = 10.0):
    """:func:`few_shot_curve` with :func:`logistic_probe` on precomputed frozen-encoder features."""
    train_x, train_y = np.asarray(train_x), np.asarray(train_y)
    if len(train_x) != len(train_y) or len(test_x) != len(test_y):
        raise ValueError(f"features and labels differ in length: train {len(train_x)} vs {len(train_y)}, "
                         f"test {len(test_x)} vs {len(test_y)}")
    return few_shot_curve(train_y, test_y, lambda idx, seed: logistic_probe(train_x[idx], train_y[idx], test_x, C=C),
                          shots=shots, seeds=seeds, method=method)


def summarise(curves):
    """Mean ± std over seeds per (method, shots): columns method, shots, mean, std, n_seeds."""
    grouped = curves.groupby(["method", "shots"], sort=False)["accuracy"]
    out = grouped.agg(mean="mean", std="std", n_seeds="count").reset_index()
    out["std"] = out["std"].fillna(0.0)
    return out
