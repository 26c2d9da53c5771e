"""T001 total-mismatch: a 合计/总计/小计 row (or a 合计 column) that is not the sum of what it closes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row, RowKind
from hecha.extract.table_roles import sign_word
from hecha.ingest.numbers import normalize
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Cell, Location
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Comparison, Rule, RuleContext, compare
from hecha.rules.registry import register
from hecha.rules.tables._columns import term

SUMMABLE = (ColumnKind.AMOUNT, ColumnKind.DIFFERENCE)
_BOUNDARY = (RowKind.TOTAL, RowKind.SUBTOTAL, RowKind.SECTION)


class Unknown:
    """Marker: an operand whose value cannot be known (unparsed text, misaligned cell, % in an
    amount column). A relation with an unknown operand is not checked."""


UNKNOWN = Unknown()


def operand(cell: Cell | None, target_scale: int | None, column_scale: int | None) -> Interval | Unknown:
    """The interval a cell stands for in ``target_scale`` units: a printed blank is exactly 0."""
    if cell is None or cell.unread:
        return UNKNOWN
    quantity = cell.quantity
    if quantity is None:
        return Interval.exact(Decimal(0)) if cell.blank or not cell.text.strip() else UNKNOWN
    if quantity.unit not in (Unit.NUMBER, Unit.CURRENCY, Unit.COUNT):
        return UNKNOWN
    scale = quantity.scale if quantity.scale is not None else column_scale
    if scale == target_scale:
        return quantity.interval
    if scale is None or target_scale is None:
        return UNKNOWN
    return quantity.interval.scaled(Decimal(1).scaleb(scale - target_scale))


def stated_figure(cell: Cell | None) -> Quantity | None:
    """The stated figure of a total/average cell, None when it states none or a percentage."""
    if cell is None or cell.quantity is None:
        return None
    return cell.quantity


def printed(value: Decimal, like: Sequence[Quantity]) -> str:
    """``value`` written the way the document writes its figures: their decimals, with thousands
    separators when the document uses them."""
    decimals = max((q.decimals for q in like), default=2)
    commas = any("," in normalize(q.text) for q in like) or all(abs(q.value) < 1000 for q in like)
    quantized = value.quantize(Decimal(1).scaleb(-decimals))
    return f"{quantized:,}" if commas else f"{quantized}"


def addend_term(cell: Cell, sign: int, target_scale: int | None, column_scale: int | None) -> Term | None:
    """The addend of a sum as a relation term, moved into the stated figure's unit as
    ``operand`` moves it; None for a printed blank (it adds nothing)."""
    quantity = cell.quantity
    if quantity is None or cell.blank:
        return None
    scale = quantity.scale if quantity.scale is not None else column_scale
    shift = scale - target_scale if scale is not None and target_scale is not None else 0
    return term("addend", cell, quantity, shift=shift, sign=sign)


def sum_relation(
    total_cell: Cell, column: Column, addends: Sequence[tuple[Cell | None, int, int | None]]
) -> Relation:
    """The footing stated = Σ sign × addend over ``addends`` (cell, sign, column scale)."""
    target = cell_scale(total_cell, column)
    terms = tuple(
        found
        for cell, sign, column_scale in addends
        if cell is not None and (found := addend_term(cell, sign, target, column_scale)) is not None
    )
    return Relation(RelationForm.SUM, terms)


def cell_scale(cell: Cell | None, column: Column) -> int | None:
    if cell is not None and cell.quantity is not None and cell.quantity.scale is not None:
        return cell.quantity.scale
    return column.scale


@dataclass(frozen=True)
class AddendSet:
    """One plausible reading of what a total closes: rows (or columns) with their signs."""

    name: str
    members: tuple[tuple[int, int], ...]  # (position in table.rows or table.columns, +1 / -1)


@dataclass(frozen=True)
class Outcome:
    """A relation evaluated in one cell: held, failed (with its comparison) or not checkable."""

    held: bool | None
    comparison: Comparison | None = None
    recomputed: Interval | None = None
    figures: int = 0  # operands that print a figure (not blank)


def evaluate(
    stated: Quantity,
    stated_scale: int | None,
    cells: Sequence[tuple[Cell | None, int, int | None]],
    absolute_tolerance: Decimal,
) -> Outcome:
    """Does ``stated`` equal the signed sum of ``cells`` (cell, sign, column scale)?"""
    if stated.unit not in (Unit.NUMBER, Unit.CURRENCY, Unit.COUNT):
        return Outcome(None)
    total = Interval.exact(Decimal(0))
    figures = 0
    for cell, sign, column_scale in cells:
        value = operand(cell, stated_scale, column_scale)
        if isinstance(value, Unknown):
            return Outcome(None)
        if cell is not None and cell.quantity is not None:
            figures += 1
        total = total + value if sign > 0 else total - value
    if not figures:
        return Outcome(None)  # every addend blank: the items were not printed, nothing to add
    stated_interval = stated.interval
    if stated.scale is not None and stated_scale is not None and stated.scale != stated_scale:
        return Outcome(None)
    comparison = compare(stated, total, absolute_tolerance, stated_interval)
    return Outcome(comparison is None, comparison, total, figures)


@dataclass(frozen=True)
class _ClosingRow:
    """A total or subtotal row with its candidate addend sets evaluated column by column."""

    end: int
    candidates: Sequence[AddendSet]
    outcomes: dict[tuple[int, int], Outcome]

    def usable(self, position: int) -> list[tuple[int, Outcome]]:
        """(candidate number, outcome) of the candidates checkable in column ``position``."""
        found = []
        for number in range(len(self.candidates)):
            outcome = self.outcomes.get((number, position))
            if outcome is not None and outcome.held is not None:
                found.append((number, outcome))
        return found

    def holds(self, number: int, position: int) -> bool:
        outcome = self.outcomes.get((number, position))
        return outcome is not None and outcome.held is True

    def fails(self, number: int, position: int) -> bool:
        outcome = self.outcomes.get((number, position))
        return outcome is not None and outcome.held is False


def _corroborated_by_columns(
    total: _ClosingRow, usable: Sequence[tuple[int, Outcome]], position: int, summable: Sequence[int]
) -> int | None:
    """The addend set that holds in most of the row's other columns (more than it fails in), if any.

    A column where the total repeats its one printed item counts: "回购股份 | 合计" equal in
    期初, 本期增加 and 期末 is the evidence that the 合计 closes that item alone.
    """
    best: tuple[int, int] | None = None
    for number, _ in usable:
        others = [other for other in summable if other != position]
        holds = sum(1 for other in others if total.holds(number, other))
        fails = sum(1 for other in others if total.fails(number, other))
        if holds > fails and (best is None or holds > best[1]):
            best = (number, holds)
    return best[0] if best else None


def _corroborated_by_rows(
    table: AnalyzedTable,
    total: _ClosingRow,
    closing: Sequence[_ClosingRow],
    usable: Sequence[tuple[int, Outcome]],
    position: int,
    summable: Sequence[int],
    bounded_only: bool,
) -> int | None:
    """For a total that states one figure only (so no other column can vouch for it): the most
    likely addend set when the same kind of set adds up, with two or more figures, at another
    total of the same column. Blocks of staff counts each closed by 合计 are the common case."""
    if any(other != position and total.usable(other) for other in summable):
        return None
    for number, _ in usable:
        if bounded_only and not _bounded(table, total.candidates[number]):
            continue
        name = total.candidates[number].name
        for other in closing:
            if other.end == total.end:
                continue
            for other_number, outcome in other.usable(position):
                if other.candidates[other_number].name == name and outcome.held and outcome.figures >= 2:
                    return number
    return None


def _independent(
    table: AnalyzedTable, total: _ClosingRow, reading: int, other: int, position: int, summable: Sequence[int]
) -> bool:
    """``reading`` holds in another column where ``other`` fails, or where the rows in which the
    two readings differ print figures (so that its holding there owes nothing to ``other``)."""
    mine = set(total.candidates[reading].members)
    theirs = set(total.candidates[other].members)
    differing = {p for p, _ in mine ^ theirs}
    for column in summable:
        if column == position or not total.holds(reading, column):
            continue
        outcome = total.outcomes[(reading, column)]
        if outcome.figures < 2:
            continue
        if total.fails(other, column):
            return True
        if any(table.quantity(table.rows[p], column) is not None for p in differing):
            return True
    return False


def _reads_past_unread(table: AnalyzedTable, readings: Sequence[AddendSet], position: int) -> bool:
    """One of ``readings`` of a total takes in a figure hecha could not read or place in this
    column.

    That reading cannot be evaluated, and it may be the right one: a failure of another reading
    (one that happens to leave the unread row out) proves nothing.
    """
    for candidate in readings:
        for member, _ in candidate.members:
            cell = table.rows[member].cells[position]
            if cell is not None and cell.unread:
                return True
    return False


def _ruled_out(
    table: AnalyzedTable, total: _ClosingRow, reading: AddendSet, positions: Sequence[int], tolerance: Decimal
) -> bool:
    """``reading`` fails in one of ``positions`` (columns where the reported reading holds) even
    with its unread figures taken as empty: whatever those figures are there, it is not the
    reading of this total. (Taken as their printed value it would only be further off when they
    are empty there; an unread row that is empty in such a column cannot rule a reading out.)"""
    row = table.rows[total.end]
    for position in positions:
        stated = stated_figure(row.cells[position])
        if stated is None:
            continue
        column = table.columns[position]
        cells = []
        for member, sign in reading.members:
            cell = table.rows[member].cells[position]
            if cell is not None and cell.unread:
                cell = replace(cell, quantity=None, blank=True, unread=False)
            cells.append((cell, sign, column.scale))
        outcome = evaluate(stated, cell_scale(row.cells[position], column), cells, tolerance)
        if outcome.held is False:
            return True
    return False


def _may_start_on_page_before(table: AnalyzedTable, candidate: AddendSet) -> bool:
    """The reported reading runs up to the top of a table that opens its page with nothing above
    it there: its first rows may stand on the page before, in a part ingest could not join (a
    staff table's 16-20岁 row on p.133, its other rows and 合计 on p.134). A sum that leaves out
    rows hecha never saw proves nothing."""
    return table.table.opens_page and not _bounded(table, candidate)


def _bounded(table: AnalyzedTable, candidate: AddendSet) -> bool:
    """A heading, total or subtotal row stands above the set's first member in the table."""
    first = min((p for p, _ in candidate.members), default=0)
    return any(row.kind in _BOUNDARY for row in table.rows[:first])


def _scope_items(rows: Sequence[Row], end: int, stop: tuple[RowKind, ...]) -> list[int]:
    """ITEM rows walking up from ``end`` (exclusive) until a row of a ``stop`` kind."""
    found: list[int] = []
    for position in range(end - 1, -1, -1):
        kind = rows[position].kind
        if kind in stop:
            break
        if kind is RowKind.ITEM:
            found.append(position)
    return sorted(found)


def row_addend_sets(rows: Sequence[Row], end: int) -> list[AddendSet]:
    """The plausible addend sets of the closing row at ``end``, most likely first."""
    candidates: list[AddendSet] = []

    def add(name: str, positions: Sequence[int], signed: bool = False) -> None:
        members = tuple((p, -1 if signed and rows[p].sign_word == "减" else 1) for p in sorted(positions))
        if members and all(c.members != members for c in candidates):
            candidates.append(AddendSet(name, members))

    since_boundary = _scope_items(rows, end, _BOUNDARY)
    netted = _breakdowns(rows, since_boundary)
    if netted:
        # A row restated or netted by the next is a breakdown, whatever its label: the structure
        # says so before the figures are summed, so this reading comes first.
        add("items without their breakdowns", [p for p in since_boundary if p not in netted], signed=True)
    add("items", since_boundary)
    top = _top_level(rows, since_boundary)
    if top:
        add("top-level items", top)
    since_total: list[int] = []
    subtotals: list[int] = []
    last_total: int | None = None
    for position in range(end - 1, -1, -1):
        kind = rows[position].kind
        if kind is RowKind.TOTAL:
            last_total = position
            break
        if kind is RowKind.SUBTOTAL:
            subtotals.append(position)
        elif kind is RowKind.ITEM:
            since_total.append(position)
    if subtotals:
        last_subtotal = max(subtotals)
        add("subtotals and trailing items", subtotals + [p for p in since_total if p > last_subtotal])
        add("subtotals", subtotals)
    add("items since the last total", since_total)
    # A total that closes the total above it and the items after it: 股东权益合计 = 归属于母公司
    # 股东权益合计 + 少数股东权益.
    if last_total is not None and since_total:
        add("the last total and the items after it", [last_total, *since_total])
    totals_since_grand = []
    for position in range(end - 1, -1, -1):
        row = rows[position]
        if row.kind is RowKind.TOTAL and "总计" in row.label:
            break
        if row.kind is RowKind.TOTAL:
            totals_since_grand.append(position)
    add("totals", totals_since_grand)
    add("all items above", [p for p in range(end) if rows[p].kind is RowKind.ITEM])
    if any(rows[p].sign_word for p in since_boundary):
        add("signed items", since_boundary, signed=True)
        carried = _carried_signs(rows, since_boundary)
        if carried and all(c.members != carried for c in candidates):
            candidates.append(AddendSet("signed items, 减： carried down", carried))
    start = min(since_boundary) if since_boundary else end
    of_which = [p for p in range(start, end) if rows[p].kind is RowKind.OF_WHICH]
    if of_which:
        add("items and 其中 rows", since_boundary + of_which)
    # "其中：应收利息" may be followed by more breakdown rows printed without 其中 ("应收股利").
    for opener in of_which:
        following = [p for p in since_boundary if p > opener]
        for count in (1, 2, 3):
            excluded = set(following[:count])
            add("items without 其中 breakdowns", [p for p in since_boundary if p not in excluded])
    return candidates


def _top_level(rows: Sequence[Row], positions: list[int]) -> list[int]:
    """The items of the shallowest numbering when some nest deeper ("一 前期工程费" over "2.1
    设计费"), or the numbered items when unnumbered ones stand under them ("一、不能重分类进损益的
    其他综合收益" over "其他权益工具投资公允价值变动"): the deeper ones break their parent down."""
    levels = [rows[p].level for p in positions]
    if len(positions) < 2 or len(set(levels)) < 2 or not levels[0]:
        return []
    shallowest = min(level for level in levels if level)
    return [p for p in positions if rows[p].level == shallowest]


_RATE_ROWS_HELD = Decimal(2) / 3


def _rates_of_other_columns(table: AnalyzedTable, position: int, amounts: Sequence[int]) -> bool:
    """The column's figures are the change rates or the ratios of two other amount columns, row by
    row: a 变动比例 column whose header the extraction scrambled ("小计 … 46.13" is (562,220,894.56 −
    384,737,396.05) / 384,737,396.05), a 计提比例 printed without % under a lost header ("组合 1 …
    30.39" is 40,221,889.04 / 132,334,084.59). Rates never add up; the column is no total's addend."""
    if sum(1 for row in table.rows if stated_figure(row.cells[position]) is not None) < 3:
        return False
    for current in amounts:
        for prior in amounts:
            if position in (current, prior) or current == prior:
                continue
            tested = changes = ratio_rows = ratios = 0
            for row in table.rows:
                rate = stated_figure(row.cells[position])
                now, before = stated_figure(row.cells[current]), stated_figure(row.cells[prior])
                if rate is None or now is None or before is None or before.value == 0:
                    continue
                tested += 1
                step = Decimal(1).scaleb(-rate.decimals)
                changes += abs((now.value - before.value) / abs(before.value) * 100 - rate.value) <= step
                # Columns of zeros are everyone's ratio: only printed rates count, and a rate is a
                # percentage (580,000.00 = 580,000.00 / 100.00% × 100 is an amount, not a ratio).
                if rate.value and abs(rate.value) <= 1000:
                    ratio_rows += 1
                    ratios += abs(now.value / before.value * 100 - rate.value) <= step
            if tested >= 3 and changes >= tested * _RATE_ROWS_HELD:
                return True
            if ratio_rows >= 3 and ratios >= ratio_rows * _RATE_ROWS_HELD:
                return True
    return False


def _breakdowns(rows: Sequence[Row], positions: list[int]) -> set[int]:
    """Items that another item restates: an unnamed 其中 line equal to the row above it in every
    column ("交易性金融资产 -54,170.16" over "以公允价值计量…的金融资产 -54,170.16"), or the lines a
    net row nets ("借款利息 / 减：资本化利息" under "利息支出 401,627,067"). A total closes the
    restating or net row, not both."""
    found: set[int] = set()
    for at, position in enumerate(positions):
        if at and _same_figures(rows[positions[at - 1]], rows[position]):
            found.add(position)
            continue
        for count in (2, 3, 4):
            if at < count:
                break
            parts = positions[at - count : at]
            if parts != list(range(parts[0], parts[0] + count)) or any(p in found for p in parts):
                continue
            if _nets(rows, parts, rows[position]):
                found.update(parts)
                break
    return found


def _figures(row: Row) -> list[tuple[int, Decimal]]:
    return [(p, cell.quantity.value) for p, cell in enumerate(row.cells) if cell and cell.quantity]


def _same_figures(first: Row, second: Row) -> bool:
    mine, theirs = _figures(first), _figures(second)
    return bool(mine) and mine == theirs and any(value for _, value in mine)


def _nets(rows: Sequence[Row], parts: list[int], net: Row) -> bool:
    """``net`` is the signed sum of ``parts`` in every column it prints a figure in."""
    figures = _figures(net)
    if not figures or not any(value for _, value in figures):
        return False
    for position, value in figures:
        total = Decimal(0)
        for part in parts:
            cell = rows[part].cells[position] if position < len(rows[part].cells) else None
            if cell is None or cell.quantity is None:
                return False
            total += -cell.quantity.value if rows[part].sign_word == "减" else cell.quantity.value
        if total != value:
            return False
    return True


def _carried_signs(rows: Sequence[Row], positions: list[int]) -> tuple[tuple[int, int], ...]:
    """The items with 减： carried down to the lines it heads until a 加： line.

    "减：所得税影响额 / 少数股东权益影响额（税后） / 合计": both lines are deducted. A 减： line may
    also head itself alone ("减：库存股" among equity lines), so this is one reading among the
    others, kept only when the printed total confirms it.
    """
    members: list[tuple[int, int]] = []
    sign = 1
    for position in sorted(positions):
        word = rows[position].sign_word
        if word == "减":
            sign = -1
        elif word == "加":
            sign = 1
        members.append((position, sign))
    return tuple(members)


def _simple_reading(table: AnalyzedTable, total: _ClosingRow) -> int | None:
    """The addend set of a plain table: items (and 小计 rows without items of their own above
    them) closed by one 合计 or 小计 row at the bottom, 其中 rows breaking items down, 减： rows
    subtracted. Nothing else could be meant, so the total is checked even in a single column."""
    rows = table.rows
    if table.header_row_count < 1:
        return None  # a headless fragment: its items may have started on the previous page
    if total.end != len(rows) - 1:
        return None
    above = rows[: total.end]
    if any(row.kind not in (RowKind.ITEM, RowKind.SUBTOTAL, RowKind.OF_WHICH) for row in above):
        return None
    if rows[total.end].kind is RowKind.SUBTOTAL and any(row.kind is RowKind.SUBTOTAL for row in above):
        return None
    if any(None in row.cells for row in rows) or any(_is_bare_of_which(row) for row in above):
        return None  # a misread grid, or 其中 rows known only by their position under "其中："
    addends = [p for p, row in enumerate(above) if row.kind is not RowKind.OF_WHICH]
    if (
        not addends
        or len({rows[p].level for p in addends}) > 1  # numbered rows nesting in each other
        or any(rows[p].level in (1, 2) for p in addends)  # 一、营业收入 … 二、营业利润: a statement
        or any(("：" in rows[p].label or ":" in rows[p].label) and not rows[p].sign_word for p in addends)
    ):
        return None
    wanted = tuple((p, -1 if rows[p].sign_word == "减" else 1) for p in addends)
    for number, candidate in enumerate(total.candidates):
        if candidate.members == wanted:
            return number
    return None


def _is_bare_of_which(row: Row) -> bool:
    return "".join(normalize(row.label).split()).rstrip(":：") == "其中"


def is_total_header(text: str) -> bool:
    squeezed = "".join(normalize(text).split())
    return squeezed in ("合计", "总计", "合计数", "总额") or squeezed.endswith(("合计", "总计"))


def _sub_header(column: Column) -> str:
    header = column.header
    if column.group and header.startswith(column.group):
        header = header[len(column.group) :]
    return "".join(normalize(header).split()).strip("/")


def column_addend_sets(columns: Sequence[Column], total: int) -> list[AddendSet]:
    """The columns a 合计 column adds up: the same sub-column of every other group, or (without
    groups) the summable columns left of it since the previous total column."""
    column = columns[total]
    if column.group and is_total_header(column.group):
        sub = _sub_header(column)
        members = [
            position
            for position, other in enumerate(columns)
            if other.group
            and other.group != column.group
            and not is_total_header(other.group)
            and _sub_header(other) == sub
            and other.kind is column.kind
        ]
        return [AddendSet("groups", tuple((p, 1) for p in members))] if len(members) >= 2 else []
    if not column.group and is_total_header(column.header):
        same_period: list[int] = []
        since_total: list[int] = []
        for position in range(total - 1, -1, -1):
            other = columns[position]
            if is_total_header(other.header):
                break
            if other.kind in SUMMABLE:
                since_total.append(position)
                if other.period == column.period:
                    same_period.append(position)
        candidates = []
        if len(same_period) >= 2:
            candidates.append(AddendSet("columns", tuple((p, 1) for p in sorted(same_period))))
        # Equity statements: 股本 … 减：库存股 … 所有者权益合计, with a title cell muddling the
        # periods of some headers; every column since the previous total, 减： ones subtracted.
        signed = tuple(
            (p, -1 if sign_word(columns[p].header.split(" / ")[-1]) == "减" else 1)
            for p in sorted(since_total)
        )
        if len(signed) >= 2 and all(c.members != signed for c in candidates):
            candidates.append(AddendSet("columns since the last total", signed))
        return candidates
    return []


@register
class TotalMismatch(Rule):
    """A 合计/总计/小计 row or 合计 column that is not the sum of the rows or columns it closes.

    What it checks:
        Every total row (合计, 总计, 资产总计, …) and subtotal row (小计) of an amount column against
        the sum of the items it closes: the items since the previous total, subtotal or section
        heading; or its subtotals; or the total above it with the items after that total
        (股东权益合计 = 归属于母公司股东权益合计 + 少数股东权益); or all items above. 其中 rows are
        breakdowns, never addends.
        A 合计 column (or column group) is checked against the same-period columns of the other
        groups. Rounding is allowed for: the stated figure fails only when its rounding interval
        and the interval of the recomputed sum do not overlap.

    Why it matters:
        A total that does not foot means an item is missing, mistyped or counted twice; it is the
        first thing an exchange reviewer recomputes.

    Failing example:
        | 项目 | 2025年度 |
        | 半导体存储业务 | 34,048.57 |
        | 生态环境建设业务 | 16,307.97 |
        | 合计 | 50,456.55 |   (the items add up to 50,356.54)

    Passing example:
        | 项目 | 2025年度 |
        | 半导体存储业务 | 34,048.57 |
        | 生态环境建设业务 | 16,307.97 |
        | 合计 | 50,356.55 |   (50,356.54 within the rounding of three 2-decimal figures)

    Options:
        absolute_tolerance: an extra allowance added to the rounding interval (default 0).
    """

    code = "T001"
    name = "total-mismatch"
    summary = "合计数与各项之和不符"
    summary_en = "Total does not equal the sum of its items"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for table in ctx.tables:
            yield from self._row_totals(ctx, table)
            yield from self._column_totals(ctx, table)

    @property
    def _tolerance(self) -> Decimal:
        options = self.options
        return options.absolute_tolerance if isinstance(options, TotalMismatch.Options) else Decimal(0)

    def _row_totals(self, ctx: RuleContext, table: AnalyzedTable) -> Iterator[Diagnostic]:
        summable = [p for p, column in enumerate(table.columns) if column.kind in SUMMABLE]
        figures = [p for p, column in enumerate(table.columns) if column.kind is not ColumnKind.LABEL]
        summable = [p for p in summable if not _rates_of_other_columns(table, p, figures)]
        closing: list[_ClosingRow] = []
        for end, row in enumerate(table.rows):
            if row.kind not in (RowKind.TOTAL, RowKind.SUBTOTAL):
                continue
            candidates = row_addend_sets(table.rows, end)
            if candidates:
                closing.append(_ClosingRow(end, candidates, self._outcomes(table, end, candidates, summable)))
        for total in closing:
            row = table.rows[total.end]
            for position in summable:
                usable = total.usable(position)
                if not usable:
                    continue
                total_cell = row.cells[position]
                assert total_cell is not None
                holding = [n for n, o in usable if o.held]
                failing = [(n, o) for n, o in usable if not o.held]
                if holding:
                    reported = self._overruled(table, total, closing, holding, failing, position, summable)
                    if reported is None:
                        chosen = total.candidates[holding[0]]
                        # Its cells count as verified only when a failure here would be reported: a
                        # reading that no other column or total vouches for is not one hecha checks.
                        reportable = self._reported(table, total, closing, usable, position, summable)
                        ctx.stats.relation(
                            table.table.index,
                            held=True,
                            cells=[total_cell.location, *self._row_locations(table, chosen, position)]
                            if reportable is not None
                            else (),
                        )
                        continue
                else:
                    reported = self._reported(table, total, closing, usable, position, summable)
                ctx.stats.relation(table.table.index, held=False)
                if reported is None:
                    continue
                # Columns that hold the reported reading exactly rule out the other readings that
                # fail there with their unread figures taken as empty (非流动资产合计 read as every
                # asset since the top, over an unplaced 应收股利): those no longer stand in the way.
                vouching = [p for p in summable if p != position and total.holds(reported, p)]
                readings = [
                    reading
                    for number, reading in enumerate(total.candidates)
                    if number == reported or not _ruled_out(table, total, reading, vouching, self._tolerance)
                ]
                if _reads_past_unread(table, readings, position):
                    continue
                if _may_start_on_page_before(table, total.candidates[reported]):
                    continue
                outcome = total.outcomes[(reported, position)]
                yield self._row_finding(table, row, position, total.candidates[reported], outcome)

    def _outcomes(
        self, table: AnalyzedTable, end: int, candidates: Sequence[AddendSet], summable: Sequence[int]
    ) -> dict[tuple[int, int], Outcome]:
        """Every candidate addend set evaluated in every summable column of the closing row."""
        row = table.rows[end]
        outcomes: dict[tuple[int, int], Outcome] = {}
        for position in summable:
            stated = stated_figure(row.cells[position])
            if stated is None:
                continue
            column = table.columns[position]
            for number, candidate in enumerate(candidates):
                cells = [(table.rows[p].cells[position], sign, column.scale) for p, sign in candidate.members]
                outcomes[(number, position)] = evaluate(
                    stated, cell_scale(row.cells[position], column), cells, self._tolerance
                )
        return outcomes

    def _overruled(
        self,
        table: AnalyzedTable,
        total: _ClosingRow,
        closing: Sequence[_ClosingRow],
        holding: Sequence[int],
        failing: Sequence[tuple[int, Outcome]],
        position: int,
        summable: Sequence[int],
    ) -> int | None:
        """A vouched-for reading that fails here although another reading happens to hold.

        The other, less likely, reading does not excuse the failure when it merely repeats one
        figure (合计 = the 合计 of the block above), or when the vouched-for reading held
        elsewhere on figures of its own, independently of it (总计 = 按单项 + 按组合 beside
        总计 = 应收账款小计 + 合同资产小计).
        """
        if not failing:
            return None
        reported = self._reported(table, total, closing, failing, position, summable)
        if reported is None:
            return None
        for number in holding:
            if number < reported:
                return None  # a more likely reading holds
            if total.outcomes[(number, position)].figures >= 2 and not _independent(
                table, total, reported, number, position, summable
            ):
                return None
        return reported

    @staticmethod
    def _reported(
        table: AnalyzedTable,
        total: _ClosingRow,
        closing: Sequence[_ClosingRow],
        usable: Sequence[tuple[int, Outcome]],
        position: int,
        summable: Sequence[int],
    ) -> int | None:
        """The addend set to report a failed total against, or None when the failure is not
        corroborated (then the reading, not the document, may be wrong)."""
        reported = _corroborated_by_columns(total, usable, position, summable)
        if reported is None:
            simple = _simple_reading(table, total)
            if simple is not None and any(number == simple for number, _ in usable):
                reported = simple
        if reported is None:
            # A headless fragment's items may have started on the page before: only a set that
            # starts below a heading or another total inside the table is vouched for by rows.
            bounded_only = table.header_row_count < 1
            reported = _corroborated_by_rows(table, total, closing, usable, position, summable, bounded_only)
        return reported

    @staticmethod
    def _row_locations(table: AnalyzedTable, chosen: AddendSet, position: int) -> list[Location]:
        locations = []
        for p, _ in chosen.members:
            cell = table.rows[p].cells[position]
            if cell is not None:
                locations.append(cell.location)
        return locations

    def _row_finding(
        self, table: AnalyzedTable, row: Row, position: int, chosen: AddendSet, outcome: Outcome
    ) -> Diagnostic:
        total_cell = row.cells[position]
        assert total_cell is not None and total_cell.quantity is not None and outcome.comparison
        related = []
        figures = [total_cell.quantity]
        for p, sign in chosen.members:
            addend = table.rows[p]
            cell = addend.cells[position]
            if cell is None:
                continue
            if cell.quantity is not None:
                figures.append(cell.quantity)
            word = "加数" if sign > 0 else "减数"
            related.append(Related(location=cell.location, label=f"{word}：{addend.label}"))
        column = table.columns[position]
        relation = sum_relation(
            total_cell,
            column,
            [(table.rows[p].cells[position], sign, column.scale) for p, sign in chosen.members],
        )
        return self._finding(
            total_cell, row.label, column.header, outcome.comparison, figures, related, relation
        )

    def _finding(
        self,
        total_cell: Cell,
        row_label: str,
        column_header: str,
        comparison: Comparison,
        figures: Sequence[Quantity],
        related: Sequence[Related],
        relation: Relation,
    ) -> Diagnostic:
        stated = normalize(total_cell.text).strip().replace(" ", "")
        expected = printed(comparison.expected, figures)
        difference = printed(comparison.difference, figures)
        where = f"「{row_label}」" + (f"（{column_header}）" if column_header else "")
        where_en = f'"{row_label}"' + (f" ({column_header})" if column_header else "")
        return self.diagnostic(
            message=f"{where}合计数与各项之和不符：列示 {stated}，各项加总 {expected}（差异 {difference}）",
            message_en=(
                f"{where_en}: total does not equal the sum of its items: stated {stated}, "
                f"items add up to {expected} (difference {difference})"
            ),
            location=total_cell.location,
            comparison=comparison,
            related=tuple(related),
            relation=relation,
        )

    def _column_totals(self, ctx: RuleContext, table: AnalyzedTable) -> Iterator[Diagnostic]:
        for total_position, column in enumerate(table.columns):
            if column.kind not in SUMMABLE:
                continue
            for candidate in column_addend_sets(table.columns, total_position):
                results: list[tuple[Row, Outcome]] = []
                for row in table.rows:
                    if row.kind in (RowKind.SECTION, RowKind.OTHER):
                        continue
                    stated = stated_figure(row.cells[total_position])
                    if stated is None:
                        continue
                    cells = [(row.cells[p], sign, table.columns[p].scale) for p, sign in candidate.members]
                    outcome = evaluate(
                        stated, cell_scale(row.cells[total_position], column), cells, self._tolerance
                    )
                    if outcome.held is not None:
                        results.append((row, outcome))
                held = sum(1 for _, outcome in results if outcome.held)
                failed = len(results) - held
                for row, outcome in results:
                    total_cell = row.cells[total_position]
                    assert total_cell is not None
                    locations = [total_cell.location] + [
                        cell.location for p, _ in candidate.members if (cell := row.cells[p]) is not None
                    ]
                    # Verified only when this row failing would still leave the relation
                    # corroborated by enough other rows to be reported.
                    corroborated_without = held - 1 >= 2 and held - 1 > failed + 1
                    ctx.stats.relation(
                        table.table.index,
                        held=bool(outcome.held),
                        cells=locations if corroborated_without else (),
                    )
                    # Report only when the column relation is corroborated by other rows.
                    if outcome.held or held < 2 or held <= failed or outcome.comparison is None:
                        continue
                    figures = [q for p, _ in candidate.members if (q := table.quantity(row, p)) is not None]
                    related = [
                        Related(location=cell.location, label=f"加数：{table.columns[p].header}")
                        for p, _ in candidate.members
                        if (cell := row.cells[p]) is not None
                    ]
                    yield self._finding(
                        total_cell,
                        row.label,
                        column.header,
                        outcome.comparison,
                        [*figures, *([total_cell.quantity] if total_cell.quantity else [])],
                        related,
                        sum_relation(
                            total_cell,
                            column,
                            [(row.cells[p], sign, table.columns[p].scale) for p, sign in candidate.members],
                        ),
                    )
