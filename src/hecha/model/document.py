"""The document model every ingest format produces and every later stage reads.

A Document is a list of paragraphs (prose) and tables. Every cell keeps the Location it came
from, so that a finding can point to the page/line, the table/row/col and, for PDFs, the bbox.
Ingest fills this model and never judges; extract and rules only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hecha.model.quantity import Quantity

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left


@dataclass(frozen=True, slots=True)
class Location:
    """Where something stands in the source.

    ``page`` is 1-based (None for formats without pages), ``line`` the 1-based line of the input
    file (None for PDFs), ``table``/``row``/``col`` 0-based indices into Document.tables and the
    table's grid, ``quote`` the characters as printed.
    """

    source: str
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    quote: str = ""


@dataclass(frozen=True, slots=True)
class Cell:
    """One grid position of a table.

    ``quantity`` is set when the text parses as a figure; ``blank`` when the text is a printed
    blank (-, —, 不适用, N/A, empty). ``spanned`` marks the copies of a cell that spans several grid
    positions (rowspan/colspan): the first position holds the cell, the others repeat it.
    ``unread`` marks a figure that is printed but whose value or column hecha could not establish
    (a figure broken by extraction; in plain text, a row printing fewer figures than the table has
    columns): its value is unknown, never 0, and its text is not a word of a label or header.
    """

    text: str
    location: Location
    quantity: Quantity | None = None
    blank: bool = False
    spanned: bool = False
    unread: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table as ingest rebuilt it: a grid of rows of cells.

    Rows may be ragged when the source gives no column positions (plain text); extract aligns
    them. ``header_rows`` is the number of leading rows ingest knows to be headers (None when it
    cannot tell). ``unit`` is the text of the unit line or header (e.g. "单位：万元"), ``title`` the
    nearest heading or text line above the table, ``pages`` the pages the table spans.
    ``layout_totals`` are rows that the layout, not a word, marks as totals: accountants' layouts
    print a total without a label, under a rule drawn over its figures. ``layout_headings`` are
    label-only rows of a table that prints a nil mark ("--") wherever a figure is missing, so a
    row without any mark is a heading over the rows below ("应付利息" / its creditors).
    ``opens_page`` says that the table stands first on its page, with no title or text above it
    there: it may be the rest of a table on the page before that ingest could not join to it.
    ``unplaced_rows`` are rows (grid indices) printing fewer figures than the table has columns
    where the source gives no column positions (plain text): their figures are known, in order,
    but not their columns. Ingest keeps them unread over every figure column; extract may place
    them where only one placement fits the columns' kinds and totals.
    """

    index: int
    rows: tuple[tuple[Cell, ...], ...]
    location: Location
    header_rows: int | None = None
    unit: str | None = None
    title: str = ""
    pages: tuple[int, ...] = ()
    context: str = ""  # the text lines just above the table, for extract's period/entity hints
    layout_totals: tuple[int, ...] = ()
    layout_headings: tuple[int, ...] = ()
    opens_page: bool = False
    unplaced_rows: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of prose with the location of its first character."""

    text: str
    location: Location
    heading: bool = False


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader wants the user to know about the whole file (a part it skipped, a
    layout it could not rebuild), said once per document; never a finding."""

    message: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Document:
    """Everything ingest read from one input file."""

    source: str
    format: str
    page_count: int | None
    paragraphs: tuple[Paragraph, ...] = ()
    tables: tuple[Table, ...] = ()
    warnings: tuple[Notice, ...] = field(default=())
