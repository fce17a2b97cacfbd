"""The survey's comparisons as data: CSV files in ``lib/survey/data/``, loaded and checked here.

Every fact comes from the survey's text (P3: A. Kamboj and M. Do, *A Survey of IMU Based Cross-Modal Transfer
Learning in Human Activity Recognition*) or its reference list; a cell the survey leaves open is empty. Each
row names where it comes from:

* ``works.csv`` — the works reviewed in Sections 4–5: category, source/target modality, what is
  transferred, year (from the reference list), the survey's reference number(s) ``ref``. Rows with
  ``beyond_survey=True`` (PRIMUS, the companion's paper P2) cite the companion paper id instead.
* ``datasets.csv`` — the dataset families of Section 2.2 (MHAD, ADL, egocentric, driving) with the
  examples the survey names; ``modalities`` is what the reference's title says.
* ``taxonomy.csv`` — Section 3.2's transfer-learning settings (transductive / inductive /
  unsupervised; homogeneous / heterogeneous; the four approaches) and Section 3.1's fusion levels.
* ``motion_tasks.csv`` — Section 2.2's human-motion tasks ordered by time scale and abstraction
  (the positions of Fig. 1: ranks, in the order the text gives them, not measured quantities).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The columns each table must have.
REQUIRED = {
    "works": ("ref", "work", "year", "section", "category", "source_modality", "target_modality",
              "transferred", "beyond_survey"),
    "datasets": ("family", "family_description", "dataset", "ref", "year", "modalities", "beyond_survey"),
    "taxonomy": ("axis", "name", "definition", "cross_modal", "ref"),
    "motion_tasks": ("task", "time_scale", "time_rank", "abstraction_rank", "in_review_scope", "section", "ref"),
}

#: The categories the survey sorts works into (Sections 4.1, 4.2.1, 4.2.2, 5.1, 5.2).
CATEGORIES = ("instance-based", "feature-based: shared space", "feature-based: different representations",
              "contrastive", "federated", "fusion")

#: A survey citation: reference numbers separated by "; ", e.g. "58; 59".
SURVEY_REF = re.compile(r"^\d+(; \d+)*$")
#: A citation of a companion paper (rows beyond the survey), e.g. "P2".
COMPANION_REF = re.compile(r"^P[1-4]$")

_INT_COLUMNS = ("year", "time_rank", "abstraction_rank")
_BOOL_COLUMNS = ("beyond_survey", "in_review_scope")


def load_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One table as a DataFrame: text columns as str ('' = the survey does not say), years and ranks as
    nullable integers, flags as bool.  Raises FileNotFoundError / ValueError naming the file and the fix."""
    if name not in REQUIRED:
        raise ValueError(f"load_table(name={name!r}): unknown table; choose one of {sorted(REQUIRED)}")
    path = Path(data_dir or DATA_DIR) / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"survey table {path} is missing; it ships with lib/survey/data/ (reinstall or restore it)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED[name] if c not in frame.columns]
    if missing:
        raise ValueError(f"survey table {path} lacks the columns {missing}; it needs {list(REQUIRED[name])}")
    for column in _INT_COLUMNS:
        if column in frame:
            bad = frame[column][(frame[column] != "") & ~frame[column].str.fullmatch(r"\d+")]
            if len(bad):
                raise ValueError(f"survey table {path}: column {column!r} must hold integers or be empty; "
                                 f"rows {list(bad.index)} hold {list(bad)}")
            frame[column] = pd.array([int(v) if v else None for v in frame[column]], dtype="Int64")
    for column in _BOOL_COLUMNS:
        if column in frame:
            bad = frame[column][~frame[column].isin(["True", "False"])]
            if len(bad):
                raise ValueError(f"survey table {path}: column {column!r} must be True or False; rows {list(bad.index)}")
            frame[column] = frame[column] == "True"
    check_citations(frame, path)
    if name == "works":
        bad = frame[~frame["category"].isin(CATEGORIES)]
        if len(bad):
            raise ValueError(f"survey table {path}: unknown categories {sorted(set(bad['category']))}; use {list(CATEGORIES)}")
    return frame


def check_citations(frame: pd.DataFrame, path: Path | str = "<table>") -> None:
    """Every row cites: survey reference numbers (or, for rows beyond the survey, a companion paper id);
    tables whose rows come from the survey's own text (``section``) may leave ``ref`` empty."""
    beyond = frame["beyond_survey"] if "beyond_survey" in frame else pd.Series(False, index=frame.index)
    for i, row in frame.iterrows():
        ref = row["ref"]
        if beyond[i]:
            ok = bool(COMPANION_REF.match(ref))
        elif ref == "" and "section" in frame and row["section"] != "":
            ok = True
        else:
            ok = bool(SURVEY_REF.match(ref))
        if not ok:
            raise ValueError(f"survey table {path}, row {i}: ref={ref!r} is not a citation; give the survey's "
                             "reference numbers like '58; 59' (rows beyond the survey: the companion paper, e.g. 'P2')")


def works() -> pd.DataFrame:
    """The works reviewed in Sections 4–5 (+ PRIMUS, marked ``beyond_survey``)."""
    return load_table("works")


def datasets() -> pd.DataFrame:
    """Section 2.2's dataset families with their named examples (+ Ego-Exo4D from P2, marked)."""
    return load_table("datasets")


def taxonomy() -> pd.DataFrame:
    """Section 3.2's transfer-learning taxonomy and Section 3.1's fusion levels."""
    return load_table("taxonomy")


def motion_tasks() -> pd.DataFrame:
    """Section 2.2's human-motion tasks with their time-scale and abstraction ranks (Fig. 1)."""
    return load_table("motion_tasks")


def cite(ref: str) -> str:
    """'58; 59' -> '[58, 59]'; 'P2' -> 'P2 (companion)'; '' -> ''."""
    if not ref:
        return ""
    if COMPANION_REF.match(ref):
        return f"{ref} (companion)"
    return "[" + ref.replace("; ", ", ") + "]"


def display_table(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """A table ready to show: citations as [n], rows beyond the survey marked '★ beyond the survey'."""
    out = frame.copy()
    out["ref"] = out["ref"].map(cite)
    if "beyond_survey" in out:
        out.insert(0, "", ["★ beyond the survey" if b else "" for b in out["beyond_survey"]])
        out = out.drop(columns="beyond_survey")
    if columns is not None:
        out = out[[""] + columns if "" in out else columns]
    return out.reset_index(drop=True)
