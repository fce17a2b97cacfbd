"""Batch reproduction: papermill over a parameter grid, locally or on a Dask cluster, with aggregated claims.

``python -m lib.batch NOTEBOOK... -p NAME VALUE [VALUE ...] [--grid FILE] [--workers N] [--scheduler ADDRESS]``
(``make sweep SWEEP="..."``). Modules: :mod:`~lib.batch.grid` (notebooks, parameters, the cartesian
grid), :mod:`~lib.batch.runner` (one run, resumability), :mod:`~lib.batch.pool` (local processes or
Dask tasks), :mod:`~lib.batch.aggregate` (the per-notebook table), :mod:`~lib.batch.cli`.
"""
