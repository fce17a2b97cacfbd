"""Speed benchmarks: ``python -m lib.bench [NAME ...]`` (``make bench``).

Each benchmark is a function in its paper's package returning a flat dict of numbers; every
speed-up is a ratio of two implementations measured side by side in the same run. The table is
printed and written to ``results/bench.json`` with the machine's core count and package versions.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time

from lib.paths import REPO_ROOT
from lib.repro import atomic_write, package_versions

#: name -> "module:function"; each returns {metric: number} (seconds, ratios, throughputs).
BENCHES = {
    "footsteps": "lib.footsteps.bench:bench_all_pairs_vs_pairwise",
    "virtual_imu": "lib.virtual_har.bench:bench_virtual_imu",
    "primus": "lib.primus.bench:bench_pretraining_throughput",
}


def load(name: str):
    """The benchmark function ``name`` of :data:`BENCHES`, imported on demand; it returns ``{metric: number}``."""
    module, function = BENCHES[name].split(":")
    return getattr(importlib.import_module(module), function)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks, print their numbers and write them to ``--out``; return 1 if any failed, else 0."""
    parser = argparse.ArgumentParser(prog="python -m lib.bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {sorted(BENCHES)})")
    parser.add_argument("--out", default=str(REPO_ROOT / "results" / "bench.json"))
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHES))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {sorted(BENCHES)}")
    names = args.names or sorted(BENCHES)

    previous = {}
    if os.path.exists(args.out):  # running a subset keeps the other benchmarks' last numbers
        with open(args.out) as handle:
            previous = json.load(handle).get("benchmarks", {})
    record = {"machine": {"cpu_count": os.cpu_count(), "platform": platform.platform()},
              "versions": package_versions(), "benchmarks": previous}
    failed = []
    for name in names:
        started, load_before = time.perf_counter(), os.getloadavg()[0]
        try:
            numbers = load(name)()
        except Exception as exc:  # noqa: BLE001 - report and go on with the other benchmarks
            failed.append(name)
            print(f"{name}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        numbers["bench_wall_s"] = round(time.perf_counter() - started, 1)
        # other processes on the cores slow every number above; the 1-min load average says how busy it was
        numbers["load_avg_1min_before"] = round(load_before, 2)
        numbers["load_avg_1min_after"] = round(os.getloadavg()[0], 2)
        record["benchmarks"][name] = numbers
        print(f"\n## {name}")
        width = max(map(len, numbers))
        for key, value in numbers.items():
            shown = f"{value:,.4g}" if isinstance(value, float) else str(value)
            print(f"  {key:<{width}s}  {shown}")
    with atomic_write(args.out, "w") as handle:
        json.dump(record, handle, indent=1, sort_keys=True)
    print(f"\nwrote {os.path.relpath(args.out)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
