"""P3, the survey of IMU-based cross-modal transfer, made executable.

The package contract (the same four faces in every paper package):

* :mod:`lib.survey.spec` — the notebooks' knob presets and data layout, stated once;
* :mod:`lib.survey.experiments` — what the notebooks run, as functions of the ``Run`` returning results dicts;
* :mod:`lib.survey.claims` — the claims tables, built from those dicts;
* :mod:`lib.survey.figures` — every figure (Fig. 1–3 drawn in code, the lab's plots) and ``REDRAW``.

Underneath: :mod:`lib.survey.tables` — the survey's comparisons as CSV data (works reviewed, dataset
families, the transfer-learning taxonomy, the human-motion task map) with loaders that check every row
cites; :mod:`lib.survey.world`, :mod:`lib.survey.instance`, :mod:`lib.survey.methods`, :mod:`lib.survey.lab`
— the transfer lab: every transfer category of the survey run on one simulated ``lib.body`` world.
"""
