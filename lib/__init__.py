"""Notebook companion to four papers on multimodal and cross-modal human-activity sensing.

The package is deliberately thin: notebooks hold the narrative and the experiments, ``lib``
holds what more than one cell or notebook needs.  See ``README.md`` for the paper -> notebook map.
"""

__version__ = "0.1.0"
