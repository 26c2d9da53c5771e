"""Pipe tables ("| 项目 | 2025年度 |"): the inline table format of rule cases and of GFM Markdown.

Each line that starts with "|" is a row; a separator line ("|---|---|") ends the header rows.
"""

from __future__ import annotations

import re

from hecha.ingest.numbers import is_blank, parse_quantity
from hecha.ingest.panels import relocated
from hecha.model.document import Cell, Location, Table

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


def pipe_table(
    lines: list[str],
    *,
    source: str,
    first_line: int,
    index: int,
    unit: str | None = None,
    title: str = "",
    context: str = "",
) -> Table:
    """Build a Table from consecutive pipe-table lines that start at 1-based ``first_line``."""
    rows: list[tuple[Cell, ...]] = []
    header_rows: int | None = None
    for offset, line in enumerate(lines):
        if _SEPARATOR.match(line.strip()):
            header_rows = len(rows)
            continue
        texts = [part.strip() for part in line.strip().strip("|").split("|")]
        row_index = len(rows)
        cells = []
        for col, text in enumerate(texts):
            location = Location(
                source=source,
                line=first_line + offset,
                table=index,
                row=row_index,
                col=col,
                quote=text,
            )
            cells.append(
                Cell(
                    text=text,
                    location=location,
                    quantity=parse_quantity(text),
                    blank=is_blank(text),
                )
            )
        rows.append(tuple(cells))
    if header_rows and any(cell.quantity is not None for row in rows[:header_rows] for cell in row[1:]):
        # "| 修理费 | 1,380.07 | 0.40 |" over the separator: a converter that split a table at a
        # page break made the continuation's first data row a header. Figures are never a header.
        header_rows = 0
    elif header_rows and not any(cell.text.strip() for row in rows[:header_rows] for cell in row):
        # "|  |  |  |" over the separator: the converter's placeholder for a continuation's missing
        # header; the table has none.
        rows = list(relocated(rows[header_rows:]))
        header_rows = 0
    return Table(
        index=index,
        rows=tuple(rows),
        location=Location(source=source, line=first_line, table=index),
        header_rows=header_rows,
        unit=unit,
        title=title,
        context=context,
    )
