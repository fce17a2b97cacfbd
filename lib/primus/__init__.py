"""P2 PRIMUS: a synthetic egocentric world (head IMU + frozen "video"/"text" embeddings) on ``lib.body``,
the Stacked-RNN IMU encoder, the SS + MM + NN objectives with their baselines, and pretraining runs.

Modules: ``encoder`` (the 1.4M-parameter Stacked RNN), ``augment`` (IMU transformations),
``losses`` (InfoNCE, NT-Xent, the NN feature queue), ``objectives`` (PRIMUS, ablations, SimCLR,
IMU2CLIP, MultitaskSSL), ``data`` (triplet dataset), ``pretrain`` (cached runs, standard training),
``world`` (the simulator and the downstream tasks), ``bench`` (throughput).
"""
