"""Command line of the benchmark:
``python -m benchmarks {speed,findings,coverage,tables,recall,mutation,diagnosis,keys,all}``.

Prints each mode's figures as a table and writes them as JSON to benchmarks/results/ (git-ignored).
See benchmarks/README.md for what each figure means and the targets.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

from benchmarks.corpus import CorpusDocument, PageCount, corpus_dir, corpus_documents, page_count
from benchmarks.coverage import (
    EXCLUDED_CLASSES,
    TARGET_COVERAGE,
    DocumentCoverage,
    document_coverage,
    fact_base_of,
)
from benchmarks.coverage import overall as coverage_overall
from benchmarks.diagnosis import (
    ACCEPTED,
    INJECTED_KINDS,
    TARGET_RIGHT,
    TARGET_WRONG,
    DiagnosisSummary,
    DocumentDiagnoses,
    Verdict,
    run_diagnoses,
    summarize_diagnoses,
)
from benchmarks.findings import (
    FLAG_FALSE_PER_100_PAGES,
    INSPECTED_FILE,
    ClassCount,
    DiagnosisCount,
    DocumentFindings,
    FamilyCount,
    FindingsSummary,
    diagnosis_counts,
    document_findings,
    false_alarm_classes,
    family_counts,
    load_inspections,
    overall,
)
from benchmarks.groups import Groups
from benchmarks.keys import KEYS_DIR, KeyRun, evaluate_keys, keys_payload, load_keys, print_keys
from benchmarks.mutation import KINDS, DocumentMutations, KindSummary, run_mutations, summarize
from benchmarks.output import RESULTS_DIR, JsonValue, fmt, render_table, share, write_results
from benchmarks.prose_mutation import (
    TARGETS,
    DocumentProseMutations,
    ProseOutcome,
    run_prose_mutations,
    summarize_target,
)
from benchmarks.recall import (
    DEFAULT_SAMPLE as RECALL_SAMPLE,
)
from benchmarks.recall import (
    DEFAULT_SELF_SAMPLE,
    MAX_PROCESSES,
    RECALL_KINDS,
    DocumentRecall,
    RecallJob,
    RecallSummary,
    run_jobs,
    skip_reasons,
    summarize_recall,
)
from benchmarks.recall import ROLES as RECALL_ROLES
from benchmarks.speed import (
    TARGET_PAGES_PER_SECOND,
    SpeedResult,
    combined,
    measure,
    measure_in_child,
    to_json_line,
)
from benchmarks.table_coverage import (
    TARGET_TABLES_CHECKED,
    TableCoverage,
    document_table_coverage,
    hecha_figures,
)
from benchmarks.table_coverage import add_up as tables_add_up
from benchmarks.table_scan import scan_file
from hecha.engine import CheckResult, check_document
from hecha.extract.factbase import FactBase, TokenClass
from hecha.ingest.loader import load
from hecha.model.document import Document
from hecha.rules.base import Rule
from hecha.rules.registry import select_rules

# Each prose or restatement mutation re-checks the whole document (~0.3-1.6 s): these defaults
# keep `all` within a few minutes.
PROSE_SAMPLE = 40
RESTATEMENT_SAMPLE = 20
# Injections per kind per document; each re-checks one table (~15 ms).
DIAGNOSIS_SAMPLE = 60
ESTIMATE_NOTE = "* estimated pages (no pages in the format): characters / 1,500"


@dataclass
class LoadedDocument:
    name: str
    path: Path
    document: Document | None
    pages: PageCount | None
    error: str | None = None
    _fact_base: FactBase | None = None

    def fact_base(self) -> FactBase:
        """The document's fact base, built once for the modes that need it."""
        if self._fact_base is None:
            assert self.document is not None
            self._fact_base = fact_base_of(self.document)
        return self._fact_base


def load_documents(paths: list[Path]) -> list[LoadedDocument]:
    loaded = []
    for path in paths:
        try:
            document = load(str(path))
        except Exception as error:  # a reader that fails must not stop the others
            loaded.append(LoadedDocument(path.name, path, None, None, f"{type(error).__name__}: {error}"))
            continue
        loaded.append(LoadedDocument(path.name, path, document, page_count(document, path)))
    return loaded


def loaded_documents(
    loaded: list[LoadedDocument], errors: dict[str, str]
) -> Iterator[tuple[LoadedDocument, Document]]:
    """Each item that loaded, with its document; each one that did not goes into ``errors``."""
    for item in loaded:
        if item.document is None:
            errors[item.name] = item.error or "not loaded"
            continue
        yield item, item.document


def with_fact_bases(
    loaded: list[LoadedDocument], errors: dict[str, str]
) -> Iterator[tuple[str, Document, FactBase]]:
    """``loaded_documents`` with their fact bases; a document whose fact base fails goes into
    ``errors`` (an extractor crash on one document must not stop the others)."""
    for item, document in loaded_documents(loaded, errors):
        try:
            fact_base = item.fact_base()
        except Exception as error:
            errors[item.name] = f"fact base: {type(error).__name__}: {error}"
            continue
        yield item.name, document, fact_base


# ---------------------------------------------------------------- speed


def _speed_record(r: SpeedResult) -> dict[str, JsonValue]:
    return {
        **asdict(r),
        "ingest_pages_per_second": r.ingest_pages_per_second,
        "total_pages_per_second": r.total_pages_per_second,
        "ratio_to_baseline": r.ratio_to_baseline,
    }


def speed_payload(results: list[SpeedResult], groups: Groups | None = None) -> dict[str, JsonValue]:
    groups = groups or Groups()
    by_cpus: dict[str, JsonValue] = {}
    for single_core in (False, True):
        mine = [r for r in results if r.single_core == single_core]
        if not mine:
            continue
        by_cpus["1 core" if single_core else "any"] = {
            **groups.records(mine, _speed_name, lambda label, chosen: _speed_record(combined(label, chosen))),
            "overall": _speed_record(combined("all", mine)),
        }
    return {
        "target_pages_per_second_single_core": TARGET_PAGES_PER_SECOND,
        "results": [_speed_record(r) for r in results],
        "aggregated": by_cpus,
    }


def _speed_name(result: SpeedResult) -> str:
    return result.document


def _speed_row(r: SpeedResult, single_core: bool) -> list[str]:
    core = "1 core" if single_core else "any"
    if r.error:
        return [r.document, core, "error: " + r.error[:80], "", "", "", "", "", "", ""]
    pages = f"~{r.pages}*" if r.pages_estimated else str(r.pages)
    return [
        r.document,
        core,
        pages,
        fmt(r.ingest_seconds, 2),
        fmt(r.ingest_pages_per_second),
        fmt(r.total_seconds, 2),
        fmt(r.total_pages_per_second),
        fmt(r.baseline_seconds, 2),
        fmt(r.ratio_to_baseline, 1, "×"),
        fmt(r.peak_rss_mb, 0),
    ]


def print_speed(results: list[SpeedResult], groups: Groups | None = None) -> None:
    groups = groups or Groups()
    rows = []
    for single_core in (False, True):
        mine = [r for r in results if r.single_core == single_core]
        rows += [_speed_row(r, single_core) for r in mine]
        if mine:
            for label, chosen in groups.split(mine, _speed_name):
                rows.append(_speed_row(combined(label, chosen), single_core))
            rows.append(_speed_row(combined("all", mine), single_core))
    headers = ["document", "cpus", "pages", "ingest s", "ingest p/s", "total s", "total p/s"]
    headers += ["raw text s", "total/raw", "peak RSS MB"]
    print(f"== speed (median of {results[0].runs if results else 0} runs)")
    print(render_table(headers, rows))
    print(
        f"target: single core total ≥ {TARGET_PAGES_PER_SECOND:.1f} pages/s (200-page PDF in ≤ 3 s); "
        "total/raw = hecha ingest+check time ÷ pypdfium2 raw text extraction time"
    )
    print("format/kind/all lines: seconds and pages summed over the group's documents")
    if any(r.pages_estimated for r in results):
        print(ESTIMATE_NOTE)


def run_speed(paths: list[Path], runs: int) -> list[SpeedResult]:
    results = []
    for single_core in (False, True):
        for path in paths:
            results.append(measure_in_child(path, runs, single_core))
    return results


# ---------------------------------------------------------------- findings


def findings_payload(
    documents: list[DocumentFindings], errors: dict[str, str], groups: Groups | None = None
) -> dict[str, JsonValue]:
    groups = groups or Groups()
    summaries = [d.summary for d in documents]
    return {
        "documents": [
            {
                **_summary_record(d.summary),
                "findings_list": [asdict(row) for row in d.rows],
                "rule_failure_list": list(d.rule_failures),
            }
            for d in documents
        ],
        "overall": _summary_record(overall(summaries)),
        **groups.records(
            summaries,
            _findings_name,
            lambda label, chosen: _summary_record(replace(overall(chosen), document=label)),
        ),
        "by_family": [_family_record(count) for count in family_counts(documents)]
        + [_family_record(count) for count in _group_family_counts(documents, groups)],
        "by_diagnosis": [asdict(count) for count in diagnosis_counts(documents)]
        + [asdict(count) for count in _group_diagnosis_counts(documents, groups)],
        "false_alarm_classes": [asdict(count) for count in false_alarm_classes(documents)],
        "flag_false_per_100_pages": FLAG_FALSE_PER_100_PAGES,
        "errors": dict(errors),
    }


def _findings_name(summary: FindingsSummary) -> str:
    return summary.document


def _document_name(document: DocumentFindings) -> str:
    return document.summary.document


def _group_family_counts(documents: list[DocumentFindings], groups: Groups) -> list[FamilyCount]:
    """The "all" lines of ``family_counts`` over each format's and kind's documents."""
    counts = []
    for label, chosen in groups.split(documents, _document_name):
        counts += [replace(c, document=label) for c in family_counts(chosen) if c.document == "all"]
    return counts


def _group_diagnosis_counts(documents: list[DocumentFindings], groups: Groups) -> list[DiagnosisCount]:
    counts = []
    for label, chosen in groups.split(documents, _document_name):
        counts += [replace(c, document=label) for c in diagnosis_counts(chosen) if c.document == "all"]
    return counts


class _PerDocument(Protocol):
    @property
    def document(self) -> str: ...


P = TypeVar("P", bound=_PerDocument)


def _all_last(counts: list[P]) -> list[P]:
    """Per-document and group lines first, the "all" lines last (a stable reordering)."""
    return [c for c in counts if c.document != "all"] + [c for c in counts if c.document == "all"]


def _family_record(count: FamilyCount) -> dict[str, JsonValue]:
    return {
        **asdict(count),
        "findings_per_100_pages": count.findings_per_100_pages,
        "false_per_100_pages": count.false_per_100_pages,
    }


def _summary_record(summary: FindingsSummary) -> dict[str, JsonValue]:
    return {
        **asdict(summary),
        "findings_per_100_pages": summary.findings_per_100_pages,
        "false_per_100_pages": summary.false_per_100_pages,
        "flagged": summary.flagged,
    }


def print_findings(
    documents: list[DocumentFindings], errors: dict[str, str], groups: Groups | None = None
) -> None:
    groups = groups or Groups()
    print("== findings on the unmodified reports")
    for document in documents:
        print(f"-- {document.summary.document}: {len(document.rows)} findings")
        for row in document.rows:
            klass = f" {row.class_name}" if row.class_name else ""
            verdict = row.verdict.value + klass + (f" ({row.note})" if row.note else "")
            diagnosis = f"  <{row.diagnosis}>" if row.diagnosis else ""
            print(f"  {row.code}  {row.location}  [{verdict}]{diagnosis}  {row.message}  #{row.fingerprint}")
        for failure in document.rule_failures:
            print(f"  rule crashed: {failure}")
    summaries = [d.summary for d in documents]
    grouped = [
        replace(overall(chosen), document=label) for label, chosen in groups.split(summaries, _findings_name)
    ]
    rows = []
    for s in [*summaries, *grouped, overall(summaries)] if summaries else []:
        pages = f"~{s.pages}*" if s.pages_estimated else str(s.pages)
        rows.append(
            [
                s.document,
                pages,
                f"{s.tables_checked}/{s.tables_found}",
                str(s.relations_checked),
                str(s.findings),
                str(s.true_errors),
                str(s.false_alarms),
                str(s.uninspected),
                str(s.rounding_level),
                fmt(s.findings_per_100_pages, 2),
                fmt(s.false_per_100_pages, 2),
                # Only documents are flagged: a group line is an average over its documents.
                f"> {FLAG_FALSE_PER_100_PAGES:g}" if s.flagged and s in summaries else "",
            ]
        )
    for name, error in errors.items():
        rows.append([name, "error: " + error[:80], "", "", "", "", "", "", "", "", "", ""])
    headers = ["document", "pages", "tables chk/found", "relations", "findings", "true", "false"]
    headers += ["uninspected", "rounding", "findings/100p", "false/100p", "flag"]
    print(render_table(headers, rows))
    print(
        "target: ≤ 1 false alarm per 100 pages, all rules together "
        "(false/100p counts uninspected findings as false; rounding-level findings are neither "
        f"true nor false); flag: a document above {FLAG_FALSE_PER_100_PAGES:g} false alarms per 100 pages"
    )
    flagged = [s.document for s in summaries if s.flagged]
    if flagged:
        print(f"documents above {FLAG_FALSE_PER_100_PAGES:g}/100p ({len(flagged)}): " + ", ".join(flagged))
    if any(s.pages_estimated for s in summaries):
        print(ESTIMATE_NOTE)
    if documents:
        print_families(_all_last(family_counts(documents) + _group_family_counts(documents, groups)))
        print_diagnosis_counts(
            _all_last(diagnosis_counts(documents) + _group_diagnosis_counts(documents, groups))
        )
        print_false_alarm_classes(false_alarm_classes(documents))


def print_false_alarm_classes(counts: list[ClassCount]) -> None:
    """Counted false alarms (uninspected included) by the class of their inspection."""
    if not counts:
        return
    print("counted false alarms by class (uninspected: nobody has looked yet)")
    rows = [[c.class_name, str(c.findings), str(c.documents)] for c in counts]
    print(render_table(["class", "findings", "documents"], rows))


def print_diagnosis_counts(counts: list[DiagnosisCount]) -> None:
    """One line per document: how many of its findings carry each diagnosis kind."""
    kinds = list(dict.fromkeys(c.kind for c in counts))
    by_document: dict[str, dict[str, int]] = {}
    for count in counts:
        by_document.setdefault(count.document, {})[count.kind] = count.findings
    rows = [[document, *(str(mine.get(kind, 0)) for kind in kinds)] for document, mine in by_document.items()]
    print("findings by diagnosis kind (none: no diagnosis attached)")
    print(render_table(["document", *kinds], rows))


def print_families(counts: list[FamilyCount]) -> None:
    """One line per document: findings and false/100p of each rule family (T tables, C prose,
    X cross-references)."""
    families = list(dict.fromkeys(c.family for c in counts))
    by_document: dict[str, dict[str, FamilyCount]] = {}
    for count in counts:
        by_document.setdefault(count.document, {})[count.family] = count
    rows = []
    for document, mine in by_document.items():
        row = [document]
        for family in families:
            found = mine.get(family)
            row.append(f"{found.findings} ({fmt(found.false_per_100_pages, 2)})" if found else "0")
        rows.append(row)
    print("findings by rule family: count (false/100p)")
    print(render_table(["document", *families], rows))


def run_findings(
    loaded: list[LoadedDocument], rules: list[Rule], inspected: Path
) -> tuple[list[DocumentFindings], dict[str, str]]:
    inspections = load_inspections(inspected)
    documents, errors = [], {}
    for item in loaded:
        if item.document is None or item.pages is None:
            errors[item.name] = item.error or "not loaded"
            continue
        result = check_document(item.document, rules)
        documents.append(document_findings(item.name, result, item.pages, inspections))
    return documents, errors


# ---------------------------------------------------------------- coverage


def run_coverage(
    loaded: list[LoadedDocument], rules: list[Rule], examples: int, seed: int
) -> tuple[list[DocumentCoverage], dict[str, str]]:
    errors: dict[str, str] = {}
    documents = [
        document_coverage(name, document, fact_base, check_document(document, rules), examples, seed)
        for name, document, fact_base in with_fact_bases(loaded, errors)
    ]
    return documents, errors


def _coverage_record(coverage: DocumentCoverage) -> dict[str, JsonValue]:
    return {
        "document": coverage.document,
        "by_class": dict(coverage.by_class),
        "linked": coverage.linked,
        "unlinked": coverage.unlinked,
        "excluded": coverage.excluded,
        "coverage": coverage.coverage,
        "claims": coverage.claims,
        "claims_linked": coverage.claims_linked,
        "claims_checked": coverage.claims_checked,
        "claims_held": coverage.claims_held,
        "facts": coverage.facts,
        "unlinked_examples": [asdict(e) for e in coverage.examples],
    }


def _coverage_name(coverage: DocumentCoverage) -> str:
    return coverage.document


def _coverage_groups(documents: list[DocumentCoverage], groups: Groups) -> list[DocumentCoverage]:
    return [
        replace(coverage_overall(chosen), document=label)
        for label, chosen in groups.split(documents, _coverage_name)
    ]


def coverage_payload(
    documents: list[DocumentCoverage], errors: dict[str, str], groups: Groups | None = None
) -> dict[str, JsonValue]:
    groups = groups or Groups()
    return {
        "target_coverage": TARGET_COVERAGE,
        "documents": [_coverage_record(d) for d in documents],
        **groups.records(
            documents,
            _coverage_name,
            lambda label, chosen: _coverage_record(replace(coverage_overall(chosen), document=label)),
        ),
        "overall": _coverage_record(coverage_overall(documents)),
        "errors": dict(errors),
    }


def print_coverage(
    documents: list[DocumentCoverage], errors: dict[str, str], groups: Groups | None = None
) -> None:
    groups = groups or Groups()
    print("== coverage of the figures in prose (linked to a claim or a fact)")
    rows = []
    every = [*documents, *_coverage_groups(documents, groups), coverage_overall(documents)]
    for d in every if documents else []:
        excluded = "/".join(str(d.count(c)) for c in EXCLUDED_CLASSES)
        rows.append(
            [
                d.document,
                str(d.count(TokenClass.CLAIM)),
                str(d.count(TokenClass.FACT)),
                str(d.unlinked),
                share(d.linked, d.counted),
                f"{d.excluded} ({excluded})",
                str(d.claims),
                str(d.claims_linked),
                f"{d.claims_checked} ({d.claims_held})",
                str(d.facts),
            ]
        )
    for name, error in errors.items():
        rows.append([name, "error: " + error[:80], "", "", "", "", "", "", "", ""])
    headers = ["document", "claim", "fact", "unlinked", "coverage", "excluded (year/date/ord/id/page/def)"]
    headers += ["claims", "linked", "checked (held)", "facts"]
    print(render_table(headers, rows))
    print(f"target: coverage = (claim + fact) / (claim + fact + unlinked) ≥ {TARGET_COVERAGE:.0%}")
    for d in documents:
        if d.examples:
            print(f"-- {d.document}: {len(d.examples)} unlinked figures drawn at random")
            for example in d.examples:
                print(f"  {example.text}  {example.where}  {example.sentence}")


# ---------------------------------------------------------------- tables (independent scan)


def run_tables(
    loaded: list[LoadedDocument], rules: list[Rule], examples: int
) -> tuple[list[TableCoverage], dict[str, str]]:
    """Each document's printed tables (scanned without hecha's readers) matched against what a
    clean check of it read and recomputed."""
    errors: dict[str, str] = {}
    coverages = []
    for item, document in loaded_documents(loaded, errors):
        try:
            scan = scan_file(item.path)
        except Exception as error:  # a scan that fails must not stop the others
            errors[item.name] = f"scan: {type(error).__name__}: {error}"
            continue
        result = check_document(document, rules)
        figures = hecha_figures(result, scan.pages_keyed)
        coverages.append(document_table_coverage(item.name, scan, figures, examples))
    return coverages, errors


def _table_coverage_record(coverage: TableCoverage) -> dict[str, JsonValue]:
    return {
        **asdict(coverage),
        "checked_share": coverage.checked_share,
        "read_share": coverage.read_share,
        "figure_share": coverage.figure_share,
    }


def _table_coverage_name(coverage: TableCoverage) -> str:
    return coverage.document


def tables_payload(
    coverages: list[TableCoverage], errors: dict[str, str], groups: Groups | None = None
) -> dict[str, JsonValue]:
    groups = groups or Groups()
    return {
        "target_tables_checked": TARGET_TABLES_CHECKED,
        "documents": [_table_coverage_record(c) for c in coverages],
        **groups.records(
            coverages,
            _table_coverage_name,
            lambda label, chosen: _table_coverage_record(tables_add_up(label, chosen)),
        ),
        "overall": _table_coverage_record(tables_add_up("all", coverages)),
        "errors": dict(errors),
    }


def print_tables(
    coverages: list[TableCoverage], errors: dict[str, str], groups: Groups | None = None
) -> None:
    groups = groups or Groups()
    print("== printed tables (independent scan) that hecha checked")
    lines = [*coverages]
    lines += [tables_add_up(label, chosen) for label, chosen in groups.split(coverages, _table_coverage_name)]
    lines.append(tables_add_up("all", coverages))
    rows = []
    for c in lines if coverages else []:
        rows.append(
            [
                c.document,
                str(c.tables),
                f"{c.tables_read} ({share(c.tables_read, c.tables)})",
                str(c.tables_checked),
                share(c.tables_checked, c.tables),
                str(c.figures),
                share(c.figures_checked, c.figures),
                str(c.column_figures),
            ]
        )
    for name, error in errors.items():
        rows.append([name, "error: " + error[:80], "", "", "", "", "", ""])
    headers = ["document", "printed tables", "read by hecha", "checked", "% checked", "figures"]
    headers += ["% in a relation", "lone figures"]
    print(render_table(headers, rows))
    print(
        f"target: ≥ {TARGET_TABLES_CHECKED:.0%} of printed tables checked (at least one figure in a "
        "relation hecha recomputed); % in a relation: figures of the printed tables that entered one"
    )
    print(
        "lone figures: figures printed one per line (pdfminer text), which the row rule cannot "
        "group into tables; PDFs are scanned through their .pdfplumber.txt twin"
    )
    for c in coverages:
        for note in c.notes:
            print(f"  {c.document}: {note}")
    shown = [c for c in coverages if c.unchecked]
    for c in shown:
        print(f"-- {c.document}: first {len(c.unchecked)} printed tables hecha did not check")
        for table in c.unchecked:
            print(f"  {table.where}  {table.first_row}")


# ---------------------------------------------------------------- recall (independent sample)


def run_recall_mode(
    corpus: list[CorpusDocument], select: str, sample: int, self_sample: int, seed: int, jobs: int
) -> list[DocumentRecall]:
    prefixes = tuple(p for p in select.split(",") if p)
    work = [RecallJob(d.name, d.path, prefixes, sample, seed, self_sample) for d in corpus]
    return run_jobs(work, max(1, min(jobs, MAX_PROCESSES)))


def _recall_name(document: DocumentRecall) -> str:
    return document.document


def _recall_record(summary: RecallSummary) -> dict[str, JsonValue]:
    return {
        **asdict(summary),
        "found_share": summary.found_share,
        "found_share_in_checked_tables": summary.checked_share,
        "self_sampled_located_share": summary.self_share,
    }


def recall_payload(documents: list[DocumentRecall], groups: Groups | None = None) -> dict[str, JsonValue]:
    groups = groups or Groups()
    return {
        "documents": [
            {
                **_recall_record(summarize_recall(d.document, [d])),
                "candidates": d.candidates,
                "candidates_by_role": dict(d.by_role),
                "note": d.note,
                "seconds": round(d.seconds, 1),
                "outcomes": [asdict(o) for o in d.outcomes],
                "skip_reasons": dict(skip_reasons([d])),
            }
            for d in documents
        ],
        **groups.records(
            documents, _recall_name, lambda label, chosen: _recall_record(summarize_recall(label, chosen))
        ),
        "by_role": [_recall_record(summarize_recall(role, documents, role)) for role in RECALL_ROLES],
        "by_mutation_kind": [
            _recall_record(summarize_recall(kind, _only_kind(documents, kind))) for kind in RECALL_KINDS
        ],
        "overall": _recall_record(summarize_recall("all", documents)),
        "seconds": round(sum(d.seconds for d in documents), 1),
    }


def _only_kind(documents: list[DocumentRecall], kind: str) -> list[DocumentRecall]:
    return [
        replace(
            d,
            outcomes=tuple(o for o in d.outcomes if o.kind == kind),
            skipped=tuple(s for s in d.skipped if s.kind == kind),
            self_applied=0,
            self_located=0,
        )
        for d in documents
    ]


def _recall_row(s: RecallSummary, candidates: str = "", seconds: str = "") -> list[str]:
    return [
        s.label,
        candidates,
        str(s.applied),
        share(s.found, s.applied),
        f"{share(s.found_in_checked, s.in_checked)} of {s.in_checked}",
        str(s.missed_unread),
        f"{share(s.self_located, s.self_applied)} of {s.self_applied}" if s.self_applied else "",
        str(s.skipped),
        seconds,
    ]


def print_recall(documents: list[DocumentRecall], examples: int = 10, groups: Groups | None = None) -> None:
    groups = groups or Groups()
    print(
        "== recall on figures of the independently scanned tables (source text mutated, re-read, re-checked)"
    )
    rows = []
    for d in documents:
        roles = "/".join(str(n) for _, n in d.by_role) if d.by_role else "-"
        rows.append(_recall_row(summarize_recall(d.document, [d]), roles, f"{d.seconds:.0f}"))
    for label, chosen in groups.split(documents, _recall_name):
        rows.append(_recall_row(summarize_recall(label, chosen)))
    rows += [_recall_row(summarize_recall(f"role {role}", documents, role)) for role in RECALL_ROLES]
    rows += [_recall_row(summarize_recall(f"mutation {k}", _only_kind(documents, k))) for k in RECALL_KINDS]
    rows.append(
        _recall_row(summarize_recall("all", documents), "", f"{sum(d.seconds for d in documents):.0f}")
    )
    headers = ["document", "candidates t/r/i", "mutated", "found", "found in checked tables"]
    headers += ["misses in unread tables", "self-sampled located", "skipped", "s"]
    print(render_table(headers, rows))
    print(
        "found: a new non-info finding at the mutated figure (same line and magnitude) or naming it; "
        "found in checked tables: among mutations in tables hecha checked (a figure in a relation); "
        "misses in unread tables: not found, in a table hecha read no figure of; "
        "self-sampled located: the mutation mode on hecha's own verified cells (one-table re-check)"
    )
    for d in documents:
        if d.note:
            print(f"  {d.document}: {d.note}")
    reasons = skip_reasons(documents)
    if reasons:
        print("skipped, by reason:")
        for reason, count in reasons.most_common():
            print(f"  {count:5d}  {reason}")
    crashed = sum(1 for d in documents for o in d.outcomes if o.rule_failures)
    if crashed:
        print(f"re-checks in which a rule crashed: {crashed}")
    missed = [(d.document, o) for d in documents for o in d.outcomes if not o.found]
    if missed and examples > 0:
        print(f"first {min(examples, len(missed))} of {len(missed)} mutations not found:")
        for name, o in missed[:examples]:
            where = "checked" if o.table_checked else ("read" if o.table_read else "unread")
            found = ", ".join(o.new_findings[:3]) or "no new finding"
            print(
                f"  {name} l.{o.line} {o.role}/{o.kind} [{where} table] {o.label[:24]}: "
                f"{o.original} → {o.mutated} ({found})"
            )


# ---------------------------------------------------------------- mutation


class Crashable(Protocol):
    """A re-check's outcome, as far as the crashed rules go (table, prose and diagnosis mutations)."""

    @property
    def rule_failures(self) -> tuple[str, ...]: ...


def print_skips_and_crashes(heading: str, reasons: Counter[str], outcomes: Iterable[Crashable]) -> None:
    """The skip reasons, most common first, under ``heading``; then how many re-checks had a rule crash."""
    if reasons:
        print(heading)
        for reason, count in reasons.most_common():
            print(f"  {count:5d}  {reason}")
    crashed = sum(1 for o in outcomes if o.rule_failures)
    if crashed:
        print(f"re-checks in which a rule crashed: {crashed}")


def _mutation_name(document: DocumentMutations) -> str:
    return document.document


def _prose_name(document: DocumentProseMutations) -> str:
    return document.document


def _table_kinds(documents: list[DocumentMutations]) -> tuple[KindSummary, ...]:
    return summarize([o for d in documents for o in d.outcomes], [s for d in documents for s in d.skipped])


def _prose_kinds(documents: list[DocumentProseMutations]) -> dict[str, JsonValue]:
    outcomes = [o for p in documents for o in p.outcomes]
    skipped = [s for p in documents for s in p.skipped]
    return {
        target: [
            _kind_record(k) for k in summarize_target(outcomes, skipped, None if target == "all" else target)
        ]
        for target in [*TARGETS, "all"]
    }


def mutation_payload(
    documents: list[DocumentMutations],
    errors: dict[str, str],
    prose: list[DocumentProseMutations] | None = None,
    groups: Groups | None = None,
) -> dict[str, JsonValue]:
    groups = groups or Groups()
    every_outcome = [o for d in documents for o in d.outcomes]
    every_skip = [s for d in documents for s in d.skipped]
    prose = prose or []
    table_groups = groups.records(
        documents,
        _mutation_name,
        lambda label, chosen: {"group": label, "by_kind": [_kind_record(k) for k in _table_kinds(chosen)]},
    )
    prose_groups = groups.records(
        prose, _prose_name, lambda label, chosen: {"group": label, **_prose_kinds(chosen)}
    )
    return {
        "by_format": table_groups["by_format"],
        "by_kind": table_groups["by_kind"],
        "prose_by_format": prose_groups["by_format"],
        "prose_by_kind": prose_groups["by_kind"],
        "prose": [
            {
                "document": p.document,
                "verified_claims": p.verified_claims,
                "restated_facts": p.restated_facts,
                **{target: [_kind_record(k) for k in p.summary(target)] for target in TARGETS},
                "outcomes": [asdict(o) for o in p.outcomes],
                "skipped": [asdict(s) for s in p.skipped],
            }
            for p in prose
        ],
        "prose_overall": _prose_kinds(prose),
        "documents": [
            {
                "document": d.document,
                "verified_cells": d.verified_cells,
                "by_kind": [_kind_record(k) for k in d.by_kind],
                "skip_reasons": dict(d.skip_reasons()),
                "outcomes": [asdict(o) for o in d.outcomes],
                "skipped": [asdict(s) for s in d.skipped],
            }
            for d in documents
        ],
        "overall": [_kind_record(k) for k in summarize(every_outcome, every_skip)],
        "errors": dict(errors),
    }


def _kind_record(summary: KindSummary) -> dict[str, JsonValue]:
    return {
        **asdict(summary),
        "detected_share": summary.detected_share,
        "located_share": summary.located_share,
        "large_located_share": summary.large_located_share,
    }


def _kind_rows(label: str, summaries: tuple[KindSummary, ...]) -> list[list[str]]:
    return [
        [
            label,
            k.kind,
            str(k.applied),
            share(k.detected, k.applied),
            share(k.located, k.applied),
            f"{share(k.large_located, k.large_applied)} of {k.large_applied}",
            str(k.skipped),
        ]
        for k in summaries
    ]


def print_mutations(
    documents: list[DocumentMutations],
    errors: dict[str, str],
    examples: int = 10,
    groups: Groups | None = None,
) -> None:
    groups = groups or Groups()
    print("== mutation (one verified figure changed at a time, its table re-checked alone)")
    rows: list[list[str]] = []
    for d in documents:
        rows += _kind_rows(f"{d.document} ({d.verified_cells} verified cells)", d.by_kind)
    for label, chosen in groups.split(documents, _mutation_name):
        rows += _kind_rows(label, _table_kinds(chosen)[-1:])  # per kind in the JSON
    every_outcome = [o for d in documents for o in d.outcomes]
    every_skip = [s for d in documents for s in d.skipped]
    rows += _kind_rows("overall", summarize(every_outcome, every_skip))
    for name, error in errors.items():
        rows.append([name, "error: " + error[:80], "", "", "", "", ""])
    headers = ["document", "kind", "applied", "detected", "located", "located (change ≥1%)", "skipped"]
    print(render_table(headers, rows))
    print("target: ≥ 95% of mutations detected and located")
    print("located (change ≥1%): the located share among mutations that change the figure by ≥ 1%")
    skip_reasons: Counter[str] = Counter()
    for d in documents:
        skip_reasons.update(d.skip_reasons())
    print_skips_and_crashes("skipped mutations, by reason:", skip_reasons, every_outcome)
    missed = [(d.document, o) for d in documents for o in d.outcomes if not o.located]
    if missed:
        print(f"first {min(examples, len(missed))} of {len(missed)} mutations not located:")
        for name, o in missed[:examples]:
            found = ", ".join(o.new_findings) or "no new finding"
            print(f"  {name} t{o.table} r{o.row} c{o.col} {o.kind}: {o.original} → {o.mutated} ({found})")


def _by_prose_rules(outcomes: list[ProseOutcome], kinds: list[str], target: str | None) -> int:
    """Outcomes of ``target`` (None: both) and of one of ``kinds`` located by a C or X rule."""
    return sum(
        1
        for o in outcomes
        if target in (None, o.target)
        and o.kind in kinds
        and any(code[:1] in ("C", "X") for code in o.located_by)
    )


def _prose_line(label: str, target: str, k: KindSummary, by_cx: int) -> list[str]:
    return [
        label,
        target,
        k.kind,
        str(k.applied),
        share(k.detected, k.applied),
        share(k.located, k.applied),
        share(by_cx, k.applied),
        str(k.skipped),
    ]


def _prose_group_rows(label: str, documents: list[DocumentProseMutations], per_kind: bool) -> list[list[str]]:
    """Lines of ``documents`` added up: per target (every kind, or only "all" unless ``per_kind``),
    then both targets together."""
    outcomes = [o for d in documents for o in d.outcomes]
    skipped = [s for d in documents for s in d.skipped]
    kinds = [k.value for k in KINDS]
    rows = []
    for target in TARGETS:
        for k in summarize_target(outcomes, skipped, target):
            if per_kind or k.kind == "all":
                chosen = kinds if k.kind == "all" else [k.kind]
                rows.append(_prose_line(label, target, k, _by_prose_rules(outcomes, chosen, target)))
    every = summarize_target(outcomes, skipped, None)[-1]
    rows.append(_prose_line(label, "both", every, _by_prose_rules(outcomes, kinds, None)))
    return rows


def print_prose_mutations(
    documents: list[DocumentProseMutations], examples: int = 10, groups: Groups | None = None
) -> None:
    groups = groups or Groups()
    print("== mutation of prose figures (claims checked and held) and of one of two restatements")
    rows: list[list[str]] = []
    outcomes = [o for d in documents for o in d.outcomes]
    skipped = [s for d in documents for s in d.skipped]
    kinds = [k.value for k in KINDS]
    for d in documents:
        label = f"{d.document} ({d.verified_claims} claims held, {d.restated_facts} restated)"
        for target in TARGETS:
            every = d.summary(target)[-1]
            rows.append(_prose_line(label, target, every, _by_prose_rules(list(d.outcomes), kinds, target)))
    for group, chosen in groups.split(documents, _prose_name):
        rows += _prose_group_rows(group, chosen, per_kind=False)
    rows += _prose_group_rows("overall", documents, per_kind=True)
    headers = ["document", "target", "kind", "applied", "detected", "located", "by C/X", "skipped"]
    print(render_table(headers, rows))
    print("target: ≥ 90% of mutated prose figures and restatements detected and located")
    print("by C/X: located by a prose or cross-reference rule (the rest only by a table rule)")
    reasons = Counter(s.reason for s in skipped)
    print_skips_and_crashes("skipped, by reason:", reasons, outcomes)
    missed = [(d.document, o) for d in documents for o in d.outcomes if not o.located]
    if missed:
        print(f"first {min(examples, len(missed))} of {len(missed)} prose mutations not located:")
        for name, o in missed[:examples]:
            found = ", ".join(o.new_findings[:4]) or "no new finding"
            print(f"  {name} {o.where} {o.target}/{o.kind}: {o.original} → {o.mutated} ({found})")


def run_prose_mutation(
    loaded: list[LoadedDocument], rules: list[Rule], claim_sample: int, restatement_sample: int, seed: int
) -> tuple[list[DocumentProseMutations], dict[str, str]]:
    errors: dict[str, str] = {}
    documents = [
        run_prose_mutations(name, document, rules, fact_base, claim_sample, restatement_sample, seed)
        for name, document, fact_base in with_fact_bases(loaded, errors)
    ]
    return documents, errors


def run_mutation(
    loaded: list[LoadedDocument], rules: list[Rule], sample: int, seed: int
) -> tuple[list[DocumentMutations], dict[str, str]]:
    errors: dict[str, str] = {}
    documents = [
        run_mutations(item.name, document, rules, sample, seed)
        for item, document in loaded_documents(loaded, errors)
    ]
    return documents, errors


# ---------------------------------------------------------------- diagnosis


def run_diagnosis(
    loaded: list[LoadedDocument], rules: list[Rule], sample: int, seed: int
) -> tuple[list[DocumentDiagnoses], dict[str, str]]:
    errors: dict[str, str] = {}
    documents = [
        run_diagnoses(item.name, document, rules, sample, seed)
        for item, document in loaded_documents(loaded, errors)
    ]
    return documents, errors


def _diagnosis_record(summary: DiagnosisSummary) -> dict[str, JsonValue]:
    return {**asdict(summary), "right_share": summary.right_share, "wrong_share": summary.wrong_share}


def _diagnosis_name(document: DocumentDiagnoses) -> str:
    return document.document


def _diagnosis_kinds(documents: list[DocumentDiagnoses]) -> tuple[DiagnosisSummary, ...]:
    return summarize_diagnoses(
        [o for d in documents for o in d.outcomes], [s for d in documents for s in d.skipped]
    )


def diagnosis_payload(
    documents: list[DocumentDiagnoses], errors: dict[str, str], groups: Groups | None = None
) -> dict[str, JsonValue]:
    groups = groups or Groups()
    outcomes = [o for d in documents for o in d.outcomes]
    skipped = [s for d in documents for s in d.skipped]
    return {
        **groups.records(
            documents,
            _diagnosis_name,
            lambda label, chosen: {
                "group": label,
                "by_kind": [_diagnosis_record(k) for k in _diagnosis_kinds(chosen)],
            },
        ),
        "target_right_share": TARGET_RIGHT,
        "target_wrong_share": TARGET_WRONG,
        "accepted_kinds": {kind.value: sorted(ACCEPTED[kind]) for kind in INJECTED_KINDS},
        "documents": [
            {
                "document": d.document,
                "candidates": dict(d.candidates),
                "by_kind": [_diagnosis_record(k) for k in d.by_kind],
                "skip_reasons": dict(d.skip_reasons()),
                "outcomes": [asdict(o) for o in d.outcomes],
                "skipped": [asdict(s) for s in d.skipped],
            }
            for d in documents
        ],
        "overall": [_diagnosis_record(k) for k in summarize_diagnoses(outcomes, skipped)],
        "errors": dict(errors),
    }


def _diagnosis_rows(label: str, summaries: tuple[DiagnosisSummary, ...]) -> list[list[str]]:
    return [
        [
            label,
            k.kind,
            str(k.injected),
            share(k.located, k.injected),
            share(k.right, k.injected),
            share(k.wrong, k.injected),
            str(k.ambiguous),
            str(k.undiagnosed),
            f"{k.evidence_names_cell}/{k.right_operands}",
            str(k.mixed),
            str(k.skipped),
        ]
        for k in summaries
    ]


def print_diagnoses(
    documents: list[DocumentDiagnoses],
    errors: dict[str, str],
    examples: int = 10,
    groups: Groups | None = None,
) -> None:
    groups = groups or Groups()
    print("== diagnosis (an error of known kind injected into a verified figure, its table re-checked alone)")
    rows: list[list[str]] = []
    for d in documents:
        rows += _diagnosis_rows(d.document, d.by_kind)
    for label, members in groups.split(documents, _diagnosis_name):
        rows += [row for row in _diagnosis_rows(label, _diagnosis_kinds(members)) if row[1] == "all"]
    outcomes = [o for d in documents for o in d.outcomes]
    skipped = [s for d in documents for s in d.skipped]
    rows += _diagnosis_rows("overall", summarize_diagnoses(outcomes, skipped))
    for name, error in errors.items():
        rows.append([name, "error: " + error[:80], "", "", "", "", "", "", "", "", ""])
    headers = ["document", "kind", "injected", "located", "right", "wrong", "ambiguous", "undiagnosed"]
    headers += ["evidence at cell", "mixed", "skipped"]
    print(render_table(headers, rows))
    print(
        f"target: right ≥ {TARGET_RIGHT:.0%} and wrong ≤ {TARGET_WRONG:.0%} of injected errors "
        "(overall all); "
        "accepted kinds: "
        + ", ".join(f"{kind.value} → {'/'.join(sorted(ACCEPTED[kind]))}" for kind in INJECTED_KINDS)
    )
    print(
        "evidence at cell: of the right diagnoses of a mutated operand (not the stated figure), "
        "those whose evidence lists the mutated cell; "
        "mixed: right, but another located finding gives another kind"
    )
    reasons: Counter[str] = Counter()
    for d in documents:
        reasons.update(d.skip_reasons())
    print_skips_and_crashes("skipped injections, by reason:", reasons, outcomes)
    for verdict in (Verdict.WRONG, Verdict.AMBIGUOUS, Verdict.UNDIAGNOSED, Verdict.NOT_LOCATED):
        chosen = [(d.document, o) for d in documents for o in d.outcomes if o.verdict == verdict]
        if not chosen or examples <= 0:
            continue
        print(f"first {min(examples, len(chosen))} of {len(chosen)} injections {verdict.value}:")
        for name, o in chosen[:examples]:
            found = ", ".join(o.new_findings[:4]) or "no new finding"
            detail = f" [{o.detail}]" if o.detail else ""
            where = f"{name} t{o.table} r{o.row} c{o.col}"
            print(f"  {where} {o.kind} of {o.role}: {o.original} → {o.mutated}{detail} ({found})")
            if o.sentence:
                print(f"      {o.sentence}")


# ---------------------------------------------------------------- answer keys


def run_keys(
    directory: Path,
    keys_dir: Path,
    names: list[str] | None,
    select: str,
    seed: int,
    sample: int | None,
    jobs: int,
    derived_dir: Path,
) -> tuple[KeyRun, Groups]:
    """Every answer key of ``keys_dir`` (only those of the documents ``names`` when given) against
    a clean check of its document, loaded and checked as the findings mode does."""
    keys, errors = load_keys(keys_dir)
    if names:
        keys = [key for key in keys if key.document in names]
    run = KeyRun(errors=dict(errors))
    wanted = list(dict.fromkeys(key.document for key in keys))
    corpus = {d.name: d for d in corpus_documents(directory, wanted, derived_dir)} if wanted else {}
    loaded = {item.name: item for item in load_documents([d.path for d in corpus.values()])}
    rules = select_rules([p for p in select.split(",") if p] or None)
    checks: dict[str, CheckResult] = {}
    work = []
    for key in keys:
        item = loaded.get(key.document)
        if item is None:
            run.errors[key.name] = f"{key.name}: document {key.document} is not in the corpus ({directory})"
            continue
        if item.document is None:
            run.errors[key.name] = f"{key.name}: {key.document} failed to load: {item.error}"
            continue
        if key.document not in checks:
            checks[key.document] = check_document(item.document, rules)
        work.append((key, item.path, checks[key.document]))
    prefixes = tuple(p for p in select.split(",") if p)
    run.results = evaluate_keys(work, prefixes, seed, sample, jobs)
    return run, Groups.of(corpus.values())


# ---------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sub = parser.add_subparsers(dest="mode", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus", help="directory of the reports (default $HECHA_CORPUS or ../shared/corpus)"
    )
    common.add_argument(
        "--documents",
        nargs="+",
        metavar="NAME",
        help="only these file names of the corpus (default: every file of MANIFEST.csv)",
    )
    common.add_argument(
        "--no-derived",
        action="store_true",
        help="leave out the derived <pdf>.pdfium.txt documents (pypdfium2 text of each corpus PDF)",
    )
    common.add_argument("--results-dir", type=Path, default=RESULTS_DIR, help="where JSON results go")
    common.add_argument("--no-write", action="store_true", help="print only, write no JSON")
    common.add_argument(
        "--select",
        default="",
        help="only rules whose code starts with one of these comma-separated prefixes (default: all)",
    )
    speed = argparse.ArgumentParser(add_help=False)
    speed.add_argument("--runs", type=int, default=5, help="runs per document; the median is reported")
    findings = argparse.ArgumentParser(add_help=False)
    findings.add_argument("--inspected", type=Path, default=INSPECTED_FILE, help="verdicts by fingerprint")
    sampled = argparse.ArgumentParser(add_help=False)
    sampled.add_argument("--seed", type=int, default=2025)
    sampled.add_argument(
        "--examples",
        type=int,
        default=10,
        help="examples to print: mutations not located; unlinked prose figures per document",
    )
    mutation = argparse.ArgumentParser(add_help=False)
    mutation.add_argument("--sample", type=int, default=400, help="table mutations per document")
    mutation.add_argument(
        "--prose-sample",
        type=int,
        default=PROSE_SAMPLE,
        help="prose-claim mutations per document (each re-checks the whole document)",
    )
    mutation.add_argument(
        "--restatement-sample",
        type=int,
        default=RESTATEMENT_SAMPLE,
        help="mutations of one of two restatements per document (each re-checks the whole document)",
    )
    sub.add_parser("speed", parents=[common, speed], help="pages/s, ratio to raw text, single core, RSS")
    sub.add_parser("findings", parents=[common, findings], help="findings and false alarms per 100 pages")
    sub.add_parser("coverage", parents=[common, sampled], help="share of prose figures linked to facts")
    sub.add_parser(
        "mutation", parents=[common, sampled, mutation], help="share of mutations detected and located"
    )
    diagnosis = argparse.ArgumentParser(add_help=False)
    diagnosis.add_argument(
        "--diagnosis-sample",
        type=int,
        default=DIAGNOSIS_SAMPLE,
        help="injected errors per kind per document (diagnosis mode)",
    )
    sub.add_parser(
        "diagnosis",
        parents=[common, sampled, diagnosis],
        help="share of injected errors of known kind diagnosed with that kind",
    )
    sub.add_parser(
        "tables",
        parents=[common, sampled],
        help="share of the printed tables (scanned without hecha's readers) that hecha checked",
    )
    parallel = argparse.ArgumentParser(add_help=False)
    parallel.add_argument(
        "--jobs", type=int, default=MAX_PROCESSES, help=f"worker processes (at most {MAX_PROCESSES})"
    )
    recall = argparse.ArgumentParser(add_help=False)
    recall.add_argument(
        "--recall-sample",
        type=int,
        default=RECALL_SAMPLE,
        help="mutations per document of independently scanned figures (each re-reads and re-checks it)",
    )
    recall.add_argument(
        "--self-sample",
        type=int,
        default=DEFAULT_SELF_SAMPLE,
        help="mutations per document of hecha's own verified cells, for the comparison column",
    )
    sub.add_parser(
        "recall",
        parents=[common, sampled, parallel, recall],
        help="share of mutated figures of independently scanned tables that hecha finds",
    )
    keys = argparse.ArgumentParser(add_help=False)
    keys.add_argument("--keys-dir", type=Path, default=KEYS_DIR, help="directory of the answer keys (*.yaml)")
    keys.add_argument(
        "--key-sample",
        type=int,
        default=None,
        help="relations that hold mutated per key (default: every one, one kind each, kinds in turn)",
    )
    sub.add_parser(
        "keys",
        parents=[common, sampled, parallel, keys],
        help="hand-made answer keys: discrepancies found, relations that hold mutated and found",
    )
    sub.add_parser(
        "all", parents=[common, speed, findings, sampled, mutation, diagnosis, recall], help="every mode"
    )
    one = sub.add_parser("speed-one", help="internal: measure one file in this process, print JSON")
    one.add_argument("path", type=Path)
    one.add_argument("--runs", type=int, default=5)
    one.add_argument("--single-core", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.mode == "speed-one":
        print(to_json_line(measure(args.path, args.runs, args.single_core)))
        return 0
    # The derived plain-text documents live only as long as this run.
    with tempfile.TemporaryDirectory(prefix="hecha-bench-") as derived:
        return _run(args, Path(derived))


def _run(args: argparse.Namespace, derived_dir: Path) -> int:
    directory = corpus_dir(args.corpus)
    if args.mode == "keys":
        return _run_keys(args, directory, derived_dir)
    corpus = corpus_documents(directory, args.documents, derived_dir, derived=not args.no_derived)
    if not corpus:
        print(f"no benchmark documents found in {directory}", file=sys.stderr)
        return 2
    paths = [document.path for document in corpus]
    groups = Groups.of(corpus)
    started = time.perf_counter()
    payload: dict[str, JsonValue] = {
        "corpus": str(directory),
        "documents": [p.name for p in paths],
        "formats": dict(groups.formats),
        "kinds": dict(groups.kinds),
    }
    if args.mode in ("speed", "all"):
        results = run_speed(paths, args.runs)
        print_speed(results, groups)
        payload["speed"] = speed_payload(results, groups)
    if args.mode in ("recall", "all"):
        recalled = run_recall_mode(
            corpus, args.select, args.recall_sample, args.self_sample, args.seed, args.jobs
        )
        print_recall(recalled, args.examples, groups)
        payload["recall"] = recall_payload(recalled, groups)
    if args.mode in ("findings", "coverage", "tables", "mutation", "diagnosis", "all"):
        rules = select_rules([p for p in args.select.split(",") if p] or None)
        loaded = load_documents(paths)
        if args.mode in ("findings", "all"):
            found, errors = run_findings(loaded, rules, args.inspected)
            print_findings(found, errors, groups)
            payload["findings"] = findings_payload(found, errors, groups)
        if args.mode in ("coverage", "all"):
            covered, errors = run_coverage(loaded, rules, args.examples, args.seed)
            print_coverage(covered, errors, groups)
            payload["coverage"] = coverage_payload(covered, errors, groups)
        if args.mode in ("tables", "all"):
            scanned, errors = run_tables(loaded, rules, args.examples)
            print_tables(scanned, errors, groups)
            payload["tables"] = tables_payload(scanned, errors, groups)
        if args.mode in ("mutation", "all"):
            mutated, errors = run_mutation(loaded, rules, args.sample, args.seed)
            print_mutations(mutated, errors, args.examples, groups)
            prose, prose_errors = run_prose_mutation(
                loaded, rules, args.prose_sample, args.restatement_sample, args.seed
            )
            print_prose_mutations(prose, args.examples, groups)
            payload["mutation"] = mutation_payload(mutated, {**errors, **prose_errors}, prose, groups)
        if args.mode in ("diagnosis", "all"):
            diagnosed, errors = run_diagnosis(loaded, rules, args.diagnosis_sample, args.seed)
            print_diagnoses(diagnosed, errors, args.examples, groups)
            payload["diagnosis"] = diagnosis_payload(diagnosed, errors, groups)
    payload["wall_seconds"] = round(time.perf_counter() - started, 1)
    print(f"({payload['wall_seconds']} s)")
    if not args.no_write:
        print(f"written: {write_results(args.mode, payload, args.results_dir)}")
    return 0


def _run_keys(args: argparse.Namespace, directory: Path, derived_dir: Path) -> int:
    """The keys mode: 0 when every key file was read and its document checked, 1 when some key
    file is malformed or its document missing (the others are still measured), 2 when there is
    no key at all."""
    started = time.perf_counter()
    run, groups = run_keys(
        directory,
        args.keys_dir,
        args.documents,
        args.select,
        args.seed,
        args.key_sample,
        args.jobs,
        derived_dir,
    )
    if not run.results and not run.errors:
        print(f"no answer keys (*.yaml) in {args.keys_dir}", file=sys.stderr)
        return 2
    for error in run.errors.values():
        print(f"error: {error}", file=sys.stderr)
    print_keys(run, args.examples, groups)
    payload: dict[str, JsonValue] = {
        "corpus": str(directory),
        "keys_dir": str(args.keys_dir),
        "documents": sorted({r.document for r in run.results}),
        "formats": dict(groups.formats),
        "kinds": dict(groups.kinds),
        "keys": keys_payload(run, groups),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    print(f"({payload['wall_seconds']} s)")
    if not args.no_write:
        print(f"written: {write_results('keys', payload, args.results_dir)}")
    return 1 if run.errors else 0


if __name__ == "__main__":
    sys.exit(main())
