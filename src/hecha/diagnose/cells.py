"""Looking around a relation's cells in the document: the table a location stands in, the cells
beside it, the real cells near it (for a wrong base), the period a column is about, and the label
a reviewer knows a cell by."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hecha.extract.periods import period_rank
from hecha.extract.roles import AnalyzedTable, Row
from hecha.model.document import Cell, Location
from hecha.model.quantity import Quantity


@dataclass(frozen=True, slots=True)
class Place:
    """A figure cell of an analyzed table, with its row and its column header."""

    table: AnalyzedTable
    cell: Cell
    quantity: Quantity
    row: Row | None
    header: str

    @property
    def label(self) -> str:
        row_label = self.row.label if self.row is not None else ""
        return f"{row_label} {self.header}".strip() or self.cell.location.quote


def table_at(tables: tuple[AnalyzedTable, ...], location: Location) -> AnalyzedTable | None:
    if location.table is None:
        return None
    for table in tables:
        if table.table.index == location.table:
            return table
    return None


def _header(table: AnalyzedTable, col: int | None) -> str:
    for column in table.columns:
        if column.index == col:
            return column.header
    return ""


def _row(table: AnalyzedTable, row: int | None) -> Row | None:
    return next((candidate for candidate in table.rows if candidate.index == row), None)


def place(table: AnalyzedTable, row: int, col: int) -> Place | None:
    """The figure at grid (row, col), or None when it is blank, text or outside the grid."""
    grid = table.table.rows
    if not 0 <= row < len(grid) or not 0 <= col < len(grid[row]):
        return None
    cell = grid[row][col]
    if cell.quantity is None or cell.blank or cell.spanned:
        return None
    return Place(table, cell, cell.quantity, _row(table, row), _header(table, col))


def place_of(tables: tuple[AnalyzedTable, ...], location: Location) -> Place | None:
    table = table_at(tables, location)
    if table is None or location.row is None or location.col is None:
        return None
    return place(table, location.row, location.col)


def label_of(tables: tuple[AnalyzedTable, ...], location: Location) -> str:
    found = place_of(tables, location)
    return found.label if found is not None else location.quote


def neighbours(table: AnalyzedTable, row: int, col: int) -> Iterator[Place]:
    """The nearest figure on each side of (row, col): left and right in its row, above and below
    in its column (a blank in between is skipped, a header row is not crossed)."""
    grid = table.table.rows
    first_body = table.header_row_count
    for d_row, d_col in ((0, -1), (0, 1), (-1, 0), (1, 0)):
        r, c = row + d_row, col + d_col
        while first_body <= r < len(grid) and 0 <= c < len(grid[r]):
            found = place(table, r, c)
            if found is not None:
                yield found
                break
            if c in table.label_columns:
                break
            r, c = r + d_row, c + d_col


def figures_near(tables: tuple[AnalyzedTable, ...], origin: AnalyzedTable, pages: int = 1) -> Iterator[Place]:
    """Every figure of ``origin`` and of the tables of the same scale within ``pages`` pages."""
    origin_pages = _pages(origin)
    for table in tables:
        if table is not origin:
            if table.scale != origin.scale or table.uncertain is not None:
                continue
            if not any(abs(a - b) <= pages for a in origin_pages for b in _pages(table)):
                continue
        for row in table.rows:
            for column in table.columns:
                found = place(table, row.index, column.index)
                if found is not None:
                    yield found


def _pages(table: AnalyzedTable) -> set[int]:
    if table.table.pages:
        return set(table.table.pages)
    page = table.table.location.page
    return set() if page is None else {page}


def earlier_period(later: str, earlier: str) -> bool:
    a, b = period_rank(later), period_rank(earlier)
    return a is not None and b is not None and a[0] == b[0] and b < a
