"""The survey's tables as data: they load, carry the required columns, and every row cites."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from lib.survey import tables


@pytest.mark.parametrize("name", sorted(tables.REQUIRED))
def test_tables_load_with_required_columns_and_citations(name):
    frame = tables.load_table(name)
    assert len(frame) >= 4
    assert set(tables.REQUIRED[name]) <= set(frame.columns)
    for i, row in frame.iterrows():
        beyond = bool(row.get("beyond_survey", False))
        if beyond:
            assert tables.COMPANION_REF.match(row["ref"]), f"{name} row {i} beyond the survey must cite a companion paper"
        elif name != "motion_tasks":
            assert tables.SURVEY_REF.match(row["ref"]), f"{name} row {i} has no survey reference number"


def test_works_cover_the_reviewed_literature():
    works = tables.works()
    reviewed = works[~works["beyond_survey"]]
    refs = {int(r) for ref in reviewed["ref"] for r in ref.split("; ")}
    # Sections 4-5 review these references (survey text); each must be a row
    assert {57, 58, 59, 60, 61, 62, 47, 63, 64, 67, 68, 69, 70, 73, 74, 76} <= refs
    assert set(works["category"]) == set(tables.CATEGORIES)
    years = reviewed["year"].dropna()
    assert years.between(2013, 2024).all()
    imu2doppler = works.set_index("work").loc["IMU2Doppler"]
    assert imu2doppler["ref"] == "47" and imu2doppler["year"] == 2021 and "radar" in imu2doppler["target_modality"]


def test_primus_is_marked_beyond_the_survey():
    works = tables.works()
    primus = works[works["work"] == "PRIMUS"]
    assert len(primus) == 1 and bool(primus["beyond_survey"].iloc[0]) and primus["ref"].iloc[0] == "P2"
    assert pd.isna(primus["year"].iloc[0]), "P2's text states no year; the cell stays empty"
    shown = tables.display_table(works, ["work", "ref"])
    assert shown.loc[shown["work"] == "PRIMUS", ""].iloc[0].startswith("★")
    assert shown.loc[shown["work"] == "IMUTube", "ref"].iloc[0] == "[58, 59]"


def test_dataset_families_and_taxonomy():
    families = tables.datasets()
    assert {"MHAD", "ADL", "egocentric", "driving"} <= set(families["family"])
    assert set(families.loc[families["family"] == "MHAD", "dataset"]) == {"UTD-MHAD", "USC-HAD", "CZU-MHAD"}
    tax = tables.taxonomy().set_index("name")
    assert tax.loc["transductive", "source_labels"] == "yes" and tax.loc["transductive", "target_labels"] == "no"
    assert {"homogeneous", "heterogeneous", "inductive", "unsupervised"} <= set(tax.index)
    assert tax.loc["parameter transfer", "cross_modal"].startswith("no")


def test_motion_tasks_order_follows_the_text():
    tasks = tables.motion_tasks().set_index("task")
    rank = tasks["abstraction_rank"]
    assert rank["human pixel-wise segmentation"] < rank["keypoint / pose estimation"] < rank["human bounding-box detection"]
    assert rank["action recognition"] < rank["activity recognition"] < rank["human behavior prediction"]
    assert tasks.loc["activity recognition", "time_rank"] > tasks.loc["action recognition", "time_rank"]
    assert set(tasks.index[tasks["in_review_scope"]]) == {"action recognition", "activity recognition"}


def test_bad_tables_give_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown table"):
        tables.load_table("nope")
    with pytest.raises(FileNotFoundError, match="works.csv"):
        tables.load_table("works", data_dir=tmp_path)
    shutil.copy(tables.DATA_DIR / "works.csv", tmp_path / "works.csv")
    frame = pd.read_csv(tmp_path / "works.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "ref"] = "see text"
    frame.to_csv(tmp_path / "works.csv", index=False)
    with pytest.raises(ValueError, match="not a citation"):
        tables.load_table("works", data_dir=tmp_path)
    frame.drop(columns="category").to_csv(tmp_path / "works.csv", index=False)
    with pytest.raises(ValueError, match="lacks the columns"):
        tables.load_table("works", data_dir=tmp_path)
