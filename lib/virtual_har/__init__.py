"""P4 — complex activity recognition with virtual wearable sensors (Xiao, Pei et al. 2020).

Modules: :mod:`~lib.virtual_har.models` (proposed CNN with a denoising-autoencoder penalty,
DeepConvLSTM, random forest), :mod:`~lib.virtual_har.windows` (labelled window sets, subject splits),
:mod:`~lib.virtual_har.sequences` (clip corpora, windowing, interpolation up-sampling),
:mod:`~lib.virtual_har.cleaning` (the labelling and filtering steps of §2.3),
:mod:`~lib.virtual_har.corpus` (the virtual corpus, the same-generator real-sensor corpus, the DIP-IMU
and CMU paths), :mod:`~lib.virtual_har.realstandin` (the independent DIP-IMU stand-in: second motion
source, Xsens sensor model, DIP's size, conventions and split),
:mod:`~lib.virtual_har.experiments` (Table 2, fine-tuning, beyond-paper runners),
:mod:`~lib.virtual_har.gap` (the virtual-to-real gap, the stand-in's effects added one at a time),
:mod:`~lib.virtual_har.heading` (rotation about the vertical, heading normalisation, random-yaw training),
:mod:`~lib.virtual_har.synthesis` (notebook 40's motions: Fig. 1-4, real CMU walks beside procedural ones),
:mod:`~lib.virtual_har.spec` (mode presets, knobs and the DIP-IMU layout of both notebooks),
:mod:`~lib.virtual_har.claims` (the claims of both notebooks, from their results),
:mod:`~lib.virtual_har.figures` (both notebooks' figures, drawn from their results; ``REDRAW``),
:mod:`~lib.virtual_har.bench` (the virtual-IMU speed benchmark, ``python -m lib.bench virtual_imu``).
Notebooks: ``40_virtual_imu_synthesis``, ``41_virtual_imu_har``.
"""
