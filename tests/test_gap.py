"""The gap's ablation (lib.virtual_har.gap): cumulative steps ending at the full stand-in, switches that change the
sensor readings but never the performed motion nor the other effects' draws, rows and figure."""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pytest
import torch

from lib.body import second_source as src
from lib.body.imu import P4_SITES, VirtualIMU
from lib.virtual_har import experiments as ex
from lib.virtual_har import gap
from lib.virtual_har import realstandin as rs
from lib.virtual_har.corpus import REAL_CLASSES, VIRTUAL_CLASSES
from lib.virtual_har.models import ProposedCNN, retarget_classes
from lib.virtual_har.windows import WindowSet

TINY = rs.StandinSpec(n_subjects=2, minutes_per_subject=0.5, seed=3)
ORI = np.concatenate([np.arange(12 * s + 3, 12 * s + 12) for s in range(3)])  # rotation-matrix features


def _recorded(spec: rs.StandinSpec, monkeypatch) -> tuple[rs.SequenceCorpus, list]:
    """The corpus at ``spec`` and, per recording, (poses, trans, sensor readings) as read_sensors saw them."""
    seen, read = [], rs.read_sensors

    def spy(rec, perf, spec, session_rng, unit_rng):
        imu = read(rec, perf, spec, session_rng, unit_rng)
        seen.append((rec.poses.copy(), rec.trans.copy(), imu))
        return imu

    monkeypatch.setattr(rs, "read_sensors", spy)
    corpus = rs.build_standin_corpus(spec)
    monkeypatch.setattr(rs, "read_sensors", read)
    return corpus, seen


# --------------------------------------------------------------------------- the steps

def test_steps_are_cumulative_and_end_at_the_full_spec():
    on = [{k for k, v in step.switches.items() if v} for step in gap.GAP_STEPS]
    assert all(set(step.switches) == set(gap.SWITCHES) for step in gap.GAP_STEPS)
    assert on[0] == set() and on[-1] == set(gap.SWITCHES)
    for before, after, name in zip(on[:-1], on[1:], gap.SWITCHES):
        assert before < after and after - before == {name}  # one effect added at a time, in SWITCHES order
    assert gap.GAP_STEPS[-1].spec(TINY) == TINY == rs.StandinSpec(n_subjects=2, minutes_per_subject=0.5, seed=3)
    first = gap.GAP_STEPS[0].spec(TINY)
    assert not any(getattr(first, k) for k in gap.SWITCHES) and (first.n_subjects, first.seed) == (2, 3)
    assert [label for label, _ in gap.step_specs(TINY)] == list(gap.ROW_ORDER[1:])
    assert gap.ROW_ORDER[0] == gap.VIRTUAL_REFERENCE


def test_the_first_step_is_the_virtual_pipeline():
    """All effects off: ideal sensors at the synthesis sites, no translation (the virtual corpus's synthesis)."""
    rng = np.random.default_rng(4)
    perf = src.sample_performer(rng)
    rec = src.record([src.calibration(perf, rng, 2.0), src.walking(perf, rng, 6.0)], perf, rng)
    imu = rs.read_sensors(rec, perf, gap.GAP_STEPS[0].spec(TINY), np.random.default_rng(5), np.random.default_rng(6))
    vimu = VirtualIMU(P4_SITES, gyro=False)
    ref = vimu.from_trajectories(*vimu.trajectories(rec.poses, np.zeros_like(rec.trans), perf.skeleton()), rs.FPS)
    assert np.allclose(imu.acc, ref.acc, atol=1e-9) and np.allclose(imu.ori, ref.ori, atol=1e-12)


# --------------------------------------------------------------------------- switches and random streams

def test_switching_sensor_effects_leaves_the_motion_and_the_other_draws_identical(monkeypatch):
    full, full_seen = _recorded(TINY, monkeypatch)
    variants = {name: replace(TINY, **{name: False}) for name in gap.SWITCHES}
    variants["all off"] = gap.GAP_STEPS[0].spec(TINY)
    built = {}
    for name, spec in variants.items():
        corpus, seen = built[name] = _recorded(spec, monkeypatch)
        # the performed motion of every recording, and so its cutting and labels, are the same
        assert len(seen) == len(full_seen) == TINY.n_subjects * len(rs.CLASSES)
        for (poses, trans, _), (full_poses, full_trans, _) in zip(seen, full_seen):
            assert np.array_equal(poses, full_poses) and np.array_equal(trans, full_trans), name
        assert np.array_equal(corpus.bounds, full.bounds) and np.array_equal(corpus.label, full.label), name
        assert np.array_equal(corpus.truth, full.truth) and np.array_equal(corpus.subject, full.subject), name
        assert all(np.array_equal(corpus.info[k], full.info[k]) for k in full.info), name
        assert not np.array_equal(corpus.frames, full.frames), f"switching {name} off changed no reading"
        # the other effects keep their draws (each stage has its own random stream)
        for (_, _, imu), (_, _, full_imu) in zip(seen, full_seen):
            drawn, full_drawn = imu.meta["sensor_model"], full_imu.meta["sensor_model"]
            if name not in ("orientation", "all off"):
                assert np.array_equal(drawn["mount_rotvec_deg"], full_drawn["mount_rotvec_deg"]), name
                assert np.array_equal(drawn["heading_error_deg"], full_drawn["heading_error_deg"]), name
            if name not in ("noise", "all off"):
                assert np.array_equal(drawn["acc_bias"], full_drawn["acc_bias"]), name
                assert np.array_equal(drawn["dropouts"], full_drawn["dropouts"]), name
    # the orientation the sensors report depends on none of translation, placement and noise
    for name in ("translation", "placement"):
        assert np.allclose(built[name][0].frames[:, ORI], full.frames[:, ORI], atol=1e-6), name
    quiet = built["noise"][0]
    lost = np.concatenate([imu.meta["sensor_model"]["dropouts"].any(1) for _, _, imu in full_seen])
    assert np.allclose(quiet.frames[~lost][:, ORI], full.frames[~lost][:, ORI], atol=1e-6)


def test_the_held_out_people_alone_give_the_table2_test_windows(tmp_path):
    spec = replace(TINY, n_subjects=3)
    full = rs.build_standin_corpus(spec)
    part = rs.build_standin_corpus(spec, people=rs.test_subjects(spec))
    rows = np.isin(full.subject, rs.test_subjects(spec))
    frames = np.concatenate([full.clip(m) for m in np.flatnonzero(rows)])
    assert np.array_equal(part.frames, frames) and np.array_equal(part.label, full.label[rows])
    expected = ex.real_split(full, 0)[1]
    got = gap.held_out_windows(spec)
    assert np.array_equal(got.x, expected.x) and np.array_equal(got.y, expected.y)
    assert set(np.unique(got.groups)) == set(rs.test_subjects(spec))
    cached = gap.held_out_windows(spec, cache_dir=tmp_path)
    assert np.array_equal(cached.x, expected.x) and np.array_equal(gap.held_out_windows(spec, tmp_path).x, expected.x)
    with pytest.raises(ValueError, match="people"):
        rs.build_standin_corpus(spec, people=[999])


# --------------------------------------------------------------------------- rows and figure

def _tiny_model(seed: int) -> ProposedCNN:
    torch.manual_seed(seed)
    model = ProposedCNN(len(VIRTUAL_CLASSES), channels=(8, 8, 4), hidden=16).eval()
    model.class_names = VIRTUAL_CLASSES
    return model


def _virtual_test(n: int = 120) -> WindowSet:
    rng = np.random.default_rng(0)
    return WindowSet(rng.standard_normal((n, 60, 36)).astype(np.float32), np.arange(n) % len(VIRTUAL_CLASSES),
                     np.arange(n) // 10, VIRTUAL_CLASSES)


@pytest.fixture(scope="module")
def rows():
    torch.set_num_threads(1)
    return gap.gap_ablation([_tiny_model(0), _tiny_model(1)], TINY, _virtual_test(), seeds=[10, 11])


def test_gap_ablation_gives_one_row_per_step_and_model(rows):
    assert len(rows) == len(gap.ROW_ORDER) * 2
    assert [r["step"] for r in rows] == [s for s in gap.ROW_ORDER for _ in range(2)]
    assert [r["seed"] for r in rows] == [10, 11] * len(gap.ROW_ORDER)
    for r in rows:
        for key in ("acc_5way", "acc_12way", "share_outside_5"):
            assert 0.0 <= r[key] <= 1.0, (r["step"], key)
        assert r["acc_12way"] <= r["acc_5way"] + 1.0 - r["share_outside_5"] + 1e-12
    n = {r["n_windows"] for r in rows if r["step"] != gap.VIRTUAL_REFERENCE}
    assert len(n) == 1  # the same windows at every step
    assert rows[0]["n_windows"] == int(np.isin(_virtual_test().y, ex.class_mapping(VIRTUAL_CLASSES, REAL_CLASSES)).sum())


def test_the_5way_score_is_the_retargeted_network_of_fine_tune_epoch_0(rows):
    model = _tiny_model(1)
    windows = gap.held_out_windows(TINY)
    restricted = retarget_classes(copy.deepcopy(model), ex.class_mapping(VIRTUAL_CLASSES, windows.classes))
    acc = float(np.mean(ex.predict(restricted, windows.x) == windows.y))
    assert rows[-1]["step"] == gap.GAP_STEPS[-1].label and rows[-1]["acc_5way"] == pytest.approx(acc)
    plain = ex.predict(model, windows.x)
    keep = np.asarray(ex.class_mapping(VIRTUAL_CLASSES, windows.classes))
    assert rows[-1]["acc_12way"] == pytest.approx(np.mean(plain == keep[windows.y]))
    assert rows[-1]["share_outside_5"] == pytest.approx(np.mean(~np.isin(plain, keep)))


def test_gap_table_and_figure(rows):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from lib.virtual_har.figures import gap_ablation_figure

    table = gap.gap_table(rows)
    assert list(table.index) == list(gap.ROW_ORDER) and (table["seeds"] == 2).all()
    fig = gap_ablation_figure(rows)
    assert isinstance(fig, Figure) and "synthetic" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(ValueError, match="seed"):
        gap.gap_ablation([_tiny_model(0)], TINY, _virtual_test(), seeds=[1, 2])
