"""P4 models: shapes, the denoising-autoencoder penalty, freezing for fine-tuning, class retargeting, RF inputs."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

from lib.train import fit
from lib.virtual_har.models import (DeepConvLSTM, ProposedCNN, dae_loss, ce_loss, freeze_features,
                                    make_random_forest, reconstruction_error, retarget_classes, rf_features,
                                    trainable_parameters)


def _windows(n=64, seed=0):
    """Toy windows with structure (smooth sinusoids per channel) so an autoencoder has something to learn."""
    rng = np.random.default_rng(seed)
    t = np.arange(60) / 60.0
    freq = rng.uniform(0.5, 3.0, (n, 1, 36))
    phase = rng.uniform(0, 2 * np.pi, (n, 1, 36))
    x = np.sin(2 * np.pi * freq * t[None, :, None] + phase) * rng.uniform(0.5, 2.0, (n, 1, 36))
    y = (freq[:, 0, :6].mean(1) > 1.75).astype(np.int64)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


@pytest.mark.parametrize("cls", [ProposedCNN, DeepConvLSTM])
def test_output_shapes(cls):
    torch.manual_seed(0)
    model = cls(12).eval()
    x = torch.randn(5, 60, 36)
    assert model(x).shape == (5, 12)
    with pytest.raises(ValueError, match=r"\(B, 60, 36\)"):
        model(torch.randn(5, 36, 60))


def test_proposed_latent_is_lower_dimensional_and_reconstruction_has_input_shape():
    model = ProposedCNN(5)
    logits, recon, clean = model.forward_all(torch.randn(3, 60, 36))
    assert logits.shape == (3, 5) and recon.shape == clean.shape == (3, 60, 36)
    c, t = model.latent_shape
    assert c * t < 60 * 36
    assert model.features(torch.randn(2, 60, 36)).shape == (2, c, t)


def test_deepconvlstm_follows_ordonez_roggen():
    model = DeepConvLSTM(5)
    convs = [m for m in model.convs if isinstance(m, torch.nn.Conv2d)]
    assert len(convs) == 4 and all(c.out_channels == 64 and c.kernel_size == (5, 1) for c in convs)
    assert model.lstm.hidden_size == 128 and model.lstm.num_layers == 2
    assert model.out_frames == 60 - 4 * 4


def test_dae_training_lowers_reconstruction_error():
    torch.manual_seed(0)
    x, y = _windows()
    model = ProposedCNN(2, noise_std=0.3, mask_prob=0.1)
    model.fit_norm(x.numpy())
    before = reconstruction_error(model, x)
    fit(model, TensorDataset(x, y), loss_fn=lambda m, b: dae_loss(m, b, lam=1.0), epochs=15, batch_size=16,
        lr=3e-3, seed=0)
    after = reconstruction_error(model, x)
    assert after < 0.6 * before, (before, after)


def test_freezing_leaves_features_unchanged_and_trains_the_classifier():
    torch.manual_seed(0)
    x, y = _windows()
    model = ProposedCNN(2)
    model.fit_norm(x.numpy())
    freeze_features(model)
    frozen = {k: v.clone() for k, v in model.state_dict().items() if not k.startswith("classifier")}
    head = {k: v.clone() for k, v in model.classifier.state_dict().items()}
    assert trainable_parameters(model) == sum(p.numel() for p in model.classifier.parameters())
    fit(model, TensorDataset(x, y), loss_fn=ce_loss, epochs=2, batch_size=16, seed=0)
    for k, v in model.state_dict().items():
        if k in frozen:  # conv weights and batch-norm statistics alike
            assert torch.equal(v, frozen[k]), k
    assert any(not torch.equal(v, head[k]) for k, v in model.classifier.state_dict().items())


def test_retarget_keeps_the_scores_of_the_kept_classes():
    torch.manual_seed(0)
    model = ProposedCNN(12).eval()
    x = torch.randn(4, 60, 36)
    before = model(x)
    retarget_classes(model, [3, 0, 7])
    assert torch.allclose(model(x), before[:, [3, 0, 7]])
    with pytest.raises(ValueError, match="keep"):
        retarget_classes(model, [5])


def test_same_seed_same_model_output():
    outs = []
    for _ in range(2):
        torch.manual_seed(3)
        outs.append(DeepConvLSTM(5).eval()(torch.ones(2, 60, 36)))
    assert torch.equal(outs[0], outs[1])


def test_random_forest_inputs():
    x = np.random.default_rng(0).normal(size=(10, 60, 36))
    assert rf_features(x).shape == (10, 2160)
    assert rf_features(x, "stats").shape == (10, 144)
    with pytest.raises(ValueError, match="features"):
        rf_features(x, "fft")
    rf = make_random_forest(seed=0, n_estimators=5).fit(rf_features(x), np.arange(10) % 2)
    assert rf.predict(rf_features(x)).shape == (10,)
