"""Shared reading of ratio columns for the share, change-rate, percentage-point and margin rules.

Deciding which columns a share, change or margin column refers to is guesswork from headers; these
helpers propose candidate mappings (by period, group and header stem) and the rules keep only the
mapping that most rows of the table satisfy (``trusted``). Percent figures are handled in percent
units throughout: "54.82%" and a "54.82" under a "(%)" header are both 54.82.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from hecha.extract.periods import period_rank
from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row, RowKind
from hecha.model.diagnostic import Relation, RelationForm, Term
from hecha.model.document import Cell, Location
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import RuleContext, format_decimal

HUNDRED = Decimal(100)

AMOUNT_KINDS = frozenset({ColumnKind.AMOUNT})
CHANGE_KINDS = frozenset({ColumnKind.CHANGE_RATE, ColumnKind.PP_CHANGE, ColumnKind.DIFFERENCE})

_STEM_NOISE = re.compile(
    r"(19|20)\d{2}|报告期|\d+|[年度月日末初季第一二三四上下半本期同]|[()（）\[\]【】/\s%％:：\-–~至]|人民币|亿元|万元|千元|元|金额|数额"
)
_PERCENT_LABEL = re.compile(r"率|占比|比例|比重|百分比")


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


def own_scale(table: AnalyzedTable, column: Column, quantity: Quantity) -> int:
    """The power of ten of the unit the figure is printed in: its own scale word, else its column's."""
    return quantity.scale if quantity.scale is not None else scale_of(table, column)


def term(role: str, cell: Cell, quantity: Quantity, shift: int = 0, sign: int = 1) -> Term:
    """A relation operand: the printed figure, moved ``shift`` powers of ten into the relation's
    unit (value × 10^shift, with its decimals moved alike so that its rounding stays the same)."""
    return Term(
        role=role,
        location=cell.location,
        value=quantity.value.scaleb(shift) if shift else quantity.value,
        decimals=quantity.decimals - shift,
        sign=sign,
    )


def ratio_relation(
    numerators: Sequence[Term], denominators: Sequence[Term], scale: Decimal = HUNDRED
) -> Relation:
    """Σ sign × numerator / Σ sign × denominator × ``scale`` (a share over a sum of items has
    several denominator terms; (c − p) / p has two numerator terms)."""
    return Relation(RelationForm.RATIO, (*numerators, *denominators), scale)


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

    ``relation`` names it ("rate", "difference", "pp", "share", "base", "margin", "gross-profit");
    ``expected`` is the recomputed interval in the stated figure's units (percent for ratios),
    ``alternatives`` other readings a document may use; ``held`` is True when the stated
    interval, widened by the tolerance, meets any of them; ``near`` when it misses them by no
    more than one unit of the stated figure's last digit (a rounding slip, or a 尾差 plug: the
    relation was understood even if it fails).
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
    near: bool = False
    formula: Relation | None = None  # ``expected`` as a Relation over the printed operands

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
    formula: Relation | None = None,
) -> RowCheck:
    last_digit = Decimal(1).scaleb(-stated[1].decimals)
    held = holds(stated[1], readings, tolerance)
    if not held and relation in _PADDED_RELATIONS and _padded(stated[1]):
        # "-167.10%" beside "-138.81%": this rate was rounded to one digit and padded with a 0,
        # so it stands for [-167.15, -167.05]; rounding explains what that interval covers.
        held = holds(stated[1], readings, tolerance + last_digit * Decimal("4.5"))
    return RowCheck(
        relation=relation,
        row=row,
        stated_cell=stated[0],
        stated=stated[1],
        operands=operands,
        expected=readings[0],
        alternatives=tuple(readings[1:]),
        held=held,
        denominator_label=denominator_label,
        near=holds(stated[1], readings, tolerance + last_digit),
        formula=formula,
    )


_PADDED_RELATIONS = frozenset({"rate", "pp"})


def _padded(quantity: Quantity) -> bool:
    """A figure with decimals whose last printed digit is a 0 ("5.40%", "-167.10%")."""
    digits = "".join(char for char in quantity.text if char.isdigit())
    return quantity.decimals > 0 and digits.endswith("0")


def trusted(checks: Sequence[RowCheck], min_rows_held: int, min_held_share: Fraction) -> bool:
    """The data confirms the mapping: hecha read the table as its preparer laid it out.

    Either most rows agree with it (at least ``min_rows_held`` hold, one of them non-trivially,
    and at least ``min_held_share`` of the rows hold or miss by one unit of the last digit,
    which a misread table would not do), or every failure is explained by one figure (see
    ``one_typo``). A
    mapping the rows break in many independent places means hecha misread the table: it is
    then unverified, not wrong.
    """
    if not checks:
        return False
    held = sum(1 for check in checks if check.held)
    consistent = sum(1 for check in checks if check.near)
    if (
        held >= min_rows_held
        and Fraction(consistent, len(checks)) >= min_held_share
        and any(_nontrivial(check) for check in checks)
    ):
        return True
    return one_typo(checks)


@dataclass(frozen=True)
class MappingOptions:
    """The tunables of a rule that trusts a column mapping only when the table's rows confirm it.

    Each such rule subclasses this as its own ``Options`` and documents the fields in its
    docstring (``hecha rules CODE`` prints them): the same three knobs, read by ``trusts``.
    """

    absolute_tolerance: Decimal = Decimal(0)
    min_rows_held: int = 2
    min_held_share: Fraction = Fraction(2, 3)

    def trusts(self, checks: Sequence[RowCheck]) -> bool:
        """``trusted`` with these options' thresholds."""
        return trusted(checks, self.min_rows_held, self.min_held_share)


def checked_cells(check: RowCheck) -> list[Location]:
    """The cells a check read: its stated figure and its operands."""
    return [check.stated_cell.location, *(operand.cell.location for operand in check.operands)]


def failures(ctx: RuleContext, table: AnalyzedTable, checks: Iterable[RowCheck]) -> Iterator[RowCheck]:
    """Count each check as a relation of ``table`` in ``ctx.stats``, yielding those that failed.

    A generator, so that each check is counted just before its failure (if any) is reported.
    """
    for check in checks:
        ctx.stats.relation(table.table.index, held=check.held, cells=checked_cells(check))
        if not check.held:
            yield check


def one_typo(checks: Sequence[RowCheck]) -> bool:
    """Every failed relation reads one common figure, and another relation held informatively.

    A single mistyped figure breaks exactly the relations that read it: one row of a change or
    margin column, or every share over a mistyped total. A relation that holds to three
    significant digits elsewhere in the same mapping is the evidence that the columns were read
    right (a misread table matches a ratio to 3 digits only by accident), so the failures are
    reported even in a two-row table, or when a total breaks most rows of its column.
    """
    failed = [check for check in checks if not check.near]
    if not failed or not any(_informative(check) for check in checks):
        return False
    common = set.intersection(*(_cell_keys(check) for check in failed))
    return bool(common)


def _nontrivial(check: RowCheck) -> bool:
    """A held ratio that a wrong mapping does not satisfy as a matter of course.

    A −100% change, a 100% share, a 0.00 change hold under many wrong mappings; a fixed
    expected value (the total's own 100%) or a footing ("base") says nothing about the ratio.
    """
    if not check.held or check.relation == "base" or check.expected.low == check.expected.high:
        return False
    value = abs(check.stated.value)
    return value not in (Decimal(0), HUNDRED)


def _informative(check: RowCheck) -> bool:
    """A non-trivial held ratio stated to at least three significant digits.

    A misread table matches such a figure only by accident, so one of them is evidence enough
    that the mapping is the table's.
    """
    return _nontrivial(check) and abs(check.stated.value) >= Decimal(100).scaleb(-check.stated.decimals)


def _cell_keys(check: RowCheck) -> set[tuple[int | None, int | None]]:
    cells = (check.stated_cell, *(operand.cell for operand in check.operands))
    return {(cell.location.row, cell.location.col) for cell in cells}


def pick(candidates: Iterable[list[RowCheck]]) -> list[RowCheck]:
    """The candidate mapping most rows satisfy.

    Ties: fewer failures, then the smaller total relative miss of the failures (a mapping whose
    failures are near misses reads the table better than one whose failures are wild), then
    the first proposed.
    """
    chosen: list[RowCheck] = []
    chosen_score: tuple[int, int, Decimal] = (0, 0, Decimal(0))
    for checks in candidates:
        held = sum(1 for check in checks if check.held)
        miss = sum((_relative_miss(check) for check in checks if not check.held), Decimal(0))
        # Coarsely: readings that differ only in rounding width stay tied (first proposed wins).
        score = (held, -(len(checks) - held), -miss.quantize(Decimal("0.01")))
        if checks and (not chosen or score > chosen_score):
            chosen, chosen_score = checks, score
    return chosen


def _relative_miss(check: RowCheck) -> Decimal:
    """How far the stated figure is from the nearest reading, relative to the figure."""
    scale = abs(check.stated.value) + Decimal(1).scaleb(-check.stated.decimals)
    return min(check.nearest.distance(check.stated.interval) / scale, Decimal(1000))


# --- change columns (T003 rate/difference, T004 percentage points) ---------------------------


def _operand(table: AnalyzedTable, row: Row, position: int, found: tuple[Cell, Quantity]) -> Operand:
    return Operand(found[0], found[1], label_of(table, row, table.columns[position]))


@dataclass(frozen=True, slots=True)
class ChangeReading:
    """How a document computes the changes of one column, decided per column by the data.

    ``percent_rows``: "pp" (points, current − prior) or "relative" for rows of percentages in a
    rate column (documents print either, but one document prints a column one way);
    ``negative_prior``: "abs" for (c − p) / |p| or "signed" for (c − p) / p when the prior is
    negative (documents vary, and most keep to one in a column), or "either" for a column that
    mixes them (信用减值损失 −9,859,313.92 vs −7,138,731.90 printed +38.11% two rows above a
    cash flow printed −11.08% the other way). Accepting both readings on every row would let a
    sign flip that happens to match the other reading pass, so "either" is the data's choice only
    when neither convention fits the column.
    """

    percent_rows: str = "pp"
    negative_prior: str = "abs"


CHANGE_READINGS = tuple(
    ChangeReading(percent_rows, negative_prior)
    for percent_rows in ("pp", "relative")
    for negative_prior in ("abs", "signed", "either")
)


def _change_checks(
    table: AnalyzedTable,
    change: int,
    current: int,
    prior: int,
    tolerance: Decimal,
    reading: ChangeReading = ChangeReading(),
) -> list[RowCheck]:
    """Each row's change under the pairing (current, prior) and the column's ``reading``.

    A row of percentages (by unit, by a 率/占比 label, or in share/margin columns) changes in
    points (or, in a rate-like column read "relative", by a rate); a row of amounts changes by a
    rate, or by a difference in a DIFFERENCE column.
    """
    change_kind = table.columns[change].kind
    percent_columns = {table.columns[current].kind, table.columns[prior].kind} <= {
        ColumnKind.SHARE,
        ColumnKind.MARGIN,
    }
    points_only = change_kind in (ColumnKind.PP_CHANGE, ColumnKind.DIFFERENCE)
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
            # Percentages are compared as printed, whatever the table's amount unit.
            if points_only or reading.percent_rows == "pp":
                readings, base = [now[1].interval - before[1].interval], ""
                relation = _difference_relation(now, before, 0, 0)
            else:
                readings = _relative_change(now[1].interval, before[1].interval, reading.negative_prior)
                base = RELATIVE_SIGNED if _signed(reading, before[1]) else RELATIVE
                relation = _change_relation(now, before, 0)
            if readings:
                checks.append(row_check("pp", row, stated, operands, readings, tolerance, base, relation))
        elif change_kind is ColumnKind.DIFFERENCE:
            difference = amount_interval(table, table.columns[current], now[1]) - amount_interval(
                table, table.columns[prior], before[1]
            )
            stated_scale = scale_of(table, table.columns[change])
            unscaled = difference.scaled(Decimal(1).scaleb(-stated_scale))
            relation = _difference_relation(
                now,
                before,
                own_scale(table, table.columns[current], now[1]) - stated_scale,
                own_scale(table, table.columns[prior], before[1]) - stated_scale,
            )
            checks.append(
                row_check("difference", row, stated, operands, [unscaled], tolerance, formula=relation)
            )
        elif change_kind is not ColumnKind.PP_CHANGE:
            relative = _relative_change(
                amount_interval(table, table.columns[current], now[1]),
                amount_interval(table, table.columns[prior], before[1]),
                reading.negative_prior,
            )
            if relative:
                # The prior moved into the current figure's unit: the rate is unit-free.
                prior_shift = own_scale(table, table.columns[prior], before[1]) - own_scale(
                    table, table.columns[current], now[1]
                )
                relation = _change_relation(now, before, prior_shift)
                base = SIGNED if _signed(reading, before[1]) else ""
                checks.append(row_check("rate", row, stated, operands, relative, tolerance, base, relation))
    return checks


def _difference_relation(
    now: tuple[Cell, Quantity], before: tuple[Cell, Quantity], now_shift: int, before_shift: int
) -> Relation:
    """current − prior, each moved into the stated figure's unit."""
    return Relation(
        RelationForm.DIFFERENCE,
        (term("current", *now, shift=now_shift), term("prior", *before, shift=before_shift)),
    )


def _change_relation(now: tuple[Cell, Quantity], before: tuple[Cell, Quantity], prior_shift: int) -> Relation:
    """(c − p) / |p| × 100. A column that divides a negative prior by itself, (c − p) / p, gives
    the same CHANGE: on a negative prior the relation has both readings, and the one nearer the
    finding's ``expected`` is the rule's."""
    return Relation(
        RelationForm.CHANGE, (term("current", *now), term("prior", *before, shift=prior_shift)), HUNDRED
    )


# ``RowCheck.denominator_label`` of change checks: how the stated change was recomputed, so that
# a finding can show the formula it used.
SIGNED = "signed"  # a rate on a negative prior, divided by the prior itself
RELATIVE = "relative"  # a percentage row's change read as a rate, on |prior|
RELATIVE_SIGNED = "relative-signed"


def _signed(reading: ChangeReading, prior: Quantity) -> bool:
    return reading.negative_prior == "signed" and prior.value < 0


def _relative_change(current: Interval, prior: Interval, negative_prior: str) -> list[Interval]:
    """(c − p) / |p| × 100, or / p for a negative prior read "signed"; [] when p may be 0.

    Computed as ±(c / p − 1): written as (c − p) / p, interval arithmetic would count the
    prior's rounding twice and accept rates a few hundredths off.
    """
    if prior.contains_zero():
        return []
    quotient = current / prior
    if quotient is None:
        return []
    one = Interval.exact(Decimal(1))
    if negative_prior == "either" and prior.high < 0:
        return [(one - quotient).scaled(HUNDRED), (quotient - one).scaled(HUNDRED)]
    rate = quotient - one if negative_prior == "signed" or prior.low > 0 else one - quotient
    return [rate.scaled(HUNDRED)]


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
    stem), each under every ``ChangeReading``; the candidate most rows satisfy is returned with
    every row's check (ties: the pair proposed first, points, then (c − p) / |p|).
    """
    changes = set(change_positions(table))
    figures = [
        position
        for position, column in enumerate(table.columns)
        if position not in changes and column.kind is not ColumnKind.LABEL
    ]
    pool = group_pool(table, change, figures)
    return pick(
        checks
        for current, prior in period_pairs(table, pool)
        for checks in _pair_readings(table, change, current, prior, tolerance)
    )


# Negative-prior rows that must follow each convention before a column is "either". One each:
# baicheng's 2023 cash-flow table prints −767.4 vs −690.9 as +11.08% (by p) and −432.6 vs
# −797.9 as +45.78% (by |p|), and no corpus document shows a sign flipped on a negative prior.
_MIXED_ROWS = 1


def _pair_readings(
    table: AnalyzedTable, change: int, current: int, prior: int, tolerance: Decimal
) -> Iterator[list[RowCheck]]:
    """The pair's checks under every ChangeReading; "either" only when some row holds by
    (c − p) / |p| alone and another by (c − p) / p alone: a column that really mixes them."""
    by_reading = {
        reading: _change_checks(table, change, current, prior, tolerance, reading)
        for reading in CHANGE_READINGS
    }
    for reading, checks in by_reading.items():
        if reading.negative_prior == "either":
            absolute = by_reading[replace(reading, negative_prior="abs")]
            signed = by_reading[replace(reading, negative_prior="signed")]
            held_abs = {c.row.index for c in absolute if c.held}
            held_signed = {c.row.index for c in signed if c.held}
            if len(held_abs - held_signed) < _MIXED_ROWS or len(held_signed - held_abs) < _MIXED_ROWS:
                continue
        yield checks
