"""P1: footstep detection from paired audio + geophone clips with a siamese network.

The package contract of every paper package: :mod:`~lib.footsteps.spec` (mode presets, knobs, data
layout), :mod:`~lib.footsteps.experiments` (data, splits, networks trained on several seeds, tables),
:mod:`~lib.footsteps.claims` (claims tables from results dictionaries) and :mod:`~lib.footsteps.figures`
(figures from results dictionaries, and its ``REDRAW`` table).

The science: :mod:`~lib.footsteps.sources` (physics building blocks), :mod:`~lib.footsteps.simulator`
(scenes), :mod:`~lib.footsteps.features` (log-mel, cached), :mod:`~lib.footsteps.models` (CNN/LSTM
encoders, the siamese network), :mod:`~lib.footsteps.pairs` (splits, combinations, accuracy),
:mod:`~lib.footsteps.training` (all-pair and pair-by-pair trainers), :mod:`~lib.footsteps.data`
(real-data folders), :mod:`~lib.footsteps.bench` (speed benchmark).
"""
