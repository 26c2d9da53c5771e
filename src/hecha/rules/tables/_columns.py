"""Shared reading of ratio columns for the share, change-rate, percentage-point and margin rules.

Deciding which columns a share, change or margin column refers to is guesswork from headers; these
helpers propose candidate mappings (by period, group and header stem) and the rules keep only the
mapping that most rows of the table satisfy (``trusted``). Percent figures are handled in percent
units throughout: "54.82%" and a "54.82" under a "(%)" header are both 54.82.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row, RowKind
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import format_decimal

HUNDRED = Decimal(100)

AMOUNT_KINDS = frozenset({ColumnKind.AMOUNT})
PERCENT_KINDS = frozenset({ColumnKind.SHARE, ColumnKind.MARGIN, ColumnKind.PERCENT})
CHANGE_KINDS = frozenset({ColumnKind.CHANGE_RATE, ColumnKind.PP_CHANGE, ColumnKind.DIFFERENCE})

_RELATIVE_CURRENT = ("本期", "本年", "本报告期", "报告期", "期末", "本年末", "年末", "当期", "本月")
_RELATIVE_PRIOR = ("上期", "上年", "上年同期", "同期", "期初", "年初", "上年末", "去年", "上月")
_YEAR = re.compile(r"(19|20)\d{2}")
_MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-–~至]\s*(\d{1,2})\s*月")
_MONTH = re.compile(r"(\d{1,2})\s*月")
_QUARTER = {"一季度": 3, "二季度": 6, "三季度": 9, "四季度": 12, "第1季度": 3, "第2季度": 6, "第3季度": 9}
_STEM_NOISE = re.compile(
    r"(19|20)\d{2}|\d+|[年度月日末初季第一二三四上下半本期同]|[()（）\[\]【】/\s%％:：\-–~至]|人民币|亿元|万元|千元|元|金额|数额"
)
_PERCENT_LABEL = re.compile(r"率|占比|比例|比重|百分比")


def period_rank(text: str | None) -> tuple[int, int, int] | None:
    """A sortable key for a period header: later periods rank higher; None when none is named.

    Years give (1, year, month-end); relative words give (0, 1, 0) for the current period and
    (0, 0, 0) for the prior one, so that a year and a relative word are never compared.
    """
    if not text:
        return None
    year_match = _YEAR.search(text)
    if year_match:
        year = int(year_match.group(0))
        rest = text[year_match.end() :]
        month = 12
        range_match = _MONTH_RANGE.search(rest)
        month_match = _MONTH.search(rest)
        if range_match:
            month = int(range_match.group(2))
        elif month_match and "日" in rest:
            month = int(month_match.group(1))
        else:
            for word, end in _QUARTER.items():
                if word in rest:
                    month = end
                    break
        if "初" in rest and "末" not in rest:
            month = 0
        return (1, year, month)
    if any(word in text for word in _RELATIVE_PRIOR):
        return (0, 0, 0)
    if any(word in text for word in _RELATIVE_CURRENT):
        return (0, 1, 0)
    return None


def header_stem(header: str) -> str:
    """The header without periods, units and punctuation: what the column measures ("收入")."""
    return _STEM_NOISE.sub("", header)


def column_period(column: Column) -> str | None:
    if column.period:
        return column.period
    return column.header if period_rank(column.header) is not None else None


def scale_of(table: AnalyzedTable, column: Column) -> int:
    if column.scale is not None:
        return column.scale
    return table.scale if table.scale is not None else 0


def amount_interval(table: AnalyzedTable, column: Column, quantity: Quantity) -> Interval:
    """The amount in base units, so that figures with and without attached scale words compare."""
    return quantity.in_base_units(scale_of(table, column))


def is_percent_row(row: Row, *quantities: Quantity) -> bool:
    """A row of rates inside an amount table (研发人员数量占比 13.45% …): its change is in points."""
    return any(q.unit in (Unit.PERCENT, Unit.PERCENT_POINT) for q in quantities) or bool(
        _PERCENT_LABEL.search(row.label)
    )


def figure(row: Row, position: int) -> tuple[Cell, Quantity] | None:
    """The cell and quantity at ``position`` of ``row``, or None for a blank or text cell."""
    if position >= len(row.cells):
        return None
    cell = row.cells[position]
    if cell is None or cell.quantity is None or cell.blank:
        return None
    return cell, cell.quantity


def show(quantity: Quantity) -> str:
    """A figure as printed, without extraction's stray spaces: 34,789.38 / 44.75%."""
    text = format_decimal(quantity.value, quantity.decimals)
    if quantity.unit is Unit.PERCENT:
        return text + "%"
    return text


def show_percent(value: Decimal, decimals: int = 2) -> str:
    return format_decimal(value, decimals) + "%"


def ratio_percent(numerator: Interval, denominator: Interval) -> Interval | None:
    """numerator / denominator × 100, or None when the denominator may be zero."""
    quotient = numerator / denominator
    return quotient.scaled(HUNDRED) if quotient is not None else None


def label_of(table: AnalyzedTable, row: Row, column: Column) -> str:
    """A related-cell label: the row label and the column header ("营业收入 2025年度 / 金额")."""
    return f"{row.label} {column.header}".strip()


def positions(table: AnalyzedTable, kinds: frozenset[ColumnKind]) -> list[int]:
    return [i for i, column in enumerate(table.columns) if column.kind in kinds]


def period_pairs(table: AnalyzedTable, pool: Sequence[int]) -> list[tuple[int, int]]:
    """Ordered (current, prior) pairs of columns in ``pool`` that measure the same thing.

    Two columns pair when their periods are both known and differ (the later is current), or
    when their header stems agree and no period tells them apart (then both orders are proposed
    and the data decides).
    """
    pairs: list[tuple[int, int]] = []
    for a_index, a in enumerate(pool):
        for b in pool[a_index + 1 :]:
            col_a, col_b = table.columns[a], table.columns[b]
            if col_a.kind != col_b.kind:
                continue
            rank_a, rank_b = period_rank(column_period(col_a)), period_rank(column_period(col_b))
            same_stem = header_stem(col_a.header) == header_stem(col_b.header)
            if rank_a is not None and rank_b is not None and rank_a[0] == rank_b[0]:
                if rank_a == rank_b:
                    continue
                if not same_stem and header_stem(col_a.header) and header_stem(col_b.header):
                    continue
                pairs.append((a, b) if rank_a > rank_b else (b, a))
            elif same_stem:
                pairs.append((a, b))
                pairs.append((b, a))
    return pairs


def group_pool(table: AnalyzedTable, position: int, pool: Sequence[int]) -> list[int]:
    """``pool`` narrowed to the column's own header group when that group holds a pair."""
    group = table.columns[position].group
    if group:
        inside = [p for p in pool if table.columns[p].group == group]
        if len(inside) >= 2:
            return inside
    return list(pool)


def body_rows(table: AnalyzedTable) -> list[Row]:
    return [row for row in table.rows if row.kind is not RowKind.OTHER or row.label]


@dataclass(frozen=True, slots=True)
class Operand:
    """A figure a relation reads, with the label a finding shows for it."""

    cell: Cell
    quantity: Quantity
    label: str


@dataclass(frozen=True, slots=True)
class RowCheck:
    """One relation evaluated on one row (or one column of a transposed table).

    ``relation`` names it ("rate", "difference", "pp", "share", "margin", "gross-profit");
    ``expected`` is the recomputed interval in the stated figure's units (percent for ratios),
    ``alternatives`` other readings a document may use (a negative prior's sign); ``held`` is
    True when the stated interval, widened by the tolerance, meets any of them.
    """

    relation: str
    row: Row
    stated_cell: Cell
    stated: Quantity
    operands: tuple[Operand, ...]
    expected: Interval
    held: bool
    alternatives: tuple[Interval, ...] = ()
    denominator_label: str = ""

    @property
    def nearest(self) -> Interval:
        """The reading closest to the stated figure: what a finding reports as expected."""
        readings = (self.expected, *self.alternatives)
        return min(readings, key=lambda reading: reading.distance(self.stated.interval))


def holds(stated: Quantity, intervals: Iterable[Interval], tolerance: Decimal) -> bool:
    widened = stated.interval.widened(tolerance)
    return any(widened.overlaps(interval) for interval in intervals)


def row_check(
    relation: str,
    row: Row,
    stated: tuple[Cell, Quantity],
    operands: tuple[Operand, ...],
    readings: Sequence[Interval],
    tolerance: Decimal,
    denominator_label: str = "",
) -> RowCheck:
    return RowCheck(
        relation=relation,
        row=row,
        stated_cell=stated[0],
        stated=stated[1],
        operands=operands,
        expected=readings[0],
        alternatives=tuple(readings[1:]),
        held=holds(stated[1], readings, tolerance),
        denominator_label=denominator_label,
    )


def trusted(checks: Sequence[RowCheck], min_rows_held: int, min_held_share: Fraction) -> bool:
    """Most rows (at least ``min_held_share`` of them and ``min_rows_held``) satisfy the mapping.

    A mapping most rows break means hecha misread the table: it is then unverified, not wrong.
    """
    held = sum(1 for check in checks if check.held)
    if held < min_rows_held or not checks:
        return False
    return Fraction(held, len(checks)) >= min_held_share


def pick(candidates: Iterable[list[RowCheck]]) -> list[RowCheck]:
    """The candidate mapping most rows satisfy (ties: fewer failures, then the first proposed)."""
    chosen: list[RowCheck] = []
    chosen_score = (0, 0)
    for checks in candidates:
        held = sum(1 for check in checks if check.held)
        score = (held, -(len(checks) - held))
        if checks and (not chosen or score > chosen_score):
            chosen, chosen_score = checks, score
    return chosen


# --- change columns (T003 rate/difference, T004 percentage points) ---------------------------


def _operand(table: AnalyzedTable, row: Row, position: int, found: tuple[Cell, Quantity]) -> Operand:
    return Operand(found[0], found[1], label_of(table, row, table.columns[position]))


def _change_checks(
    table: AnalyzedTable,
    change: int,
    current: int,
    prior: int,
    tolerance: Decimal,
) -> list[RowCheck]:
    """Each row's change under the pairing (current, prior).

    A row of percentages (by unit, by a 率/占比 label, or in share/margin columns) changes in
    points; a row of amounts changes by a rate, or by a difference in a DIFFERENCE column. A
    rate-like column over percentages may print either, so both readings are accepted there.
    """
    change_kind = table.columns[change].kind
    percent_columns = {table.columns[current].kind, table.columns[prior].kind} <= {
        ColumnKind.SHARE,
        ColumnKind.MARGIN,
    }
    checks: list[RowCheck] = []
    for row in table.rows:
        stated = figure(row, change)
        now, before = figure(row, current), figure(row, prior)
        if stated is None or now is None or before is None:
            continue
        operands = (
            _operand(table, row, current, now),
            _operand(table, row, prior, before),
        )
        if percent_columns or is_percent_row(row, now[1], before[1]):
            readings = [now[1].interval - before[1].interval]
            if change_kind not in (ColumnKind.PP_CHANGE, ColumnKind.DIFFERENCE):
                readings.extend(_relative_change(now[1].interval, before[1].interval))
            checks.append(row_check("pp", row, stated, operands, readings, tolerance))
        elif change_kind is ColumnKind.DIFFERENCE:
            difference = amount_interval(table, table.columns[current], now[1]) - amount_interval(
                table, table.columns[prior], before[1]
            )
            stated_scale = scale_of(table, table.columns[change])
            unscaled = difference.scaled(Decimal(1).scaleb(-stated_scale))
            checks.append(row_check("difference", row, stated, operands, [unscaled], tolerance))
        elif change_kind is not ColumnKind.PP_CHANGE:
            relative = _relative_change(
                amount_interval(table, table.columns[current], now[1]),
                amount_interval(table, table.columns[prior], before[1]),
            )
            if relative:
                checks.append(row_check("rate", row, stated, operands, relative, tolerance))
    return checks


def _relative_change(current: Interval, prior: Interval) -> list[Interval]:
    """(current − prior) / |prior| × 100, and / prior when prior is negative; [] when prior may be 0."""
    if prior.contains_zero():
        return []
    delta = current - prior
    main = ratio_percent(delta, prior.abs())
    if main is None:
        return []
    readings = [main]
    if prior.high < 0:
        signed = ratio_percent(delta, prior)
        if signed is not None:
            readings.append(signed)
    return readings


_CHANGE_HEADER = re.compile(r"变动|增减|变化|增长|差异|同比|比上年|涨幅|降幅")


def change_positions(table: AnalyzedTable) -> list[int]:
    """Change columns: those the roles name, and percentage columns headed 变动 / 增减 without a period."""
    found = []
    for position, column in enumerate(table.columns):
        if column.kind in CHANGE_KINDS or (
            column.kind in (ColumnKind.PERCENT, ColumnKind.OTHER)
            and _CHANGE_HEADER.search(column.header)
            and period_rank(column_period(column)) is None
        ):
            found.append(position)
    return found


def change_mapping(table: AnalyzedTable, change: int, tolerance: Decimal) -> list[RowCheck]:
    """The pairing of a change column's two periods, chosen among the candidate pairs by the data.

    Candidates are pairs of same-kind figure columns of two periods (or with the same header
    stem); the pairing most rows satisfy is returned with every row's check.
    """
    changes = set(change_positions(table))
    figures = [
        position
        for position, column in enumerate(table.columns)
        if position not in changes and column.kind is not ColumnKind.LABEL
    ]
    pool = group_pool(table, change, figures)
    return pick(
        _change_checks(table, change, current, prior, tolerance)
        for current, prior in period_pairs(table, pool)
    )
