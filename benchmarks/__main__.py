"""``python -m benchmarks``: the benchmark's command line (see benchmarks/bench.py)."""

import sys

from benchmarks.bench import main

sys.exit(main())
