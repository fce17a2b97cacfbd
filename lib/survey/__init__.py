"""P3, the survey of IMU-based cross-modal transfer, made executable.

* :mod:`lib.survey.tables` — the survey's comparisons as CSV data (works reviewed, dataset families,
  the transfer-learning taxonomy, the human-motion task map) with loaders that check every row cites;
* :mod:`lib.survey.diagrams` — Fig. 1–3 drawn in code;
* :mod:`lib.survey.world`, :mod:`lib.survey.methods`, :mod:`lib.survey.lab` — the transfer lab:
  every transfer category of the survey run on one simulated ``lib.body`` world.
"""
