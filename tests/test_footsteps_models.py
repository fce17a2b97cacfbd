"""P1 encoders: shapes, the fused CNN equals the layer-by-layer CNN, the contrastive loss by hand."""

from __future__ import annotations

import copy

import pytest
import torch

from lib.footsteps.models import CNNEncoder, LSTMEncoder, SiameseFootstepNet
from lib.losses import all_pairs_contrastive_loss, contrastive_margin_loss, pairwise_distances


def _pair(seed=0, negative_gamma=True):
    torch.manual_seed(seed)
    fast = CNNEncoder()
    if negative_gamma:  # a negative batch-norm scale turns max-pool into min-pool: cover that branch
        with torch.no_grad():
            fast.norms[0].weight[2] = -0.8
            fast.norms[2].weight[7] = -1.5
    plain = copy.deepcopy(fast)
    plain.fast = False
    return fast, plain


def test_cnn_embedding_is_the_dense_layer_after_the_paper_blocks():
    enc = CNNEncoder()
    assert enc(torch.randn(2, 999, 50)).shape == (2, 40) == (2, enc.out_features)
    assert enc.feature_size == 32  # 32 channels x 1 mel row, max-pooled over the 60 time rows
    flat = CNNEncoder(time_pool="none", embedding=16)
    assert flat.feature_size == 1920 and flat(torch.randn(2, 999, 50)).shape == (2, 16)  # §2.2's flatten: 32 x 60
    with pytest.raises(ValueError, match="999, 50"):
        enc(torch.randn(2, 50, 999))
    with pytest.raises(ValueError, match="time_pool"):
        CNNEncoder(time_pool="mean")


@pytest.mark.parametrize("encoder", ["cnn", "lstm"])
def test_no_dropout_acts_on_the_embedding(encoder):
    """The last op of each encoder is a linear map: in training mode the embedding of a clip under two
    dropout masks differs only through the blocks' own dropout, and with the blocks' dropout at 0 it is
    identical (a dropout on the embedding itself would still zero some of its values)."""
    torch.manual_seed(0)
    kwargs = {"time_pool": 20} if encoder == "lstm" else {}
    model = SiameseFootstepNet(encoder, dropout=0.0, **kwargs).train()
    a, g = torch.randn(4, 999, 50), torch.randn(4, 999, 50)
    torch.testing.assert_close(model(a, g), model(a, g))
    for enc in model.encoders.values():
        last = enc.dense if encoder == "cnn" else enc.head[-1]
        assert isinstance(last, torch.nn.Linear)
    if encoder == "lstm":  # the paper names no nonlinearity between the two linear layers
        assert [type(m) for m in model.encoders["audio"].head] == [torch.nn.Linear, torch.nn.Linear]
    model.eval()
    torch.testing.assert_close(model(a, g), model(a, g))


def test_dense_init_starts_distances_inside_the_margin():
    """Training-mode distances between random clips start, on average, inside the margin m = 1 (init_gain)
    and several times outside it with PyTorch's default scale."""
    torch.manual_seed(0)
    x = torch.randn(8, 999, 50)
    near = CNNEncoder().train()(x)
    far = CNNEncoder(init_gain=1.0).train()(x)
    assert pairwise_distances(near).mean() < 1.0 < pairwise_distances(far).mean()


@pytest.mark.parametrize("negative_gamma", [False, True])
def test_fused_cnn_equals_plain_cnn_in_training(negative_gamma):
    fast, plain = _pair(negative_gamma=negative_gamma)
    x = torch.randn(3, 999, 50)
    outputs, grads = [], []
    for model in (plain, fast):
        model.train()
        torch.manual_seed(11)  # same dropout masks
        y = model(x)
        loss = (y.square() + y).sum()
        grads.append(torch.autograd.grad(loss, [*model.parameters()]))
        outputs.append(y)
    torch.testing.assert_close(outputs[1], outputs[0], rtol=1e-4, atol=2e-5)
    for g_fast, g_plain in zip(grads[1], grads[0]):
        torch.testing.assert_close(g_fast, g_plain, rtol=1e-3, atol=1e-4 * g_plain.abs().max().item())
    for b_fast, b_plain in zip(fast.buffers(), plain.buffers()):
        torch.testing.assert_close(b_fast, b_plain, rtol=1e-5, atol=1e-6)


def test_fused_cnn_equals_plain_cnn_in_eval_and_shares_state():
    fast, plain = _pair(seed=1)
    x = torch.randn(2, 999, 50)
    for model in (fast, plain):
        model.train()
        model(x)  # move the running statistics away from their initial values
    plain.load_state_dict(fast.state_dict())
    fast.eval()
    plain.eval()
    with torch.no_grad():
        torch.testing.assert_close(fast(x), plain(x), rtol=1e-5, atol=1e-5)


def test_lstm_encoder_shape_and_time_pooling():
    enc = LSTMEncoder(time_pool=20)
    assert enc(torch.randn(3, 999, 50)).shape == (3, 40)
    assert [l.hidden_size for l in enc.lstms] == [400, 200, 100]
    with pytest.raises(ValueError):
        LSTMEncoder(time_pool=0)


def test_siamese_concatenates_modalities():
    a, g = torch.randn(2, 999, 50), torch.randn(2, 999, 50)
    both = SiameseFootstepNet("cnn").eval()
    assert both(a, g).shape == (2, 80)
    audio_only = SiameseFootstepNet("cnn", modalities=("audio",)).eval()
    assert audio_only(a, g).shape == (2, 40)
    with pytest.raises(ValueError, match="modalities"):
        SiameseFootstepNet("cnn", modalities=("video",))


def test_contrastive_loss_hand_computed():
    d = torch.tensor([0.0, 0.3, 0.3, 1.5, 1.5, 0.99])
    same = torch.tensor([1, 1, 0, 1, 0, 0])
    expected = torch.tensor([0.0, 0.09, 0.49, 2.25, 0.0, 0.0001])
    torch.testing.assert_close(contrastive_margin_loss(d, same, 1.0, reduction="none"), expected)
    assert contrastive_margin_loss(d, same).item() == pytest.approx(expected.mean().item())
    assert contrastive_margin_loss(torch.tensor([0.5]), torch.tensor([0]), margin=2.0).item() == pytest.approx(2.25)
    with pytest.raises(ValueError):
        contrastive_margin_loss(d, same, margin=0)


def test_distances_are_exact_on_the_diagonal_with_finite_gradients():
    x = torch.randn(5, 3840, requires_grad=True)
    d = pairwise_distances(x)
    assert torch.all(d.diagonal() == 0)
    d.sum().backward()
    assert torch.isfinite(x.grad).all()
    torch.testing.assert_close(d[1, 3], (x[1] - x[3]).norm())


def test_all_pair_loss_is_the_mean_of_pair_by_pair_losses():
    torch.manual_seed(0)
    model = SiameseFootstepNet("cnn").eval()  # eval: batch norm uses running statistics, so items are independent
    a, g = torch.randn(4, 999, 50), torch.randn(4, 999, 50)
    labels = torch.tensor([1, 0, 1, 0])
    with torch.no_grad():
        loss, _ = all_pairs_contrastive_loss(model(a, g) * 0.1, labels[:, None] == labels[None, :])  # both terms active
        one = [model(a[i:i + 1], g[i:i + 1]) * 0.1 for i in range(4)]  # each item through the network alone
    singles = []
    for i in range(4):
        for j in range(4):
            singles.append(contrastive_margin_loss((one[i] - one[j]).norm(dim=1), labels[i:i + 1] == labels[j:j + 1]))
    expected = torch.stack(singles).mean()
    assert 0 < expected.item()
    torch.testing.assert_close(loss, expected, rtol=1e-5, atol=1e-6)
