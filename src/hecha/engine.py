"""Runs one document through ingest → extract → rules and collects the result.

A rule that crashes is isolated: its error is recorded in the result (and shown by the CLI as an
internal error of that rule), the other rules still run, and no finding is invented for it.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field, replace

from hecha.diagnose import DiagnosisContext, explain
from hecha.extract.facts import build_fact_base
from hecha.extract.roles import AnalyzedTable
from hecha.extract.table_roles import analyze_table
from hecha.ingest.loader import load
from hecha.model.diagnostic import Diagnostic
from hecha.model.document import Document, Location
from hecha.rules.base import CheckStats, Rule, RuleContext
from hecha.rules.registry import select_rules


@dataclass(frozen=True)
class UncertainTable:
    """A table hecha could not understand: counted, never reported as wrong."""

    table: int
    page: int | None
    line: int | None
    reason: str


@dataclass(frozen=True)
class RuleFailure:
    """A rule that raised instead of finishing: a bug in hecha, not in the document."""

    code: str
    error: str


@dataclass(frozen=True)
class DocumentStats:
    pages: int | None
    tables_found: int
    tables_checked: int
    relations_checked: int
    uncertain_tables: int
    # Figures printed in tables whose value or column hecha could not establish (Cell.unread):
    # not checked, and never counted as wrong.
    unread_figures: int = 0


@dataclass(frozen=True)
class CheckResult:
    document: Document
    diagnostics: tuple[Diagnostic, ...]
    stats: DocumentStats
    uncertain: tuple[UncertainTable, ...] = ()
    rule_failures: tuple[RuleFailure, ...] = field(default=())
    # (table, row, col) of every cell that took part in a relation that held (CheckStats).
    verified_cells: frozenset[tuple[int, int, int]] = frozenset()
    # Every location outside a table (a prose figure) that took part in a relation that held.
    verified_locations: frozenset[Location] = frozenset()


def analyze_tables(document: Document) -> list[AnalyzedTable]:
    return [analyze_table(table) for table in document.tables]


def check_document(document: Document, rules: list[Rule] | None = None) -> CheckResult:
    """Apply ``rules`` (default: every registered rule) to an ingested document."""
    active = rules if rules is not None else select_rules()
    analyzed = analyze_tables(document)
    understood = tuple(table for table in analyzed if table.uncertain is None)
    uncertain = tuple(
        UncertainTable(
            table=table.table.index,
            page=table.table.location.page,
            line=table.table.location.line,
            reason=table.uncertain or "",
        )
        for table in analyzed
        if table.uncertain is not None
    )
    stats = CheckStats()
    ctx = RuleContext(
        document=document,
        tables=understood,
        stats=stats,
        # Every table, understood or not: a table too odd to check can still state facts.
        build_facts=lambda: build_fact_base(document, analyzed),
    )
    diagnostics: list[Diagnostic] = []
    failures: list[RuleFailure] = []
    for rule in active:
        try:
            diagnostics.extend(rule.check(ctx))
        except Exception as error:
            last = traceback.extract_tb(error.__traceback__)[-1]
            failures.append(
                RuleFailure(
                    code=rule.code,
                    error=f"{type(error).__name__}: {error} ({last.filename}:{last.lineno})",
                )
            )
    diagnostics = _diagnosed(diagnostics, DiagnosisContext(document=document, tables=tuple(analyzed)))
    diagnostics.sort(key=_order)
    return CheckResult(
        document=document,
        diagnostics=tuple(_unique(diagnostics)),
        stats=DocumentStats(
            pages=document.page_count,
            tables_found=len(document.tables),
            tables_checked=len(stats.tables_checked),
            relations_checked=stats.relations_checked,
            uncertain_tables=len(uncertain),
            unread_figures=sum(
                1
                for table in document.tables
                for row in table.rows
                for cell in row
                if cell.unread and not cell.spanned
            ),
        ),
        uncertain=uncertain,
        rule_failures=tuple(failures),
        verified_cells=frozenset(stats.verified_cells),
        verified_locations=frozenset(stats.verified_locations),
    )


def _diagnosed(diagnostics: list[Diagnostic], context: DiagnosisContext) -> list[Diagnostic]:
    """Each finding with the likely cause of its failure, when its rule gave none of its own."""
    explained = []
    for diagnostic in diagnostics:
        if diagnostic.diagnosis is None and diagnostic.relation is not None:
            diagnosis = explain(diagnostic, context)
            if diagnosis is not None:
                diagnostic = replace(diagnostic, diagnosis=diagnosis)
        explained.append(diagnostic)
    return explained


def check_file(path: str, rules: list[Rule] | None = None, input_format: str | None = None) -> CheckResult:
    """Ingest and check one file. Raises IngestError for input hecha cannot read."""
    return check_document(load(path, input_format), rules)


def _order(diagnostic: Diagnostic) -> tuple[int, int, int, int, str]:
    loc = diagnostic.location
    return (
        loc.page or 0,
        loc.line or 0,
        loc.table if loc.table is not None else -1,
        (loc.row or 0) * 1000 + (loc.col or 0),
        diagnostic.code,
    )


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Drop repeats: the same finding twice, or two rules recomputing the same figure alike.

    T007 learns relations that a labelled rule may also check (a 合计 column is both a total and
    a learned sum). When two rules flag the same cell with the same expected value, the reviewer
    gets one finding, from the rule with the lower code (the labelled, more specific one);
    ``diagnostics`` is sorted by location and then code, so the first one seen is kept.
    """
    seen: set[tuple[object, ...]] = set()
    kept = []
    for diagnostic in diagnostics:
        loc = diagnostic.location
        if loc.table is not None and loc.row is not None and loc.col is not None:
            key: tuple[object, ...] = (loc.table, loc.row, loc.col, diagnostic.stated, diagnostic.expected)
        else:
            key = (diagnostic.fingerprint, loc.page, loc.line)
        if key not in seen:
            seen.add(key)
            kept.append(diagnostic)
    return kept
