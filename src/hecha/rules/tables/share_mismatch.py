"""T002 share-mismatch: a 占比 / 比重 figure that is not part / total of its amount column."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.periods import period_rank
from hecha.extract.roles import AnalyzedTable, ColumnKind, Row, RowKind
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Quantity, interval_sum
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
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
    ratio_relation,
    row_check,
    scale_of,
    show,
    show_percent,
    term,
)

_CLOSING = (RowKind.TOTAL, RowKind.SUBTOTAL)
_NAMED_BASE = re.compile(r"占(.{2,14}?)的?(?:比例|比重|比)")
_TOTAL_WORDS = re.compile(r"合计|总计|总额|小计|[：:\s]|其中")


@dataclass(frozen=True)
class _Denominator:
    """Where a row's total stands: a row of the same column, or the sum of the item rows."""

    row: Row | None
    label: str


@register
class ShareMismatch(Rule):
    """Shares that are not the row's amount divided by the total they are a share of.

    What it checks:
        A share column (占比, 比例, 比重, 占营业收入比重) beside an amount column: each row's share
        equals its amount / the total of the same column. The total is the 合计 row, the 小计 that
        closes the row's section, the row named by the header (占营业收入比重 → the 营业收入 row),
        or, in a table without total rows, the sum of the items. Which amount column and which
        total apply is confirmed by the data: the reading most rows satisfy is kept, and only when
        most rows satisfy it, or when all its failures read one figure and another share holds to
        three significant digits; a table that fits no reading gives no finding. When the shares
        hold against the sum of the items but not against the printed 合计, the 合计 (its 100%, or
        its amount when it prints no share) is the finding; in a table without totals, a row whose
        amount disagrees while the others agree with each other is. 其中 rows are not checked; a
        one-unit 尾差调整 that makes the column foot to 100.00 is not a finding, nor one that makes
        a section of it (分行业, 分产品, 分地区 under one 营业收入合计) foot to 100.00.

    Why it matters:
        Concentration (top-5 customers), mix (直销 vs 贸易) and structure arguments rest on
        shares; a share on the wrong denominator or a stale figure misstates them.

    Failing example:
        | 项目 | 金额 | 占比 |, rows 直销 18,564.22 | 54.82%, 贸易 15,301.36 | 46.18%,
        合计 33,865.58 | 100.00%: 15,301.36 / 33,865.58 = 45.18%.

    Passing example:
        The same table with 45.18%.

    Options:
        absolute_tolerance: extra percentage points of slack, default 0.
        min_rows_held: rows that must satisfy a reading before it is trusted, default 2.
        min_held_share: share of tested rows that must satisfy it, default 2/3.
    """

    code = "T002"
    name = "share-mismatch"
    summary = "占比与金额 / 合计计算结果不符"
    summary_en = "Share does not equal the amount divided by its total"

    @dataclass(frozen=True)
    class Options(MappingOptions):
        """The shared mapping tunables, documented above."""

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: ShareMismatch.Options = self.options  # type: ignore[assignment]
        for table in ctx.tables:
            for share in positions(table, frozenset({ColumnKind.SHARE})):
                tolerance = options.absolute_tolerance
                candidates: list[list[RowCheck]] = []
                for amount in _amount_candidates(table, share):
                    candidates.extend(
                        _share_checks(table, share, amount, policy, tolerance)
                        for policy in ("grand", "closing", "named", "sum")
                    )
                    candidates.append(_grand_sum_checks(table, share, amount, tolerance))
                    candidates.extend(_suspect_checks(table, share, amount, tolerance))
                checks = pick(candidates)
                if not options.trusts(checks):
                    continue
                plugs = _rounding_plugs(checks) or _section_rounding_plugs(checks)
                for check in failures(ctx, table, checks):
                    if check not in plugs:
                        yield self._finding(check, options.absolute_tolerance)

    def _finding(self, check: RowCheck, tolerance: Decimal) -> Diagnostic:
        comparison = compare(check.stated, check.nearest, tolerance)
        if check.relation == "base":
            return self._base_finding(check, comparison)
        part = check.operands[0]
        base = show(check.operands[1].quantity) if len(check.operands) > 1 else check.denominator_label
        computed = show_percent(check.nearest.mid, max(check.stated.decimals, 2))
        label = check.row.label
        related = [Related(part.cell.location, f"分子 {part.label}")]
        related.extend(Related(o.cell.location, f"分母 {o.label}") for o in check.operands[1:])
        return self.diagnostic(
            message=(
                f"{label}占比列示 {show(check.stated)}，按 {show(part.quantity)} / {base} 计算为 {computed}"
            ),
            message_en=(
                f"{label}: share stated as {show(check.stated)}, "
                f"{show(part.quantity)} / {base} gives {computed}"
            ),
            location=check.stated_cell.location,
            comparison=comparison,
            related=tuple(related),
            relation=check.formula,
        )

    def _base_finding(self, check: RowCheck, comparison: Comparison | None) -> Diagnostic:
        computed = format_decimal(check.nearest.mid, check.stated.decimals)
        label = check.row.label
        return self.diagnostic(
            message=(f"{label}金额列示 {show(check.stated)}，而各行占比均以各项合计 {computed} 为分母计算"),
            message_en=(
                f"{label}: amount stated as {show(check.stated)}, but every share is computed "
                f"on the sum of the items, {computed}"
            ),
            location=check.stated_cell.location,
            comparison=comparison,
            related=tuple(Related(o.cell.location, f"分项 {o.label}") for o in check.operands),
            relation=check.formula,
        )


def _rounding_plugs(checks: list[RowCheck]) -> list[RowCheck]:
    """Failed shares that are a 尾差调整: one last-digit unit moved so that the column adds to 100%.

    Preparers round every share, see that the rounded shares add to 99.99 or 100.01, and move one
    unit onto a row so that the printed column foots to the printed 100.00. Such a share differs
    from its recomputed value by exactly one unit of its last digit while the printed shares add
    to the printed total: rounding explains it, so it is not a finding.
    """
    failed = [check for check in checks if not check.held]
    totals = [
        check
        for check in checks
        if check.held and check.row.kind is RowKind.TOTAL and check.stated.value == HUNDRED
    ]
    # The 合计 may print its 100.00%, or nothing ("--") while the shares above it foot to 100.
    printed_total = [c for c in checks if c.row.kind is RowKind.TOTAL and c.relation == "share"]
    if not failed or len(totals) > 1 or (not totals and printed_total):
        return []
    items = [check for check in checks if check not in totals and check.relation == "share"]
    if not items:
        return []
    decimals = totals[0].stated.decimals if totals else items[0].stated.decimals
    return _plugged(items, failed, decimals)


def _section_rounding_plugs(checks: list[RowCheck]) -> list[RowCheck]:
    """A 尾差调整 inside one section of a column (分行业 / 分产品 / 分地区 each adding to 100%
    under one 营业收入合计): a run of consecutive item rows, set apart by rows without a share
    (the section headings), whose printed shares add to exactly 100 while their honest roundings
    do not, and whose one failed share is one last-digit unit off."""
    items = sorted(
        (check for check in checks if check.relation == "share" and check.row.kind is RowKind.ITEM),
        key=lambda check: check.row.index,
    )
    runs: list[list[RowCheck]] = []
    for check in items:
        if runs and check.row.index == runs[-1][-1].row.index + 1:
            runs[-1].append(check)
        else:
            runs.append([check])
    if len(runs) < 2:
        return []  # one run is the whole column: _rounding_plugs judges it, with its 合计
    return [
        plug
        for run in runs
        if len(run) >= 2
        for plug in _plugged(run, [check for check in run if not check.held], run[0].stated.decimals)
    ]


def _plugged(items: list[RowCheck], failed: list[RowCheck], decimals: int) -> list[RowCheck]:
    """The one failed share a 尾差调整 explains among ``items``, all printed to ``decimals``: the
    printed shares add to exactly 100, their honest roundings do not, and it alone is one
    last-digit unit off its recomputed value."""
    unit = Decimal(1).scaleb(-decimals)
    if any(check.stated.decimals != decimals for check in items):
        return []
    if sum((check.stated.value for check in items), Decimal(0)) != HUNDRED:
        return []
    if sum((check.nearest.mid.quantize(unit) for check in items), Decimal(0)) == HUNDRED:
        return []  # the honest roundings foot as well: there was nothing to plug
    moved = [check for check in failed if abs(check.stated.value - check.nearest.mid.quantize(unit)) == unit]
    return moved if len(moved) == len(failed) == 1 else []


def _amount_candidates(table: AnalyzedTable, share: int) -> list[int]:
    """Amount columns the share may divide: same period or group, and the nearest one to its left."""
    column = table.columns[share]
    rank = period_rank(column_period(column))
    found: list[int] = []
    for position in positions(table, AMOUNT_KINDS):
        other = table.columns[position]
        same_period = rank is not None and period_rank(column_period(other)) == rank
        same_group = bool(column.group) and other.group == column.group
        if same_period or same_group:
            found.append(position)
    left = [p for p in positions(table, AMOUNT_KINDS) if p < share]
    if left and left[-1] not in found:
        found.append(left[-1])
    return found


def _denominators(table: AnalyzedTable, share: int, policy: str) -> dict[int, _Denominator]:
    """For each row index that a share is checked on, where its total stands under ``policy``."""
    rows = list(table.rows)
    result: dict[int, _Denominator] = {}
    if policy == "grand":
        totals = [row for row in rows if row.kind is RowKind.TOTAL]
        if len(totals) > 1:
            # A group's own 合计 (中国节能合计 above 其他投资人 and the 合计 of all) is a total row
            # too; the grand total is the one whose share reads 100%.
            totals = [row for row in totals if _reads_hundred(row, share, or_more=True)]
        if len(totals) != 1 or not _may_be_base(totals[0], share):
            # A 合计 printing 69.69% (前十名股东, 前五名客户) sums shares of an outside base.
            return {}
        for row in rows:
            if row.kind in (RowKind.ITEM, RowKind.SUBTOTAL):
                result[row.index] = _Denominator(totals[0], totals[0].label)
    elif policy == "closing":
        for at, row in enumerate(rows):
            if row.kind is not RowKind.ITEM:
                continue
            closing = next((later for later in rows[at + 1 :] if later.kind in _CLOSING), None)
            if closing is not None and _may_be_base(closing, share):
                result[row.index] = _Denominator(closing, closing.label)
    elif policy == "named":
        match = _NAMED_BASE.search(table.columns[share].header)
        if match is None:
            return {}
        base_name = match.group(1)
        base = next((row for row in rows if _names(row.label, base_name)), None)
        if base is None:
            return {}
        for row in rows:
            if row is not base and row.kind in (RowKind.ITEM, RowKind.SUBTOTAL, RowKind.TOTAL):
                result[row.index] = _Denominator(base, base.label)
    elif policy == "sum":
        if any(row.kind in _CLOSING for row in rows):
            return {}
        for row in rows:
            if row.kind is RowKind.ITEM:
                result[row.index] = _Denominator(None, "各项合计")
    return result


def _reads_hundred(row: Row, share: int, or_more: bool = False) -> bool:
    """The row prints 100% in the share column (or, with ``or_more``, more: no share of the rows
    above can exceed the whole, so a 合计 printing 300.00% is their base with a wrong 100%)."""
    found = figure(row, share)
    if found is None:
        return False
    return found[1].value >= HUNDRED if or_more else found[1].value == HUNDRED


def _may_be_base(row: Row, share: int) -> bool:
    """A row the shares above it are taken of prints 100% in the share column (more is a wrong
    100%), or nothing: a subtotal that prints its own share of something larger (47.80%) is not
    their base."""
    return figure(row, share) is None or _reads_hundred(row, share, or_more=True)


def _names(label: str, base_name: str) -> bool:
    stem = _TOTAL_WORDS.sub("", label)
    return len(stem) >= 2 and (base_name in stem or stem in base_name)


def _in_column_unit(
    table: AnalyzedTable, amount: int, role: str, found: tuple[Cell, Quantity], sign: int = 1
) -> Term:
    """An amount of the column as a relation term, in the column's unit (a figure with its own
    scale word is converted)."""
    column = table.columns[amount]
    return term(role, *found, shift=own_scale(table, column, found[1]) - scale_of(table, column), sign=sign)


def _item_terms(table: AnalyzedTable, amount: int, role: str) -> tuple[Term, ...]:
    """The printed figures of the item rows (blanks add nothing and are left out)."""
    return tuple(
        _in_column_unit(table, amount, role, found)
        for row in table.rows
        if row.kind is RowKind.ITEM and (found := figure(row, amount)) is not None
    )


def _share_relation(
    table: AnalyzedTable, amount: int, part: tuple[Cell, Quantity], denominators: tuple[Term, ...]
) -> Relation:
    return ratio_relation((_in_column_unit(table, amount, "numerator", part),), denominators)


def _share_checks(
    table: AnalyzedTable, share: int, amount: int, policy: str, tolerance: Decimal
) -> list[RowCheck]:
    denominators = _denominators(table, share, policy)
    if not denominators:
        return []
    column = table.columns[amount]
    item_sum: Interval | None = None
    if policy == "sum":
        items = [figure(row, amount) for row in table.rows if row.kind is RowKind.ITEM]
        if any(item is None for item in items):
            return []
        item_sum = interval_sum([amount_interval(table, column, i[1]) for i in items if i is not None])
    checks: list[RowCheck] = []
    for row in table.rows:
        denominator = denominators.get(row.index)
        stated, part = figure(row, share), figure(row, amount)
        if denominator is None or stated is None or part is None:
            continue
        operands = [Operand(part[0], part[1], label_of(table, row, column))]
        if denominator.row is not None:
            base = figure(denominator.row, amount)
            if base is None:
                continue
            operands.append(Operand(base[0], base[1], label_of(table, denominator.row, column)))
            base_interval = amount_interval(table, column, base[1])
            base_terms: tuple[Term, ...] = (_in_column_unit(table, amount, "denominator", base),)
        else:
            assert item_sum is not None
            base_interval = item_sum
            base_terms = _item_terms(table, amount, "denominator")
        expected = ratio_percent(amount_interval(table, column, part[1]), base_interval)
        if expected is None:
            continue
        relation = _share_relation(table, amount, part, base_terms)
        checks.append(
            row_check(
                "share", row, stated, tuple(operands), [expected], tolerance, denominator.label, relation
            )
        )
    # The total's own 100% confirms which row the column is a share of.
    bases = {d.row.index: d.row for d in denominators.values() if d.row is not None}
    for base_row in bases.values():
        stated, base = figure(base_row, share), figure(base_row, amount)
        if stated is not None and base is not None and checks:
            operand = Operand(base[0], base[1], label_of(table, base_row, column))
            hundred = [Interval.exact(HUNDRED)]
            # The total's share of itself: its amount over its amount.
            itself = _share_relation(
                table, amount, base, (_in_column_unit(table, amount, "denominator", base),)
            )
            checks.append(
                row_check("share", base_row, stated, (operand,), hundred, tolerance, base_row.label, itself)
            )
    return checks


def _item_amounts(table: AnalyzedTable, amount: int) -> list[tuple[Row, Interval]] | None:
    """Every item row's amount in base units, a printed blank as zero; None when one is unreadable."""
    column = table.columns[amount]
    found: list[tuple[Row, Interval]] = []
    for row in table.rows:
        if row.kind is not RowKind.ITEM:
            continue
        cell = row.cells[amount] if amount < len(row.cells) else None
        if cell is None or (cell.quantity is None and not cell.blank):
            return None
        if cell.quantity is None or cell.blank:
            found.append((row, Interval.exact(Decimal(0))))
        else:
            found.append((row, amount_interval(table, column, cell.quantity)))
    return found


def _grand_sum_checks(table: AnalyzedTable, share: int, amount: int, tolerance: Decimal) -> list[RowCheck]:
    """The 合计 row's shares computed on the sum of the items, and the 合计 amount against that sum.

    Preparers divide by the total; when the printed total is mistyped, every share breaks
    against it while all of them still hold against the sum of the items. This reading then
    fits the rows, and its one failure is the total itself: its 100% share (its amount over the
    items' sum), or, when the total row prints no share, its amount against the sum.
    """
    totals = [row for row in table.rows if row.kind is RowKind.TOTAL]
    items = _item_amounts(table, amount)
    # With one non-zero item the sum is that item, and every share "is" 100%.
    if len(totals) != 1 or not items or sum(1 for _, i in items if not i.contains_zero()) < 2:
        return []
    total_row = totals[0]
    if not _may_be_base(total_row, share):
        return []  # its share reads 99.66%: the rows are shares of something outside the table
    item_sum = interval_sum([interval for _, interval in items])
    column = table.columns[amount]
    item_denominators = _item_terms(table, amount, "denominator")
    checks: list[RowCheck] = []
    for row in table.rows:
        if row.kind not in (RowKind.ITEM, RowKind.SUBTOTAL):
            continue
        stated, part = figure(row, share), figure(row, amount)
        expected = ratio_percent(amount_interval(table, column, part[1]), item_sum) if part else None
        if stated is None or part is None or expected is None:
            continue
        operand = Operand(part[0], part[1], label_of(table, row, column))
        relation = _share_relation(table, amount, part, item_denominators)
        checks.append(
            row_check("share", row, stated, (operand,), [expected], tolerance, "各项合计", relation)
        )
    total = figure(total_row, amount)
    if not checks or total is None:
        return []
    total_operand = Operand(total[0], total[1], label_of(table, total_row, column))
    item_operands = tuple(
        Operand(found[0], found[1], label_of(table, row, column))
        for row, _ in items
        if (found := figure(row, amount)) is not None
    )
    total_share = figure(total_row, share)
    expected = ratio_percent(amount_interval(table, column, total[1]), item_sum)
    if total_share is not None and expected is not None:
        relation = _share_relation(table, amount, total, item_denominators)
        checks.append(
            row_check(
                "share", total_row, total_share, (total_operand,), [expected], tolerance, "各项合计", relation
            )
        )
    elif total_share is None:
        in_column_units = item_sum.scaled(Decimal(1).scaleb(-scale_of(table, column)))
        footing = Relation(RelationForm.SUM, _item_terms(table, amount, "addend"))
        checks.append(
            row_check("base", total_row, total, item_operands, [in_column_units], tolerance, formula=footing)
        )
    return checks


def _suspect_checks(
    table: AnalyzedTable, share: int, amount: int, tolerance: Decimal
) -> list[list[RowCheck]]:
    """In a table without totals: for each item, the reading in which its amount is the odd one out.

    Shares there are divided by the sum of the items, so one mistyped amount moves every share.
    The other rows' amounts and the suspect row's share still give the true total:
    (sum of the other amounts) / (1 − its share). The other rows are checked against that
    total, the suspect row against the printed sum; when one amount is wrong, the reading that
    suspects it is the one the rows satisfy, and its one failure is that row.
    """
    if any(row.kind in _CLOSING for row in table.rows):
        return []
    items = _item_amounts(table, amount)
    if not items or len(items) < 3:
        return []
    column = table.columns[amount]
    item_sum = interval_sum([interval for _, interval in items])
    candidates: list[list[RowCheck]] = []
    for suspect, suspect_interval in items:
        suspect_share = figure(suspect, share)
        if suspect_share is None or suspect_share[1].interval.high >= HUNDRED:
            continue
        rest = item_sum - suspect_interval
        remaining = (Interval.exact(HUNDRED) - suspect_share[1].interval).scaled(Decimal("0.01"))
        implied_total = rest / remaining
        if implied_total is None:
            continue
        checks: list[RowCheck] = []
        for row, interval in items:
            stated, part = figure(row, share), figure(row, amount)
            base = item_sum if row is suspect else implied_total
            expected = ratio_percent(interval, base)
            if stated is None or part is None or expected is None:
                continue
            operand = Operand(part[0], part[1], label_of(table, row, column))
            # The other rows' base, implied by the suspect row's share, is no sum or ratio of
            # printed figures: their failures carry no relation.
            relation = (
                _share_relation(table, amount, part, _item_terms(table, amount, "denominator"))
                if row is suspect
                else None
            )
            checks.append(
                row_check("share", row, stated, (operand,), [expected], tolerance, "各项合计", relation)
            )
        candidates.append(checks)
    return candidates
