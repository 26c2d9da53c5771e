"""Independent table coverage: of the tables a document prints (benchmarks/table_scan.py, which
does not use hecha's readers), how many did hecha check?

From a clean check (``hecha.engine.check_document``) the figures hecha *read* are the figure cells
of its tables, and the figures that *entered a relation* are those a rule recomputed: the cells of
relations that held (``CheckResult.verified_cells``), the places of relations that held outside
tables (``verified_locations``), and the stated figure and every operand of every finding
(``Diagnostic.location`` and ``related``, whatever the severity). Each is keyed by where it is
printed, the page for PDFs (hecha's PDF locations have no line) and the line of the file for every
other format, and by its printed magnitude (``table_scan.figure_key``: digits and point, no sign,
separators or percent).

A scanned figure *entered a relation* when its (place, magnitude) is among those; a scanned table is
*checked* when at least one of its figures entered a relation, and *read* when at least one of its
figures is among the figures hecha read in a table. The same magnitude printed twice on one page
(or line) cannot be told apart: the match errs towards "checked" there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from benchmarks.table_scan import Scan, ScannedFigure, ScannedTable, figure_key
from hecha.engine import CheckResult
from hecha.model.document import Cell, Location

TARGET_TABLES_CHECKED = 0.85
Key = tuple[int, str]  # (page or line, printed magnitude)


@dataclass(frozen=True)
class HechaFigures:
    """What hecha read and recomputed in one document, keyed by place and magnitude."""

    by_page: bool
    read: frozenset[Key]
    related: frozenset[Key]

    def key(self, figure: ScannedFigure) -> Key | None:
        place = figure.page if self.by_page else figure.line
        return None if place is None else (place, figure.key)

    def entered(self, figure: ScannedFigure) -> bool:
        key = self.key(figure)
        return key is not None and key in self.related

    def was_read(self, figure: ScannedFigure) -> bool:
        key = self.key(figure)
        return key is not None and key in self.read


def _cells(result: CheckResult) -> dict[tuple[int, int, int], Cell]:
    cells: dict[tuple[int, int, int], Cell] = {}
    for table in result.document.tables:
        for row in table.rows:
            for cell in row:
                loc = cell.location
                if loc.table is None or loc.row is None or loc.col is None:
                    continue
                key = (loc.table, loc.row, loc.col)
                if key not in cells or not cell.spanned:
                    cells[key] = cell
    return cells


def hecha_figures(result: CheckResult, by_page: bool) -> HechaFigures:
    """The figures of ``result`` hecha read in tables and those that entered a relation."""
    cells = _cells(result)

    def keyed(location: Location, text: str) -> Key | None:
        place = location.page if by_page else location.line
        magnitude = figure_key(text)
        return None if place is None or magnitude is None else (place, magnitude)

    def of_location(location: Location) -> Key | None:
        if location.table is not None and location.row is not None and location.col is not None:
            cell = cells.get((location.table, location.row, location.col))
            if cell is not None:
                return keyed(cell.location, cell.text)
        return keyed(location, location.quote)

    read = {keyed(cell.location, cell.text) for cell in cells.values() if cell.quantity is not None}
    related: set[Key | None] = set()
    related.update(
        keyed(cells[key].location, cells[key].text) for key in result.verified_cells if key in cells
    )
    related.update(of_location(location) for location in result.verified_locations)
    for diagnostic in result.diagnostics:
        related.add(of_location(diagnostic.location))
        related.update(of_location(r.location) for r in diagnostic.related)
    return HechaFigures(
        by_page=by_page,
        read=frozenset(k for k in read if k is not None),
        related=frozenset(k for k in related if k is not None),
    )


@dataclass(frozen=True)
class UncheckedTable:
    where: str  # "p.12" / "l.340"
    first_row: str  # the first row's label and figures, shortened


@dataclass(frozen=True)
class TableCoverage:
    """Counts for one document, or a group of documents (``documents`` > 1)."""

    document: str
    tables: int = 0  # printed tables (scan)
    tables_read: int = 0
    tables_checked: int = 0
    figures: int = 0  # figures in the printed tables
    figures_read: int = 0
    figures_checked: int = 0  # that entered at least one relation
    column_figures: int = 0  # lone figures (one per line) the row rule cannot see
    documents: int = 1
    source: str = ""
    unchecked: tuple[UncheckedTable, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    @property
    def checked_share(self) -> float | None:
        return self.tables_checked / self.tables if self.tables else None

    @property
    def read_share(self) -> float | None:
        return self.tables_read / self.tables if self.tables else None

    @property
    def figure_share(self) -> float | None:
        return self.figures_checked / self.figures if self.figures else None


def _where(table: ScannedTable) -> str:
    if table.page is not None and table.line is None:
        return f"p.{table.page}"
    parts = [f"p.{table.page}"] if table.page is not None else []
    if table.line is not None:
        parts.append(f"l.{table.line}")
    return " ".join(parts)


def _first_row(table: ScannedTable, limit: int = 60) -> str:
    row = table.rows[0]
    text = " ".join([row.label, *(f.text for f in row.figures)]).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def document_table_coverage(name: str, scan: Scan, figures: HechaFigures, examples: int = 0) -> TableCoverage:
    tables_read = tables_checked = figures_read = figures_checked = 0
    unchecked: list[UncheckedTable] = []
    for table in scan.tables:
        entered = [figures.entered(f) for f in table.figures]
        read = [figures.was_read(f) for f in table.figures]
        figures_checked += sum(entered)
        figures_read += sum(read)
        tables_read += any(read)
        if any(entered):
            tables_checked += 1
        elif len(unchecked) < examples:
            unchecked.append(UncheckedTable(_where(table), _first_row(table)))
    return TableCoverage(
        document=name,
        tables=len(scan.tables),
        tables_read=tables_read,
        tables_checked=tables_checked,
        figures=scan.figures,
        figures_read=figures_read,
        figures_checked=figures_checked,
        column_figures=scan.column_figures,
        source=scan.source,
        unchecked=tuple(unchecked),
        notes=scan.notes,
    )


def add_up(label: str, items: Iterable[TableCoverage]) -> TableCoverage:
    chosen = list(items)
    return TableCoverage(
        document=label,
        tables=sum(c.tables for c in chosen),
        tables_read=sum(c.tables_read for c in chosen),
        tables_checked=sum(c.tables_checked for c in chosen),
        figures=sum(c.figures for c in chosen),
        figures_read=sum(c.figures_read for c in chosen),
        figures_checked=sum(c.figures_checked for c in chosen),
        column_figures=sum(c.column_figures for c in chosen),
        documents=sum(c.documents for c in chosen),
    )
