"""T007 learned-relation-broken: a relation among a table's columns (or rows) that the table's
other rows (or columns) satisfy but one breaks, learned from the figures themselves.

Labels reveal totals, shares, change rates and margins; other relations are only visible in the
numbers: 合计 = 环境建设 + 半导体存储 per year, 营业毛利 = 营业收入 − 营业成本 in every column,
单价 = 金额 / 数量, 期末 = 期初 + 增加 − 减少. The search tries a bounded set of formulas over
small groups of columns (and, transposed, of nearby rows), keeps those that hold on enough
instances, and reports the instances that break them. Formulas the table states in its labels
("期末金额（F=A+B-C-D-E)", "③=①-②") are checked on every instance without needing support.

The search runs on floats (cheap, slightly widened) and every break is confirmed with the
Decimal interval rule (``rules.base.compare``) before it is reported.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from hecha.extract.roles import AnalyzedTable, ColumnKind, RowKind
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Severity, Term
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
from hecha.rules.registry import register
from hecha.rules.tables._columns import term

# Columns whose relation to their usual bases another rule checks (T002 share, T003 change rate and
# difference, T004 percentage points, T006 margin): T007 never reports a target in them.
_LABELLED_KINDS = frozenset(
    {
        ColumnKind.SHARE,
        ColumnKind.CHANGE_RATE,
        ColumnKind.PP_CHANGE,
        ColumnKind.MARGIN,
        ColumnKind.DIFFERENCE,
    }
)
_INSTANCE_COLUMN_KINDS = frozenset({ColumnKind.AMOUNT, ColumnKind.DIFFERENCE, ColumnKind.OTHER})
_RELATED_ROW_KINDS = frozenset({RowKind.ITEM, RowKind.TOTAL, RowKind.SUBTOTAL, RowKind.OF_WHICH})
# A row of rates or unit prices inside an amount table does not follow the amounts' sums.
_NON_ADDITIVE_LABEL = re.compile(r"率|占比|比例|比重|百分|%|％|单价|均价|平均|人均|每股|倍数|中位")
_TOTAL_LABEL = re.compile(r"合计|总计|小计|总额|共计")

# Printed dashes stand for zero in an amount table; an empty cell or 不适用 does not.
_ZERO_DASHES = frozenset({"-", "--", "—", "——", "–", "－", "—-", "0"})
# Float prefilter widening, relative to the largest magnitude involved: far above the float
# error of a few additions (~1e-16 each) and far below a cent on a ten-billion figure, so that a
# break the Decimal check would confirm is never taken for a hold.
_SLACK = 1e-13


class Form(StrEnum):
    SUM = "sum"  # t = Σ sign·x over the operands
    RATIO = "ratio"  # t = a / b × factor
    PRODUCT = "product"  # t = a × b × factor
    CHANGE = "change"  # t = (a − b) / |b| × factor
    SHARE = "share"  # t = a / a[anchor] × factor (anchor: the instance where t is 100%)


@dataclass(frozen=True, slots=True)
class Formula:
    """A relation among variables (columns, or rows when transposed) of one table.

    ``operands`` index the variables; ``signs`` (for SUM) give each operand's sign; ``factor`` is
    the power of ten that converts units (×100 for a percentage); ``anchor`` is the instance that
    holds the denominators of a SHARE; ``declared`` is the formula text when the table states it.
    """

    form: Form
    target: int
    operands: tuple[int, ...]
    signs: tuple[int, ...] = ()
    factor: Decimal = Decimal(1)
    anchor: int | None = None
    declared: str = ""


@dataclass(frozen=True, slots=True)
class _Value:
    """One figure of the grid: float for the search, the Quantity (in base units) for the decision."""

    number: float
    half: float
    quantity: Quantity | None  # None for a printed blank read as zero
    cell: Cell
    scale: int
    percent: bool

    @property
    def interval(self) -> Interval:
        if self.quantity is None:
            return Interval.exact(Decimal(0))
        return self.quantity.in_base_units(self.scale)


@dataclass(frozen=True, slots=True)
class _Grid:
    """A table seen as variables × instances (columns × rows, or rows × columns when transposed)."""

    table_index: int
    transposed: bool
    names: tuple[str, ...]  # a name per variable
    instance_names: tuple[str, ...]
    values: tuple[tuple[_Value | None, ...], ...]  # values[variable][instance]
    reportable: tuple[bool, ...]  # may the variable take part in a learned relation?
    sum_target_ok: tuple[bool, ...]  # may it be the target of an all-plus sum (not a labelled total)?
    additive_instance: tuple[bool, ...]  # do sums apply to the instance (not a rate row)?
    # A share column may still be the target of a ratio of two other columns of its row
    # ("更正比例" = 更正金额 / 更正前金额): T002 checks shares of a total, never such a ratio.
    ratio_target: tuple[bool, ...] = ()
    present: tuple[int, ...] = ()  # stated figures per variable
    # Bit i set when the variable has a figure (or a printed dash) at instance i: a formula can
    # only be evaluated where the bits of all its variables are set.
    masks: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        counts = tuple(
            sum(1 for v in line if v is not None and v.quantity is not None) for line in self.values
        )
        object.__setattr__(self, "present", counts)
        masks = tuple(sum(1 << i for i, v in enumerate(line) if v is not None) for line in self.values)
        object.__setattr__(self, "masks", masks)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """A formula's instances that hold and those that break it.

    ``learned`` is False when the formula is only trusted because a break is being judged (it
    holds in enough instances once that one is counted as holding): its breaks are reported, but
    its holds are not counted as verified, since one more break would leave too little support.
    """

    formula: Formula
    held: tuple[int, ...]
    broken: tuple[int, ...]
    learned: bool = True
    # Held instances whose cells are not counted as verified: a break there would leave fewer than
    # min_support_to_report other instances holding informatively, so it would not be reported.
    unreportable: tuple[int, ...] = ()


@register
class LearnedRelationBroken(Rule):
    """What it checks:
    Relations among a table's columns (C = A + B, C = A − B, C = A / B, C = A × B, C = (A − B) / |B|,
    C = A / A合计, C = A + B − D − E over adjacent columns) that hold in the table's other rows but
    not in one row, learned from the figures without relying on labels; the same among rows in
    every column (营业毛利 = 营业收入 − 营业成本); and formulas a label states ("F=A+B-C-D-E",
    "③=①-②"), on every row or column. A row breaks a relation only when the stated figure's
    rounding interval and the recomputed interval do not overlap.

    Why it matters:
    Tables carry arithmetic their labels do not name: a 合计 column next to two segments, a gross
    profit row under revenue and cost, a roll-forward of a tax balance. A figure that breaks the
    pattern every other row follows is usually a typing or copy error that no labelled rule sees.

    Failing example:
    | 项目 | 环境建设 | 半导体存储 | 合计 |
    | 营业收入 | 16,307.97 | 34,048.57 | 50,365.54 |
    with four other rows where 合计 = 环境建设 + 半导体存储 holds: 50,365.54 is reported (计算为
    50,356.54±0.01). In a VAT roll-forward, 期末金额（F=A+B-C-D-E) printed as -1,235.34 where
    A+B−C−D−E = -1,225.33 is reported as breaking the formula the table states.

    Passing example:
    The same table with 50,356.55 (or 50,356.56, which rounding explains); a relation that holds in
    only one other row, or in fewer than three quarters of the rows, is not learned and nothing is
    reported. Rows that repeat the same figures count once; a break explained by a figure in a
    column the relation leaves out, or beside a row whose figures spill onto neighbouring lines, is
    not reported.

    Options:
    min_support: distinct rows (or columns) where the relation must hold (3); a lone break is
    judged as if it held, so it is learned when the relation holds in min_support − 1 others.
    min_support_to_report: distinct other rows (or columns) where it must hold informatively
    before a break is reported (3): two coincidences in an equity statement's sparse columns
    are no evidence.
    min_share: share of the rows with all operands present where it must hold (0.75), the judged
    break counted as holding.
    max_variables: tables with more figure columns than this are not searched column-wise (12).
    row_window: rows within this distance of a target row may be its operands (6).
    max_run: longest run of adjacent operands in a signed sum (5).
    max_relative_slack: a row counts as support only when rounding leaves the relation this
    tight relative to the figure (0.005), so that tiny figures do not teach a relation.
    absolute_tolerance: widening added to the interval rule (0).
    """

    code = "T007"
    name = "learned-relation-broken"
    summary = "表内其他行（列）均满足的列间（行间）关系在某一行（列）不成立"
    summary_en = (
        "A relation among columns (or rows) that the table's other rows (or columns) satisfy is broken"
    )
    default_severity = Severity.WARNING

    @dataclass(frozen=True)
    class Options:
        min_support: int = 3
        min_support_to_report: int = 3
        min_share: float = 0.75
        max_variables: int = 12
        row_window: int = 6
        max_run: int = 5
        max_relative_slack: float = 0.005
        absolute_tolerance: Decimal = Decimal(0)

    options: Options

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for table in ctx.tables:
            # A wrong figure often breaks a column relation and a row relation at once: one finding.
            reported: set[tuple[int | None, int | None]] = set()
            rows = _related_rows(table)
            if len(rows) < 3 and len(table.columns) < 3:
                continue
            matrix = _values(table, rows)
            for grid in (_column_grid(table, rows, matrix), _row_grid(table, rows, matrix)):
                if grid is None:
                    continue
                for diagnostic in self._check_grid(ctx, grid):
                    key = (diagnostic.location.row, diagnostic.location.col)
                    if key not in reported:
                        reported.add(key)
                        yield diagnostic

    def _check_grid(self, ctx: RuleContext, grid: _Grid) -> Iterator[Diagnostic]:
        options = self.options
        declared = _declared_formulas(grid)
        outcomes: list[_Outcome] = [_evaluate_declared(grid, f, options.absolute_tolerance) for f in declared]
        declared_targets = {f.target for f in declared}
        if len(grid.instance_names) >= options.min_support:
            learned = [o for o in _learn(grid, options) if o.formula.target not in declared_targets]
            outcomes.extend(_distinct(learned))
        if not outcomes:
            return
        for outcome in outcomes:
            if not outcome.learned:
                ctx.stats.relation(grid.table_index, count=len(outcome.held) + len(outcome.broken))
                continue
            for instance in outcome.held:
                cells = [_at(grid, v, instance) for v in (outcome.formula.target, *outcome.formula.operands)]
                reportable = instance not in outcome.unreportable
                ctx.stats.relation(
                    grid.table_index,
                    held=True,
                    cells=[value.cell.location for value in cells if value is not None] if reportable else [],
                )
            for _ in outcome.broken:
                ctx.stats.relation(grid.table_index)
        yield from self._report(grid, outcomes)

    def _report(self, grid: _Grid, outcomes: list[_Outcome]) -> Iterator[Diagnostic]:
        """One finding per suspect cell: among the relations an instance breaks, the cell that takes
        part in most of them (and in none that hold there) is blamed first."""
        instances = sorted({i for outcome in outcomes for i in outcome.broken})
        for instance in instances:
            broken = [o for o in outcomes if instance in o.broken]
            verified = {
                v
                for o in outcomes
                if instance in o.held
                for v in (o.formula.target, *o.formula.operands)
                if _at(grid, v, instance) is not None
            }
            while broken:
                counts: dict[int, int] = {}
                for outcome in broken:
                    for v in {outcome.formula.target, *outcome.formula.operands}:
                        if v not in verified:
                            counts[v] = counts.get(v, 0) + 1
                if not counts:
                    break
                suspect = max(counts, key=lambda v: (counts[v], -v))
                involved = [o for o in broken if suspect in (o.formula.target, *o.formula.operands)]
                chosen = next((o for o in involved if o.formula.target == suspect), involved[0])
                diagnostic = self._diagnostic(grid, chosen, instance)
                if diagnostic is not None:
                    yield diagnostic
                broken = [o for o in broken if o not in involved]

    def _diagnostic(self, grid: _Grid, outcome: _Outcome, instance: int) -> Diagnostic | None:
        formula = outcome.formula
        target = _at(grid, formula.target, instance)
        if target is None or target.quantity is None:
            return None
        recomputed = _recompute(grid, formula, instance)
        if recomputed is None:
            return None
        stated = target.quantity
        own_scale = stated.scale if stated.scale is not None else target.scale
        comparison = compare(
            stated,
            recomputed.scaled(Decimal(1).scaleb(-own_scale)),
            self.options.absolute_tolerance,
        )
        if comparison is None:
            return None
        if _over_negative_base(grid, formula, instance) and (
            compare(
                stated, (-recomputed).scaled(Decimal(1).scaleb(-own_scale)), self.options.absolute_tolerance
            )
            is None
        ):
            return None  # (a − b) / b over a negative b: a convention T003 accepts too
        text = _formula_text(grid, formula)
        support = len(outcome.held)
        unit_word = "行" if not grid.transposed else "列"
        unit_word_en = "rows" if not grid.transposed else "columns"
        shown = _show(stated, comparison)
        if formula.declared:
            basis = f"按表内标注的公式 {formula.declared}（{text}）"
            basis_en = f"The formula the table states, {formula.declared} ({text}),"
        else:
            basis = f"{text} 在本表其他 {support} {unit_word}成立，"
            basis_en = f"{text} holds in {support} other {unit_word_en} of this table but"
        place = grid.instance_names[instance]
        message = (
            f"{basis}本{unit_word}（{place}）不成立：列示 {shown[0]}，计算为 {shown[1]}±{shown[2]}"
            if not formula.declared
            else f"{basis}在{place}不成立：列示 {shown[0]}，计算为 {shown[1]}±{shown[2]}"
        )
        message_en = f"{basis_en} does not hold in {place}: stated {shown[0]}, computed {shown[1]}±{shown[2]}"
        related = tuple(
            Related(value.cell.location, _operand_label(grid, formula, position, instance))
            for position, variable in enumerate(formula.operands)
            if (value := _at(grid, variable, instance)) is not None and value.quantity is not None
        )
        anchor_related: tuple[Related, ...] = ()
        if formula.anchor is not None:
            anchor_value = _at(grid, formula.operands[0], formula.anchor)
            if anchor_value is not None:
                anchor_related = (
                    Related(anchor_value.cell.location, f"分母 {grid.instance_names[formula.anchor]}"),
                )
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=target.cell.location,
            comparison=comparison,
            related=related + anchor_related,
            relation=_relation(grid, formula, instance, own_scale),
        )


# --- grids ------------------------------------------------------------------------------------


def _value(cell: Cell | None, scale: int) -> _Value | None:
    if cell is None:
        return None
    quantity = cell.quantity
    if quantity is not None and not cell.blank:
        percent = quantity.unit in (Unit.PERCENT, Unit.PERCENT_POINT)
        # A percentage is a percentage whatever the table's amount unit; a figure with its own
        # scale word (3.36亿元) keeps it.
        default = 0 if percent else scale
        own_scale = quantity.scale if quantity.scale is not None else default
        factor = 10.0**own_scale
        return _Value(
            number=float(quantity.value) * factor,
            half=5.0 * 10.0 ** (-(quantity.decimals + 1)) * factor,
            quantity=quantity,
            cell=cell,
            scale=default,
            percent=percent,
        )
    if cell.text.strip() in _ZERO_DASHES:
        return _Value(number=0.0, half=0.0, quantity=None, cell=cell, scale=scale, percent=False)
    # An empty cell is not a zero: extraction often moves a figure to a neighbouring line.
    return None


_Matrix = list[list[_Value | None]]  # figures of a table's related rows, [row][column]


def _related_rows(table: AnalyzedTable) -> list[int]:
    return [i for i, row in enumerate(table.rows) if row.kind in _RELATED_ROW_KINDS]


def _values(table: AnalyzedTable, rows: Sequence[int]) -> _Matrix:
    """The figures of the related rows, matrix[row][column], read once for both grids."""
    table_scale = table.scale or 0
    scales = [_column_scale(table, p, table_scale) for p in range(len(table.columns))]
    return [
        [_value(cell, scale) for cell, scale in zip(table.rows[r].cells, scales, strict=True)] for r in rows
    ]


def _column_grid(table: AnalyzedTable, rows: Sequence[int], matrix: _Matrix) -> _Grid | None:
    """Columns as variables, body rows as instances."""
    if len(table.columns) < 3:
        return None
    values = [tuple(line[position] for line in matrix) for position in range(len(table.columns))]
    return _Grid(
        table_index=table.table.index,
        transposed=False,
        names=tuple(_column_name(table, p) for p in range(len(table.columns))),
        instance_names=tuple(table.rows[r].label or f"第{r + 1}行" for r in rows),
        values=tuple(values),
        reportable=tuple(
            column.kind not in _LABELLED_KINDS and column.kind is not ColumnKind.LABEL
            for column in table.columns
        ),
        sum_target_ok=tuple(True for _ in table.columns),
        additive_instance=tuple(not _NON_ADDITIVE_LABEL.search(table.rows[r].label) for r in rows),
        ratio_target=tuple(column.kind is ColumnKind.SHARE for column in table.columns),
    )


def _row_grid(table: AnalyzedTable, rows: Sequence[int], matrix: _Matrix) -> _Grid | None:
    """Rows as variables, amount columns as instances (营业毛利 = 营业收入 − 营业成本 per column)."""
    positions = [p for p, column in enumerate(table.columns) if column.kind in _INSTANCE_COLUMN_KINDS]
    if len(rows) < 3 or not positions:
        return None
    values = [tuple(line[p] for p in positions) for line in matrix]
    return _Grid(
        table_index=table.table.index,
        transposed=True,
        names=tuple(table.rows[r].label or f"第{r + 1}行" for r in rows),
        instance_names=tuple(_column_name(table, p) for p in positions),
        values=tuple(values),
        reportable=tuple(not _NON_ADDITIVE_LABEL.search(table.rows[r].label) for r in rows),
        sum_target_ok=tuple(
            table.rows[r].kind not in (RowKind.TOTAL, RowKind.SUBTOTAL)
            and not _TOTAL_LABEL.search(table.rows[r].label)
            for r in rows
        ),
        additive_instance=tuple(True for _ in positions),
    )


def _column_scale(table: AnalyzedTable, position: int, table_scale: int) -> int:
    scale = table.columns[position].scale
    return scale if scale is not None else table_scale


def _column_name(table: AnalyzedTable, position: int) -> str:
    header = table.columns[position].header.strip()
    return header or f"第{position + 1}列"


def _at(grid: _Grid, variable: int, instance: int) -> _Value | None:
    return grid.values[variable][instance]


# --- learning ---------------------------------------------------------------------------------


def _candidates(grid: _Grid, options: LearnedRelationBroken.Options, target: int) -> Iterator[Formula]:
    """Every formula worth trying for ``target``, bounded: operand pairs and runs of adjacent
    operands. Transposed (rows as variables), operands are the rows just above the target and
    only sums are tried: statement chains and roll-forwards run downwards."""
    count = len(grid.names)
    # A variable whose label states its own formula ("投资进度(3)＝(2)/(1)") is checked by that
    # formula or not at all: a learned one could pick the wrong column among look-alikes.
    # A labelled column (share, change, margin …) stays out of every learned equation: solved for
    # another variable, its usual relation would be reported again at a different cell.
    usable = [
        v
        for v in range(count)
        if grid.present[v] >= options.min_support
        and grid.reportable[v]
        and not _STATES_FORMULA.search(grid.names[v])
    ]
    if grid.transposed:
        near = [v for v in usable if target - options.row_window <= v < target]
    else:
        near = [v for v in usable if v != target]
    if not _learnable(grid, target):
        # A share column: only as the ratio of two amounts of its row (see _Grid.ratio_target).
        for index, a in enumerate(near):
            for b in near[index + 1 :]:
                if b < target:
                    yield Formula(Form.RATIO, target, (a, b))
                    yield Formula(Form.RATIO, target, (b, a))
        return
    all_plus_ok = grid.sum_target_ok[target]
    for index, a in enumerate(near):
        for b in near[index + 1 :]:
            # A sum, ratio or product relates three variables whichever one it is solved for, and
            # is reported solved for the rightmost one (合计 = 环境建设 + 半导体存储, not
            # 环境建设 = 合计 − 半导体存储): it is tried once, from that variable.
            if b < target:
                if all_plus_ok:
                    yield Formula(Form.SUM, target, (a, b), (1, 1))
                yield Formula(Form.SUM, target, (a, b), (1, -1))
                yield Formula(Form.SUM, target, (b, a), (1, -1))
            if grid.transposed:
                continue
            if b < target:
                yield Formula(Form.RATIO, target, (a, b))
                yield Formula(Form.RATIO, target, (b, a))
                yield Formula(Form.PRODUCT, target, (a, b))
            yield Formula(Form.CHANGE, target, (a, b))
            yield Formula(Form.CHANGE, target, (b, a))
    # Runs of adjacent operands just before the target: roll-forwards and statement chains.
    for length in range(3, options.max_run + 1):
        start = target - length
        if start < 0:
            break
        run = tuple(range(start, target))
        if any(grid.present[v] == 0 for v in run):
            break
        for pattern in range(1 << (length - 1)):
            signs = (1, *(-1 if pattern >> i & 1 else 1 for i in range(length - 1)))
            if all(s > 0 for s in signs) and not grid.sum_target_ok[target]:
                continue
            yield Formula(Form.SUM, target, run, signs)
    if not grid.transposed:
        anchor = _hundred_percent_anchor(grid, target)
        if anchor is not None:
            for a in near:
                yield Formula(Form.SHARE, target, (a,), anchor=anchor)


def _ratio_target(grid: _Grid, variable: int) -> bool:
    return (
        bool(grid.ratio_target)
        and grid.ratio_target[variable]
        and not _STATES_FORMULA.search(grid.names[variable])
    )


def _learnable(grid: _Grid, variable: int) -> bool:
    return grid.reportable[variable] and not _STATES_FORMULA.search(grid.names[variable])


def _hundred_percent_anchor(grid: _Grid, target: int) -> int | None:
    anchors = [
        i
        for i, value in enumerate(grid.values[target])
        if value is not None and value.percent and value.quantity is not None and value.quantity.value == 100
    ]
    return anchors[0] if len(anchors) == 1 else None


def _float_expected(
    grid: _Grid, formula: Formula, instance: int, factor: float
) -> tuple[float, float] | None:
    """The formula's value interval on ``instance`` in floats, or None when it cannot be evaluated."""
    values = [_at(grid, v, instance) for v in formula.operands]
    if any(v is None for v in values):
        return None
    operands: list[_Value] = [v for v in values if v is not None]
    form = formula.form
    if form is Form.SUM:
        center = 0.0
        radius = 0.0
        for sign, value in zip(formula.signs, operands, strict=True):
            center += sign * value.number
            radius += value.half
        return center - radius, center + radius
    if form is Form.SHARE:
        assert formula.anchor is not None
        base = _at(grid, formula.operands[0], formula.anchor)
        if base is None or base.quantity is None:
            return None
        operands = [operands[0], base]
    if any(v.quantity is None for v in operands):
        return None
    a, b = operands
    a_low, a_high = a.number - a.half, a.number + a.half
    b_low, b_high = b.number - b.half, b.number + b.half
    if form is Form.PRODUCT:
        products = (a_low * b_low, a_low * b_high, a_high * b_low, a_high * b_high)
        return min(products) * factor, max(products) * factor
    if form is Form.CHANGE:
        if b_low <= 0 <= b_high:
            return None
        a_low, a_high = a_low - b_high, a_high - b_low
        b_low, b_high = (b_low, b_high) if b_low > 0 else (-b_high, -b_low)
    elif b_low <= 0 <= b_high:
        return None
    quotients = (a_low / b_low, a_low / b_high, a_high / b_low, a_high / b_high)
    return min(quotients) * factor, max(quotients) * factor


def _factor_guess(grid: _Grid, formula: Formula, instance: int) -> float | None:
    """The power of ten that makes the formula exact on ``instance`` (units: %, 万元 vs 元 …)."""
    if formula.form is Form.SUM:
        return 1.0
    target = _at(grid, formula.target, instance)
    raw = _float_expected(grid, formula, instance, 1.0)
    if target is None or raw is None or target.number == 0:
        return None
    middle = (raw[0] + raw[1]) / 2
    if middle == 0 or (middle > 0) != (target.number > 0):
        return None
    exponent = round(math.log10(target.number / middle))
    if formula.form in (Form.CHANGE, Form.SHARE) and exponent not in (0, 2):
        return None
    if formula.form is Form.CHANGE and abs(middle) > _MAX_CHANGE:
        # (a − b) / |b| of figures far apart is a quotient, not a change: 外币余额 ≈ 人民币余额 / 汇率
        # is a conversion, whose CHANGE reading only holds because the 1 it subtracts is lost in
        # the rounding.
        return None
    if abs(exponent) > 8:
        return None
    factor = 10.0**exponent
    # Only a power of ten that makes the formula hold here is worth fitting.
    low, high = sorted((raw[0] * factor, raw[1] * factor))
    slack = _SLACK * (abs(target.number) + abs(low) + abs(high))
    if target.number - target.half > high + slack or low - slack > target.number + target.half:
        return None
    return factor


# A change larger than 1,000 times its base (100,000%) is not a change rate.
_MAX_CHANGE = 1000.0


def _trivial(
    grid: _Grid, formula: Formula, instance: int, expected: tuple[float, float], max_relative_slack: float
) -> bool:
    """An instance that satisfies the formula for no informative reason: a zero operand or target,
    a divisor of ±1, or rounding so wide relative to the figure that almost anything would hold."""
    target = _at(grid, formula.target, instance)
    assert target is not None
    if target.number == 0:
        return True
    for v in formula.operands:
        value = _at(grid, v, instance)
        if value is None or value.number == 0:
            return True
    if formula.form in (Form.RATIO, Form.PRODUCT, Form.CHANGE):
        for v in formula.operands:
            value = _at(grid, v, instance)
            # Dividing or multiplying by 1 (or by 100%) relates a column to itself.
            if value is not None and (
                abs(abs(value.number) - 1.0) < 1e-12 or (value.percent and value.number == 100)
            ):
                return True
    slack = (expected[1] - expected[0]) / 2 + target.half
    return slack > max_relative_slack * abs(target.number)


def _compatible(grid: _Grid, formula: Formula, instance: int) -> bool:
    """Sums only relate figures of one kind (all percentages or all amounts) in an additive row;
    a row of rates (加权平均净资产收益率 7.70% → 9.55%) changes in points, not by a rate."""
    if formula.form is Form.CHANGE:
        a, b = (_at(grid, v, instance) for v in formula.operands)
        if not grid.additive_instance[instance] or (a is not None and a.percent):
            return False
        return a is None or b is None or a.percent == b.percent
    if formula.form is not Form.SUM:
        return True
    if not grid.additive_instance[instance]:
        return False
    kinds = set()
    for v in (formula.target, *formula.operands):
        value = _at(grid, v, instance)
        if value is not None and value.quantity is not None:
            kinds.add(value.percent)
    return len(kinds) <= 1


def _learn(grid: _Grid, options: LearnedRelationBroken.Options) -> Iterator[_Outcome]:
    if not grid.transposed and sum(1 for p in grid.present if p) > options.max_variables:
        return
    for target, target_values in enumerate(grid.values):
        if (
            not (_learnable(grid, target) or _ratio_target(grid, target))
            or grid.present[target] < options.min_support
        ):
            continue
        stated = [i for i, t in enumerate(target_values) if t is not None and t.quantity is not None]
        additive = [i for i in stated if grid.additive_instance[i]]
        target_mask = grid.masks[target]
        for formula in _candidates(grid, options, target):
            # Instances where the formula may be evaluated, at most; the fit skips the others.
            pool = additive if formula.form is Form.SUM else stated
            if len(pool) < options.min_support:
                continue
            # Too few instances with every variable present: nothing to learn, and no float work.
            common = target_mask
            for operand in formula.operands:
                common &= grid.masks[operand]
            if formula.form is not Form.SHARE and common.bit_count() < options.min_support:
                continue
            # At most this many breaks leave the share needed once one of them counts as holding.
            allowed_breaks = int(len(pool) * (1 - options.min_share)) + 1
            for factor in _factors(grid, formula, pool):
                outcome = _fit(grid, formula, pool, factor, allowed_breaks, options)
                if outcome is not None:
                    yield outcome
                    break


def _equation(formula: Formula) -> tuple[str, frozenset[tuple[int, int]]]:
    """The relation as an equation, the same for every way of solving it: t = a + b, a = t − b and
    b = t − a are one equation; so are t = a / b, a = t × b and b = a / t."""
    if formula.form is Form.SUM:
        family = "additive"
        terms = {formula.target: 1}
        for sign, variable in zip(formula.signs, formula.operands, strict=True):
            terms[variable] = terms.get(variable, 0) - sign
    elif formula.form in (Form.RATIO, Form.PRODUCT):
        family = "multiplicative"
        a, b = formula.operands
        terms = {formula.target: 1, a: -1, b: 1 if formula.form is Form.RATIO else -1}
    else:
        return (f"{formula.form}:{formula.target}:{formula.operands}:{formula.anchor}", frozenset())
    first = min(terms)
    flip = -1 if terms[first] < 0 else 1
    return (family, frozenset((v, c * flip) for v, c in terms.items() if c))


def _distinct(outcomes: list[_Outcome]) -> list[_Outcome]:
    """One outcome per equation, solved for its rightmost (or lowest) variable with most plus signs:
    合计 = 环境建设 + 半导体存储 rather than 环境建设 = 合计 − 半导体存储."""
    best: dict[tuple[str, frozenset[tuple[int, int]]], _Outcome] = {}
    for outcome in outcomes:
        key = _equation(outcome.formula)
        current = best.get(key)
        if current is None or _preference(outcome.formula) > _preference(current.formula):
            best[key] = outcome
    return list(best.values())


def _preference(formula: Formula) -> tuple[int, int, int]:
    return (
        formula.target,
        sum(1 for sign in formula.signs if sign > 0),
        1 if formula.form is Form.RATIO else 0,
    )


def _factors(grid: _Grid, formula: Formula, pool: Sequence[int]) -> list[float]:
    """Powers of ten under which the formula holds on one of the first three instances where it
    can be evaluated (a relation with a break among them still holds on another)."""
    if formula.form is Form.SUM:
        return [1.0]
    found: list[float] = []
    tried = 0
    for instance in pool:
        if not _evaluable(grid, formula, instance):
            continue
        guess = _factor_guess(grid, formula, instance)
        if guess is not None and guess not in found:
            found.append(guess)
        tried += 1
        if tried == 3:
            break
    return found


def _evaluable(grid: _Grid, formula: Formula, instance: int) -> bool:
    return all(grid.values[v][instance] is not None for v in formula.operands) and _compatible(
        grid, formula, instance
    )


def _fit(
    grid: _Grid,
    formula: Formula,
    pool: Sequence[int],
    factor: float,
    allowed_breaks: int,
    options: LearnedRelationBroken.Options,
) -> _Outcome | None:
    support: list[int] = []
    held: list[int] = []
    broken: list[int] = []
    is_sum = formula.form is Form.SUM
    lines = [grid.values[v] for v in formula.operands]
    target_line = grid.values[formula.target]
    for instance in pool:
        target = target_line[instance]
        assert target is not None
        if is_sum:
            # The hot path, inlined: most candidates are sums rejected after two instances.
            center = 0.0
            radius = 0.0
            magnitude = abs(target.number)
            kinds = {target.percent}
            for sign, line in zip(formula.signs, lines, strict=True):
                value = line[instance]
                if value is None:
                    break
                center += sign * value.number
                radius += value.half
                magnitude += abs(value.number)
                if value.quantity is not None:
                    kinds.add(value.percent)
            else:
                if len(kinds) > 1:
                    continue
                expected = (center - radius, center + radius)
            if value is None:
                continue
        else:
            if not _evaluable(grid, formula, instance):
                continue
            found = _float_expected(grid, formula, instance, factor)
            if found is None:
                continue
            expected = found
            magnitude = abs(target.number) + abs(expected[0]) + abs(expected[1])
        slack = _SLACK * max(magnitude, 1.0)
        if (
            target.number - target.half <= expected[1] + slack
            and expected[0] - slack <= target.number + target.half
        ):
            held.append(instance)
            if not _trivial(grid, formula, instance, expected, options.max_relative_slack):
                support.append(instance)
        else:
            broken.append(instance)
            if len(broken) > allowed_breaks:
                return None
    if len(support) + 1 < options.min_support:
        return None
    # Instances that repeat the same figures (two columns printing one balance) are one piece of
    # evidence, not several.
    figures_of = {i: tuple(_number(line[i]) for line in (target_line, *lines)) for i in support}
    evidence = len(set(figures_of.values()))
    # A break explained by a figure the relation does not cover (a 减少 where no row that holds
    # has one) says the relation is incomplete there, not that it fails: it counts neither way.
    genuine = [i for i in broken if not _has_extra_figure(grid, formula, held, i)]
    learned = _enough(evidence, len(genuine), options)
    # A lone break is judged as if it held: the relation must be learnable from the table with
    # that instance right, so that a typo in an instance that supported the relation does not
    # count twice against it (once as a missing hold, once as a break).
    if not learned and not (len(genuine) == 1 and _enough(evidence + 1, 0, options)):
        return None
    decided = Formula(
        formula.form,
        formula.target,
        formula.operands,
        formula.signs,
        Decimal(1).scaleb(round(math.log10(factor))),
        formula.anchor,
    )
    # Every break is confirmed with Decimal intervals; a float-only break is dropped.
    confirmed = tuple(
        i
        for i in genuine
        if not _scattered(grid, formula.target, i) and _breaks(grid, decided, i, options.absolute_tolerance)
    )
    if evidence < options.min_support_to_report:
        # Two rows that happen to fit a formula (an equity statement's columns where the other
        # movements are blank) verify nothing and accuse nothing.
        confirmed = ()
    if not learned and not confirmed:
        return None
    # Evidence left without an instance: one piece less when its figures are printed nowhere else.
    copies = Counter(figures_of.values())

    def evidence_without(instance: int) -> int:
        alone = instance in figures_of and copies[figures_of[instance]] == 1
        return evidence - 1 if alone else evidence

    unreportable = tuple(i for i in held if evidence_without(i) < options.min_support_to_report)
    return _Outcome(decided, tuple(held), confirmed, learned, unreportable)


def _number(value: _Value | None) -> float | None:
    return value.number if value is not None else None


def _enough(support: int, breaks: int, options: LearnedRelationBroken.Options) -> bool:
    """Does a relation that holds (informatively) in ``support`` instances and breaks in ``breaks``
    others have the support and the share to be learned?"""
    return support >= options.min_support and support >= options.min_share * (support + breaks)


def _has_extra_figure(grid: _Grid, formula: Formula, held: Sequence[int], instance: int) -> bool:
    """True when the instance has a figure in a variable that is empty or zero wherever the relation
    held: then the relation learned is likely incomplete (期末 = 期初 + 增加 where no row but this
    one has a 减少), not broken.

    Only variables among the relation's own (between its first and last variable) can be a term it
    omits: a budget column left of a roll-forward, or a 减值准备 block below the 账面原值 rows, cannot.
    Nor can a percentage be a term omitted from a sum of amounts.
    """
    involved = {formula.target, *formula.operands}
    target_value = grid.values[formula.target][instance]
    percent = target_value is not None and target_value.percent
    for variable in range(min(involved) + 1, max(involved)):
        if variable in involved:
            continue
        line = grid.values[variable]
        value = line[instance]
        if value is None or value.number == 0:
            continue
        if formula.form is Form.SUM and value.percent != percent:
            continue
        if all((other := line[i]) is None or other.number == 0 for i in held):
            return True
    return False


def _scattered(grid: _Grid, target: int, instance: int, reach: int = 3) -> bool:
    """True when a row next to the instance has no target figure but a figure in a column the
    instance leaves empty: the instance's figures may be spread over several extracted lines (a
    label wrapped in a narrow column), so that one of them stands on a neighbouring line."""
    if grid.transposed:
        return False
    count = len(grid.instance_names)
    for step in (-1, 1):
        neighbour = instance + step
        while 0 <= neighbour < count and abs(neighbour - instance) <= reach:
            if grid.values[target][neighbour] is not None:
                break
            if any(
                line[instance] is None
                and (other := line[neighbour]) is not None
                and other.quantity is not None
                for line in grid.values
            ):
                return True
            neighbour += step
    return False


def _recompute(grid: _Grid, formula: Formula, instance: int) -> Interval | None:
    """The formula's value interval on ``instance`` in Decimals (base units, × factor)."""
    values = [_at(grid, v, instance) for v in formula.operands]
    if any(v is None for v in values):
        return None
    intervals = [v.interval for v in values if v is not None]
    form = formula.form
    if form is Form.SUM:
        total = Interval.exact(Decimal(0))
        for sign, interval in zip(formula.signs, intervals, strict=True):
            total = total + interval if sign > 0 else total - interval
        return total
    if form is Form.SHARE:
        assert formula.anchor is not None
        base = _at(grid, formula.operands[0], formula.anchor)
        if base is None or base.quantity is None:
            return None
        intervals = [intervals[0], base.interval]
    a, b = intervals
    if form is Form.PRODUCT:
        return (a * b).scaled(formula.factor)
    if form is Form.CHANGE:
        if b.contains_zero():
            return None
        a = a - b
        b = b.abs()
    quotient = a / b
    return quotient.scaled(formula.factor) if quotient is not None else None


def _printed_scale(value: _Value) -> int:
    """The power of ten of the unit ``value`` is printed in."""
    assert value.quantity is not None
    return value.quantity.scale if value.quantity.scale is not None else value.scale


def _relation(grid: _Grid, formula: Formula, instance: int, stated_scale: int) -> Relation | None:
    """The formula on ``instance`` as a Relation over the printed figures, for a stated figure in
    units of 10^``stated_scale``: the terms of a sum are moved into that unit, and the other
    forms fold the units of their operands into the relation's scale with the fitted factor.

    A printed dash is a zero: it adds nothing to a sum (and is left out of its terms), but a
    ratio, product or change over it is degenerate and is given no relation.
    """
    values = [_at(grid, v, instance) for v in formula.operands]
    if formula.form is Form.SHARE:
        assert formula.anchor is not None
        values = [values[0], _at(grid, formula.operands[0], formula.anchor)]
    if any(value is None for value in values):
        return None
    operands = [value for value in values if value is not None]
    if formula.form is Form.SUM:
        addends = tuple(
            term("addend", value.cell, value.quantity, shift=_printed_scale(value) - stated_scale, sign=sign)
            for sign, value in zip(formula.signs, operands, strict=True)
            if value.quantity is not None
        )
        return Relation(RelationForm.SUM, addends)
    if any(value.quantity is None for value in operands):
        return None
    a, b = operands
    assert a.quantity is not None and b.quantity is not None
    scale_a, scale_b = _printed_scale(a), _printed_scale(b)
    if formula.form is Form.CHANGE:
        # (a − b) / |b| needs both in one unit: the prior moves into the current figure's.
        current = term("current", a.cell, a.quantity)
        prior = term("prior", b.cell, b.quantity, shift=scale_b - scale_a)
        return Relation(RelationForm.CHANGE, (current, prior), formula.factor.scaleb(-stated_scale))
    terms: tuple[Term, Term]
    if formula.form is Form.PRODUCT:
        terms = (term("other", a.cell, a.quantity), term("other", b.cell, b.quantity))
        exponent = scale_a + scale_b - stated_scale
        return Relation(RelationForm.PRODUCT, terms, formula.factor.scaleb(exponent))
    # RATIO, and SHARE: the figure over the same variable's figure at the anchor instance.
    terms = (term("numerator", a.cell, a.quantity), term("denominator", b.cell, b.quantity))
    return Relation(RelationForm.RATIO, terms, formula.factor.scaleb(scale_a - scale_b - stated_scale))


def _over_negative_base(grid: _Grid, formula: Formula, instance: int) -> bool:
    if formula.form is not Form.CHANGE:
        return False
    base = _at(grid, formula.operands[1], instance)
    return base is not None and base.quantity is not None and base.quantity.value < 0


def _breaks(grid: _Grid, formula: Formula, instance: int, tolerance: Decimal) -> bool:
    target = _at(grid, formula.target, instance)
    if target is None or target.quantity is None:
        return False
    recomputed = _recompute(grid, formula, instance)
    if recomputed is None:
        return False
    return compare(target.quantity, recomputed, tolerance, stated_interval=target.interval) is not None


# --- formulas a label states ------------------------------------------------------------------

_TAG = re.compile(r"[（(]\s*([A-Za-z]|[①-⑳])\s*[)）]")
_DECLARED = re.compile(r"([A-Za-z]|[①-⑳])\s*=\s*((?:[A-Za-z①-⑳]\s*[+\-−－]\s*)+[A-Za-z①-⑳])")
_STATES_FORMULA = re.compile(r"[=＝]\s*[(（]?\s*(?:[A-Za-z①-⑳]|\d\b)")
_STANDALONE_TAG = re.compile(r"^\s*([①-⑳])")


def _declared_formulas(grid: _Grid) -> list[Formula]:
    """Signed sums the labels state: rows tagged (A)…(E) and a row "（F=A+B-C-D-E)"."""
    tags: dict[str, int] = {}
    statements: list[tuple[int, str, str]] = []
    for variable, name in enumerate(grid.names):
        declared = _DECLARED.search(name)
        if declared:
            statements.append((variable, declared.group(1).upper(), declared.group(2)))
            tags.setdefault(declared.group(1).upper(), variable)
            continue
        tag = _TAG.search(name) or _STANDALONE_TAG.search(name)
        if tag:
            tags.setdefault(tag.group(1).upper(), variable)
    formulas = []
    for variable, _, expression in statements:
        compact = re.sub(r"\s", "", expression).replace("−", "-").replace("－", "-")
        terms = re.findall(r"([+\-]?)([A-Za-z①-⑳])", compact)
        operands = []
        signs = []
        for sign, letter in terms:
            operand = tags.get(letter.upper())
            if operand is None or operand == variable:
                break
            operands.append(operand)
            signs.append(-1 if sign == "-" else 1)
        else:
            if len(operands) >= 2:
                formulas.append(
                    Formula(
                        Form.SUM,
                        variable,
                        tuple(operands),
                        tuple(signs),
                        declared=compact_declared(grid.names[variable]),
                    )
                )
    return formulas


def compact_declared(name: str) -> str:
    found = _DECLARED.search(name)
    return re.sub(r"\s", "", found.group(0)) if found else name


def _evaluate_declared(grid: _Grid, formula: Formula, tolerance: Decimal) -> _Outcome:
    held: list[int] = []
    broken: list[int] = []
    for instance in range(len(grid.instance_names)):
        target = _at(grid, formula.target, instance)
        if target is None or target.quantity is None:
            continue
        if any(_at(grid, v, instance) is None for v in formula.operands):
            continue
        if not _compatible(grid, formula, instance):
            continue
        (broken if _breaks(grid, formula, instance, tolerance) else held).append(instance)
    return _Outcome(formula, tuple(held), tuple(broken))


# --- wording ----------------------------------------------------------------------------------


def _formula_text(grid: _Grid, formula: Formula) -> str:
    names = [grid.names[v] for v in formula.operands]
    target = grid.names[formula.target]
    form = formula.form
    scale = "" if formula.factor == 1 else f" × {formula.factor.normalize():f}"
    if form is Form.SUM:
        parts = [names[0] if formula.signs[0] > 0 else f"−{names[0]}"]
        for sign, name in zip(formula.signs[1:], names[1:], strict=True):
            parts.append(("+ " if sign > 0 else "− ") + name)
        return f"{target} = {' '.join(parts)}"
    if form is Form.RATIO:
        return f"{target} = {names[0]} / {names[1]}{scale}"
    if form is Form.PRODUCT:
        return f"{target} = {names[0]} × {names[1]}{scale}"
    if form is Form.CHANGE:
        return f"{target} = ({names[0]} − {names[1]}) / |{names[1]}|{scale}"
    assert formula.anchor is not None
    return f"{target} = {names[0]} / {names[0]}（{grid.instance_names[formula.anchor]}）{scale}"


def _operand_label(grid: _Grid, formula: Formula, position: int, instance: int) -> str:
    role = "运算项"
    if formula.form is Form.SUM:
        role = "加数" if formula.signs[position] > 0 else "减数"
    elif formula.form in (Form.RATIO, Form.CHANGE):
        role = "被除数" if position == 0 else "除数"
    elif formula.form is Form.PRODUCT:
        role = "乘数"
    elif formula.form is Form.SHARE:
        role = "分子"
    variable = grid.names[formula.operands[position]]
    place = grid.instance_names[instance]
    return f"{role} {place} {variable}" if not grid.transposed else f"{role} {variable} {place}"


def _show(stated: Quantity, comparison: Comparison) -> tuple[str, str, str]:
    decimals = max(stated.decimals, 2)
    stated_text = format_decimal(stated.value, stated.decimals)
    if stated.unit is Unit.PERCENT:
        stated_text += "%"
    return (
        stated_text,
        format_decimal(comparison.expected, decimals),
        format_decimal(comparison.tolerance, max(decimals, 3)),
    )
