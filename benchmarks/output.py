"""Plain-text tables for the terminal and JSON files under benchmarks/results/."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
import unicodedata
from pathlib import Path

from benchmarks.corpus import REPO_ROOT

RESULTS_DIR = Path(__file__).resolve().parent / "results"

JsonValue = object  # whatever json.dumps accepts; only ever built from dataclasses and literals


def display_width(text: str) -> int:
    """Terminal columns of ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def render_table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell; every column but the first right-aligned."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    lines = ["  ".join(_pad(h, widths[i], i > 0) for i, h in enumerate(headers))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(cell, widths[i], i > 0) for i, cell in enumerate(row)))
    return "\n".join(lines)


def fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{suffix}"


def share(part: int, whole: int) -> str:
    return "n/a" if whole == 0 else f"{100 * part / whole:.1f}%"


def _commit() -> str:
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return completed.stdout.strip()


def write_results(mode: str, payload: dict[str, JsonValue], directory: Path = RESULTS_DIR) -> Path:
    """Write ``payload`` with the run's context to ``directory``/<mode>-<timestamp>.json."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = directory / f"{mode}-{stamp}.json"
    document = {
        "mode": mode,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "commit": _commit(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": len(os.sched_getaffinity(0)),
        **payload,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
