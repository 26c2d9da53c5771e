"""Shared table reconstruction for line-based inputs (plain text and .alltxt).

Plain text gives a table as lines "label figure figure …" with no column positions; .alltxt gives
rows of cell strings. Both end up here to become Table objects: this module splits a text line
into its label and figure cells, tells header rows from body rows, recognises page furniture
(page numbers, running titles) and builds Cells with their Locations. All figure recognition goes
through hecha.ingest.numbers; nothing here parses digits itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from hecha.ingest.numbers import (
    find_quantities,
    has_cjk,
    is_blank,
    is_unit_line,
    normalize,
    parse_quantity,
    unit_scale,
)
from hecha.model.document import Cell, Location, Table
from hecha.model.quantity import Quantity, Unit

# Direction words that change columns print before a figure ("减少 2.07 个百分点"); a line may
# end with one whose figure wrapped onto the next line.
DIRECTION_WORDS = frozenset({"增加", "减少", "上升", "下降", "提高", "降低", "增长"})
# Words that belong to the figure before them when extraction put a space in between.
_UNIT_TOKENS = frozenset({"%", "个百分点", "百分点", "个", "pp"})
# Sentence punctuation that a table label practically never carries.
_PROSE_MARKS = ("。", "；", ";", "？", "！")
_LEADER = re.compile(r"(?:\.{4,}|…{2,}|·{4,})")
_PAGE_OF = re.compile(r"^(?:第\s*)?(\d{1,4})\s*(?:/|页\s*共|of)\s*(\d{1,4})\s*页?$")
_PAGE_PLAIN = re.compile(r"^(?:[-—–]\s*)?(\d{1,4})(?:\s*[-—–])?$|^第\s*(\d{1,4})\s*页$")
_CONTINUED = re.compile(r"^[（(]?续(?:表|上表)?[)）]?[:：]?$")


@dataclass(frozen=True, slots=True)
class SplitLine:
    """A text line read as a table row: the label text and the figure cell texts after it."""

    label: str
    figures: tuple[str, ...]
    # The last figure is a bare direction word whose number wrapped onto the next line.
    dangling: bool = False
    # Words after the figures: the row's cell of a 说明 column ("主要系佣金增加所致").
    note: str = ""


def is_year(quantity: Quantity) -> bool:
    """A bare four-digit year (2019, 2020) as headers print it, not an amount."""
    return (
        quantity.unit is Unit.NUMBER
        and quantity.decimals == 0
        and quantity.scale is None
        and 1990 <= quantity.value <= 2099
        and "," not in quantity.text
    )


def is_figure_text(text: str) -> bool:
    """True when a whole cell text is one figure or a printed blank (and not empty)."""
    stripped = text.strip()
    return bool(stripped) and (parse_quantity(stripped) is not None or is_blank(stripped))


def _merge_tokens(tokens: list[str]) -> list[str]:
    """Re-join what extraction split apart: "减少 2.07", "16.43 个百分点", "2020 年"."""
    merged: list[str] = []
    for token in tokens:
        if merged:
            previous = merged[-1]
            if previous in DIRECTION_WORDS and parse_quantity(token) is not None:
                merged[-1] = previous + token
                continue
            if token in _UNIT_TOKENS and parse_quantity(previous) is not None:
                merged[-1] = previous + token
                continue
            if token.startswith("年") and re.fullmatch(r"(?:19|20)\d\d", previous):
                merged[-1] = previous + token
                continue
        merged.append(token)
    return merged


def tokens_of(line: str) -> list[str]:
    """The whitespace-separated cells of a text line after number normalization and re-joining."""
    return _merge_tokens(normalize(line).split())


_CODE = re.compile(r"0\d+")


@lru_cache(maxsize=16384)
def split_figure_line(line: str) -> SplitLine | None:
    """Read ``line`` as "label figure figure …", or None when it is not a table row.

    A row needs at least one real figure among its trailing cells; a line whose only figures are
    years is a header, and a line that reads like prose or a table of contents is not a row.
    """
    tokens = tokens_of(line)
    noted = _note_length(tokens)
    note = " ".join(tokens[len(tokens) - noted :]) if noted else ""
    tokens = tokens[: len(tokens) - noted]
    if not tokens:
        return None
    dangling = tokens[-1] in DIRECTION_WORDS
    end = len(tokens) - 1 if dangling else len(tokens)
    start = end
    while start > 0 and (is_figure_text(tokens[start - 1]) or is_figure_piece(tokens[start - 1])):
        if _CODE.fullmatch(tokens[start - 1]):
            break  # "16 宝安 01": a zero-padded number is a code ending the label, never a figure
        start -= 1
    figures = tokens[start:end]
    quantities = [q for q in (parse_quantity(t) for t in figures) if q is not None]
    label = " ".join(tokens[:start])
    if not quantities and _nil_row(label, figures):
        return SplitLine(label=_original_label(line, label), figures=tuple(figures), dangling=False)
    if not quantities or all(is_year(q) for q in quantities):
        return None
    if noted and (dangling or sum(1 for q in quantities if not is_year(q)) < 2):
        return None  # one figure before words is prose ("… 12.30 主要系"), not a row with a note
    if _LEADER.search(label) or any(mark in label for mark in _PROSE_MARKS):
        return None
    if len(label) > 40 or ("，" in label and len(label) > 20):
        return None
    # Prose wrapped just before a figure ("…同比增长 39.98%") has a long label and one figure.
    if len(figures) == 1 and len(label) > 24:
        return None
    if dangling:
        figures = [*figures, tokens[-1]]
    return SplitLine(label=_original_label(line, label), figures=tuple(figures), dangling=dangling, note=note)


# What follows a figure in prose: its unit ("158,191 万元", "3,480 万股"). A note cell never
# starts so.
UNIT_START = re.compile(r"^[元万亿千百%％股人个家吨台项次倍年月日]")


def _note_length(tokens: list[str]) -> int:
    """How many last tokens are a note cell after the row's figures ("销售费用 59,623,024.88
    43,781,054.42 36.18% 主要系佣金增加所致": a 重大变动说明 / 情况说明 column): words with no digit,
    no sentence mark and no unit word, at most two (a note wrapped in its cell goes on below)."""
    count = 0
    while count < min(2, len(tokens) - 1):
        token = tokens[len(tokens) - 1 - count]
        if (
            token in DIRECTION_WORDS
            or is_blank(token)
            or is_figure_text(token)
            or not has_cjk(token)
            or any(char.isdigit() for char in token)
            or any(mark in token for mark in (*_PROSE_MARKS, "，", ","))
            or UNIT_START.match(token)
        ):
            break
        count += 1
    if count and not is_figure_text(tokens[len(tokens) - 1 - count]):
        return 0  # the words do not follow a figure: a label or prose, not a note
    return count


def _nil_row(label: str, figures: list[str]) -> bool:
    """ "应收股利 - -": an item printed with a blank in every column is a row of its table (not the
    end of it). Two blanks at least, after a short label that is no sentence."""
    return (
        len(figures) >= 2
        and all(is_blank(text) for text in figures)
        and 0 < len(label) <= 24
        and not any(mark in label for mark in _PROSE_MARKS)
        and not _LEADER.search(label)
    )


def _original_label(line: str, normalized_label: str) -> str:
    """The label as printed (full-width brackets kept) when it can be found in the raw line."""
    if not normalized_label:
        return ""
    words = line.split()
    for count in range(1, len(words) + 1):
        candidate = " ".join(words[:count])
        if normalize(candidate) == normalized_label:
            return candidate
    return normalized_label


def is_page_number(line: str) -> bool:
    """A page-number line: "14 / 195", "第 3 页 共 10 页", "- 23 -", "23"."""
    stripped = line.strip()
    return bool(_PAGE_OF.match(stripped) or _PAGE_PLAIN.match(stripped))


def page_of_footer(line: str) -> int | None:
    """The page a "14 / 195" style footer names, for text without form feeds."""
    match = _PAGE_OF.match(line.strip())
    return int(match.group(1)) if match else None


def open_brackets(text: str) -> int:
    """How many round brackets (half or full width) ``text`` leaves open: more than 0 inside a
    bracket, as in a label wrapped before its close ("五、净利润（净亏损以“－”号填")."""
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def is_continued_marker(line: str) -> bool:
    """A "续表" / "（续）" line that says the table above goes on."""
    return bool(_CONTINUED.match(line.strip()))


def is_unit_text(line: str) -> bool:
    """A short line that states a table's unit ("单位：元 币种：人民币")."""
    stripped = line.strip()
    return is_unit_line(stripped) or (
        len(stripped) <= 40 and "单位" in stripped and unit_scale(stripped) is not None
    )


def make_cell(text: str, location: Location) -> Cell:
    return Cell(text=text, location=location, quantity=parse_quantity(text), blank=is_blank(text))


def header_row_count(rows: Sequence[Sequence[str]]) -> int:
    """How many leading rows of a cell grid are headers.

    A header row has text (or years) in its figure columns and no real figure; a row whose
    figure columns are all empty is a section row ("分行业") and ends the header.
    """
    count = 0
    for row in rows:
        filled = [text.strip() for text in row[1:] if text.strip()]
        if not filled:
            break
        quantities = [parse_quantity(text) for text in filled]
        if any(quantity is not None and not is_year(quantity) for quantity in quantities):
            break
        if all(
            quantity is None and is_blank(text) for text, quantity in zip(filled, quantities, strict=True)
        ):
            break
        count += 1
    if count == len(rows) and len(rows) > 1:
        # A table of words only (释义, 公司信息): its first row is the best header guess.
        return 1
    return count


@dataclass(frozen=True, slots=True)
class RowSource:
    """One row's cell texts and where each came from (line per cell, page of the row)."""

    texts: tuple[str, ...]
    lines: tuple[int | None, ...]
    page: int | None
    # Columns whose text is a piece of a figure broken by extraction: kept as text, never parsed,
    # so that a fragment cannot pass for a figure.
    unparsed: frozenset[int] = frozenset()
    # Columns that repeat the cell to their left (one cell spread over several grid positions).
    spanned: frozenset[int] = frozenset()
    # The row prints fewer figures than the table has columns and nothing says which columns
    # (Table.unplaced_rows).
    unplaced: bool = False


def build_table(
    rows: Sequence[RowSource],
    *,
    source: str,
    index: int,
    header_rows: int | None,
    unit: str | None,
    title: str,
    context: str,
    opens_page: bool = False,
) -> Table:
    """Turn row sources into a Table whose every Cell knows its page, line, row and column."""
    built: list[tuple[Cell, ...]] = []
    for row_index, row in enumerate(rows):
        cells = []
        for col, text in enumerate(row.texts):
            line = row.lines[col] if col < len(row.lines) else (row.lines[-1] if row.lines else None)
            location = Location(
                source=source, page=row.page, line=line, table=index, row=row_index, col=col, quote=text
            )
            spanned = col in row.spanned
            if col in row.unparsed:
                unread = any(char.isdigit() for char in text)
                cells.append(Cell(text=text, location=location, spanned=spanned, unread=unread))
            else:
                cell = make_cell(text, location)
                cells.append(replace(cell, spanned=True) if spanned else cell)
        built.append(tuple(cells))
    pages = tuple(sorted({row.page for row in rows if row.page is not None}))
    first_line = next((line for row in rows for line in row.lines if line is not None), None)
    return Table(
        index=index,
        rows=tuple(built),
        location=Location(source=source, page=pages[0] if pages else None, line=first_line, table=index),
        header_rows=header_rows,
        unit=unit,
        title=title,
        pages=pages,
        context=context,
        opens_page=opens_page,
        unplaced_rows=frozenset(position for position, row in enumerate(rows) if row.unplaced),
    )


_ITEM_START = re.compile(
    r"^(?:其中|合计|小计|总计|分行业|分产品|分地区|减[:：]|加[:：]|[0-9一二三四五六七八九十]+[、.．)]|[（(][0-9一二三四五六七八九十]+[)）])"
)


def is_item_label(text: str) -> bool:
    """A short line that opens a table row by its marker ("3.本期减少金额", "（1）处置", "合计")."""
    stripped = text.strip()
    return (
        bool(_ITEM_START.match(stripped))
        and len(stripped.split()) <= 2
        and len(stripped) <= 30
        and not stripped.endswith((*_PROSE_MARKS, "。"))
        and not is_unit_text(stripped)
        and split_figure_line(stripped) is None
    )


def merge_wrapped_rows(rows: Sequence[RowSource], header_count: int) -> list[RowSource]:
    """Join label-only rows that continue the long label of the row above.

    Cell-based extraction gives a wrapped label ("非流动资产处置损益（包括已计提资产减" /
    "值准备的冲销部分）") as two rows; the second carries no figure of its own, or only figures in
    columns the first left empty (the cell was vertically offset). A short label above ("其他")
    or an item marker below ("其中：", "合计", "（一）") means a real row, which stays.
    """
    merged: list[RowSource] = []
    last_piece = ""
    for position, row in enumerate(rows):
        previous = merged[-1] if merged else None
        if previous is not None and position > header_count and _continues_label(previous, row, last_piece):
            texts = list(previous.texts)
            lines = list(previous.lines) + [previous.lines[-1]] * (len(texts) - len(previous.lines))
            texts[0] = texts[0] + row.texts[0]
            for col in range(1, min(len(texts), len(row.texts))):
                if row.texts[col] and not texts[col]:
                    texts[col] = row.texts[col]
                    lines[col] = row.lines[col] if col < len(row.lines) else row.lines[-1]
            merged[-1] = RowSource(texts=tuple(texts), lines=tuple(lines), page=previous.page)
            last_piece = row.texts[0]
            continue
        merged.append(row)
        last_piece = row.texts[0] if row.texts else ""
    return merged


def join_broken_rows(rows: Sequence[RowSource]) -> list[RowSource]:
    """Rows whose figures a narrow cell broke over two lines, each line a row of the grid, made
    one row again (see ``_join_broken_figures``). Run before the header is counted: a first body
    row of broken pieces ("46,307,8") prints no figure and would pass for a header line."""
    joined: list[RowSource] = []
    for row in rows:
        merged = _join_broken_figures(joined[-1], row) if joined else None
        if merged is not None:
            joined[-1] = merged
        else:
            joined.append(row)
    return joined


def _join_broken_figures(previous: RowSource, row: RowSource) -> RowSource | None:
    """``previous`` with ``row`` joined in, when ``previous`` prints figures broken by a narrow
    cell ("76,663,5" over "00.00", "876,555." over "58") and ``row`` holds their ends in the same
    columns; its words continue the words above ("游客中" / "心门店"). None unless every broken
    head finds its end and nothing else collides."""
    if len(row.texts) != len(previous.texts):
        return None
    texts = list(previous.texts)
    lines = list(previous.lines) + [previous.lines[-1]] * (len(texts) - len(previous.lines))
    joined_any = False
    for col, (head, piece) in enumerate(zip(previous.texts, row.texts, strict=True)):
        if not piece.strip():
            if is_figure_head_piece(head):
                return None  # a broken head without its end
            continue
        broken = is_figure_head_piece(head)
        figure = join_figure_pieces(head, piece, tail_alone=True) if head.strip() else None
        if broken and figure is None:
            figure = _join_plain(head, piece)
        if figure is not None and parse_quantity(figure) is not None:
            # "1,562,08" + "8.83"; "287,190.9" + "1" (amounts print two decimals).
            texts[col] = figure
            joined_any = True
        elif broken:
            return None
        elif not head.strip():
            texts[col] = piece
            lines[col] = row.lines[col] if col < len(row.lines) else row.lines[-1]
        elif parse_quantity(head) is None and parse_quantity(piece) is None:
            texts[col] = head + piece  # words continuing the words above
        else:
            return None  # two figures for one cell: two rows
    if not joined_any:
        return None
    return RowSource(texts=tuple(texts), lines=tuple(lines), page=previous.page)


def _join_plain(head: str, piece: str) -> str | None:
    """``head`` + ``piece`` when together they parse as one figure ("76,663,5" + "00.00")."""
    joined = normalize(head).strip() + normalize(piece).strip()
    return joined if parse_quantity(joined) is not None else None


def _continues_label(previous: RowSource, row: RowSource, last_piece: str) -> bool:
    if len(row.texts) != len(previous.texts) or not row.texts or not row.texts[0]:
        return False
    label = row.texts[0]
    if len(last_piece) < 10 or last_piece.endswith((":", "：")) or len(label) > len(last_piece):
        return False
    if _ITEM_START.match(label):
        return False
    if not any(parse_quantity(text) is not None for text in previous.texts[1:]):
        return False
    # Figures on the continuation row may only fill cells the row above left empty.
    return all(not text or not previous.texts[col] for col, text in enumerate(row.texts) if col > 0)


# A figure broken by a cell wrap leaves pieces that are not figures on their own: a head with a
# short last group or a trailing separator ("21,676,5", "576,253,", "9,047.") and a tail that
# starts with a separator (",394.9", ".64").
_NUMERIC_PIECE = re.compile(r"[-(]?\d[\d,]*\.?\d*")
_TAIL_PIECE = re.compile(r"[,.]\d[\d,]*\.?\d*\)?%?")
_DIGITS_TAIL = re.compile(r"\d[\d,]*\.?\d*\)?%?")
_ONE_DECIMAL = re.compile(r"[-(]?(?:\d{1,3}(?:,\d{3})*|(?:,\d{3})+)\.\d")
# Amounts with thousands separators printed with one decimal, and with two.
_GROUPED_ONE_DECIMAL = re.compile(r"[-(]?\d{1,3}(?:,\d{3})+\.\d\)?")
_GROUPED_TWO_DECIMALS = re.compile(r"[-(]?\d{1,3}(?:,\d{3})+\.\d\d\)?")


def is_grouped_one_decimal(text: str) -> bool:
    """An amount with thousands separators and one decimal ("41,045,311.1"): beside amounts with
    two decimals, one whose last digit wrapped away."""
    return bool(_GROUPED_ONE_DECIMAL.fullmatch(normalize(text).strip()))


def is_grouped_two_decimals(text: str) -> bool:
    """An amount with thousands separators and two decimals ("41,045,311.18")."""
    return bool(_GROUPED_TWO_DECIMALS.fullmatch(normalize(text).strip()))


def is_figure_head_piece(text: str) -> bool:
    """A broken figure's first piece: numeric but not a figure ("21,676,5", "-105,", "9,047.")."""
    normalized = normalize(text).strip()
    return bool(_NUMERIC_PIECE.fullmatch(normalized)) and parse_quantity(normalized) is None


def is_figure_piece(text: str) -> bool:
    """A piece of a broken amount that holds a separator ("977,50", ",394.9"); never a figure."""
    if "," not in text and "，" not in text:
        return False
    normalized = normalize(text).strip()
    return "," in normalized and (is_figure_head_piece(normalized) or is_figure_tail_piece(normalized))


def is_figure_tail_piece(text: str) -> bool:
    """A broken figure's later piece that cannot start a figure (",394.9", ".64")."""
    return bool(_TAIL_PIECE.fullmatch(normalize(text).strip()))


def join_figure_pieces(head: str, tail: str, *, tail_alone: bool) -> str | None:
    """The figure (or longer head piece) that ``head`` + ``tail`` make when they are one broken cell.

    Joins only when one side cannot stand alone (a head piece, or a tail starting with a
    separator), or when a one-decimal amount ("673,335.0") is followed by a single digit alone
    on its line: amounts in these reports carry two decimals, and a wrapped cell puts its last
    digit on a line of its own. Returns None when the pieces are better left apart.
    """
    a = normalize(head).strip()
    b = normalize(tail).strip()
    if not (_NUMERIC_PIECE.fullmatch(a) or _TAIL_PIECE.fullmatch(a)):
        return None
    if not (_TAIL_PIECE.fullmatch(b) or _DIGITS_TAIL.fullmatch(b)):
        return None
    joined = a + b
    if (
        parse_quantity(joined) is None
        and not is_figure_head_piece(joined)
        and not is_figure_tail_piece(joined)
    ):
        return None
    head_broken = bool(_NUMERIC_PIECE.fullmatch(a)) and parse_quantity(a) is None
    if (head_broken and "," in a) or b.startswith(","):
        return joined
    if b.startswith(".") and "," in a:
        return joined
    if tail_alone and _ONE_DECIMAL.fullmatch(a) and len(b) == 1 and b.isdigit():
        return joined
    return None


def join_broken_cell(head: str, piece: str) -> str | None:
    """``head`` + ``piece`` when together they print one figure with its decimals complete.

    For a cell whose end wrapped onto a line printed below the row ("22,172,721.0" … "0"):
    the joined text must parse, and an amount with decimals must end with two of them.
    """
    joined = normalize(head).strip() + normalize(piece).strip()
    quantity = parse_quantity(joined)
    if quantity is None or quantity.decimals == 1:
        return None
    return joined


# Marks and words that make a line read as a sentence however many figures it holds: a table
# cell practically never carries a full stop, a semicolon or a comma clause, nor says that a
# figure "分别为" / "同比增长" / "实现" something.
_SENTENCE_MARKS = ("。", "；", ";", "！", "？", "，")
PROSE_VERBS = re.compile(
    r"分别为|分别是|分别占|同比|较上年|较上期|较年初|较期初|比上年|上年同期|实现了?|达到|"
    r"增长了|下降了|增加了|减少了|主要系|主要是|由于|导致|以及|其中[:：]?[^\s]{0,12}为"
)


@lru_cache(maxsize=16384)
def reads_as_sentence(text: str) -> bool:
    """Whether a line reads as (part of) a sentence: sentence punctuation or a verb of prose."""
    return any(mark in text for mark in _SENTENCE_MARKS) or bool(PROSE_VERBS.search(text))


_DATE_PART_AFTER = re.compile(r"\s*[年月日]")


@lru_cache(maxsize=16384)
def counted_figures(text: str) -> int:
    """How many figures a line prints that are not years or parts of a date ("2020 年 1 月 1 日")."""
    normalized = normalize(text)
    return sum(
        1
        for _, end, quantity in find_quantities(normalized)
        if not is_year(quantity) and not _DATE_PART_AFTER.match(normalized, end)
    )


@lru_cache(maxsize=16384)
def figures_dominate(text: str) -> bool:
    """At least two of the line's cells are whole figures, and they are half its cells or more.

    "存货 350,661,798.80 5.59 245,294,801.84 4.39 42.96 报告期原材料与在产" is a row however long;
    "2019 年 11 月 12 日至" is not (years do not count, and its words outnumber its figures), nor
    is a line that reads as a sentence.
    """
    if reads_as_sentence(text):
        return False  # "报告期内，公司实现营业收入 158,191 万元，同比增加 40.39%"
    cells = tokens_of(text)
    figures = sum(
        1
        for cell in cells
        if is_figure_piece(cell) or ((quantity := parse_quantity(cell)) is not None and not is_year(quantity))
    )
    return figures >= 2 and figures * 2 >= len(cells)
