"""T008 margin-change-mismatch: a 毛利率比上年增减 that the row's revenue, cost and their changes
do not give."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from hecha.extract.roles import AnalyzedTable, ColumnKind, Row, RowKind
from hecha.model.diagnostic import Diagnosis, Diagnostic, Related
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Rule, RuleContext, compare, format_decimal
from hecha.rules.registry import register
from hecha.rules.tables._columns import HUNDRED, amount_interval, figure, show

_CHANGE = re.compile(r"增减|变动|比上年|同比|变化")
_REVENUE = re.compile(r"收入")
_COST = re.compile(r"成本")
_MARGIN = re.compile(r"毛利率")
_ROWS = (RowKind.ITEM, RowKind.SUBTOTAL, RowKind.TOTAL)


@dataclass(frozen=True)
class _Columns:
    revenue: int
    cost: int
    margin: int
    revenue_change: int
    cost_change: int
    margin_change: int


def _find_columns(table: AnalyzedTable) -> _Columns | None:
    """The six columns of a 分行业/分产品/分地区 table, each named by its header; None unless every
    one is named once and no column prints last year's margin (then T004 compares the two)."""
    found: dict[str, list[int]] = {key: [] for key in ("r", "c", "m", "rc", "cc", "mc", "pm")}
    for position, column in enumerate(table.columns):
        if all(figure(row, position) is None for row in table.rows):
            continue  # a column no row fills ("同行业同领域产品毛利率情况" left empty) names nothing
        header = "".join(column.header.split())
        change = bool(_CHANGE.search(header))
        if _MARGIN.search(header):
            if change:
                found["mc"].append(position)
            elif re.search(r"上年|上期|去年", header):
                found["pm"].append(position)
            else:
                found["m"].append(position)
        elif _REVENUE.search(header) and not _COST.search(header):
            found["rc" if change else "r"].append(position)
        elif _COST.search(header) and not _REVENUE.search(header):
            found["cc" if change else "c"].append(position)
    if found["pm"] or any(len(found[key]) != 1 for key in ("r", "c", "m", "rc", "cc", "mc")):
        return None
    columns = _Columns(*(found[key][0] for key in ("r", "c", "m", "rc", "cc", "mc")))
    kinds = table.columns
    if kinds[columns.revenue_change].kind is not ColumnKind.CHANGE_RATE:
        return None
    if kinds[columns.cost_change].kind is not ColumnKind.CHANGE_RATE:
        return None
    return columns


def _labels_points(found: list[tuple[AnalyzedTable, _Columns]]) -> bool:
    """True when the document prints a margin change of these tables as 个百分点: its bare
    "毛利率比上年增减（%）" figures elsewhere (the same rows restated by 治疗领域) are points too."""
    return any(
        cell[1].unit is Unit.PERCENT_POINT
        for table, columns in found
        for row in table.rows
        if (cell := figure(row, columns.margin_change)) is not None
    )


def _padded(table: AnalyzedTable, position: int) -> bool:
    """Every figure of the column ends in a 0 ("5.40%", "-10.70%"): rounded to one digit fewer
    and padded, so its rounding is ten times wider than its printed digits say."""
    figures = [found[1] for row in table.rows if (found := figure(row, position)) is not None]
    return len(figures) >= 2 and all(q.decimals > 0 and q.text.rstrip("%％ ").endswith("0") for q in figures)


def _rate_interval(rate: Quantity, padded: bool) -> Interval:
    if not padded:
        return rate.interval
    half = Decimal(5).scaleb(-rate.decimals)  # half a unit of the digit before the padding
    return Interval(rate.value - half, rate.value + half)


def _prior(amount: Interval, rate: Interval) -> Interval | None:
    """Last year's amount from this year's and its printed change rate: amount / (1 + rate)."""
    factor = Interval.exact(Decimal(1)) + rate.scaled(Decimal(1) / HUNDRED)
    if factor.contains_zero() or factor.low <= 0:
        return None
    return amount / factor


def _margin(revenue: Interval, cost: Interval) -> Interval | None:
    ratio = cost / revenue
    return None if ratio is None else (Interval.exact(Decimal(1)) - ratio).scaled(HUNDRED)


@register
class MarginChangeMismatch(Rule):
    """Margin changes that the row's revenue, cost and their change rates do not give.

    What it checks:
        The 主营业务分行业/分产品/分地区 table prints, per row, 营业收入, 营业成本, 毛利率,
        营业收入比上年增减, 营业成本比上年增减 and 毛利率比上年增减, but not last year's margin.
        Last year's revenue and cost follow from this year's and their printed change rates
        (amount / (1 + rate)), hence last year's margin, hence the margin's change: this year's
        margin minus last year's, in points (or, where a document prints it so, as a relative
        change). The printed rates' rounding is carried through, and so is the rounding of the two
        margins the preparer subtracts (one unit of the stated figure's last digit) or divides (a
        relative change of 28.63% and 29.21% as printed). A bare figure ("-2.07" under
        "毛利率比上年增减（%）") may be either, except in a document that prints a margin change of
        such a table as 个百分点: one document states the change in one unit. Every column
        must be named by its header; a table that prints last year's margin is T004's.

    Why it matters:
        The margin's movement is what inquiry letters ask about first; a 毛利率比上年增减 copied
        from another row or year, or a revenue or cost change rate retyped, makes the three change
        figures of the row contradict each other.

    Failing example:
        生物制药 营业收入 1,517,535,227.34, 营业成本 562,220,894.56, 毛利率 62.95%, 营业收入比上年
        增减 40.88%, 营业成本比上年增减 46.13%, 毛利率比上年增减 减少2.07个百分点: last year's
        margin is 64.28%, the change −1.33 points.

    Passing example:
        The same row with 减少1.33个百分点.

    Options:
        absolute_tolerance: extra points of slack, default 0.
    """

    code = "T008"
    name = "margin-change-mismatch"
    summary = "毛利率比上年增减与收入、成本及其增减率推算结果不符"
    summary_en = "Margin change does not follow from revenue, cost and their change rates"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: MarginChangeMismatch.Options = self.options  # type: ignore[assignment]
        found = [(table, columns) for table in ctx.tables if (columns := _find_columns(table)) is not None]
        in_points = _labels_points(found)
        for table, columns in found:
            for row in table.rows:
                if row.kind not in _ROWS:
                    continue
                finding = self._row(ctx, table, row, columns, options.absolute_tolerance, in_points)
                if finding is not None:
                    yield finding

    def _row(
        self,
        ctx: RuleContext,
        table: AnalyzedTable,
        row: Row,
        columns: _Columns,
        tolerance: Decimal,
        in_points: bool,
    ) -> Diagnostic | None:
        cells = [
            figure(row, position)
            for position in (
                columns.revenue,
                columns.cost,
                columns.margin,
                columns.revenue_change,
                columns.cost_change,
                columns.margin_change,
            )
        ]
        present = [cell for cell in cells if cell is not None]
        if len(present) != len(cells):
            return None
        revenue, cost, margin, revenue_change, cost_change, margin_change = present
        now_revenue = amount_interval(table, table.columns[columns.revenue], revenue[1])
        now_cost = amount_interval(table, table.columns[columns.cost], cost[1])
        prior_revenue = _prior(
            now_revenue, _rate_interval(revenue_change[1], _padded(table, columns.revenue_change))
        )
        prior_cost = _prior(now_cost, _rate_interval(cost_change[1], _padded(table, columns.cost_change)))
        if prior_revenue is None or prior_cost is None:
            return None
        now_margin = _margin(now_revenue, now_cost)
        prior_margin = _margin(prior_revenue, prior_cost)
        if now_margin is None or prior_margin is None:
            return None
        stated = margin_change[1]
        # The preparer subtracts the two margins as printed, each rounded to the stated digits.
        slack = Decimal(1).scaleb(-stated.decimals) + tolerance
        points = (now_margin - prior_margin).widened(slack)
        readings = [points]
        # A relative change is computed on the two margins as printed: each rounded to the
        # margin column's digits (28.63% and last year's 29.21%), which moves the quotient by
        # more than the stated figure's last digit.
        margin_rounding = Decimal(5).scaleb(-margin[1].decimals - 1)
        printed_now = now_margin.widened(margin_rounding)
        printed_prior = prior_margin.widened(margin_rounding)
        change = (printed_now - printed_prior) / printed_prior.abs()
        relative = None if change is None else change.scaled(HUNDRED).widened(slack)
        # A figure printed as 个百分点 is a difference; a bare "%" may be either, unless the
        # document prints its margin changes as 个百分点 elsewhere: one document, one unit.
        if relative is not None and stated.unit is not Unit.PERCENT_POINT and not in_points:
            readings.append(relative)
        held = any(stated.interval.overlaps(reading) for reading in readings)
        ctx.stats.relation(
            table.table.index,
            held=held,
            cells=[cell[0].location for cell in present],
        )
        if held:
            return None
        comparison = compare(stated, now_margin - prior_margin, tolerance)
        if comparison is None:
            return None
        digits = max(stated.decimals, 2)
        before = format_decimal(prior_margin.mid, digits)
        computed = format_decimal((now_margin - prior_margin).mid, digits)
        label = row.label
        diagnostic = self.diagnostic(
            message=(
                f"{label}毛利率比上年增减列示 {stated.text}，按营业收入 {show(revenue[1])}、营业成本 "
                f"{show(cost[1])} 及其比上年增减 {show(revenue_change[1])}、{show(cost_change[1])} "
                f"推算上年毛利率为 {before}%，毛利率变动应为 {computed} 个百分点"
            ),
            message_en=(
                f"{label}: margin change stated as {stated.text}; revenue {show(revenue[1])} and cost "
                f"{show(cost[1])} with their changes {show(revenue_change[1])} and "
                f"{show(cost_change[1])} give last year's margin {before}%, a change of {computed} points"
            ),
            location=margin_change[0].location,
            comparison=comparison,
            related=(
                Related(revenue[0].location, "营业收入"),
                Related(cost[0].location, "营业成本"),
                Related(margin[0].location, "毛利率"),
                Related(revenue_change[0].location, "营业收入比上年增减"),
                Related(cost_change[0].location, "营业成本比上年增减"),
            ),
        )
        if relative is not None and stated.interval.overlaps(relative):
            rate = format_decimal(relative.mid, digits)
            labelled = stated.unit is Unit.PERCENT_POINT
            diagnostic = replace(
                diagnostic,
                diagnosis=Diagnosis(
                    kind="wrong-unit",
                    sentence=(
                        f"列示数是毛利率的相对变动（{rate}%），却标为个百分点"
                        if labelled
                        else f"列示数是毛利率的相对变动（{rate}%），而本文件的毛利率变动以个百分点列示"
                    ),
                    sentence_en=(
                        f"the figure is the margin's relative change ({rate}%), labelled as points"
                        if labelled
                        else f"the figure is the margin's relative change ({rate}%), while the document "
                        "states margin changes in points"
                    ),
                ),
            )
        return diagnostic
