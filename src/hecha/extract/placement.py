"""Placing the figures of a short row whose columns the source does not give.

Plain text keeps no column positions. A row printing fewer figures than its table has columns
("库存现金 46.38" under 期末余额 / 期初余额) has its figures in order but not their columns, and
ingest keeps them unread (``Table.unplaced_rows``). Two things can still place them without a
guess:

- the columns' kinds: a percentage goes to a percentage column, an amount to an amount column
  ("合计 2,905,830.09 4,576,292.00" under 金额 / 比例 / 金额 / 比例 fits only the two 金额);
- the table's own totals: of the placements left, the one under which the most 合计/小计 of the
  amount and share columns hold. It is taken only when every best placement puts the row the same way;
  a tie (no total reaches the row, or two placements hold as well) leaves it unread.

A total that fails under the best placement is still reported by the rules: the row was placed
by the other columns' totals, which hold (a real error in one column cannot move a figure that
the other columns place).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import combinations, product

from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row, RowKind
from hecha.ingest.numbers import is_blank, parse_quantity
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Quantity, interval_sum

_PERCENT_KINDS = (
    ColumnKind.SHARE,
    ColumnKind.CHANGE_RATE,
    ColumnKind.PP_CHANGE,
    ColumnKind.MARGIN,
    ColumnKind.PERCENT,
)
_AMOUNT_KINDS = (ColumnKind.AMOUNT, ColumnKind.DIFFERENCE)
# Columns whose figures add up down the rows: amounts, differences, shares (to 100%).
_SUMMED_KINDS = (*_AMOUNT_KINDS, ColumnKind.SHARE)
_ZERO = Decimal(0)
# Placements tried together at most: beyond that the table is left as ingest read it.
_MAX_COMBINATIONS = 4096

Placement = tuple[int, ...]  # the column position of each of the row's figures, in order
# Per short row (its position among the table's rows): its figure texts and their placements.
Options = dict[int, tuple[list[str], list[Placement]]]


def place_short_rows(analyzed: AnalyzedTable) -> AnalyzedTable:
    """``analyzed`` with the short rows placed wherever one placement alone fits."""
    unplaced = analyzed.table.unplaced_rows
    if not unplaced or analyzed.uncertain is not None:
        return analyzed
    options: Options = {}
    bare = _bare_percent_columns(analyzed)
    for position, row in enumerate(analyzed.rows):
        if row.index not in unplaced:
            continue
        figures = _figures_of(analyzed, row)
        if figures is None:
            continue
        placements = _fitting_placements(figures, analyzed.columns, bare)
        if placements:
            options[position] = (figures, placements)
    if not options:
        return analyzed
    chosen = _choose(analyzed, options)
    if not chosen:
        return analyzed
    rows = list(analyzed.rows)
    for position, placement in chosen.items():
        rows[position] = _placed_row(rows[position], options[position][0], placement, analyzed.columns)
    return replace(analyzed, rows=tuple(rows))


def _figures_of(analyzed: AnalyzedTable, row: Row) -> list[str] | None:
    """The row's figure texts as printed, in order; None when one of them is not a whole figure."""
    raw = analyzed.table.rows[row.index]
    if not raw or not raw[-1].unread:
        return None
    texts = raw[-1].text.split()
    if not texts or len(texts) >= len(analyzed.columns):
        return None
    if not all(is_blank(text) or parse_quantity(text) is not None for text in texts):
        return None
    return texts


def _bare_percent_columns(analyzed: AnalyzedTable) -> set[int]:
    """Percentage columns that print their figures without a % sign ("比例(%)" over "97.68")."""
    bare: set[int] = set()
    for position, column in enumerate(analyzed.columns):
        if column.kind not in _PERCENT_KINDS:
            continue
        read = [q for row in analyzed.rows if (q := analyzed.quantity(row, position)) is not None]
        if read and not any(quantity.is_percent for quantity in read):
            bare.add(position)
    return bare


def _fitting_placements(figures: list[str], columns: Sequence[Column], bare: set[int]) -> list[Placement]:
    """Order-keeping placements of the figures in which each figure fits its column's kind, and
    a share printed right after an amount column (金额 | 比例) comes with that amount: a row
    never prints a share of an amount it leaves empty, unless the share is nil (a 0.00% 计提比例
    beside an empty 坏账准备); and a row that prints a share prints every amount's share."""
    prints_share = any(_is_percent(text) for text in figures)
    return [
        placement
        for placement in combinations(range(len(columns)), len(figures))
        if all(
            _fits(text, columns[position], position in bare)
            for text, position in zip(figures, placement, strict=True)
        )
        and all(
            position - 1 in placement
            for text, position in zip(figures, placement, strict=True)
            if _follows_amount(columns, position) and not _is_nil(text)
        )
        and not (
            prints_share
            and any(
                _follows_amount(columns, position + 1) and position + 1 not in placement
                for position in placement
            )
        )
    ]


def _follows_amount(columns: Sequence[Column], position: int) -> bool:
    """Whether the column at ``position`` is a share printed right after an amount (金额 | 比例)."""
    return (
        0 < position < len(columns)
        and columns[position].kind is ColumnKind.SHARE
        and columns[position - 1].kind is ColumnKind.AMOUNT
    )


def _is_percent(text: str) -> bool:
    quantity = parse_quantity(text)
    return quantity is not None and quantity.is_percent


def _is_nil(text: str) -> bool:
    quantity = parse_quantity(text)
    return is_blank(text) or (quantity is not None and quantity.value == 0)


def _fits(text: str, column: Column, bare_percent: bool) -> bool:
    """A percentage fits a percentage column, an amount an amount column; a number without a %
    sign also fits a percentage column that prints its figures so (a share only up to 100), and
    a zero fits any figure column."""
    if is_blank(text):
        return True  # a nil mark stands in any column, a description column's too
    quantity = parse_quantity(text)
    if quantity is None:
        return False
    if quantity.is_percent:
        return column.kind in _PERCENT_KINDS
    if quantity.value == 0:
        return column.kind is not ColumnKind.OTHER  # "0" is printed for a nil share too
    if bare_percent:
        return column.kind is not ColumnKind.SHARE or abs(quantity.value) <= 100
    return column.kind in _AMOUNT_KINDS


def _choose(analyzed: AnalyzedTable, options: Options) -> dict[int, Placement]:
    """Per row, its placement when every best-scoring combination agrees on it."""
    chosen = {position: found[0] for position, (_, found) in options.items() if len(found) == 1}
    open_rows = [position for position, (_, placements) in options.items() if len(placements) > 1]
    if not open_rows:
        return chosen
    total = 1
    for position in open_rows:
        total *= len(options[position][1])
    if total > _MAX_COMBINATIONS:
        return chosen
    relations = _sum_relations(analyzed.rows)
    amount_columns = [p for p, column in enumerate(analyzed.columns) if column.kind in _SUMMED_KINDS]
    if not relations or not amount_columns:
        return chosen
    best_score = -1
    best: list[tuple[Placement, ...]] = []
    for combination in product(*(options[position][1] for position in open_rows)):
        placed = dict(chosen)
        placed.update(zip(open_rows, combination, strict=True))
        score = _holding_relations(analyzed, options, placed, relations, amount_columns)
        if score > best_score:
            best_score, best = score, [combination]
        elif score == best_score:
            best.append(combination)
    if best_score <= 0:
        return chosen
    for slot, position in enumerate(open_rows):
        settled = {combination[slot] for combination in best}
        if len(settled) == 1:
            chosen[position] = settled.pop()
    return chosen


def _sum_relations(rows: Sequence[Row]) -> list[tuple[int, list[int]]]:
    """(closing row, addend rows) of the plainest sums: a 小计 over the items since the last
    小计, 合计 or heading, a 合计 over the items and 小计 since the last 合计. 其中 rows are no
    addends, and a reading with a 减/加 row is left out (only plain sums place figures)."""
    relations: list[tuple[int, list[int]]] = []
    since_total: list[int] = []
    since_subtotal: list[int] = []
    signed_total = signed_subtotal = False
    for position, row in enumerate(rows):
        if row.kind is RowKind.ITEM:
            since_total.append(position)
            since_subtotal.append(position)
            if row.sign_word:
                signed_total = signed_subtotal = True
        elif row.kind is RowKind.SUBTOTAL:
            if since_subtotal and not signed_subtotal:
                relations.append((position, since_subtotal))
            since_total = [p for p in since_total if p not in since_subtotal] + [position]
            since_subtotal, signed_subtotal = [], False
        elif row.kind is RowKind.TOTAL:
            if since_total and not signed_total:
                relations.append((position, since_total))
            since_total, since_subtotal = [], []
            signed_total = signed_subtotal = False
        elif row.kind is RowKind.SECTION:
            since_subtotal, signed_subtotal = [], False
    return relations


def _holding_relations(
    analyzed: AnalyzedTable,
    options: Options,
    placed: dict[int, Placement],
    relations: list[tuple[int, list[int]]],
    columns: list[int],
) -> int:
    """How many (sum, column) pairs hold with the short rows placed as ``placed``."""

    def value(position: int, column: int) -> Interval | None:
        if position in options:
            placement = placed.get(position)
            if placement is None:
                return None
            figures = options[position][0]
            if column not in placement:
                return Interval.exact(_ZERO)
            text = figures[placement.index(column)]
            quantity = parse_quantity(text)
            return quantity.interval if quantity is not None else Interval.exact(_ZERO)
        cell = analyzed.rows[position].cells[column]
        if cell is None:
            return None
        if cell.blank:
            return Interval.exact(_ZERO)
        return cell.quantity.interval if cell.quantity is not None else None

    holding = 0
    for closing, addends in relations:
        if closing not in options and not any(position in options for position in addends):
            continue
        for column in columns:
            total = value(closing, column)
            parts = [value(position, column) for position in addends]
            if total is None or any(part is None for part in parts):
                continue
            known = [part for part in parts if part is not None]
            if interval_sum(known).overlaps(total):
                holding += 1
    return holding


def _placed_row(row: Row, figures: list[str], placement: Placement, columns: Sequence[Column]) -> Row:
    cells: list[Cell | None] = []
    template = next((cell for cell in row.cells if cell is not None), None)
    for position, column in enumerate(columns):
        if template is None:
            cells.append(None)
            continue
        text = figures[placement.index(position)] if position in placement else ""
        location = replace(template.location, col=column.index, quote=text)
        quantity: Quantity | None = parse_quantity(text) if text else None
        cells.append(Cell(text=text, location=location, quantity=quantity, blank=quantity is None))
    return replace(row, cells=tuple(cells))
