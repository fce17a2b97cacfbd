"""Trains a tiny regression with lib.train.fit; run under torchrun by tests/test_train.py.

Usage: torchrun --standalone --nproc_per_node N tests/ddp_train_script.py OUT.pt
Each rank saves its final weights to OUT.pt.rank<R>.
"""

import sys

import torch
import torch.distributed as dist

sys.path.insert(0, __file__.rsplit("/tests/", 1)[0])
from tests.test_train import make_problem, regression_loss  # noqa: E402
from lib.train import fit  # noqa: E402

model, data = make_problem()
history = fit(model, data, loss_fn=regression_loss, epochs=3, batch_size=32, lr=1e-2, seed=5)
rank = dist.get_rank()
torch.save({"state": model.state_dict(), "world": history.world_size, "loss": history.column("train_loss")},
           f"{sys.argv[1]}.rank{rank}")
dist.destroy_process_group()
