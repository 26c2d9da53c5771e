"""Reads the JSON-lines ".alltxt" annual-report format into a Document.

Each line is one object {"page", "allrow", "type", "inside"}: "text" lines are prose, "excel"
lines carry one table row as a Python-literal list of cell strings, "页眉"/"页脚" are page headers
and footers (dropped). Consecutive excel lines form a table; a table interrupted only by page
furniture or empty text at a page break is joined with its continuation.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field

from hecha.ingest.errors import IngestError
from hecha.ingest.finish import finished
from hecha.ingest.lines import (
    RowSource,
    build_table,
    header_row_count,
    is_unit_text,
    join_broken_rows,
    merge_wrapped_rows,
)
from hecha.ingest.prose import (
    ends_prose_before_table,
    ends_sentence,
    is_heading,
    join_line_texts,
    opens_paragraph,
)
from hecha.model.document import Document, Location, Notice, Paragraph, Table

_FURNITURE = frozenset({"页眉", "页脚"})
# Above this share of bad lines the file is not .alltxt at all (or badly damaged): refuse it
# rather than check a fraction of the document silently.
_MAX_BAD_SHARE = 0.05
_MAX_BAD_ABSOLUTE = 20


@dataclass(frozen=True, slots=True)
class _Record:
    line: int
    page: int | None
    kind: str
    text: str
    cells: tuple[str, ...] = ()


@dataclass(slots=True)
class _PendingTable:
    rows: list[RowSource] = field(default_factory=list)
    width: int = 0
    last_page: int | None = None
    # Set once page furniture was seen after the last row: the next row continues a table only
    # across that page break.
    crossed_page: bool = False
    unit: str | None = None
    title: str = ""
    context: str = ""
    opens_page: bool = False  # nothing but page furniture stands above it on its first page


def read(path: str, data: bytes) -> Document:
    """Read an .alltxt file. Raises IngestError when it is not (mostly) valid JSON lines."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError("alltxt 文件不是 UTF-8 编码", "the .alltxt file is not UTF-8 encoded") from error
    records, bad_lines = _parse_records(content)
    warnings: list[Notice] = []
    if bad_lines:
        shown = "、".join(str(n) for n in bad_lines[:5])
        shown_en = ", ".join(str(n) for n in bad_lines[:5])
        warnings.append(
            Notice(
                f"跳过 {len(bad_lines)} 行无法解析的 alltxt 记录（第 {shown} 行）",
                f"skipped {len(bad_lines)} unreadable .alltxt line(s) (line {shown_en})",
            )
        )
    paragraphs, tables = _assemble(path, records)
    pages = [record.page for record in records if record.page is not None]
    return Document(
        source=path,
        format="alltxt",
        page_count=max(pages) if pages else None,
        paragraphs=tuple(paragraphs),
        tables=finished(list(tables)),
        warnings=tuple(warnings),
    )


def _parse_records(content: str) -> tuple[list[_Record], list[int]]:
    records: list[_Record] = []
    bad_lines: list[int] = []
    nonempty = 0
    for number, raw in enumerate(content.split("\n"), start=1):
        if not raw.strip():
            continue
        nonempty += 1
        record = _parse_line(raw, number)
        if record is None:
            bad_lines.append(number)
        else:
            records.append(record)
    if nonempty == 0:
        raise IngestError("alltxt 文件没有内容", "the .alltxt file has no records")
    if len(bad_lines) > _MAX_BAD_ABSOLUTE or len(bad_lines) > nonempty * _MAX_BAD_SHARE or not records:
        raise IngestError(
            f"alltxt 文件第 {bad_lines[0]} 行起有 {len(bad_lines)} 行不是有效记录，文件可能已损坏",
            f"{len(bad_lines)} lines of the .alltxt file are not valid records, from line {bad_lines[0]};"
            " the file may be damaged",
        )
    return records, bad_lines


def _parse_line(raw: str, number: int) -> _Record | None:
    try:
        item = json.loads(raw)
    except json.JSONDecodeError:
        return None
    if not isinstance(item, dict):
        return None
    kind = item.get("type")
    inside = item.get("inside", "")
    page = item.get("page")
    if not isinstance(kind, str) or not isinstance(inside, str):
        return None
    if page is not None and (not isinstance(page, int) or isinstance(page, bool)):
        return None
    if kind != "excel":
        return _Record(line=number, page=page, kind=kind, text=inside)
    try:
        # literal_eval only builds literals; it never runs code from the file.
        value = ast.literal_eval(inside) if inside.strip() else []
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, list | tuple):
        return None
    cells = tuple("" if cell is None else str(cell).strip() for cell in value)
    return _Record(line=number, page=page, kind=kind, text=inside, cells=cells)


def _assemble(path: str, records: list[_Record]) -> tuple[list[Paragraph], list[Table]]:
    paragraphs: list[Paragraph] = []
    tables: list[Table] = []
    recent_text: list[str] = []  # non-empty text lines since the last table, for unit/title/context
    current: _PendingTable | None = None

    def close() -> None:
        nonlocal current
        if current is not None and current.rows:
            rows = join_broken_rows(current.rows)
            header_count = header_row_count([row.texts for row in rows])
            tables.append(
                build_table(
                    merge_wrapped_rows(rows, header_count),
                    source=path,
                    index=len(tables),
                    header_rows=header_count,
                    unit=current.unit,
                    title=current.title,
                    context=current.context,
                    opens_page=current.opens_page,
                )
            )
        current = None

    # The text paragraph that the next text row may continue (None after a table or a break).
    open_paragraph: int | None = None
    pages_with_content: set[int | None] = set()
    # Per page, its last text row (None where a table row came last).
    last_text: dict[int | None, str | None] = {}
    for position, record in enumerate(records):
        opens_page = (
            record.page is not None
            and record.page > 1
            and record.page not in pages_with_content
            and not ends_prose_before_table(last_text.get(record.page - 1) or "")
        )
        if record.kind not in _FURNITURE and (record.text.strip() or any(record.cells)):
            pages_with_content.add(record.page)
            last_text[record.page] = record.text.strip() if record.kind != "excel" else None
        if record.kind in _FURNITURE:
            if current is not None:
                current.crossed_page = True
            continue
        if record.kind != "excel":
            text = record.text.strip()
            if not text:
                if not _at_page_edge(records, position):
                    open_paragraph = None  # an empty row inside a page separates paragraphs
                continue
            close()
            recent_text.append(text)
            if open_paragraph is not None and _runs_on(paragraphs[open_paragraph].text, text):
                last = paragraphs[open_paragraph]
                paragraphs[open_paragraph] = Paragraph(
                    text=join_line_texts(last.text, text), location=last.location, heading=False
                )
                continue
            paragraphs.append(
                Paragraph(
                    text=text,
                    location=Location(source=path, page=record.page, line=record.line),
                    heading=is_heading(text),
                )
            )
            open_paragraph = len(paragraphs) - 1
            continue
        open_paragraph = None
        if not any(record.cells):
            continue
        row = RowSource(texts=record.cells, lines=(record.line,), page=record.page)
        if current is not None and _continues(current, record):
            if not (current.crossed_page and _repeats_header(current, record.cells)):
                current.rows.append(row)
                current.crossed_page = False
            current.last_page = record.page
            continue
        close()
        unit, title, context = _surroundings(recent_text)
        recent_text = []
        current = _PendingTable(
            rows=[row],
            width=len(record.cells),
            last_page=record.page,
            unit=unit,
            title=title,
            context=context,
            opens_page=opens_page,
        )
    close()
    return paragraphs, tables


def _at_page_edge(records: list[_Record], position: int) -> bool:
    """Whether an empty text row stands next to a page header or footer (the page break's own
    padding, not a paragraph break)."""
    return any(
        0 <= index < len(records) and records[index].kind in _FURNITURE
        for index in (position - 1, position + 1)
    )


def _runs_on(paragraph: str, text: str) -> bool:
    """Whether the text row ``text`` continues ``paragraph``, which the converter cut at a line
    or page break ("…实现净利润2.95" / "亿元，同比增长47.67%…").

    Without positions the signals are the words: a paragraph that ends a sentence or clause, a
    heading, a unit line or a title (short, no comma) ends; a row that opens with a heading or
    list marker starts anew.
    """
    if ends_sentence(paragraph) or is_heading(paragraph) or is_unit_text(paragraph) or is_unit_text(text):
        return False
    return not (opens_paragraph(text) or _is_title(paragraph))


# A short row without a comma is a title ("减值准备计提情况", "其他说明"), not a broken sentence.
_TITLE_MAX_CHARS = 25


def _is_title(text: str) -> bool:
    return len(text) <= _TITLE_MAX_CHARS and not any(mark in text for mark in "，,、；;")


def _continues(table: _PendingTable, record: _Record) -> bool:
    """Whether an excel row goes on with ``table``: same page, or same width after a page break.

    A row of another width after a page break is a new table; joining it would misalign columns
    and a footing check on misaligned columns is a false alarm.
    """
    if not table.crossed_page:
        return True
    return len(record.cells) == table.width


def _repeats_header(table: _PendingTable, cells: tuple[str, ...]) -> bool:
    count = header_row_count([row.texts for row in table.rows])
    return any(row.texts == cells for row in table.rows[:count])


def _surroundings(recent_text: list[str]) -> tuple[str | None, str, str]:
    """Unit line, title and context from the text lines just above a table."""
    window = recent_text[-4:]
    unit = next((line for line in reversed(window) if is_unit_text(line)), None)
    title = next(
        (
            line
            for line in reversed(window)
            if not is_unit_text(line) and not line.startswith(("√", "□")) and len(line) <= 80
        ),
        "",
    )
    return unit, title, "\n".join(window[-3:])
