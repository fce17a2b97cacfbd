"""One rule that turns measurements over training seeds into a verdict on a paper's claim.

Every paper package uses it, so "holds" means the same thing in every notebook.
The statistics run across seeds of the *expensive* stage (training, pretraining), never across
cheaper repetitions (probe draws, evaluation splits) of one trained network.

The rule. A claim is a statement "our estimate is above (or below) a reference", where the estimate is
the mean over seeds of one quantity, or of a difference between two quantities measured on the same
seeds. Its *spread* is the sample standard deviation across seeds (ddof = 1) of that quantity (of the
per-seed difference for paired seeds). Then

- ``holds``          when the whole interval mean ± spread lies on the claimed side of the reference,
- ``does not hold``  when the whole interval lies on the other side,
- ``inconclusive``   when the interval contains the reference (the difference is within the spread).

One seed has no spread (0): the verdict is then the point estimate's and says ``n_seeds = 1``.
A network that did not fit its training set makes the claim ``untestable`` instead (:func:`underfits`,
:func:`guarded`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

HOLDS, FAILS, INCONCLUSIVE, UNTESTABLE = "holds", "does not hold", "inconclusive", "untestable"


@dataclass(frozen=True)
class Verdict:
    """A verdict with the numbers behind it: ``estimate`` (mean over seeds), ``spread`` (std across seeds)."""

    label: str
    estimate: float
    spread: float
    n_seeds: int
    reference: float
    reason: str = ""

    @property
    def holds(self) -> bool | None:
        """True / False for a decided verdict, None for inconclusive or untestable."""
        return {HOLDS: True, FAILS: False}.get(self.label)

    def brief(self, digits: int = 1) -> str:
        """"+1.2 ± 0.3 (holds)" -- a signed estimate, its spread and the verdict, for a table cell."""
        return f"{self.estimate:+.{digits}f} ± {self.spread:.{digits}f} ({self.label})"

    def describe(self, unit: str = "", digits: int = 2) -> str:
        """"0.93 ± 0.02 (3 seeds) vs 0.90" -- the numbers the verdict was read from."""
        return (f"{self.estimate:.{digits}f}{unit} ± {self.spread:.{digits}f}{unit} ({self.n_seeds} seed"
                f"{'s' if self.n_seeds != 1 else ''}) vs {self.reference:.{digits}f}{unit}")


def _values(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    if arr.size == 0:
        raise ValueError(f"{name}: give one value per training seed (got none)")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: every per-seed value must be finite; got {arr.tolist()}")
    return arr


def _decide(mean: float, spread: float, n: int, reference: float, direction: str) -> Verdict:
    """The rule of the module docstring for an estimate ``mean`` ± ``spread`` against ``reference``."""
    low, high = mean - spread, mean + spread
    if direction == "above":
        label = HOLDS if low > reference else FAILS if high <= reference else INCONCLUSIVE
    elif direction == "below":
        label = HOLDS if high < reference else FAILS if low >= reference else INCONCLUSIVE
    else:
        raise ValueError(f"direction={direction!r}: use 'above' or 'below'")
    return Verdict(label, float(mean), float(spread), int(n), float(reference))


def _spread(values: np.ndarray) -> float:
    return float(values.std(ddof=1)) if values.size > 1 else 0.0


def at_least(values, reference: float) -> Verdict:
    """Claim: the quantity (one value per seed) is above ``reference``."""
    v = _values(values, "at_least")
    return _decide(float(v.mean()), _spread(v), v.size, reference, "above")


def at_most(values, reference: float) -> Verdict:
    """Claim: the quantity (one value per seed) is below ``reference``."""
    v = _values(values, "at_most")
    return _decide(float(v.mean()), _spread(v), v.size, reference, "below")


def greater(first, second, by: float = 0.0, paired: bool | None = None) -> Verdict:
    """Claim: ``first`` exceeds ``second`` by more than ``by``, each given per seed.

    Paired (the default for equal lengths: the same data and seed, two settings): spread of the
    per-seed difference. Unpaired (``paired=False``, or different lengths: independent runs of two
    methods): spread sqrt(s1^2 + s2^2) of the two std's.
    """
    a, b = _values(first, "greater(first)"), _values(second, "greater(second)")
    if paired and a.size != b.size:
        raise ValueError(f"greater(paired=True) needs one value per seed on both sides; got {a.size} and {b.size}")
    if a.size == b.size and paired is not False:
        d = a - b
        return _decide(float(d.mean()), _spread(d), d.size, by, "above")
    return _decide(float(a.mean() - b.mean()), float(np.hypot(_spread(a), _spread(b))), min(a.size, b.size), by,
                   "above")


def within(values, reference: float, tolerance: float) -> Verdict:
    """Claim: the quantity is within ``tolerance`` of ``reference`` (|mean - reference| <= tolerance).

    Holds when mean ± spread lies inside [reference - tolerance, reference + tolerance]; does not hold
    when it lies wholly outside; inconclusive when it straddles an edge.
    """
    if tolerance < 0:
        raise ValueError(f"within(tolerance={tolerance}): the tolerance must be >= 0")
    v = _values(values, "within")
    mean, spread = float(v.mean()), _spread(v)
    lo, hi = mean - spread, mean + spread
    if lo >= reference - tolerance and hi <= reference + tolerance:
        label = HOLDS
    elif hi < reference - tolerance or lo > reference + tolerance:
        label = FAILS
    else:
        label = INCONCLUSIVE
    return Verdict(label, mean, spread, int(v.size), float(reference))


def guarded(result: Verdict, reason: str | None) -> Verdict:
    """``result`` unchanged, or, when ``reason`` says the test cannot be a finding (e.g. :func:`underfits`),
    the same numbers labelled ``untestable`` with that reason."""
    return replace(result, label=UNTESTABLE, reason=reason) if reason else result


def first_failure(*reasons: str | None) -> str | None:
    """The first non-empty reason (several networks compared: any one that underfits makes it untestable)."""
    return next((r for r in reasons if r), None)


def weakest(*results: Verdict) -> Verdict:
    """The verdict of a claim that needs all of ``results`` (a conjunction): does not hold < untestable <
    inconclusive < holds. One part that does not hold decides it, even when another part could not be
    tested; otherwise one untestable part makes the whole untestable."""
    order = {FAILS: 0, UNTESTABLE: 1, INCONCLUSIVE: 2, HOLDS: 3}
    return min(results, key=lambda v: order[v.label])


def underfits(train_accuracy, minimum: float = 0.95) -> str | None:
    """The ``untestable`` reason when the mean training accuracy (a fraction, per seed) is below ``minimum``."""
    acc = _values(train_accuracy, "underfits")
    if acc.mean() < minimum:
        return f"network underfits (train {100 * acc.mean():.1f} % < {100 * minimum:.0f} %)"
    return None
