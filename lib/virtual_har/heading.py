"""Heading (yaw) invariance for P4's window classifier: rotation about the vertical, normalisation, augmentation.

P4's 36 features (Xiao et al. 2020, §4.1) are, per sensor, the acceleration in the *world* frame and the
sensor-to-world rotation matrix, so they depend on where the performer faces: a walk towards +Z and the
same walk towards +X are different inputs. Only the vertical is physically fixed (gravity), so a
classifier of activities should not change its answer when the whole recording is turned about it.

Physics (world frame Y up, :mod:`lib.body.imu`). Turning the whole motion by an angle a about the
vertical axis maps every sensor position p to R_y(a) p, with

    R_y(a) = [[cos a, 0, sin a], [0, 1, 0], [-sin a, 0, cos a]]        (a > 0 turns +Z towards +X).

P4's Eq. (3) acceleration is a finite difference of positions, which commutes with the constant
linear map, so a' = R_y a; gravity lies along Y and is unchanged by R_y, so the gravity-free
acceleration rotates the same way (and so does an accelerometer's specific force in the world frame,
whereas its *sensor-frame* reading would not change at all). A sensor-to-world orientation is
composed on the world side: R' = R_y(a) R. Rows 0 and 2 of R (the world X and Z components of the
sensor axes) mix, row 1 (the vertical components, the sensor's tilt) does not.

Heading of one orientation. The yaw rotation closest to R in the Frobenius norm maximises
tr(R_y(θ)ᵀ R) = cos θ (R00 + R22) + sin θ (R02 − R20) + R11, so

    θ(R) = atan2(R02 − R20, R00 + R22)                                                  (1)

(= 2·atan2(q_y, q_w) for R's quaternion q: the twist angle of a swing-twist decomposition about Y).
The vector h = (R02 − R20, R00 + R22) is the sum of the horizontal projections of the sensor's
forward axis (column 2) and of its lateral axis (column 0) turned by −90°, each weighted by how
horizontal it is, so h stays well defined when either axis is vertical (a thigh flexed to 90° while
seated has a vertical z axis but a horizontal x axis). It vanishes only for a sensor turned upside
down by 180° about a horizontal axis. Under R' = R_y(a) R the vector h turns by exactly a (a short
calculation with the rows above), so θ(R_y(a) R) = θ(R) + a.

Heading of a window: the circular mean of (1) over its frames, θ_w = atan2(Σ_t h_t), weighted by
|h_t| (frames where the sensor is tilted count less). Rotating the window by −θ_w gives
:func:`heading_normalise`, and since θ_w of R_y(a)·window is θ_w + a, heading_normalise(rotate_yaw(x, a))
= heading_normalise(x) up to floating-point rounding, for every a.

Reference sensor: the right thigh (``REFERENCE``). Its x axis is the hip's flexion axis, horizontal in
standing, walking, sitting and stair climbing alike, so |h| stays near 1 or more (sitting) to 2
(standing), and its heading follows the pelvis up to hip rotation (a few degrees in gait): the heading
of the body, not of a limb. The forearm swings and pronates, so its yaw is no body heading (on the
small corpora below it departs from the thigh's by a median 20-27°, 10 % of windows over 100°); the
head's stays within a few degrees of the thigh's in these simulated data (median 3-4°), but a real
head turns freely when the performer looks around. Any reference gives exact invariance; which one
transfers best is an empirical question (``reference`` is a parameter; notebook 41 measures the
default against random-yaw training and no treatment, :func:`heading_experiment`).
When the reference's Σ_t h_t is degenerate (``|Σ h| < DEGENERATE * T``: upside down for the whole
window) the heading pools all sensors; if that is degenerate too the window is left unrotated (it then
has no heading information; a zero window, for example).

Shapes: windows (N, T, 12·S) or one clip (T, 12·S), S sensors in ``sensors`` order (default
:data:`SENSORS`: left wrist, right thigh, head), per sensor [acc x, y, z (m/s²), R row-major (9)].
Angles are radians unless a name says ``_deg``.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Sequence

import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset

from lib.body.imu import P4_SITES
from lib.datasets.windows import sliding_windows
from lib.train import fit
from lib.virtual_har import experiments as ex
from lib.virtual_har.models import ProposedCNN, dae_loss, retarget_classes
from lib.virtual_har.windows import FEATURES_PER_SENSOR, WindowSet

SENSORS = tuple(site.name for site in P4_SITES)
#: Default reference sensor for the heading (module docstring).
REFERENCE = "right_thigh"
#: Training methods of :func:`train_proposed_heading`.
HEADING_METHODS = ("none", "random_yaw", "normalised")
#: Σ_t |h_t| per frame is at most 2 (an upright sensor); below this mean length the sum carries no heading.
DEGENERATE = 1e-3
#: Feature indices (within a sensor's 12) rotated as (X, Z) pairs: acceleration, then rows 0 and 2 of R.
_XZ_PAIRS = ((0, 2), (3, 9), (4, 10), (5, 11))
ANGLES_DEG = (90, 180, 270)


# --------------------------------------------------------------------------- checks and conversion

def _check_x(x, sensors: Sequence[str], name: str = "x") -> None:
    shape = tuple(x.shape)
    c = FEATURES_PER_SENSOR * len(sensors)
    if len(shape) not in (2, 3) or shape[-1] != c:
        raise ValueError(f"{name} must be windows (N, T, {c}) or a clip (T, {c}): {FEATURES_PER_SENSOR} features "
                         f"[acc (3), orientation (9)] for each of the sensors {list(sensors)}; got shape {shape}")


def _as_tensor(x) -> torch.Tensor:
    """x (numpy array or tensor) as a float64 tensor (on x's device)."""
    if torch.is_tensor(x):
        return x.to(torch.float64)
    return torch.from_numpy(np.asarray(x, dtype=np.float64))


def _back(out: torch.Tensor, like) -> np.ndarray | torch.Tensor:
    if torch.is_tensor(like):
        return out.to(like.dtype)
    dtype = np.asarray(like).dtype
    return out.numpy().astype(dtype if np.issubdtype(dtype, np.floating) else np.float64, copy=False)


def _sensor_index(name: str, sensors: Sequence[str]) -> int:
    if name not in sensors:
        raise ValueError(f"reference={name!r} is not one of the sensors {list(sensors)}")
    return list(sensors).index(name)


# --------------------------------------------------------------------------- rotation about the vertical

def _rotate(x: torch.Tensor, angle: torch.Tensor) -> torch.Tensor:
    """x (N, T, 12·S) turned by angle (N,) radians about world Y (acc' = R_y acc, R' = R_y R)."""
    n, t, c = x.shape
    v = x.reshape(n, t, c // FEATURES_PER_SENSOR, FEATURES_PER_SENSOR)
    cos = torch.cos(angle).to(x.dtype).view(n, 1, 1, 1)
    sin = torch.sin(angle).to(x.dtype).view(n, 1, 1, 1)
    ix = [p[0] for p in _XZ_PAIRS]
    iz = [p[1] for p in _XZ_PAIRS]
    vx, vz = v[..., ix], v[..., iz]
    out = v.clone()
    out[..., ix] = cos * vx + sin * vz     # world X row of R_y: ( cos a, 0, sin a)
    out[..., iz] = -sin * vx + cos * vz    # world Z row of R_y: (-sin a, 0, cos a)
    return out.reshape(n, t, c)


def _angles(angle_rad, n: int, batched: bool) -> torch.Tensor:
    a = torch.as_tensor(np.asarray(angle_rad, dtype=np.float64) if not torch.is_tensor(angle_rad) else angle_rad,
                        dtype=torch.float64)
    if a.ndim == 0:
        return a.expand(n)
    if not batched or a.shape != (n,):
        want = "a scalar" if not batched else f"a scalar or one angle per window, shape ({n},)"
        raise ValueError(f"angle_rad must be {want}; got shape {tuple(a.shape)}")
    return a


def rotate_yaw(x, angle_rad, sensors: Sequence[str] = SENSORS):
    """Turn windows (N, T, 36) or a clip (T, 36) by ``angle_rad`` (radians) about the world vertical (Y).

    Per sensor: acceleration a' = R_y a (m/s², world frame) and orientation R' = R_y R (sensor-to-world),
    the exact effect of the performer facing another direction (module docstring). ``angle_rad``: a scalar
    or one angle per window (N,). Returns the same type (numpy array or torch tensor), shape and float dtype;
    computed in float64.
    """
    _check_x(x, sensors)
    xt = _as_tensor(x)
    batched = xt.ndim == 3
    xt3 = xt if batched else xt.unsqueeze(0)
    out = _rotate(xt3, _angles(angle_rad, xt3.shape[0], batched))
    return _back(out if batched else out[0], x)


def random_yaw(x: torch.Tensor, generator: torch.Generator | None = None,
               sensors: Sequence[str] = SENSORS) -> torch.Tensor:
    """Training augmentation: each window of a torch batch (B, T, 36) turned by its own uniform yaw in [0, 2π).

    Uses ``generator`` or the global torch RNG (which :func:`lib.train.fit` seeds). Not differentiable
    in the angle (none is needed); the result has x's dtype and device.
    """
    if not torch.is_tensor(x) or x.ndim != 3:
        raise ValueError(f"x must be a torch batch (B, T, {FEATURES_PER_SENSOR * len(sensors)}); "
                         f"got {type(x).__name__} of shape {tuple(getattr(x, 'shape', ()))}")
    _check_x(x, sensors)
    angle = 2 * np.pi * torch.rand(x.shape[0], generator=generator, dtype=torch.float64)
    return _rotate(x.to(torch.float64), angle.to(x.device)).to(x.dtype)


# --------------------------------------------------------------------------- heading estimate and normalisation

def _heading_vector(x: torch.Tensor, s: int) -> torch.Tensor:
    """Σ_t h_t of sensor ``s``: (N, 2) = (sin-like, cos-like) components of Eq. (1), summed over frames."""
    r = x[..., s * FEATURES_PER_SENSOR + 3:(s + 1) * FEATURES_PER_SENSOR]      # (N, T, 9) row-major R
    b = r[..., 2] - r[..., 6]                                                  # R02 - R20
    a = r[..., 0] + r[..., 8]                                                  # R00 + R22
    return torch.stack([b.sum(1), a.sum(1)], dim=-1)


def _reference_indices(reference, sensors: Sequence[str]) -> list[int]:
    names = [reference] if isinstance(reference, str) else list(reference)
    if not names:
        raise ValueError("reference must name at least one sensor")
    return [_sensor_index(name, sensors) for name in names]


def _heading(x: torch.Tensor, reference, sensors: Sequence[str]) -> torch.Tensor:
    """(N,) window heading (radians) of x (N, T, C), float64."""
    t = x.shape[1]
    ref = sum(_heading_vector(x, s) for s in _reference_indices(reference, sensors))
    pooled = sum(_heading_vector(x, s) for s in range(len(sensors)))
    weak = ref.norm(dim=-1) < DEGENERATE * max(t, 1)
    h = torch.where(weak[:, None], pooled, ref)
    none = h.norm(dim=-1) < DEGENERATE * max(t, 1)
    return torch.where(none, torch.zeros_like(h[:, 0]), torch.atan2(h[:, 0], h[:, 1]))


def window_heading(x, reference: str | Sequence[str] = REFERENCE, sensors: Sequence[str] = SENSORS):
    """Heading (radians, in (−π, π], 0 = facing +Z) of each window (N,) or of a clip (scalar).

    The |h|-weighted circular mean over frames of Eq. (1) for the ``reference`` sensor (a name, or several
    names whose vectors are pooled); see the module docstring for the degenerate fallbacks. For
    x' = rotate_yaw(x, a): window_heading(x') = window_heading(x) + a (mod 2π).
    """
    _check_x(x, sensors)
    xt = _as_tensor(x)
    yaw = _heading(xt if xt.ndim == 3 else xt.unsqueeze(0), reference, sensors)
    if xt.ndim == 2:
        return float(yaw[0]) if not torch.is_tensor(x) else yaw[0].to(x.dtype)
    return yaw.numpy() if not torch.is_tensor(x) else yaw.to(x.dtype)


def heading_normalise(x, reference: str | Sequence[str] = REFERENCE, sensors: Sequence[str] = SENSORS):
    """Each window (N, T, 36), or a whole clip (T, 36) as one window, turned by minus its heading.

    After it every window's ``reference`` sensor faces +Z on average (:func:`window_heading` = 0), so
    heading_normalise(rotate_yaw(x, a)) == heading_normalise(x) for every a, up to float rounding
    (about 1e-6 of the values for float32 input). Same type, shape and dtype as x; computed in float64.
    """
    _check_x(x, sensors)
    xt = _as_tensor(x)
    x3 = xt if xt.ndim == 3 else xt.unsqueeze(0)
    out = _rotate(x3, -_heading(x3, reference, sensors))
    return _back(out if xt.ndim == 3 else out[0], x)


class HeadingNormalised(nn.Module):
    """A window classifier whose input (B, T, 36) is heading-normalised first (:func:`heading_normalise`).

    forward(x) = model(heading_normalise(x)), so an eval-mode prediction is invariant to rotate_yaw by
    construction. ``features(x)``, ``forward_all(x)`` (for :func:`lib.virtual_har.models.dae_loss`) and
    ``fit_norm(x)`` normalise too; other attributes (``classifier``, ``n_classes``, ...) are the wrapped
    model's, and assigning ``classifier`` or ``_frozen`` sets them on the wrapped model, so
    :func:`lib.virtual_har.experiments.fine_tune` (retarget, freeze, features once, train the classifier)
    works on the wrapper unchanged.
    """

    _FORWARDED = ("classifier", "_frozen")

    def __init__(self, model: nn.Module, reference: str | Sequence[str] = REFERENCE,
                 sensors: Sequence[str] = SENSORS) -> None:
        super().__init__()
        _reference_indices(reference, sensors)
        self.model = model
        self.reference = reference if isinstance(reference, str) else tuple(reference)
        self.sensors = tuple(sensors)

    def __getattr__(self, name: str):
        try:
            return super().__getattr__(name)
        except AttributeError:
            modules = self.__dict__.get("_modules")
            if not modules or "model" not in modules or name == "model":
                raise
            return getattr(modules["model"], name)

    def __setattr__(self, name: str, value) -> None:
        modules = self.__dict__.get("_modules")
        if name in self._FORWARDED and modules and "model" in modules:
            setattr(modules["model"], name, value)
        else:
            super().__setattr__(name, value)

    def normalise(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, 36) windows turned about the vertical so that the reference sensor faces a fixed direction."""
        _check_x(x, self.sensors)
        if x.ndim != 3:
            raise ValueError(f"x must be a batch (B, T, {x.shape[-1]}); got shape {tuple(x.shape)}")
        return heading_normalise(x, self.reference, self.sensors)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The wrapped model's features of the heading-normalised windows."""
        return self.model.features(self.normalise(x))

    def forward_all(self, x: torch.Tensor, corrupt: bool | None = None):
        """The wrapped :meth:`ProposedCNN.forward_all` on the heading-normalised windows."""
        return self.model.forward_all(self.normalise(x), corrupt=corrupt)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (B, K) of the heading-normalised windows (B, T, 36)."""
        return self.model(self.normalise(x))

    def fit_norm(self, x: np.ndarray) -> "HeadingNormalised":
        """The wrapped model's input statistics from heading-normalised training windows (N, T, 36)."""
        self.model.fit_norm(heading_normalise(np.asarray(x), self.reference, self.sensors))
        return self


# --------------------------------------------------------------------------- training

def yaw_symmetric_stats(x: np.ndarray, sensors: Sequence[str] = SENSORS) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature (mean, std), each (36,), of windows x (N, T, 36) turned by uniformly random yaws.

    Exact, without sampling: the vertical features keep their moments; each horizontal pair (X, Z)
    gets mean 0 and second moment (E[X²] + E[Z²]) / 2 (E[cos²] = E[sin²] = 1/2, E[cos·sin] = 0).
    These are the statistics :func:`random_yaw` training sees, for ``ChannelNorm``.
    """
    x = np.asarray(x)
    _check_x(x, sensors)
    flat = x.reshape(-1, x.shape[-1]).astype(np.float64)
    mean, second = flat.mean(0), (flat * flat).mean(0)
    for s in range(len(sensors)):
        for i, k in _XZ_PAIRS:
            i, k = s * FEATURES_PER_SENSOR + i, s * FEATURES_PER_SENSOR + k
            mean[[i, k]] = 0.0
            second[[i, k]] = 0.5 * (second[i] + second[k])
    return mean, np.sqrt(np.maximum(second - mean * mean, 0.0))


def train_proposed_heading(train: WindowSet, cfg: ex.TrainConfig, seed: int, method: str = "none",
                           reference: str | Sequence[str] = REFERENCE, desc: str | None = None):
    """The proposed CNN (P4 §3.1) trained on ``train`` with a heading treatment; returns (model, history).

    method: "none" = :func:`lib.virtual_har.experiments.train_proposed` as it is; "random_yaw" = every
    batch turned by independent uniform yaws before the DAE loss, input statistics
    :func:`yaw_symmetric_stats`; "normalised" = trained on heading-normalised windows (input statistics
    from them) and returned wrapped in :class:`HeadingNormalised`, which normalises at test time. The
    returned model carries ``class_names`` = train.classes.
    """
    if method not in HEADING_METHODS:
        raise ValueError(f"method={method!r} is unknown; use one of {list(HEADING_METHODS)}")
    desc = desc or f"proposed {method} s{seed}"
    if method == "none":
        model, history = ex.train_proposed(train, cfg, seed, desc=desc)
    elif method == "normalised":
        inner, history = ex.train_proposed(replace(train, x=heading_normalise(train.x, reference, train.sensors)),
                                           cfg, seed, desc=desc)
        model = HeadingNormalised(inner, reference, train.sensors).eval()
    else:
        torch.manual_seed(seed)
        model = ProposedCNN(train.n_classes, n_features=train.x.shape[2])
        model.norm.set(*yaw_symmetric_stats(train.x, train.sensors))
        sensors, lam = train.sensors, cfg.lam

        def loss_fn(m, batch):
            x, y = batch
            return dae_loss(m, (random_yaw(x, sensors=sensors), y), lam=lam)

        history = fit(model, TensorDataset(torch.from_numpy(train.x), torch.from_numpy(train.y)), loss_fn=loss_fn,
                      epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr, device=cfg.device, seed=seed,
                      desc=desc)
        model = model.cpu().eval()
    model.class_names = train.classes
    return model, history


# --------------------------------------------------------------------------- evaluation

def _windows_of(data, length: int = 60, step: int = 30) -> np.ndarray:
    """(N, T, C) float32 windows from windows, a WindowSet, a clip (T, C) or a dict name -> clip."""
    if isinstance(data, WindowSet):
        return data.x
    if isinstance(data, dict):
        parts = [_windows_of(np.asarray(clip), length, step) for clip in data.values()]
        return np.concatenate(parts) if parts else np.zeros((0, length, FEATURES_PER_SENSOR * len(SENSORS)),
                                                            np.float32)
    x = np.asarray(data)
    if x.ndim == 2:
        return np.ascontiguousarray(sliding_windows(x, length, step), dtype=np.float32)
    return np.asarray(x, dtype=np.float32)


def yaw_agreement(model, data, angles_deg: Sequence[float] = ANGLES_DEG, sensors: Sequence[str] = SENSORS) -> dict:
    """How often ``model``'s predicted class survives turning the input about the vertical.

    data: windows (N, T, 36), a WindowSet, a clip (T, 36) or a dict name -> clip (clips are cut into
    60-frame windows with step 30, P4 §4.1). Returns {"per_angle": {angle_deg: fraction of windows whose
    prediction (:func:`lib.virtual_har.experiments.predict`) equals the unrotated one}, "mean": their mean,
    "n_windows": N}; the fractions are NaN for no windows.
    """
    x = _windows_of(data)
    _check_x(x, sensors, "data")
    base = ex.predict(model, x)
    per = {}
    for deg in angles_deg:
        pred = ex.predict(model, rotate_yaw(x, np.radians(deg), sensors))
        per[deg] = float(np.mean(pred == base)) if len(x) else float("nan")
    return {"per_angle": per, "mean": float(np.mean(list(per.values()))) if per else float("nan"),
            "n_windows": int(len(x))}


def restrict_to(model, classes) -> nn.Module:
    """A copy of a virtual-trained ``model`` whose output layer keeps only ``classes`` (P4's real classes).

    The same cut as epoch 0 of :func:`lib.virtual_har.experiments.fine_tune` ("without fine-tuning"):
    :func:`~lib.virtual_har.experiments.class_mapping` of ``model.class_names`` and
    :func:`~lib.virtual_har.models.retarget_classes`.
    """
    keep = ex.class_mapping(ex.pretrained_classes(model), classes)
    restricted = retarget_classes(copy.deepcopy(model).cpu(), keep)
    restricted.class_names = tuple(classes)
    return restricted.eval()


def heading_experiment(virtual_train: WindowSet, virtual_test: WindowSet, real_test: WindowSet, cfg: ex.TrainConfig,
                       seeds: Sequence[int], clips: dict | None = None, methods: Sequence[str] = HEADING_METHODS,
                       reference: str | Sequence[str] = REFERENCE, angles_deg: Sequence[float] = ANGLES_DEG,
                       return_models: bool = False):
    """Each heading method × seed: the proposed CNN trained on ``virtual_train`` and tested without fine-tuning.

    Rows: {method, seed,
    virtual_acc (12-way accuracy on virtual_test),
    real_acc_5way (on real_test, output cut to its classes: fine_tune's epoch 0),
    real_acc_5way_rotated (the same on real_test turned by each of ``angles_deg``, mean),
    real_agreement / real_agreement_5way (:func:`yaw_agreement` mean on real_test, 12-way model / cut model),
    cmu_agreement (the same on the windows of ``clips``, dict name -> (T, 36); None without clips),
    cmu_windows}. With ``return_models`` also {(method, seed): model}.
    """
    unknown = [m for m in methods if m not in HEADING_METHODS]
    if unknown:
        raise ValueError(f"methods {unknown} are unknown; use some of {list(HEADING_METHODS)}")
    rows, models = [], {}
    for seed in seeds:
        for method in methods:
            model, _ = train_proposed_heading(virtual_train, cfg, seed, method, reference,
                                              desc=f"heading {method} s{seed}")
            models[(method, seed)] = model
            cut = restrict_to(model, real_test.classes)
            rotated = [ex.scores(real_test.y, ex.predict(cut, rotate_yaw(real_test.x, np.radians(d))),
                                 real_test.n_classes)["acc"] for d in angles_deg]
            cmu = yaw_agreement(model, clips, angles_deg) if clips else None
            rows.append({
                "method": method, "seed": seed,
                "virtual_acc": ex.scores(virtual_test.y, ex.predict(model, virtual_test.x),
                                         virtual_test.n_classes)["acc"],
                "real_acc_5way": ex.scores(real_test.y, ex.predict(cut, real_test.x), real_test.n_classes)["acc"],
                "real_acc_5way_rotated": float(np.mean(rotated)),
                "real_agreement": yaw_agreement(model, real_test.x, angles_deg)["mean"],
                "real_agreement_5way": yaw_agreement(cut, real_test.x, angles_deg)["mean"],
                "cmu_agreement": None if cmu is None else cmu["mean"],
                "cmu_windows": None if cmu is None else cmu["n_windows"],
            })
    return (rows, models) if return_models else rows
