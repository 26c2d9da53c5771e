"""The mutation benchmark's own logic: each mutation kind yields the intended figure, and the
detected/located accounting is right on a hand-made Document checked by a stand-in footing rule."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from hecha.engine import check_document
from hecha.ingest.grid import pipe_table
from hecha.ingest.numbers import parse_quantity
from hecha.model.diagnostic import Diagnostic, Related
from hecha.model.document import Document, Location
from hecha.model.quantity import Interval, interval_sum
from hecha.rules.base import Rule, RuleContext, compare

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # the benchmark lives beside src/, not inside the package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.mutation import (  # noqa: E402
    KINDS,
    MutatedFigure,
    MutationKind,
    MutationSkipped,
    mutate_text,
    quotas,
    run_mutations,
)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# ---------------------------------------------------------------- mutation functions


@pytest.mark.parametrize(
    "text", ["1,234.56", "-98,765.43", "(4,321.09)", "12.34%", "增加2.07个百分点", "3,294"]
)
def test_digit_change_alters_exactly_one_digit_and_never_the_last(text: str) -> None:
    original = parse_quantity(text)
    assert original is not None
    for seed in range(200):
        mutated = mutate_text(text, MutationKind.DIGIT, random.Random(seed))
        before, after = _digits(text), _digits(mutated.text)
        assert len(before) == len(after)
        changed = [i for i in range(len(before)) if before[i] != after[i]]
        assert len(changed) == 1
        assert changed[0] != len(before) - 1
        reparsed = parse_quantity(mutated.text)
        assert reparsed is not None
        assert reparsed.value == mutated.value
        assert reparsed.decimals == original.decimals
        assert reparsed.unit == original.unit
        assert (mutated.value < 0) == (original.value < 0)


def test_digit_change_never_prints_a_leading_zero() -> None:
    results = {mutate_text("9,000", MutationKind.DIGIT, random.Random(seed)).text for seed in range(300)}
    assert all(not text.startswith("0") for text in results)
    assert any(text[0] != "9" for text in results)  # the leading digit itself does get changed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "-1,234.56"),
        ("-1,234.56", "1,234.56"),
        ("(1,234.56)", "1,234.56"),
        ("-3.5%", "3.5%"),
        ("增加2.07个百分点", "减少2.07个百分点"),
        ("下降12.00%", "上升12.00%"),
    ],
)
def test_sign_flip(text: str, expected: str) -> None:
    mutated = mutate_text(text, MutationKind.SIGN, random.Random(0))
    assert mutated.text == expected
    original = parse_quantity(text)
    assert original is not None
    assert mutated.value == -original.value


def test_sign_flip_keeps_parentheses_for_negatives() -> None:
    assert mutate_text("(5.00)", MutationKind.SIGN, random.Random(0)).text == "5.00"
    assert mutate_text("(5.00)", MutationKind.TIMES_TEN, random.Random(0)).text == "(50.00)"


@pytest.mark.parametrize(
    ("text", "expected_text", "expected_value"),
    [
        ("1,234.56", "12,345.60", Decimal("12345.60")),
        ("12.3%", "123.0%", Decimal("123.0")),
        ("-999", "-9990", Decimal("-9990")),
        ("5.01万元", "50.10万元", Decimal("50.10")),
    ],
)
def test_times_ten(text: str, expected_text: str, expected_value: Decimal) -> None:
    mutated = mutate_text(text, MutationKind.TIMES_TEN, random.Random(0))
    assert mutated.text == expected_text
    assert mutated.value == expected_value


def test_transposition_swaps_two_adjacent_different_digits() -> None:
    seen = {mutate_text("12.34", MutationKind.TRANSPOSE, random.Random(seed)).text for seed in range(100)}
    assert seen == {"21.34", "13.24", "12.43"}


@pytest.mark.parametrize(
    ("text", "only_result"),
    [
        ("1,100.00", "1,010.00"),  # 1↔1 and 0↔0 are not transpositions
        ("10.5", "15.0"),  # 1↔0 would print a leading zero
    ],
)
def test_transposition_skips_equal_digits_and_leading_zeros(text: str, only_result: str) -> None:
    seen = {mutate_text(text, MutationKind.TRANSPOSE, random.Random(seed)).text for seed in range(50)}
    assert seen == {only_result}


@pytest.mark.parametrize(
    ("text", "kind", "reason_part"),
    [
        ("5", MutationKind.DIGIT, "one printed digit"),
        ("0.00", MutationKind.SIGN, "zero"),
        ("0", MutationKind.TIMES_TEN, "zero"),
        ("1,111", MutationKind.TRANSPOSE, "adjacent"),
        ("0.02", MutationKind.SIGN, "units of the last digit"),
        ("—", MutationKind.DIGIT, "blank"),
        ("", MutationKind.SIGN, "blank"),
        ("合计", MutationKind.DIGIT, "not one figure"),
    ],
)
def test_mutations_that_cannot_apply_are_skipped_with_a_reason(
    text: str, kind: MutationKind, reason_part: str
) -> None:
    with pytest.raises(MutationSkipped) as raised:
        mutate_text(text, kind, random.Random(0))
    assert reason_part in raised.value.reason


def test_large_changes_are_those_of_at_least_one_percent() -> None:
    assert not MutatedFigure("100.99", Decimal("100.99"), original=Decimal("100")).large
    assert MutatedFigure("101.00", Decimal("101.00"), original=Decimal("100")).large
    assert MutatedFigure("-99", Decimal("-99"), original=Decimal("-100")).large
    assert MutatedFigure("5.00", Decimal("5.00"), original=Decimal("0.00")).large
    # A transposition in the units of a large figure is a real typo but a tiny change.
    transposed = MutatedFigure(
        "5,724,462,059.55", Decimal("5724462059.55"), original=Decimal("5724462095.55")
    )
    assert not transposed.large
    assert mutate_text("5,724,462,095.55", MutationKind.TIMES_TEN, random.Random(0)).large


def test_quotas_split_the_sample_evenly_over_kinds() -> None:
    split = quotas(10)
    assert sum(split.values()) == 10
    assert set(split) == set(KINDS)
    assert max(split.values()) - min(split.values()) <= 1


# ---------------------------------------------------------------- accounting


class ColumnFooting(Rule):
    """Stand-in rule: the last row (合计) of every table equals the sum of the rows above it, per column.

    With ``report_elsewhere`` it reports each failure at the table's first cell with no operands,
    so a finding exists but does not name the mutated cell. With ``number_by_position`` it puts
    the table's position in ``document.tables`` into locations instead of the table's own index.
    """

    code = "Z900"
    name = "stand-in-footing"
    summary = summary_en = "test rule"

    def __init__(self, report_elsewhere: bool = False, number_by_position: bool = False) -> None:
        super().__init__()
        self.report_elsewhere = report_elsewhere
        self.number_by_position = number_by_position

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for position, table in enumerate(ctx.document.tables):
            number = position if self.number_by_position else table.index
            body = [row for row in table.rows[table.header_rows or 0 :]]
            *items, total_row = body
            for col in range(1, len(total_row)):
                total = total_row[col]
                if total.quantity is None:
                    continue
                operands = [row[col] for row in items]
                intervals = [
                    c.quantity.interval if c.quantity else Interval.exact(Decimal(0)) for c in operands
                ]
                locations = [self._at(c.location, number) for c in [*operands, total]]
                failed = compare(total.quantity, interval_sum(intervals))
                ctx.stats.relation(table=number, held=failed is None, cells=locations)
                if failed is None:
                    continue
                where = (
                    self._at(table.rows[0][0].location, number) if self.report_elsewhere else locations[-1]
                )
                related = (
                    () if self.report_elsewhere else tuple(Related(loc, "加数") for loc in locations[:-1])
                )
                yield self.diagnostic(
                    message="合计不符",
                    message_en="total mismatch",
                    location=where,
                    comparison=failed,
                    related=related,
                )

    @staticmethod
    def _at(location: Location, table: int) -> Location:
        return Location(
            source=location.source,
            line=location.line,
            table=table,
            row=location.row,
            col=location.col,
            quote=location.quote,
        )


def hand_made_document(wrong_second_column: bool = False) -> Document:
    """Two tables; the second (index 1) optionally already wrong in its second figure column."""
    first = pipe_table(
        ["| 项目 | 2025年 |", "|---|---|", "| 甲 | 1,200.50 |", "| 乙 | 300.25 |", "| 合计 | 1,500.75 |"],
        source="hand.md",
        first_line=1,
        index=0,
    )
    stated = "99.00" if wrong_second_column else "65.00"
    second = pipe_table(
        [
            "| 项目 | 本期 | 上期 |",
            "|---|---|---|",
            "| 丙 | 120.00 | 40.00 |",
            "| 丁 | — | 25.00 |",
            "| 戊 | 35.10 | — |",
            f"| 合计 | 155.10 | {stated} |",
        ],
        source="hand.md",
        first_line=10,
        index=1,
    )
    return Document(source="hand.md", format="markdown", page_count=None, tables=(first, second))


def test_check_result_carries_the_cells_of_relations_that_held() -> None:
    result = check_document(hand_made_document(wrong_second_column=True), [ColumnFooting()])
    # Table 0 column 1 and table 1 column 1 hold; table 1 column 2 does not.
    assert result.verified_cells == {
        (0, 1, 1), (0, 2, 1), (0, 3, 1),
        (1, 1, 1), (1, 2, 1), (1, 3, 1), (1, 4, 1),
    }  # fmt: skip
    assert len(result.diagnostics) == 1


def test_footing_mutations_are_detected_and_located_at_their_cells() -> None:
    result = run_mutations("hand.md", hand_made_document(), [ColumnFooting()], sample_size=40, seed=1)
    assert result.outcomes, "some mutations must apply"
    for outcome in result.outcomes:
        assert outcome.detected and outcome.located, outcome
        assert outcome.original != outcome.mutated
    every = next(k for k in result.by_kind if k.kind == "all")
    assert every.applied == len(result.outcomes)
    assert every.detected == every.located == every.applied
    # The blanks took part in relations that held, but there is no figure to mutate.
    assert any("blank" in skip.reason for skip in result.skipped)
    assert {outcome.table for outcome in result.outcomes} == {0, 1}


def test_finding_that_does_not_name_the_cell_is_detected_but_not_located() -> None:
    result = run_mutations(
        "hand.md", hand_made_document(), [ColumnFooting(report_elsewhere=True)], sample_size=12, seed=1
    )
    assert result.outcomes
    assert all(o.detected and not o.located for o in result.outcomes)


def test_findings_already_in_the_clean_run_are_not_new() -> None:
    # Table 1's second column is wrong before any mutation; mutating the first column must only
    # count the first column's new finding, and mutating table 0 must find nothing in table 1.
    result = run_mutations(
        "hand.md", hand_made_document(wrong_second_column=True), [ColumnFooting()], sample_size=40, seed=3
    )
    assert result.outcomes
    for outcome in result.outcomes:
        assert outcome.located
        assert all(found.startswith(f"Z900@{outcome.table},") for found in outcome.new_findings)
        assert all(found.endswith(",1") for found in outcome.new_findings)


def test_cells_verified_only_under_another_table_number_are_skipped_not_missed() -> None:
    # A rule that numbers tables by position sees table 1 as table 0 when its table is checked
    # alone, so its findings could not be mapped back; those cells must be skipped.
    result = run_mutations(
        "hand.md", hand_made_document(), [ColumnFooting(number_by_position=True)], sample_size=40, seed=1
    )
    assert all(outcome.table == 0 for outcome in result.outcomes)
    assert any(skip.table == 1 and "checked alone" in skip.reason for skip in result.skipped)


def test_a_rule_that_never_reports_detects_nothing() -> None:
    class Silent(ColumnFooting):
        def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
            for _ in super().check(ctx):
                pass  # the relations are still counted; the findings are dropped
            yield from ()

    result = run_mutations("hand.md", hand_made_document(), [Silent()], sample_size=8, seed=1)
    assert len(result.outcomes) == 8
    assert not any(o.detected or o.located for o in result.outcomes)


def test_same_seed_same_sample_and_stratified_kinds() -> None:
    first = run_mutations("hand.md", hand_made_document(), [ColumnFooting()], sample_size=8, seed=5)
    again = run_mutations("hand.md", hand_made_document(), [ColumnFooting()], sample_size=8, seed=5)
    assert first.outcomes == again.outcomes
    by_kind = {k.kind: k.applied for k in first.by_kind}
    assert all(by_kind[kind.value] == 2 for kind in KINDS)
