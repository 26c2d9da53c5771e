"""The diagnosis benchmark's own logic: each injected kind yields the intended figure, and the
right/wrong/ambiguous/undiagnosed accounting is right on a hand-made Document checked by stand-in
footing and share rules whose diagnoses the tests choose."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from hecha.extract.roles import ColumnKind, RowKind
from hecha.ingest.grid import pipe_table
from hecha.ingest.numbers import parse_quantity
from hecha.model.diagnostic import Diagnosis, Diagnostic, Related
from hecha.model.document import Cell, Document
from hecha.model.quantity import Interval, interval_sum
from hecha.rules.base import Comparison, Rule, RuleContext, compare

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # the benchmark lives beside src/, not inside the package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.diagnosis import (  # noqa: E402
    ACCEPTED,
    DiagnosisSummary,
    DocumentDiagnoses,
    InjectedKind,
    Verdict,
    held_relations,
    run_diagnoses,
    share_on,
    total_without,
    unit_slipped,
)
from benchmarks.findings import (  # noqa: E402
    NO_DIAGNOSIS,
    DocumentFindings,
    FindingRow,
    FindingsSummary,
    diagnosis_counts,
)
from benchmarks.findings import Verdict as FindingVerdict  # noqa: E402
from benchmarks.mutation import MutationSkipped  # noqa: E402

Diagnoser = Callable[[Diagnostic], Diagnosis | None]


def no_diagnosis(_: Diagnostic) -> Diagnosis | None:
    return None


def always(kind: str, alternatives: tuple[str, ...] = (), evidence_at_operands: bool = False) -> Diagnoser:
    """A stand-in diagnosis that names ``kind`` for every finding (evidence: its operands)."""

    def diagnose(diagnostic: Diagnostic) -> Diagnosis:
        evidence = diagnostic.related if evidence_at_operands else ()
        return Diagnosis(kind=kind, sentence=f"可能是{kind}", evidence=evidence, alternatives=alternatives)

    return diagnose


class StandInTableRule(Rule):
    """Stand-in T rule on analyzed tables: every AMOUNT column foots to its 合计 row (relation
    cells: total first, then the items) and every SHARE column is its left amount / that 合计
    (cells: share, part, base). Findings stand at the stated figure and name the operands; their
    diagnosis is what ``diagnose`` says."""

    name = "stand-in"
    summary = summary_en = "test rule"

    def __init__(self, code: str, diagnose: Diagnoser, report_elsewhere: bool = False) -> None:
        super().__init__()
        self.code = code  # type: ignore[misc]
        self.diagnose = diagnose
        self.report_elsewhere = report_elsewhere

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for table in ctx.tables:
            items = [row for row in table.rows if row.kind is RowKind.ITEM]
            total_row = next(row for row in table.rows if row.kind is RowKind.TOTAL)
            for position, column in enumerate(table.columns):
                total = total_row.cells[position]
                if total is None or total.quantity is None:
                    continue
                if column.kind is ColumnKind.AMOUNT and self.code == "T001":
                    operands = [row.cells[position] for row in items]
                    zero = Interval.exact(Decimal(0))
                    intervals = [c.quantity.interval if c and c.quantity else zero for c in operands]
                    found = [c for c in operands if c is not None]
                    yield from self._relation(
                        ctx, table.table.index, total, found, compare(total.quantity, interval_sum(intervals))
                    )
                if column.kind is ColumnKind.SHARE and self.code == "T002":
                    base = total_row.cells[position - 1]
                    assert base is not None and base.quantity is not None
                    for row in items:
                        share, part = row.cells[position], row.cells[position - 1]
                        if share is None or share.quantity is None or part is None or part.quantity is None:
                            continue
                        ratio = part.quantity.interval / base.quantity.interval
                        assert ratio is not None
                        expected = ratio.scaled(Decimal(100))
                        yield from self._relation(
                            ctx, table.table.index, share, [part, base], compare(share.quantity, expected)
                        )

    def _relation(
        self, ctx: RuleContext, table: int, stated: Cell, operands: list[Cell], failed: Comparison | None
    ) -> Iterator[Diagnostic]:
        cells = [stated.location, *(c.location for c in operands)]
        ctx.stats.relation(table, held=failed is None, cells=cells)
        if failed is None:
            return
        where = replace(stated.location, row=0, col=0) if self.report_elsewhere else stated.location
        related = () if self.report_elsewhere else tuple(Related(c.location, "operand") for c in operands)
        finding = self.diagnostic(
            message="不符", message_en="mismatch", location=where, comparison=failed, related=related
        )
        yield replace(finding, diagnosis=self.diagnose(finding))


def hand_made_document() -> Document:
    table = pipe_table(
        [
            "| 项目 | 本期金额 | 占比 | 上期金额 | 占比 |",
            "|---|---|---|---|---|",
            "| 甲 | 1,200.00 | 60.00% | 900.00 | 60.00% |",
            "| 乙 | 300.00 | 15.00% | 450.00 | 30.00% |",
            "| 丙 | 500.00 | 25.00% | 150.00 | 10.00% |",
            "| 合计 | 2,000.00 | 100.00% | 1,500.00 | 100.00% |",
        ],
        source="hand.md",
        first_line=1,
        index=0,
    )
    return Document(source="hand.md", format="markdown", page_count=None, tables=(table,))


def rules(diagnose: Diagnoser, report_elsewhere: bool = False) -> list[Rule]:
    return [StandInTableRule(code, diagnose, report_elsewhere) for code in ("T001", "T002")]


# ---------------------------------------------------------------- injected figures


def test_a_dropped_row_leaves_the_total_short_by_that_addend() -> None:
    mutated = total_without("2,000.00", "300.00")
    assert (mutated.text, mutated.value) == ("1,700.00", Decimal("1700.00"))
    with pytest.raises(MutationSkipped, match="zero"):
        total_without("2,000.00", "0.00")


@pytest.mark.parametrize(
    ("share", "part", "base", "other", "expected"),
    [
        ("60.00%", "1,200.00", "2,000.00", "1,500.00", "80.00%"),
        ("25.00%", "500.00", "2,000.00", "1,500.00", "33.33%"),
        ("0.2500", "500.00", "2,000.00", "1,500.00", "0.3333"),  # a share printed as a fraction
    ],
)
def test_a_share_on_another_base_is_the_part_over_that_base(
    share: str, part: str, base: str, other: str, expected: str
) -> None:
    assert share_on(share, part, base, other).text == expected


def test_a_base_too_close_to_the_true_one_is_skipped() -> None:
    with pytest.raises(MutationSkipped, match="within 1%"):
        share_on("60.00%", "1,200.00", "2,000.00", "2,010.00")


def test_unit_slips_are_ten_thousand_times_either_way_and_only_of_amounts() -> None:
    seen = {unit_slipped("1,234,567.89", random.Random(seed)).text for seed in range(40)}
    assert seen == {"12,345,678,900.00", "123.46"}
    # Too small to divide with three printed significant digits left: only ×10^4 (printed
    # without separators, as the original was).
    assert {unit_slipped("300.00", random.Random(seed)).text for seed in range(20)} == {"3000000.00"}
    with pytest.raises(MutationSkipped, match="percent"):
        unit_slipped("60.00%", random.Random(0))


# ---------------------------------------------------------------- relations and accounting


def test_held_relations_keep_the_rule_and_the_stated_cell_first() -> None:
    relations = held_relations(hand_made_document(), rules(no_diagnosis))
    totals = [r.cells for r in relations if r.code == "T001"]
    shares = [r.cells for r in relations if r.code == "T002"]
    assert sorted(totals) == [
        ((0, 4, 1), (0, 1, 1), (0, 2, 1), (0, 3, 1)),
        ((0, 4, 3), (0, 1, 3), (0, 2, 3), (0, 3, 3)),
    ]
    assert ((0, 1, 2), (0, 1, 1), (0, 4, 1)) in shares and len(shares) == 6


def _run(diagnose: Diagnoser, sample: int = 6, report_elsewhere: bool = False) -> DocumentDiagnoses:
    return run_diagnoses("hand.md", hand_made_document(), rules(diagnose, report_elsewhere), sample, seed=1)


def _summary(result: DocumentDiagnoses, kind: str) -> DiagnosisSummary:
    return next(k for k in result.by_kind if k.kind == kind)


def test_injections_hit_the_cells_their_kind_is_about() -> None:
    result = _run(no_diagnosis)
    by_kind = {kind: [o for o in result.outcomes if o.kind == kind.value] for kind in InjectedKind}
    assert all(by_kind.values()), "every kind must apply on the hand-made table"
    # Dropped rows change a 合计 (row 4) of an amount column to the total minus one addend.
    addends = {1: ["1,200.00", "300.00", "500.00"], 3: ["900.00", "450.00", "150.00"]}
    for o in by_kind[InjectedKind.DROPPED_ROW]:
        assert (o.row, o.col) in ((4, 1), (4, 3))
        total = parse_quantity(o.original)
        mutated = parse_quantity(o.mutated)
        assert total is not None and mutated is not None
        differences = {total.value - Decimal(a.replace(",", "")) for a in addends[o.col]}
        assert mutated.value in differences
    # Wrong bases rewrite an item's share on the other period's 合计.
    other_total = {2: Decimal("1500.00"), 4: Decimal("2000.00")}
    for o in by_kind[InjectedKind.WRONG_BASE]:
        assert o.col in (2, 4) and o.row in (1, 2, 3)
        part = parse_quantity(hand_made_document().tables[0].rows[o.row][o.col - 1].text)
        mutated = parse_quantity(o.mutated)
        assert part is not None and mutated is not None
        assert mutated.value == (part.value / other_total[o.col] * 100).quantize(Decimal("0.01"))
    assert all(o.located for o in result.outcomes)


def test_no_diagnosis_counts_as_undiagnosed_not_wrong() -> None:
    every = _summary(_run(no_diagnosis), "all")
    assert every.injected > 0
    assert every.located == every.undiagnosed == every.injected
    assert every.right == every.wrong == every.ambiguous == 0


def test_a_diagnosis_of_another_kind_is_wrong_and_of_the_injected_kind_right() -> None:
    result = _run(always("omitted-row"))
    dropped = _summary(result, InjectedKind.DROPPED_ROW.value)
    assert dropped.injected > 0 and dropped.right == dropped.injected and dropped.wrong == 0
    for kind in (InjectedKind.SIGN_FLIP, InjectedKind.TRANSPOSITION, InjectedKind.UNIT_SLIP):
        line = _summary(result, kind.value)
        assert line.injected > 0 and line.wrong == line.injected and line.right == 0
    every = _summary(result, "all")
    assert every.right + every.wrong + every.ambiguous + every.undiagnosed == every.located
    assert every.right_share == pytest.approx(dropped.injected / every.injected)


def test_prior_base_names_a_wrong_base() -> None:
    assert "prior-base" in ACCEPTED[InjectedKind.WRONG_BASE]
    line = _summary(_run(always("prior-base")), InjectedKind.WRONG_BASE.value)
    assert line.injected > 0 and line.right == line.injected


def test_the_injected_kind_among_the_alternatives_is_ambiguous() -> None:
    result = _run(always("transposition", alternatives=("sign-flip",)))
    flips = _summary(result, InjectedKind.SIGN_FLIP.value)
    assert flips.injected > 0 and flips.ambiguous == flips.injected and flips.wrong == 0
    transpositions = _summary(result, InjectedKind.TRANSPOSITION.value)
    assert transpositions.right == transpositions.injected


def test_evidence_at_the_mutated_cell_is_counted_for_right_diagnoses() -> None:
    # Evidence = the footing finding's operands: a flipped addend is among them, a flipped total
    # is not (the footing rule alone: the share rule would name the total as its base).
    footing: list[Rule] = [StandInTableRule("T001", always("sign-flip", evidence_at_operands=True))]
    result = run_diagnoses("hand.md", hand_made_document(), footing, 8, seed=1)
    flips = [o for o in result.outcomes if o.kind == InjectedKind.SIGN_FLIP.value]
    assert flips and all(o.verdict == Verdict.RIGHT for o in flips)
    for o in flips:
        is_total = o.row == 4
        assert o.evidence_names_cell is (not is_total), o
        assert o.role == ("stated" if is_total else "operand")
    line = next(k for k in result.by_kind if k.kind == InjectedKind.SIGN_FLIP.value)
    operands = sum(1 for o in flips if o.role == "operand")
    assert 0 < operands < len(flips)  # both roles drawn
    assert line.evidence_names_cell == line.right_operands == operands


def test_findings_elsewhere_are_not_located_and_not_judged() -> None:
    result = _run(always("sign-flip"), report_elsewhere=True)
    every = _summary(result, "all")
    assert every.injected > 0 and every.located == 0
    assert every.right == every.wrong == 0
    assert all(o.verdict == Verdict.NOT_LOCATED for o in result.outcomes)


def test_same_seed_same_injections() -> None:
    assert _run(always("typo")).outcomes == _run(always("typo")).outcomes


# ---------------------------------------------------------------- findings mode


def test_findings_are_counted_by_diagnosis_kind() -> None:
    def document(name: str, kinds: list[str]) -> DocumentFindings:
        rows = tuple(
            FindingRow(f"{name}{i}", "T001", "-", "m", FindingVerdict.UNINSPECTED, diagnosis=kind)
            for i, kind in enumerate(kinds)
        )
        summary = FindingsSummary(name, 10, False, len(rows), 0, 0, len(rows))
        return DocumentFindings(summary=summary, rows=rows)

    counts = diagnosis_counts([document("a", ["sign-flip", "", "sign-flip"]), document("b", ["typo"])])
    table = {(c.document, c.kind): c.findings for c in counts}
    assert table[("a", "sign-flip")] == 2 and table[("a", NO_DIAGNOSIS)] == 1 and table[("a", "typo")] == 0
    assert table[("b", "typo")] == 1 and table[("b", "sign-flip")] == 0
    assert table[("all", "sign-flip")] == 2 and table[("all", NO_DIAGNOSIS)] == 1
    assert [c.kind for c in counts if c.document == "all"][-1] == NO_DIAGNOSIS
