"""T006 margin-mismatch: a 毛利率 that is not (revenue − cost) / revenue, or a 毛利 that is not
revenue − cost."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.periods import period_rank
from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Quantity
from hecha.rules.base import Rule, RuleContext, compare, format_decimal
from hecha.rules.registry import register
from hecha.rules.tables._columns import (
    AMOUNT_KINDS,
    HUNDRED,
    MappingOptions,
    Operand,
    RowCheck,
    amount_interval,
    column_period,
    failures,
    figure,
    label_of,
    own_scale,
    pick,
    positions,
    ratio_percent,
    row_check,
    scale_of,
    show,
    term,
)

_CHANGE_WORDS = re.compile(r"增减|变动|比上年|同比|占|变化|增长|差异")
_REVENUE = re.compile(r"收入")
_COST = re.compile(r"成本")
_GROSS_PROFIT = re.compile(r"毛利(?!率)")
_MARGIN = re.compile(r"毛利率")


def _measures(text: str, pattern: re.Pattern[str], *excluded: re.Pattern[str]) -> bool:
    return (
        bool(pattern.search(text))
        and not _CHANGE_WORDS.search(text)
        and not any(other.search(text) for other in excluded)
    )


def _is_revenue(text: str) -> bool:
    return _measures(text, _REVENUE, _COST, _GROSS_PROFIT, _MARGIN)


def _is_cost(text: str) -> bool:
    return _measures(text, _COST, _REVENUE, _MARGIN, _GROSS_PROFIT)


def _is_gross_profit(text: str) -> bool:
    return _measures(text, _GROSS_PROFIT, _MARGIN)


@register
class MarginMismatch(Rule):
    """Gross margins and gross profits that do not follow from revenue and cost.

    What it checks:
        In a table with revenue (营业收入, 收入), cost (营业成本, 成本) and gross margin (毛利率)
        columns, each row's margin equals (revenue − cost) / revenue; a gross-profit column (毛利)
        equals revenue − cost. Transposed tables, with rows 营业收入 / 营业成本 / 毛利 / 毛利率 and
        one column per period or segment, are checked column by column. Columns are matched by
        their headers (and period) and the matching is confirmed by the data: it counts only when
        most rows (or columns) satisfy it, or when its only failure is one row and another row
        holds to three significant digits. Costs printed as negative deductions are recognised
        when the table prints them so (the data decides for the whole table, not row by row).
        Change columns (毛利率比上年增减) belong to T004.

    Why it matters:
        Margins are the figure inquiry letters ask about most; a margin that does not follow from
        the printed revenue and cost undermines the explanation built on it.

    Failing example:
        | 项目 | 收入（万元） | 成本（万元） | 毛利率 |, rows 直销 18,564.22 | 14,191.50 | 23.55%,
        贸易 15,301.36 | 14,625.21 | 5.42%, 合计 33,865.58 | 28,816.71 | 14.91%:
        (15,301.36 − 14,625.21) / 15,301.36 = 4.42%.

    Passing example:
        The same table with 4.42%.

    Options:
        absolute_tolerance: extra percentage points (or amount units for gross profit), default 0.
        min_rows_held: rows or columns that must satisfy a matching before it is trusted, default 2.
        min_held_share: share of tested rows that must satisfy it, default 2/3.
    """

    code = "T006"
    name = "margin-mismatch"
    summary = "毛利率或毛利与收入、成本计算结果不符"
    summary_en = "Gross margin or gross profit does not follow from revenue and cost"

    @dataclass(frozen=True)
    class Options(MappingOptions):
        """The shared mapping tunables, documented above."""

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: MarginMismatch.Options = self.options  # type: ignore[assignment]
        for table in ctx.tables:
            mappings = [*_column_mappings(table, options.absolute_tolerance)]
            mappings.extend(_transposed_mappings(table, options.absolute_tolerance))
            for checks in mappings:
                if not options.trusts(checks):
                    continue
                for check in failures(ctx, table, checks):
                    yield self._finding(check, options.absolute_tolerance)

    def _finding(self, check: RowCheck, tolerance: Decimal) -> Diagnostic:
        comparison = compare(check.stated, check.nearest, tolerance)
        revenue, cost = check.operands
        rev, cst = show(revenue.quantity), show(cost.quantity)
        label = check.row.label
        if check.relation == "margin":
            computed = format_decimal(check.nearest.mid, max(check.stated.decimals, 2)) + "%"
            message = f"{label}毛利率列示 {show(check.stated)}，按 ({rev} − {cst}) / {rev} 计算为 {computed}"
            message_en = (
                f"{label}: gross margin stated as {show(check.stated)}, "
                f"({rev} − {cst}) / {rev} gives {computed}"
            )
        else:
            computed = format_decimal(check.nearest.mid, check.stated.decimals)
            message = f"{label}毛利列示 {show(check.stated)}，按 {rev} − {cst} 计算为 {computed}"
            message_en = (
                f"{label}: gross profit stated as {show(check.stated)}, {rev} − {cst} gives {computed}"
            )
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=check.stated_cell.location,
            comparison=comparison,
            relation=check.formula,
            related=(
                Related(revenue.cell.location, f"收入 {revenue.label}"),
                Related(cost.cell.location, f"成本 {cost.label}"),
            ),
        )


def _compatible(a: Column, b: Column) -> bool:
    """Two columns may describe the same period: equal periods, or no period on either."""
    rank_a, rank_b = period_rank(column_period(a)), period_rank(column_period(b))
    if rank_a is None or rank_b is None:
        return (rank_a is None and rank_b is None) or (not a.group or not b.group or a.group == b.group)
    return rank_a == rank_b


def _column_mappings(table: AnalyzedTable, tolerance: Decimal) -> Iterator[list[RowCheck]]:
    amounts = positions(table, AMOUNT_KINDS)
    revenues = [p for p in amounts if _is_revenue(table.columns[p].header)]
    costs = [p for p in amounts if _is_cost(table.columns[p].header)]
    pairs = [(r, c) for r in revenues for c in costs if _compatible(table.columns[r], table.columns[c])]
    margins = [
        p
        for p in positions(table, frozenset({ColumnKind.MARGIN, ColumnKind.PERCENT}))
        if _measures(table.columns[p].header, _MARGIN)
    ]
    profits = [p for p in amounts if _is_gross_profit(table.columns[p].header)]
    for stated in margins + profits:
        relation = "margin" if stated in margins else "gross-profit"
        candidates = [
            [
                check
                for row in table.rows
                if (check := _relation(table, row, relation, stated, r, c, tolerance, deduction)) is not None
            ]
            for r, c in pairs
            if _compatible(table.columns[stated], table.columns[r])
            for deduction in _conventions([figure(row, c) for row in table.rows])
        ]
        chosen = pick(candidates)
        if chosen:
            yield chosen


def _relation(
    table: AnalyzedTable,
    row: Row,
    relation: str,
    stated_position: int,
    revenue_position: int,
    cost_position: int,
    tolerance: Decimal,
    deduction: bool,
    stated_row: Row | None = None,
    revenue_row: Row | None = None,
    cost_row: Row | None = None,
) -> RowCheck | None:
    """One margin or gross-profit relation; the rows default to ``row`` (row layout).

    ``deduction``: costs are printed as negative deductions ("减：营业成本" -1,234), so gross
    profit is revenue + the printed cost. The convention is the table's, chosen by the data for
    the whole mapping: taking |cost| on every row would let a sign flipped by mistake pass.
    """
    stated_row, revenue_row, cost_row = stated_row or row, revenue_row or row, cost_row or row
    stated = figure(stated_row, stated_position)
    revenue = figure(revenue_row, revenue_position)
    cost = figure(cost_row, cost_position)
    if stated is None or revenue is None or cost is None:
        return None
    revenue_column, cost_column = table.columns[revenue_position], table.columns[cost_position]
    revenue_interval = amount_interval(table, revenue_column, revenue[1])
    cost_interval = amount_interval(table, cost_column, cost[1])
    if deduction:
        cost_interval = -cost_interval
    operands = (
        Operand(revenue[0], revenue[1], label_of(table, revenue_row, revenue_column)),
        Operand(cost[0], cost[1], label_of(table, cost_row, cost_column)),
    )
    gross = revenue_interval - cost_interval
    revenue_scale = own_scale(table, revenue_column, revenue[1])
    cost_scale = own_scale(table, cost_column, cost[1])
    # A cost printed as a deduction enters with its sign reversed: sign × value is the cost.
    cost_sign = -1 if deduction else 1
    expected: Interval | None
    if relation == "margin":
        # 1 − cost / revenue: (revenue − cost) / revenue would count revenue's rounding twice.
        cost_share = ratio_percent(cost_interval, revenue_interval)
        expected = Interval.exact(HUNDRED) - cost_share if cost_share is not None else None
        formula = Relation(
            RelationForm.MARGIN,
            (
                term("revenue", *revenue),
                term("cost", *cost, shift=cost_scale - revenue_scale, sign=cost_sign),
            ),
            HUNDRED,
        )
    else:
        stated_scale = scale_of(table, table.columns[stated_position])
        expected = gross.scaled(Decimal(1).scaleb(-stated_scale))
        # Gross profit = revenue − cost (revenue + the printed cost when it is a deduction).
        formula = Relation(
            RelationForm.SUM,
            (
                term("addend", *revenue, shift=revenue_scale - stated_scale),
                term("addend", *cost, shift=cost_scale - stated_scale, sign=-cost_sign),
            ),
        )
    if expected is None:
        return None
    return row_check(relation, stated_row, stated, operands, [expected], tolerance, formula=formula)


def _conventions(costs: list[tuple[Cell, Quantity] | None]) -> tuple[bool, ...]:
    """The cost-sign conventions to try: as printed, and as deductions when most costs are negative.

    Costs are printed positive unless the table shows otherwise; a lone negative cost among
    positive ones is a sign to check, not a convention.
    """
    values = [found[1].value for found in costs if found is not None and found[1].value != 0]
    negative = sum(1 for value in values if value < 0)
    return (False, True) if negative > len(values) - negative else (False,)


def _transposed_mappings(table: AnalyzedTable, tolerance: Decimal) -> Iterator[list[RowCheck]]:
    """Rows 营业收入 / 营业成本 / 毛利 / 毛利率, one relation per figure column."""
    rows = list(table.rows)
    revenue = next((row for row in rows if _is_revenue(row.label)), None)
    cost = next((row for row in rows if _is_cost(row.label)), None)
    if revenue is None or cost is None:
        return
    margin = next((row for row in rows if _measures(row.label, _MARGIN)), None)
    profit = next((row for row in rows if _is_gross_profit(row.label)), None)
    for stated_row, relation in ((margin, "margin"), (profit, "gross-profit")):
        if stated_row is None:
            continue
        candidates = []
        costs = [figure(cost, position) for position in range(len(table.columns))]
        for deduction in _conventions(costs):
            checks = []
            for position, column in enumerate(table.columns):
                if column.kind in (ColumnKind.LABEL, ColumnKind.CHANGE_RATE, ColumnKind.PP_CHANGE):
                    continue
                check = _relation(
                    table,
                    stated_row,
                    relation,
                    position,
                    position,
                    position,
                    tolerance,
                    deduction,
                    stated_row=stated_row,
                    revenue_row=revenue,
                    cost_row=cost,
                )
                if check is not None:
                    checks.append(check)
            candidates.append(checks)
        chosen = pick(candidates)
        if chosen:
            yield chosen
