"""The PRIMUS Stacked-RNN encoder: parameter count, shapes, the GRU-axis switch, bad input."""

import pytest
import torch

from lib.primus.encoder import StackedRNNEncoder, count_parameters


def test_parameter_count_matches_the_reference():
    # from the layers of the PRIMUS reference code (Nokia-Bell-Labs/pretrained-imu-encoders, lib/imu_models.py):
    # backbone 850,892 + two Linear(512, 512) heads = 1,376,204
    model = StackedRNNEncoder()
    assert count_parameters(model) == 1_376_204
    assert count_parameters(model) - count_parameters(model.ss_head) - count_parameters(model.mm_head) == 850_892


@pytest.mark.parametrize("gru_over", ["channels", "time"])
def test_output_shapes(gru_over):
    torch.manual_seed(0)
    out = StackedRNNEncoder(gru_over=gru_over)(torch.randn(3, 6, 250))
    assert set(out) == {"emb", "ss", "mm"}
    assert all(v.shape == (3, 512) for v in out.values())


def test_conv_stack_shape_trace():
    model = StackedRNNEncoder()
    h = model.conv(model.input_norm(torch.randn(2, 6, 250)))
    assert h.shape == (2, 32, 32)
    # IMU2CLIP's 200 Hz window also reaches 32 bins (facebookresearch/imu2clip, lib/imu_models.py: 6 × 1000 input)
    assert model.conv(torch.randn(1, 6, 1000)).shape == (1, 32, 32)


def test_gru_axis_switch_changes_the_function_not_the_parameters():
    torch.manual_seed(0)
    a = StackedRNNEncoder(gru_over="channels")
    b = StackedRNNEncoder(gru_over="time")
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 6, 250)
    assert count_parameters(a) == count_parameters(b)
    assert not torch.allclose(a(x)["emb"], b(x)["emb"])


def test_group_norm_makes_the_encoder_invariant_to_a_global_gain():
    torch.manual_seed(0)
    model = StackedRNNEncoder().eval()
    x = torch.randn(2, 6, 250)
    assert torch.allclose(model(x)["emb"], model(3.0 * x)["emb"], atol=1e-4)


def test_bad_input_is_named():
    model = StackedRNNEncoder()
    with pytest.raises(ValueError, match="batch, 6, time"):
        model(torch.randn(2, 3, 250))
    with pytest.raises(ValueError, match=">= 79 samples"):
        model(torch.randn(2, 6, 50))
    with pytest.raises(ValueError, match="gru_over"):
        StackedRNNEncoder(gru_over="space")


def test_embed_batches_and_restores_mode():
    torch.manual_seed(0)
    model = StackedRNNEncoder().train()
    x = torch.randn(5, 6, 250)
    full = model.embed(x, batch_size=2)
    assert full.shape == (5, 512) and model.training
    assert torch.allclose(full, model.eval()(x)["mm"], atol=1e-5)
