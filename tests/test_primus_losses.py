"""PRIMUS losses on hand-computed cases, the NN feature queue, and the objectives' wiring."""

import math

import pytest
import torch
import torch.nn.functional as F

from lib.primus.losses import FeatureQueue, InfoNCE, info_nce, nt_xent
from lib.primus.objectives import OBJECTIVES, Pretrainer, multitask_loss


def test_info_nce_two_items_by_hand():
    q = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    # cos sims: diag 1, off-diag 0; per direction CE = -log(e^(1/τ) / (e^(1/τ) + e^0))
    tau = 0.5
    one_way = -math.log(math.exp(1 / tau) / (math.exp(1 / tau) + 1.0))
    assert info_nce(q, q, tau).item() == pytest.approx(2 * one_way, rel=1e-6)  # rows + columns, summed


def test_info_nce_identical_embeddings_give_a_low_loss_and_random_a_high_one():
    torch.manual_seed(0)
    z = F.normalize(torch.randn(64, 512), dim=1)
    aligned = info_nce(z, z.clone(), 0.1).item()
    shuffled = info_nce(z, z[torch.randperm(64)], 0.1).item()
    assert aligned < 0.01
    assert shuffled > 2 * math.log(64) * 0.9


def test_info_nce_ignores_norms_and_rejects_shape_mismatch():
    torch.manual_seed(0)
    q, k = torch.randn(8, 16), torch.randn(8, 16)
    assert info_nce(q, k).item() == pytest.approx(info_nce(5 * q, 0.1 * k).item(), rel=1e-5)
    with pytest.raises(ValueError, match="one shape"):
        info_nce(q, k[:4])


def test_learnable_temperature_starts_at_0p1_and_gets_a_gradient():
    loss_mod = InfoNCE()
    assert isinstance(loss_mod.temperature, torch.nn.Parameter)
    assert loss_mod.temperature.item() == pytest.approx(0.1)
    torch.manual_seed(0)
    loss_mod(torch.randn(8, 4), torch.randn(8, 4)).backward()
    assert loss_mod.temperature.grad is not None and loss_mod.temperature.grad.abs() > 0


def test_masked_info_nce_uses_only_kept_rows_and_columns():
    torch.manual_seed(0)
    q, k = torch.randn(6, 8), torch.randn(6, 8)
    mask = torch.tensor([True, False, True, True, False, True])
    assert InfoNCE()(q, k, mask).item() == pytest.approx(info_nce(q[mask], k[mask], 0.1).item(), rel=1e-6)
    assert InfoNCE()(q, k, torch.tensor([True] + [False] * 5)).item() == 0.0


def test_nt_xent_by_hand():
    # two windows, two views each; view pairs identical, windows orthogonal
    z1 = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    tau = 0.5
    # anchor 0: sims to (1: 0, 2: 1 [positive], 3: 0) -> -log(e^2 / (e^2 + 2))
    expected = -math.log(math.exp(1 / tau) / (math.exp(1 / tau) + 2.0))
    assert nt_xent(z1, z1.clone(), tau).item() == pytest.approx(expected, rel=1e-6)


def test_queue_is_fifo_with_a_fixed_size():
    queue = FeatureQueue(size=5, dims={"video": 2, "text": 2, "imu": 2})
    assert len(queue) == 0
    for start in (0, 3, 6):  # batches of 3: ids 0-2, 3-5, 6-8
        ids = torch.arange(start, start + 3)
        vec = ids.float()[:, None].repeat(1, 2)
        queue.enqueue(ids, video=vec, text=vec, imu=vec)
    assert len(queue) == 5
    assert queue.entries("video")[:, 0].tolist() == [4.0, 5.0, 6.0, 7.0, 8.0]  # the five newest, oldest first
    assert sorted(queue.ids.tolist()) == [4, 5, 6, 7, 8]


def test_queue_nearest_neighbour_by_cosine_and_self_exclusion():
    queue = FeatureQueue(size=8, dims={"video": 2, "text": 2, "imu": 2})
    index, found = queue.nearest("video", torch.ones(2, 2))
    assert not found.any()  # empty queue: nothing to find
    vecs = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]])
    queue.enqueue(torch.tensor([10, 11, 12]), video=vecs, text=-vecs, imu=2 * vecs)
    index, found = queue.nearest("video", torch.tensor([[5.0, 0.2], [0.1, 1.0]]))
    assert found.all() and index.tolist() == [0, 1]
    assert queue.gather("text", index)[0].tolist() == [-1.0, 0.0]  # the same index fetches the stored triple
    index, found = queue.nearest("video", torch.tensor([[1.0, 0.0]]), ids=torch.tensor([10]))
    assert index.tolist() == [2]  # its own entry (id 10) is excluded
    queue2 = FeatureQueue(size=2, dims={"video": 2, "text": 2, "imu": 2})
    queue2.enqueue(torch.tensor([7]), video=vecs[:1], text=vecs[:1], imu=vecs[:1])
    assert not queue2.nearest("video", vecs[:1], ids=torch.tensor([7]))[1].any()


def test_queue_state_travels_with_the_state_dict():
    a = FeatureQueue(size=4, dims={"video": 2, "text": 2, "imu": 2})
    a.enqueue(torch.tensor([1, 2]), video=torch.ones(2, 2), text=torch.ones(2, 2), imu=torch.ones(2, 2))
    b = FeatureQueue(size=4, dims={"video": 2, "text": 2, "imu": 2})
    b.load_state_dict(a.state_dict())
    assert len(b) == 2 and int(b.ptr) == 2


def _batch(n=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    return {"imu": torch.randn(n, 6, 250, generator=g), "video": torch.randn(n, 512, generator=g),
            "text": torch.randn(n, 512, generator=g), "aligned": torch.ones(n, dtype=torch.bool),
            "id": torch.arange(n)}



@pytest.fixture(autouse=True)
def one_thread():
    """Single-threaded torch (as pretraining runs on CPU): two threads spin-wait on a shared 2-core machine."""
    from lib.primus.encoder import torch_threads

    with torch_threads("cpu"):
        yield


@pytest.mark.parametrize("name", sorted(OBJECTIVES))
def test_every_objective_gives_a_finite_loss_with_gradients(name):
    torch.manual_seed(0)
    model = Pretrainer(name)
    model(_batch())  # fills the NN queue where there is one
    batch = _batch(seed=1)
    batch["id"] = batch["id"] + 16
    loss, metrics = model(batch)
    assert torch.isfinite(loss)
    loss.backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in model.encoder.parameters())


def test_primus_terms_and_queue():
    torch.manual_seed(0)
    model = Pretrainer("primus")
    _, metrics = model(_batch())
    assert metrics["loss_nn"] == 0.0  # first batch: empty queue
    assert len(model.queue) == 16
    batch = _batch(seed=1)
    batch["id"] = batch["id"] + 16
    _, metrics = model(batch)
    assert {"loss_ss", "loss_mm", "loss_nn"} <= set(metrics) and metrics["loss_nn"] > 0
    assert len(model.queue) == 32
    model.eval()
    model(batch)
    assert len(model.queue) == 32  # validation batches are not enqueued


def test_unaligned_segments_are_left_out_of_the_multimodal_term():
    torch.manual_seed(0)
    model = Pretrainer("imu2clip")
    batch = _batch()
    loss_all, _ = model(batch)
    batch["aligned"][8:] = False
    batch["video"][8:] = 1e3  # garbage where nothing is aligned must not matter
    loss_half, _ = model(batch)
    batch["video"][8:] = -1e3
    assert model(batch)[0].item() == pytest.approx(loss_half.item())
    assert loss_all.item() != pytest.approx(loss_half.item())


def test_multitask_loss_by_hand():
    logits = torch.zeros(4, 8)
    labels = torch.tensor([0, 1, 1, 2])
    loss, acc = multitask_loss(logits, labels)
    assert loss.item() == pytest.approx(math.log(2))  # every BCE at logit 0 is log 2
    logits[1, 0] = logits[2, 0] = 10.0  # task 1 right on its transformed rows
    logits[0, :] = -10.0  # originals called original by every head
    logits[3, 1] = 10.0
    assert multitask_loss(logits, labels)[1] == pytest.approx(1.0)
