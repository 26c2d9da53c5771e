"""Reads a text-based PDF into a Document: prose lines as paragraphs and rebuilt tables.

pypdfium2 gives positioned text runs and the page's drawn lines (pdf_page); each page's ruled
tables are rebuilt as grids (pdf_tables); here the pages come together: running headers, footers
and page numbers are dropped, a table that runs on at the top of the next page with the same
columns is joined to the one it continues, and everything becomes model objects with locations.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from hecha.ingest.errors import IngestError
from hecha.ingest.numbers import is_blank, is_unit_line, normalize, parse_quantity, unit_scale
from hecha.ingest.pdf_page import PageContent, Run, read_rules, read_runs
from hecha.ingest.pdf_tables import GridCell, PageTable, find_tables, join_texts
from hecha.model.document import Cell, Document, Location, Paragraph, Table

# Running headers and footers live in these top and bottom fractions of the page.
_MARGIN_FRACTION = 0.1
_PAGE_NUMBER = re.compile(r"^[\s\d/第页共\-—]*$")
_CONTINUED = re.compile(r"^[（(]?续[表)）]?|续表")
_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+节|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])"
)
_YEAR_HEADER = re.compile(r"^(19|20)\d{2}\s*(年|$)")
_CONTEXT_LINES = 3
_COLUMN_TOLERANCE = 6.0  # points a continued table's column boundaries may move by


@dataclass(slots=True)
class _Line:
    page: int
    runs: list[Run]
    text: str
    bbox: tuple[float, float, float, float]


def read(path: str, data: bytes) -> Document:
    """Read PDF bytes into a Document. Raises IngestError for an encrypted, corrupt or scanned PDF."""
    pdf = _open(data)
    try:
        pages = _read_pages(pdf)
    finally:
        pdf.close()
    if not any(page.runs for page in pages):
        raise IngestError(
            "PDF 没有可提取的文字（可能是扫描件），需要先做 OCR",
            "the PDF has no extractable text (probably a scan); run OCR first",
        )
    _drop_running_text(pages)
    page_tables: list[PageTable] = []
    lines: list[_Line] = []
    for page in pages:
        page_tables.extend(find_tables(page.number, page.runs, page.rules, page.width))
        lines.extend(_lines(page))
    joined = _join_continued(page_tables, lines, pages)
    tables = tuple(_to_table(path, index, table, lines) for index, table in enumerate(joined))
    paragraphs = tuple(
        Paragraph(
            text=line.text,
            location=Location(source=path, page=line.page, bbox=line.bbox, quote=line.text),
            heading=bool(_HEADING.match(line.text)) and len(line.text) <= 40,
        )
        for line in lines
    )
    return Document(source=path, format="pdf", page_count=len(pages), paragraphs=paragraphs, tables=tables)


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise IngestError(
                "PDF 已加密，需要密码才能打开", "the PDF is encrypted and needs a password"
            ) from error
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise IngestError(
                "PDF 的安全设置不允许读取", "the PDF's security settings forbid reading it"
            ) from error
        raise IngestError(
            "PDF 文件已损坏或不完整，无法读取", "the PDF is corrupt or truncated and cannot be read"
        ) from error


def _read_pages(pdf: pdfium.PdfDocument) -> list[PageContent]:
    pages: list[PageContent] = []
    try:
        count = len(pdf)
    except pdfium.PdfiumError as error:
        raise IngestError("PDF 文件已损坏或不完整，无法读取", "the PDF is corrupt or truncated") from error
    for index in range(count):
        try:
            page = pdf[index]
        except pdfium.PdfiumError as error:
            raise IngestError(
                f"PDF 第 {index + 1} 页已损坏，无法读取", f"page {index + 1} of the PDF is corrupt"
            ) from error
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                runs = read_runs(textpage.raw, height)
            finally:
                textpage.close()
            rules = read_rules(page.raw, height, width) if runs else []
        finally:
            page.close()
        pages.append(PageContent(index + 1, width, height, runs, rules))
    return pages


def _running_key(run: Run) -> str:
    return re.sub(r"\d+", "#", run.text.replace(" ", ""))


def _drop_running_text(pages: list[PageContent]) -> None:
    """Remove running headers, footers and page numbers from every page.

    They are text in the top or bottom margin that repeats, figures masked, at the same height
    on many pages ("14 / 195", "2020 年年度报告", the company name), or a lone page number.
    """
    seen: Counter[tuple[str, int]] = Counter()
    for page in pages:
        keys = {(_running_key(run), round(run.top / 3)) for run in page.runs if _in_margin(run, page.height)}
        seen.update(keys)
    threshold = max(2, int(0.25 * len(pages)))
    for page in pages:
        page.runs = [
            run
            for run in page.runs
            if not (
                _in_margin(run, page.height)
                and (
                    seen[(_running_key(run), round(run.top / 3))] >= threshold or _PAGE_NUMBER.match(run.text)
                )
            )
        ]


def _in_margin(run: Run, height: float) -> bool:
    return run.bottom < height * _MARGIN_FRACTION or run.top > height * (1 - _MARGIN_FRACTION)


def _lines(page: PageContent) -> list[_Line]:
    """The page's remaining (non-table) runs grouped into text lines, top to bottom."""
    groups: list[list[Run]] = []
    for run in sorted(page.runs, key=lambda r: r.center_y):
        if groups:
            last = groups[-1]
            center = sum(r.center_y for r in last) / len(last)
            if abs(run.center_y - center) <= max(3.0, 0.4 * run.height):
                last.append(run)
                continue
        groups.append([run])
    lines = []
    for group in groups:
        text = join_texts(group)
        if not text:
            continue
        bbox = (
            min(r.x0 for r in group),
            min(r.top for r in group),
            max(r.x1 for r in group),
            max(r.bottom for r in group),
        )
        lines.append(_Line(page.number, group, text, bbox))
    return lines


def _join_continued(tables: list[PageTable], lines: list[_Line], pages: list[PageContent]) -> list[PageTable]:
    """Join a table that runs on at the top of the next page into the table it continues."""
    joined: list[PageTable] = []
    for table in tables:
        previous = joined[-1] if joined else None
        if previous is not None and _continues(previous, table, lines):
            _line_up_columns(previous, table)
            rows = table.rows
            header = _header_count(previous.rows)
            if header and _texts(rows[:header]) == _texts(previous.rows[:header]):
                rows = rows[header:]  # the header repeated on the new page
            previous.rows.extend(rows)
            previous.row_pages.extend([table.page] * len(rows))
            continue
        joined.append(table)
    return joined


def _texts(rows: list[list[GridCell]]) -> list[list[str]]:
    return [[cell.text for cell in row] for row in rows]


def _column_mapping(previous: PageTable, table: PageTable) -> list[int] | None:
    """The grid column of ``previous`` that each kept column of ``table`` lines up with.

    Columns line up when both of their x boundaries agree within tolerance, even when the
    boundaries were drawn a little differently or a column that is empty on one page was
    dropped there. None when some column of ``table`` has no partner (other columns: a new table).
    """
    mapping: list[int] = []
    for column in table.columns:
        left, right = table.grid_edges[column], table.grid_edges[column + 1]
        partner = next(
            (
                index
                for index in range(len(previous.grid_edges) - 1)
                if abs(previous.grid_edges[index] - left) <= _COLUMN_TOLERANCE
                and abs(previous.grid_edges[index + 1] - right) <= _COLUMN_TOLERANCE
            ),
            None,
        )
        if partner is None or partner in mapping:
            return None
        mapping.append(partner)
    # Every column the first part kept must reappear (possibly empty) on the next page.
    return mapping if mapping == sorted(mapping) else None


def _line_up_columns(previous: PageTable, table: PageTable) -> None:
    """Give both parts the union of their columns, so that the continuation's rows can be appended."""
    mapping = _column_mapping(previous, table)
    if mapping is None or (mapping == previous.columns and len(table.columns) == len(previous.columns)):
        return
    union = sorted(set(previous.columns) | set(mapping))
    edges = previous.grid_edges

    def widen(rows: list[list[GridCell]], columns: list[int]) -> list[list[GridCell]]:
        widened = []
        for row in rows:
            by_column = dict(zip(columns, row, strict=True))
            top = min(cell.bbox[1] for cell in row)
            bottom = max(cell.bbox[3] for cell in row)
            widened.append(
                [by_column.get(j) or GridCell("", (edges[j], top, edges[j + 1], bottom)) for j in union]
            )
        return widened

    previous.rows = widen(previous.rows, previous.columns)
    table.rows = widen(table.rows, mapping)
    previous.columns = union
    previous.col_edges = [edges[j] for j in union] + [edges[union[-1] + 1]]
    table.columns, table.grid_edges, table.col_edges = union, edges, previous.col_edges


def _continues(previous: PageTable, table: PageTable, lines: list[_Line]) -> bool:
    last_page = previous.row_pages[-1]
    if table.page != last_page + 1:
        return False
    same_edges = len(previous.col_edges) == len(table.col_edges) and all(
        abs(a - b) <= _COLUMN_TOLERANCE for a, b in zip(previous.col_edges, table.col_edges, strict=True)
    )
    if not same_edges and _column_mapping(previous, table) is None:
        return False
    # Nothing but a "续表" or unit line may stand between the two parts.
    last_bottom = max(cell.bbox[3] for row in previous.rows[-1:] for cell in row)
    for line in lines:
        if _PAGE_NUMBER.match(line.text):
            continue  # a page number the margin test missed (landscape pages put it higher)
        if line.page == last_page and line.bbox[1] > last_bottom:
            return False
        between = line.page == table.page and line.bbox[3] < table.bbox[1]
        if between and not (_CONTINUED.search(line.text) or is_unit_line(line.text)):
            return False
    return True


def _header_count(rows: list[list[GridCell]]) -> int:
    """Leading rows that hold no figure other than a year (the header rows)."""
    for index, row in enumerate(rows):
        for cell in row[1:]:
            text = normalize(cell.text).strip()
            if parse_quantity(text) is not None and not _YEAR_HEADER.match(text):
                return index
    return 0


def _is_title(text: str) -> bool:
    # "√适用 □不适用" is the form's tick box, not a caption.
    return not is_unit_line(text) and "适用" not in text.replace("不适用", "") and "不适用" not in text


def _to_table(path: str, index: int, table: PageTable, lines: list[_Line]) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for row_index, (row, page) in enumerate(zip(table.rows, table.row_pages, strict=True)):
        cells = []
        for col_index, grid_cell in enumerate(row):
            text = grid_cell.text
            cells.append(
                Cell(
                    text=text,
                    location=Location(
                        source=path,
                        page=page,
                        bbox=grid_cell.bbox,
                        table=index,
                        row=row_index,
                        col=col_index,
                        quote=text,
                    ),
                    quantity=parse_quantity(text),
                    blank=is_blank(text),
                    spanned=grid_cell.spanned,
                )
            )
        rows.append(tuple(cells))
    above = [line for line in lines if line.page == table.page and line.bbox[3] <= table.bbox[1] + 1]
    above = above[-_CONTEXT_LINES:]
    unit = next((line.text for line in reversed(above) if is_unit_line(line.text)), None)
    if unit is None:
        unit = next(
            (cell.text for row in table.rows[:3] for cell in row if unit_scale(cell.text) is not None), None
        )
    title = next((line.text for line in reversed(above) if _is_title(line.text)), "")
    header = _header_count(table.rows)
    first = rows[0][0].location
    return Table(
        index=index,
        rows=tuple(rows),
        location=Location(source=path, page=first.page, bbox=first.bbox, table=index),
        header_rows=header if 0 < header < len(rows) else None,
        unit=unit,
        title=title,
        pages=tuple(sorted(set(table.row_pages))),
        context="\n".join(line.text for line in above),
    )
