"""P1: footstep detection from paired audio + geophone clips with a siamese network.

Modules: :mod:`~lib.footsteps.sources` (physics building blocks), :mod:`~lib.footsteps.simulator`
(scenes), :mod:`~lib.footsteps.features` (log-mel, cached), :mod:`~lib.footsteps.models` (CNN/LSTM
encoders, the siamese network), :mod:`~lib.footsteps.pairs` (splits, combinations, accuracy),
:mod:`~lib.footsteps.training` (all-pair and pair-by-pair trainers), :mod:`~lib.footsteps.data`
(real-data folders), :mod:`~lib.footsteps.bench` (speed benchmark).
"""
