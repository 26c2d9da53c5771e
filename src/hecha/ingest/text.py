"""Reads plain text extracted from PDFs (pdfplumber, pypdfium2, pdftotext -layout) into a Document.

Plain text has no column positions: a table is a run of lines "label figure figure …" under a
block of header lines. This reader removes page furniture (form feeds, page numbers, running
titles), undoes the doubled empty lines some tools write, finds the figure rows, gathers the
header lines above them, re-attaches labels wrapped onto lines of their own and figures wrapped
after a direction word ("减少" / "16.43 个" / "百分点"), and joins a table continued after a page
break. Every other line becomes prose.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from itertools import combinations, pairwise

from hecha.ingest.errors import IngestError
from hecha.ingest.finish import finished
from hecha.ingest.lines import (
    DIRECTION_WORDS,
    PROSE_VERBS,
    UNIT_START,
    RowSource,
    SplitLine,
    build_table,
    counted_figures,
    figures_dominate,
    is_continued_marker,
    is_figure_head_piece,
    is_figure_piece,
    is_figure_tail_piece,
    is_grouped_one_decimal,
    is_grouped_two_decimals,
    is_item_label,
    is_page_number,
    is_unit_text,
    join_broken_cell,
    join_figure_pieces,
    open_brackets,
    page_of_footer,
    reads_as_sentence,
    split_figure_line,
    tokens_of,
)
from hecha.ingest.numbers import is_blank, normalize, parse_quantity
from hecha.ingest.prose import (
    ends_prose_before_table,
    ends_sentence,
    is_heading,
    join_line_texts,
    opens_paragraph,
)
from hecha.model.document import Document, Location, Notice, Paragraph, Table
from hecha.model.quantity import Unit

_MAX_HEADER_LINES = 24
_MAX_FRAGMENTS = 6  # wrapped label lines between two rows of one table
_FRAGMENT_MAX_CHARS = 16
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十百]+[节章]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．)]|\(\d+\)[.．]?)"
)
_SENTENCE_END = ("。", "：", ":", "；", ";")
_SUFFIX_ONLY = frozenset({"个百分点", "百分点", "个", "%"})
# Label-only rows that open a section of a table ("分行业", "其中：").
# "流动资产：", "经营活动产生的现金流量：" head the rows of a statement's section.
_SECTION_ROW = re.compile(
    r"^(?:分(?:行业|产品|地区|季度|销售模式|业务)|其中[:：]|[一二三四五六七八九十]*[、.]?[^\d\s：:，。；]{2,16}[:：])$"
)


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based line of the input file
    page: int | None
    text: str  # without trailing whitespace and form feeds
    page_start: bool = False  # first logical line after a form feed
    # Within two lines below a line that ends a row with a broken figure ("1,905,943,80"): its
    # short figures may be that figure's wrapped end.
    after_broken: bool = False


@dataclass(slots=True)
class _Row:
    split: SplitLine
    line: _Line
    label_before: list[_Line] = field(default_factory=list)
    label_after: list[_Line] = field(default_factory=list)
    # Indices into split.figures of cells that are pieces of a broken figure (text only).
    unparsed: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Block:
    header: list[_Line]
    rows: list[_Row]
    unit: str | None
    title: str
    context: str
    # Table-shaped lines that could not be rebuilt into rows and columns (see _split_strays):
    # kept as a table of words, never as prose and never as figures to check.
    stray: list[_Line] = field(default_factory=list)
    opens_page: bool = False  # its first line is the first text of its page (after furniture)


def read(path: str, data: bytes) -> Document:
    """Read extracted plain text. Raises IngestError when the bytes are not text."""
    content = _decode(data)
    lines, page_count = _logical_lines(content)
    warnings = (_SCATTERED_NOTICE,) if tables_scattered(line.text for line in lines) else ()
    # Before furniture goes: a broken figure's last digit alone on a line looks like a page number.
    lines = _rejoin_broken_figures(lines)
    lines = _drop_furniture(lines, page_count)
    paragraphs, blocks = _segment(path, lines)
    tables = [
        _stray_table(block, path, index) if block.stray else _to_table(block, path, index)
        for index, block in enumerate(blocks)
    ]
    return Document(
        source=path,
        format="text",
        page_count=page_count,
        paragraphs=tuple(paragraphs),
        tables=finished(tables),
        warnings=warnings,
    )


# A figure alone on its line (a cell pdfminer set apart), and a figure among others on a row.
_LONE_FIGURE = re.compile(r"^[-－—(（]?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?[)）]?$|^[-－—(（]?\d+\.\d+%?[)）]?$")
_ROW_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+")
_MIN_LONE_FIGURES = 50
_LONE_PER_ROW = 3
_SCATTERED_NOTICE = Notice(
    "此文本中的表格已被打散（单元格逐个成行，如 pdfminer 按文本块顺序输出），无法重建，"
    "表格中的数字大多未能核查；请改用 PDF 原件或逐行输出的文本（如 pdfplumber）",
    "the tables of this text are scattered (one cell per line, as pdfminer writes text blocks) and "
    "cannot be rebuilt, so most of their figures were not checked; give the PDF itself, or text "
    "with one printed row per line (pdfplumber), instead",
)


def tables_scattered(lines: Iterable[str]) -> bool:
    """Whether the text's tables come one cell per line rather than one row per line.

    pdfminer writes a table column by column as separate text blocks: its figures stand alone on
    their lines, and lines holding two figures are rare. Row-per-line text (pdfplumber, layout
    text, most extracted reports) has far more rows of figures than lone figures: in the corpus
    the lone/row ratio is 6–100 for pdfminer text and under 2 for every other extraction.
    """
    lone = rows = 0
    for line in lines:
        text = line.strip()
        if _LONE_FIGURE.match(text):
            lone += 1
        elif len(_ROW_FIGURE.findall(text)) >= 2:
            rows += 1
    return lone >= _MIN_LONE_FIGURES and lone >= _LONE_PER_ROW * max(rows, 1)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise IngestError(
                "无法识别文本编码（既不是 UTF-8 也不是 GB18030）",
                "cannot decode the text (neither UTF-8 nor GB18030)",
            ) from error
    if "\x00" in text:
        raise IngestError("不是文本文件（含二进制内容）", "not a text file (binary content)")
    return text


def _logical_lines(content: str) -> tuple[list[_Line], int | None]:
    """Split into lines with page numbers; pages come from form feeds, else from "N / M" footers."""
    physical = content.split("\n")
    has_form_feeds = "\f" in content
    lines: list[_Line] = []
    page = 1
    for number, raw in enumerate(physical, start=1):
        pieces = raw.rstrip("\r").split("\f")
        for position, piece in enumerate(pieces):
            if position > 0:
                page += 1
            lines.append(
                _Line(
                    number=number,
                    page=page if has_form_feeds else None,
                    text=piece.rstrip(),
                    page_start=position > 0,
                )
            )
    if has_form_feeds:
        # A trailing form feed closes the last page rather than opening an empty one.
        while lines and not lines[-1].text.strip() and lines[-1].page == page and page > 1:
            if any(line.page == page and line.text.strip() for line in lines):
                break
            page -= 1
            lines.pop()
        return _undouble(lines), page
    return _undouble(_pages_from_footers(lines)), None


def _pages_from_footers(lines: list[_Line]) -> list[_Line]:
    """Without form feeds, "14 / 195" footers still tell the page: lines up to footer N are page N."""
    footers = [(i, page_of_footer(line.text)) for i, line in enumerate(lines)]
    found = [(i, n) for i, n in footers if n is not None]
    if len(found) < 2 or any(b[1] <= a[1] for a, b in pairwise(found)):
        return lines
    result: list[_Line] = []
    cursor = 0
    for i, line in enumerate(lines):
        while cursor < len(found) and found[cursor][0] < i:
            cursor += 1
        page = found[cursor][1] if cursor < len(found) else found[-1][1] + 1
        result.append(_Line(number=line.number, page=page, text=line.text))
    return result


def _undouble(lines: list[_Line]) -> list[_Line]:
    """Remove the empty line some tools write after every line, keeping real paragraph breaks."""
    nonempty = [i for i, line in enumerate(lines) if line.text.strip()]
    if len(nonempty) < 10:
        return lines
    followed = sum(1 for i in nonempty if i + 1 < len(lines) and not lines[i + 1].text.strip())
    if followed < 0.8 * len(nonempty):
        return lines
    result: list[_Line] = []
    for i, line in enumerate(lines):
        if not line.text.strip() and i > 0 and lines[i - 1].text.strip():
            continue  # the doubled empty line
        result.append(line)
    return result


_PIECE_EDGE = frozenset("0123456789,.，．０１２３４５６７８９")


def _rejoin_broken_figures(lines: list[_Line]) -> list[_Line]:
    """Put back together figures that a wrapped cell broke across lines ("23,855" / ",394.9" / "3").

    pypdfium2 writes each visual line of a cell on a line of its own, so a figure wrapped inside
    a narrow cell ends one line and starts the next. Parsed apart, the pieces would become wrong
    figures; joined, they are the printed cell. The joined figure keeps the first piece's line.
    """
    result: list[_Line] = []
    for position, line in enumerate(lines):
        previous = result[-1] if result else None
        words = line.text.split()
        if previous is not None and words and not line.page_start:
            if not (previous.text[-1:] in _PIECE_EDGE and words[0][:1] in _PIECE_EDGE):
                result.append(line)
                continue
            head_words = previous.text.rsplit(None, 1)
            # A lone digit that closes a page is its page number, not the end of a figure.
            closes_page = position + 1 < len(lines) and lines[position + 1].page_start
            if head_words:
                alone = len(words) == 1 and not closes_page
                joined = join_figure_pieces(head_words[-1], words[0], tail_alone=alone)
                if joined is not None:
                    prefix = previous.text[: len(previous.text) - len(head_words[-1])]
                    result[-1] = _Line(
                        number=previous.number,
                        page=previous.page,
                        text=prefix + joined,
                        page_start=previous.page_start,
                    )
                    if len(words) > 1:
                        rest = line.text.split(None, 1)[1]
                        result.append(_Line(number=line.number, page=line.page, text=rest))
                    continue
        result.append(line)
    return _mark_after_broken(result)


# A cheap test that a line may hold a broken figure piece, before the exact one per word.
_MAYBE_PIECE = re.compile(r"(?:^|\s)[,，.]\d|\d[,，]\d{0,2}(?=\s|$)|\d[,，]\d{3}\.(?=\s|$)")


def _mark_after_broken(lines: list[_Line]) -> list[_Line]:
    result: list[_Line] = []
    remaining = 0
    for line in lines:
        if remaining and line.text.strip():
            line = _Line(line.number, line.page, line.text, line.page_start, after_broken=True)
            remaining -= 1
        if _MAYBE_PIECE.search(line.text) and any(
            is_figure_piece(word) and is_figure_head_piece(word) for word in line.text.split()
        ):
            remaining = 2
        result.append(line)
    return result


def _furniture_key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _drop_furniture(lines: list[_Line], page_count: int | None) -> list[_Line]:
    """Drop page numbers and running titles (lines that repeat at page edges)."""
    edge_keys: Counter[str] = Counter()
    if page_count:
        by_page: dict[int | None, list[_Line]] = {}
        for line in lines:
            if line.text.strip():
                by_page.setdefault(line.page, []).append(line)
        for page_lines in by_page.values():
            for line in {*page_lines[:3], *page_lines[-3:]}:
                edge_keys[_furniture_key(line.text)] += 1
                if _NUMBERING.fullmatch(line.text.strip()):
                    edge_keys[_numbering_key(line.text)] += 1
        # A short cut of a report still shows its running title on every page edge.
        threshold = 2 if page_count <= 6 else max(3, int(0.3 * page_count))
        # "□适用√不适用" answers a heading at many page edges; it is text, not a running title.
        running = {
            key
            for key, count in edge_keys.items()
            if count >= threshold and len(key) <= 60 and not key.startswith(("□", "√"))
        }
    else:
        counts = Counter(_furniture_key(line.text) for line in lines if line.text.strip())
        running = {
            key
            for key, count in counts.items()
            if (
                count >= 5
                and 6 <= len(key) <= 60
                and re.search(r"报告|公司", key)
                and not split_figure_line(key)
            )
            or (count >= 2 and re.fullmatch(r".{0,30}年(?:年度)?报告(?:全文|摘要)?", key))
        }
    kept: list[_Line] = []
    for line in lines:
        key = _furniture_key(line.text)
        if key and (key in running or is_page_number(line.text)):
            continue
        if _NUMBERING.fullmatch(line.text.strip()) and _numbering_key(line.text) in running:
            continue  # a chapter-page number ("1-132", "1-133", …) at every page's edge
        kept.append(line)
    return kept


# A line of digits and separators only, at a page's edge on many pages, is its page numbering.
_NUMBERING = re.compile(r"\d{1,3}\s*[-—–]\s*\d{1,4}")


def _pages_ending_in_prose(lines: list[_Line]) -> set[int]:
    """Pages whose last printed line closes prose: a table first on the next page starts there."""
    last: dict[int, str] = {}
    for line in lines:
        if line.page is not None and line.text.strip():
            last[line.page] = line.text
    return {page for page, text in last.items() if ends_prose_before_table(text)}


def _numbering_key(text: str) -> str:
    return "#" + re.sub(r"\d+", "#", _furniture_key(text))


def _segment(path: str, lines: list[_Line]) -> tuple[list[Paragraph], list[_Block]]:
    """Walk the lines once: figure rows open or extend a table, everything else is prose."""
    layout = _layout(lines)
    paragraphs: list[Paragraph] = []
    blocks: list[_Block] = []
    prose: list[_Line] = []  # lines not (yet) in a table, newest last
    prose_ends = _pages_ending_in_prose(lines)
    i = 0
    while i < len(lines):
        split = split_figure_line(lines[i].text)
        if split is None:
            prose.append(lines[i])
            i += 1
            continue
        header_start = _header_start(prose)
        header = [line for line in prose[header_start:] if line.text.strip()]
        above = prose[:header_start]
        lead = _leading_label(above) if not split.label and not header else []
        if lead:
            above = above[: len(above) - len(lead)]
        block, end = _collect_rows(lines, i, header, above, lead)
        if not _looks_like_table(block):
            # A word table with a stray small number ("4 型") is prose, not figures to check.
            prose.extend(lines[i:end])
            i = end
            continue
        first = (header or [lines[i]])[0]
        previous_end = blocks[-1].rows[-1].line.page if blocks and blocks[-1].rows else None
        block.opens_page = (
            first.page is not None
            and first.page > 1
            and previous_end != first.page
            and first.page - 1 not in prose_ends
            and not any(line.text.strip() and line.page == first.page for line in above)
        )
        i = end
        continues = bool(blocks) and _continues_previous(blocks[-1], block, above)
        if continues and (carried := _carried_labels(above)):
            _carry_labels(block, carried)
            above = [line for line in above if not any(line is taken for taken in carried)]
        _add_prose(path, above, layout, paragraphs, blocks)
        if continues:
            blocks[-1].rows.extend(block.rows)
        else:
            blocks.append(block)
        prose = []
    _add_prose(path, prose, layout, paragraphs, blocks)
    return paragraphs, blocks


def _add_prose(
    path: str, lines: list[_Line], layout: _Layout, paragraphs: list[Paragraph], blocks: list[_Block]
) -> None:
    """Append the paragraphs of ``lines`` and, in reading order, the stray table lines among them."""
    for stretch in _split_strays(lines, layout):
        if stretch.stray:
            unit, title, context = _surroundings(stretch.before, [])
            blocks.append(
                _Block(header=[], rows=[], unit=unit, title=title, context=context, stray=stretch.lines)
            )
        else:
            paragraphs.extend(_paragraphs(path, stretch.lines, layout))


_ITEM_NAME_END = re.compile(
    r"(?:投资|资产|负债|借款|债券|款项?|费用?|收益|准备|公积|股本|资本|利润|收入|成本|资金|税费|薪酬|"
    r"权益|商誉|支出|工程|存货|票据|损失|股|债|金)$"
)


def _is_item_name(text: str) -> bool:
    """A whole statement item name ("应付债券", "其他非流动金融资产"), not a wrapped label piece."""
    return _is_fragment(text) and len(text) >= 4 and bool(_ITEM_NAME_END.search(text))


def _leading_label(above: list[_Line]) -> list[_Line]:
    """The wrapped label lines just above a first row printed without its label.

    pypdfium2 writes a wrapped label cell before the row's figures ("1．所有者投入的普" / "通股" /
    "-44,297,199.00 …"), and a table continued on a new page starts so.
    """
    taken = 0
    while taken < min(_MAX_FRAGMENTS, len(above)):
        text = above[len(above) - 1 - taken].text.strip()
        if not (_is_fragment(text) or is_item_label(text)) or text.endswith((":", "：")):
            break  # "其中：" opens a section of rows; it is not part of this row's label
        taken += 1
    return above[len(above) - taken :]


def _next_row_labelled(lines: list[_Line], start: int) -> bool | None:
    """Whether the next figure row after label-only lines prints its own label; None when a
    unit line, a choice mark, a sentence or a line of several words comes first."""
    for line in lines[start : start + 10]:
        text = line.text.strip()
        if not text:
            continue
        split = split_figure_line(line.text)
        if split is not None:
            return bool(split.label)
        if not (_is_fragment(text) or is_item_label(text)):
            return None
    return None


def _looks_like_table(block: _Block) -> bool:
    """At least one row with two figures, or one figure printed like an amount or a rate."""
    for row in block.rows:
        quantities = [q for q in (parse_quantity(text) for text in row.split.figures) if q is not None]
        if len(quantities) >= 2 or any(
            q.decimals or "," in q.text or q.unit is not Unit.NUMBER for q in quantities
        ):
            return True
    return False


def _is_header_line(text: str) -> bool:
    stripped = text.strip()
    if not stripped or is_unit_text(stripped) or stripped.endswith(_SENTENCE_END):
        return False
    if stripped.startswith(("√", "□")) or _HEADING.match(stripped):
        return False
    return len(_furniture_key(stripped)) <= 60


def _header_start(prose: list[_Line]) -> int:
    """Index in ``prose`` where the header block of a table that starts right after it begins.

    The block is the run of short non-sentence lines above the first row; single-word lines at
    its top are titles ("主营业务分行业情况") until the first line with several cells.
    """
    start = len(prose)
    while start > 0 and len(prose) - start < _MAX_HEADER_LINES:
        text = prose[start - 1].text
        # pdftotext -layout leaves single empty lines between the lines of one header.
        if not text.strip() and start > 1 and _is_header_line(prose[start - 2].text) and start < len(prose):
            start -= 1
            continue
        if not _is_header_line(text):
            break
        start -= 1
    while start < len(prose) and len(tokens_of(prose[start].text)) < 2:
        start += 1
    return start


_BRACKETED_NAME = re.compile(r"[（(][A-Za-z][A-Za-z .&\-]*[)）]")


def _latin_word(word: str) -> bool:
    return word.isascii() and any(char.isalpha() for char in word)


def _is_fragment(text: str) -> bool:
    stripped = text.strip()
    # A wrapped label piece is one word; a line of several words inside a table is a header.
    # Letter-spaced characters ("低 值 易", justified in a narrow cell) are one word too.
    # A name in brackets under a label ("（WuXi Testing）", the English name of 测试业务) is one
    # piece of that label, whatever its spaces; so is a label whose only spaces are those an
    # extractor puts around a Latin word ("高端治疗 CTDMO 业务"). Two Chinese words side by side
    # ("项目 期末余额") are header cells.
    words = stripped.split()
    return (
        bool(stripped)
        and (
            len(words) == 1
            or all(len(word) == 1 and not word.isascii() for word in words)
            or bool(_BRACKETED_NAME.fullmatch(stripped))
            or all(_latin_word(left) or _latin_word(right) for left, right in pairwise(words))
        )
        # Measured in display columns: a narrow cell holds twice as many Latin letters as
        # Chinese characters ("ITALIANA SINTETICI" is one piece of a company's name).
        and _display_width(_furniture_key(stripped)) <= 2 * _FRAGMENT_MAX_CHARS
        and not stripped.endswith(_SENTENCE_END)
        and not is_unit_text(stripped)
        and not _HEADING.match(stripped)
    )


def _collect_rows(
    lines: list[_Line], start: int, header: list[_Line], above: list[_Line], lead: list[_Line]
) -> tuple[_Block, int]:
    """Gather the rows of one table from ``start``; return it and the index after its last row.

    ``lead`` holds the first row's wrapped label lines when they stand above it.
    """
    unit, title, context = _surroundings(above, header)
    rows: list[_Row] = []
    header_keys = {_furniture_key(line.text) for line in header}
    pending: list[_Line] = list(lead)
    labels_above = False
    i = start
    end = start
    while i < len(lines):
        line = lines[i]
        text = line.text.strip()
        split = split_figure_line(line.text)
        if split is not None:
            if rows and _glue_wrapped_figure(rows[-1], split, line):
                pending = []
                i += 1
                end = i
                continue
            if rows and not pending and _continues_row(rows[-1], split, lines[i - 1]):
                # pypdfium2 writes a row whose cells wrap at different heights over several
                # lines, each holding some of its figures: they are one row.
                previous = rows[-1]
                previous.split = SplitLine(
                    previous.split.label, previous.split.figures + split.figures, split.dangling
                )
                i += 1
                end = i
                continue
            if rows and not pending and split.label and not rows[-1].split.label and rows[-1].label_before:
                # A row whose wrapped label stood wholly above its figures, the next row right
                # under it: this table prints its wrapped labels above their rows.
                labels_above = True
            if rows and not labels_above and not split.label:
                pending = _items_between(rows, pending)
            head = _assign_fragments(rows[-1] if rows else None, split, pending, labels_above)
            rows.append(_Row(split=split, line=line, label_before=head))
            pending = []
            i += 1
            end = i
            continue
        if not text:
            # An empty line inside a table is tolerated only when a row of the same shape follows.
            nxt = next((j for j in range(i + 1, min(i + 5, len(lines))) if lines[j].text.strip()), None)
            if nxt is not None and _SECTION_ROW.match(lines[nxt].text.strip()):
                i += 1
                continue
            # The shape of the last row that printed figures (an item printed with empty cells
            # has none), or the table's widest row (the last row may print fewer figures: "短期借款
            # 10,000,000.00" with its 期末 cell empty).
            shape = next((len(row.split.figures) for row in reversed(rows) if row.split.figures), 0)
            widest = max((len(row.split.figures) for row in rows), default=0)
            if not rows or not _same_shape_follows(lines, i + 1, {shape, widest}):
                break
            i += 1
            continue
        if (
            rows
            and _SECTION_ROW.match(text)
            and (_row_follows(lines, i + 1) or _next_row_labelled(lines, i + 1) is not None)
        ):
            head = _assign_fragments(rows[-1], SplitLine(label=text, figures=()), pending)
            rows.append(_Row(split=SplitLine(label=text, figures=()), line=line, label_before=head))
            pending = []
            i += 1
            end = i
            continue
        if rows and text in _SUFFIX_ONLY:
            _append_to_last_cell(rows[-1], text)
            i += 1
            end = i
            continue
        if (
            is_continued_marker(text)
            and rows
            and not pending
            and _TOTAL_LABEL.match(rows[-1].split.label.strip())
        ):
            # "续表" after the 合计 that closed the table: the next part (期初余额 under the same
            # header) is a table of its own, not more rows under that total.
            break
        if is_continued_marker(text) or (header_keys and _furniture_key(text) in header_keys):
            i += 1
            continue
        if rows and is_item_label(text):
            labelled = _next_row_labelled(lines, i + 1)
            if labelled:
                # "3.本期减少金额" above "4.期末余额 …": a row printed with empty cells.
                head = _assign_fragments(rows[-1], SplitLine(label=text, figures=()), pending)
                rows.append(_Row(split=SplitLine(label=text, figures=()), line=line, label_before=head))
                pending = []
                i += 1
                end = i
                continue
            if labelled is False and len(pending) < _MAX_FRAGMENTS:
                # The first piece of the label of a row printed below its label lines.
                if pending and _closed_below(rows[-1]):
                    # The row above is whole: the lines between are items printed empty
                    # ("（一）按经营持续性分类" under "五、净利润（净亏损以“－”号填" … "列）").
                    rows.extend(_empty_item(group) for group in _label_groups(pending))
                elif pending:
                    rows[-1].label_after.extend(pending)
                pending = [line]
                i += 1
                continue
        if rows and not pending and _is_item_name(text) and _next_row_labelled(lines, i + 1):
            # "其他权益工具投资" above "其他非流动金融资产 34,941,895.27": a balance-sheet item
            # printed with empty cells, not the first piece of the next row's label.
            rows.append(_Row(split=SplitLine(label=text, figures=()), line=line))
            i += 1
            end = i
            continue
        if rows and not pending and _closes_open_label(rows[-1], text):
            # "投资收益（损失以“－”号填" / "3,428,431.47 3,564,331.17" / "列）": the figures stand
            # centred between the two lines of a label, and this line closes its bracket.
            rows[-1].label_after.append(line)
            i += 1
            end = i
            continue
        if _is_fragment(text) and len(pending) < _MAX_FRAGMENTS + sum(map(len, _label_groups(pending)[1:-1])):
            # Whole item names printed with empty cells (a statement's 汇兑收益, 净敞口套期收益,
            # each wrapped over two lines) between wrapped label pieces do not count as pieces.
            pending.append(line)
            i += 1
            continue
        if (
            rows
            and not pending
            and not rows[-1].split.label
            and 2 <= len(text.split()) <= 3
            and _next_row_labelled(lines, i + 1) is False
        ):
            # This table prints its labels above their figures, in two label columns ("王小軍女士
            # 執行董事兼" / "財務總監" / "3.11% 907,262 0.232%"): the next row's label, not a header.
            labels_above = True
            pending = [line]
            i += 1
            continue
        break
    rows = _label_numbers(_resolve_broken_cells(rows), header)
    # Fragments after the last row belong to it only when it printed no label of its own;
    # otherwise they go back to the prose stream (most likely the next title).
    if pending and rows and not rows[-1].split.label and not rows[-1].label_before:
        rows[-1].label_after.extend(pending)
        end = i
    elif pending:
        # Search back by identity: comparing the dataclasses field by field is slow.
        end = next(j for j in range(i - 1, -1, -1) if lines[j] is pending[0])
    return _Block(header=header, rows=rows, unit=unit, title=title, context=context), end


_COMMA_INTEGER = re.compile(r"[-(]?\d{1,3}(?:,\d{3})+\)?")
_SHORT_PIECE = re.compile(r"\d{1,3}|\d{1,3}\.\d{1,2}")


def _merge_amount_lines(rows: list[_Row]) -> list[_Row]:
    """A row whose amounts wrapped in narrow cells, printed over two lines: the amounts (their
    wrapped last digits joined again) on a line above the label and the row's percentages
    ("11,382,321.40 12,358,026.44" over "CDMO行业 制造费用 2.96% 3.52% -7.90%", baicheng 营业成本构成).
    The two lines are one row when their figures interleave in exactly one way into the kinds
    (amount or percentage) the table's full rows print in order; otherwise they stay apart."""
    shapes = Counter(
        _kinds(row.split.figures)
        for row in rows
        if row.split.label and not row.unparsed and row.split.figures
    )
    widest = max((len(shape) for shape in shapes), default=0)
    full = [shape for shape, count in shapes.most_common() if len(shape) == widest and count >= 2]
    if not full:
        return rows
    pattern = full[0]
    merged: list[_Row] = []
    position = 0
    while position < len(rows):
        row = rows[position]
        below = rows[position + 1] if position + 1 < len(rows) else None
        figures = (
            _interleaved(row.split.figures, below.split.figures, pattern)
            if below is not None
            and _amounts_line(row)
            and below.split.label
            and not below.unparsed
            and any(_kinds(below.split.figures))  # the percentages stayed on the label's line
            else None
        )
        if below is None or figures is None:
            merged.append(row)
            position += 1
            continue
        # "研发技术成果" over "直接材料 8.65% …" over "转化": the label's wrapped column comes first.
        wrapped = [*row.label_before, *row.label_after, *below.label_before, *below.label_after]
        label = row.split.label + "".join(line.text.strip() for line in wrapped)
        label = f"{label} {below.split.label}".strip() if label else below.split.label
        merged.append(_Row(split=SplitLine(label, figures), line=below.line))
        position += 2
    return merged


def _kinds(figures: tuple[str, ...]) -> tuple[bool, ...]:
    """Per figure, whether it is a percentage."""
    return tuple(normalize(figure).strip().endswith("%") for figure in figures)


def _amounts_line(row: _Row) -> bool:
    """A line of amounts printed with two decimals only, no percentage, not a total."""
    figures = row.split.figures
    return (
        bool(figures)
        and not row.unparsed
        and not _TOTAL_LABEL.match(row.split.label.strip())
        and all(is_grouped_two_decimals(figure) for figure in figures)
    )


def _interleaved(
    amounts: tuple[str, ...], others: tuple[str, ...], pattern: tuple[bool, ...]
) -> tuple[str, ...] | None:
    """``amounts`` and ``others`` merged in order into ``pattern``'s kinds, when exactly one
    merge fits (an amount never stands in a percentage's place, nor a percentage in an amount's)."""
    if len(amounts) + len(others) != len(pattern):
        return None
    kinds = _kinds(others)
    found: list[tuple[str, ...]] = []

    def place(slot: int, used_amounts: int, used_others: int, built: tuple[str, ...]) -> None:
        if len(found) > 1:
            return
        if slot == len(pattern):
            found.append(built)
            return
        if used_amounts < len(amounts) and not pattern[slot]:
            place(slot + 1, used_amounts + 1, used_others, (*built, amounts[used_amounts]))
        if used_others < len(others) and kinds[used_others] == pattern[slot]:
            place(slot + 1, used_amounts, used_others + 1, (*built, others[used_others]))

    place(0, 0, 0, ())
    return found[0] if len(found) == 1 else None


def _suspect_cells(split: SplitLine) -> list[int]:
    """Cells that may be the first piece of a figure whose rest wrapped onto a later line.

    A head with a broken separator always is; an amount with one decimal, or a grouped integer
    in a row of decimal figures, is when a line of pieces follows (the caller checks that).
    """
    texts = [normalize(text).strip() for text in split.figures]
    has_decimals = any("." in text and not is_figure_piece(text) for text in texts)
    suspects = []
    for index, text in enumerate(texts):
        if (
            (is_figure_head_piece(text) and "," in text)
            or is_grouped_one_decimal(text)
            or (has_decimals and _COMMA_INTEGER.fullmatch(text))
        ):
            suspects.append(index)
    return suspects


def _piece_texts(row: _Row) -> list[str] | None:
    """The pieces a row prints when its line holds only the wrapped ends of figures above.

    Read from the raw words: normalization would glue "7 ,394.93" into one false figure.
    """
    words = row.line.text.split()
    pieces: list[str] = []
    while words and (_SHORT_PIECE.fullmatch(normalize(words[-1])) or is_figure_tail_piece(words[-1])):
        pieces.insert(0, normalize(words.pop()))
    if not pieces or any(parse_quantity(word) is not None for word in words):
        return None
    return pieces


_LABEL_NUMBER = re.compile(r"\d{1,2}")


def _label_numbers(rows: list[_Row], header: list[_Line]) -> list[_Row]:
    """A number ending a label ("组合 1 132,334,084.59 13.89 …", "公司 10 4,070,739.26 未到结算期") is part
    of the label when the figure after it is an amount and the table has no column for it: its
    header names no 附注 column, and its rows that do not start so (合计, or most rows) print amounts
    with decimals where these print the number."""
    if any(_NOTE_COLUMN.search(line.text) for line in header):
        return rows

    def numbered(row: _Row) -> bool:
        figures = row.split.figures
        return (
            len(figures) >= 2
            and bool(row.split.label)
            and bool(_LABEL_NUMBER.fullmatch(figures[0]))
            and any(mark in figures[1] for mark in ",.")
        )

    plain = [row.split.figures for row in rows if row.split.figures and not numbered(row)]
    if not plain:
        return rows
    width = Counter(len(figures) for figures in plain).most_common(1)[0][0]
    if any("." not in figures[0] for figures in plain if len(figures) == width):
        return rows  # the column holds whole numbers too ("王卫 990 99.00"): "于国强 10 1.00" is one
    for row in rows:
        if numbered(row) and len(row.split.figures) <= width + 1:
            figures = row.split.figures
            row.split = SplitLine(f"{row.split.label} {figures[0]}", figures[1:], row.split.dangling)
    return rows


_NOTE_COLUMN = re.compile(r"附\s*注|注\s*释|附\s*註")


def _resolve_broken_cells(rows: list[_Row]) -> list[_Row]:
    """Rejoin figures whose ends wrapped onto a line of pieces below ("按组 22,172,721.0 …" /
    "合计 0 0 … ,394.93"), as pdfplumber and pdftotext print a wrapped row.

    The pieces line is matched in order against the suspect cells of the rows since the last
    such line. When the counts differ or a join does not give a figure, every suspect cell and
    piece is kept as text without a quantity: a fragment read as a figure is a false alarm.
    Head pieces left over ("977,50"), and short figures just below a line that printed one
    (most likely its wrapped end), are likewise kept as text only.
    """
    result: list[_Row] = []
    open_rows: list[_Row] = []
    for row in rows:
        short = bool(row.split.figures) and all(len(text) <= 12 for text in row.split.figures)
        pieces = _piece_texts(row) if short and open_rows else None
        suspects = [(r, i) for r in open_rows for i in _suspect_cells(r.split)] if pieces else []
        if pieces is not None and suspects:
            joined = (
                [
                    join_broken_cell(r.split.figures[i], piece)
                    for (r, i), piece in zip(suspects, pieces, strict=True)
                ]
                if len(pieces) == len(suspects)
                else []
            )
            if joined and all(text is not None for text in joined):
                for (owner, index), text in zip(suspects, joined, strict=True):
                    figures = list(owner.split.figures)
                    figures[index] = text or figures[index]
                    owner.split = SplitLine(owner.split.label, tuple(figures), owner.split.dangling)
            else:
                for owner, index in suspects:
                    owner.unparsed.add(index)
            label = " ".join(row.line.text.split()[: len(row.line.text.split()) - len(pieces)])
            owner_row = result[-1] if result else open_rows[-1]
            owner_row.label_after.extend(row.label_before)
            if label:
                owner_row.label_after.append(_Line(row.line.number, row.line.page, label))
            open_rows = []
            continue
        if row.line.after_broken:
            row.unparsed.update(
                index
                for index, text in enumerate(row.split.figures)
                if _SHORT_PIECE.fullmatch(normalize(text))
            )
        result.append(row)
        open_rows = [*open_rows[-1:], row] if row.split.figures else []
    for row in result:
        for index, text in enumerate(row.split.figures):
            if is_figure_piece(text):
                row.unparsed.add(index)
    return result


def _continues_row(previous: _Row, split: SplitLine, line_before: _Line) -> bool:
    """A label-less line of figures right after a row that printed its label on lines above."""
    return (
        not split.label
        and not previous.split.label
        and bool(previous.label_before)
        and not previous.label_after
        and previous.split.figures != ()
        and line_before.number <= previous.line.number + 8
        and split_figure_line(line_before.text) is not None
        and _piece_texts(_Row(split=split, line=line_before)) is None
    )


_SHAPE_LOOKAHEAD = 4  # non-empty lines searched for the next row after an empty line


def _same_shape_follows(lines: list[_Line], start: int, shapes: set[int]) -> bool:
    """A row with as many figures as one of ``shapes`` comes within a few lines, past item names
    printed with empty cells ("衍生金融负债") and wrapped labels, before any prose."""
    seen = 0
    for line in lines[start:]:
        text = line.text.strip()
        if not text:
            continue
        split = split_figure_line(line.text)
        if split is not None:
            return len(split.figures) in shapes
        seen += 1
        if seen > _SHAPE_LOOKAHEAD or not (is_item_label(text) or _is_fragment(text)):
            return False
    return False


def _row_follows(lines: list[_Line], start: int) -> bool:
    nxt = next((j for j in range(start, min(start + 4, len(lines))) if lines[j].text.strip()), None)
    return nxt is not None and split_figure_line(lines[nxt].text) is not None


_OPENS_ROW = re.compile(r"^(?:其中|减|加)\s*[:：]|^[（(]?[0-9一二三四五六七八九十]{1,3}[)）、.．](?!\d)")


def _label_groups(pending: list[_Line]) -> list[list[_Line]]:
    """Label lines grouped into whole labels: a group ends where its brackets are closed and its
    text ends like an item name or a closing bracket ("净敞口套期收益（损失以“－”" + "号填列）")."""
    groups: list[list[_Line]] = []
    current: list[_Line] = []
    for line in pending:
        current.append(line)
        text = "".join(piece.text.strip() for piece in current)
        if open_brackets(text) <= 0 and (text.endswith(("）", ")")) or _ITEM_NAME_END.search(text)):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _items_between(rows: list[_Row], pending: list[_Line]) -> list[_Line]:
    """The pending label lines left once whole items between two unlabelled figure rows became rows
    of their own with empty cells: the first group ends the row above (when its label is left
    open), the last starts the new row, and every whole label between is an item printed empty.
    """
    previous = rows[-1]
    if previous.split.label:
        return pending
    groups = _label_groups(pending)
    closed = _closed_below(previous)
    if len(groups) < (2 if closed else 3):
        return pending
    if not closed:
        previous.label_after.extend(groups.pop(0))
    rows.extend(_empty_item(group) for group in groups[:-1])
    return groups[-1]


def _empty_item(group: list[_Line]) -> _Row:
    """An item printed with empty cells, its label the lines of ``group`` joined."""
    return _Row(
        split=SplitLine(label="".join(piece.text.strip() for piece in group), figures=()), line=group[0]
    )


def _assign_fragments(
    previous: _Row | None, split: SplitLine, pending: list[_Line], labels_above: bool = False
) -> list[_Line]:
    """Split wrapped label lines between the row above and the row about to be added.

    A row printed with an empty label sits vertically centred between its label lines, so it
    takes lines on both sides; a row with its label on the figure line wrapped downwards (text
    flows top-down). In a table seen to print its wrapped labels wholly above their figures
    (``labels_above``) they all go to the new row. Returns the lines for the new row; the rest
    went to ``previous``.
    """
    if not pending:
        return []
    if previous is None or labels_above or _closed_below(previous):
        return pending
    if not previous.split.label and not split.label and len(previous.split.figures) > len(split.figures):
        # The row above gathered several lines of figures below its label lines (pypdfium2):
        # labels stand before their rows.
        return pending
    named = [index for index, line in enumerate(pending) if _BRACKETED_NAME.fullmatch(line.text.strip())]
    if not previous.split.label and not split.label and named:
        # A name in brackets follows the label it translates ("测试业务" / "（WuXi Testing）"): one
        # opening the lines ends the row above's label, one further down ends the new row's.
        if named[0] == 0:
            previous.label_after.append(pending[0])
            return pending[1:]
        return pending
    if not previous.split.label and not split.label:
        # A line that opens a row by its marker ("其中：对联营企业和合营企业") starts the new row's
        # label; without one, the rows share the lines evenly. 合计 is no such marker here: the
        # end of a label wrapped above its figures reads "合计（A4+B4+C4）" too.
        marked = next(
            (index for index, line in enumerate(pending) if _OPENS_ROW.match(line.text.strip())), None
        )
        half = marked if marked is not None else (len(pending) + 1) // 2
        previous.label_after.extend(pending[:half])
        return pending[half:]
    if previous.split.label and not split.label:
        return pending
    if len(split.label.split()) < len(previous.split.label.split()):
        # The new row lacks its first label word ("万毫升 5,674.78" under "疫苗 万毫升 435.20"):
        # the wrapped lines are that word.
        return pending
    previous.label_after.extend(pending)
    return []


def _closes_open_label(row: _Row, text: str) -> bool:
    """``text`` is a label piece closing a bracket that the label of ``row``, a row of figures,
    leaves open."""
    if not row.split.figures or not _is_fragment(text):
        return False
    label = _label_text(row.label_before) + row.split.label + _label_text(row.label_after)
    left = open_brackets(label)
    return left > 0 and open_brackets(label + text.strip()) < left


def _closed_below(row: _Row) -> bool:
    """The label of ``row`` was left open above its figures and closed by the lines below them
    ("投资收益（损失以“－”号填" / figures / "列）"): it is whole, no later line belongs to it."""
    above = _label_text(row.label_before) + row.split.label
    return bool(row.label_after) and open_brackets(above) > 0 >= open_brackets(
        above + _label_text(row.label_after)
    )


def _label_text(pieces: list[_Line]) -> str:
    return "".join(piece.text.strip() for piece in pieces)


def _glue_wrapped_figure(previous: _Row, split: SplitLine, line: _Line) -> bool:
    """A row ending in a bare "减少" takes the figure that wrapped onto the next line."""
    if not previous.split.dangling or split.label:
        return False
    figures = list(previous.split.figures)
    figures[-1] = figures[-1] + split.figures[0]
    figures.extend(split.figures[1:])
    previous.split = SplitLine(label=previous.split.label, figures=tuple(figures), dangling=split.dangling)
    return True


def _append_to_last_cell(row: _Row, suffix: str) -> None:
    figures = list(row.split.figures)
    if figures and (
        figures[-1][-1:].isdigit() or figures[-1] in DIRECTION_WORDS or figures[-1].endswith("个")
    ):
        figures[-1] = figures[-1] + suffix
        row.split = SplitLine(label=row.split.label, figures=tuple(figures), dangling=row.split.dangling)


def _carried_labels(between: list[_Line]) -> list[_Line]:
    """The lines at the top of a page that are label lines of the table going on there: items it
    prints with empty cells ("利息支出" / "手续费及佣金支出" / … / "分保费用") and wrapped label pieces,
    before its first row of figures. Empty when any line between is something else."""
    lines = [line for line in between if line.text.strip()]
    if len(lines) > 2 * _MAX_FRAGMENTS or not all(
        _is_fragment(line.text) or is_item_label(line.text) for line in lines
    ):
        return []
    return lines


def _carry_labels(block: _Block, lines: list[_Line]) -> None:
    """Put the label lines standing above a continued table's first row back into it: whole labels
    as rows with empty cells; the last one is the first row's label when that row prints none."""
    groups = _label_groups(lines)
    if groups and not block.rows[0].split.label:
        block.rows[0].label_before[:0] = groups.pop()
    block.rows[:0] = [_empty_item(group) for group in groups]


def _continues_previous(previous: _Block, block: _Block, between: list[_Line]) -> bool:
    """A table that goes on after a page break: no prose between, same shape, no header or a repeat.

    The lines between may repeat the upper header lines that stood above the first part ("账龄" /
    "期末余额" over "应收账款 坏账准备 计提比例（%）"), which the header search left outside it."""
    if not previous.rows or not block.rows:
        return False
    above_first = {_furniture_key(text) for text in previous.context.splitlines() if text.strip()}
    others = [line for line in between if line.text.strip() and _furniture_key(line.text) not in above_first]
    if others and (block.header or others != _carried_labels(between)):
        return False
    last_page = previous.rows[-1].line.page
    first_page = block.rows[0].line.page
    if len(block.rows[0].split.figures) not in _widths(previous):
        return False
    if (last_page is not None or first_page is not None) and (
        last_page is None or first_page is None or first_page != last_page + 1
    ):
        return False
    # No header, the header repeated (perhaps without the title lines the first page's header
    # began with), or a "续表" line. Without page information only furniture stood between.
    repeated = [_furniture_key(x.text) for x in block.header if x.text.strip()]
    original = [_furniture_key(x.text) for x in previous.header if x.text.strip()]
    if repeated and repeated != original[-len(repeated) :]:
        if _restore_label_after_repeat(block, original):
            return True
        return all(is_continued_marker(x.text) for x in block.header)
    return True


_MAX_WRAPPED_LABEL_LINES = 2


def _restore_label_after_repeat(block: _Block, original: list[str]) -> bool:
    """The header repeated in full, then the first row's label wrapped above its figures ("17 宝安集"
    / "MTN001" / figures): those lines go back to the row, and the table continues."""
    lines = [line for line in block.header if line.text.strip()]
    extra = len(lines) - len(original)
    if not original or not 0 < extra <= _MAX_WRAPPED_LABEL_LINES:
        return False
    if [_furniture_key(line.text) for line in lines[: len(original)]] != original:
        return False
    label = lines[len(original) :]
    if block.rows[0].split.label or any(len(line.text.strip()) > _FRAGMENT_MAX_CHARS for line in label):
        return False
    block.rows[0].label_before[:0] = label
    block.header = lines[: len(original)]
    return True


def _widths(block: _Block) -> set[int]:
    """How many figures a row of ``block`` may print: as many as its last row, as its widest row,
    or as its header names columns ("项目 期末余额 期初余额": two; the last row before a page break
    may print one, its other cell blank)."""
    widths = {len(block.rows[-1].split.figures), max(len(row.split.figures) for row in block.rows)}
    if block.header:
        words = block.header[-1].text.split()
        if len(words) >= 3:
            widths.add(len(words) - 1)
    return widths


def _surroundings(above: list[_Line], header: list[_Line]) -> tuple[str | None, str, str]:
    window = [line.text.strip() for line in above if line.text.strip()][-4:]
    unit = next((text for text in reversed(window) if is_unit_text(text)), None)
    if unit is None:
        unit = next((line.text.strip() for line in header if is_unit_text(line.text)), None)
    title = next(
        (text for text in reversed(window) if not is_unit_text(text) and not text.startswith(("√", "□"))),
        "",
    )
    return unit, title, "\n".join(window[-3:])


@dataclass(frozen=True, slots=True)
class _Layout:
    """What the document's lines tell about its text block.

    ``full_width`` is the display width (a Chinese character counts 2) of a line that runs to
    the right margin; a prose line clearly shorter ends its paragraph. ``indented`` says the
    extractor kept first-line indents (pdftotext -layout): then an indented line opens a
    paragraph and a full line ending in "。" runs on into an unindented one.
    """

    full_width: int
    indented: bool


_SHORT_LINE_SLACK = 8  # display columns (four Chinese characters) a wrapped line may fall short by
_FULL_LINE_SAMPLE = 0.8


@lru_cache(maxsize=65536)
def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \u3000\t"))


def _layout(lines: list[_Line]) -> _Layout:
    """The full line width and the indentation habit of the document's text lines."""
    # Table rows spread over the page with runs of spaces (pdftotext -layout); prose does not.
    prose = [line.text for line in lines if line.text.strip() and "  " not in line.text.strip()]
    widths = sorted(_display_width(text.strip()) for text in prose)
    if not widths:
        return _Layout(full_width=0, indented=False)
    widest = widths[int(0.99 * (len(widths) - 1))]
    counts = Counter(width for width in widths if width >= _FULL_LINE_SAMPLE * widest)
    full = max(counts, key=lambda width: (counts[width], width))
    small_indents = sum(1 for text in prose if 2 <= _indent(text) <= 8)
    return _Layout(full_width=full, indented=small_indents >= 0.05 * len(prose))


def _paragraphs(path: str, lines: list[_Line], layout: _Layout) -> list[Paragraph]:
    """Join wrapped prose lines into paragraphs.

    A paragraph ends at an empty line, before a line that opens with a heading or list marker
    (or is indented, when the extractor kept indents), and after a heading, a unit line, a line
    that stops short of the right margin, or a sentence end ("。", "；", "：") unless indents show
    that the next line runs on.
    """
    result: list[Paragraph] = []
    current: list[_Line] = []

    def flush() -> None:
        if current:
            text = current[0].text.strip()
            for line in current[1:]:
                text = join_line_texts(text, line.text.strip())
            first = current[0]
            result.append(
                Paragraph(
                    text=text,
                    location=Location(source=path, page=first.page, line=first.number),
                    heading=len(current) == 1 and is_heading(text),
                )
            )
            current.clear()

    for position, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            # Blank lines around a page break (where the running header was) do not end the
            # paragraph: whether it runs on to the next page is the last line's to say.
            if not (current and _page_break_follows(current[-1], lines, position)):
                flush()
            continue
        starts = opens_paragraph(text) or is_unit_text(text)
        if starts or (layout.indented and _indent(line.text) >= 2):
            flush()
        current.append(line)
        if _ends_paragraph(line, lines[position + 1 : position + 2], layout):
            flush()
    flush()
    return result


def _page_break_follows(last: _Line, lines: list[_Line], position: int) -> bool:
    """Whether the next non-blank line after ``position`` is on a later page than ``last``."""
    following = next((line for line in lines[position:] if line.text.strip()), None)
    return (
        following is not None
        and last.page is not None
        and following.page is not None
        and following.page == last.page + 1
    )


# Words after which a sentence goes on with a figure.
_BEFORE_FIGURE = ("为", "的", "至", "达", "约", "了", "计", "共", "币")
# A table-of-contents line: a title, a dotted leader and the page number.
_CONTENTS_LINE = re.compile(r"(?:\.{4,}|…{2,}|·{4,})\s*\d{1,4}$")
# A cell holding one figure and its unit ("190.84 吨；"), wrapped off the rest of its row.
_FIGURE_CELL = re.compile(r"^[-+]?[\d,.]+%?\s*[^\s\d，。；;]{0,2}[；;，。]?$")


def _ends_paragraph(line: _Line, following: list[_Line], layout: _Layout) -> bool:
    text = line.text.strip()
    if is_heading(text) or is_unit_text(text) or _CONTENTS_LINE.search(text):
        return True
    if _short(line, layout):
        # A page laid out narrower than the rest (an auditor's report) wraps a sentence before
        # its figure: "…商誉的账面价值为" / "757,736,770.14 元。…" is one sentence.
        return not (
            text.endswith(_BEFORE_FIGURE)
            and following
            and following[0].text.strip()[:1].isdigit()
            and _display_width(text) >= _SENTENCE_MIN_WIDTH
        )
    if not ends_sentence(text):
        return False
    # A full line ending a sentence runs on only when the next line shows it is no new paragraph.
    if not (layout.indented and following and following[0].text.strip()):
        return True
    return _indent(following[0].text) >= 2


def _short(line: _Line, layout: _Layout) -> bool:
    """Whether a line stops clearly short of the right margin (the last line of a paragraph)."""
    width = _display_width(line.text.strip()) + (_indent(line.text) if layout.indented else 0)
    return width < layout.full_width - _SHORT_LINE_SLACK


class _Shape(Enum):
    """What a line left to prose looks like on its own."""

    PROSE = "prose"
    ROW = "row"  # a table row: figures with a short label, or figures dominating the line
    PIECE = "piece"  # a short piece of a wrapped cell; a row only beside rows


_PIECE_MAX_CHARS = 20


@dataclass(frozen=True, slots=True)
class _Stretch:
    """Consecutive lines of a prose run: prose, or table-shaped lines (``stray``)."""

    lines: list[_Line]
    stray: bool
    before: list[_Line]  # the lines above it, for a stray table's unit and title


_NUMBERED_TITLE = re.compile(r"^\d{1,2}\s*[^\s\d]+$")
# Marks that end a sentence or a clause: no table cell of these reports carries them.
_HARD_MARKS = ("。", "；", ";", "！", "？")
_THRESHOLD = re.compile(r"[≥≤<>＜＞]")
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")


def _bare_amount_cells(cells: list[str]) -> int:
    """How many cells are a whole amount ("4,679,700.00", "204.01") with no unit word after it.

    Prose writes a unit after its figures; a table column prints them bare.
    """
    count = 0
    for position, cell in enumerate(cells):
        quantity = parse_quantity(cell)
        if quantity is None or quantity.unit is not Unit.NUMBER or not (quantity.decimals or "," in cell):
            continue
        after = cells[position + 1] if position + 1 < len(cells) else ""
        if not UNIT_START.match(after):
            count += 1
    return count


def _line_shape(line: _Line, layout: _Layout) -> _Shape:
    text = line.text.strip()
    if opens_paragraph(text) or is_unit_text(text) or is_continued_marker(text):
        return _Shape.PROSE
    if figures_dominate(text) or (not reads_as_sentence(text) and _bare_amount_cells(tokens_of(text)) >= 2):
        return _Shape.ROW
    short = _short(line, layout)
    if short and (_THRESHOLD.search(text) or (_FIGURE_CELL.match(text) and counted_figures(text))):
        # "错报≥利润总额的 5%", "VOCs≤150": criteria and limits, printed in the cells of a table.
        return _Shape.ROW
    # "公司近5年研发投入情况如下：" introduces what follows; "2 自然人" numbers a title.
    if any(mark in text for mark in _HARD_MARKS) or ends_sentence(text) or _NUMBERED_TITLE.match(text):
        return _Shape.PROSE
    unbracketed = _BRACKETED.sub("", text)  # "1年以内（含，下同）": a comma inside a label
    if reads_as_sentence(unbracketed) or "、" in unbracketed:
        # A comma or an enumeration comma belongs to a sentence, unless the line is laid out in
        # cells around a bare amount ("204.01 否 败诉，已结案 已支付全部款项"), lists several
        # cells without a comma ("孙杨 董事、董事长 男 53 现任 80.08 否"), or ends in a bare
        # figure after its label ("为股东、实际控制人及其关联方提供担保的余额（D） 0").
        cells = tokens_of(text)
        comma = "，" in unbracketed
        if (
            (len(cells) >= 3 and _bare_amount_cells(cells) > 0)
            or (not comma and short and len(cells) >= 4 and counted_figures(text))
            or (not comma and short and len(cells) >= 2 and parse_quantity(cells[-1]) is not None)
        ) and not PROSE_VERBS.search(text):
            return _Shape.ROW
        if short and not comma and len(_furniture_key(text)) <= _PIECE_MAX_CHARS:
            return _Shape.PIECE
        return _Shape.PROSE
    if short and counted_figures(text):
        return _Shape.ROW
    if short and len(_furniture_key(text)) <= _PIECE_MAX_CHARS:
        return _Shape.PIECE
    return _Shape.PROSE


_SENTENCE_MIN_WIDTH = 40  # display columns of a line that can carry a sentence on to the next


def _line_shapes(lines: list[_Line], layout: _Layout) -> list[_Shape | None]:
    """Each line's shape (None for an empty line); a line inside a sentence is prose.

    A prose line that stops mid-sentence runs on into the next line whatever that line looks
    like ("…收入为人民币" / "2,925,6… 元。"); in a narrow column a sentence may also open with a
    line that holds no punctuation ("财政部于 2017 年颁布了《企业会计准则第 14 号——收入（修"), which
    the next line, as wide and read as a sentence, shows.
    """
    shapes: list[_Shape | None] = []
    sentence_open = False  # the line above is prose that stops inside a sentence
    previous_width = 0
    for line in lines:
        text = line.text.strip()
        if not text:
            shapes.append(None)
            sentence_open = False
            continue
        width = _display_width(text)
        shape = _line_shape(line, layout)
        if sentence_open and (not _short(line, layout) or width <= previous_width + _SHORT_LINE_SLACK):
            shape = _Shape.PROSE
        shapes.append(shape)
        sentence_open = (
            shape is _Shape.PROSE
            and width >= _SENTENCE_MIN_WIDTH
            and (reads_as_sentence(text) or sentence_open)
            and not ends_sentence(text)
            and not is_heading(text)
        )
        previous_width = width
    # A short line between two rows is a cell wrapped in the same table, whatever its marks
    # ("2%； 重要缺陷 1、利润总额潜在错报：" between two lines of criteria), unless it ends a sentence.
    for index in range(1, len(lines) - 1):
        text = lines[index].text.strip()
        if (
            shapes[index] is _Shape.PROSE
            and shapes[index - 1] is _Shape.ROW
            and shapes[index + 1] is _Shape.ROW
            and _display_width(text) <= _SENTENCE_MIN_WIDTH
            and "。" not in text
            and not opens_paragraph(text)
        ):
            shapes[index] = _Shape.PIECE
    # A row-like line opening a sentence the next line goes on with.
    for index in range(len(lines) - 1, 0, -1):
        following, current = lines[index], lines[index - 1]
        if (
            shapes[index] is _Shape.PROSE
            and shapes[index - 1] is _Shape.ROW
            and reads_as_sentence(following.text)
            and not opens_paragraph(following.text.strip())
            and not figures_dominate(current.text)
            and _display_width(current.text.strip()) >= _SENTENCE_MIN_WIDTH
            and _display_width(following.text.strip())
            <= _display_width(current.text.strip()) + _SHORT_LINE_SLACK
        ):
            shapes[index - 1] = _Shape.PROSE
    return shapes


def _split_strays(lines: list[_Line], layout: _Layout) -> list[_Stretch]:
    """Cut the runs of table-shaped lines out of a stretch of prose lines.

    Plain text gives a table the reader could not rebuild (two columns "境内会计师事务所报酬 110",
    a director list, grant rows that end in words) as lines like any other. A run of rows, with
    the wrapped cell pieces between them, is a table of words; titles above and below stay prose.
    """
    shapes = _line_shapes(lines, layout)
    stretches: list[_Stretch] = []
    start = 0  # first line not yet given to a stretch
    i = 0
    while i < len(lines):
        if shapes[i] not in (_Shape.ROW, _Shape.PIECE):
            i += 1
            continue
        end = i
        while end < len(lines) and (
            shapes[end] in (_Shape.ROW, _Shape.PIECE) or (shapes[end] is None and _run_goes_on(shapes, end))
        ):
            end += 1
        run = list(range(i, end))
        # Pieces without figures at the edges are titles or header words, not cells of the rows.
        while run and (
            shapes[run[0]] is None
            or (shapes[run[0]] is _Shape.PIECE and not counted_figures(lines[run[0]].text))
        ):
            run.pop(0)
        while run and (
            shapes[run[-1]] is None
            or (shapes[run[-1]] is _Shape.PIECE and not counted_figures(lines[run[-1]].text))
        ):
            run.pop()
        if not any(shapes[j] is _Shape.ROW for j in run):
            i = end
            continue
        if run[0] > start:
            stretches.append(_Stretch(lines=lines[start : run[0]], stray=False, before=lines[:start]))
        stretches.append(
            _Stretch(
                lines=[lines[j] for j in run if shapes[j] is not None], stray=True, before=lines[: run[0]]
            )
        )
        start = run[-1] + 1
        i = end
    if start < len(lines):
        stretches.append(_Stretch(lines=lines[start:], stray=False, before=lines[:start]))
    return stretches


def _run_goes_on(shapes: list[_Shape | None], blank: int) -> bool:
    """An empty line inside a run of rows: the run goes on when a row or piece follows it."""
    following = next((shape for shape in shapes[blank + 1 :] if shape is not None), None)
    return following in (_Shape.ROW, _Shape.PIECE)


def _stray_table(block: _Block, path: str, index: int) -> Table:
    """A table of the stray lines' words, one row a line, every cell kept as text.

    Without column positions the cells of such lines cannot be placed in columns (a row that
    printed a cell empty is one word short), so nothing in them is read as a figure to check:
    the table is counted as uncertain.
    """
    rows = [line.text.split() for line in block.stray]
    width = max(len(row) for row in rows)
    sources = [
        RowSource(
            texts=tuple(row + [""] * (width - len(row))),
            lines=(line.number,) * width,
            page=line.page,
            unparsed=frozenset(range(width)),
        )
        for row, line in zip(rows, block.stray, strict=True)
    ]
    return build_table(
        sources,
        source=path,
        index=index,
        header_rows=0,
        unit=block.unit,
        title=block.title,
        context=block.context,
    )


def _to_table(block: _Block, path: str, index: int) -> Table:
    block.rows = _merge_amount_lines(block.rows)
    numbered_names = _numbered_names(block)
    width, placed = _column_count(block.rows)
    two_decimals = any(is_grouped_two_decimals(figure) for row in block.rows for figure in row.split.figures)
    sources: list[RowSource] = []
    header = _merge_year_breaks(block.header)
    sections = _trailing_sections(header)
    rebuilt = _rebuilt_header(header, sections, width, block.rows)
    if rebuilt is not None:
        sources.extend(rebuilt.rows)
        sections = rebuilt.sections
        header = []
    else:
        header = header[: len(header) - len(sections)]
    # Rows that print a note after their figures ("… 157,898,909.61 资产") fill a last column
    # of words that the header names ("与资产/收益相关", "重大变动说明") or that many rows fill.
    # Otherwise the words are the label of the next, empty row that the extractor set on the
    # same line ("盈余公积 21,322,714.94 12,939,995.52 一般风险准备"): a row of their own.
    with_notes = sum(1 for row in block.rows if row.split.note)
    noted = with_notes > 0 and (
        any(_NOTE_HEADER.search(line.text) for line in block.header)
        or (with_notes >= 2 and with_notes * 3 >= sum(1 for row in block.rows if row.split.figures))
    )
    named = width + (1 if noted else 0)
    for line in header:
        cells = tokens_of(line.text)
        if numbered_names and line is block.header[-1]:
            cells = [" ".join(cells[:2]), *cells[2:]]  # 序号 and 客户名称 head the label column
        # A trailing description column that no body row fills ("2016年 2015年 同比增减 重大变动
        # 说明", "项目 期初余额 … 期末余额 形成原因") does not shift the others. The label column's
        # header cell may be empty (the first cell then names a figure column).
        label_cell = 0 if cells and _FIGURE_HEADER.search(cells[0]) else 1
        while len(cells) > named + label_cell and _DESCRIPTION_CELL.match(cells[-1]):
            cells.pop()
        if len(cells) == named or (named > width and len(cells) == width):
            cells = ["", *cells]  # the label column's header cell was empty
        sources.append(RowSource(texts=tuple(cells), lines=(line.number,), page=line.page))
    # Section words under the header ("分行业", "累计折旧") open the body: a row of their own,
    # empty cells, so the rows under them are that section's.
    sources.extend(
        RowSource(texts=(line.text.strip(), *("",) * width), lines=(line.number,), page=line.page)
        for line in sections
    )
    for position, row in enumerate(block.rows):
        label_parts = [line.text.strip() for line in row.label_before]
        label_parts.append(row.split.label)
        label_parts.extend(line.text.strip() for line in row.label_after)
        label = "".join(part for part in label_parts if part)
        label_line = (row.label_before[0] if row.label_before else row.line).number
        figures = row.split.figures or ("",) * width  # a section row's cells are printed empty
        if row.split.figures and (
            not placed
            or len(figures) != width
            or (two_decimals and _holds_broken_amount(row))
            or (not label and _opens_total(block.rows, position + 1))
        ):
            # Only a whole row that is merely short may be placed later (by the columns' kinds
            # and totals); a broken amount or a total's stray first line never.
            short = (
                placed
                and len(figures) < width
                and not (two_decimals and _holds_broken_amount(row))
                and not (not label and _opens_total(block.rows, position + 1))
            )
            sources.append(_unplaced_row(label, label_line, row, width, short=short, noted=noted))
            sources.extend(_label_after(row, width, noted))
            continue
        notes = (row.split.note,) if row.split.note and noted else ()
        texts = (label, *figures, *notes)
        lines = (label_line, *(row.line.number for _ in (*figures, *notes)))
        unparsed = frozenset(index + 1 for index in row.unparsed)
        sources.append(RowSource(texts=texts, lines=lines, page=row.line.page, unparsed=unparsed))
        sources.extend(_label_after(row, width, noted))
    return build_table(
        sources,
        source=path,
        index=index,
        header_rows=len(rebuilt.rows) if rebuilt is not None else len(header),
        unit=block.unit,
        title=block.title,
        context=block.context,
        opens_page=block.opens_page,
    )


_NUMBER_HEADER = ("序号", "排名", "名次")
_NAME_HEADER = re.compile(r"(?:名称|姓名)$")


def _numbered_names(block: _Block) -> bool:
    """A list headed "序号 客户名称 销售额（元） 占年度销售总额比例": each item prints its number and
    name as one label ("1 客户1 212,211,696.91 7.21%"), and the 合计 row a nil mark in the name
    column ("合计 -- 649,326,403.37 22.08%"). That mark is taken out of the 合计 row's figures, so
    that the rows print as many figures as the table has figure columns. Returns whether the
    header so numbers and names its rows (every item printing one figure per figure column)."""
    if not block.header:
        return False
    tokens = tokens_of(block.header[-1].text)
    if len(tokens) < 3 or tokens[0] not in _NUMBER_HEADER or not _NAME_HEADER.search(tokens[1]):
        return False
    columns = len(tokens) - 2
    items = [
        row for row in block.rows if row.split.figures and not _TOTAL_LABEL.match(row.split.label.strip())
    ]
    if not items or any(len(row.split.figures) != columns for row in items):
        return False  # "1 客户 1 553,008,178.79 4.70%": the name's number reads as a figure
    for row in block.rows:
        figures = row.split.figures
        if (
            len(figures) == columns + 1
            and is_blank(figures[0])
            and _TOTAL_LABEL.match(row.split.label.strip())
        ):
            row.split = SplitLine(row.split.label, figures[1:], row.split.dangling)
    return True


def _column_count(rows: list[_Row]) -> tuple[int, bool]:
    """The table's figure columns, and whether its full rows can be placed in them.

    Plain text has no column positions: a row printing fewer figures than the table has columns
    (its other cells were empty) cannot be placed. The rows printing every column can: the
    widest rows, when at least two rows print that many or every row does (one wider row alone
    may be a label's digits read as a figure, "组合 1 598,852,703 …"; then no row is placed).
    """
    widths = Counter(len(row.split.figures) for row in rows if row.split.figures)
    commonest = widths.most_common(1)[0][0]
    widest = max(widths)
    if widths[widest] >= 2 or len(widths) == 1:
        return widest, True
    return commonest, False


_TOTAL_LABEL = re.compile(r"^(?:合\s*计|小\s*计|总\s*计)")


def _opens_total(rows: list[_Row], position: int) -> bool:
    """The row at ``position`` is a total: a row of figures without a label right above it is that
    total's first line (a 合计 printed over two lines, its label level with the second), never an
    item it sums."""
    return position < len(rows) and bool(_TOTAL_LABEL.match(rows[position].split.label.strip()))


def _holds_broken_amount(row: _Row) -> bool:
    """A row printing an amount with one decimal among amounts printed with two: its last digit
    wrapped onto another line ("32,303,741.1" … "5"), and the row's figures cannot be trusted to
    be whole or in their columns."""
    return any(is_grouped_one_decimal(figure) for figure in row.split.figures)


def _label_after(row: _Row, width: int, noted: bool) -> list[RowSource]:
    """The words after a row's figures as the next row's label, when the table has no note column."""
    if not row.split.note or noted:
        return []
    return [RowSource(texts=(row.split.note, *("",) * width), lines=(row.line.number,), page=row.line.page)]


def _unplaced_row(
    label: str, label_line: int, row: _Row, width: int, *, short: bool = False, noted: bool = True
) -> RowSource:
    """A row whose figures cannot be placed in columns: they are kept together as one unread cell
    over every figure column, so that no column takes them for its own and none takes the row
    for empty (a total read past it is unknown, never a false alarm). A ``short`` row (fewer
    figures than columns, each whole) is marked for extract to place if its table allows."""
    joined = " ".join(row.split.figures)
    notes = (row.split.note,) if row.split.note and noted else ()  # a 说明 cell after the figures
    return RowSource(
        texts=(label, *(joined for _ in range(width)), *notes),
        lines=(label_line, *(row.line.number for _ in range(width + len(notes)))),
        page=row.line.page,
        unparsed=frozenset(range(1, width + 1)),
        spanned=frozenset(range(2, width + 1)),
        unplaced=short,
    )


def _merge_year_breaks(header: list[_Line]) -> list[_Line]:
    """A header line of lone "度" pieces finishes the years broken above it ("2023 年" / "度")."""
    result: list[_Line] = []
    for line in header:
        pieces = line.text.split()
        if result and pieces and all(piece == "度" for piece in pieces):
            previous = result[-1]
            fixed = re.sub(r"(\d{4}\s*年)(?!度)", r"\1度", previous.text, count=len(pieces))
            result[-1] = _Line(number=previous.number, page=previous.page, text=fixed)
            continue
        result.append(line)
    return result


_CELL_CLOSE = re.compile(r"(?:[(（](?:%|％|元|万元|个百分点)[)）]|%)$")


# A section word heading the rows below it.
_SECTION_CELL = re.compile(
    r"^(?:分(?:行业|产品|地区|销售模式|业务)|(?:[一二三四五六七八九十]、)?(?:账面原值|原价|原值|累计折旧|累计摊销|减值准备|账面价值|账面净值))$"
)
# A header cell naming the label column(s) ("行业分类 项目"), not a figure column.
_LABEL_HEADER_CELL = re.compile(
    r"^(?:项目|分行业|分产品|分地区|分销售模式|行业分类|产品分类|[\u4e00-\u9fff]{0,4}(?:类别|名称|分类|账龄))$"
)
# A period over a group of figure columns ("2019年", "2019年末", "本期", "上年同期").
_PERIOD_CELL = re.compile(
    r"^(?:\d{4}年(?:度|末|初|\d{1,2}月\d{1,2}日)?|(?:本报告|报告|本|上)(?:期|年度?)(?:末|初|同期)?|期(?:末|初)(?:余额)?)$"
)


@dataclass(frozen=True, slots=True)
class _RebuiltHeader:
    rows: list[RowSource]
    sections: list[_Line]  # section words printed under the header lines: body rows


def _rebuilt_header(
    header: list[_Line], sections: list[_Line], width: int, rows: list[_Row]
) -> _RebuiltHeader | None:
    """The header lines rebuilt into rows of one cell per column, when a known layout fits:
    wrapped header-cell pieces, periods over repeated leaves, cells wrapped around a line.
    The ``sections`` ending the header lines ("分行业") are left out of it and returned apart."""
    core = header[: len(header) - len(sections)]
    synthesized = _synthesize_header(core, width)
    if synthesized is not None:
        return _RebuiltHeader([synthesized], sections)
    layered = (
        _stacked_header(core, width, rows)
        or _wrapped_header(core, width, rows)
        or _centred_header(core, width, rows)
    )
    if layered is not None:
        return _RebuiltHeader(layered, sections)
    if sections:
        synthesized = _synthesize_header(header, width)  # a section word read as a header piece
        if synthesized is not None:
            return _RebuiltHeader([synthesized], [])
    return None


def _stacked_header(header: list[_Line], width: int, rows: list[_Row]) -> list[RowSource] | None:
    """Rebuild a header printed as periods over repeated leaf cells, with the columns outside
    the groups on lines of their own ("2019年 2018年" / "同比增减" / "金额 占营业收入比重 金额
    占营业收入比重", the layout of 营业收入构成, 营业成本构成 and 资产及负债状况 in plain text).

    No line has a cell per column there, so placing each line's cells from the left put the
    years over the wrong figures and "占营业收入比重" over amounts. The leaf line's cells name the
    first figure columns, each period spans an equal share of them, and the remaining cells, in
    the order printed, name the columns after them. Used only when every count fits and each
    percentage leaf stands over percentages in the rows, so a guess never misaligns the header.
    """
    lines = [tokens_of(line.text) for line in header]
    if len(lines) < 2 or any(len(cells) in (width, width + 1) for cells in lines):
        return None
    # The leaf line is the last of several cells; a lone piece below it is a wrapped description
    # of the first row ("报告期内提前偿"), kept as it was read.
    leaf_index = next((index for index in reversed(range(len(lines))) if len(lines[index]) >= 2), 0)
    leaves = lines[leaf_index]
    if not 2 <= len(leaves) < width or any(len(cells) != 1 for cells in lines[leaf_index + 1 :]):
        return None
    groups: list[str] = []
    label_cells: list[str] = []
    others: list[str] = []
    for cells in lines[:leaf_index]:
        for cell in cells:
            if _PERIOD_CELL.match(cell):
                groups.append(cell)
            elif _LABEL_HEADER_CELL.match(cell):
                label_cells.append(cell)
            else:
                others.append(cell)
    while len(others) > width - len(leaves) and _DESCRIPTION_CELL.match(others[-1]):
        others.pop()  # 重大变动说明: printed empty on every row
    if not groups or len(leaves) % len(groups) or len(others) != width - len(leaves):
        return None
    if not _headers_fit_rows([*leaves, *others], rows, width):
        return None
    span = len(leaves) // len(groups)
    top = [group for group in groups for _ in range(span)] + others
    bottom = [*leaves, *others]
    first = header[0]
    label = " ".join(label_cells)
    spanned = frozenset(1 + position for position in range(len(leaves)) if position % span)
    return [
        RowSource(texts=(label, *top), lines=(first.number,), page=first.page, spanned=spanned),
        RowSource(texts=(label, *bottom), lines=(header[leaf_index].number,), page=header[leaf_index].page),
        *(
            RowSource(texts=(line.text.strip(),), lines=(line.number,), page=line.page)
            for line in header[leaf_index + 1 :]
        ),
    ]


def _wrapped_header(header: list[_Line], width: int, rows: list[_Row]) -> list[RowSource] | None:
    """Rebuild a header whose long cells wrap around the line of short ones.

    "营业收入比上年 营业成本比上年 毛利率比上年同" / "营业收入 营业成本 毛利率" / "同期增减 同期增减
    期增减": the middle line names the first columns, the lines above and below hold the two
    halves of the last ones. Or a full line, then the last cells' second halves ("营业收入 营业成本
    毛利率 营业收入比上 营业成本比上 毛利率比上年同期" / "年同期增减 年同期增减 增减（个百分点）").
    Used only when the counts add up to the columns and every header fits its column's figures
    (a percentage word over percentages, an amount's over amounts).
    """
    lines = [tokens_of(line.text) for line in header]
    label: list[str] = []
    if len(lines) == 3:
        top, core, bottom = lines
        while core and _LABEL_HEADER_CELL.match(core[0]):
            label.append(core.pop(0))
        if not top or len(top) != len(bottom) or len(core) + len(top) != width:
            return None
        cells = [*core, *(upper + lower for upper, lower in zip(top, bottom, strict=True))]
        anchor = header[1]
    elif len(lines) == 2:
        full, tails = lines
        while len(full) > width and _LABEL_HEADER_CELL.match(full[0]):
            label.append(full.pop(0))
        if len(full) != width or not 0 < len(tails) < width:
            return None
        kept = width - len(tails)
        cells = [*full[:kept], *(head + tail for head, tail in zip(full[kept:], tails, strict=True))]
        anchor = header[0]
    else:
        return None
    if not _headers_fit_rows(cells, rows, width):
        return None
    return [RowSource(texts=(" ".join(label), *cells), lines=(anchor.number,), page=anchor.page)]


def _centred_header(header: list[_Line], width: int, rows: list[_Row]) -> list[RowSource] | None:
    """Rebuild a header whose one-line cells stand centred between the two lines of its wrapped
    cells, under a line of periods: "2024年 2023年" / "行业分类 项目 占营业成本 占营业成本 同比增减" /
    "金额 金额" / "比重 比重" (营业成本构成 in pdfplumber text). The middle line's cells and the
    joined outer cells ("占营业成本比重") alternate as the figures' kinds say: each amount word
    over amounts, each percentage word over percentages. Used only when exactly one order of
    them fits the rows, so a guess never misaligns the header.
    """
    lines = [tokens_of(line.text) for line in header]
    groups: list[str] = []
    while lines and lines[0] and all(_PERIOD_CELL.match(cell) for cell in lines[0]):
        groups.extend(lines.pop(0))
    if len(lines) != 3:
        return None
    top, middle, bottom = (list(cells) for cells in lines)
    label: list[str] = []
    while top and _LABEL_HEADER_CELL.match(top[0]):
        label.append(top.pop(0))
    if not middle or not bottom or len(bottom) > len(top) or len(top) + len(middle) != width:
        return None
    outer = [upper + lower for upper, lower in zip(top, bottom, strict=False)] + top[len(bottom) :]
    fitting = []
    for places in combinations(range(width), len(middle)):
        middles, outers = iter(middle), iter(outer)
        cells = [next(middles) if position in places else next(outers) for position in range(width)]
        if _headers_fit_rows(cells, rows, width):
            fitting.append(cells)
    if len(fitting) != 1:
        return None
    cells = fitting[0]
    spanning = len(middle) + len(bottom)
    if groups and spanning % len(groups):
        return None
    span = spanning // len(groups) if groups else 1
    top_cells = [
        groups[position // span] if position < spanning and groups else cells[position]
        for position in range(width)
    ]
    first = header[0]
    names = " ".join(label)
    spanned = frozenset(1 + position for position in range(spanning) if groups and position % span)
    return [
        RowSource(texts=(names, *top_cells), lines=(first.number,), page=first.page, spanned=spanned),
        RowSource(texts=(names, *cells), lines=(header[-2].number,), page=header[-2].page),
    ]


def _trailing_sections(header: list[_Line]) -> list[_Line]:
    """Lines of one section word ("分行业", "累计折旧") ending the header lines: the first rows of
    the body, never header cells (at least one header line is kept)."""
    count = 0
    while count + 1 < len(header):
        cells = tokens_of(header[-1 - count].text)
        if len(cells) != 1 or not _SECTION_CELL.match(cells[0]):
            break
        count += 1
    return header[len(header) - count :]


# Header words of a percentage column: a share, a rate, a change.
_PERCENT_HEADER_WORDS = re.compile(r"比重|比例|占比|%|％|率|增减|变动|百分点")


def _headers_fit_rows(headers: list[str], rows: list[_Row], width: int) -> bool:
    """Whether each header fits the figures of its column in the rows that print every figure:
    over a percentage word, percentages (or bare numbers a percentage column prints without
    %); over other words, figures most of which are not percentages."""
    full_rows = [row.split.figures for row in rows if len(row.split.figures) == width]
    if not full_rows or len(headers) != width:
        return False
    for position, header in enumerate(headers):
        column = [
            quantity for figures in full_rows if (quantity := parse_quantity(figures[position])) is not None
        ]
        if not column:
            continue
        percents = sum(1 for quantity in column if quantity.is_percent)
        if _PERCENT_HEADER_WORDS.search(header):
            if any(not quantity.is_percent and abs(quantity.value) >= 1000 for quantity in column):
                return False
        elif percents * 2 > len(column):
            return False
    return True


def _synthesize_header(header: list[_Line], width: int) -> RowSource | None:
    """Rebuild one header row from a line of cells followed by wrapped header-cell pieces.

    Extractors that emit a cell's wrapped lines one after another (pypdfium2) print
    "分行业 营业收入 营业成本 毛利率" / "（%）" / "营业收" / "入比上" / "年增减" / "（%）" …; a piece
    ending in a unit bracket closes a cell. When the first cells wrap too ("分行业 成本构成" /
    "项目 本期金额" / "本期占" / "总成本" / "比例" / "(%)" …), the whole header is read as one
    stream of pieces closed by a unit bracket or a word that ends a header cell (金额, 项目, …).
    Used only when the result has exactly one header cell per column, so a guess never
    misaligns the header.
    """
    if len(header) < 2 or len(tokens_of(header[0].text)) < 2:
        return None
    cells = _cells_after_first_line(header)
    fitted = _fit_header_cells(cells, width) if cells is not None else None
    if fitted is None:
        cells = _cells_after_first_line(header, unfinished=True)
        fitted = _fit_header_cells(cells, width) if cells is not None else None
    if fitted is None:
        pieces = sum(1 for line in header if len(line.text.split()) == 1)
        if pieces * 2 < len(header):
            return None
        cells = _cells_of_piece_stream(header)
        fitted = _fit_header_cells(cells, width) if cells is not None else None
    if fitted is None:
        return None
    first = header[0]
    return RowSource(texts=tuple(fitted), lines=(first.number,), page=first.page)


def _cells_after_first_line(header: list[_Line], *, unfinished: bool = False) -> list[str] | None:
    """The first line's cells, then cells gathered from the one-piece lines below it, each
    closed by a unit, a % or 增减.

    ``unfinished``: the first line's last cell goes on below ("营业收入 营业成本 毛利率 营业收入比上年"
    / "同期增减" / "营业成本比上年" / "同期增减" / "毛利率比上年同" / "期增减").
    """
    pieces = [line.text.strip() for line in header[1:]]
    if not pieces or any(len(piece.split()) != 1 for piece in pieces):
        return None
    cells = tokens_of(header[0].text)
    group: list[str] = []
    if unfinished:
        if not cells or _PERIOD_CELL.match(cells[-1]):
            return None  # "2018年" is a whole cell: the pieces below belong to another
        group.append(cells.pop())
    for position, piece in enumerate(pieces):
        if not unfinished and position == 0 and _CELL_CLOSE.fullmatch(piece):
            cells[-1] += piece  # "毛利率" / "（%）"
            continue
        group.append(piece)
        if _closes_cell(piece, pieces[position + 1] if position + 1 < len(pieces) else None):
            cells.append("".join(group))
            group = []
    return None if group else cells


def _closes_cell(piece: str, following: str | None = None) -> bool:
    """Whether a wrapped header piece ends its cell: a unit bracket, a %, or 增减 ("同期增减")
    unless the next piece is the cell's unit ("年增减" / "（%）")."""
    if _CELL_CLOSE.search(piece):
        return True
    return piece.endswith("增减") and not (following is not None and _CELL_CLOSE.fullmatch(following))


# A header cell over figures: a year, a period, a share or a unit.
_FIGURE_HEADER = re.compile(r"\d{4}|本期|上期|本年|上年|期末|期初|年末|年初|金额|余额|%|％")
# Words a header cell ends with (and a wrapped piece practically never does).
_CELL_CLOSE_WORD = re.compile(r"(?:金额|余额|项目|说明|行业|产品|地区)$")
# A header naming a column of words after the figures: 重大变动说明, 变动原因, 备注, 与资产/收益相关.
_NOTE_HEADER = re.compile(r"说明|原因|备注|相关|理由|用途|依据|性质|内容")
# A trailing description column ("情况说明") that no body row fills: plain text drops it.
_DESCRIPTION_CELL = re.compile(r"^(?:[\u4e00-\u9fff]{0,6}(?:说明|原因)|备注)$")


def _cells_of_piece_stream(header: list[_Line]) -> list[str] | None:
    cells: list[str] = []
    group: list[str] = []
    for line in header:
        for token in tokens_of(line.text):
            group.append(token)
            if _CELL_CLOSE.search(token) or _CELL_CLOSE_WORD.search(token):
                cells.append("".join(group))
                group = []
    return None if group else cells


def _fit_header_cells(cells: list[str], width: int) -> list[str] | None:
    """One label cell and ``width`` figure cells, or None when the cells do not fit."""
    cells = list(cells)
    while len(cells) > width + 1 and _DESCRIPTION_CELL.match(cells[-1]):
        cells.pop()
    if len(cells) == width:
        cells = ["", *cells]
    elif width + 1 < len(cells) <= width + 3:
        # Two label columns (产品, 单位) share the label cell, as they do in the body rows. A cell
        # naming a period or a figure ("2020年", "本期", "(%)") never heads a label column: there
        # the cells are pieces of a header wrapped around its first line and do not fit.
        extra = len(cells) - width
        if any(_FIGURE_HEADER.search(cell) for cell in cells[1:extra]):
            return None
        cells = [" ".join(cells[:extra]), *cells[extra:]]
    return cells if len(cells) == width + 1 else None
