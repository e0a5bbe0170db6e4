"""``python -m narvik_thermal`` runs the command line (see :mod:`narvik_thermal.cli`)."""

import sys

from .cli import main

sys.exit(main())
