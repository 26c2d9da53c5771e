"""The findings benchmark's own logic: reading inspected.yaml, classifying findings by fingerprint,
counting uninspected findings as false alarms, and estimating pages of formats without pages."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hecha.engine import check_document
from hecha.ingest.grid import pipe_table
from hecha.model.diagnostic import Diagnostic
from hecha.model.document import Document, Location
from hecha.rules.base import Rule, RuleContext

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # the benchmark lives beside src/, not inside the package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.bench import print_findings  # noqa: E402
from benchmarks.corpus import PageCount, estimate_pages, page_count  # noqa: E402
from benchmarks.findings import (  # noqa: E402
    INSPECTED_FILE,
    InspectedFileError,
    Verdict,
    document_findings,
    false_alarm_classes,
    family_counts,
    load_inspections,
    overall,
)


class FlagEveryFigure(Rule):
    """Stand-in rule: one finding per figure cell, located at the cell."""

    code = "Z901"
    name = "stand-in-flag"
    summary = summary_en = "test rule"

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for table in ctx.document.tables:
            for row in table.rows:
                for cell in row:
                    if cell.quantity is not None:
                        yield self.diagnostic(
                            message=f"旗 {cell.text}", message_en="flag", location=cell.location
                        )


def _document() -> Document:
    table = pipe_table(
        ["| 项目 | 金额 |", "|---|---|", "| 甲 | 1.00 |", "| 乙 | 2.00 |", "| 丙 | 3.00 |"],
        source="hand.md",
        first_line=1,
        index=0,
    )
    return Document(source="hand.md", format="markdown", page_count=None, tables=(table,))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "inspected.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_verdicts_are_applied_by_fingerprint_and_uninspected_counts_as_false(tmp_path: Path) -> None:
    result = check_document(_document(), [FlagEveryFigure()])
    first, second, _third = (d.fingerprint for d in result.diagnostics)
    inspected = _write(
        tmp_path,
        "findings:\n"
        f"  - {{fingerprint: '{first}', verdict: true-error, note: 'rows do not add up'}}\n"
        f"  - {{fingerprint: '{second}', verdict: false-alarm, class: wrapped-label}}\n"
        "  - {fingerprint: 'ffffffffffffffff', verdict: false-alarm, class: other}\n",
    )
    found = document_findings("hand.md", result, PageCount(50, estimated=True), load_inspections(inspected))
    assert [row.verdict for row in found.rows] == [
        Verdict.TRUE_ERROR,
        Verdict.FALSE_ALARM,
        Verdict.UNINSPECTED,
    ]
    assert found.rows[0].note == "rows do not add up"
    summary = found.summary
    assert (summary.findings, summary.true_errors, summary.false_alarms, summary.uninspected) == (3, 1, 1, 1)
    assert summary.counted_false == 2
    assert summary.findings_per_100_pages == pytest.approx(6.0)
    assert summary.false_per_100_pages == pytest.approx(4.0)
    assert "r1" in found.rows[0].location and "c1" in found.rows[0].location


def test_overall_adds_counts_and_pages(tmp_path: Path) -> None:
    result = check_document(_document(), [FlagEveryFigure()])
    a = document_findings("a", result, PageCount(100, estimated=False), {}).summary
    b = document_findings("b", result, PageCount(200, estimated=True), {}).summary
    total = overall([a, b])
    assert (total.pages, total.findings, total.uninspected) == (300, 6, 6)
    assert total.pages_estimated
    assert total.false_per_100_pages == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("text", "complaint"),  # one malformed file per case
    [
        ("findings:\n  - {fingerprint: 'a', verdict: true-error}\n", "needs a note"),
        ("findings:\n  - {fingerprint: 'a', verdict: maybe}\n", "unknown verdict"),
        ("findings:\n  - {fingerprint: 'a', verdict: uninspected}\n", "not a verdict"),
        ("findings:\n  - {verdict: false-alarm}\n", "needs 'fingerprint'"),
        (
            "findings:\n"
            "  - {fingerprint: 'a', verdict: false-alarm, class: x}\n"
            "  - {fingerprint: 'a', verdict: rounding-level}\n",
            "listed twice",
        ),
        (
            "findings:\n  - {fingerprint: 'a', verdict: false-alarm, note: 'misread'}\n",
            "needs a class",
        ),
        ("- just a list\n", "'findings' list"),
    ],
)
def test_malformed_inspected_file_is_rejected(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(InspectedFileError, match=complaint):
        load_inspections(_write(tmp_path, text))


def test_missing_inspected_file_means_nothing_inspected(tmp_path: Path) -> None:
    assert load_inspections(tmp_path / "absent.yaml") == {}


def test_the_committed_inspected_file_is_well_formed() -> None:
    for inspection in load_inspections(INSPECTED_FILE).values():
        assert len(inspection.fingerprint) == 16


def test_pages_are_estimated_from_characters_when_the_format_has_none(tmp_path: Path) -> None:
    assert estimate_pages(4_500) == 3
    assert estimate_pages(10) == 1
    path = tmp_path / "reply.md"
    path.write_text("字" * 3_000, encoding="utf-8")  # 3,000 characters, 9,000 bytes
    counted = page_count(Document(source=str(path), format="markdown", page_count=None), path)
    assert counted == PageCount(2, estimated=True)
    assert str(counted) == "~2*"
    paged = page_count(Document(source=str(path), format="pdf", page_count=204), path)
    assert paged == PageCount(204, estimated=False)


class FlagAsTableRule(FlagEveryFigure):
    code = "T990"


class FlagAsProseRule(Rule):
    """Stand-in prose rule: one finding per figure, at its line outside any table."""

    code = "C990"
    name = "stand-in-prose-flag"
    summary = summary_en = "test rule"

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for table in ctx.document.tables:
            for row in table.rows:
                for cell in row:
                    if cell.quantity is not None:
                        where = Location(
                            source=cell.location.source, line=cell.location.line, quote=cell.text
                        )
                        yield self.diagnostic(message=f"旗 {cell.text}", message_en="flag", location=where)


def test_findings_are_broken_down_by_rule_family(tmp_path: Path) -> None:
    table_result = check_document(_document(), [FlagAsTableRule(), FlagAsProseRule()])
    first_c = next(d.fingerprint for d in table_result.diagnostics if d.code == "C990")
    inspected = _write(
        tmp_path,
        f"findings:\n  - {{fingerprint: '{first_c}', verdict: true-error, note: 'checked by hand'}}\n",
    )
    inspections = load_inspections(inspected)
    a = document_findings("a", table_result, PageCount(100, estimated=False), inspections)
    b = document_findings(
        "b", check_document(_document(), [FlagAsTableRule()]), PageCount(50, estimated=False), inspections
    )
    counts = {(c.document, c.family): c for c in family_counts([a, b])}
    # T, C and X are always listed, even with no finding.
    assert {family for _, family in counts} == {"T", "C", "X"}
    assert (counts["a", "T"].findings, counts["a", "C"].findings, counts["a", "X"].findings) == (3, 3, 0)
    assert counts["a", "C"].counted_false == 2  # the true error is not a false alarm
    assert counts["b", "C"].findings == 0
    assert counts["all", "T"].findings == 6
    assert counts["all", "T"].pages == 150
    assert counts["all", "T"].findings_per_100_pages == pytest.approx(4.0)
    assert counts["all", "C"].false_per_100_pages == pytest.approx(2 * 100 / 150)


def test_rounding_level_is_neither_true_nor_false_and_classes_are_kept(tmp_path: Path) -> None:
    result = check_document(_document(), [FlagEveryFigure()])
    first, second, _third = (d.fingerprint for d in result.diagnostics)
    inspected = _write(
        tmp_path,
        "findings:\n"
        f"  - {{fingerprint: '{first}', verdict: rounding-level, note: '0.01 from rounding'}}\n"
        f"  - {{fingerprint: '{second}', verdict: false-alarm, class: period-column}}\n"
        # An existing entry without class stays valid (true errors need none).
        "  - {fingerprint: 'eeeeeeeeeeeeeeee', verdict: true-error, note: 'old entry'}\n",
    )
    found = document_findings("hand.md", result, PageCount(100, estimated=False), load_inspections(inspected))
    assert [row.verdict for row in found.rows] == [
        Verdict.ROUNDING_LEVEL,
        Verdict.FALSE_ALARM,
        Verdict.UNINSPECTED,
    ]
    assert found.rows[1].class_name == "period-column"
    summary = found.summary
    assert (summary.rounding_level, summary.true_errors, summary.false_alarms, summary.uninspected) == (
        1,
        0,
        1,
        1,
    )
    # Rounding-level does not count as false: 2 of 3 findings on 100 pages.
    assert summary.false_per_100_pages == pytest.approx(2.0)
    assert not summary.flagged  # 2.00 is not above 2
    assert overall([summary, summary]).rounding_level == 2
    families = {(c.document, c.family): c for c in family_counts([found])}
    assert families["hand.md", "Z"].counted_false == 2
    classes = false_alarm_classes([found, document_findings("b", result, PageCount(10, False), {})])
    assert [(c.class_name, c.findings, c.documents) for c in classes] == [
        ("uninspected", 4, 2),
        ("period-column", 1, 1),
    ]


def test_a_document_above_two_false_alarms_per_hundred_pages_is_flagged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = check_document(_document(), [FlagEveryFigure()])
    crowded = document_findings("crowded.md", result, PageCount(100, estimated=False), {})  # 3/100p
    sparse = document_findings("sparse.md", result, PageCount(300, estimated=False), {})  # 1/100p
    assert crowded.summary.flagged and not sparse.summary.flagged
    print_findings([crowded, sparse], {})
    out = capsys.readouterr().out
    crowded_line = next(line for line in out.splitlines() if line.startswith("crowded.md "))
    sparse_line = next(line for line in out.splitlines() if line.startswith("sparse.md "))
    assert crowded_line.rstrip().endswith("> 2") and not sparse_line.rstrip().endswith("> 2")
    assert "documents above 2/100p (1): crowded.md" in out
