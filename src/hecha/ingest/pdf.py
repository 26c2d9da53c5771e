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
from itertools import pairwise

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from hecha.ingest.errors import IngestError
from hecha.ingest.finish import finished
from hecha.ingest.lines import (
    is_figure_head_piece,
    is_figure_tail_piece,
    is_grouped_one_decimal,
    is_grouped_two_decimals,
    join_figure_pieces,
)
from hecha.ingest.numbers import is_blank, is_unit_line, normalize, parse_quantity, unit_scale
from hecha.ingest.pdf_page import PageContent, Run, read_rules, read_runs
from hecha.ingest.pdf_tables import GridCell, PageTable, find_tables
from hecha.ingest.pdf_unruled import find_unruled_tables
from hecha.ingest.prose import ends_prose_before_table, is_heading, join_line_texts, opens_paragraph
from hecha.model.document import Cell, Document, Location, Paragraph, Table

# Running headers and footers live in these top and bottom fractions of the page.
_MARGIN_FRACTION = 0.1
_PAGE_NUMBER = re.compile(r"^[\s\d/第页共\-—]*$")
_CONTINUED = re.compile(r"^[（(]?续[表)）]?|续表|[（(]续[)）]\s*$")
# A gap inside a line wider than this many line heights separates table columns, not words.
_COLUMN_GAP = 2.5
_LEADER = re.compile(r"(?:\.{4,}|…{2,}|·{4,})")
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
        ruled = find_tables(page.number, page.runs, page.rules, page.width)
        unruled = find_unruled_tables(page.number, page.runs, page.rules)
        found = sorted(ruled + unruled, key=lambda table: table.bbox[1])
        page_tables.extend(part for table in found for part in _split_stacked(table))
        lines.extend(_lines(page))
    joined = [
        _merge_aligned_columns(_rejoin_split_figures(table))
        for table in _join_continued(page_tables, lines, pages)
    ]
    row_tops = _row_tops(joined)
    prose_ends = _pages_ending_in_prose(lines, joined)
    tables = finished(
        [
            _to_table(
                path,
                index,
                table,
                lines,
                below_another=_below_another(index, table, row_tops),
                after_prose=table.page - 1 in prose_ends,
            )
            for index, table in enumerate(joined)
        ]
    )
    paragraphs = tuple(_paragraphs(path, lines, page_tables, pages))
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
        running = [
            _in_margin(run, page.height) and seen[(_running_key(run), round(run.top / 3))] >= threshold
            for run in page.runs
        ]
        kept_body = [run for run, dropped in zip(page.runs, running, strict=True) if not dropped]
        page.runs = [
            run
            for run, dropped in zip(page.runs, running, strict=True)
            if not (
                dropped
                or (
                    _in_margin(run, page.height)
                    and _PAGE_NUMBER.match(run.text)
                    and not _has_line_neighbour(run, kept_body)
                )
            )
        ]


def _has_line_neighbour(run: Run, others: list[Run]) -> bool:
    """Whether another kept run shares ``run``'s line: then a bare number ("2019" in
    "根据公司2019年第一次…" on the first line of a page) is part of the text, not a page number."""
    for other in others:
        if other is run or other.height < 1.0:
            continue
        overlap = min(other.bottom, run.bottom) - max(other.top, run.top)
        if overlap >= 0.5 * min(other.height, run.height) and not _PAGE_NUMBER.match(other.text):
            return True
    return False


def _in_margin(run: Run, height: float) -> bool:
    return run.bottom < height * _MARGIN_FRACTION or run.top > height * (1 - _MARGIN_FRACTION)


def _lines(page: PageContent) -> list[_Line]:
    """The page's remaining (non-table) runs grouped into text lines, top to bottom.

    Punctuation glyphs (，。、.) come as runs of their own whose box is only the mark, sitting on
    the baseline well below the line's middle; grouping them by their centre would move them to
    a line of their own and split "158,191" into two figures. So lines are formed from the
    full-height runs first and each small run joins the line whose height it lies within.
    """
    if not page.runs:
        return []
    heights = sorted(run.height for run in page.runs)
    small_limit = 0.5 * heights[len(heights) // 2]
    groups: list[list[Run]] = []
    extents: list[list[float]] = []  # [top, bottom] of each group's full-height runs
    small: list[Run] = []
    for run in sorted(page.runs, key=lambda r: r.top):
        if run.height < small_limit:
            small.append(run)
            continue
        if groups:
            top, bottom = extents[-1]
            overlap = min(bottom, run.bottom) - max(top, run.top)
            if overlap >= 0.5 * min(run.height, bottom - top):
                groups[-1].append(run)
                extents[-1] = [min(top, run.top), max(bottom, run.bottom)]
                continue
        groups.append([run])
        extents.append([run.top, run.bottom])
    for run in small:
        home = _home_line(run, extents)
        if home is None:
            groups.append([run])
            extents.append([run.top, run.bottom])
        elif not any(_covers(other, run) for other in groups[home]):
            groups[home].append(run)
    order = sorted(range(len(groups)), key=lambda index: extents[index][0])
    lines = []
    for index in order:
        group = sorted(groups[index], key=lambda r: r.x0)
        text = _line_text(group)
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


def _home_line(run: Run, extents: list[list[float]]) -> int | None:
    """The line a small run (a punctuation mark) belongs to: the one whose height holds its centre."""
    middle = run.center_y
    best: int | None = None
    best_distance = 0.0
    for index, (top, bottom) in enumerate(extents):
        if top - 1 <= middle <= bottom + 1:
            distance = abs(middle - (top + bottom) / 2)
            if best is None or distance < best_distance:
                best, best_distance = index, distance
    return best


def _covers(run: Run, mark: Run) -> bool:
    """Whether ``run`` already holds the glyph of the small run ``mark``.

    pdfium reports some characters twice: once inside their line's rectangle and once as a
    flat rectangle of their own ("本" drawn 0.1 pt high under "本公司…").
    """
    overlap = min(run.x1, mark.x1) - max(run.x0, mark.x0)
    return overlap > 0.5 * (mark.x1 - mark.x0) and mark.text in run.text


def _overlaps(left: Run, right: Run) -> bool:
    """Whether two neighbouring runs share glyphs: their boxes overlap, or the left one is a flat
    duplicate box drawn right before the right one."""
    return left.x1 - right.x0 > 0.5 or (left.height < 0.5 and left.x1 - right.x0 > -1.0)


def _repeated_prefix(text: str, piece: str) -> int:
    """How many leading characters of ``piece`` the end of ``text`` already holds.

    pdfium returns for a rectangle every glyph that touches it, so two overlapping rectangles
    both hold the glyphs where they overlap ("…较短，以1" + "以12" for "以12").
    """
    for count in range(min(len(text), len(piece)), 0, -1):
        if text.endswith(piece[:count]):
            return count
    return 0


def _line_text(runs: list[Run]) -> str:
    """The runs of one line, left to right, joined as printed.

    Chinese needs no space; two Latin words separated by a visible gap get one. Between two
    digits only a wide gap counts as a space: justified lines stretch the gaps inside a figure,
    and a space there would turn one figure into two.
    """
    text = ""
    previous: Run | None = None
    for run in runs:
        piece = run.text
        if previous is not None and _overlaps(previous, run):
            piece = piece[_repeated_prefix(text, piece) :]
            if not piece:
                continue
        if text and previous is not None:
            left, right = text[-1], piece[0]
            if left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
                gap = run.x0 - previous.x1
                factor = 0.6 if left.isdigit() and right.isdigit() else 0.25
                if gap > factor * max(run.height, previous.height, 1.0):
                    text += " "
        text += piece
        previous = run
    return text.strip()


def _paragraphs(
    path: str, lines: list[_Line], tables: list[PageTable], pages: list[PageContent]
) -> list[Paragraph]:
    """Join printed lines into paragraphs where the layout says the text runs on.

    A line runs on into the next when it reaches the right margin of the text block and the next
    line starts at the left margin (a new paragraph is indented or opens with a heading marker),
    with the same type size, nothing but line spacing in between, and no table; at a page break
    the last line of one page runs on into the first line of the next (running headers and page
    numbers are already gone). A joined paragraph keeps its first line's page and bbox.
    """
    margins = _Margins(lines, pages)
    below: dict[int, float] = {}  # page -> top of its lowest table
    above: dict[int, float] = {}  # page -> bottom of its highest table
    for table in tables:
        below[table.page] = max(below.get(table.page, 0.0), table.bbox[1])
        above[table.page] = min(above.get(table.page, float("inf")), table.bbox[3])
    by_page: dict[int, list[tuple[float, float]]] = {}
    for table in tables:
        by_page.setdefault(table.page, []).append((table.bbox[1], table.bbox[3]))

    def runs_on(first: _Line, second: _Line) -> bool:
        if _is_tabular(first) or _is_tabular(second) or _LEADER.search(first.text):
            return False
        if opens_paragraph(second.text):
            return False
        first_height, second_height = _text_height(first), _text_height(second)
        if abs(first_height - second_height) > 0.25 * max(first_height, second_height):
            return False
        _, right = margins.of(first.page)
        if first.bbox[2] < right - 1.5 * first_height:
            return False  # the line stops short of the margin: the paragraph ends here
        next_left, _ = margins.of(second.page)
        if abs(second.bbox[0] - next_left) > 0.8 * second_height:
            return False  # indented (a new paragraph) or not body text
        if second.page == first.page:
            if second.bbox[1] - first.bbox[3] > 1.2 * first_height:
                return False
            return not any(
                first.bbox[3] - 1 <= top and bottom <= second.bbox[1] + 1
                for top, bottom in by_page.get(first.page, [])
            )
        return (
            second.page == first.page + 1
            and below.get(first.page, -1.0) < first.bbox[1]
            and above.get(second.page, float("inf")) > second.bbox[3]
        )

    groups: list[list[_Line]] = []
    for position, line in enumerate(lines):
        previous = lines[position - 1] if position else None
        if groups and previous is not None and runs_on(previous, line):
            groups[-1].append(line)
        else:
            groups.append([line])
    paragraphs = []
    for group in groups:
        text = group[0].text
        for line in group[1:]:
            text = join_line_texts(text, line.text)
        first = group[0]
        paragraphs.append(
            Paragraph(
                text=text,
                location=Location(source=path, page=first.page, bbox=first.bbox, quote=text),
                heading=is_heading(text),
            )
        )
    return paragraphs


class _Margins:
    """The left and right edge of the body text, per page, with the document's as fallback.

    The edges are the most common start and end of a line: prose lines are justified, so most
    of them start and end at the same x.
    """

    def __init__(self, lines: list[_Line], pages: list[PageContent]) -> None:
        widths = {page.number: page.width for page in pages}
        starts: dict[int, Counter[int]] = {}
        ends: dict[int, Counter[int]] = {}
        all_starts: Counter[int] = Counter()
        all_ends: Counter[int] = Counter()
        for line in lines:
            if line.bbox[2] - line.bbox[0] < 0.4 * widths.get(line.page, 600.0):
                continue
            start, end = round(line.bbox[0]), round(line.bbox[2])
            starts.setdefault(line.page, Counter())[start] += 1
            ends.setdefault(line.page, Counter())[end] += 1
            all_starts[start] += 1
            all_ends[end] += 1
        fallback = (_mode(all_starts, 0.0), _mode(all_ends, 0.0))
        self._edges: dict[int, tuple[float, float]] = {}
        for page in pages:
            page_starts, page_ends = starts.get(page.number), ends.get(page.number)
            if page_starts is None or page_ends is None or page_starts.total() < 3:
                self._edges[page.number] = fallback
            else:
                self._edges[page.number] = (_mode(page_starts, fallback[0]), _mode(page_ends, fallback[1]))

    def of(self, page: int) -> tuple[float, float]:
        return self._edges.get(page, (0.0, 0.0))


def _mode(counts: Counter[int], default: float) -> float:
    """The most common value, counting values within 2 pt of each other together."""
    if not counts:
        return default
    best, best_count = default, 0
    for value in counts:
        near = sum(counts[value + offset] for offset in range(-2, 3))
        if near > best_count or (near == best_count and value < best):
            best, best_count = float(value), near
    return best


def _text_height(line: _Line) -> float:
    """The type size of a line: its tallest run (digits and marks are shorter than characters)."""
    return max(run.height for run in line.runs)


def _is_tabular(line: _Line) -> bool:
    """A line of an unruled table: pieces separated by gaps far wider than a space."""
    widest = _COLUMN_GAP * _text_height(line)
    reach = line.runs[0].x1
    for run in line.runs[1:]:  # left to right
        if run.x0 - reach > widest:
            return True
        reach = max(reach, run.x1)
    return False


_NAMES_COLUMN = re.compile(
    r"序号|名称|项目|金额|余额|比例|占比|比重|[(（][万亿]?元[)）]|数量|日期|期末|期初|本期|上期|性质"
)


def _split_stacked(table: PageTable) -> list[PageTable]:
    """A grid holding two tables one above the other: figure rows, then a row naming three or more
    columns with no figure ("序号 | 客户名称 | 销售额（元） | 占年度销售总额比例" under the 前五名客户合计
    lines), then figure rows again. The second table starts at that header, or at the caption row
    without figures right above it ("公司前5 | 大客户资料")."""
    rows = table.rows
    seen_figures = False
    for index, row in enumerate(rows):
        if _prints_figure(row):
            seen_figures = True
            continue
        texts = [cell.text.strip() for cell in row if cell.text.strip() and not cell.spanned]
        if not seen_figures or len(texts) < 3 or any(_is_figure_text(text) for text in texts):
            continue
        if sum(1 for text in texts if _NAMES_COLUMN.search(text)) < 2:
            continue  # a row of label pieces wrapped around figures, not a header
        if not any(_prints_figure(later) for later in rows[index + 1 :]):
            return [table]
        if _repeats_header(rows, row):
            continue  # 分行业 | 营业收入 | … then 分产品 | 营业收入 | …: sections of one table
        above = rows[index - 1]
        caption = [col for col, cell in enumerate(above) if cell.text.strip() and not cell.spanned]
        start = index - 1 if not _prints_figure(above) and caption and caption != [0] else index
        first = PageTable(
            table.page,
            _rows_box(table, rows[:start]),
            table.col_edges,
            rows[:start],
            table.row_pages[:start],
            table.grid_edges,
            table.columns,
            table.unruled,
            table.header_count,
        )
        second = PageTable(
            table.row_pages[start] if table.row_pages else table.page,
            _rows_box(table, rows[start:]),
            table.col_edges,
            rows[start:],
            table.row_pages[start:],
            table.grid_edges,
            table.columns,
            table.unruled,
            None,
        )
        return [first, *_split_stacked(second)]
    return [table]


def _repeats_header(rows: list[list[GridCell]], row: list[GridCell]) -> bool:
    """True when ``row`` names the figure columns as a header row above the first figures does."""
    first = next(index for index, candidate in enumerate(rows) if _prints_figure(candidate))
    names = [cell.text.strip() for cell in row[1:]]
    return any([cell.text.strip() for cell in header[1:]] == names for header in rows[:first])


def _rows_box(table: PageTable, rows: list[list[GridCell]]) -> tuple[float, float, float, float]:
    cells = [cell.bbox for row in rows for cell in row]
    return (table.bbox[0], min(box[1] for box in cells), table.bbox[2], max(box[3] for box in cells))


def _prints_figure(row: list[GridCell]) -> bool:
    """An amount or a rate: a figure printed with a separator, a point or a percent sign (not a
    serial number, nor a header's year "2019 | 年")."""
    return any(
        _is_figure_text(text) and any(mark in text for mark in ",.%")
        for text in (cell.text.strip() for cell in row)
    )


def _join_continued(tables: list[PageTable], lines: list[_Line], pages: list[PageContent]) -> list[PageTable]:
    """Join a table that runs on at the top of the next page into the table it continues."""
    joined: list[PageTable] = []
    for table in tables:
        previous = joined[-1] if joined else None
        if previous is not None and _continues(previous, table, lines):
            _line_up_columns(previous, table)
            rows = table.rows
            header = _header_rows_of(previous)
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
    # An unruled table's label column ends where its widest figure begins: only the figure
    # columns' right edges are compared.
    skip = 2 if previous.unruled and table.unruled else 0
    same_edges = len(previous.col_edges) == len(table.col_edges) and all(
        abs(a - b) <= _COLUMN_TOLERANCE
        for a, b in zip(previous.col_edges[skip:], table.col_edges[skip:], strict=True)
    )
    # A part that repeats the whole header of the part before is its continuation even where
    # the word processor laid its columns out a little differently on the new page.
    # (Section labels such as "原价" / "累计折旧" under the header differ between the parts.)
    header = sum(1 for row in previous.rows[: _header_rows_of(previous)] if any(c.text for c in row[1:]))
    repeated = (
        header > 0
        and len(previous.col_edges) == len(table.col_edges)
        and _texts(table.rows[:header]) == _texts(previous.rows[:header])
    )
    if (
        not same_edges
        and not repeated
        and _column_mapping(previous, table) is None
        and not _close_edges(previous, table)
    ):
        return False
    # Nothing but a "续表" or unit line may stand between the two parts (under a repeated
    # header also a running head the page-margin test missed: a line the page before prints too).
    last_bottom = max(cell.bbox[3] for row in previous.rows[-1:] for cell in row)
    before = {line.text for line in lines if line.page == last_page} if repeated else set()
    for line in lines:
        if _PAGE_NUMBER.match(line.text):
            continue  # a page number the margin test missed (landscape pages put it higher)
        if line.page == last_page and line.bbox[1] > last_bottom:
            return False
        between = line.page == table.page and line.bbox[3] < table.bbox[1]
        if between and not (_CONTINUED.search(line.text) or is_unit_line(line.text) or line.text in before):
            return False
    return True


def _close_edges(previous: PageTable, table: PageTable) -> bool:
    """A headless part whose every column boundary lies within a tenth of its columns' width of the
    part before's (the word processor laid the columns out a little differently on the new page:
    供应商名称 | 采购额 moved by 8 points), its first row printing figures."""
    if len(previous.col_edges) != len(table.col_edges) or not table.rows or not _prints_figure(table.rows[0]):
        return False
    widths = [right - left for left, right in pairwise(previous.col_edges)]
    for number, (before, now) in enumerate(zip(previous.col_edges, table.col_edges, strict=True)):
        around = [widths[i] for i in (number - 1, number) if 0 <= i < len(widths)]
        if abs(before - now) > max(_COLUMN_TOLERANCE, 0.1 * min(around)):
            return False
    return True


def _header_rows_of(table: PageTable) -> int:
    return table.header_count if table.header_count is not None else _header_count(table.rows)


def _header_count(rows: list[list[GridCell]]) -> int:
    """Leading rows that hold no figure other than a year (the header rows). A figure's broken
    first piece ("12,466,13" over "9.14") is a figure too."""
    for index, row in enumerate(rows):
        for cell in row[1:]:
            text = normalize(cell.text).strip()
            if (parse_quantity(text) is not None and not _YEAR_HEADER.match(text)) or is_figure_head_piece(
                text
            ):
                return index
    return 0


def _is_title(text: str) -> bool:
    # "√适用 □不适用" is the form's tick box, not a caption.
    return not is_unit_line(text) and "适用" not in text.replace("不适用", "") and "不适用" not in text


def _union(
    first: tuple[float, float, float, float], second: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    return (
        min(first[0], second[0]),
        min(first[1], second[1]),
        max(first[2], second[2]),
        max(first[3], second[3]),
    )


def _rejoin_split_figures(table: PageTable) -> PageTable:
    """One figure that a narrow cell broke apart is one cell again, and one row printed over two
    or three lines is one row.

    Without ruling lines a cell's figure may come as two runs side by side ("40,000,000" |
    ".00", "1,045,311." | "18") or wrap its end onto the next line ("41,045,311.1" over "8",
    "436,326,872" over ".36"). The pieces are joined where they make one figure and neither could
    stand alone (lines.join_figure_pieces decides). A line whose figure pieces all join the lines
    above is the rest of their row: its label piece ("额" under "一、上年年末余") and its other
    figures (printed vertically centred, on the middle line) go into that row.
    """
    _join_wrapped_blocks(table)
    rows: list[list[GridCell]] = []
    pages: list[int] = []
    for row, page in zip(table.rows, table.row_pages, strict=True):
        _join_side_by_side(row)
        same_page = [index for index in range(len(rows)) if pages[index] == page]
        merged_away = _merge_wrapped_line(rows, same_page[-2:], row)
        if merged_away is not None:
            for index in reversed(merged_away):
                del rows[index]
                del pages[index]
            continue
        rows.append(row)
        pages.append(page)
    table.rows, table.row_pages = rows, pages
    _join_wrapped_labels(table)
    return table


_MAX_WRAPPED_LINES = 6
_DIGIT_PIECE = re.compile(r"[\d,.]+\)?%?")


def _join_wrapped_blocks(table: PageTable) -> None:
    """One row printed with every cell wrapped over two to six lines is one row again.

    Equity statements squeeze sixteen columns into a page: "108," / "919," / "903." / "00" stand
    in one narrow cell, beside "一、" / "上年" / "期末" / "余额", and some producers rule every
    printed line, so each line arrives as a row. Lines are joined only where every figure column
    then reads as one figure (or a nil mark) and each line but the last holds pieces that cannot
    stand alone (or a minus sign); the pairwise merge after this handles the cases it leaves.
    """
    rows, pages = table.rows, table.row_pages
    index = 0
    while index < len(rows):
        size = _wrapped_block_size(
            rows[index : index + _MAX_WRAPPED_LINES], pages[index : index + _MAX_WRAPPED_LINES]
        )
        if size < 2:
            index += 1
            continue
        block = rows[index : index + size]
        joined = []
        for position in range(len(rows[index])):
            cells = [row[position] for row in block if row[position].text.strip()]
            if not cells:
                joined.append(rows[index][position])
                continue
            text = "".join(cell.text.strip() for cell in cells)
            box = cells[0].bbox
            for cell in cells[1:]:
                box = _union(box, cell.bbox)
            joined.append(GridCell(text, box, [run for cell in cells for run in cell.runs], cells[0].spanned))
        rows[index : index + size] = [joined]
        del pages[index + 1 : index + size]
        index += 1


def _wrapped_block_size(rows: list[list[GridCell]], pages: list[int]) -> int:
    """How many of ``rows`` (from the first) are the lines of one wrapped row; 0 when none."""
    if not rows or not _opens_wrapped_row(rows[:2]):
        return 0
    # (A row the word processor let break across a page runs on at the top of the next one.)
    for size in range(2, len(rows) + 1):
        if pages[size - 1] - pages[0] > 1 or _OWN_ROW.match(rows[size - 1][0].text.strip()):
            return 0
        if all(
            _one_wrapped_figure([row[p].text.strip() for row in rows[:size]]) for p in range(1, len(rows[0]))
        ):
            return size
    return 0


def _opens_wrapped_row(rows: list[list[GridCell]]) -> bool:
    """The first line holds a piece of a figure that cannot stand alone, or a minus sign over
    the broken rest of its figure ("-" over "32,442,780.9" over "0")."""
    if any(is_figure_head_piece(cell.text.strip()) for cell in rows[0][1:]):
        return True
    if len(rows) < 2:
        return False
    return any(
        first.text.strip() in ("-", "－")
        and (is_figure_head_piece(second.text.strip()) or is_grouped_one_decimal(second.text.strip()))
        for first, second in zip(rows[0][1:], rows[1][1:], strict=False)
    )


def _one_wrapped_figure(pieces: list[str]) -> bool:
    """Whether a column's lines read as one figure (or stay empty / a nil mark / words): its first
    printed line is a piece that cannot stand alone (or a lone minus sign), the others pieces of
    digits, and together they make one figure."""
    printed = [piece for piece in pieces if piece]
    if not any(char.isdigit() for piece in printed for char in piece):
        return True  # words wrapped in a text column ("汇票保证" / "金"), or nothing
    if len(printed) == 1:
        return parse_quantity(normalize(printed[0])) is not None or is_blank(printed[0])
    if not (is_figure_head_piece(printed[0]) or printed[0] in ("-", "－")):
        return False
    if not all(_DIGIT_PIECE.fullmatch(piece) for piece in printed[1:]):
        return False
    joined = normalize("".join(printed))
    # "32,442,780.9" still misses the "0" wrapped onto the next line.
    return parse_quantity(joined) is not None and not is_grouped_one_decimal(joined)


# A label line that starts a row of its own: numbered, 其中/减/加, a total.
_OWN_ROW = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]|其中|减[:：]|加[:：]|合\s*计|小\s*计|总\s*计)"
)


def _join_wrapped_labels(table: PageTable) -> None:
    """A label wrapped over several lines of its cell is one label, on the row of its figures.

    A line counts as wrapped when its text runs up to the label column's right edge (the cell is
    full); the next line then continues it unless it opens a row of its own (numbered, 其中,
    减：/加：, a total). A label-only line is joined to the row below it, or, when it ends a label
    whose row already printed its figures, to the row above.
    """
    if len(table.col_edges) < 2:
        return
    edge = table.col_edges[1]
    rows, pages = table.rows, table.row_pages
    index = 1
    while index < len(rows):
        above, here = rows[index - 1], rows[index]
        if pages[index - 1] != pages[index] or not _full(above[0], edge):
            index += 1
            continue
        text = here[0].text.strip()
        if not text or _OWN_ROW.match(text):
            index += 1
            continue
        above_figures, here_figures = _has_figures(above), _has_figures(here)
        if (above_figures and here_figures) or (
            not above_figures and above[0].text.strip().endswith(("：", ":"))
        ):
            # "其中：" and "流动资产：" head the rows under them; they are rows of their own.
            index += 1
            continue
        # The joined label keeps the last line's runs: whether it wraps on is that line's to say.
        label = GridCell(above[0].text.rstrip() + text, _union(above[0].bbox, here[0].bbox), here[0].runs)
        if above_figures:
            # "权益工具投资公允 1,039,142.05" then "价值变动": the label's end, below its figures.
            above[0] = label
        else:
            # "1、工资、奖金、津贴" then "和补贴 13,661,386.86 …": the label's start, above them.
            here[0] = label
            rows[index - 1] = here
        del rows[index]
        del pages[index]


def _has_figures(row: list[GridCell]) -> bool:
    return any(cell.text.strip() for cell in row[1:])


def _full(cell: GridCell, edge: float) -> bool:
    """The cell's text reaches the right edge of its column, within about one character."""
    if not cell.runs or not cell.text.strip():
        return False
    # The cell's last printed line decides: a label already wrapped inside a ruled cell ends
    # short of the edge ("销售商品、提供劳务" / "收到的现金").
    height = max(run.bottom - run.top for run in cell.runs)
    last = max(run.center_y for run in cell.runs)
    right = max(run.x1 for run in cell.runs if run.center_y >= last - height / 2)
    return right >= edge - 2 * height


_ALIGNED = 2.5  # points two right edges may differ by and still be one column's


def _merge_aligned_columns(table: PageTable) -> PageTable:
    """Two neighbouring columns that never both hold text on a row, and whose figures end at the
    same right edge, are one column split in two: a continued table's columns lined up with the
    first part's ("在建工程 447,992,952.25" and "工程物资 823,509.02" a few points apart at
    their left, flush at their right, landed in two columns)."""
    position = 0
    while position + 1 < len(table.col_edges) - 1:
        left, right = position, position + 1
        if _one_column(table.rows, left, right):
            for row in table.rows:
                if not row[left].text.strip() and right < len(row):
                    row[left] = row[right]
                if right < len(row):
                    del row[right]
            del table.col_edges[right]
            continue
        position += 1
    return table


def _one_column(rows: list[list[GridCell]], left: int, right: int) -> bool:
    """No row holds two different texts in the two columns, both hold figures, and every figure
    of either ends at one right edge."""
    edges: list[float] = []
    filled = {left: False, right: False}
    for row in rows:
        if right >= len(row):
            return False
        a, b = row[left].text.strip(), row[right].text.strip()
        if a and b and a != b:
            return False
        for column, text in ((left, a), (right, b)):
            if text and _is_figure_text(text) and row[column].runs:
                edges.append(max(run.x1 for run in row[column].runs))
                filled[column] = True
    return filled[left] and filled[right] and max(edges) - min(edges) <= _ALIGNED


def _join_side_by_side(row: list[GridCell]) -> None:
    filled = [position for position, cell in enumerate(row) if cell.text.strip()]
    for left, right in pairwise(filled):
        head, tail = row[left], row[right]
        if not head.text.strip() or right != left + 1:
            continue
        joined = join_figure_pieces(head.text, tail.text, tail_alone=False)
        if joined is not None and parse_quantity(joined) is not None:
            row[left] = _joined_cell(head, tail, joined)
            row[right] = GridCell("", tail.bbox)


def _joined_cell(head: GridCell, tail: GridCell, text: str) -> GridCell:
    return GridCell(text, _union(head.bbox, tail.bbox), head.runs + tail.runs, head.spanned)


def _merge_wrapped_line(
    rows: list[list[GridCell]], candidates: list[int], line: list[GridCell]
) -> list[int] | None:
    """Merge ``line`` into the row above it when its figure pieces are the wrapped ends of that
    row's figures. The row may stand over two lines: a label line and a line of figures only
    (above or below the label, as vertical centring prints it); the figures-only line merges into
    the labelled one. Returns the indices of the rows that merged away, None when nothing did."""
    stack = list(reversed(candidates))  # nearest first
    figures = [p for p, cell in enumerate(line) if cell.text.strip() and _is_figure_text(cell.text)]
    # Every figure of the line under a figure above must be that figure's end; a figure with
    # nothing above it is the row's own, printed on its middle line.
    pieces = [p for p in figures if any(_figure_at(rows[i], p) or _figure_at(rows[i], p - 1) for i in stack)]
    if not pieces or not any(_TAIL_DIGITS.fullmatch(line[p].text.strip()) for p in pieces):
        return None
    own = [p for p in figures if p not in pieces]
    labelled = [index for index in stack if not _figures_only(rows[index])]
    target = labelled[0] if labelled else stack[0]
    joins: list[tuple[int, int, str, int]] = []
    for piece in pieces:
        # The head stands right above, or (a right-aligned figure's last digit) just left of it.
        found = next(
            (
                (index, column)
                for column in (piece, piece - 1)
                for index in stack
                if _figure_at(rows[index], column)
            ),
            None,
        )
        if found is None or any(found == (j[0], j[1]) for j in joins):
            return None
        above, position = found
        joined = join_figure_pieces(rows[above][position].text, line[piece].text, tail_alone=True)
        if joined is None or parse_quantity(joined) is None:
            return None
        joins.append((above, position, joined, piece))
    # Lines that merge into the target: lines of figures only, and a line holding the heads of
    # the figures joined here beside a label piece where the target prints nothing (the first
    # line of "研发技术成果" / "转化", centred "直接材料 … 8.65%" between, baicheng 2024 p.34).
    sources = {above for above, _, _, _ in joins}
    helpers = {
        index
        for index in stack
        if index != target
        and (_figures_only(rows[index]) or (index in sources and _fills_gaps(rows[index], rows[target])))
    }
    if any(above not in helpers and above != target for above, _, _, _ in joins):
        return None
    label_rest = [p for p, cell in enumerate(line) if cell.text.strip() and p not in figures]
    moving = list(own)
    for index in helpers:
        moving += [p for p, cell in enumerate(rows[index]) if cell.text.strip()]
    if any(rows[target][position].text.strip() for position in moving):
        return None
    if len(label_rest) > 1:
        return None  # more than one label piece: not the end of one wrapped label
    for above, position, joined, piece in joins:
        rows[above][position] = _joined_cell(rows[above][position], line[piece], joined)
    for position in own:
        rows[target][position] = line[position]
    for index in helpers:
        for position, cell in enumerate(rows[index]):
            if cell.text.strip():
                rows[target][position] = cell
    for position in label_rest:
        head = rows[target][position]
        text = head.text.rstrip() + line[position].text.strip()
        rows[target][position] = (
            _joined_cell(head, line[position], text) if head.text.strip() else line[position]
        )
    return sorted(helpers)


def _fills_gaps(row: list[GridCell], target: list[GridCell]) -> bool:
    """Every cell ``row`` prints stands where ``target`` prints nothing."""
    return all(
        not cell.text.strip() or (position < len(target) and not target[position].text.strip())
        for position, cell in enumerate(row)
    )


def _figure_at(row: list[GridCell], position: int) -> bool:
    return (
        0 <= position < len(row) and bool(row[position].text.strip()) and _is_figure_text(row[position].text)
    )


def _figures_only(row: list[GridCell]) -> bool:
    """A line of figures and figure pieces, without a word of label."""
    filled = [cell.text.strip() for cell in row if cell.text.strip()]
    return bool(filled) and all(_is_figure_text(text) for text in filled)


def _is_figure_text(text: str) -> bool:
    return bool(_FIGURE_CHARACTERS.fullmatch(text.strip()))


_FIGURE_CHARACTERS = re.compile(r"[-+()（）\d,.，%]+")
_TAIL_DIGITS = re.compile(r"\d{1,2}|\.\d{1,2}")


def _unread_rows(rows: list[list[GridCell]]) -> range | set[int]:
    """The body rows whose figures are kept unread: those of the whole table when pieces of
    figures broken over lines that could not be joined again are left in it ("32,303," over
    "741.15" three lines down, with the row's percentage on the middle line; "41,045,311.1" over
    "8" beside amounts printed with two decimals), for then which figure belongs to which row and
    column is not known. When the pieces all stand in the last row, the rest of that row's figures
    went on to the next page ("CDMO 小计 23,100,857.4 … 30,374,657.2" with "0" and "9" at the top of
    the next, baicheng 2024 p.34): only that row is unread."""
    # (The label column's "1．" is an item number set on a line of its own, not a figure's piece.)
    texts = [[normalize(cell.text).strip() for cell in row[1:] if cell.text.strip()] for row in rows]
    pieces = {
        position
        for position, row in enumerate(texts)
        if any(is_figure_head_piece(text) or is_figure_tail_piece(text) for text in row)
    }
    one_decimal = {position for position, row in enumerate(texts) if any(map(is_grouped_one_decimal, row))}
    # A one-decimal amount beside two-decimal ones lost its last digit only when that digit
    # stands somewhere on its own; quantities print as many decimals as they need
    # ("1,495,834.8 千克" beside "1,352,154.98", haixiang 2019 p.16 产销量).
    lone_digit = any(len(text) == 1 and text.isdigit() for row in texts for text in row)
    if one_decimal and lone_digit and any(is_grouped_two_decimals(text) for row in texts for text in row):
        pieces |= one_decimal
    if not pieces:
        return set()
    if pieces == {len(rows) - 1} and len(rows) > 1:
        return pieces
    return range(len(rows))


def _pages_ending_in_prose(lines: list[_Line], tables: list[PageTable]) -> set[int]:
    """Pages whose lowest line (page numbers aside) closes prose, below every table row there:
    a table first on the next page starts there."""
    lowest: dict[int, _Line] = {}
    for line in lines:  # the prose lines: table text is not among them
        if _PAGE_NUMBER.match(line.text):
            continue
        current = lowest.get(line.page)
        if current is None or line.bbox[3] > current.bbox[3]:
            lowest[line.page] = line
    table_bottoms: dict[int, float] = {}
    for table in tables:
        for row, page in zip(table.rows, table.row_pages, strict=True):
            for cell in row:
                table_bottoms[page] = max(table_bottoms.get(page, cell.bbox[3]), cell.bbox[3])
    return {
        page
        for page, line in lowest.items()
        if ends_prose_before_table(line.text) and line.bbox[3] > table_bottoms.get(page, float("-inf"))
    }


def _row_tops(tables: list[PageTable]) -> dict[int, list[tuple[int, float]]]:
    """Per page, the tables (by position) that print rows there and how high their rows start."""
    tops: dict[int, list[tuple[int, float]]] = {}
    for position, table in enumerate(tables):
        for row, page in zip(table.rows, table.row_pages, strict=True):
            if row:
                tops.setdefault(page, []).append((position, min(cell.bbox[1] for cell in row)))
    return tops


def _below_another(index: int, table: PageTable, row_tops: dict[int, list[tuple[int, float]]]) -> bool:
    """Whether another table prints rows on this table's first page above it."""
    return any(other != index and top < table.bbox[1] for other, top in row_tops.get(table.page, []))


def _to_table(
    path: str,
    index: int,
    table: PageTable,
    lines: list[_Line],
    *,
    below_another: bool = False,
    after_prose: bool = False,
) -> Table:
    header = _header_rows_of(table)
    unread = {header + position for position in _unread_rows(table.rows[header:])}
    rows: list[tuple[Cell, ...]] = []
    for row_index, (row, page) in enumerate(zip(table.rows, table.row_pages, strict=True)):
        cells = []
        for col_index, grid_cell in enumerate(row):
            text = grid_cell.text
            location = Location(
                source=path,
                page=page,
                bbox=grid_cell.bbox,
                table=index,
                row=row_index,
                col=col_index,
                quote=text,
            )
            if row_index in unread and any(char.isdigit() for char in text):
                cells.append(Cell(text=text, location=location, spanned=grid_cell.spanned, unread=True))
                continue
            cells.append(
                Cell(
                    text=text,
                    location=location,
                    quantity=parse_quantity(text),
                    blank=is_blank(text),
                    spanned=grid_cell.spanned,
                )
            )
        rows.append(tuple(cells))
    above = [line for line in lines if line.page == table.page and line.bbox[3] <= table.bbox[1] + 1]
    opens_page = (
        table.page > 1
        and not below_another
        and not after_prose
        and not any(not _PAGE_NUMBER.match(line.text) for line in above)
    )
    above = above[-_CONTEXT_LINES:]
    unit = next((line.text for line in reversed(above) if is_unit_line(line.text)), None)
    if unit is None:
        unit = next(
            (cell.text for row in table.rows[:3] for cell in row if unit_scale(cell.text) is not None), None
        )
    title = next((line.text for line in reversed(above) if _is_title(line.text)), "")
    totals = tuple(position for position, row in enumerate(table.rows) if row and row[0].total)
    headings = tuple(position for position, row in enumerate(table.rows) if row and row[0].heading)
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
        layout_totals=totals,
        layout_headings=headings,
        opens_page=opens_page,
    )
