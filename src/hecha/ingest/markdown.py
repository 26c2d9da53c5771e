"""Reads Markdown as PDF converters (MinerU, docling) write it into a Document.

Such files hold ATX headings (``#``, ``##``), one paragraph per line, tables as HTML
(``<table><tr><td rowspan=2>…``, attributes quoted or not, one table per line or spread over
several lines) or as GFM pipe tables, a unit line ("单位：万元") above a table and notes ("注：…")
below it. Every non-blank line outside a table becomes one Paragraph, so that a claim in prose
points to its own line. HTML tables become rectangular grids with row/col spans expanded: the
span's origin holds the cell, the other positions it covers repeat it with ``spanned=True``.
A cell's line is the line its ``<td>`` opens on (the ``<table>`` line when the table is written
on one line, as MinerU does); positions no ``<td>`` fills are blank cells on their row's line.

Figures stay as printed in each cell's text and quote; numbers.parse_quantity reads them
(split figures "34, 789. 38", LaTeX "$1 6 . 6 \\%$", the minus sign "−").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from hecha.ingest.detect import decode_text
from hecha.ingest.finish import finished
from hecha.ingest.grid import is_pipe_row, pipe_table
from hecha.ingest.numbers import is_blank, is_unit_line, parse_quantity, unit_scale
from hecha.ingest.panels import relocated
from hecha.model.document import Cell, Document, Location, Notice, Paragraph, Table
from hecha.model.quantity import Unit

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE_ONLY = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
_HTML_COMMENT_ONLY = re.compile(r"^<!--.*-->$")
_TABLE_START = re.compile(r"<table[\s>/]", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
# "续：", "续表", "(续)": the table continues the one before it (a page break split it). A bare
# marker says nothing else; "续：2024 年前十大…" also names what follows.
_CONTINUATION = re.compile(r"^[（(]?续(?:表|上表)?[)）]?\s*[:：]?")
_BARE_CONTINUATION = re.compile(r"^[（(]?续(?:表|上表)?[)）]?\s*[:：]?\s*$")
_NOTE = re.compile(r"^[\[［(（]?注\s*\d*\s*[\]］)）:：]?")
# "除特殊注明外，本节内容金额单位均为人民币万元": a unit that holds for the rest of the section.
_SECTION_UNIT = re.compile(r"单位\s*(?:均)?为\s*(?:人民币)?\s*(?:亿元|万元|千元|元)")

# HTML limits span attributes (colspan ≤ 1000, rowspan ≤ 65534); a larger value is an error that
# must not make us build a huge grid.
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534
_CONTEXT_LINES = 3
_UNIT_LOOKBACK_LINES = 3


def read(path: str, data: bytes) -> Document:
    """Read Markdown bytes (UTF-8 or GB18030) into a Document with ``format="markdown"``."""
    return parse(decode_text(data), source=path)


def parse(text: str, *, source: str) -> Document:
    """Build the Document of Markdown ``text``; locations name ``source`` and 1-based lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    builder = _DocumentBuilder(source)
    index = 0
    while index < len(lines):
        line = lines[index]
        if _TABLE_START.search(line):
            index = _read_html_table(lines, index, builder)
            continue
        if is_pipe_row(line):
            end = index
            while end < len(lines) and is_pipe_row(lines[end]):
                end += 1
            block = lines[index:end]
            if len(block) >= 2 and any(_PIPE_SEPARATOR.match(row.strip()) for row in block):
                builder.add_pipe_table(block, first_line=index + 1)
                index = end
                continue
        builder.add_text(line, line_number=index + 1)
        index += 1
    return builder.document()


# ---------------------------------------------------------------------------------------------
# Document assembly: paragraphs, tables and what a table takes from the lines above it.


@dataclass
class _Block:
    """What came before a table, in order: a text line or a marker that a table stood here."""

    text: str
    line: int
    heading: bool = False
    is_table: bool = False


class _DocumentBuilder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.paragraphs: list[Paragraph] = []
        self.tables: list[Table] = []
        self.warnings: list[Notice] = []
        self.blocks: list[_Block] = []
        self.section_unit: str | None = None
        # The unit each table took from a line above it (not from its header): a continuation
        # table without a unit line of its own inherits it.
        self.line_units: list[str | None] = []

    def add_text(self, raw: str, *, line_number: int) -> None:
        stripped = raw.strip()
        if not stripped or _IMAGE_ONLY.match(stripped) or _HTML_COMMENT_ONLY.match(stripped):
            return
        heading = _HEADING.match(stripped)
        if heading:
            text = heading.group(2).strip()
            if not text:
                return
            self.section_unit = None
            self._add_paragraph(text, line_number, heading=True)
            return
        if _SECTION_UNIT.search(stripped) and not is_unit_line(stripped):
            self.section_unit = stripped
        self._add_paragraph(stripped, line_number, heading=False)

    def add_fragment(self, fragment: str, *, line_number: int) -> None:
        """Text on a table's line outside the table, e.g. "<html><body>" or a caption."""
        text = _html_text(fragment) if "<" in fragment else fragment
        self.add_text(text, line_number=line_number)

    def _add_paragraph(self, text: str, line_number: int, *, heading: bool) -> None:
        location = Location(source=self.source, line=line_number, quote=text)
        self.paragraphs.append(Paragraph(text=text, location=location, heading=heading))
        self.blocks.append(_Block(text=text, line=line_number, heading=heading))

    def add_pipe_table(self, block: list[str], *, first_line: int) -> None:
        index = len(self.tables)
        line_unit = self._line_unit()
        title, context = self._title_and_context()
        table = pipe_table(
            block,
            source=self.source,
            first_line=first_line,
            index=index,
            unit=line_unit,
            title=title,
            context=context,
        )
        if line_unit is None and table.header_rows:
            header_texts = [cell.text for row in table.rows[: table.header_rows] for cell in row]
            table = replace(table, unit=_unit_from_header(header_texts))
        self._append_table(table, first_line, line_unit)

    def add_html_table(self, raw: _RawTable, *, first_line: int) -> None:
        if not any(row.cells for row in raw.rows):
            self.warnings.append(
                Notice(f"第{first_line}行的表格没有单元格，已跳过", f"line {first_line}: empty table")
            )
            return
        index = len(self.tables)
        expanded = _expand_spans(raw, source=self.source, table_index=index, first_line=first_line)
        grid = expanded.rows
        header_rows = _header_rows(raw, expanded)
        header_texts = [cell.text for row in grid[: header_rows or 0] for cell in row if not cell.spanned]
        line_unit = self._line_unit()
        title, context = self._title_and_context()
        table = Table(
            index=index,
            rows=tuple(tuple(row) for row in grid),
            location=Location(source=self.source, line=first_line, table=index),
            header_rows=header_rows,
            unit=line_unit if line_unit is not None else _unit_from_header(header_texts),
            title=title,
            context=context,
        )
        self._append_table(table, first_line, line_unit)

    def _append_table(self, table: Table, first_line: int, line_unit: str | None) -> None:
        if self._continues_previous(table):
            previous = self.tables[-1]
            body = table.rows[table.header_rows or 0 :]  # a repeated header is not read twice
            moved = relocated(body, table=previous.index, first_row=len(previous.rows))
            self.tables[-1] = replace(previous, rows=previous.rows + moved)
            self.blocks.append(_Block(text="", line=first_line, is_table=True))
            return
        if self._right_under_a_table():
            # Nothing but a page number stands between this table and the one above, yet they
            # could not be joined (their columns differ: a converter dropped some, or named them
            # "金额一 金额二 …"): this table may go on with the rows of the one above, so a total
            # whose reading runs up to its top cannot be judged (as for a table opening its page).
            table = replace(table, opens_page=True)
        self.tables.append(table)
        self.line_units.append(line_unit)
        self.blocks.append(_Block(text="", line=first_line, is_table=True))

    def _right_under_a_table(self) -> bool:
        """Only a page number, or nothing, stands between the table about to be added and the
        table before it."""
        return bool(self.tables) and all(block.text.strip().isdigit() for block in self._since_last_table())

    def _since_last_table(self) -> list[_Block]:
        """The text blocks after the last table, nearest first."""
        between: list[_Block] = []
        for block in reversed(self.blocks):
            if block.is_table:
                break
            between.append(block)
        return between

    def _continues_previous(self, table: Table) -> bool:
        """A headless table (its first row holds figures), or one under the very header of the
        table before, right after a table of as many columns, with at most a couple of short
        stray lines between (a page break's leftovers): the rest of that table, split where a
        page ended."""
        if not self.tables:
            return False
        previous = self.tables[-1]
        repeated = table.header_rows != 0
        if repeated and not _repeats_header(previous, table):
            return False
        if max(map(len, table.rows)) != max(map(len, previous.rows)):
            return False
        between = self._since_last_table()
        if repeated:
            # A short line between two tables under one header may be the second one's title
            # ("母公司"): only a page number may stand between the parts of one table.
            return self._right_under_a_table()
        return len(between) <= _MAX_STRAY_LINES and all(
            not block.heading and len(block.text) <= _MAX_STRAY_CHARS for block in between
        )

    def _title_and_context(self) -> tuple[str, str]:
        """Title and context of the table about to be added, from the text above it.

        Both may reach past an earlier table: a continuation ("续：") shares its title.
        """
        texts = [block for block in self.blocks if not block.is_table]
        context = "\n".join(block.text for block in texts[-_CONTEXT_LINES:])
        title = next(
            (
                block.text
                for block in reversed(texts)
                if not is_unit_line(block.text)
                and not _BARE_CONTINUATION.match(block.text)
                and not _NOTE.match(block.text)
                and block.text != self.section_unit
            ),
            "",
        )
        return title, context

    def _line_unit(self) -> str | None:
        """The unit stated by a line above the table about to be added.

        The unit line stands just above the table, so only a few lines are searched and never
        past the table before. A continuation (a "续" line, or a table right after a table)
        takes the unit line of the table it continues; otherwise a section-wide statement
        ("本节内容金额单位均为人民币万元") applies.
        """
        continues_previous = bool(self.blocks) and self.blocks[-1].is_table
        for block in reversed(self.blocks[-_UNIT_LOOKBACK_LINES:]):
            if block.is_table:
                break
            if is_unit_line(block.text):
                return block.text
            if _CONTINUATION.match(block.text):
                continues_previous = True
        if continues_previous and self.line_units and self.line_units[-1] is not None:
            return self.line_units[-1]
        return self.section_unit

    def document(self) -> Document:
        return Document(
            source=self.source,
            format="markdown",
            page_count=None,
            paragraphs=tuple(self.paragraphs),
            tables=finished(self.tables),
            warnings=tuple(self.warnings),
        )


_MAX_STRAY_LINES = 2
_MAX_STRAY_CHARS = 30


def _repeats_header(previous: Table, table: Table) -> bool:
    """``table`` opens with the header rows of ``previous``, word for word."""
    count = table.header_rows or 0
    if count == 0 or previous.header_rows != count:
        return False

    def texts(rows: tuple[tuple[Cell, ...], ...]) -> list[list[str]]:
        return [[cell.text.replace(" ", "") for cell in row] for row in rows[:count]]

    return texts(previous.rows) == texts(table.rows)


def _unit_from_header(header_texts: list[str]) -> str | None:
    """A unit the header states for the whole table: a "单位：万元" cell, or one scale in every
    header cell that names a scale ("收入（万元）", "成本（万元）"). Mixed scales are per column."""
    for text in header_texts:
        if is_unit_line(text):
            return text
    with_scale = [(text, unit_scale(text)) for text in header_texts]
    scaled = [(text, scale) for text, scale in with_scale if scale is not None]
    if scaled and len({scale for _, scale in scaled}) == 1:
        return scaled[0][0]
    return None


# ---------------------------------------------------------------------------------------------
# HTML tables.


@dataclass
class _RawCell:
    parts: list[str]
    rowspan: int
    colspan: int
    is_header: bool
    line: int

    @property
    def text(self) -> str:
        return _WHITESPACE.sub(" ", "".join(self.parts)).strip()


@dataclass
class _RawRow:
    line: int
    cells: list[_RawCell] = field(default_factory=list)
    in_thead: bool = False


@dataclass
class _RawTable:
    rows: list[_RawRow] = field(default_factory=list)


class _TableParser(HTMLParser):
    """Collects the rows and cells of one HTML table fed to it line by line.

    Lines are counted from the first line fed; ``end`` is set to (line, column) of the closing
    ``</table>`` once the table is complete. A table nested in a cell contributes its text to
    that cell.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.table = _RawTable()
        self.depth = 0
        self.in_thead = False
        self.cell: _RawCell | None = None
        self.end: tuple[int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.end is not None:
            return
        if tag == "table":
            self.depth += 1
            return
        if self.depth > 1:
            # Inner table structure becomes spacing inside the outer cell.
            if tag in ("td", "th", "tr", "br") and self.cell is not None:
                self.cell.parts.append(" ")
            return
        if self.depth != 1:
            return
        line = self.getpos()[0]
        if tag == "thead":
            self.in_thead = True
        elif tag in ("tbody", "tfoot"):
            self.in_thead = False
        elif tag == "tr":
            self._close_cell()
            self.table.rows.append(_RawRow(line=line, in_thead=self.in_thead))
        elif tag in ("td", "th"):
            self._close_cell()
            if not self.table.rows:
                self.table.rows.append(_RawRow(line=line, in_thead=self.in_thead))
            values = dict(attrs)
            self.cell = _RawCell(
                parts=[],
                rowspan=_span(values.get("rowspan"), _MAX_ROWSPAN, zero_means=_MAX_ROWSPAN),
                colspan=_span(values.get("colspan"), _MAX_COLSPAN, zero_means=1),
                is_header=tag == "th",
                line=line,
            )
        elif tag == "br" and self.cell is not None:
            self.cell.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.end is not None:
            return
        if tag == "table":
            self.depth -= 1
            if self.depth == 0:
                self._close_cell()
                self.end = self.getpos()
            return
        if self.depth != 1:
            return
        if tag in ("td", "th", "tr"):
            self._close_cell()
        elif tag == "thead":
            self.in_thead = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None and self.end is None:
            self.cell.parts.append(data)

    def finish(self) -> None:
        """Keep the cell that was open when the input ended (a table without </table>)."""
        if self.end is None:
            self._close_cell()

    def _close_cell(self) -> None:
        if self.cell is not None:
            self.table.rows[-1].cells.append(self.cell)
            self.cell = None


def _span(value: str | None, limit: int, *, zero_means: int) -> int:
    if value is None:
        return 1
    digits = re.match(r"\s*(\d+)", value)
    if digits is None:
        return 1
    number = int(digits.group(1))
    if number == 0:
        return zero_means  # HTML: rowspan=0 runs to the end of the table
    return min(number, limit)


def _read_html_table(lines: list[str], start: int, builder: _DocumentBuilder) -> int:
    """Parse the table that opens on ``lines[start]``; return the index of the next unread line.

    Text before ``<table`` and after ``</table>`` on the same lines becomes paragraphs, so a
    caption or a second table on the same line is not lost.
    """
    line = lines[start]
    opening = _TABLE_START.search(line)
    assert opening is not None
    before = line[: opening.start()]
    if before.strip():
        builder.add_fragment(before, line_number=start + 1)
    parser = _TableParser()
    first_column = opening.start()
    parser.feed(line[first_column:] + "\n")
    current = start
    while parser.end is None and current + 1 < len(lines):
        current += 1
        parser.feed(lines[current] + "\n")
    parser.close()
    parser.finish()
    # Rows count lines from the first line fed; make them lines of the file.
    for row in parser.table.rows:
        row.line += start
        for cell in row.cells:
            cell.line += start
    builder.add_html_table(parser.table, first_line=start + 1)
    if parser.end is None:
        builder.warnings.append(
            Notice(
                f"第{start + 1}行开始的表格没有结束标记 </table>",
                f"line {start + 1}: the table is not closed by </table>",
            )
        )
        return len(lines)
    end_line_offset, end_column = parser.end
    end_index = start + end_line_offset - 1
    end_text = lines[end_index]
    # getpos() columns of the first line fed are relative to where the table opened.
    column = end_column + (first_column if end_index == start else 0)
    closing = end_text.find(">", column)
    rest = end_text[closing + 1 :] if closing >= 0 else ""
    if rest.strip():
        # The rest may open another table; handle it as a line of its own, keeping its number.
        remainder = [*lines[:end_index], rest, *lines[end_index + 1 :]]
        if _TABLE_START.search(rest):
            return _read_html_table(remainder, end_index, builder)
        builder.add_fragment(rest, line_number=end_index + 1)
    return end_index + 1


class _TextOnly(HTMLParser):
    """The text content of an HTML fragment (wrappers such as <html><body> around a table)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_text(fragment: str) -> str:
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return _WHITESPACE.sub(" ", "".join(parser.parts)).strip()


_Position = tuple[int, int]


@dataclass
class _Grid:
    """A table's expanded grid and, for every position, the position of the cell it holds."""

    rows: list[list[Cell]]
    origin: dict[_Position, _Position]


def _expand_spans(raw: _RawTable, *, source: str, table_index: int, first_line: int) -> _Grid:
    """The rectangular grid of ``raw``: spans expanded, missing positions filled with blanks."""
    row_count = len(raw.rows)
    placed: dict[_Position, Cell] = {}
    origin: dict[_Position, _Position] = {}
    for row_index, row in enumerate(raw.rows):
        col = 0
        for raw_cell in row.cells:
            while (row_index, col) in placed:
                col += 1
            text = raw_cell.text
            quantity = parse_quantity(text)
            blank = is_blank(text)
            # A rowspan cannot reach past the last row (HTML clips it to the row group).
            rowspan = min(raw_cell.rowspan, row_count - row_index)
            for down in range(rowspan):
                for across in range(raw_cell.colspan):
                    position = (row_index + down, col + across)
                    if position in placed:
                        continue  # overlapping spans: the cell placed first keeps the position
                    placed[position] = Cell(
                        text=text,
                        location=Location(
                            source=source,
                            line=raw_cell.line,
                            table=table_index,
                            row=position[0],
                            col=position[1],
                            quote=text,
                        ),
                        quantity=quantity,
                        blank=blank,
                        spanned=(down, across) != (0, 0),
                    )
                    origin[position] = (row_index, col)
            col += raw_cell.colspan
    width = max((col for _, col in placed), default=-1) + 1
    grid: list[list[Cell]] = []
    for row_index in range(row_count):
        line = raw.rows[row_index].line if raw.rows else first_line
        grid.append(
            [
                placed.get((row_index, col))
                or Cell(
                    text="",
                    location=Location(source=source, line=line, table=table_index, row=row_index, col=col),
                    blank=True,
                )
                for col in range(width)
            ]
        )
    return _Grid(rows=grid, origin=origin)


def _is_figure(cell: Cell) -> bool:
    """A stated figure, not a year in a header ("2025") or a printed blank."""
    quantity = cell.quantity
    if quantity is None:
        return False
    is_year = (
        quantity.unit is Unit.NUMBER
        and quantity.decimals == 0
        and quantity.scale is None
        and 1900 <= quantity.value <= 2100
        and "," not in cell.text
    )
    return not is_year


def _header_rows(raw: _RawTable, expanded: _Grid) -> int | None:
    """How many leading rows are headers.

    When the HTML marks them (<thead>, or rows of <th> only) that count is taken. Otherwise the
    header ends at the first row with a figure outside the label column (column 0), or at a
    section row (a label and nothing else) after the first row; it then grows to cover the
    rowspans of its cells outside the label column. None when no row holds a figure.
    """
    marked = 0
    for raw_row in raw.rows:
        if raw_row.cells and (raw_row.in_thead or all(cell.is_header for cell in raw_row.cells)):
            marked += 1
        else:
            break
    if marked:
        return marked
    grid = expanded.rows
    header = None
    for row_index, row in enumerate(grid):
        if any(_is_figure(cell) for cell in row[1:]):
            header = row_index
            break
        if row_index > 0 and _is_section_row(row):
            header = row_index
            break
    if header is None:
        return None
    # A header cell spanning down past the first figure row means that row is header too.
    grown = header
    for (row_index, _col), (origin_row, origin_col) in expanded.origin.items():
        if origin_row < header and origin_col > 0:
            grown = max(grown, row_index + 1)
    return grown


def _is_section_row(row: list[Cell]) -> bool:
    """A row with a label in column 0 and nothing in the other columns ("一、流动资产")."""
    return (
        len(row) > 1
        and not row[0].blank
        and not row[0].spanned
        and all(cell.blank and not cell.spanned for cell in row[1:])
    )
