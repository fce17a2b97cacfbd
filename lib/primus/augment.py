"""IMU window transformations for self-supervision, in the (B, 6, T) layout (acc xyz, gyro xyz).

Every transform takes a float tensor ``x`` of shape (B, 6, T) and returns a new tensor of the same
shape on the same device; randomness comes from torch's global RNG (or ``generator``), which
:func:`lib.train.fit` seeds and checkpoints, so a resumed run draws the same augmentations.

The list is the one of Um et al. 2017 as used by Tang et al. 2021 (paper ref. [10]) and by Saeed et
al. 2019 (ref. [8]); parameters follow the reference code where it has one (PRIMUS reference code,
Nokia-Bell-Labs/pretrained-imu-encoders, lib/imu_transforms.py):

=================  ===========================================================================
noise              x + N(0, (σ·std_c)²) per channel c, σ = 0.1 (relative to the window's own std,
                   so it is unit-free; the reference adds σ = 0.1 in raw units)
scaling            x · s, s ~ N(1, σ = 0.25) drawn per (window, channel). ``per="time"`` replicates
                   the reference quirk: one factor per time step shared by all channels
negation           −x
time_reversal      x[..., ::-1] (the paper's "reversing the direction of time")
permutation        cut into 5 segments at 4 random points, shuffled (reference index 4)
rotation           one random 3-D rotation (axis ~ U[−1, 1]³ normalised, angle ~ U[−π, π]) applied
                   to acc and gyro alike, as a re-oriented sensor would see
time_warp          smooth random speed change: 4 knots with speed ~ N(1, 0.2), linear resampling
channel_shuffle    one random permutation of the x, y, z axes applied to acc and gyro alike
=================  ===========================================================================

Augmentation pipelines for the SS term (:data:`SS_PIPELINES`): ``"paper"`` = scaling, then time
reversal with probability ``p_reverse`` = 0.5 (paper §II-A: "scaling by a random factor and
reversing the direction of time"; the probability is our reading of "stochastic transformation
module"), ``"code"`` = scaling, then segment permutation (what the reference actually runs: the default
transform indices of lib/train_modules.py, which pretraining.py leaves unchanged).
"""

from __future__ import annotations

import math

import torch

Generator = torch.Generator | None


def _check(x: torch.Tensor) -> None:
    if not torch.is_tensor(x) or x.ndim != 3 or x.shape[1] != 6:
        raise ValueError(f"IMU transforms expect a tensor of shape (batch, 6, time); got "
                         f"{tuple(x.shape) if torch.is_tensor(x) else type(x).__name__}")


def _randn(shape, x, generator: Generator) -> torch.Tensor:
    return torch.randn(shape, generator=generator).to(device=x.device, dtype=x.dtype)


def _rand(shape, x, generator: Generator) -> torch.Tensor:
    return torch.rand(shape, generator=generator).to(device=x.device, dtype=x.dtype)


def noise(x: torch.Tensor, sigma: float = 0.1, generator: Generator = None) -> torch.Tensor:
    """Add Gaussian noise of ``sigma`` times each channel's standard deviation to windows (B, 6, T)."""
    _check(x)
    std = x.std(dim=2, keepdim=True).clamp_min(1e-6)
    return x + sigma * std * _randn(x.shape, x, generator)


def scaling(x: torch.Tensor, sigma: float = 0.25, per: str = "channel", generator: Generator = None) -> torch.Tensor:
    """Multiply windows (B, 6, T) by 1 + N(0, sigma²) factors, one per channel (``per="channel"``) or per sample (``"time"``)."""
    _check(x)
    if per == "channel":
        shape = (x.shape[0], x.shape[1], 1)
    elif per == "time":
        shape = (x.shape[0], 1, x.shape[2])
    else:
        raise ValueError(f"scaling(per={per!r}): use 'channel' or 'time'")
    return x * (1.0 + sigma * _randn(shape, x, generator))


def negation(x: torch.Tensor, generator: Generator = None) -> torch.Tensor:
    """Flip the sign of every channel of windows (B, 6, T)."""
    _check(x)
    return -x


def time_reversal(x: torch.Tensor, p: float = 1.0, generator: Generator = None) -> torch.Tensor:
    """Reverse the time axis of each window with probability ``p``."""
    _check(x)
    flip = _rand((x.shape[0], 1, 1), x, generator) < p
    return torch.where(flip, x.flip(-1), x)


def permutation(x: torch.Tensor, n_segments: int = 5, generator: Generator = None) -> torch.Tensor:
    """Cut each window at ``n_segments − 1`` random points and shuffle the pieces."""
    _check(x)
    batch, _, length = x.shape
    if not 1 <= n_segments <= length:
        raise ValueError(f"permutation(n_segments={n_segments}) must be in [1, {length}]")
    index = torch.empty(batch, length, dtype=torch.long)
    for b in range(batch):
        cuts = torch.randperm(length - 1, generator=generator)[: n_segments - 1].add(1).sort().values.tolist()
        bounds = [0, *cuts, length]
        pieces = [torch.arange(bounds[i], bounds[i + 1]) for i in range(n_segments)]
        order = torch.randperm(n_segments, generator=generator).tolist()
        index[b] = torch.cat([pieces[i] for i in order])
    return torch.gather(x, 2, index.to(x.device)[:, None, :].expand_as(x))


def random_rotations(n: int, generator: Generator = None) -> torch.Tensor:
    """(n, 3, 3) rotation matrices from a random axis (U[−1,1]³, normalised) and angle U[−π, π] (Rodrigues)."""
    axis = torch.rand(n, 3, generator=generator) * 2 - 1
    axis = axis / axis.norm(dim=1, keepdim=True).clamp_min(1e-8)
    angle = (torch.rand(n, generator=generator) * 2 - 1) * math.pi
    k = torch.zeros(n, 3, 3)
    k[:, 0, 1], k[:, 0, 2], k[:, 1, 2] = -axis[:, 2], axis[:, 1], -axis[:, 0]
    k = k - k.transpose(1, 2)
    s, c = angle.sin()[:, None, None], angle.cos()[:, None, None]
    return torch.eye(3).expand(n, 3, 3) + s * k + (1 - c) * (k @ k)


def rotation(x: torch.Tensor, generator: Generator = None) -> torch.Tensor:
    """Rotate acc xyz and gyro xyz of each window (B, 6, T) by one random 3-D rotation per window."""
    _check(x)
    rot = random_rotations(x.shape[0], generator).to(device=x.device, dtype=x.dtype)
    return torch.cat([rot @ x[:, :3], rot @ x[:, 3:]], dim=1)


def time_warp(x: torch.Tensor, sigma: float = 0.2, knots: int = 4, generator: Generator = None) -> torch.Tensor:
    """Resample each window along a smoothly varying speed profile (piecewise-linear in ``knots + 2`` points)."""
    _check(x)
    batch, channels, length = x.shape
    speed = (1.0 + sigma * torch.randn(batch, knots + 2, generator=generator)).clamp_min(0.2)
    speed = torch.nn.functional.interpolate(speed[:, None, :], size=length, mode="linear", align_corners=True)[:, 0]
    warped = torch.cumsum(speed, dim=1)
    warped = (warped - warped[:, :1]) / (warped[:, -1:] - warped[:, :1]) * (length - 1)  # (B, T) in [0, T-1]
    lo = warped.floor().long().clamp(0, length - 2)
    frac = (warped - lo).to(device=x.device, dtype=x.dtype)[:, None, :]
    lo = lo.to(x.device)[:, None, :].expand(batch, channels, length)
    return torch.gather(x, 2, lo) * (1 - frac) + torch.gather(x, 2, lo + 1) * frac


def channel_shuffle(x: torch.Tensor, generator: Generator = None) -> torch.Tensor:
    """Permute the x, y, z axes (one permutation per window, the same for acc and gyro)."""
    _check(x)
    perms = torch.stack([torch.randperm(3, generator=generator) for _ in range(x.shape[0])]).to(x.device)
    index = torch.cat([perms, perms + 3], dim=1)[:, :, None].expand_as(x)
    return torch.gather(x, 1, index)


#: Saeed et al. 2019's eight transformations, in their order (MultitaskSSL predicts which one was applied).
TRANSFORMS = {
    "noise": noise,
    "scaling": scaling,
    "rotation": rotation,
    "negation": negation,
    "time_reversal": time_reversal,
    "permutation": permutation,
    "time_warp": time_warp,
    "channel_shuffle": channel_shuffle,
}

SS_PIPELINES = ("paper", "code")


def ss_view(x: torch.Tensor, pipeline: str = "paper", p_reverse: float = 0.5, scale_sigma: float = 0.25,
            generator: Generator = None) -> torch.Tensor:
    """The augmented view for the SS term: ``"paper"`` scaling + time reversal, ``"code"`` scaling + permutation."""
    if pipeline == "paper":
        return time_reversal(scaling(x, scale_sigma, generator=generator), p=p_reverse, generator=generator)
    if pipeline == "code":
        return permutation(scaling(x, scale_sigma, generator=generator), generator=generator)
    raise ValueError(f"ss_view(pipeline={pipeline!r}): use one of {SS_PIPELINES}")
