"""Invariants of the IMU augmentations (shape, what each one preserves)."""

import pytest
import torch

from lib.primus import augment as A
from lib.primus.objectives import multitask_batch


@pytest.fixture
def x():
    return torch.randn(4, 6, 250, generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize("name", list(A.TRANSFORMS))
def test_every_transform_keeps_the_shape_and_changes_the_window(name, x):
    g = torch.Generator().manual_seed(1)
    y = A.TRANSFORMS[name](x, generator=g)
    assert y.shape == x.shape and torch.isfinite(y).all()
    assert not torch.allclose(y, x)


def test_time_reversal_twice_is_identity(x):
    assert torch.equal(A.time_reversal(A.time_reversal(x)), x)
    assert torch.equal(A.time_reversal(x, p=0.0), x)


def test_permutation_keeps_the_multiset_of_samples(x):
    y = A.permutation(x, generator=torch.Generator().manual_seed(2))
    assert torch.allclose(y.sort(dim=2).values, x.sort(dim=2).values)
    assert not torch.equal(y, x)


def test_rotation_preserves_the_norm_of_acc_and_gyro(x):
    y = A.rotation(x, generator=torch.Generator().manual_seed(3))
    assert torch.allclose(y[:, :3].norm(dim=1), x[:, :3].norm(dim=1), atol=1e-5)
    assert torch.allclose(y[:, 3:].norm(dim=1), x[:, 3:].norm(dim=1), atol=1e-5)
    rot = A.random_rotations(10, torch.Generator().manual_seed(4))
    assert torch.allclose(rot @ rot.transpose(1, 2), torch.eye(3).expand(10, 3, 3), atol=1e-5)
    assert torch.allclose(torch.linalg.det(rot), torch.ones(10), atol=1e-5)


def test_scaling_is_per_channel_by_default_and_per_time_step_as_the_reference(x):
    y = A.scaling(x, generator=torch.Generator().manual_seed(5))
    ratio = y / x
    assert torch.allclose(ratio, ratio[:, :, :1].expand_as(ratio), atol=1e-4)
    z = A.scaling(x, per="time", generator=torch.Generator().manual_seed(5))
    ratio = z / x
    assert torch.allclose(ratio, ratio[:, :1].expand_as(ratio), atol=1e-4)
    with pytest.raises(ValueError, match="per="):
        A.scaling(x, per="axis")


def test_channel_shuffle_moves_acc_and_gyro_axes_together(x):
    y = A.channel_shuffle(x, generator=torch.Generator().manual_seed(6))
    for b in range(4):
        acc_src = [int(torch.nonzero((x[b, :3] == y[b, c]).all(dim=1))[0]) for c in range(3)]
        gyro_src = [int(torch.nonzero((x[b, 3:] == y[b, 3 + c]).all(dim=1))[0]) for c in range(3)]
        assert acc_src == gyro_src and sorted(acc_src) == [0, 1, 2]


def test_time_warp_keeps_the_end_points(x):
    y = A.time_warp(x, generator=torch.Generator().manual_seed(7))
    assert torch.allclose(y[..., 0], x[..., 0]) and torch.allclose(y[..., -1], x[..., -1], atol=1e-4)


def test_ss_views_are_seeded_and_named(x):
    a = A.ss_view(x, "paper", generator=torch.Generator().manual_seed(8))
    b = A.ss_view(x, "paper", generator=torch.Generator().manual_seed(8))
    assert torch.equal(a, b)
    assert A.ss_view(x, "code", generator=torch.Generator().manual_seed(8)).shape == x.shape
    with pytest.raises(ValueError, match="pipeline"):
        A.ss_view(x, "mine")
    with pytest.raises(ValueError, match="batch, 6, time"):
        A.noise(torch.randn(2, 3, 10))


def test_multitask_batch_labels_say_what_was_applied(x):
    big = torch.randn(90, 6, 250, generator=torch.Generator().manual_seed(0))
    y, labels = multitask_batch(big, torch.Generator().manual_seed(9))
    assert set(labels.tolist()) <= set(range(9)) and len(set(labels.tolist())) > 5
    untouched = labels == 0
    assert torch.equal(y[untouched], big[untouched])
    negated = labels == 4  # "negation" is the fourth transformation
    assert torch.equal(y[negated], -big[negated])
