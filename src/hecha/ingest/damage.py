"""Tables a converter damaged: a garbled figure makes every figure of its table unread.

An OCR converter that misreads a separator prints "147.661.41" for 147,661.41. The same converter
then drops or shifts other cells of the table, not only of that row: in tongrentang's 2023
Markdown the 在建工程 row "科技公司河北滦南…" prints its 本期其他减少 under 期末余额, and the 合计
row prints its 本期其他减少 total under 期末余额 as well, with no garbled figure there. A grid
whose cells may have moved cannot be checked, so its figures are kept as printed but unread
(Cell.unread): never a value, never summed, counted among the figures hecha could not read.
Every reader hands its tables here.
"""

from __future__ import annotations

from dataclasses import replace

from hecha.ingest.numbers import is_garbled_figure
from hecha.model.document import Cell, Table


def mark_damaged_tables(tables: list[Table]) -> list[Table]:
    return [_unread(table) if _is_damaged(table) else table for table in tables]


def _is_damaged(table: Table) -> bool:
    return any(is_garbled_figure(cell.text) for row in table.rows for cell in row[1:])


def _unread(table: Table) -> Table:
    return replace(
        table, rows=tuple((row[0], *(_unread_cell(cell) for cell in row[1:])) for row in table.rows)
    )


def _unread_cell(cell: Cell) -> Cell:
    if cell.quantity is None and not is_garbled_figure(cell.text):
        return cell  # a word or a blank
    return replace(cell, quantity=None, blank=False, unread=True)
