"""hecha's benchmark: speed, findings on unmodified reports, and mutation detection on real documents.

Not a test suite: it measures (timings, rates) and prints/writes figures; see benchmarks/README.md.
Run it with ``.venv/bin/python -m benchmarks all``.
"""
