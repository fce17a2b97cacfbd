"""Tiny notebooks for the lib.batch tests: they start in about a second and write a results JSON.

``tiny_notebook(path)`` has parameters ``mode``, ``seed`` and ``scale``; its values are
``{"score": scale * (seed + 1), "nested": {"half": scale / 2}, "curve": [...]}`` and its claim
``tiny_claim`` holds unless ``seed == 1``. With ``$BATCH_TEST_FAIL`` set a negative ``scale`` raises in
the second cell; while the file ``$BATCH_TEST_HOLD`` exists, runs with ``seed >= 2`` wait (<= 60 s).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

PARAMETERS = '''mode = "quick"  # str: "quick" or "full"
seed = 0  # int: the replicate
scale = 1.0  # float: multiplies the score'''

BODY = '''import os, time
from lib.params import output_dirs
from lib.repro import Claim, write_results
if os.environ.get("BATCH_TEST_FAIL") and scale < 0:
    raise ValueError(f"deliberate failure for scale={scale}")
hold = os.environ.get("BATCH_TEST_HOLD", "")
waited = 0.0
while hold and seed >= 2 and os.path.exists(hold) and waited < 60:
    time.sleep(0.2)
    waited += 0.2'''

FINISH = '''claims = [Claim("tiny_claim", "seed 1 is unlucky", paper="—", ours=f"score {scale * (seed + 1):.3f}",
                holds=seed != 1)]
write_results(output_dirs(mode)[1] / "tiny.json", notebook="tiny", mode=mode, seed=seed, data="simulator",
              values={"score": scale * (seed + 1), "nested": {"half": scale / 2}, "curve": [1, 2, 3]},
              claims=claims, wall_s=0.0, params={"scale": scale})'''


def tiny_notebook(path: Path) -> Path:
    """Write the tiny notebook to ``path`` (its stem must be ``tiny``: the results file is ``tiny.json``)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell(PARAMETERS)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# tiny"), cell, nbformat.v4.new_code_cell(BODY),
                nbformat.v4.new_code_cell(FINISH)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def results_cell(stem: str) -> str:
    """A last cell that writes ``<results folder of the mode>/<stem>.json`` as ``run.finish`` does (no claims)."""
    return (f"from lib.paths import output_dirs\nfrom lib.repro import write_results\n"
            f"write_results(output_dirs(mode)[1] / '{stem}.json', notebook='{stem}', mode=mode, seed=seed, "
            f"data='simulator', values={{'x': seed}}, claims=[], wall_s=0.0, params={{}})")
