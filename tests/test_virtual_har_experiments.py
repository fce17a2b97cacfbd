"""P4 experiments end to end on tiny corpora: Table 2 cells, fine-tuning curve, the beyond-paper runners."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lib.virtual_har import experiments as ex
from lib.virtual_har.corpus import REAL_CLASSES, VIRTUAL_CLASSES, RealSpec, VirtualSpec, build_real_corpus, build_virtual_corpus

CFG = ex.TrainConfig(epochs=1, dcl_epochs=1, finetune_epochs=2, rf_trees=5, batch_size=50)


@pytest.fixture(scope="module")
def corpora():
    torch.set_num_threads(1)
    virtual = build_virtual_corpus(VirtualSpec(n_subjects=8, clips_per_subject=1.0, duration_s=(3.0, 4.0), seed=2))
    real = build_real_corpus(RealSpec(n_subjects=3, session_s=5.0, seed=2))
    return virtual, real


@pytest.fixture(scope="module")
def table2(corpora):
    virtual, real = corpora
    return ex.run_table2(virtual, real, CFG, seeds=[0])


def test_table2_runs_end_to_end(table2):
    results, models, splits = table2
    cells = results[0].cells
    assert set(cells) == {(1, m) for m in ex.METHODS} | {(2, m) for m in ex.METHODS} | {(3, "proposed"), (3, "deepconvlstm")}
    assert all(0.0 <= v["acc"] <= 1.0 and 0.0 <= v["f1"] <= 1.0 for v in cells.values())
    assert results[0].confusion[(3, "proposed")].shape == (5, 5)
    assert results[0].confusion[(1, "rf")].shape == (12, 12)
    frame = ex.table2_frame(results)
    assert len(frame) == 8 and (frame["n_seeds"] == 1).all()
    assert frame.loc[(frame.experiment == 3) & (frame.method == "Proposed method"), "paper acc %"].item() == 91.15
    assert set(models) == {"proposed", "deepconvlstm"} and models["proposed"][0].class_names == VIRTUAL_CLASSES


def test_finetuning_curve_starts_without_finetuning(table2, corpora):
    results, models, splits = table2
    curve = results[0].curves["proposed"]
    assert [row["epoch"] for row in curve] == [0, 1, 2]
    assert results[0].no_finetune["proposed"]["acc"] == curve[0]["acc"]
    # the pretrained virtual network itself is untouched by fine-tuning (a copy is tuned)
    vtr = splits[0][0]
    assert models["proposed"][0].n_classes == len(VIRTUAL_CLASSES)
    assert ex.predict(models["proposed"][0], vtr.x[:5]).shape == (5,)


def test_train_accuracy_and_the_plain_12_way_answer(table2):
    results, models, splits = table2
    cells, no_ft = results[0].cells, results[0].no_finetune["proposed"]
    assert all(0.0 <= cells[(e, m)]["train_acc"] <= 1.0 for e in (1, 2) for m in ex.METHODS)
    assert cells[(1, "rf")]["train_acc"] > 0.9  # a forest fits its own windows
    # the plain answer is right only where the restricted one is (a subset of its choices) ...
    assert 0.0 <= no_ft["acc_12way"] <= no_ft["acc"] + 1e-12
    # ... and computed from the virtual network's arg-max over all its classes
    real_test, model = splits[0][3], models["proposed"][0]
    pred = ex.predict(model, real_test.x)
    keep = np.array(ex.class_mapping(VIRTUAL_CLASSES, REAL_CLASSES))
    assert no_ft["acc_12way"] == pytest.approx(np.mean(pred == keep[real_test.y]))
    assert no_ft["share_outside_5"] == pytest.approx(np.mean(~np.isin(pred, keep)))
    assert ex.table2_frame(results)["ours train acc %"].notna().sum() == 6  # experiments 1-2, three methods


def test_fine_tune_trains_only_the_classifier(table2):
    _, models, splits = table2
    pretrained = models["proposed"][0]
    before = {k: v.clone() for k, v in pretrained.state_dict().items()}
    tuned, _ = ex.fine_tune(pretrained, splits[0][2], splits[0][3], CFG, seed=0)
    for k, v in tuned.state_dict().items():
        if not k.startswith("classifier"):
            assert torch.equal(v, before[k]), k
    assert all(torch.equal(v, before[k]) for k, v in pretrained.state_dict().items())
    assert tuned.n_classes == len(REAL_CLASSES)


def test_beyond_paper_runners(table2, corpora):
    virtual, real = corpora
    _, models, splits = table2
    rows = ex.sensor_ablation(splits, CFG, [0], real.sensors)
    assert [r["dropped"] for r in rows] == ["none", "left_wrist", "right_thigh", "head"]
    curve = ex.real_windows_curve(models["proposed"], [(splits[0][2], splits[0][3])], [10, 40], CFG, [0])
    assert [r["requested"] for r in curve] == [10, 40] and curve[0]["n_windows"] <= 15
    tl = ex.mocap_timeline(models["proposed"], virtual.clip(virtual.kept()[0]), virtual.classes)
    assert tl["votes"].shape[1] == 12 and np.allclose(tl["votes"].sum(1), 1.0)


def test_same_seed_same_table(corpora):
    virtual, real = corpora
    a = ex.run_seed(*ex.make_splits(virtual, real, 3), CFG, 3, methods=("proposed", "rf"))[0]
    b = ex.run_seed(*ex.make_splits(virtual, real, 3), CFG, 3, methods=("proposed", "rf"))[0]
    assert a.cells == b.cells


def test_class_mapping_needs_every_real_class():
    assert ex.class_mapping(VIRTUAL_CLASSES, REAL_CLASSES) == [VIRTUAL_CLASSES.index(c) for c in REAL_CLASSES]
    with pytest.raises(ValueError, match="swimming"):
        ex.class_mapping(VIRTUAL_CLASSES, ("walking", "swimming"))


def test_train_config_rejects_bad_values():
    with pytest.raises(ValueError, match="epochs"):
        ex.TrainConfig(epochs=0)
    with pytest.raises(ValueError, match="lam"):
        ex.TrainConfig(lam=-1.0)


def test_strictly_decreasing_orders():
    assert ex.strictly_decreasing([0.9, 0.8, 0.7])
    assert not ex.strictly_decreasing([0.9, 0.7, 0.8])
    assert not ex.strictly_decreasing([0.8, 0.8])
    with pytest.raises(ValueError, match="finite"):
        ex.strictly_decreasing([0.9, float("nan")])


def test_convergence_epoch_and_mean_curve(table2):
    assert ex.convergence_epoch([0.4, 0.70, 0.86, 0.86, 0.865], tol=0.01) == 2
    assert ex.convergence_epoch([0.9, 0.5, 0.6], tol=0.01) == 0  # already there before fine-tuning
    with pytest.raises(ValueError, match="epoch 0"):
        ex.convergence_epoch([0.5])
    results = table2[0]
    curve = ex.mean_curve(results, "proposed")
    assert curve.shape == (CFG.finetune_epochs + 1,) and curve[0] == results[0].no_finetune["proposed"]["acc"]
    with pytest.raises(ValueError, match="rf"):
        ex.mean_curve(results, "rf")


def test_sensor_ablation_reuses_table2_for_all_sensors(table2, corpora):
    _, real = corpora
    results, _, splits = table2
    rows = ex.sensor_ablation(splits, CFG, [0], real.sensors, results=results)
    assert [r["dropped"] for r in rows] == ["none", "left_wrist", "right_thigh", "head"]
    none = rows[0]
    assert none["exp2_acc"] == results[0].cells[(2, "proposed")]["acc"]
    assert none["exp3_acc"] == results[0].cells[(3, "proposed")]["acc"]
    assert none["no_finetune_acc"] == results[0].no_finetune["proposed"]["acc"]


def test_macro_f1_ignores_classes_absent_from_test_and_predictions():
    y = np.array([0, 0, 1, 1])
    s = ex.scores(y, y, n_classes=12)
    assert s["acc"] == 1.0 and s["f1"] == 1.0 and s["cm"].shape == (12, 12)
    assert ex.scores(y, np.array([0, 0, 1, 2]), n_classes=12)["f1"] < 1.0  # a wrong prediction still counts


def test_narrow_deepconvlstm_from_config():
    rng = np.random.default_rng(0)
    from lib.virtual_har.windows import WindowSet
    ws = WindowSet(x=rng.normal(size=(20, 60, 36)).astype(np.float32), y=np.arange(20) % 5,
                   groups=np.arange(20) // 4, classes=REAL_CLASSES, sensors=("left_wrist", "right_thigh", "head"))
    model, history = ex.train_deepconvlstm(ws, ex.TrainConfig(dcl_epochs=1, dcl_filters=8, dcl_units=16), seed=0)
    assert model.lstm.hidden_size == 16 and model.convs[0].out_channels == 8 and len(history.rows) == 1
    with pytest.raises(ValueError, match="dcl_filters"):
        ex.TrainConfig(dcl_filters=0)


def test_no_finetune_report_gives_mean_and_spread_across_seeds_per_method():
    rows = [{"acc": 0.4, "acc_12way": 0.2, "share_outside_5": 0.5}, {"acc": 0.6, "acc_12way": 0.4, "share_outside_5": 0.3}]
    two, one = ex.no_finetune_report({"proposed": rows}), ex.no_finetune_report({"rf": rows[:1]})
    assert "50.0 ± 14.1 % restricted to the 5 real classes" in two and "30.0 ± 14.1 % as a plain 12-way" in two
    assert "(40 % of windows answered outside the 5)" in two and two.lstrip().startswith("Proposed method")
    assert "40.0 ± 0.0 %" in one  # one seed: no spread


def test_the_real_window_ladder_stops_at_the_windows_there_are():
    assert ex.real_window_sizes(120) == [10, 25, 50, 100, 120]
    assert ex.real_window_sizes(100) == [10, 25, 50, 100]
