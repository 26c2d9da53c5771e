"""``python -m hecha`` runs the same command line as the ``hecha`` script."""

import sys

from hecha.cli import main

sys.exit(main())
