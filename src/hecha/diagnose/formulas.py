"""Explanations by another formula over the document's own figures: a row left out of a sum
(omitted-row) or counted twice (double-counted, also a 其中/小计 row added on top of its items),
a mean over the wrong number of rows (wrong-count), a ratio over another real cell (wrong-base;
prior-base when that cell is the same line of an earlier period), a change or margin divided by
the wrong operand (wrong-base), the other part of 100% (complement), and a figure that repeats
the cell beside it (copied-neighbour).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from hecha.diagnose.candidate import Candidate, show
from hecha.diagnose.cells import Place, earlier_period, figures_near, neighbours, place, place_of, table_at
from hecha.diagnose.problem import (
    MAX_WINDOW_SHARE,
    ONE,
    Figure,
    Problem,
    informative,
    informative_within,
    needed,
)
from hecha.extract.roles import AnalyzedTable, RowKind
from hecha.model.diagnostic import Related, RelationForm
from hecha.model.document import Location
from hecha.model.quantity import Interval, interval_sum

_BREAKDOWN_ROWS = (RowKind.OF_WHICH, RowKind.SUBTOTAL, RowKind.TOTAL)
# How tightly a total-like cell of the ratio's own table must fit to be named as its wrong base
# (window / shift; see _ratio_candidates).
TOTAL_BASE_WINDOW_SHARE = Decimal("0.25")


def formula_candidates(
    problem: Problem, tables: tuple[AnalyzedTable, ...], percent: bool
) -> Iterator[Candidate]:
    form = problem.form
    if form is RelationForm.SUM:
        yield from _sum_candidates(problem, tables, percent)
    elif form is RelationForm.MEAN:
        yield from _mean_candidates(problem, percent)
    elif form is RelationForm.RATIO:
        yield from _ratio_candidates(problem, tables, percent)
    elif form is RelationForm.CHANGE:
        yield from _change_candidates(problem, percent)
    elif form is RelationForm.MARGIN:
        yield from _margin_candidates(problem, percent)
    if form in (RelationForm.RATIO, RelationForm.MARGIN) and problem.scale == Decimal(100):
        complement = Interval.exact(problem.scale) - problem.expected
        if problem.reproduces(complement, complement.mid - problem.expected.mid):
            stated = _stated(problem, percent)
            yield Candidate(
                "complement",
                (Related(problem.stated.location, "列示数"),),
                f"列示数 {stated} 与计算值之和为 100%：可能列示了另一部分的比例（100% − "
                f"{_show(problem, problem.expected.mid, percent)}）",
                f"The stated {stated} and the recomputed figure add up to 100%: the other part's share "
                f"may have been printed (100% − {_show(problem, problem.expected.mid, percent)})",
            )
    yield from _copied_stated(problem, tables, percent)


def _stated(problem: Problem, percent: bool) -> str:
    return show(problem.stated.value, problem.stated.decimals, percent)


def _show(problem: Problem, value: Decimal, percent: bool) -> str:
    return show(value, problem.stated.decimals, percent)


def _contribution(figure: Figure) -> Interval:
    return figure.interval if figure.sign >= 0 else -figure.interval


def _sum_candidates(
    problem: Problem, tables: tuple[AnalyzedTable, ...], percent: bool
) -> Iterator[Candidate]:
    stated = _stated(problem, percent)
    for figure in problem.operands:
        if figure.value == 0:
            continue
        part = _contribution(figure).scaled(problem.scale)
        without = problem.with_operand(figure.index, Interval.exact(Decimal(0)))
        if without is not None and problem.reproduces(without, part.mid):
            copied = _copied_operand(problem, figure, tables)
            if copied is not None:
                yield copied
            else:
                yield Candidate(
                    "omitted-row",
                    (Related(figure.location, figure.label),),
                    f"合计可能漏计了「{figure.label}」：不含该项的各项加总为 "
                    f"{_show(problem, without.mid, percent)}，与列示数 "
                    f"{stated} 一致",
                    f'The total may leave out "{figure.label}": without it the items add up to '
                    f"{_show(problem, without.mid, percent)}, as stated ({stated})",
                )
        twice = problem.expected + part
        if problem.reproduces(twice, part.mid):
            yield Candidate(
                "double-counted",
                (Related(figure.location, figure.label),),
                f"「{figure.label}」可能被重复计入：计入两次后各项加总为 "
                f"{_show(problem, twice.mid, percent)}，与列示数 {stated} 一致",
                f'"{figure.label}" may be counted twice: with it added again the items add up to '
                f"{_show(problem, twice.mid, percent)}, as stated ({stated})",
            )
    yield from _breakdown_added(problem, tables, percent)


def _breakdown_added(
    problem: Problem, tables: tuple[AnalyzedTable, ...], percent: bool
) -> Iterator[Candidate]:
    """A 其中 / 小计 row of the same column, between the items and the total, added on top."""
    location = problem.stated.location
    table = table_at(tables, location)
    if table is None or location.row is None or location.col is None or problem.scale != ONE:
        return
    term_rows = {op.location.row for op in problem.operands if op.location.table == location.table}
    rows = [r for r in term_rows if r is not None]
    if not rows:
        return
    factor = _unit_factor(problem, tables)
    if factor is None:
        return
    for row in table.rows:
        if row.index in term_rows or row.kind not in _BREAKDOWN_ROWS:
            continue
        if not min(rows) <= row.index < location.row:
            continue
        found = place_of(tables, _at(location, row.index))
        if found is None:
            continue
        extra = found.quantity.interval.scaled(factor)
        added = problem.expected + extra
        if problem.reproduces(added, extra.mid):
            label = found.row.label if found.row is not None else found.cell.location.quote
            yield Candidate(
                "double-counted",
                (Related(found.cell.location, label),),
                f"「{label}」是明细项的一部分或其小计，可能又被计入合计：加上该行后为 "
                f"{_show(problem, added.mid, percent)}，与列示数 "
                f"{_stated(problem, percent)} 一致",
                f'"{label}" breaks down or subtotals other items and may have been added to the total '
                f"again: with it the total is {_show(problem, added.mid, percent)}, as stated "
                f"({_stated(problem, percent)})",
            )


def _at(location: Location, row: int) -> Location:
    return replace(location, row=row)


def _unit_factor(problem: Problem, tables: tuple[AnalyzedTable, ...]) -> Decimal | None:
    """What turns a printed cell of the relation's table into the relation's units (1 when the
    relation works on printed figures, 10^4 when it converted 万元 to 元…)."""
    for figure in problem.operands:
        found = place_of(tables, figure.location)
        if found is not None and found.quantity.value != 0 and figure.value != 0:
            ratio = figure.value / found.quantity.value
            power = ratio.adjusted()
            if ratio == Decimal(1).scaleb(power):
                return ratio
            return None
    return None


def _copied_operand(problem: Problem, figure: Figure, tables: tuple[AnalyzedTable, ...]) -> Candidate | None:
    """An operand that should have been adjusted but repeats the cell beside it in its row, while
    its own row states the adjustment that was not carried into it (the 调整数 column of a
    first-adoption table: 2019年01月01日 copied from 2018年12月31日).

    The figure the relation needs must differ from the printed one by exactly a figure printed in
    the same row; that figure is the evidence, with the neighbour it was copied from.
    """
    target = needed(problem, figure)
    origin = place_of(tables, figure.location)
    if target is None or origin is None or origin.row is None or figure.significant_digits < 3:
        return None
    location = figure.location
    same_row = [
        n
        for n in neighbours(origin.table, location.row or 0, location.col or 0)
        if n.cell.location.row == location.row
    ]
    copied_from = next((n for n in same_row if n.quantity.value == origin.quantity.value), None)
    if copied_from is None:
        return None
    adjustment = target - figure.interval
    for column in origin.table.columns:
        if column.index in (location.col, copied_from.cell.location.col):
            continue
        stated_change = _cell(origin, column.index)
        if stated_change is None:
            continue
        change = stated_change.quantity.interval
        if change.overlaps(adjustment) and informative(change.radius + adjustment.radius, change.mid):
            should_be = target.mid
            return Candidate(
                "copied-neighbour",
                (
                    Related(figure.location, figure.label),
                    Related(copied_from.cell.location, copied_from.label),
                    Related(stated_change.cell.location, stated_change.label),
                ),
                f"「{figure.label}」与相邻的「{copied_from.label}」完全相同，而本行列示的调整数 "
                f"{show(stated_change.quantity.value, stated_change.quantity.decimals)} "
                f"未计入该项：按调整后金额 {show(should_be, figure.decimals)} 计算，与列示数 "
                f"{_stated(problem, False)} 一致",
                f'"{figure.label}" repeats the neighbouring "{copied_from.label}" although its row states an '
                "adjustment of "
                f"{show(stated_change.quantity.value, stated_change.quantity.decimals)}: with the adjusted "
                f"figure {show(should_be, figure.decimals)} the relation gives the stated "
                f"{_stated(problem, False)}",
                tier_override=0,
            )
    return None


def _cell(origin: Place, col: int) -> Place | None:
    return place(origin.table, origin.cell.location.row or 0, col)


def _copied_stated(problem: Problem, tables: tuple[AnalyzedTable, ...], percent: bool) -> Iterator[Candidate]:
    """The stated figure repeats a neighbouring cell exactly (a copy-paste of the cell beside it)."""
    stated = problem.stated
    origin = place_of(tables, stated.location)
    if origin is None or stated.significant_digits < 3:
        return
    operand_places = {(op.location.row, op.location.col) for op in problem.operands}
    for neighbour in neighbours(origin.table, stated.location.row or 0, stated.location.col or 0):
        if neighbour.quantity.value != origin.quantity.value:
            continue
        if (neighbour.cell.location.row, neighbour.cell.location.col) in operand_places:
            continue
        if _holds_beside(problem, tables, origin, neighbour):
            continue
        yield Candidate(
            "copied-neighbour",
            (Related(stated.location, "列示数"), Related(neighbour.cell.location, neighbour.label)),
            f"列示数 {_stated(problem, percent)} 与相邻的「{neighbour.label}」完全相同，"
            "可能照抄了相邻单元格；"
            f"按公式计算应为 {_show(problem, problem.expected.mid, percent)}",
            f'The stated {_stated(problem, percent)} repeats the neighbouring "{neighbour.label}": it '
            "may have "
            f"been copied from it; the relation gives {_show(problem, problem.expected.mid, percent)}",
        )


def _holds_beside(
    problem: Problem, tables: tuple[AnalyzedTable, ...], origin: Place, neighbour: Place
) -> bool:
    """The neighbour already equalled the stated figure before any error: the relation, moved by
    the same offset (the other period's column, the row beside), holds for the neighbour over
    operands printing the same figures as ours but for at most one. Both periods printing the
    same total is then no copy; the one differing operand is the likelier misprint."""
    stated = problem.stated.location
    moved_by = (
        (neighbour.cell.location.row or 0) - (stated.row or 0),
        (neighbour.cell.location.col or 0) - (stated.col or 0),
    )
    factor = _unit_factor(problem, tables)
    if factor is None:
        return False
    intervals: list[Interval] = []
    differing = 0
    for figure in problem.operands:
        location = figure.location
        if location.table != stated.table or location.row is None or location.col is None:
            return False
        row, col = location.row + moved_by[0], location.col + moved_by[1]
        grid = origin.table.table.rows
        if not 0 <= row < len(grid) or not 0 <= col < len(grid[row]):
            return False
        beside = place(origin.table, row, col)
        if beside is None:
            if not grid[row][col].blank:
                return False
            interval = Interval.exact(Decimal(0))
        else:
            interval = beside.quantity.interval.scaled(factor)
        if interval.mid != figure.value:
            differing += 1
        intervals.append(interval)
    if differing > 1:
        return False
    result = problem.evaluate(intervals)
    return result is not None and result.overlaps(neighbour.quantity.interval)


def _mean_candidates(problem: Problem, percent: bool) -> Iterator[Candidate]:
    stated = _stated(problem, percent)
    count = len(problem.operands)
    total = interval_sum([op.interval for op in problem.operands]).scaled(problem.scale)
    if count > 2:
        for figure in problem.operands:
            rest = (total - figure.interval.scaled(problem.scale)).scaled(ONE / (count - 1))
            if problem.reproduces(rest, rest.mid - problem.expected.mid):
                yield Candidate(
                    "omitted-row",
                    (Related(figure.location, figure.label),),
                    f"平均值可能漏计了「{figure.label}」：其余 {count - 1} 项的平均值为 "
                    f"{_show(problem, rest.mid, percent)}，与列示数 {stated} 一致",
                    f'The mean may leave out "{figure.label}": the other {count - 1} items average '
                    f"{_show(problem, rest.mid, percent)}, as stated ({stated})",
                )
    for divisor in (count - 1, count + 1):
        if divisor <= 0:
            continue
        mean = total.scaled(ONE / divisor)
        if problem.reproduces(mean, mean.mid - problem.expected.mid):
            yield Candidate(
                "wrong-count",
                tuple(Related(op.location, op.label) for op in problem.operands),
                f"平均值可能除以了错误的项数：{count} 项之和除以 {divisor} 为 "
                f"{_show(problem, mean.mid, percent)}，与列示数 "
                f"{stated} 一致",
                f"The mean may divide by the wrong count: the {count} items' sum divided by {divisor} is "
                f"{_show(problem, mean.mid, percent)}, as stated ({stated})",
            )


def _ratio_candidates(
    problem: Problem, tables: tuple[AnalyzedTable, ...], percent: bool
) -> Iterator[Candidate]:
    """The ratio computed over another real cell as its base.

    Any figure near the table may be the base when it pins the stated figure down as tightly as
    every other candidate must (``MAX_WINDOW_SHARE``). A total-like cell of the same table (a
    合计/小计 row of any column, or the base row's figure in another column: the other period's
    or segment's total) is where a wrong base is usually taken from, and few such cells exist, so
    it needs only fit within a quarter of the shift it makes (``TOTAL_BASE_WINDOW_SHARE``): a
    small share printed to two decimals (0.53%) cannot pin its base down to 2% of the miss.
    """
    numerators = [op for op in problem.operands if op.role == "numerator"]
    denominators = [op for op in problem.operands if op.role == "denominator"]
    if not numerators or not denominators:
        if len(problem.operands) != 2:
            return
        numerators, denominators = [problem.operands[0]], [problem.operands[1]]
    if problem.stated.value == 0:
        return
    numerator = interval_sum([_contribution(op) for op in numerators]).scaled(problem.scale)
    # numerator / X × scale = stated  ⇒  X = numerator × scale / stated
    base = numerator / problem.stated.interval
    denominator = denominators[0]
    origin = place_of(tables, denominator.location)
    factor = _unit_factor(problem, tables)
    if base is None or origin is None or factor is None:
        return
    single = len(denominators) == 1
    denominator_label = denominator.label if single else "各项合计"
    own = {(op.location.table, op.location.row, op.location.col) for op in problem.operands}
    for found in figures_near(tables, origin.table):
        location = found.cell.location
        if (location.table, location.row, location.col) in own or found.quantity.value == 0:
            continue
        if found.quantity.unit != origin.quantity.unit or len(found.quantity.text) < 4:
            continue
        candidate_base = found.quantity.interval.scaled(factor)
        if not candidate_base.overlaps(base):
            continue
        result = numerator / candidate_base
        if result is None or not result.overlaps(problem.stated.interval):
            continue
        same_row = single and found.table is origin.table and location.row == denominator.location.row
        total_like = found.table is origin.table and (
            same_row or (found.row is not None and found.row.kind in (RowKind.TOTAL, RowKind.SUBTOTAL))
        )
        share = TOTAL_BASE_WINDOW_SHARE if total_like else MAX_WINDOW_SHARE
        window = result.radius + problem.stated.interval.radius
        if not informative_within(window, result.mid - problem.expected.mid, share):
            continue
        prior = same_row and earlier_period(origin.header, found.header)
        kind = "prior-base" if prior else "wrong-base"
        stated = _stated(problem, percent)
        what = "上期同一项目" if prior else "另一单元格"
        what_en = "the same line of the earlier period" if prior else "another cell"
        yield Candidate(
            kind,
            (Related(denominator.location, denominator_label), Related(location, found.label)),
            f"比例可能以{what}「{found.label}」"
            f"（{show(found.quantity.value, found.quantity.decimals)}）而非「{denominator_label}」为基数："
            f"按该基数计算为 {_show(problem, result.mid, percent)}，与列示数 {stated} 一致",
            f'The ratio may be computed on {what_en} "{found.label}" '
            f"({show(found.quantity.value, found.quantity.decimals)}) "
            f'instead of "{denominator_label}": on that base it is '
            f"{_show(problem, result.mid, percent)}, as stated ({stated})",
            used=found.quantity.value,
        )


def _change_candidates(problem: Problem, percent: bool) -> Iterator[Candidate]:
    current, prior = problem.role("current"), problem.role("prior")
    if current is None or prior is None:
        return
    # (c − p) / |c|: the change divided by the current period instead of the prior one.
    result = _reciprocal_change(current.interval, prior.interval, problem.scale)
    if result is not None and problem.reproduces(result, result.mid - problem.expected.mid):
        stated = _stated(problem, percent)
        yield Candidate(
            "wrong-base",
            (Related(current.location, current.label), Related(prior.location, prior.label)),
            f"变动比例可能以本期数「{current.label}」而非上期数「{prior.label}」为基数：按本期数计算为 "
            f"{_show(problem, result.mid, percent)}，与列示数 {stated} 一致",
            f'The change may be divided by the current figure "{current.label}" instead of the prior '
            f'"{prior.label}": so computed it is {_show(problem, result.mid, percent)}, as stated ({stated})',
        )


def _reciprocal_change(current: Interval, prior: Interval, scale: Decimal) -> Interval | None:
    """(c − p) / |c| × scale, as ±(1 − p / c) so that the current figure's rounding counts once."""
    quotient = prior / current
    if quotient is None:
        return None
    one = Interval.exact(ONE)
    change = one - quotient if current.low > 0 else quotient - one
    return change.scaled(scale)


def _margin_candidates(problem: Problem, percent: bool) -> Iterator[Candidate]:
    revenue, cost = problem.role("revenue"), problem.role("cost")
    if revenue is None or cost is None:
        return
    # (revenue − cost) / cost: a markup on cost printed as the margin.
    quotient = revenue.interval / cost.interval
    if quotient is None:
        return
    result = (quotient - Interval.exact(ONE)).scaled(problem.scale)
    if problem.reproduces(result, result.mid - problem.expected.mid):
        stated = _stated(problem, percent)
        yield Candidate(
            "wrong-base",
            (Related(cost.location, cost.label), Related(revenue.location, revenue.label)),
            f"毛利率可能以成本「{cost.label}」而非收入「{revenue.label}」为基数：(收入 − 成本) / 成本 为 "
            f"{_show(problem, result.mid, percent)}，与列示数 {stated} 一致",
            f'The margin may be divided by the cost "{cost.label}" instead of the revenue "{revenue.label}": '
            f"(revenue − cost) / cost is {_show(problem, result.mid, percent)}, as stated ({stated})",
        )
