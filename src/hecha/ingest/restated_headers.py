"""Tables stacked in one grid: a row that heads the columns anew starts a table of its own.

A report prints 主要会计数据 as "2024年末 | 2023年末 | 本年末比上年末增减 | 2022年末" over the balance
lines, "2024年 | 2023年 | 本年比上年增减 | 2022年" over the results, and "分季度主要会计数据 单位：元"
with "第一季度 | 第二季度 | 第三季度 | 第四季度" over the quarters, in one grid (asymchem's 2024
summary p.5-6). Read as one table, the quarters sit under 本年末比上年末增减 and the third quarter's
revenue reads as a change rate. A body row that prints no figure, words (or years) in two or
more figure columns, and differs from the table's header is such a new header: the rows from it
are a table of their own, and the lines without figures right above it (its title and unit) go
with it as its title. Every reader hands its tables here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from hecha.ingest.numbers import is_unit_line, normalize, squeezed
from hecha.model.document import Cell, Table

_YEAR_WORD = re.compile(r"^(?:19|20)\d{2}\s*年")
_SENTENCE = re.compile(r"[，。；：,;]")
_MAX_HEADER_CHARS = 12


def split_at_new_headers(tables: list[Table]) -> list[Table]:
    split: list[Table] = []
    for table in tables:
        split.extend(_split(table))
    return split


def _split(table: Table) -> list[Table]:
    header = table.header_rows or 0
    rows = table.rows
    for position in range(header + 1, len(rows) - 1):
        if not _heads_columns(rows[position], rows[:header], rows[position + 1 :]):
            continue
        start = position
        while start > header and not _prints_figures(rows[start - 1]):
            start -= 1
        if not any(_prints_figures(row) for row in rows[header:start]):
            continue
        if not any(_prints_figures(row) for row in rows[position + 1 :]):
            continue
        upper = _part(table, 0, start, table.header_rows)
        titles = [cell.text.strip() for row in rows[start:position] for cell in row if cell.text.strip()]
        lower = _part(table, position, len(rows), 1)
        unit = next((text for text in titles if is_unit_line(text)), table.unit)
        title = next((text for text in titles if not is_unit_line(text)), "")
        lower = replace(lower, title=title, unit=unit, context="\n".join(titles), opens_page=False)
        return [upper, *_split(lower)]
    return [table]


def _heads_columns(
    row: Sequence[Cell], header: Sequence[Sequence[Cell]], below: Sequence[Sequence[Cell]]
) -> bool:
    """Short words or years, not figures, over the figure columns of the rows below (two or more,
    at least half of them, and nothing over a column of words), with no label, and not the
    header again. A wrapped line of a row of words ("（珠海）有限公司" under 客户名称) heads nothing."""
    if row[0].text.strip() or row[0].unread:
        return False
    filled = {
        position for position, cell in enumerate(row) if position and cell.text.strip() and not cell.blank
    }
    if len(filled) < 2:
        return False  # before the rows below are looked at: most rows end here
    figure_columns = {
        position
        for next_row in below
        for position, cell in enumerate(next_row)
        if position and (cell.quantity is not None or cell.unread)
    }
    if len(filled) < 2 or not filled <= figure_columns or len(filled) * 2 < len(figure_columns):
        return False
    for cell in (row[position] for position in filled):
        text = normalize(cell.text).strip()
        if cell.unread or len(squeezed(text)) > _MAX_HEADER_CHARS or _SENTENCE.search(text):
            return False
        if (cell.quantity is not None and not _YEAR_WORD.match(text)) or not any(c.isalnum() for c in text):
            return False
    texts = [squeezed(cell.text) for cell in row[1:]]
    return not any(texts == [squeezed(cell.text) for cell in header_row[1:]] for header_row in header)


def _prints_figures(row: Sequence[Cell]) -> bool:
    return any(cell.quantity is not None or cell.unread for cell in row[1:])


def _part(table: Table, start: int, end: int, header_rows: int | None) -> Table:
    """Rows ``start`` to ``end`` of ``table`` as a table, the row indices it keeps shifted."""
    rows = table.rows[start:end]

    def inside(positions: Sequence[int]) -> list[int]:
        return [position - start for position in positions if start <= position < end]

    pages = sorted({cell.location.page for row in rows for cell in row if cell.location.page is not None})
    first = rows[0][0].location if rows and rows[0] else table.location
    return replace(
        table,
        rows=rows,
        header_rows=header_rows,
        location=replace(table.location, page=first.page, line=first.line, bbox=first.bbox),
        pages=tuple(pages) or table.pages,
        layout_totals=tuple(inside(table.layout_totals)),
        layout_headings=tuple(inside(table.layout_headings)),
        unplaced_rows=frozenset(inside(sorted(table.unplaced_rows))),
    )
