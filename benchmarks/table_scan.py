"""An independent count of the tables a document prints, without hecha's readers.

hecha's own statistics (tables found, tables checked) say how much of what *hecha read* it checked;
they cannot say what it never read. This module counts printed tables from the source with rules
of its own (it imports nothing from hecha), so that the benchmark can ask which of them hecha
checked (benchmarks/table_coverage.py) and mutate their figures (benchmarks/recall.py).

A **figure** is one printed number, after NFKC normalization (full-width digits and signs become
ASCII; U+2212 becomes "-"):

- a whitespace-separated token (text) or a whole cell (tables), spaces inside a cell removed
  (OCR prints "119, 571.82"), that is entirely ``[(][sign]digits[.digits][%|‰][)]``, digits
  either plain or grouped by commas in threes: ``1,234.56``, ``-12.3%``, ``(1,234)``, ``0.5``;
- optionally opened by a direction word (增加/减少/上升/下降/提高/降低/增长) and closed by
  个百分点/百分点/倍: ``增加2.07个百分点`` is one figure;
- not a year: a token glued to 年/月/日 is not a figure at all (``2019年``), and a row whose figures
  are all bare integers 1900–2099 (``项目 2019 2018``) is a header, with no figures;
- not an identifier: an integer with a leading zero (``002099``, stock codes);
- not an ordinal: ``(1)``/``（1）`` (one or two digits, parenthesised) as a line's first token, or
  a plain integer below 1000 as a row's first token or first non-empty cell (序号 columns);
- a lone page number is a line with one figure only: never a row (see below).

A **row** is a line (text), an ``excel`` record (.alltxt), a ``|`` line (Markdown pipe table) or a
``<tr>`` (HTML table in Markdown) that holds at least two figures, or one figure and at least one
printed blank (``-``, ``—``, ``--``, ``/``, ``不适用``). A text line holding 。，or ； is prose,
never a row.

A **table** is a run of at least two rows on one page (a table continued on the next page counts
once per page):

- text: consecutive non-blank lines; a row may be followed by up to two *fragments* (a line of at
  most 20 characters without a figure, without inner whitespace and without 。: a wrapped label
  such as "（元）") before the next row. An empty line, a page break (form feed) or any other line
  ends the run;
- .alltxt: consecutive ``excel`` records of one page (a ``text`` record ends the run; header and
  footer records do not);
- Markdown: the rows of one pipe table or one ``<table>``.

The **header** of a table is the nearest line above its first row (at most six lines up, same
page, not itself a row) holding a header word (项目, 金额, 本期, 期末, 占比, 变动, a year, …); for
cell formats, the last row above the first figure row inside the table block that holds one.
Its cells are aligned by grid column (cells). Text headers are whitespace-separated tokens: one per
figure; or a label-column header (项目, 名称, …) and then one per figure from the left; else, with
more tokens than figures, from the right; with fewer, from the left (a trailing column headed on a
line further up gets no header).

PDFs are scanned through the pdfplumber rows of their ``<name>.pdfplumber.txt`` twin when it is
beside them (pdfplumber's ``extract_text``: words grouped into rows by their top coordinate, pages
joined by a form feed), else through ``pdfplumber`` itself when it is installed (``extract_words``
grouped by ``top`` within 3 points, ``rows_from_words``); pdfplumber is not a dependency of hecha.

pdfminer text twins print one figure per line: the rule above finds few tables there. Such lone
figures, in runs of at least three (empty lines skipped), are counted as ``column_figures`` so that
what the scan cannot see is at least shown.
"""

from __future__ import annotations

import ast
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

PDFPLUMBER_TWIN_SUFFIX = ".pdfplumber.txt"
MIN_ROWS = 2
MIN_FIGURES = 2
MAX_FRAGMENTS = 2
MAX_FRAGMENT_CHARACTERS = 20
HEADER_LOOKBACK = 6
COLUMN_RUN = 3
WORD_ROW_TOLERANCE = 3.0  # points: words whose tops differ by at most this are one row

_FIGURE = re.compile(
    r"^(?P<word>增加|减少|上升|下降|提高|降低|增长)?"
    r"(?P<open>\()?(?P<sign>[-+])?(?P<open2>\()?"
    r"(?P<body>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
    r"(?P<pct>%|‰)?(?P<close>\))?(?P<pct2>%)?(?P<tail>个百分点|百分点|倍)?$"
)
_BLANKS = frozenset({"-", "—", "--", "——", "–", "/", "不适用", "－"})
_PROSE_MARKS = ("。", "，", "；")
_HEADER_WORDS = (
    "项目",
    "金额",
    "本期",
    "上期",
    "本年",
    "上年",
    "期末",
    "期初",
    "年末",
    "年初",
    "余额",
    "数量",
    "占比",
    "比例",
    "比重",
    "变动",
    "增减",
    "同比",
    "毛利率",
    "合计",
    "营业收入",
)
# A header cell over the label column: the figures' headers follow it.
_LABEL_HEADERS = ("项目", "类别", "名称", "科目", "指标", "产品", "行业", "地区", "单位名称")
_YEAR_IN_HEADER = re.compile(r"(?:19|20)\d\d\s*年")
_TOKEN = re.compile(r"\S+")
_ORDINAL = re.compile(r"^\(\d{1,2}\)$")
_HTML_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_HTML_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S | re.I)
_HTML_CELL = re.compile(r"<t([dh])\b([^>]*)>(.*?)</t[dh]>", re.S | re.I)
_HTML_SPAN = re.compile(r"(rowspan|colspan)\s*=\s*[\"']?(\d+)", re.I)
_HTML_TAG = re.compile(r"<[^>]+>")


def normalize(text: str) -> str:
    """NFKC (full-width digits, signs and parentheses become ASCII) and the minus sign as "-"."""
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-")


def figure_key(text: str) -> str | None:
    """The printed magnitude of the figure ``text`` holds: its digits and point, without sign,
    separators, parentheses or percent ("(1,234.50)" → "1234.50"); None when there is no number.

    Used to match one printed figure across two readings of the same page, so it keeps the
    printed decimals and drops only what two readers may print differently.
    """
    match = re.search(r"\d[\d,]*(?:\.\d+)?|\.\d+", normalize(text).replace(" ", ""))
    if match is None:
        return None
    body = match.group(0).replace(",", "")
    whole, dot, fraction = body.partition(".")
    whole = whole.lstrip("0") or "0"
    return whole + dot + fraction


def parse_figure(token: str, first: bool = False) -> str | None:
    """The key of ``token`` when the whole token is one figure (see the module doc), else None.
    ``first``: the token opens its row (an ordinal "(1)" or "12" there is not a figure)."""
    text = normalize(token).strip().replace(" ", "")
    match = _FIGURE.match(text)
    if match is None:
        return None
    if bool(match.group("open") or match.group("open2")) != bool(match.group("close")):
        return None  # unbalanced parenthesis: a fragment of something else
    body = match.group("body")
    if len(body) > 1 and body[0] == "0" and "." not in body:
        return None  # identifiers (stock codes) print leading zeros; figures do not
    if first and (_ORDINAL.match(text) or (text.isdigit() and int(text) < 1000)):
        return None
    return figure_key(body)


def is_blank_token(token: str) -> bool:
    return normalize(token).strip() in _BLANKS


def _is_year(key: str) -> bool:
    return key.isdigit() and len(key) == 4 and 1900 <= int(key) <= 2099


def has_header_word(text: str) -> bool:
    return any(word in text for word in _HEADER_WORDS) or bool(_YEAR_IN_HEADER.search(text))


@dataclass(frozen=True)
class ScannedFigure:
    """One figure of a scanned row and where it is printed.

    ``line`` is the 1-based line of the source file (None for PDF words), ``page`` the 1-based page
    (None without pages); ``start``/``end`` its characters in that line of the source (-1 when
    the source line is not plain text: .alltxt cells, PDF words); ``column`` its grid column
    (cells) or its position among the row's figures (text); ``cell`` the cell index of an .alltxt
    record.
    """

    text: str
    key: str
    line: int | None
    page: int | None
    column: int
    start: int = -1
    end: int = -1
    cell: int | None = None


@dataclass(frozen=True)
class ScannedRow:
    label: str  # the row's text before its first figure (text) or its first cell (cells)
    figures: tuple[ScannedFigure, ...]
    line: int | None
    page: int | None
    width: int = 0  # cells in the row (cell formats) or tokens (text)


@dataclass(frozen=True)
class ScannedTable:
    rows: tuple[ScannedRow, ...]
    header: tuple[str, ...] = ()  # header cells, grid-aligned (cells) or tokens (text)
    header_is_grid: bool = False  # True: header[i] is the header of grid column i

    @property
    def page(self) -> int | None:
        return self.rows[0].page

    @property
    def line(self) -> int | None:
        return self.rows[0].line

    @property
    def figures(self) -> list[ScannedFigure]:
        return [figure for row in self.rows for figure in row.figures]

    def header_of(self, row: ScannedRow, figure: ScannedFigure) -> str:
        """The header cell above ``figure`` ("" when the header cannot be aligned)."""
        if not self.header:
            return ""
        if self.header_is_grid:
            return self.header[figure.column] if figure.column < len(self.header) else ""
        # Text: one header token per figure; or a label-column header (项目) first, then one per
        # figure (trailing headers such as 说明 may have no figure under them); else a longer
        # header has cells over the label column and is aligned from the right.
        if len(self.header) < len(row.figures):
            # Fewer headers than figures: the last columns are headed on a line further up
            # ("同比增减" above "金额 占营业收入比重 金额 占营业收入比重"); align from the left.
            return self.header[figure.column] if figure.column < len(self.header) else ""
        if len(self.header) > len(row.figures) and self.header[0].startswith(_LABEL_HEADERS):
            index = 1 + figure.column
            return self.header[index] if index < len(self.header) else ""
        return self.header[len(self.header) - len(row.figures) + figure.column]


@dataclass(frozen=True)
class Scan:
    """The printed tables of one document, and the lone figures the row rule cannot see."""

    tables: tuple[ScannedTable, ...]
    column_figures: int = 0
    source: str = ""  # what was scanned: the file, or the twin of a PDF
    pages_keyed: bool = False  # True: figures are matched by page (PDF), else by line
    notes: tuple[str, ...] = field(default=())

    @property
    def figures(self) -> int:
        return sum(len(t.figures) for t in self.tables)


# ---------------------------------------------------------------- text


def _text_row(text: str, line: int | None, page: int | None) -> ScannedRow | None:
    """The row ``text`` is (module doc), or None."""
    if any(mark in text for mark in _PROSE_MARKS):
        return None
    tokens = list(_TOKEN.finditer(text))
    figures: list[ScannedFigure] = []
    blanks = 0
    label_end = len(text)
    for position, token in enumerate(tokens):
        key = parse_figure(token.group(0), first=position == 0)
        if key is not None:
            if not figures:
                label_end = token.start()
            figures.append(
                ScannedFigure(
                    text=token.group(0),
                    key=key,
                    line=line,
                    page=page,
                    column=len(figures),
                    start=token.start(),
                    end=token.end(),
                )
            )
        elif is_blank_token(token.group(0)):
            blanks += 1
    if figures and all(_is_year(f.key) and f.text.isdigit() for f in figures):
        return None  # a header of years
    if len(figures) >= MIN_FIGURES or (figures and len(figures) + blanks >= MIN_FIGURES):
        return ScannedRow(
            label=text[:label_end].strip(), figures=tuple(figures), line=line, page=page, width=len(tokens)
        )
    return None


def _is_fragment(text: str) -> bool:
    stripped = text.strip()
    return (
        0 < len(stripped) <= MAX_FRAGMENT_CHARACTERS
        and not any(ch.isspace() for ch in stripped)
        and "。" not in stripped
        and not any(parse_figure(token) for token in stripped.split())
    )


def _lone_figure(text: str) -> bool:
    tokens = text.split()
    return len(tokens) == 1 and parse_figure(tokens[0]) is not None


def scan_lines(lines: Sequence[str], pages: Sequence[int | None], numbered: bool = True) -> Scan:
    """The tables of text ``lines`` (without line ends); ``pages[i]`` is line i's page.
    ``numbered``: figures carry their 1-based line number (False for PDF rows)."""
    tables: list[ScannedTable] = []
    current: list[ScannedRow] = []
    fragments = 0
    start_index = 0
    column_figures = 0
    lone_run = 0

    def close(end_index: int) -> None:
        nonlocal current
        if len(current) >= MIN_ROWS:
            tables.append(ScannedTable(rows=tuple(current), header=_text_header(lines, pages, start_index)))
        current = []

    for index, text in enumerate(lines):
        page = pages[index]
        if not text.strip():
            # An empty line ends a table but not a run of lone figures (pdfminer doubles lines).
            close(index)
            fragments = 0
            continue
        if _lone_figure(text):
            lone_run += 1
            if lone_run == COLUMN_RUN:
                column_figures += COLUMN_RUN
            elif lone_run > COLUMN_RUN:
                column_figures += 1
        else:
            lone_run = 0
        row = _text_row(text, index + 1 if numbered else None, page)
        if row is not None and (not current or current[-1].page == page):
            if not current:
                start_index = index
            current.append(row)
            fragments = 0
            continue
        if row is not None:  # a new page: the run on the previous page ends
            close(index)
            start_index = index
            current = [row]
            fragments = 0
            continue
        if current and fragments < MAX_FRAGMENTS and _is_fragment(text):
            fragments += 1
            continue
        close(index)
        fragments = 0
    close(len(lines))
    return Scan(tables=tuple(tables), column_figures=column_figures)


def _text_header(lines: Sequence[str], pages: Sequence[int | None], first_row: int) -> tuple[str, ...]:
    page = pages[first_row]
    for index in range(first_row - 1, max(-1, first_row - 1 - HEADER_LOOKBACK), -1):
        text = lines[index]
        if pages[index] != page:
            break
        if _text_row(text, None, None) is not None:
            break
        tokens = text.split()
        if has_header_word(text) and not any(parse_figure(t) for t in tokens):
            return tuple(tokens)
    return ()


def split_pages(text: str) -> tuple[list[str], list[int | None]]:
    """Lines of ``text`` and each line's page: pages are separated by form feeds; without any
    form feed the pages are None."""
    paged = "\f" in text
    lines: list[str] = []
    pages: list[int | None] = []
    page = 1
    for raw in text.split("\n"):
        parts = raw.split("\f")
        # A form feed inside a line starts a new page; the line keeps its number (as hecha's
        # text reader numbers lines: by "\n"), and its text is what follows the last form feed.
        page += len(parts) - 1
        lines.append(parts[-1].rstrip("\r"))
        pages.append(page if paged else None)
    return lines, pages


def scan_text(text: str) -> Scan:
    lines, pages = split_pages(text)
    return scan_lines(lines, pages)


# ---------------------------------------------------------------- cells


def _cell_row(
    cells: Sequence[str], line: int | None, page: int | None, starts: Sequence[int] | None = None
) -> tuple[list[ScannedFigure], int]:
    """The figures of a row of cells (a figure is a whole cell) and the number of blank cells."""
    figures = []
    blanks = 0
    first = next((i for i, c in enumerate(cells) if c.strip()), -1)
    for column, cell in enumerate(cells):
        key = parse_figure(cell, first=column == first)
        if key is not None:
            start = starts[column] if starts is not None else -1
            figures.append(
                ScannedFigure(
                    text=cell,
                    key=key,
                    line=line,
                    page=page,
                    column=column,
                    start=start,
                    end=start + len(cell) if start >= 0 else -1,
                    cell=None if starts is not None else column,
                )
            )
        elif is_blank_token(cell):
            blanks += 1
    return figures, blanks


@dataclass
class _Block:
    """Consecutive rows of cells that form one table candidate."""

    rows: list[tuple[list[str], int | None, int | None, list[int] | None]] = field(default_factory=list)


def _block_table(block: _Block) -> ScannedTable | None:
    rows: list[ScannedRow] = []
    header: tuple[str, ...] = ()
    for cells, line, page, starts in block.rows:
        figures, blanks = _cell_row(cells, line, page, starts)
        if figures and all(_is_year(f.key) and f.text.strip().isdigit() for f in figures):
            figures = []
        if len(figures) >= MIN_FIGURES or (figures and len(figures) + blanks >= MIN_FIGURES):
            label = next((c.strip() for c in cells if c.strip()), "")
            rows.append(ScannedRow(label, tuple(figures), line, page, width=len(cells)))
        elif not rows and any(has_header_word(c) for c in cells):
            header = tuple(c.strip() for c in cells)
    if len(rows) < MIN_ROWS:
        return None
    return ScannedTable(rows=tuple(rows), header=header, header_is_grid=True)


def scan_alltxt(text: str) -> Scan:
    """Tables of an .alltxt file: runs of ``excel`` records of one page (module doc)."""
    tables: list[ScannedTable] = []
    block = _Block()
    block_page: int | None = None

    def close() -> None:
        nonlocal block
        table = _block_table(block)
        if table is not None:
            tables.append(table)
        block = _Block()

    for number, raw in enumerate(text.splitlines(), start=1):
        try:
            record = json.loads(raw)
        except ValueError:
            close()
            continue
        if not isinstance(record, dict):
            continue
        kind = record.get("type")
        page = record.get("page") if isinstance(record.get("page"), int) else None
        if kind != "excel":
            if kind == "text":
                close()
            continue
        try:
            cells = ast.literal_eval(str(record.get("inside", "")))
        except (ValueError, SyntaxError):
            close()
            continue
        if not isinstance(cells, list):
            continue
        if block.rows and page != block_page:
            close()
        block_page = page
        block.rows.append(([str(c) if c is not None else "" for c in cells], number, page, None))
    close()
    return Scan(tables=tuple(tables))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, ch in enumerate(text):
        if ch == "\n":
            starts.append(index + 1)
    return starts


def _line_of(starts: list[int], offset: int) -> tuple[int, int]:
    """(1-based line, column) of character ``offset``."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1, offset - starts[low]


def html_rows(table_html: str, offset: int) -> list[tuple[list[str], list[int], int]]:
    """The grid rows of one ``<table>``: (cell texts, each cell's text offset in the file, the
    offset of its ``<tr>``), colspan/rowspan expanded (a spanned position repeats the cell's text
    with offset -1, so that it is never mutated twice)."""
    grid: list[tuple[list[str], list[int], int]] = []
    pending: dict[tuple[int, int], str] = {}  # (row, col) → text carried down by a rowspan
    for r, row_match in enumerate(_HTML_ROW.finditer(table_html)):
        texts: list[str] = []
        starts: list[int] = []
        col = 0
        for cell in _HTML_CELL.finditer(row_match.group(1)):
            while (r, col) in pending:
                texts.append(pending.pop((r, col)))
                starts.append(-1)
                col += 1
            spans = {name.lower(): int(value) for name, value in _HTML_SPAN.findall(cell.group(2))}
            inner = cell.group(3)
            text = html.unescape(_HTML_TAG.sub("", inner)).strip()
            inner_start = offset + row_match.start(1) + cell.start(3)
            # The figure's characters in the file: inner text without tags, when it has none.
            start = inner_start + inner.find(text) if text and "<" not in inner and "&" not in inner else -1
            for extra_col in range(spans.get("colspan", 1)):
                texts.append(text)
                starts.append(start if extra_col == 0 else -1)
                for extra_row in range(1, spans.get("rowspan", 1)):
                    pending[(r + extra_row, col + extra_col)] = text
            col += spans.get("colspan", 1)
        while (r, col) in pending:
            texts.append(pending.pop((r, col)))
            starts.append(-1)
            col += 1
        grid.append((texts, starts, offset + row_match.start()))
    return grid


def scan_markdown(text: str) -> Scan:
    """Tables of Markdown: pipe tables and HTML ``<table>`` blocks (module doc)."""
    tables: list[ScannedTable] = []
    line_starts = _line_starts(text)
    for match in _HTML_TABLE.finditer(text):
        block = _Block()
        for cells, offsets, row_offset in html_rows(match.group(0), match.start()):
            row_line, _ = _line_of(line_starts, row_offset)
            starts = [_line_of(line_starts, o)[1] if o >= 0 else -1 for o in offsets]
            # A cell may sit on a later line than its <tr>: then its characters are not on that line.
            starts = [
                s if o >= 0 and _line_of(line_starts, o)[0] == row_line else -1
                for s, o in zip(starts, offsets, strict=True)
            ]
            block.rows.append((cells, row_line, None, starts))
        table = _block_table(block)
        if table is not None:
            tables.append(table)
    block = _Block()
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if stripped.startswith("|"):
            if re.fullmatch(r"\|?[\s:|-]+\|?", stripped) and "-" in stripped:
                continue  # the |---| separator
            cells, starts = _pipe_cells(line)
            block.rows.append((cells, number, None, starts))
            continue
        if block.rows:
            table = _block_table(block)
            if table is not None:
                tables.append(table)
            block = _Block()
    table = _block_table(block)
    if table is not None:
        tables.append(table)
    tables.sort(key=lambda t: t.line or 0)
    return Scan(tables=tuple(tables))


def _pipe_cells(line: str) -> tuple[list[str], list[int]]:
    """Cells of a pipe-table line with the offset of each cell's stripped text in the line."""
    bars = [i for i, ch in enumerate(line) if ch == "|"]
    cells, starts = [], []
    for left, right in pairwise(bars):
        raw = line[left + 1 : right]
        text = raw.strip()
        cells.append(text)
        starts.append(left + 1 + raw.find(text) if text else -1)
    return cells, starts


# ---------------------------------------------------------------- PDF


def rows_from_words(words: Iterable[dict[str, object]], tolerance: float = WORD_ROW_TOLERANCE) -> list[str]:
    """pdfplumber words (``page.extract_words()``: dicts with text, x0, top) grouped into rows by
    their top coordinate (a word joins the row whose first word's top is within ``tolerance``),
    each row's words in x order joined by a space; rows from the top of the page down."""
    rows: list[tuple[float, list[tuple[float, str]]]] = []
    for word in sorted(words, key=lambda w: (_number(w.get("top")), _number(w.get("x0")))):
        top, x0, text = _number(word.get("top")), _number(word.get("x0")), str(word.get("text", ""))
        if rows and abs(rows[-1][0] - top) <= tolerance:
            rows[-1][1].append((x0, text))
        else:
            rows.append((top, [(x0, text)]))
    return [" ".join(text for _, text in sorted(row)) for _, row in rows]


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _pdf_rows_with_pdfplumber(path: Path) -> tuple[list[str], list[int | None]]:
    import pdfplumber  # type: ignore[import-not-found]  # optional: only without a twin

    lines: list[str] = []
    pages: list[int | None] = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for row in rows_from_words(page.extract_words()):
                lines.append(row)
                pages.append(number)
            lines.append("")  # a page ends every run
            pages.append(number)
    return lines, pages


def scan_pdf(path: Path) -> Scan:
    twin = path.with_name(path.name.removesuffix(path.suffix) + PDFPLUMBER_TWIN_SUFFIX)
    if twin.is_file():
        lines, pages = split_pages(twin.read_text(encoding="utf-8", errors="replace"))
        scanned = scan_lines(lines, pages, numbered=False)
        return Scan(scanned.tables, scanned.column_figures, source=twin.name, pages_keyed=True)
    try:
        lines, pages = _pdf_rows_with_pdfplumber(path)
    except ImportError:
        return Scan(
            tables=(),
            source=path.name,
            pages_keyed=True,
            notes=(f"not scanned: no {twin.name} beside the PDF and pdfplumber is not installed",),
        )
    scanned = scan_lines(lines, pages, numbered=False)
    return Scan(scanned.tables, scanned.column_figures, source=f"{path.name} (pdfplumber)", pages_keyed=True)


def scan_file(path: Path) -> Scan:
    """The printed tables of the file at ``path``, by its suffix: .pdf, .alltxt, .md, else text."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return scan_pdf(path)
    text = path.read_bytes().decode("utf-8", errors="replace")
    if suffix == ".alltxt":
        scanned = scan_alltxt(text)
    elif suffix in (".md", ".markdown"):
        scanned = scan_markdown(text)
    else:
        scanned = scan_text(text)
    return Scan(scanned.tables, scanned.column_figures, source=path.name)
