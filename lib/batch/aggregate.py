"""One table per notebook over a grid: every number and every claim, across the replicate seeds.

Rows are grouped by the grid's non-seed parameters (the seeds are the replicates); per group:

* each **numeric leaf of** ``values`` — nested dicts flattened with dotted keys (``fig8.acc_200``);
  booleans count as 0/1; ``null`` (a NaN/inf the results JSON could not hold) counts as missing.
  **Lists are skipped**: they are series (per-epoch histories, curves), not one number per run, and
  stay in each run's results JSON;
* each **claim**: in how many runs it holds (``holds`` of ``tested``; a run where the claim could
  not be tested, ``holds=None``, is not counted) and, where the claim's ``ours`` text has a number,
  the first number of it, so ``holds 3/5 · ours 0.91 ± 0.04`` reads as the paper's claim under five
  seeds. The verdict is ``holds`` (every tested run), ``fails`` (none), ``mixed`` or ``n/a``.

``mean ± std`` use the sample standard deviation (ddof = 1), empty for a single run; ``n`` is the
number of runs with a number. Only runs that finished are aggregated.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from lib.repro import atomic_write

COLUMNS = ["kind", "quantity", "n", "mean", "std", "min", "max", "holds", "tested", "verdict", "summary"]
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def flatten_numbers(values: dict, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a nested dict as ``{"a.b": 1.0}``; lists, strings and nulls are left out."""
    flat: dict[str, float] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten_numbers(value, name + "."))
        elif isinstance(value, (bool, int, float)) and not (isinstance(value, float) and math.isnan(value)):
            flat[name] = float(value)
    return flat


def first_number(text: Any) -> float | None:
    """The first number in a claim's ``ours`` text ("93.1 %" -> 93.1), or None."""
    match = _NUMBER.search(str(text or ""))
    return float(match.group()) if match else None


def _stats(numbers: list[float]) -> dict:
    n = len(numbers)
    if not n:
        return {"n": 0, "mean": None, "std": None, "min": None, "max": None}
    mean = sum(numbers) / n
    std = math.sqrt(sum((x - mean) ** 2 for x in numbers) / (n - 1)) if n > 1 else None
    return {"n": n, "mean": mean, "std": std, "min": min(numbers), "max": max(numbers)}


def _fmt(stats: dict) -> str:
    if not stats["n"]:
        return "—"
    text = f"{stats['mean']:.4g}"
    return text + (f" ± {stats['std']:.2g}" if stats["std"] is not None else " (1 run)")


def summarise(runs: list[tuple[dict, dict]], group_by: list[str]) -> list[dict]:
    """Rows of the table from (grid params, results record) pairs; grouped by ``group_by`` in first-seen order."""
    groups: dict[tuple, list[dict]] = {}
    for params, record in runs:
        key = tuple(json.dumps(params.get(name), default=str) for name in group_by)
        groups.setdefault(key, []).append(record)
    rows = []
    for key, records in groups.items():
        head = {name: json.loads(value) for name, value in zip(group_by, key)}
        head["runs"] = len(records)
        flats = [flatten_numbers(r.get("values") or {}) for r in records]
        for name in dict.fromkeys(k for flat in flats for k in flat):
            stats = _stats([flat[name] for flat in flats if name in flat])
            rows.append({**head, "kind": "value", "quantity": name, **stats, "holds": None, "tested": None,
                         "verdict": None, "summary": _fmt(stats)})
        claims: dict[str, list[dict]] = {}
        for record in records:
            for claim in record.get("claims") or []:
                claims.setdefault(claim["id"], []).append(claim)
        for claim_id, entries in claims.items():
            verdicts = [c.get("holds") for c in entries if c.get("holds") is not None]
            holds, tested = sum(bool(v) for v in verdicts), len(verdicts)
            stats = _stats([x for x in (first_number(c.get("ours")) for c in entries) if x is not None])
            verdict = ("n/a" if not tested else "holds" if holds == tested else "fails" if not holds else "mixed")
            summary = f"holds {holds}/{tested}" if tested else "n/a"
            if stats["n"]:
                summary += f" · ours {_fmt(stats)}"
            rows.append({**head, "kind": "claim", "quantity": claim_id, **stats, "holds": holds, "tested": tested,
                         "verdict": verdict, "summary": summary})
    return rows


def frame(rows: list[dict], group_by: list[str]):
    """The rows as a DataFrame with the group columns first."""
    import pandas as pd

    table = pd.DataFrame(rows, columns=[*group_by, "runs", *COLUMNS])
    return table.astype({"runs": "Int64", "n": "Int64", "holds": "Int64", "tested": "Int64"})


def display_frame(rows: list[dict], group_by: list[str]):
    """Quantities down, parameter groups across (labelled by the parameters that vary), ``summary`` in each cell."""
    import pandas as pd

    if not rows:
        return pd.DataFrame()
    table = frame(rows, group_by)
    varying = [name for name in group_by if table[name].astype(str).nunique() > 1]
    if varying:
        table["group"] = table[varying].astype(str).apply(
            lambda r: ", ".join(f"{k}={v}" for k, v in r.items()), axis=1)
    else:
        table["group"] = "all runs"
    table["group"] += " (" + table["runs"].astype(str) + " runs)"
    order = list(dict.fromkeys(table["group"]))
    wide = table.pivot_table(index=["kind", "quantity"], columns="group", values="summary", aggfunc="first",
                             sort=False)
    return wide[order].fillna("")


def write_summary(folder: Path, notebook: str, rows: list[dict], group_by: list[str], grid: dict,
                  runs: list[dict]) -> tuple[Path, Path]:
    """``summary.csv`` (the rows) and ``summary.json`` (rows, grid and per-run status) in ``folder``."""
    table = frame(rows, group_by)
    csv_path, json_path = folder / "summary.csv", folder / "summary.json"
    with atomic_write(csv_path, "w") as handle:
        table.to_csv(handle, index=False)
    document = {"notebook": notebook, "grid": grid, "group_by": group_by, "replicates": "seed",
                "rows": [_clean(row) for row in rows],
                "runs": [{k: r.get(k) for k in ("slug", "params", "status", "seconds", "error", "output")}
                         for r in runs]}
    with atomic_write(json_path, "w") as handle:
        handle.write(json.dumps(document, indent=1, default=str, ensure_ascii=False) + "\n")
    return csv_path, json_path


def _clean(row: dict) -> dict:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}
