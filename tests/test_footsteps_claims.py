"""lib.footsteps.claims on small hand-made results dictionaries: each verdict can go either way."""

from __future__ import annotations

import pytest

from lib.footsteps import claims as C


def scores(test, train=None, val=None, threshold=0.5):
    """Per-seed score dicts (fractions) as notebooks 11-12 store them in values["per_seed"][name]["scores"]."""
    train = train if train is not None else [1.0] * len(test)
    val = val if val is not None else list(test)
    return {"seeds": list(range(len(test))),
            "scores": [{"train": tr, "val": va, "test": te, "test@0.5": te, "threshold": threshold}
                       for tr, va, te in zip(train, val, test)]}


def by_id(rows):
    return {c.id: c for c in rows}


# --------------------------------------------------------------------------- notebook 10


def data_values(kinds=("silence", "speech", "typing"), n=700, shape=(999, 50)):
    return {"scenes": "paper", "n_pos": n, "n_neg": n, "feature_shape": list(shape),
            "geophone_feature_shape": list(shape),
            "counts": [{"label": 1, "kind": "walk", "scenes": n}] + [{"label": 0, "kind": k, "scenes": 1} for k in kinds]}


def test_data_claims_hold_on_the_paper_data_and_fail_otherwise():
    good = by_id(C.data_claims(data_values(), mode="full"))
    assert [good[i].verdict for i in ("p1_d1", "p1_d2", "p1_d3")] == ["holds"] * 3
    bad = by_id(C.data_claims(data_values(kinds=("speech", "vibration"), n=600, shape=(998, 50)), mode="full"))
    assert [bad[i].verdict for i in ("p1_d1", "p1_d2", "p1_d3")] == ["does not hold"] * 3
    quick = by_id(C.data_claims(data_values(n=100), mode="quick"))
    assert quick["p1_d2"].verdict == "not tested" and quick["p1_d2"].ours == "100 + 100"
    hard = by_id(C.data_claims({**data_values(kinds=("speech", "tapping")), "scenes": "hard"}, mode="full"))
    assert hard["p1_d3"].verdict == "not tested" and "beyond the paper" in hard["p1_d3"].note
    assert by_id(C.data_claims(data_values(), mode="full", real=True))["p1_d3"].verdict == "not tested"


# --------------------------------------------------------------------------- notebook 11


def siamese_values(cnn=(0.999, 0.9995), lstm=(0.999, 0.999), audio=(0.99, 0.99), geo=(0.95, 0.96),
                   big_val=None, threshold=0.5, beyond=True, lstm_train=None):
    per_seed = {"Multimodal (2DCNN)": scores(list(cnn), threshold=threshold),
                "Multimodal (LSTM)": scores(list(lstm), train=lstm_train),
                "Audio only (2DCNN)": scores(list(audio)), "Geophone only (2DCNN)": scores(list(geo)),
                "2DCNN, BS 1024": scores(list(cnn), val=list(big_val or cnn))}
    values = {"per_seed": per_seed, "batch_items": {250: 16, 1024: 32}, "split_sizes": {"train": 120, "test": 40},
              "table1": [{"index": "Multimodal (2DCNN)", "minutes": 1.25, "steps": 64.0}], "beyond": []}
    if beyond:
        per_seed["2DCNN, I = both footsteps"] = scores([0.96, 0.97])
        per_seed["2DCNN, hard scenes"] = scores([0.9995, 0.9991])
        values["beyond"] = [{"index": "2DCNN, hard scenes", "ceiling": 100.0},
                            {"index": "2DCNN, I = both footsteps", "ceiling": 97.5}]
    return values


def test_siamese_claims_verdicts_follow_the_numbers():
    good = by_id(C.siamese_claims(siamese_values(), device="cpu", pool=1))
    assert {i: good[i].verdict for i in ("p1_t1", "p1_t2", "p1_t3", "p1_t4", "p1_t5", "p1_t7", "p1_t8", "p1_t9")} == {
        "p1_t1": "holds", "p1_t2": "holds", "p1_t3": "holds", "p1_t4": "holds", "p1_t5": "holds",
        "p1_t7": "does not hold", "p1_t8": "holds", "p1_t9": "holds"}
    assert good["p1_t6"].verdict == "not tested" and "(cpu, all pairs, 64 steps of 16 items" in good["p1_t6"].ours
    bad = by_id(C.siamese_claims(siamese_values(cnn=(0.95, 0.96), audio=(0.99, 0.995), big_val=(0.80, 0.82),
                                                threshold=0.9), device="cpu", pool=10))
    assert [bad[i].verdict for i in ("p1_t1", "p1_t3", "p1_t4", "p1_t5")] == ["does not hold"] * 4
    assert "groups of 10" in bad["p1_t2"].note


def test_siamese_claims_are_untestable_when_a_network_underfits_and_skip_absent_rows():
    rows = by_id(C.siamese_claims(siamese_values(lstm_train=[0.7, 0.8], beyond=False), device="cuda", pool=1))
    assert rows["p1_t2"].verdict == "untestable" and "underfits" in rows["p1_t2"].note
    assert not {"p1_t7", "p1_t8", "p1_t9"} & set(rows)


# --------------------------------------------------------------------------- notebook 12


def size_values(small_test=(0.80, 0.79), large_test=(0.999, 0.998), small_train=(1.0, 1.0), small_val=None,
                both=(1.0, 0.95), audio=(0.9, 0.85), geo=(0.8, 0.7), learning=((8, 60.0), (24, 81.0), (60, 99.9))):
    return {"per_seed": {"24 pairs per class": scores(list(small_test), train=list(small_train),
                                                      val=list(small_val or small_test)),
                         "60 pairs per class": scores(list(large_test)),
                         "audio only": scores([0.99, 0.99]), "geophone only": scores([0.9, 0.9])},
            "learning_curve": [{"training pairs per class": n, "train": 100.0, "test": t, "test sd": 0.0, "seeds": 1}
                               for n, t in learning],
            "detection_per_seed": {"k": [1, 10], "accuracy": {
                "audio + geophone": [[0.5, both[0]], [0.5, both[1]]], "audio only": [[0.5, audio[0]], [0.5, audio[1]]],
                "geophone only": [[0.5, geo[0]], [0.5, geo[1]]]}}}


def test_training_size_claims_hold_when_small_sets_lose_twenty_points():
    rows = by_id(C.training_size_claims(size_values(), n_small=24, n_large=60))
    assert [rows[i].verdict for i in ("p1_s1", "p1_s2", "p1_s3", "p1_s4")] == ["holds"] * 4
    assert "(24 pairs per class reach it)" in rows["p1_s1"].note and "k = 10 support clips" in rows["p1_s4"].note


def test_training_size_claims_do_not_hold_when_small_sets_suffice():
    rows = by_id(C.training_size_claims(size_values(small_test=(0.998, 0.997), both=(1.0, 1.0), audio=(1.0, 1.0),
                                                    learning=((8, 70.0), (60, 79.0))), n_small=24, n_large=60))
    assert [rows[i].verdict for i in ("p1_s1", "p1_s2", "p1_s3", "p1_s4")] == ["does not hold"] * 4
    assert "reach it" not in rows["p1_s1"].note


def test_learning_curve_crossing():
    records = [{"training pairs per class": n, "test": t} for n, t in ((10, 79.9), (50, 80.0), (200, 99.0))]
    assert C.learning_curve_crossing(records) == 50
    assert C.learning_curve_crossing(records, level=99.5) is None


@pytest.mark.parametrize("name", ["seed_values", "data_claims", "siamese_claims", "training_size_claims"])
def test_public_builders_have_docstrings(name):
    assert getattr(C, name).__doc__
