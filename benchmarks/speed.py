"""Speed benchmark: pages per second for ingest alone and for ingest + check, per document.

Each document is measured in a child process of its own, so that its peak RSS is its own and the
"single core" variant can pin the whole process to one CPU (``os.sched_setaffinity``). Times are
medians of N runs. Because the machines are shared and noisy, each PDF is also timed through
pypdfium2's raw ``get_text_range`` over all pages; the ratio hecha / raw text is less
machine-dependent than the pages per second.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.corpus import REPO_ROOT, page_count
from hecha.engine import check_document
from hecha.ingest.loader import load
from hecha.rules.registry import select_rules

# Target: a 200-page PDF checked end to end in at most 3 s on one core.
TARGET_PAGES_PER_SECOND = 200 / 3


@dataclass(frozen=True)
class SpeedResult:
    document: str
    single_core: bool
    runs: int
    pages: int = 0
    pages_estimated: bool = False
    ingest_seconds: float = 0.0  # median over runs
    check_seconds: float = 0.0  # median over runs of extract + rules on the ingested Document
    total_seconds: float = 0.0  # median over runs of ingest + check
    baseline_seconds: float | None = None  # median raw pypdfium2 text extraction, PDFs only
    peak_rss_mb: float = 0.0
    cpu: str = ""  # the CPUs the process may run on
    error: str | None = None

    @property
    def ingest_pages_per_second(self) -> float | None:
        return self.pages / self.ingest_seconds if self.ingest_seconds else None

    @property
    def total_pages_per_second(self) -> float | None:
        return self.pages / self.total_seconds if self.total_seconds else None

    @property
    def ratio_to_baseline(self) -> float | None:
        """How many times longer hecha's whole check takes than raw text extraction."""
        if self.baseline_seconds and self.total_seconds:
            return self.total_seconds / self.baseline_seconds
        return None


def raw_text_seconds(path: Path) -> float:
    """Seconds pypdfium2 takes to open ``path`` and get every page's full text."""
    import pypdfium2 as pdfium

    start = time.perf_counter()
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            text_page = page.get_textpage()
            text_page.get_text_range()
            text_page.close()
            page.close()
    finally:
        pdf.close()
    return time.perf_counter() - start


def pin_to_one_core() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def measure(path: Path, runs: int, single_core: bool) -> SpeedResult:
    """Time ``runs`` ingests and checks of ``path`` in this process (pinned first if asked)."""
    if single_core:
        pin_to_one_core()
    cpus = ",".join(str(c) for c in sorted(os.sched_getaffinity(0)))
    rules = select_rules()
    ingest: list[float] = []
    check: list[float] = []
    total: list[float] = []
    baseline: list[float] = []
    pages = None
    for _ in range(runs):
        start = time.perf_counter()
        document = load(str(path))
        loaded = time.perf_counter()
        check_document(document, rules)
        done = time.perf_counter()
        ingest.append(loaded - start)
        check.append(done - loaded)
        total.append(done - start)
        if pages is None:
            pages = page_count(document, path)
        if path.suffix.lower() == ".pdf":
            baseline.append(raw_text_seconds(path))
    assert pages is not None
    return SpeedResult(
        document=path.name,
        single_core=single_core,
        runs=runs,
        pages=pages.pages,
        pages_estimated=pages.estimated,
        ingest_seconds=statistics.median(ingest),
        check_seconds=statistics.median(check),
        total_seconds=statistics.median(total),
        baseline_seconds=statistics.median(baseline) if baseline else None,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        cpu=cpus,
    )


def measure_in_child(path: Path, runs: int, single_core: bool, timeout: float = 600) -> SpeedResult:
    """``measure`` in a fresh interpreter, so peak RSS and CPU pinning concern this document only."""
    command = [sys.executable, "-m", "benchmarks.bench", "speed-one", str(path), "--runs", str(runs)]
    if single_core:
        command.append("--single-core")
    try:
        completed = subprocess.run(
            command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return SpeedResult(document=path.name, single_core=single_core, runs=runs, error="timed out")
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        last_error = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return SpeedResult(document=path.name, single_core=single_core, runs=runs, error=last_error)
    return SpeedResult(**json.loads(lines[-1]))


def to_json_line(result: SpeedResult) -> str:
    return json.dumps(asdict(result), ensure_ascii=False)


def combined(label: str, results: list[SpeedResult]) -> SpeedResult:
    """The results (of one CPU setting) added up as one line: pages and seconds summed, so that
    pages/s is the group's pages over its seconds; the raw-text baseline only when every document
    of the group has one (PDFs); peak RSS the largest. Documents that failed are left out."""
    ok = [r for r in results if r.error is None]
    baselines = [r.baseline_seconds for r in ok]
    return SpeedResult(
        document=label,
        single_core=bool(ok) and ok[0].single_core,
        runs=ok[0].runs if ok else 0,
        pages=sum(r.pages for r in ok),
        pages_estimated=any(r.pages_estimated for r in ok),
        ingest_seconds=sum(r.ingest_seconds for r in ok),
        check_seconds=sum(r.check_seconds for r in ok),
        total_seconds=sum(r.total_seconds for r in ok),
        baseline_seconds=sum(b for b in baselines if b is not None)
        if ok and all(b is not None for b in baselines)
        else None,
        peak_rss_mb=max((r.peak_rss_mb for r in ok), default=0.0),
    )
