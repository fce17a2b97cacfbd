"""Heading invariance (lib.virtual_har.heading): yaw rotation, heading normalisation, the invariant wrapper."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.spatial.transform import Rotation

from lib.virtual_har import experiments as ex
from lib.virtual_har.heading import (HeadingNormalised, heading_normalise, random_yaw, restrict_to, rotate_yaw,
                                     window_heading, yaw_agreement, yaw_symmetric_stats)
from lib.virtual_har.models import DeepConvLSTM, ProposedCNN, retarget_classes
from lib.virtual_har.windows import WindowSet

ANGLES = (np.pi / 2, np.pi, 3 * np.pi / 2)


def _clip(t=150, seed=0):
    """A (T, 36) clip with motion-like structure: per sensor a smoothly turning, tilting orientation
    (random heading, sitting-like pitch on the thigh) and a sinusoidal world acceleration (m/s²)."""
    rng = np.random.default_rng(seed)
    time = np.arange(t) / 60.0
    parts = []
    for s in range(3):
        yaw = rng.uniform(-np.pi, np.pi) + 0.3 * np.sin(2 * np.pi * 0.8 * time + rng.uniform(0, 6))
        pitch = (1.4 if s == 1 else 0.2) * np.sin(2 * np.pi * 1.1 * time + rng.uniform(0, 6))
        roll = 0.2 * np.sin(2 * np.pi * 0.5 * time)
        rot = Rotation.from_euler("YXZ", np.stack([yaw, pitch, roll], 1)).as_matrix()    # (T, 3, 3)
        acc = rng.uniform(1, 4, 3) * np.sin(2 * np.pi * rng.uniform(0.5, 3, 3) * time[:, None] + rng.uniform(0, 6, 3))
        parts += [acc, rot.reshape(t, 9)]
    return np.concatenate(parts, axis=1).astype(np.float32)


def _windows(n=8, seed=0):
    return np.stack([_clip(60, seed + i) for i in range(n)])


def _blocks(x):
    """(..., 36) -> acc (..., 3, 3) and orientations (..., 3, 3, 3) per sensor."""
    v = x.reshape(*x.shape[:-1], 3, 12)
    return v[..., :3], v[..., 3:].reshape(*x.shape[:-1], 3, 3, 3)


def test_rotation_preserves_norms_orthonormality_and_vertical_components():
    x = _windows()
    y = rotate_yaw(x, np.random.default_rng(1).uniform(0, 2 * np.pi, len(x)))
    assert y.shape == x.shape and y.dtype == np.float32
    acc, ori = _blocks(x)
    acc2, ori2 = _blocks(y)
    np.testing.assert_allclose(np.linalg.norm(acc2, axis=-1), np.linalg.norm(acc, axis=-1), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ori2 @ np.swapaxes(ori2, -1, -2), np.broadcast_to(np.eye(3), ori2.shape), atol=1e-5)
    np.testing.assert_allclose(np.linalg.det(ori2), 1.0, atol=1e-5)
    np.testing.assert_array_equal(acc2[..., 1], acc[..., 1])          # vertical acceleration untouched
    np.testing.assert_array_equal(ori2[..., 1, :], ori[..., 1, :])    # sensor tilt (row Y of R) untouched


def test_rotation_matches_scipy_on_the_world_side():
    x = _clip(20)
    a = 0.7
    ry = Rotation.from_euler("y", a).as_matrix()
    acc, ori = _blocks(x.astype(np.float64))
    acc2, ori2 = _blocks(rotate_yaw(x.astype(np.float64), a))
    np.testing.assert_allclose(acc2, acc @ ry.T, atol=1e-12)
    np.testing.assert_allclose(ori2, ry @ ori, atol=1e-12)


def test_full_turn_is_identity_and_rotations_compose():
    x = _windows().astype(np.float64)
    np.testing.assert_allclose(rotate_yaw(x, 2 * np.pi), x, atol=1e-12)
    np.testing.assert_allclose(rotate_yaw(rotate_yaw(x, 0.4), 1.1), rotate_yaw(x, 1.5), atol=1e-12)
    np.testing.assert_allclose(rotate_yaw(rotate_yaw(x, 0.9), -0.9), x, atol=1e-12)
    per = np.linspace(0, 3, len(x))
    np.testing.assert_allclose(rotate_yaw(x, per)[3], rotate_yaw(x[3], per[3]), atol=1e-12)   # one angle per window
    torch_out = rotate_yaw(torch.from_numpy(x), 0.4)
    assert torch.is_tensor(torch_out) and torch.allclose(torch_out, torch.from_numpy(rotate_yaw(x, 0.4)))


@pytest.mark.parametrize("angle", ANGLES + (0.123, -2.5, 4.0))
def test_heading_normalise_is_invariant_to_yaw(angle):
    x = _windows()
    ref = heading_normalise(x)
    np.testing.assert_allclose(heading_normalise(rotate_yaw(x, angle)), ref, atol=2e-5)
    clip = _clip()
    np.testing.assert_allclose(heading_normalise(rotate_yaw(clip, angle)), heading_normalise(clip), atol=2e-5)
    np.testing.assert_allclose(window_heading(ref), 0.0, atol=1e-5)
    turned = np.angle(np.exp(1j * (window_heading(rotate_yaw(x, angle)) - window_heading(x) - angle)))
    np.testing.assert_allclose(turned, 0.0, atol=1e-5)


def test_heading_normalise_invariant_for_random_angles_and_other_references():
    x = _windows(16, seed=5)
    angles = np.random.default_rng(2).uniform(-10, 10, len(x))
    for ref in ("right_thigh", "head", "left_wrist", ("right_thigh", "head")):
        np.testing.assert_allclose(heading_normalise(rotate_yaw(x, angles), ref), heading_normalise(x, ref), atol=2e-5)


def test_degenerate_reference_falls_back_and_stays_invariant():
    x = _windows(4).astype(np.float64)
    flip = np.diag([1.0, -1.0, -1.0]).reshape(9)       # 180° about X: h = 0 for the thigh
    x[..., 15:24] = flip
    assert np.isfinite(window_heading(x)).all()
    np.testing.assert_allclose(heading_normalise(rotate_yaw(x, 1.3)), heading_normalise(x), atol=1e-9)
    zeros = np.zeros((2, 60, 36))
    np.testing.assert_array_equal(heading_normalise(zeros), zeros)


def test_wrapped_cnn_predicts_the_same_class_for_a_turned_clip():
    """An untrained seeded ProposedCNN in HeadingNormalised is yaw invariant."""
    torch.manual_seed(0)
    clip = _clip(300, seed=3)
    model = HeadingNormalised(ProposedCNN(12).fit_norm(_windows(32, seed=40))).eval()
    windows = np.ascontiguousarray(np.lib.stride_tricks.sliding_window_view(clip, 60, axis=0)[::30].transpose(0, 2, 1))
    base = ex.predict(model, windows)
    with torch.no_grad():
        logits = model(torch.from_numpy(windows))
    for angle in ANGLES:
        turned = rotate_yaw(clip, angle)
        tw = np.ascontiguousarray(np.lib.stride_tricks.sliding_window_view(turned, 60, axis=0)[::30].transpose(0, 2, 1))
        np.testing.assert_array_equal(ex.predict(model, tw), base)
        with torch.no_grad():
            torch.testing.assert_close(model(torch.from_numpy(tw)), logits, atol=1e-4, rtol=1e-4)
    assert yaw_agreement(model, clip)["mean"] == 1.0
    assert yaw_agreement(model, {"a": clip, "b": _clip(120, 9)})["n_windows"] == 9 + 3


def test_wrapper_keeps_features_classifier_and_fine_tunes():
    torch.manual_seed(0)
    inner = ProposedCNN(12)
    model = HeadingNormalised(inner)
    assert model.classifier is inner.classifier and model.n_classes == 12
    x = torch.from_numpy(_windows(4))
    torch.testing.assert_close(model.eval().features(x), inner.eval().features(heading_normalise(x)))
    classes = tuple(f"c{k}" for k in range(12))
    model.class_names = classes
    rng = np.random.default_rng(0)
    real = WindowSet(_windows(12, seed=20), rng.integers(0, 3, 12), np.arange(12), ("c4", "c0", "c7"))
    cfg = ex.TrainConfig(finetune_epochs=1, batch_size=6)
    tuned, curve = ex.fine_tune(model, real, real, cfg, seed=0)
    cut = restrict_to(model, real.classes)
    assert curve[0]["acc"] == ex.scores(real.y, ex.predict(cut, real.x), 3)["acc"]
    assert isinstance(tuned, HeadingNormalised) and tuned.n_classes == 3 and model.n_classes == 12
    assert tuned.classifier is tuned.model.classifier and tuned.model._frozen
    lstm = HeadingNormalised(DeepConvLSTM(12, filters=4, lstm_units=8))   # a non-Sequential classifier
    retarget_classes(lstm, [4, 0, 7])
    assert lstm.model.classifier.out_features == 3 and "classifier" not in lstm._modules


def test_random_yaw_changes_the_batch_but_keeps_norms():
    x = torch.from_numpy(_windows(6))
    y = random_yaw(x, generator=torch.Generator().manual_seed(0))
    assert y.shape == x.shape and y.dtype == x.dtype and not torch.allclose(y, x)
    acc, _ = _blocks(x.numpy())
    acc2, ori2 = _blocks(y.numpy())
    np.testing.assert_allclose(np.linalg.norm(acc2, axis=-1), np.linalg.norm(acc, axis=-1), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ori2 @ np.swapaxes(ori2, -1, -2), np.broadcast_to(np.eye(3), ori2.shape), atol=1e-5)
    np.testing.assert_allclose(heading_normalise(y), heading_normalise(x), atol=2e-5)   # only the heading changed
    y2 = random_yaw(x, generator=torch.Generator().manual_seed(0))
    assert torch.equal(y, y2)


def test_yaw_symmetric_stats_match_many_random_turns():
    x = _windows(8)
    mean, std = yaw_symmetric_stats(x)
    turned = np.concatenate([rotate_yaw(x, a) for a in np.linspace(0, 2 * np.pi, 64, endpoint=False)])
    flat = turned.reshape(-1, 36).astype(np.float64)
    np.testing.assert_allclose(mean, flat.mean(0), atol=1e-5)
    np.testing.assert_allclose(std, flat.std(0), rtol=1e-4, atol=1e-5)


def test_bad_inputs_raise_one_clear_error():
    with pytest.raises(ValueError, match=r"^x must be windows \(N, T, 36\)"):
        rotate_yaw(np.zeros((2, 60, 35)), 0.1)
    with pytest.raises(ValueError, match=r"^x must be"):
        heading_normalise(np.zeros((60, 12)))
    with pytest.raises(ValueError, match=r"^x must be"):
        HeadingNormalised(ProposedCNN(3))(torch.zeros(2, 60, 30))
    with pytest.raises(ValueError, match=r"^angle_rad must be"):
        rotate_yaw(np.zeros((2, 60, 36)), np.zeros(3))
    with pytest.raises(ValueError, match=r"^reference='pelvis'"):
        heading_normalise(np.zeros((2, 60, 36)), reference="pelvis")
