"""``python -m lib.batch``: see :mod:`lib.batch.cli`."""

import sys

from lib.batch.cli import main

sys.exit(main())
