"""P4's three classifiers for 60-frame × 36-feature IMU windows (Xiao et al. 2020, §3.1 and §4).

All torch models take windows ``x`` of shape (B, T=60, C=36) — 3 sensors × (3 acceleration + 9
rotation-matrix entries), §4.1 — and return class logits (B, K). Inputs are standardised inside the
model by a :class:`ChannelNorm` whose statistics come from the training corpus (:meth:`fit_norm`),
so a model carries its own preprocessing when it is applied to another corpus.

* :class:`ProposedCNN` — "a deep convolutional neural network (convolutional layers and
  fully-connected layers) with an unsupervised penalty (deconvolutional layers)" (§3.1). The layer
  counts and sizes are not in the paper text this companion has (the numbers were lost in
  extraction), so they are our choice, kept as constructor arguments: 3 strided Conv1d layers along
  time (36 → 64 → 64 → 32 channels, kernel 5, time 60 → 30 → 15 → 15) give a latent of 32 × 15 = 480
  values, lower-dimensional than the 2,160-value input as §3.1 asks ("represent X of high-dimension
  by the latent layer of low-dimension"); 2 fully-connected layers (480 → 128 → K) classify; 3
  ConvTranspose1d layers mirror the encoder and reconstruct the window. The unsupervised penalty is
  a denoising autoencoder (§3.1, ref. [7]): the encoder sees a corrupted window x̃ (Gaussian noise of
  ``noise_std`` in standardised units and masking of a fraction ``mask_prob`` of the values) and the
  decoder must return the clean x, so the training objective is

      L = CE(f(h(x̃)), y) + λ · ‖g(h(x̃)) − x‖² / (T·C)          (§3.1, Eq. 4 as described)

  with h the conv encoder, f the FC classifier and g the deconv decoder. At evaluation no
  corruption is applied. Fine-tuning (§3.2) trains only the FC layers: :func:`freeze_features`.
* :class:`DeepConvLSTM` — Ordóñez & Roggen (Sensors 2016) as sussexwearlab/DeepConvLSTM has it: 4 × Conv2d(64
  filters, kernel (5, 1)) along time with ReLU and valid padding (T 60 → 44), dropout 0.5, a 2-layer
  LSTM with 128 units over the 44 time steps (input 64 filters × 36 channels), and a dense softmax
  layer on the last time step. Only the window length (60 instead of 24) and the channel count (36
  instead of 113) differ from the original.
* :func:`make_random_forest` / :func:`rf_features` — scikit-learn's RandomForestClassifier. §4: "For
  RF we directly input the processed data for classification", so the default input is the
  flattened standardised window (60 × 36 = 2,160 values); ``features="stats"`` gives per-channel
  mean, standard deviation, minimum and maximum (144 values) instead.

Every model exposes ``classifier`` (the layers fine-tuning trains) and ``features(x)`` (everything
before it).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

N_FRAMES = 60     # §4.1: 60-frame (1 s at 60 Hz) windows
N_FEATURES = 36   # §4.1: 3 sensors × (3 acc + 9 rotation)


def _check_window_shape(x: torch.Tensor, n_frames: int, n_features: int, who: str) -> None:
    if x.ndim != 3 or x.shape[1:] != (n_frames, n_features):
        raise ValueError(f"{who} expects windows of shape (B, {n_frames}, {n_features}) (batch, frames, features); "
                         f"got {tuple(x.shape)}")


class ChannelNorm(nn.Module):
    """Per-feature standardisation (x - mean) / std with fixed (non-trained) statistics, shape (C,)."""

    def __init__(self, n_features: int) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))

    def set(self, mean: np.ndarray | torch.Tensor, std: np.ndarray | torch.Tensor) -> None:
        """Fix the statistics, each (C,) in the input's units; std is floored at 1e-6."""
        mean = torch.as_tensor(np.asarray(mean), dtype=self.mean.dtype)
        std = torch.as_tensor(np.asarray(std), dtype=self.std.dtype)
        if mean.shape != self.mean.shape or std.shape != self.std.shape:
            raise ValueError(f"ChannelNorm.set: mean and std must have shape {tuple(self.mean.shape)}; "
                             f"got {tuple(mean.shape)} and {tuple(std.shape)}")
        self.mean.copy_(mean)
        self.std.copy_(torch.clamp(std, min=1e-6))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(..., C) -> (..., C): each channel standardised with the fixed statistics."""
        return (x - self.mean) / self.std


class _WindowModel(nn.Module):
    """Shared plumbing: input normalisation, freezing (see :func:`freeze_features`)."""

    classifier: nn.Module

    def __init__(self, n_frames: int, n_features: int) -> None:
        super().__init__()
        self.n_frames, self.n_features = n_frames, n_features
        self.norm = ChannelNorm(n_features)
        self._frozen = False

    def fit_norm(self, x: np.ndarray) -> "_WindowModel":
        """Set the input statistics from training windows (N, T, C); returns self."""
        x = np.asarray(x)
        if x.ndim != 3 or x.shape[2] != self.n_features:
            raise ValueError(f"fit_norm expects training windows (N, T, {self.n_features}); got {x.shape}")
        flat = x.reshape(-1, self.n_features)
        self.norm.set(flat.mean(axis=0), flat.std(axis=0))
        return self

    def train(self, mode: bool = True) -> "_WindowModel":
        """Frozen feature layers stay in eval mode (batch-norm statistics and dropout fixed)."""
        super().train(mode)
        if self._frozen:
            for module in self.children():
                if module is not self.classifier:
                    module.eval()
        return self


class ProposedCNN(_WindowModel):
    """Conv encoder + FC classifier + deconv decoder (denoising-autoencoder penalty); see module docstring.

    forward(x) -> logits (B, K); forward_all(x, corrupt=...) -> (logits, reconstruction (B, T, C), clean
    standardised target (B, T, C)).
    """

    def __init__(self, n_classes: int, n_frames: int = N_FRAMES, n_features: int = N_FEATURES,
                 channels: tuple[int, ...] = (64, 64, 32), strides: tuple[int, ...] = (2, 2, 1),
                 kernel: int = 5, hidden: int = 128, dropout: float = 0.3,
                 noise_std: float = 0.3, mask_prob: float = 0.1) -> None:
        super().__init__(n_frames, n_features)
        if n_classes < 2:
            raise ValueError(f"ProposedCNN(n_classes={n_classes}) needs at least 2 classes")
        if len(channels) != len(strides) or not channels:
            raise ValueError(f"channels {channels} and strides {strides} must be non-empty and of equal length")
        if kernel % 2 != 1:
            raise ValueError(f"kernel={kernel} must be odd so that 'same' padding keeps the frame count")
        self.noise_std, self.mask_prob = float(noise_std), float(mask_prob)
        pad = kernel // 2
        enc, lengths, c_in, t = [], [n_frames], n_features, n_frames
        for c_out, s in zip(channels, strides):
            enc += [nn.Conv1d(c_in, c_out, kernel, stride=s, padding=pad), nn.BatchNorm1d(c_out), nn.ReLU()]
            t = (t + 2 * pad - kernel) // s + 1
            lengths.append(t)
            c_in = c_out
        self.encoder = nn.Sequential(*enc)
        self.latent_shape = (channels[-1], t)
        dec, outs = [], list(reversed((n_features,) + tuple(channels[:-1])))
        for i, (c_out, s) in enumerate(zip(outs, reversed(strides))):
            t_in, t_target = lengths[-1 - i], lengths[-2 - i]
            extra = t_target - ((t_in - 1) * s - 2 * pad + kernel)
            if not 0 <= extra < max(s, 1):
                raise ValueError(f"cannot mirror stride {s} from {t_in} to {t_target} frames; choose other strides")
            dec.append(nn.ConvTranspose1d(c_in, c_out, kernel, stride=s, padding=pad, output_padding=extra))
            if i < len(channels) - 1:
                dec += [nn.BatchNorm1d(c_out), nn.ReLU()]
            c_in = c_out
        self.decoder = nn.Sequential(*dec)
        latent = channels[-1] * t
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(latent, hidden), nn.ReLU(), nn.Dropout(dropout),
                                        nn.Linear(hidden, n_classes))

    @property
    def n_classes(self) -> int:
        """Number of classes the last FC layer scores."""
        return self.classifier[-1].out_features

    def corrupt(self, z: torch.Tensor) -> torch.Tensor:
        """Denoising-autoencoder corruption of standardised windows: Gaussian noise, then masking to 0."""
        if self.noise_std > 0:
            z = z + self.noise_std * torch.randn_like(z)
        if self.mask_prob > 0:
            z = z * (torch.rand_like(z) >= self.mask_prob)
        return z

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, C) raw windows -> (B, channels[-1], T') latent."""
        _check_window_shape(x, self.n_frames, self.n_features, "ProposedCNN")
        return self.encoder(self.norm(x).transpose(1, 2))

    def forward_all(self, x: torch.Tensor, corrupt: bool | None = None):
        """Logits, reconstruction and its clean target (both standardised, (B, T, C)).

        corrupt: None = corrupt in training mode only (the denoising autoencoder), True/False to force.
        """
        _check_window_shape(x, self.n_frames, self.n_features, "ProposedCNN")
        clean = self.norm(x)
        corrupt = self.training if corrupt is None else corrupt
        z = self.corrupt(clean) if corrupt else clean
        latent = self.encoder(z.transpose(1, 2))
        recon = self.decoder(latent).transpose(1, 2)
        return self.classifier(latent), recon, clean

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, C) windows -> (B, n_classes) logits, never corrupted (see :meth:`forward_all` for training)."""
        return self.classifier(self.features(x))


class DeepConvLSTM(_WindowModel):
    """Ordóñez & Roggen (2016) for (B, T, C) windows; see the module docstring."""

    def __init__(self, n_classes: int, n_frames: int = N_FRAMES, n_features: int = N_FEATURES,
                 filters: int = 64, kernel: int = 5, n_conv: int = 4, lstm_units: int = 128,
                 lstm_layers: int = 2, dropout: float = 0.5) -> None:
        super().__init__(n_frames, n_features)
        if n_classes < 2:
            raise ValueError(f"DeepConvLSTM(n_classes={n_classes}) needs at least 2 classes")
        self.out_frames = n_frames - n_conv * (kernel - 1)
        if self.out_frames < 1:
            raise ValueError(f"{n_conv} valid convolutions of kernel {kernel} need more than {n_frames} frames")
        convs, c_in = [], 1
        for _ in range(n_conv):
            convs += [nn.Conv2d(c_in, filters, (kernel, 1)), nn.ReLU()]
            c_in = filters
        self.convs = nn.Sequential(*convs)
        self.dropout = nn.Dropout(dropout)
        self.lstm = nn.LSTM(filters * n_features, lstm_units, num_layers=lstm_layers, batch_first=True)
        self.classifier = nn.Linear(lstm_units, n_classes)
        for name, param in self.lstm.named_parameters():  # orthogonal recurrent init as STRCWearlab/DeepConvLSTM_py3
            if "weight_hh" in name:
                nn.init.orthogonal_(param)

    @property
    def n_classes(self) -> int:
        """Number of classes the output layer scores."""
        return self.classifier.out_features

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, C) -> (B, lstm_units): the LSTM state at the last time step."""
        _check_window_shape(x, self.n_frames, self.n_features, "DeepConvLSTM")
        z = self.convs(self.norm(x).unsqueeze(1))                # (B, filters, T', C)
        z = z.permute(0, 2, 1, 3).flatten(2)                     # (B, T', filters*C)
        out, _ = self.lstm(self.dropout(z))
        return out[:, -1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, C) windows -> (B, n_classes) logits."""
        return self.classifier(self.features(x))


# --------------------------------------------------------------------------- losses for lib.train.fit

def dae_loss(model: ProposedCNN, batch, lam: float = 1.0):
    """CE + λ·reconstruction MSE for :class:`ProposedCNN`; returns (loss, {acc, ce, rec}).

    ``model`` may be wrapped by DistributedDataParallel: the call goes through ``model.module`` only
    for the plain attribute; the forward runs through ``forward_all`` of the underlying network.
    """
    x, y = batch
    net = model.module if hasattr(model, "module") else model
    logits, recon, clean = net.forward_all(x)
    ce = F.cross_entropy(logits, y)
    rec = F.mse_loss(recon, clean)
    acc = (logits.argmax(1) == y).float().mean()
    return ce + lam * rec, {"acc": float(acc), "ce": float(ce.detach()), "rec": float(rec.detach())}


def ce_loss(model: nn.Module, batch):
    """Plain cross-entropy with accuracy, for DeepConvLSTM and fine-tuning."""
    x, y = batch
    logits = model(x)
    return F.cross_entropy(logits, y), {"acc": float((logits.argmax(1) == y).float().mean())}


def reconstruction_error(model: ProposedCNN, x: torch.Tensor, corrupt: bool = True, seed: int = 0) -> float:
    """Mean squared reconstruction error of standardised windows (eval mode, seeded corruption)."""
    was = model.training
    model.eval()
    gen_state = torch.get_rng_state()
    torch.manual_seed(seed)
    with torch.no_grad():
        _, recon, clean = model.forward_all(x, corrupt=corrupt)
    torch.set_rng_state(gen_state)
    model.train(was)
    return float(F.mse_loss(recon, clean))


# --------------------------------------------------------------------------- fine-tuning (§3.2)

def freeze_features(model: _WindowModel) -> _WindowModel:
    """Freeze every parameter except ``model.classifier`` (the FC layers, §3.2); returns the model.

    Frozen layers also stay in eval mode during training (see ``_WindowModel.train``), so their
    batch-norm statistics do not move either.
    """
    for p in model.parameters():
        p.requires_grad_(False)
    for p in model.classifier.parameters():
        p.requires_grad_(True)
    model._frozen = True
    model.train(model.training)
    return model


def unfreeze(model: _WindowModel) -> _WindowModel:
    """Undo :func:`freeze_features`: every parameter trainable again; returns the model."""
    for p in model.parameters():
        p.requires_grad_(True)
    model._frozen = False
    return model


def output_layer(model: _WindowModel) -> nn.Linear:
    """The last Linear layer of the classifier (the class scores)."""
    return model.classifier[-1] if isinstance(model.classifier, nn.Sequential) else model.classifier


def retarget_classes(model: _WindowModel, keep: list[int]) -> _WindowModel:
    """Shrink the output layer to the classes ``keep`` (indices into the current classes), in that order.

    Used to move a virtual-corpus model (12 classes) to the 5 real-sensor classes: the new output
    rows are the old rows of the same activities, so the retargeted model *before* any fine-tuning is
    the virtual model restricted to those 5 classes (the paper's "without fine-tuning" test).
    """
    old = output_layer(model)
    keep = [int(k) for k in keep]
    if not keep or min(keep) < 0 or max(keep) >= old.out_features:
        raise ValueError(f"retarget_classes(keep={keep}): indices must lie in 0..{old.out_features - 1}")
    new = nn.Linear(old.in_features, len(keep)).to(old.weight.device)
    with torch.no_grad():
        new.weight.copy_(old.weight[keep])
        new.bias.copy_(old.bias[keep])
    if isinstance(model.classifier, nn.Sequential):
        model.classifier[-1] = new
    else:
        model.classifier = new
    return model


def trainable_parameters(model: nn.Module) -> int:
    """Number of parameters that training would update (``requires_grad``)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


# --------------------------------------------------------------------------- random forest

RF_FEATURES = ("flat", "stats")


def rf_features(x: np.ndarray, features: str = "flat") -> np.ndarray:
    """(N, T, C) windows -> RF inputs: "flat" (N, T·C) as §4 ("directly input the processed data"),
    or "stats" (N, 4·C): per-channel mean, standard deviation, minimum, maximum."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 3:
        raise ValueError(f"rf_features expects windows (N, T, C); got shape {x.shape}")
    if features == "flat":
        return x.reshape(len(x), -1)
    if features == "stats":
        return np.concatenate([x.mean(1), x.std(1), x.min(1), x.max(1)], axis=1)
    raise ValueError(f"rf_features(features={features!r}) is unknown; use one of {list(RF_FEATURES)}")


def make_random_forest(seed: int = 0, n_estimators: int = 100, n_jobs: int = 1, **kwargs):
    """scikit-learn RandomForestClassifier with the library's defaults (sqrt features per split), seeded."""
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=n_estimators, random_state=seed, n_jobs=n_jobs, **kwargs)
