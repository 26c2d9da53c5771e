"""Shared test settings: where the real corpus is.

The corpus (``shared/corpus`` beside the repository, as on developers' machines and in CI, or
``$HECHA_CORPUS``) holds the whole published reports; tests that read a whole report use the
``corpus`` fixture. Cuts of these reports live in tests/fixtures and need no corpus.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    configured = os.environ.get("HECHA_CORPUS")
    return Path(configured) if configured else REPO.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    directory = corpus_dir()
    if not directory.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"corpus not found at {directory} (CI has shared/ beside the checkout)")
        pytest.skip(f"corpus not found at {directory}; set HECHA_CORPUS")
    return directory
