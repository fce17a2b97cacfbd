"""Encoders and the siamese network of P1 (paper §2.1-2.3, Fig. 4).

CNN encoder (§2.2 and §2.1): four blocks, each conv -> ReLU -> batch norm -> max-pool -> dropout, with
8@5x5, 16@3x3, 32@3x3, 32@3x3 filters; the features are flattened (§2.2) and "a dense layer is
introduced to create a single-dimensional feature vector" (§2.1) in the shared space. The dense
layer's output is the modality's embedding; no dropout acts on it (the blocks keep theirs, §2.2).
Choices the paper leaves open, stated here as ours: no padding ("valid", the Keras and PyTorch
default), 2x2 max-pooling, dropout 0.1, an embedding of 40 values per modality (the size of the
paper's LSTM embedding, §2.3), and ``time_pool``:

- ``"max"`` (our default): the last block's map is max-pooled over its time axis before the dense
  layer, so the embedding says *what* happened in the clip, not *when*. On a 999 x 50 log-mel input
  the maps are 995x46 -> 497x23 -> 495x21 -> 247x10 -> 245x8 -> 122x4 -> 120x2 -> 60x1, so the dense
  layer reads 32 values (32 channels x 1 mel row).
- ``"none"``: flatten everything (32 x 60 = 1920 values) into the dense layer, the literal reading of
  §2.2. The time position of each step then enters the embedding; notebook 11 measures both.

Initialisation (not stated in the paper): PyTorch defaults, except the dense layer's weights (the
LSTM's last linear layer's too), which are multiplied by ``init_gain`` = 0.2, and its bias, which
starts at 0. With PyTorch's default scale
the training-mode embeddings of two clips start ~2 apart (the first steps' loss is ~4), twice the
margin, and Adam at the paper's 1e-3 spends its first ~200 steps shrinking that scale before the
embedding starts to separate the classes (notebook 11 measures both starts). At 0.2 the
distances start inside the margin, where Eq. 2 discriminates from the first step.

Why the dense layer matters (measured in notebook 11's ablation): without it the flattened, dropped-out
block output *is* the embedding, and two dropout masks on the same clip move it by more than the
margin m = 1, so Eq. 2 cannot pull same-label pairs together.

LSTM encoder (§2.3): three LSTM blocks of 400, 200 and 100 units, each followed by dropout and
batch norm (the order the paper names them; batch norm normalises each unit over batch and time, as
a Keras ``BatchNormalization`` after a sequence layer does); the last block's final time step goes
through a linear layer of 50 units and a second linear layer of 40 units ("we combine the first
linear layer consisting of 50 neurons to the second linear layer of 40 neurons"). The paper names no
nonlinearity between them, so there is none (the two compose into one linear map of rank <= 40).
Open choice: dropout 0.1; the last linear layer starts at ``init_gain`` x PyTorch's default scale with
a zero bias, as the CNN's dense layer (below). Embedding: 40 per modality. ``time_pool`` > 1 averages that many frames
before the LSTM (a CPU shortcut; 1 = the paper's 999 steps).

Siamese network (Eq. 1): F(a, g) = [alpha(a), beta(g)]. The audio encoder alpha and the geophone
encoder beta have the same configuration (§2.3: "identical ... same amount of layers and
parameters") and their own weights; both sides of a pair go through the same F (shared weights).
``modalities=("audio",)`` or ``("geophone",)`` gives the unimodal baselines of Table 1.

Speed (CPU): on 999 x 50 inputs the element-wise layers (ReLU, batch norm, max-pool, dropout)
cost more than the convolutions. :class:`CNNEncoder` therefore computes each block as
conv -> fused(ReLU, batch-norm statistics, max-pool, affine) -> dropout, which is the same function:
ReLU and max-pool commute (ReLU is monotone), and the batch-norm affine y = a r + c (a = gamma /
sqrt(var + eps)) commutes with max-pool for a > 0 and turns it into a min-pool for a < 0, so it
can be applied to the 4x smaller pooled map. The batch statistics are still taken over the full
ReLU output, exactly as ``nn.BatchNorm2d`` does, and the running statistics are updated the same
way; the backward pass is written by hand (:class:`_ReluBatchNormPool`). ``fast=False`` runs the
plain layer-by-layer reference; both share parameters and state dicts.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

N_FRAMES, N_MELS = 999, 50
DENSE_INIT_GAIN = 0.2  # factor on PyTorch's default init of the CNN's dense layer (module docstring)


def _channel_moments(r: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and biased variance of (N, C, H, W) over N, H, W.

    Contiguous per-(n, c) sums and sums of squares (one fused reduction each, faster on CPU than
    ``var_mean`` over non-adjacent dims), combined in float64 so E[r^2] - E[r]^2 keeps its precision.
    """
    n, c = r.shape[:2]
    flat = r.reshape(n, c, -1)
    count = flat.shape[0] * flat.shape[2]
    s1 = flat.sum(-1).double().sum(0)
    s2 = torch.linalg.vector_norm(flat, 2, dim=-1).double().square().sum(0)
    mean = s1 / count
    var = (s2 / count - mean.square()).clamp_min(0)
    return mean.to(r.dtype), var.to(r.dtype)


class _ReluBatchNormPool(torch.autograd.Function):
    """Training-mode maxpool2x2(batchnorm(relu(z))) with batch statistics, fused; returns (out, mean, var)."""

    @staticmethod
    def forward(ctx, z, weight, bias, eps):
        r = torch.relu(z)
        mean, var = _channel_moments(r)
        invstd = torch.rsqrt(var + eps)
        a = weight * invstd
        c = bias - a * mean
        sign = torch.where(a < 0, -1.0, 1.0).to(z.dtype).view(1, -1, 1, 1)
        flip = bool((a < 0).any())
        pooled, idx = F.max_pool2d(r * sign if flip else r, 2, return_indices=True)
        if flip:
            pooled = pooled * sign
        out = torch.addcmul(c.view(1, -1, 1, 1), pooled, a.view(1, -1, 1, 1))
        ctx.save_for_backward(r, pooled, idx, mean, invstd, weight)
        ctx.mark_non_differentiable(mean, var)
        return out, mean, var

    @staticmethod
    def backward(ctx, grad_out, _grad_mean, _grad_var):
        r, pooled, idx, mean, invstd, weight = ctx.saved_tensors
        n, ch, h, w = r.shape
        count = n * h * w
        shape = (1, ch, 1, 1)
        centred = pooled - mean.view(shape)
        grad_bias = grad_out.sum((0, 2, 3))
        grad_weight = (grad_out * centred).sum((0, 2, 3)) * invstd
        a = weight * invstd
        grad_mean = -a * grad_bias  # d loss / d mean through the affine
        grad_var = -0.5 * weight * invstd.square() * grad_weight  # d loss / d var
        k1 = 2 * grad_var / count  # d var / d r = 2 (r - mean) / count
        k0 = grad_mean / count - k1 * mean
        grad_r = torch.addcmul(k0.view(shape), r, k1.view(shape))
        direct = grad_out * a.view(shape)  # the ReLU mask below also covers these positions
        grad_r.view(n, ch, -1).scatter_add_(2, idx.view(n, ch, -1), direct.view(n, ch, -1))
        grad_z = torch.ops.aten.threshold_backward(grad_r, r, 0.0)  # ReLU's own backward kernel: keep where r > 0
        return grad_z, grad_weight, grad_bias, None


def _pooled_affine_eval(z: torch.Tensor, bn: nn.BatchNorm2d) -> torch.Tensor:
    """Eval-mode maxpool(batchnorm(relu(z))) with running statistics: pool first, then ReLU and affine."""
    a = bn.weight * torch.rsqrt(bn.running_var + bn.eps)
    c = bn.bias - a * bn.running_mean
    if bool((a < 0).any()):
        sign = torch.where(a < 0, -1.0, 1.0).to(z.dtype).view(1, -1, 1, 1)
        pooled = F.max_pool2d(torch.relu(z) * sign, 2) * sign
    else:
        pooled = torch.relu(F.max_pool2d(z, 2))
    return torch.addcmul(c.view(1, -1, 1, 1), pooled, a.view(1, -1, 1, 1))


class CNNEncoder(nn.Module):
    """Paper §2.1-2.2 CNN encoder: (B, 999, 50) log-mel -> (B, ``embedding``) feature vector.

    Four conv blocks, then max over time (``time_pool="max"``) or plain flatten (``"none"``), then the
    dense layer. ``self.feature_size`` is what the dense layer reads (32 or 1920 on 999 x 50 inputs).
    """

    TIME_POOLS = ("max", "none")

    def __init__(self, channels=(8, 16, 32, 32), kernels=(5, 3, 3, 3), dropout: float = 0.1, fast: bool = True,
                 input_shape=(N_FRAMES, N_MELS), embedding: int = 40, time_pool: str = "max",
                 init_gain: float = DENSE_INIT_GAIN) -> None:
        super().__init__()
        if len(channels) != len(kernels):
            raise ValueError(f"CNNEncoder: channels {channels} and kernels {kernels} must have the same length")
        if time_pool not in self.TIME_POOLS:
            raise ValueError(f"CNNEncoder(time_pool={time_pool!r}): use one of {self.TIME_POOLS}")
        if embedding < 1:
            raise ValueError(f"CNNEncoder(embedding={embedding}): the feature vector needs >= 1 value")
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        c_in = 1
        for c_out, k in zip(channels, kernels):
            self.convs.append(nn.Conv2d(c_in, c_out, k))
            self.norms.append(nn.BatchNorm2d(c_out))
            c_in = c_out
        self.dropout = dropout
        self.fast = fast
        self.time_pool = time_pool
        self.input_shape = tuple(input_shape)
        h, w = self.input_shape
        for k in kernels:
            h, w = (h - k + 1) // 2, (w - k + 1) // 2
        if h < 1 or w < 1:
            raise ValueError(f"CNNEncoder: input {self.input_shape} is too small for {len(kernels)} conv+pool blocks")
        self.feature_size = c_in * w * (1 if time_pool == "max" else h)
        self.dense = nn.Linear(self.feature_size, embedding)  # §2.1: "a dense layer ... single-dimensional feature vector"
        with torch.no_grad():  # start with distances inside the margin (module docstring)
            self.dense.weight.mul_(init_gain)
            self.dense.bias.zero_()
        self.out_features = embedding

    def _check(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 3 or tuple(x.shape[1:]) != self.input_shape:
            raise ValueError(f"CNNEncoder expects (batch, {self.input_shape[0]}, {self.input_shape[1]}) log-mel "
                             f"inputs (time x mel); got {tuple(x.shape)}")
        return x.unsqueeze(1)

    def _embed(self, maps: torch.Tensor) -> torch.Tensor:
        """(B, C, T, W) block output -> (B, embedding): [max over time], flatten, dense (no dropout after it)."""
        if self.time_pool == "max":
            maps = maps.amax(dim=2)
        return self.dense(maps.flatten(1))

    def forward_reference(self, x: torch.Tensor) -> torch.Tensor:
        """The paper's layer order, one torch op per layer (what :meth:`forward` must equal)."""
        x = self._check(x)
        for conv, bn in zip(self.convs, self.norms):
            x = F.dropout(F.max_pool2d(bn(torch.relu(conv(x))), 2), self.dropout, self.training)
        return self._embed(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Log-mel spectrograms (batch, 999, 50) -> embeddings (batch, ``embedding``); fused ops, same result
        as :meth:`forward_reference`."""
        if not self.fast:
            return self.forward_reference(x)
        x = self._check(x)
        for conv, bn in zip(self.convs, self.norms):
            z = conv(x)
            if self.training:
                x, mean, var = _ReluBatchNormPool.apply(z, bn.weight, bn.bias, bn.eps)
                with torch.no_grad():  # the running-statistics update of nn.BatchNorm2d (momentum form)
                    count = z.numel() // z.shape[1]
                    bn.running_mean.lerp_(mean, bn.momentum)
                    bn.running_var.lerp_(var * count / max(count - 1, 1), bn.momentum)
                    bn.num_batches_tracked += 1
            else:
                x = _pooled_affine_eval(z, bn)
            x = F.dropout(x, self.dropout, self.training)
        return self._embed(x)


class LSTMEncoder(nn.Module):
    """Paper §2.3 LSTM encoder: (B, 999, 50) -> (B, 40).

    LSTM(400) -> dropout -> BN -> LSTM(200) -> dropout -> BN -> LSTM(100) (last step) -> dropout -> BN
    -> Linear(50) -> Linear(40) (no nonlinearity between them: the paper names none). Batch norm
    normalises each unit over batch and time.
    """

    def __init__(self, hidden=(400, 200, 100), linear=(50, 40), dropout: float = 0.1, time_pool: int = 1,
                 n_mels: int = N_MELS, init_gain: float = DENSE_INIT_GAIN) -> None:
        super().__init__()
        if time_pool < 1:
            raise ValueError(f"LSTMEncoder(time_pool={time_pool}): must be >= 1 (1 = every frame, the paper)")
        self.time_pool = time_pool
        self.lstms = nn.ModuleList()
        self.norms = nn.ModuleList()
        size = n_mels
        for units in hidden:
            self.lstms.append(nn.LSTM(size, units, batch_first=True))
            self.norms.append(nn.BatchNorm1d(units))
            size = units
        self.drop = nn.Dropout(dropout)
        self.head = nn.Sequential(nn.Linear(size, linear[0]), nn.Linear(linear[0], linear[1]))
        with torch.no_grad():  # distances start inside the margin, as for the CNN's dense layer
            self.head[-1].weight.mul_(init_gain)
            self.head[-1].bias.zero_()
        self.out_features = linear[1]
        self.n_mels = n_mels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Log-mel spectrograms (batch, frames, 50) -> embeddings (batch, ``linear[-1]``) from the last step."""
        if x.ndim != 3 or x.shape[2] != self.n_mels:
            raise ValueError(f"LSTMEncoder expects (batch, frames, {self.n_mels}) inputs; got {tuple(x.shape)}")
        if self.time_pool > 1:
            x = F.avg_pool1d(x.transpose(1, 2), self.time_pool).transpose(1, 2)
        last = len(self.lstms) - 1
        for i, (lstm, bn) in enumerate(zip(self.lstms, self.norms)):
            x, _ = lstm(x)
            if i == last:
                x = bn(self.drop(x[:, -1]))
            else:
                x = bn(self.drop(x).transpose(1, 2)).transpose(1, 2)
        return self.head(x)


MODALITIES = ("audio", "geophone")


def make_encoder(kind: str, **kwargs) -> nn.Module:
    """``"cnn"`` -> :class:`CNNEncoder`, ``"lstm"`` -> :class:`LSTMEncoder`."""
    if kind == "cnn":
        return CNNEncoder(**kwargs)
    if kind == "lstm":
        return LSTMEncoder(**kwargs)
    raise ValueError(f"encoder kind {kind!r} is unknown; use 'cnn' or 'lstm'")


class SiameseFootstepNet(nn.Module):
    """F(a, g) = [alpha(a), beta(g)] (Eq. 1) with standardised inputs; one F for both sides of a pair.

    forward(audio (B, 999, 50), geophone (B, 999, 50)) -> (B, D); D = 80 (40 per encoder, CNN or LSTM) for both
    modalities, half of it for one. Input statistics (per mel band) are buffers set from the
    training split with :meth:`set_input_stats`.
    """

    def __init__(self, encoder: str = "cnn", modalities=MODALITIES, **encoder_kwargs) -> None:
        super().__init__()
        modalities = tuple(modalities)
        if not modalities or any(m not in MODALITIES for m in modalities):
            raise ValueError(f"modalities={modalities!r}: use a non-empty subset of {MODALITIES}")
        self.kind = encoder
        self.modalities = modalities
        self.encoders = nn.ModuleDict({m: make_encoder(encoder, **encoder_kwargs) for m in modalities})
        for m in modalities:
            self.register_buffer(f"{m}_mean", torch.zeros(N_MELS))
            self.register_buffer(f"{m}_std", torch.ones(N_MELS))
        self.out_features = sum(e.out_features for e in self.encoders.values())

    def set_input_stats(self, stats: dict) -> None:
        """stats: {"audio": (mean (50,), std (50,)), "geophone": (...)} from the training split."""
        for m in self.modalities:
            mean, std = stats[m]
            getattr(self, f"{m}_mean").copy_(torch.as_tensor(mean, dtype=torch.float32))
            getattr(self, f"{m}_std").copy_(torch.as_tensor(std, dtype=torch.float32).clamp_min(1e-3))

    def embed(self, modality: str, x: torch.Tensor) -> torch.Tensor:
        """One modality's encoder (α for "audio", β for "geophone") on standardised log-mel (batch, 999, 50)."""
        x = (x - getattr(self, f"{modality}_mean")) / getattr(self, f"{modality}_std")
        return self.encoders[modality](x)

    def forward(self, audio: torch.Tensor, geophone: torch.Tensor) -> torch.Tensor:
        """F(a, g) = [α(a), β(g)] (Eq. 1): log-mel (batch, 999, 50) each -> (batch, ``out_features``)."""
        inputs = {"audio": audio, "geophone": geophone}
        return torch.cat([self.embed(m, inputs[m]) for m in self.modalities], dim=1)
