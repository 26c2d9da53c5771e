"""Findings benchmark: what hecha reports on the unmodified published reports, and how much of it
a person has confirmed as a real error.

Every finding is looked up by fingerprint in ``benchmarks/inspected.yaml``: ``true-error`` (a real
error in the published report, with a one-line note why), ``false-alarm`` (with a ``class`` naming
the kind of misreading, a free string such as ``wrapped-label`` or ``period-column``), or
``rounding-level`` (a real discrepancy between printed figures that the rounding of those figures
explains: neither a true error nor a false alarm, counted in its own column). Findings nobody has
inspected yet are listed as "uninspected" and counted as false alarms until someone looks.

False alarms per 100 pages are reported per document, per format, per kind and overall; a document
above ``FLAG_FALSE_PER_100_PAGES`` is flagged.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from benchmarks.corpus import PageCount
from hecha.engine import CheckResult
from hecha.model.diagnostic import Diagnostic
from hecha.model.document import Location

INSPECTED_FILE = Path(__file__).resolve().parent / "inspected.yaml"


class Verdict(StrEnum):
    TRUE_ERROR = "true-error"
    FALSE_ALARM = "false-alarm"
    # A real discrepancy that the rounding of the printed figures explains: not counted as a true
    # error nor as a false alarm, reported in its own column.
    ROUNDING_LEVEL = "rounding-level"
    UNINSPECTED = "uninspected"


# Verdicts the false-alarm rate counts: uninspected findings count as false until someone looks.
COUNTED_FALSE = frozenset({Verdict.FALSE_ALARM, Verdict.UNINSPECTED})
# A document with more false alarms (uninspected included) per 100 pages than this is flagged.
FLAG_FALSE_PER_100_PAGES = 2.0


@dataclass(frozen=True)
class Inspection:
    fingerprint: str
    verdict: Verdict
    note: str = ""
    document: str = ""
    code: str = ""
    class_name: str = ""  # the entry's ``class``: what kind of misreading a false alarm is


class InspectedFileError(ValueError):
    """inspected.yaml is malformed; the message names the entry."""


def load_inspections(path: Path = INSPECTED_FILE) -> dict[str, Inspection]:
    """Fingerprint → Inspection from ``path`` (an absent file means nothing is inspected yet)."""
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = (data.get("findings") or []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InspectedFileError(f"{path}: expected a mapping with a 'findings' list")
    inspections: dict[str, Inspection] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "fingerprint" not in entry or "verdict" not in entry:
            raise InspectedFileError(f"{path}: entry {number} needs 'fingerprint' and 'verdict'")
        fingerprint = str(entry["fingerprint"])
        try:
            verdict = Verdict(str(entry["verdict"]))
        except ValueError as error:
            raise InspectedFileError(
                f"{path}: entry {number} has unknown verdict {entry['verdict']!r}"
            ) from error
        if verdict is Verdict.UNINSPECTED:
            raise InspectedFileError(f"{path}: entry {number}: 'uninspected' is not a verdict")
        note = str(entry.get("note") or "")
        if verdict is Verdict.TRUE_ERROR and not note:
            raise InspectedFileError(f"{path}: entry {number}: a true-error needs a note saying why")
        class_name = str(entry.get("class") or "")
        if verdict is Verdict.FALSE_ALARM and not class_name:
            raise InspectedFileError(
                f"{path}: entry {number}: a false-alarm needs a class (the kind of misreading)"
            )
        if fingerprint in inspections:
            raise InspectedFileError(f"{path}: fingerprint {fingerprint} is listed twice")
        inspections[fingerprint] = Inspection(
            fingerprint=fingerprint,
            verdict=verdict,
            note=note,
            document=str(entry.get("document") or ""),
            code=str(entry.get("code") or ""),
            class_name=class_name,
        )
    return inspections


def describe_location(location: Location) -> str:
    """A short where: page or line, then table/row/col when known ("p.12 t3 r4 c2")."""
    parts = []
    if location.page is not None:
        parts.append(f"p.{location.page}")
    if location.line is not None:
        parts.append(f"l.{location.line}")
    if location.table is not None:
        parts.append(f"t{location.table}")
    if location.row is not None:
        parts.append(f"r{location.row}")
    if location.col is not None:
        parts.append(f"c{location.col}")
    return " ".join(parts) or "-"


@dataclass(frozen=True)
class FindingRow:
    fingerprint: str
    code: str
    location: str
    message: str
    verdict: Verdict
    note: str = ""
    diagnosis: str = ""  # the kind of the finding's Diagnosis; "" when it carries none
    class_name: str = ""  # the inspection's class ("" when uninspected or given none)


def classify(diagnostics: tuple[Diagnostic, ...], inspections: dict[str, Inspection]) -> list[FindingRow]:
    rows = []
    for diagnostic in diagnostics:
        inspection = inspections.get(diagnostic.fingerprint)
        rows.append(
            FindingRow(
                fingerprint=diagnostic.fingerprint,
                code=diagnostic.code,
                location=describe_location(diagnostic.location),
                message=diagnostic.message,
                verdict=inspection.verdict if inspection else Verdict.UNINSPECTED,
                note=inspection.note if inspection else "",
                diagnosis=diagnostic.diagnosis.kind if diagnostic.diagnosis else "",
                class_name=inspection.class_name if inspection else "",
            )
        )
    return rows


def per_hundred_pages(count: int, pages: int) -> float:
    return 100 * count / pages if pages else 0.0


@dataclass(frozen=True)
class FindingsSummary:
    """Counts for one document (or all of them, ``document == "all"``)."""

    document: str
    pages: int
    pages_estimated: bool
    findings: int
    true_errors: int
    false_alarms: int
    uninspected: int
    rounding_level: int = 0
    tables_found: int = 0
    tables_checked: int = 0
    uncertain_tables: int = 0
    relations_checked: int = 0
    rule_failures: int = 0

    @property
    def counted_false(self) -> int:
        """False alarms as the target counts them: uninspected findings count as false."""
        return self.false_alarms + self.uninspected

    @property
    def findings_per_100_pages(self) -> float:
        return per_hundred_pages(self.findings, self.pages)

    @property
    def false_per_100_pages(self) -> float:
        return per_hundred_pages(self.counted_false, self.pages)

    @property
    def flagged(self) -> bool:
        """More than FLAG_FALSE_PER_100_PAGES false alarms (uninspected included) per 100 pages."""
        return self.false_per_100_pages > FLAG_FALSE_PER_100_PAGES


@dataclass(frozen=True)
class DocumentFindings:
    summary: FindingsSummary
    rows: tuple[FindingRow, ...]
    rule_failures: tuple[str, ...] = ()


def document_findings(
    name: str, result: CheckResult, pages: PageCount, inspections: dict[str, Inspection]
) -> DocumentFindings:
    rows = classify(result.diagnostics, inspections)
    return DocumentFindings(
        summary=FindingsSummary(
            document=name,
            pages=pages.pages,
            pages_estimated=pages.estimated,
            findings=len(rows),
            true_errors=sum(r.verdict is Verdict.TRUE_ERROR for r in rows),
            false_alarms=sum(r.verdict is Verdict.FALSE_ALARM for r in rows),
            uninspected=sum(r.verdict is Verdict.UNINSPECTED for r in rows),
            rounding_level=sum(r.verdict is Verdict.ROUNDING_LEVEL for r in rows),
            tables_found=result.stats.tables_found,
            tables_checked=result.stats.tables_checked,
            uncertain_tables=result.stats.uncertain_tables,
            relations_checked=result.stats.relations_checked,
            rule_failures=len(result.rule_failures),
        ),
        rows=tuple(rows),
        rule_failures=tuple(f"{f.code}: {f.error}" for f in result.rule_failures),
    )


def overall(summaries: list[FindingsSummary]) -> FindingsSummary:
    """The documents' counts added up; pages are estimated if any document's are."""
    return FindingsSummary(
        document="all",
        pages=sum(s.pages for s in summaries),
        pages_estimated=any(s.pages_estimated for s in summaries),
        findings=sum(s.findings for s in summaries),
        true_errors=sum(s.true_errors for s in summaries),
        false_alarms=sum(s.false_alarms for s in summaries),
        uninspected=sum(s.uninspected for s in summaries),
        rounding_level=sum(s.rounding_level for s in summaries),
        tables_found=sum(s.tables_found for s in summaries),
        tables_checked=sum(s.tables_checked for s in summaries),
        uncertain_tables=sum(s.uncertain_tables for s in summaries),
        relations_checked=sum(s.relations_checked for s in summaries),
        rule_failures=sum(s.rule_failures for s in summaries),
    )


# The rule families of issue 3's "all rules together": tables, prose claims, cross-references.
# Families are the first letter of a rule code; any other family found is listed after these.
FAMILIES = ("T", "C", "X")


@dataclass(frozen=True)
class FamilyCount:
    """Findings of one rule family in one document (or in all of them, ``document == "all"``)."""

    document: str
    family: str
    pages: int
    pages_estimated: bool
    findings: int
    counted_false: int  # false alarms + uninspected, as the target counts them

    @property
    def findings_per_100_pages(self) -> float:
        return per_hundred_pages(self.findings, self.pages)

    @property
    def false_per_100_pages(self) -> float:
        return per_hundred_pages(self.counted_false, self.pages)


def _families(rows: list[FindingRow]) -> list[str]:
    extra = sorted({row.code[:1] for row in rows} - set(FAMILIES))
    return [*FAMILIES, *extra]


def family_counts(documents: list[DocumentFindings]) -> list[FamilyCount]:
    """Per document and family, then an "all" line per family; T, C and X always listed."""
    every_row = [row for d in documents for row in d.rows]
    families = _families(every_row)
    counts = []
    for document in documents:
        for family in families:
            mine = [row for row in document.rows if row.code.startswith(family)]
            counts.append(
                FamilyCount(
                    document=document.summary.document,
                    family=family,
                    pages=document.summary.pages,
                    pages_estimated=document.summary.pages_estimated,
                    findings=len(mine),
                    counted_false=sum(row.verdict in COUNTED_FALSE for row in mine),
                )
            )
    pages = sum(d.summary.pages for d in documents)
    estimated = any(d.summary.pages_estimated for d in documents)
    for family in families:
        mine = [row for row in every_row if row.code.startswith(family)]
        counts.append(
            FamilyCount(
                document="all",
                family=family,
                pages=pages,
                pages_estimated=estimated,
                findings=len(mine),
                counted_false=sum(row.verdict in COUNTED_FALSE for row in mine),
            )
        )
    return counts


NO_DIAGNOSIS = "none"


@dataclass(frozen=True)
class DiagnosisCount:
    """Findings of one document (or ``document == "all"``) whose diagnosis is ``kind``
    (NO_DIAGNOSIS for findings without one)."""

    document: str
    kind: str
    findings: int


def diagnosis_counts(documents: list[DocumentFindings]) -> list[DiagnosisCount]:
    """Per document and diagnosis kind, then an "all" line per kind; kinds in order of frequency
    over all documents, NO_DIAGNOSIS last, every kind listed for every document."""
    every = Counter(row.diagnosis or NO_DIAGNOSIS for d in documents for row in d.rows)
    kinds = [kind for kind, _ in every.most_common() if kind != NO_DIAGNOSIS] + [NO_DIAGNOSIS]
    counts: list[DiagnosisCount] = []
    for document in documents:
        mine = Counter(row.diagnosis or NO_DIAGNOSIS for row in document.rows)
        counts.extend(DiagnosisCount(document.summary.document, kind, mine[kind]) for kind in kinds)
    counts.extend(DiagnosisCount("all", kind, every[kind]) for kind in kinds)
    return counts


UNCLASSED = "(no class)"


@dataclass(frozen=True)
class ClassCount:
    """Counted false alarms of one class over all documents: inspected false alarms by their
    ``class``, uninspected findings under "uninspected"."""

    class_name: str
    findings: int
    documents: int  # how many documents have at least one


def false_alarm_classes(documents: list[DocumentFindings]) -> list[ClassCount]:
    """The counted false alarms by class, most frequent first."""
    counts: Counter[str] = Counter()
    where: dict[str, set[str]] = {}
    for document in documents:
        for row in document.rows:
            if row.verdict not in COUNTED_FALSE:
                continue
            name = Verdict.UNINSPECTED.value if row.verdict is Verdict.UNINSPECTED else row.class_name
            name = name or UNCLASSED
            counts[name] += 1
            where.setdefault(name, set()).add(document.summary.document)
    return [ClassCount(name, count, len(where[name])) for name, count in counts.most_common()]
