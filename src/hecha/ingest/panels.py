"""Tables printed as two panels side by side: one table each.

A balance sheet is often printed with 资产 on the left and 负债和所有者权益 on the right of one
grid: "长期待摊费用 | 15 | 338,999,043.34 | 63,510,505.21 | 递延所得税负债 | 16 | 590,299,321.85 |
…". Read as one table, the right panel's labels become text in a figure column and its rows are
summed with the left panel's. The split is found in the grid itself: a column in the middle whose
cells are labels (words, not figures) on most rows where it prints something, with the columns to
its right as many as those from the first label column to it. Every reader hands its tables here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hecha.model.document import Cell, Table

_MIN_LABEL_ROWS = 3
_LABEL_SHARE = 0.8


def split_panels(tables: list[Table]) -> list[Table]:
    """``tables`` with each two-panel table split in two, renumbered in reading order."""
    split: list[Table] = []
    for table in tables:
        split.extend(_split(table))
    return [_renumbered(table, index) for index, table in enumerate(split)]


def _split(table: Table) -> list[Table]:
    width = max((len(row) for row in table.rows), default=0)
    if width < 4 or width % 2:
        return [table]
    middle = width // 2
    if not _label_column(table, 0) or not _label_column(table, middle):
        return [table]
    # The two halves have the same shape: figure columns at the same places of each.
    shape = [_figure_column(table, position) for position in range(width)]
    if shape[:middle] != shape[middle:] or not any(shape[:middle]):
        return [table]
    header = table.header_rows or 0
    left = [tuple(row[:middle]) for row in table.rows]
    right = [
        tuple(row[middle:])
        for at, row in enumerate(table.rows)
        if at < header or any(cell.text.strip() for cell in row[middle:])
    ]
    return [replace(table, rows=tuple(left)), replace(table, rows=tuple(right))]


def _figure_column(table: Table, position: int) -> bool:
    texts = [row[position] for row in table.rows if position < len(row) and row[position].text.strip()]
    return bool(texts) and sum(1 for cell in texts if _is_figure(cell)) * 2 > len(texts)


def _label_column(table: Table, position: int) -> bool:
    texts = [row[position] for row in table.rows if position < len(row) and row[position].text.strip()]
    labels = [cell for cell in texts if not _is_figure(cell) and not cell.blank]
    return len(labels) >= _MIN_LABEL_ROWS and len(labels) >= _LABEL_SHARE * len(texts)


def _is_figure(cell: Cell) -> bool:
    return cell.quantity is not None


def _renumbered(table: Table, index: int) -> Table:
    """The table as number ``index``, its cells' locations saying so (columns counted from the
    table's own first column)."""
    first_col = min(
        (cell.location.col for row in table.rows for cell in row if cell.location.col is not None), default=0
    )
    rows = relocated(table.rows, table=index, col_shift=-first_col)
    return replace(table, index=index, rows=rows, location=replace(table.location, table=index))


def relocated(
    rows: Sequence[Sequence[Cell]], *, table: int | None = None, first_row: int = 0, col_shift: int = 0
) -> tuple[tuple[Cell, ...], ...]:
    """``rows`` as rows ``first_row``, ``first_row`` + 1, … of table ``table`` (kept when None),
    their columns moved by ``col_shift``: the cells' locations follow rows a reader moves."""
    return tuple(
        tuple(
            replace(
                cell,
                location=replace(
                    cell.location,
                    table=cell.location.table if table is None else table,
                    row=first_row + offset,
                    col=None if cell.location.col is None else cell.location.col + col_shift,
                ),
            )
            for cell in row
        )
        for offset, row in enumerate(rows)
    )
