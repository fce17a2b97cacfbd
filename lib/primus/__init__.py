"""P2 PRIMUS: a synthetic egocentric world (head IMU + frozen "video"/"text" embeddings) on ``lib.body``,
the Stacked-RNN IMU encoder, the SS + MM + NN objectives with their baselines, and pretraining runs.

The four faces the notebooks (20–24) use: ``spec`` (mode presets, knobs, the pretraining runs, the real-data
layout), ``experiments`` (functions of the notebook's Run that return results), ``claims`` (claim builders on
those results) and ``figures`` (drawing from the results dictionaries; ``REDRAW`` for ``python -m lib.figures``).

The science they call: ``encoder`` (the 1.4M-parameter Stacked RNN, ``encode``), ``augment`` (IMU
transformations), ``losses`` (InfoNCE, NT-Xent, the NN feature queue), ``objectives`` (PRIMUS's terms, its
ablations, SimCLR, IMU2CLIP, MultitaskSSL), ``data`` (triplet dataset), ``pretrain`` (cached runs, standard
training), ``convergence`` (per-epoch probe, plateau rule), ``world`` and ``scenarios`` (the simulator and the
downstream tasks), ``frozen`` (video/text stand-ins), ``realdata`` (UCI HAPT), ``bench`` (throughput).
"""
