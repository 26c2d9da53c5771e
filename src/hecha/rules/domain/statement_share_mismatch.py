"""D008 statement-share-mismatch: a share of 总资产 / 利润总额 / 营业收入 printed beside an amount
that the amount and the statements' figure do not give."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.factbase import FactBase
from hecha.extract.roles import AnalyzedTable, ColumnKind
from hecha.ingest.numbers import squeezed
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Cell
from hecha.model.facts import Fact, FactSource, Period
from hecha.model.quantity import Interval
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
from hecha.rules.prose._linking import FigureKind, Operand, fact_scale, in_base_units, lookup, shown
from hecha.rules.registry import register
from hecha.rules.tables._columns import figure, scale_of

HUNDRED = Decimal(100)
Place = tuple[int | None, int | None, int | None]  # (table, row, col) of a cell

# The base a share column's header names, and the fact base's metric for it.
_BASE_HEADER = re.compile(r"占(总资产|资产总额|资产总计|利润总额|营业收入|营业总收入)")
_BASE_METRIC = {
    "总资产": "总资产",
    "资产总额": "总资产",
    "资产总计": "总资产",
    "利润总额": "利润总额",
    "营业收入": "营业收入",
    "营业总收入": "营业总收入",
}
# A balance is stated at the year's end; a flow for the year.
_BALANCES = frozenset({"总资产"})
# Rows of a share column that must hold on the same base before one that does not is reported:
# a column that holds in few rows speaks of another base (a segment's assets, the parent company,
# another year's total) or of amounts in another unit.
_MIN_SUPPORT = 2
_MIN_SHARE = Decimal("0.75")


def _supported(holding: int, rows: int) -> bool:
    return holding >= _MIN_SUPPORT and holding >= _MIN_SHARE * rows


@dataclass(frozen=True)
class _Share:
    """One share cell, the amount beside it and the base it is a share of."""

    cell: Cell
    amount: Cell
    amount_scale: int
    base_metric: str
    base: Operand
    ratio: Interval  # on the nearest amount left of the share
    others: tuple[Interval, ...]  # on the row's other amounts left of it


@register
class StatementShareMismatch(Rule):
    """A share of the year's 总资产, 利润总额 or 营业收入 that the amount beside it does not give.

    What it checks:
        Annual reports print items with their share of a statement total that the table itself
        does not hold: 资产及负债状况 (金额 | 占总资产的比例, per year), 非主营业务分析 (金额 |
        占利润总额比例). Each share must equal the amount / that year's total as the statements
        state it × 100. The base is found in the document's facts (资产总计 at the year's end,
        利润总额 and 营业收入 for the year); a share whose base is not stated once and the same
        everywhere is not judged. A share may be of any amount printed left of it in its row (a
        project's 投入总额, not the 资本化 part beside the share); the finding recomputes the
        nearest one. A column is judged only when at least two of its rows, and three quarters of
        them, hold on that base: a column that holds in few rows is a share of something else (the
        parent company's assets, a segment's revenue, another year's total).

    Why it matters:
        A share of total assets or of profit is how a reader weighs an item; one computed on an
        old total or a wrong amount misstates that weight, and inquiry letters ask about it.

    Failing example:
        货币资金 1,516,034,246.28 元 | 本期期末数占总资产的比例 24.51 with 资产总计
        6,278,282,683.24 元: 24.15.

    Passing example:
        The same row with 24.15.

    Options:
        absolute_tolerance: extra percentage points of slack (default 0).
    """

    code = "D008"
    name = "statement-share-mismatch"
    summary = "占总资产、利润总额或营业收入比例与金额 / 报表数计算结果不符"
    summary_en = "A share of total assets, total profit or revenue does not equal the amount over that total"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: StatementShareMismatch.Options = self.options  # type: ignore[assignment]
        columns = [(table, position) for table in ctx.tables for position in _share_columns(table)]
        if not columns:
            return
        facts = ctx.facts
        by_place: dict[Place, Fact] = {
            (f.location.table, f.location.row, f.location.col): f
            for f in facts.facts
            if f.source is FactSource.TABLE and f.location.table is not None
        }
        for table, position in columns:
            shares = _shares(table, position, facts, by_place)
            holding = [s for s in shares if _holds(s, options.absolute_tolerance)]
            if not _supported(len(holding), len(shares)):
                continue  # the column is a share of another base
            # A held row counts as checked only where a misprint in it would still be reported:
            # the column must stay supported without it.
            reportable = _supported(len(holding) - 1, len(shares))
            for share in shares:
                held = share in holding
                if held and not reportable:
                    continue
                ctx.stats.relation(
                    table.table.index, held=held, cells=[share.cell.location, share.amount.location]
                )
                if held:
                    continue
                assert share.cell.quantity is not None
                comparison = compare(share.cell.quantity, share.ratio, options.absolute_tolerance)
                if comparison is not None:
                    yield self._finding(table, share, comparison)

    def _finding(self, table: AnalyzedTable, share: _Share, comparison: Comparison) -> Diagnostic:
        assert share.cell.quantity is not None and share.amount.quantity is not None
        stated = share.cell.quantity
        digits = max(stated.decimals, 2)
        expected = format_decimal(share.ratio.mid, digits)
        label = next((row.label for row in table.rows if share.cell in row.cells), "")
        base_text = shown(share.base.best)
        message = (
            f"{label}占{share.base_metric}比例列示 {stated.text}，按 {share.amount.text} / "
            f"{share.base_metric} {base_text} 计算为 {expected}%"
        )
        message_en = (
            f"{label}: share of {share.base_metric} stated as {stated.text}; {share.amount.text} / "
            f"{base_text} gives {expected}%"
        )
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=share.cell.location,
            comparison=comparison,
            related=(
                Related(share.amount.location, "金额"),
                Related(share.base.best.location, share.base_metric),
            ),
            relation=_relation(share),
        )


def _share_columns(table: AnalyzedTable) -> list[int]:
    return [
        position
        for position, column in enumerate(table.columns)
        if column.kind is ColumnKind.SHARE
        and _BASE_HEADER.search(squeezed(column.header)) is not None
        and any(column.kind is ColumnKind.AMOUNT for column in table.columns[:position])
    ]


def _shares(
    table: AnalyzedTable, position: int, facts: FactBase, by_place: dict[Place, Fact]
) -> list[_Share]:
    match = _BASE_HEADER.search(squeezed(table.columns[position].header))
    assert match is not None
    metric = _BASE_METRIC[match.group(1)]
    amounts = [p for p in range(position - 1, -1, -1) if table.columns[p].kind is ColumnKind.AMOUNT]
    shares = []
    for row in table.rows:
        share = figure(row, position)
        printed = [(p, found) for p in amounts if (found := figure(row, p)) is not None]
        if share is None or not printed or row.label.strip() in ("合计", "总计"):
            continue
        nearest_position, nearest = printed[0]
        location = nearest[0].location
        fact = by_place.get((location.table, location.row, location.col))
        if fact is None or fact.period is None or fact.metric == metric:
            continue
        base = _base(facts, metric, fact.period)
        if base is None:
            continue
        ratios = []
        for p, amount in printed:
            ratio = in_base_units(amount[1], scale_of(table, table.columns[p])) / base.value
            if ratio is not None:
                ratios.append(ratio.scaled(HUNDRED))
        if len(ratios) != len(printed):
            continue
        scale = scale_of(table, table.columns[nearest_position])
        shares.append(_Share(share[0], nearest[0], scale, metric, base, ratios[0], tuple(ratios[1:])))
    return shares


def _base(facts: FactBase, metric: str, period: Period) -> Operand | None:
    """The company's ``metric`` for ``period`` as the tables state it (a balance at the year's end)."""
    keys = [period.key]
    if metric in _BALANCES and re.fullmatch(r"\d{4}", period.key):
        keys.insert(0, f"{period.key}-12-31")
    for key in keys:
        found = lookup(facts, metric, "", Period(key, period.text), (FigureKind.AMOUNT,), (FactSource.TABLE,))
        if found is not None:
            return found
    return None


def _holds(share: _Share, tolerance: Decimal) -> bool:
    assert share.cell.quantity is not None
    stated = share.cell.quantity.interval.widened(tolerance)
    return any(stated.overlaps(ratio) for ratio in (share.ratio, *share.others))


def _relation(share: _Share) -> Relation:
    """amount / base × 100, both in the coarser of their units."""
    assert share.amount.quantity is not None
    base_scale = fact_scale(share.base.best) or 0
    unit = max(share.amount_scale, base_scale)
    amount_shift = share.amount_scale - unit
    base_shift = base_scale - unit
    amount = share.amount.quantity
    best = share.base.best.quantity
    return Relation(
        RelationForm.RATIO,
        (
            Term(
                "numerator",
                share.amount.location,
                amount.value.scaleb(amount_shift),
                amount.decimals - amount_shift,
            ),
            Term(
                "denominator",
                share.base.best.location,
                best.value.scaleb(base_shift),
                best.decimals - base_shift,
            ),
        ),
        HUNDRED,
    )
