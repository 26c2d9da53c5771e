"""Command line of the benchmark:
``python -m benchmarks {speed,findings,coverage,mutation,diagnosis,all}``.

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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from benchmarks.corpus import PageCount, corpus_dir, corpus_paths, page_count
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
    INSPECTED_FILE,
    DiagnosisCount,
    DocumentFindings,
    FamilyCount,
    FindingsSummary,
    diagnosis_counts,
    document_findings,
    family_counts,
    load_inspections,
    overall,
)
from benchmarks.mutation import KINDS, DocumentMutations, KindSummary, run_mutations, summarize
from benchmarks.output import RESULTS_DIR, JsonValue, fmt, render_table, share, write_results
from benchmarks.prose_mutation import (
    TARGETS,
    DocumentProseMutations,
    run_prose_mutations,
    summarize_target,
)
from benchmarks.speed import TARGET_PAGES_PER_SECOND, SpeedResult, measure, measure_in_child, to_json_line
from hecha.engine import check_document
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


def speed_payload(results: list[SpeedResult]) -> dict[str, JsonValue]:
    return {
        "target_pages_per_second_single_core": TARGET_PAGES_PER_SECOND,
        "results": [
            {
                **asdict(r),
                "ingest_pages_per_second": r.ingest_pages_per_second,
                "total_pages_per_second": r.total_pages_per_second,
                "ratio_to_baseline": r.ratio_to_baseline,
            }
            for r in results
        ],
    }


def print_speed(results: list[SpeedResult]) -> None:
    rows = []
    for r in results:
        core = "1 core" if r.single_core else "any"
        if r.error:
            rows.append([r.document, core, "error: " + r.error[:80], "", "", "", "", "", "", ""])
            continue
        pages = f"~{r.pages}*" if r.pages_estimated else str(r.pages)
        rows.append(
            [
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
        )
    headers = ["document", "cpus", "pages", "ingest s", "ingest p/s", "total s", "total p/s"]
    headers += ["raw text s", "total/raw", "peak RSS MB"]
    print(f"== speed (median of {results[0].runs if results else 0} runs)")
    print(render_table(headers, rows))
    print(
        f"target: single core total ≥ {TARGET_PAGES_PER_SECOND:.1f} pages/s (200-page PDF in ≤ 3 s); "
        "total/raw = hecha ingest+check time ÷ pypdfium2 raw text extraction time"
    )
    if any(r.pages_estimated for r in results):
        print(ESTIMATE_NOTE)


def run_speed(paths: list[Path], runs: int) -> list[SpeedResult]:
    results = []
    for single_core in (False, True):
        for path in paths:
            results.append(measure_in_child(path, runs, single_core))
    return results


# ---------------------------------------------------------------- findings


def findings_payload(documents: list[DocumentFindings], errors: dict[str, str]) -> dict[str, JsonValue]:
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
        "by_family": [_family_record(count) for count in family_counts(documents)],
        "by_diagnosis": [asdict(count) for count in diagnosis_counts(documents)],
        "errors": dict(errors),
    }


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
    }


def print_findings(documents: list[DocumentFindings], errors: dict[str, str]) -> None:
    print("== findings on the unmodified reports")
    for document in documents:
        print(f"-- {document.summary.document}: {len(document.rows)} findings")
        for row in document.rows:
            verdict = row.verdict.value + (f" ({row.note})" if row.note else "")
            diagnosis = f"  <{row.diagnosis}>" if row.diagnosis else ""
            print(f"  {row.code}  {row.location}  [{verdict}]{diagnosis}  {row.message}  #{row.fingerprint}")
        for failure in document.rule_failures:
            print(f"  rule crashed: {failure}")
    summaries = [d.summary for d in documents]
    rows = []
    for s in [*summaries, overall(summaries)] if summaries else []:
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
                fmt(s.findings_per_100_pages, 2),
                fmt(s.false_per_100_pages, 2),
            ]
        )
    for name, error in errors.items():
        rows.append([name, "error: " + error[:80], "", "", "", "", "", "", "", ""])
    headers = ["document", "pages", "tables chk/found", "relations", "findings", "true", "false"]
    headers += ["uninspected", "findings/100p", "false/100p"]
    print(render_table(headers, rows))
    print(
        "target: ≤ 1 false alarm per 100 pages, all rules together "
        "(false/100p counts uninspected findings as false)"
    )
    if any(s.pages_estimated for s in summaries):
        print(ESTIMATE_NOTE)
    if documents:
        print_families(family_counts(documents))
        print_diagnosis_counts(diagnosis_counts(documents))


def print_diagnosis_counts(counts: list[DiagnosisCount]) -> None:
    """One line per document: how many of its findings carry each diagnosis kind."""
    kinds = list(dict.fromkeys(c.kind for c in counts))
    by_document: dict[str, dict[str, int]] = {}
    for count in counts:
        by_document.setdefault(count.document, {})[count.kind] = count.findings
    rows = [[document, *(str(mine[kind]) for kind in kinds)] for document, mine in by_document.items()]
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
            count = mine[family]
            row.append(f"{count.findings} ({fmt(count.false_per_100_pages, 2)})")
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


def coverage_payload(documents: list[DocumentCoverage], errors: dict[str, str]) -> dict[str, JsonValue]:
    return {
        "target_coverage": TARGET_COVERAGE,
        "documents": [_coverage_record(d) for d in documents],
        "overall": _coverage_record(coverage_overall(documents)),
        "errors": dict(errors),
    }


def print_coverage(documents: list[DocumentCoverage], errors: dict[str, str]) -> None:
    print("== coverage of the figures in prose (linked to a claim or a fact)")
    rows = []
    for d in [*documents, coverage_overall(documents)] if documents else []:
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


def mutation_payload(
    documents: list[DocumentMutations],
    errors: dict[str, str],
    prose: list[DocumentProseMutations] | None = None,
) -> dict[str, JsonValue]:
    every_outcome = [o for d in documents for o in d.outcomes]
    every_skip = [s for d in documents for s in d.skipped]
    prose = prose or []
    return {
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
        "prose_overall": {
            target: [
                _kind_record(k)
                for k in summarize_target(
                    [o for p in prose for o in p.outcomes], [s for p in prose for s in p.skipped], target
                )
            ]
            for target in [*TARGETS, "all"]
        },
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


def print_mutations(documents: list[DocumentMutations], errors: dict[str, str], examples: int = 10) -> None:
    print("== mutation (one verified figure changed at a time, its table re-checked alone)")
    rows: list[list[str]] = []
    for d in documents:
        rows += _kind_rows(f"{d.document} ({d.verified_cells} verified cells)", d.by_kind)
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


def print_prose_mutations(documents: list[DocumentProseMutations], examples: int = 10) -> None:
    print("== mutation of prose figures (claims checked and held) and of one of two restatements")
    rows: list[list[str]] = []
    outcomes = [o for d in documents for o in d.outcomes]
    skipped = [s for d in documents for s in d.skipped]

    def line(label: str, target: str, k: KindSummary, by_cx: int) -> list[str]:
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

    def by_prose_rules(chosen: list[str], target: str) -> int:
        return sum(
            1
            for o in outcomes
            if o.target == target
            and (o.kind in chosen)
            and any(code[:1] in ("C", "X") for code in o.located_by)
        )

    for d in documents:
        label = f"{d.document} ({d.verified_claims} claims held, {d.restated_facts} restated)"
        for target in TARGETS:
            every = d.summary(target)[-1]
            mine = [o for o in d.outcomes if o.target == target]
            cx = sum(1 for o in mine if any(code[:1] in ("C", "X") for code in o.located_by))
            rows.append(line(label, target, every, cx))
    kinds = [k.value for k in KINDS]
    for target in TARGETS:
        for k in summarize_target(outcomes, skipped, target):
            chosen = kinds if k.kind == "all" else [k.kind]
            rows.append(line("overall", target, k, by_prose_rules(chosen, target)))
    every = summarize_target(outcomes, skipped, None)[-1]
    cx_all = sum(1 for o in outcomes if any(code[:1] in ("C", "X") for code in o.located_by))
    rows.append(line("overall", "both", every, cx_all))
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


def diagnosis_payload(documents: list[DocumentDiagnoses], errors: dict[str, str]) -> dict[str, JsonValue]:
    outcomes = [o for d in documents for o in d.outcomes]
    skipped = [s for d in documents for s in d.skipped]
    return {
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


def print_diagnoses(documents: list[DocumentDiagnoses], errors: dict[str, str], examples: int = 10) -> None:
    print("== diagnosis (an error of known kind injected into a verified figure, its table re-checked alone)")
    rows: list[list[str]] = []
    for d in documents:
        rows += _diagnosis_rows(d.document, d.by_kind)
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


# ---------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sub = parser.add_subparsers(dest="mode", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus", help="directory of the reports (default $HECHA_CORPUS or ../shared/corpus)"
    )
    common.add_argument("--documents", nargs="+", metavar="NAME", help="only these file names of the corpus")
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
    sub.add_parser("all", parents=[common, speed, findings, sampled, mutation, diagnosis], help="every mode")
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
    paths = corpus_paths(directory, args.documents, derived_dir)
    if not paths:
        print(f"no benchmark documents found in {directory}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    payload: dict[str, JsonValue] = {"corpus": str(directory), "documents": [p.name for p in paths]}
    if args.mode in ("speed", "all"):
        results = run_speed(paths, args.runs)
        print_speed(results)
        payload["speed"] = speed_payload(results)
    if args.mode in ("findings", "coverage", "mutation", "diagnosis", "all"):
        rules = select_rules([p for p in args.select.split(",") if p] or None)
        loaded = load_documents(paths)
        if args.mode in ("findings", "all"):
            found, errors = run_findings(loaded, rules, args.inspected)
            print_findings(found, errors)
            payload["findings"] = findings_payload(found, errors)
        if args.mode in ("coverage", "all"):
            covered, errors = run_coverage(loaded, rules, args.examples, args.seed)
            print_coverage(covered, errors)
            payload["coverage"] = coverage_payload(covered, errors)
        if args.mode in ("mutation", "all"):
            mutated, errors = run_mutation(loaded, rules, args.sample, args.seed)
            print_mutations(mutated, errors, args.examples)
            prose, prose_errors = run_prose_mutation(
                loaded, rules, args.prose_sample, args.restatement_sample, args.seed
            )
            print_prose_mutations(prose, args.examples)
            payload["mutation"] = mutation_payload(mutated, {**errors, **prose_errors}, prose)
        if args.mode in ("diagnosis", "all"):
            diagnosed, errors = run_diagnosis(loaded, rules, args.diagnosis_sample, args.seed)
            print_diagnoses(diagnosed, errors, args.examples)
            payload["diagnosis"] = diagnosis_payload(diagnosed, errors)
    payload["wall_seconds"] = round(time.perf_counter() - started, 1)
    print(f"({payload['wall_seconds']} s)")
    if not args.no_write:
        print(f"written: {write_results(args.mode, payload, args.results_dir)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
