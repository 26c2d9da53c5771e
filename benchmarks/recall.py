"""Independent recall: mutate figures chosen from the independent table scan (not from what hecha
verified) in the document's source text, re-read and re-check the whole document, and see whether
hecha reports the error at the mutated figure.

The mutation mode samples figures that took part in relations hecha found to hold, so it cannot see
what hecha never read. Here the figures come from ``benchmarks/table_scan.py`` (which does not use
hecha's readers), in three roles:

- ``total``: figures of rows whose label holds 合计/小计/总计/合 计/平均值/中位数;
- ``ratio``: figures under a header cell holding 占比/比例/比重/变动/增减/同比/毛利率;
- ``item``: the other figures of the tables that have a total row or a ratio column.

Each sampled figure is changed once, with one of the mutation mode's kinds (``digit``, ``sign``,
``transpose``, ``times-ten``: ``mutation.mutate_text``) or a ``unit`` slip (×10^4 or ÷10^4:
``diagnosis.unit_slipped``), by rewriting its characters in the source: the line's characters for
text and Markdown, the cell of the record for .alltxt (the record re-serialized). The mutated file
is read by hecha's loader and checked by every selected rule, as ``hecha check`` would.

*Found*: the re-check has a finding that is not informational, whose fingerprint the clean check
did not have, standing at the mutated figure or naming it among its related operands: same line
and the same printed magnitude (``table_scan.figure_key``) as the mutated figure.

PDFs are not mutated (their bytes are not rewritten): their text twins (``.pdfplumber.txt``,
``.txt``, ``.pdfium.txt``) are documents of the corpus and are mutated there.
"""

from __future__ import annotations

import ast
import json
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from benchmarks.diagnosis import unit_slipped
from benchmarks.mutation import MutatedFigure, MutationKind, MutationSkipped, mutate_text, run_mutations
from benchmarks.table_coverage import HechaFigures, hecha_figures
from benchmarks.table_scan import Scan, ScannedFigure, ScannedTable, figure_key, scan_file
from hecha.engine import CheckResult, check_document
from hecha.ingest.loader import load
from hecha.model.diagnostic import Diagnostic, Severity
from hecha.model.document import Location
from hecha.rules.base import Rule
from hecha.rules.registry import select_rules

TOTAL_WORDS = ("合计", "小计", "总计", "合 计", "平均值", "中位数")
RATIO_WORDS = ("占比", "比例", "比重", "变动", "增减", "同比", "毛利率")
ROLES = ("total", "ratio", "item")
UNIT = "unit"
RECALL_KINDS = (*(k.value for k in MutationKind), UNIT)
DEFAULT_SAMPLE = 20  # mutations per document; each re-reads and re-checks the whole document
DEFAULT_SELF_SAMPLE = 100  # the mutation mode's one-table re-checks, for comparison
MAX_PROCESSES = 2


@dataclass(frozen=True)
class Candidate:
    role: str
    table: int  # index into Scan.tables
    figure: ScannedFigure
    label: str  # the row's label
    header: str  # the figure's header cell


def _role(table: ScannedTable, label: str, header: str) -> str | None:
    if any(word in label for word in TOTAL_WORDS):
        return "total"
    if any(word in header for word in RATIO_WORDS):
        return "ratio"
    return None


def candidates(scan: Scan) -> list[Candidate]:
    """The figures of the scan in their roles (module doc); tables with neither a total row nor a
    ratio column give none."""
    chosen: list[Candidate] = []
    for index, table in enumerate(scan.tables):
        mine: list[Candidate] = []
        items: list[Candidate] = []
        for row in table.rows:
            for figure in row.figures:
                header = table.header_of(row, figure)
                role = _role(table, row.label, header)
                candidate = Candidate(role or "item", index, figure, row.label, header)
                (mine if role else items).append(candidate)
        if mine:
            chosen += mine + items
    return chosen


# ---------------------------------------------------------------- rewriting the source


def _rewrite_line(line: str, figure: ScannedFigure, new_text: str) -> str:
    if figure.start < 0 or line[figure.start : figure.end] != figure.text:
        raise MutationSkipped("figure not found at its characters in the source line")
    return line[: figure.start] + new_text + line[figure.end :]


def _rewrite_alltxt(line: str, figure: ScannedFigure, new_text: str) -> str:
    record = json.loads(line)
    cells = ast.literal_eval(record["inside"])
    if figure.cell is None or figure.cell >= len(cells) or str(cells[figure.cell]) != figure.text:
        raise MutationSkipped("figure not found in its .alltxt record")
    cells[figure.cell] = new_text
    record["inside"] = str(cells)
    return json.dumps(record, ensure_ascii=False)


def rewrite(source: str, figure: ScannedFigure, new_text: str, alltxt: bool) -> str:
    """``source`` with ``figure`` printed as ``new_text`` (lines are kept, so every other figure
    keeps its line number)."""
    if figure.line is None:
        raise MutationSkipped("figure has no line in the source (PDF)")
    lines = source.split("\n")
    index = figure.line - 1
    raw = lines[index]
    ending = "\r" if raw.endswith("\r") else ""
    body = raw.removesuffix("\r")
    # A form feed opens the line's last page: the figure's characters count from after it.
    prefix, feed, tail = body.rpartition("\f")
    head = prefix + feed
    new = _rewrite_alltxt(tail, figure, new_text) if alltxt else _rewrite_line(tail, figure, new_text)
    lines[index] = head + new + ending
    return "\n".join(lines)


def mutated_figure(text: str, kind: str, rng: random.Random) -> MutatedFigure:
    if kind == UNIT:
        return unit_slipped(text, rng)
    return mutate_text(text, MutationKind(kind), rng)


# ---------------------------------------------------------------- judging


def _at_figure(location: Location, line: int, key: str) -> bool:
    return location.line == line and figure_key(location.quote or "") == key


def found_at(diagnostic: Diagnostic, line: int, key: str) -> bool:
    """The finding stands at (line, magnitude) or names it among its related operands."""
    if _at_figure(diagnostic.location, line, key):
        return True
    return any(_at_figure(r.location, line, key) for r in diagnostic.related)


@dataclass(frozen=True)
class RecallOutcome:
    role: str
    kind: str
    line: int
    original: str
    mutated: str
    label: str
    table_checked: bool  # hecha's clean check recomputed a figure of the scanned table
    table_read: bool  # hecha read a figure of the scanned table into one of its tables
    found: bool
    new_findings: tuple[str, ...]  # "code@l.line" of each new non-info finding
    rule_failures: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecallSkip:
    role: str
    kind: str
    reason: str


@dataclass(frozen=True)
class DocumentRecall:
    document: str
    candidates: int  # figures of the scan in a role
    by_role: tuple[tuple[str, int], ...]  # candidates per role
    outcomes: tuple[RecallOutcome, ...] = ()
    skipped: tuple[RecallSkip, ...] = ()
    note: str = ""
    seconds: float = 0.0
    self_applied: int = 0  # the mutation mode on hecha's own verified cells, for comparison
    self_located: int = 0


@dataclass(frozen=True)
class RecallSummary:
    """Counts of one document, group or role (``label``)."""

    label: str
    applied: int
    found: int
    in_checked: int  # mutations whose table hecha checked
    found_in_checked: int
    missed_unread: int  # not found, in a table hecha never read
    skipped: int
    self_applied: int = 0
    self_located: int = 0

    @property
    def found_share(self) -> float | None:
        return self.found / self.applied if self.applied else None

    @property
    def checked_share(self) -> float | None:
        return self.found_in_checked / self.in_checked if self.in_checked else None

    @property
    def self_share(self) -> float | None:
        return self.self_located / self.self_applied if self.self_applied else None


def summarize_recall(
    label: str, documents: Iterable[DocumentRecall], role: str | None = None
) -> RecallSummary:
    chosen = list(documents)
    outcomes = [o for d in chosen for o in d.outcomes if role in (None, o.role)]
    skipped = [s for d in chosen for s in d.skipped if role in (None, s.role)]
    return RecallSummary(
        label=label,
        applied=len(outcomes),
        found=sum(o.found for o in outcomes),
        in_checked=sum(o.table_checked for o in outcomes),
        found_in_checked=sum(o.found and o.table_checked for o in outcomes),
        missed_unread=sum(not o.found and not o.table_read for o in outcomes),
        skipped=len(skipped),
        self_applied=sum(d.self_applied for d in chosen) if role is None else 0,
        self_located=sum(d.self_located for d in chosen) if role is None else 0,
    )


# ---------------------------------------------------------------- running


def quotas(sample_size: int) -> dict[str, int]:
    """``sample_size`` split over the roles as evenly as possible; a role with too few candidates
    leaves its rest unused (the sample stays stratified rather than filled with items)."""
    base, extra = divmod(sample_size, len(ROLES))
    return {role: base + (1 if i < extra else 0) for i, role in enumerate(ROLES)}


@dataclass
class RecallRunner:
    """Mutates one document's source and re-checks it; the clean check is the baseline."""

    path: Path
    rules: list[Rule] | None
    workdir: Path
    source: str = ""
    clean: CheckResult | None = None
    figures: HechaFigures | None = None

    def prepare(self) -> Scan:
        self.source = self.path.read_bytes().decode("utf-8")
        self.clean = check_document(load(str(self.path)), self.rules)
        scan = scan_file(self.path)
        self.figures = hecha_figures(self.clean, by_page=scan.pages_keyed)
        return scan

    def apply(
        self, candidate: Candidate, table: ScannedTable, kind: str, rng: random.Random
    ) -> RecallOutcome:
        assert self.clean is not None and self.figures is not None
        figure = candidate.figure
        mutated = mutated_figure(figure.text, kind, rng)
        new_key = figure_key(mutated.text)
        if new_key is None or figure.line is None:
            raise MutationSkipped("mutated figure has no magnitude")
        alltxt = self.path.suffix.lower() == ".alltxt"
        target = self.workdir / self.path.name
        target.write_bytes(rewrite(self.source, figure, mutated.text, alltxt).encode("utf-8"))
        result = check_document(load(str(target)), self.rules)
        before = {d.fingerprint for d in self.clean.diagnostics}
        new = [d for d in result.diagnostics if d.fingerprint not in before and d.severity != Severity.INFO]
        return RecallOutcome(
            role=candidate.role,
            kind=kind,
            line=figure.line,
            original=figure.text,
            mutated=mutated.text,
            label=candidate.label,
            table_checked=any(self.figures.entered(f) for f in table.figures),
            table_read=any(self.figures.was_read(f) for f in table.figures),
            found=any(found_at(d, figure.line, new_key) for d in new),
            new_findings=tuple(f"{d.code}@l.{d.location.line}" for d in new),
            rule_failures=tuple(f"{f.code}: {f.error}" for f in result.rule_failures),
        )


def run_recall(
    name: str,
    path: Path,
    rules: list[Rule] | None,
    sample_size: int,
    seed: int,
    self_sample: int = 0,
) -> DocumentRecall:
    """Up to ``sample_size`` mutations of figures of ``path``'s scanned tables, stratified over
    roles; within a role the candidates are shuffled (seed, document, role), and each takes the
    next kind in turn, over the whole document (a kind it cannot take is skipped with its reason
    and the following kind tried). ``self_sample`` mutations of hecha's own verified cells (the
    mutation mode) are run too, for the comparison column."""
    started = time.perf_counter()
    self_applied = self_located = 0
    if path.suffix.lower() == ".pdf":
        if self_sample:
            mine = run_mutations(name, load(str(path)), rules, self_sample, seed).by_kind[-1]
            self_applied, self_located = mine.applied, mine.located
        return DocumentRecall(
            name,
            0,
            (),
            note="PDF not mutated: its text twins are measured as documents of their own",
            seconds=time.perf_counter() - started,
            self_applied=self_applied,
            self_located=self_located,
        )
    with tempfile.TemporaryDirectory(prefix="hecha-recall-") as workdir:
        runner = RecallRunner(path, rules, Path(workdir))
        scan = runner.prepare()
        every = candidates(scan)
        outcomes: list[RecallOutcome] = []
        skipped: list[RecallSkip] = []
        turns = 0  # kinds rotate over the whole document, so small samples still get every kind
        for role, quota in quotas(sample_size).items():
            rng = random.Random(f"{seed}:{name}:{role}")
            order = [c for c in every if c.role == role]
            rng.shuffle(order)
            applied = 0
            for candidate in order:
                if applied >= quota:
                    break
                for turn in range(len(RECALL_KINDS)):
                    kind = RECALL_KINDS[(turns + turn) % len(RECALL_KINDS)]
                    try:
                        outcomes.append(runner.apply(candidate, scan.tables[candidate.table], kind, rng))
                    except MutationSkipped as skip:
                        skipped.append(RecallSkip(role, kind, skip.reason))
                        continue
                    applied += 1
                    turns += 1
                    break
        if self_sample:
            assert runner.clean is not None
            mine = run_mutations(name, runner.clean.document, rules, self_sample, seed).by_kind[-1]
            self_applied, self_located = mine.applied, mine.located
    per_role = Counter(c.role for c in every)
    return DocumentRecall(
        document=name,
        candidates=len(every),
        by_role=tuple((role, per_role.get(role, 0)) for role in ROLES),
        outcomes=tuple(outcomes),
        skipped=tuple(skipped),
        seconds=time.perf_counter() - started,
        self_applied=self_applied,
        self_located=self_located,
    )


@dataclass(frozen=True)
class RecallJob:
    """One document's recall run, as handed to a worker process (paths and settings only: the
    worker reads and checks the document itself)."""

    name: str
    path: Path
    select: tuple[str, ...]
    sample_size: int
    seed: int
    self_sample: int


def run_job(job: RecallJob) -> DocumentRecall:
    """``run_recall`` of one job, in whichever process runs it; a crash becomes a note."""
    started = time.perf_counter()
    try:
        rules = select_rules(list(job.select) or None)
        return run_recall(job.name, job.path, rules, job.sample_size, job.seed, job.self_sample)
    except Exception as error:  # one document's failure must not stop the others
        return DocumentRecall(
            job.name,
            0,
            (),
            note=f"error: {type(error).__name__}: {error}",
            seconds=time.perf_counter() - started,
        )


def run_jobs(jobs: Sequence[RecallJob], processes: int) -> list[DocumentRecall]:
    """Every job, in ``processes`` worker processes (1: in this process); results in job order."""
    if processes <= 1 or len(jobs) <= 1:
        return [run_job(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        return list(pool.map(run_job, jobs))


def skip_reasons(documents: Sequence[DocumentRecall]) -> Counter[str]:
    return Counter(s.reason for d in documents for s in d.skipped)
