"""Infers table roles: header rows, label columns, figure columns (what each measures, which period,
which scale) and body rows (合计/小计/其中/平均值/section headings, numbering level, 减：/加： words).

Every reader's grid comes through here: PDF and Markdown grids are rectangular (Markdown marks
spanned copies), plain-text rows may be ragged ("label num num…"), alltxt rows are lists of cell
strings. When the table cannot be understood the result names the reason in ``uncertain`` and the
rules skip it: a table hecha does not understand is counted, never flagged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from hecha.extract.placement import place_short_rows
from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row, RowKind
from hecha.extract.script import simplified
from hecha.ingest.numbers import has_cjk, is_blank, is_unit_line, normalize, unit_scale
from hecha.model.document import Cell, Table

_MAX_HEADER_ROWS = 4

# A header cell that names a period or a year ("2025年度", "2023年12月31日", "2025", "2024年10-12月").
_YEAR_HEADER = re.compile(r"^\s*(?:19|20)\d{2}\s*(?:年.*)?$")
_PERIOD = re.compile(
    r"(?:19|20)\d{2}\s*年\s*(?:"
    r"\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{1,2}\s*[-—~至]\s*\d{1,2}\s*月"
    r"|第?\s*[一二三四1-4]\s*季度"
    r"|[上下]半年"
    r"|度|末|初"
    r")?"
    r"|(?:19|20)\d{2}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}"
    r"|(?<![\d])(?:19|20)\d{2}(?![\d])"
)
_PERIOD_WORDS = ("本报告期", "上年同期", "本期", "本年", "上期", "上年", "期末", "期初", "年末", "年初")

# Column kinds by header words, checked in this order (the first match wins).
_PP_WORDS = ("个百分点", "百分点")
_PP_PATTERNS = (re.compile(r"毛利率.*(?:增减|变动|变化)"), re.compile(r"(?:比重|占比)(?:增减|变动|变化)"))
_CHANGE_WORDS = (
    "变动比例",
    "增减比例",
    "变动率",
    "变动幅度",
    "变化率",
    "增长率",
    "增减率",
    "增减幅度",
    "同比",
    "环比",
    "增幅",
    "涨幅",
    "降幅",
    "比上年增减",
    "比上年同期增减",
    # A balance against the year's opening one: "本年末比上年末增减" (annual report),
    # "本报告期末比上年度末增减" (half-year and quarterly reports).
    "比上年末增减",
    "比上年度末增减",
    "增减(%)",
    "变动(%)",
)
_SHARE_PATTERNS = (re.compile(r"占比|比例|比重|构成"), re.compile(r"占.*%"))
_MARGIN_WORDS = ("毛利率",)
_DIFFERENCE_WORDS = ("变动额", "增减额", "变动金额", "增减金额", "差额", "差异")
# Balances whose names hold a difference word: a temporary difference (可抵扣/应纳税暂时性差异)
# and a translation difference (外币报表折算差额) are amounts, not current − prior.
_BALANCE_DIFFERENCES = re.compile(r"暂时性差异|折算差额")
# Header words of figures that never add up across rows (prices, rates, counts of days…).
# A statement's note column ("附注", "附注五", "附註"): note numbers, not amounts.
_NOTE_HEADER = re.compile(r"^(?:附注|注释|注)[一二三四五六七八九十]{0,3}$")
_NON_ADDITIVE_WORDS = (
    "单价",
    "均价",
    "价格",
    "售价",
    "平均",
    "率",
    "倍",
    "天数",
    "人均",
    "年限",
    "期限",
    "单位成本",
    "序号",
    "排名",
    "年龄",
    "股价",
    "每股",
)

_TOTAL_LABEL = re.compile(r"^(?:合计|总计|总额|合计数|总合计|共计)|(?:合计|总计)$")
_OF_WHICH_LABEL = re.compile(r"^其中")
_AVERAGE_LABEL = re.compile(r"平均值|均值|平均数|行业平均|可比公司平均|同行业平均|平均$")
_SIGN_WORD = re.compile(r"^(减|加)\s*[:：]")
# A serial-number column printed before the name ("一 前期工程费", "2 APU", "2.1 设计费") numbers
# the same tree with spaces instead of 、: dotted numbers nest under the plain ones.
_NUMBERING = (
    (re.compile(r"^[一二三四五六七八九十]+\s*[、.．]|^[一二三四五六七八九十]{1,3}\s+\S"), 1),
    (re.compile(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]"), 2),
    (re.compile(r"^\d{1,2}\s*[、.．](?!\d)|^\d{1,2}\s+[^\d\s/年月日个%至-]"), 3),
    (re.compile(r"^[(（]\s*\d{1,2}\s*[)）]"), 4),
    (re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]"), 5),
    (re.compile(r"^\d{1,2}\.\d{1,2}\s+[^\d\s]"), 6),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\s+[^\d\s]"), 7),
)
_WHITESPACE = re.compile(r"\s+")
# What OCR makes of a printed dash: a lone "1", "一" or "二" in a column of 2-decimal figures.
_DASH_ARTIFACTS = frozenset({"1", "l", "I", "|"})


def _squeeze(text: str) -> str:
    return _WHITESPACE.sub("", simplified(normalize(text)))


def row_kind(label: str) -> RowKind:
    """The role a body row's label gives it (ITEM when it names none)."""
    squeezed = _squeeze(label)
    if not squeezed:
        return RowKind.ITEM
    if "小计" in squeezed:
        return RowKind.SUBTOTAL
    if _OF_WHICH_LABEL.search(squeezed):
        return RowKind.OF_WHICH
    if _TOTAL_LABEL.search(squeezed.rstrip(":：")):
        return RowKind.TOTAL
    if "中位数" in squeezed:
        return RowKind.MEDIAN
    if _AVERAGE_LABEL.search(squeezed):
        return RowKind.AVERAGE
    return RowKind.ITEM


def label_level(label: str) -> int:
    """Nesting depth from the label's numbering ("一、" 1 < "（一）" 2 < "1." 3 < "(1)" 4 < "①" 5)."""
    stripped = normalize(label).strip()
    for pattern, level in _NUMBERING:
        if pattern.match(stripped):
            return level
    return 0


def sign_word(label: str) -> str:
    """ "减" or "加" when the label starts with 减：/加：, else ""."""
    match = _SIGN_WORD.match(normalize(label).strip())
    return match.group(1) if match else ""


def column_period(header: str) -> str | None:
    """The period a column header names, without spaces ("2025年度", "2023年12月31日", "本期")."""
    parts = [part for part in header.split(" / ") if part.strip()]
    for part in reversed(parts):
        normalized = normalize(part)
        match = _PERIOD.search(normalized)
        if match:
            return _WHITESPACE.sub("", match.group(0))
        for word in _PERIOD_WORDS:
            if word in normalized:
                return word
    return None


def column_kind(header: str, percent_share: float) -> ColumnKind:
    """A figure column's kind from its header words; ``percent_share`` is the share of its figures
    printed with %, which decides between a percentage column and an amount column."""
    text = _squeeze(header).replace("（", "(").replace("）", ")")
    parts = [_squeeze(part) for part in header.split(" / ")]
    # A placeholder under the header ("计提比例(%) / -", a dash in a second header row) says
    # nothing: the words above it name the column.
    worded = [part for part in parts if any(char.isalnum() for char in part)]
    last = worded[-1].replace("（", "(").replace("）", ")") if worded else text
    if any(word in text for word in _PP_WORDS) or any(p.search(text) for p in _PP_PATTERNS):
        return ColumnKind.PP_CHANGE
    if any(word in text for word in _CHANGE_WORDS):
        return ColumnKind.CHANGE_RATE
    if any(p.search(last) for p in _SHARE_PATTERNS):
        return ColumnKind.SHARE
    if any(word in text for word in _MARGIN_WORDS):
        return ColumnKind.MARGIN
    named = _BALANCE_DIFFERENCES.sub("", last)
    if any(word in named for word in _DIFFERENCE_WORDS) and percent_share < 0.5:
        return ColumnKind.DIFFERENCE
    if percent_share >= 0.5 or "%" in last:
        return ColumnKind.PERCENT
    if any(word in text for word in _NON_ADDITIVE_WORDS) or _NOTE_HEADER.match(last):
        return ColumnKind.OTHER
    if last in ("变动", "增减", "变化", "变动情况") or last.endswith(("变动", "增减")):
        return ColumnKind.DIFFERENCE
    return ColumnKind.AMOUNT


@dataclass(frozen=True)
class _Grid:
    """The table's rows with the figure cells parsed once."""

    rows: tuple[tuple[Cell, ...], ...]
    width: int


def _has_figure(cell: Cell) -> bool:
    return cell.quantity is not None


def _is_year_like(cell: Cell) -> bool:
    text = normalize(cell.text).strip()
    return bool(_YEAR_HEADER.match(text)) and (cell.quantity is None or cell.quantity.decimals == 0)


def _is_header_row(row: Sequence[Cell]) -> bool:
    """A row without body figures: every non-first cell is text, a year, or empty."""
    others = row[1:]
    if not any(cell.text.strip() for cell in others):
        return False
    return all((cell.quantity is None and not cell.unread) or _is_year_like(cell) for cell in others)


def _header_count(table: Table, rows: Sequence[Sequence[Cell]]) -> int:
    if table.header_rows == 0:
        return 0  # the reader saw the first row print figures: "母公司在职员工数量 | 1998" is a row
    count = table.header_rows if table.header_rows else 0
    if count and not _names_columns(rows[:count]):
        count = 0  # the reader's "header" is a body row of a table continued from the page before
    if count == 0:
        while count < min(_MAX_HEADER_ROWS, len(rows) - 1) and _is_header_row(rows[count]):
            count += 1
        return count
    # A header the reader knows may continue with a sub-header row ("| | 金额 | 占比 |").
    while (
        count < min(_MAX_HEADER_ROWS, len(rows) - 1)
        and _is_header_row(rows[count])
        and (not rows[count][0].text.strip() or rows[count][0].spanned)
    ):
        count += 1
    return count


def _names_columns(header_rows: Sequence[Sequence[Cell]]) -> bool:
    """Header rows name most of the columns after the first (a body row leaves them blank)."""
    width = max(len(row) for row in header_rows)
    named = sum(
        1 for col in range(1, width) if any(col < len(row) and row[col].text.strip() for row in header_rows)
    )
    return named * 2 >= width - 1


def _is_sequence_column(cells: Sequence[Cell]) -> bool:
    """A 序号 column: small integers counting up."""
    values = [c.quantity.value for c in cells if c.quantity is not None and c.quantity.decimals == 0]
    return len(values) >= 2 and all(0 < value < 1000 for value in values) and values == sorted(values)


def _label_columns(
    body: Sequence[Sequence[Cell]], width: int, header_rows: Sequence[Sequence[Cell]] = ()
) -> tuple[int, ...]:
    """Leading columns that hold labels: before the first column where most cells are figures,
    or that its header names a statement's note column (附注 numbers count up like a 序号)."""
    labels = [0]
    for col in range(1, width):
        header = "".join(row[col].text for row in header_rows if col < len(row))
        if _NOTE_HEADER.match(_squeeze(header)):
            break
        cells = [row[col] for row in body if col < len(row)]
        texts = [c for c in cells if c.text.strip() and not c.blank]
        if not texts:
            break
        figures = sum(1 for c in texts if c.quantity is not None)
        if figures * 2 >= len(texts) and not _is_sequence_column(cells):
            break
        labels.append(col)
    if len(labels) == width:
        return (0,)
    return tuple(labels)


def _column_scale(header_rows: Sequence[Sequence[Cell]], col: int, header: str) -> int | None:
    """The scale a column's header names, in its text or in a unit line among its header cells."""
    scale = unit_scale(header)
    if scale is not None:
        return scale
    for row in header_rows:
        if col < len(row) and is_unit_line(row[col].text):
            return unit_scale(row[col].text)
    return None


_COLUMN_WORDS = re.compile(r"金额|比例|占比|比重|期末|期初|本期|上期|年|月|日|数量|余额")


def _is_title_row(row: Sequence[Cell]) -> bool:
    """A heading printed inside the table's top rule with its unit ("1.资产 | 及负债状况 | … |
    单位：元"): it names no column."""
    texts = [cell.text.strip() for cell in row if cell.text.strip()]
    units = [text for text in texts if is_unit_line(text)]
    others = [text for text in texts if not is_unit_line(text)]
    return bool(units) and len(others) <= 2 and not any(_COLUMN_WORDS.search(text) for text in others)


def _header_text(header_rows: Sequence[Sequence[Cell]], col: int) -> tuple[str, str]:
    """The column's header (all header rows joined " / ") and its group (a spanning top header)."""
    parts: list[str] = []
    for row in header_rows:
        if col >= len(row) or _is_title_row(row):
            continue
        text = _WHITESPACE.sub(" ", row[col].text).strip()
        # A unit line spanning the header ("单位：元") names no column; _column_scale reads it.
        if text and not is_unit_line(text) and (not parts or parts[-1] != text):
            parts.append(text)
    header = " / ".join(parts)
    group = ""
    if len(header_rows) >= 2 and col < len(header_rows[0]):
        top = header_rows[0]
        text = top[col].text.strip()
        spans = top[col].spanned or any(
            0 <= other < len(top) and top[other].text.strip() == text for other in (col - 1, col + 1)
        )
        if text and spans and len(parts) >= 2:
            group = _WHITESPACE.sub(" ", text)
    return header, group


# A header part naming a rate, and one naming an amount and nothing else.
_RATE_HEADER = re.compile(r"比例|比率|(?<!汇)率|%")
_AMOUNT_ONLY_HEADER = re.compile(r"^(?:金额|账面金额)(?:[（(][^）)]*[）)])?$")


def _rate_headed_amount(header: str) -> bool:
    """A rate column ("计提比例(%)") whose lower header row says 金额: the header rows are
    misaligned (a converter that dropped a column of one row, tongrentang's Markdown 坏账 table
    prints "期末余额-计提比例(%)" over "金额"), so no column's header can be trusted. An amount
    over a rate ("坏账准备 / 计提比例(%)") is the ordinary two-row header."""
    parts = header.split(" / ")
    return any(
        _RATE_HEADER.search(upper)
        and not _AMOUNT_ONLY_HEADER.match(upper)
        and _AMOUNT_ONLY_HEADER.match(lower)
        for position, upper in enumerate(parts)
        for lower in parts[position + 1 :]
    )


def _collapsed_equity_instruments(headers: Sequence[str]) -> bool:
    """An equity statement whose 其他权益工具 stands as one column, neither split into 优先股 /
    永续债 / 其他 below nor repeated over the three columns it spans. The statement's format
    prints three columns there; a converter that flattened the two-row header dropped two of
    them, and the figures of a row moved left into the wrong columns (tongrentang's 2023 and
    2024 Markdown: 资本公积 lost, or printed under 减：库存股)."""
    for position, header in enumerate(headers):
        if _squeeze(header) != "其他权益工具":
            continue
        neighbours = [*headers[max(position - 1, 0) : position], *headers[position + 1 : position + 2]]
        if not any(_squeeze(neighbour) == "其他权益工具" for neighbour in neighbours):
            return True
    return False


def _is_artifact(cell: Cell, column_decimals: int) -> bool:
    """A figure that cannot be what was printed: an OCR'd dash ("1" among 2-decimal figures), or
    a figure cut by a wrapped cell ("55,429,191.3" + "9" on the next line; "527,186,739.")."""
    if column_decimals < 1 or cell.quantity is None:
        return column_decimals >= 1 and cell.text.strip() in _DASH_ARTIFACTS
    if cell.quantity.is_percent:
        return False
    return cell.quantity.decimals != column_decimals or normalize(cell.text).strip().endswith(".")


_COUNT_LABEL = re.compile(
    r"[（(](?:人|个|家|项|名|次|台|套|件|户|篇)[)）]|人数|个数|家数|次数|项数|数量[（(]?人"
)
_UNIT_HEADER = re.compile(r"^(?:计量)?单位$")


def _counts_quantities(header_rows: Sequence[Sequence[Cell]], label_columns: Sequence[int]) -> bool:
    """A label column headed 单位 (千克, 吨, 万支 …): the figures are physical quantities, printed
    with as many decimals as each needs ("1,495,834.8" above "1,578,601.92"), not amounts whose
    every cell prints the column's decimals."""
    return any(
        col < len(row) and _UNIT_HEADER.match(_squeeze(row[col].text))
        for row in header_rows
        for col in label_columns
    )


def _dominant_decimals(cells: Sequence[Cell], fallback: int = 0) -> int:
    """The decimals most figures are printed with (60% or more), else ``fallback``."""
    counts = Counter(c.quantity.decimals for c in cells if c.quantity is not None)
    if not counts:
        return fallback
    decimals, hits = counts.most_common(1)[0]
    return decimals if hits * 10 >= sum(counts.values()) * 6 else fallback


def _row_label(row: Sequence[Cell], label_columns: Sequence[int]) -> tuple[str, str]:
    """The row's full label (label cells joined) and its most specific label cell's text."""
    parts: list[str] = []
    specific = ""
    for col in label_columns:
        if col >= len(row):
            continue
        text = _WHITESPACE.sub(" ", row[col].text).strip()
        # A nil mark in a label column ("合计 | --" under 序号 | 客户名称) names nothing.
        if not text or is_blank(text) or (parts and parts[-1] == text):
            continue
        parts.append(text)
        specific = text
    return " ".join(parts), specific


_SERIAL = re.compile(r"^(?:[一二三四五六七八九十]{1,3}|\d{1,2}(?:\.\d{1,2}){0,2})$")


def _serial_level(row: Sequence[Cell], label_columns: Sequence[int]) -> int:
    """The nesting a serial-number column gives the row ("一" | "前期工程费", "2.1" | "设计费")."""
    cells = [row[col].text.strip() for col in label_columns if col < len(row) and row[col].text.strip()]
    if len(cells) < 2 or not _SERIAL.match(cells[0]):
        return 0
    return label_level(f"{cells[0]} {cells[1]}")


def _specific_label(
    row: Sequence[Cell], previous: Sequence[Cell] | None, label_columns: Sequence[int]
) -> str:
    """The rightmost label cell that is not a copy of a cell spanning down from the row above
    ("总计 / 按单项计提" takes its role from "按单项计提", not from the spanning "总计")."""
    chosen = ""
    for col in label_columns:
        if col >= len(row):
            continue
        cell = row[col]
        text = cell.text.strip()
        if not text or is_blank(text):
            continue
        copied_from_above = (
            cell.spanned
            and previous is not None
            and col < len(previous)
            and previous[col].text.strip() == text
        )
        if copied_from_above and chosen:
            continue
        if copied_from_above and any(
            c < len(row) and row[c].text.strip() and row[c].text.strip() != text
            for c in label_columns
            if c > col
        ):
            continue
        chosen = text
    return chosen


def _is_heading(label: str) -> bool:
    """A label that opens a section ("流动资产：", "一、境内", "（二）外销"); an empty line item such
    as "应收股利" with blank figures is not one."""
    squeezed = _squeeze(label)
    return bool(squeezed) and (squeezed.endswith((":", "：")) or label_level(label) in (1, 2))


def _names_figures(cells: Sequence[Cell | None], columns: Sequence[Column]) -> bool:
    """A figure-less row with words where figures stand: a header of the block below it, as in
    staff tables that stack 专业构成 / 教育程度 blocks, each under its own heading row."""
    return any(
        cell is not None
        and cell.quantity is None
        and not cell.blank
        and not cell.unread
        and cell.text.strip()
        for cell, column in zip(cells, columns, strict=True)
        if column.kind is not ColumnKind.OTHER
    )


def _looks_like_repeated_header(row: Sequence[Cell], header_rows: Sequence[Sequence[Cell]]) -> bool:
    texts = [_squeeze(c.text) for c in row if c.text.strip()]
    if not texts or not header_rows:
        return False
    header_texts = {_squeeze(c.text) for hr in header_rows for c in hr if c.text.strip()}
    return sum(1 for t in texts if t in header_texts) * 2 > len(texts) and len(texts) >= 2


def analyze_table(table: Table) -> AnalyzedTable:
    """Roles of ``table``'s rows and columns; ``uncertain`` says why when it cannot be understood."""
    rows = [row for row in table.rows if any(cell.text.strip() for cell in row)]
    if len(rows) < 2:
        return _uncertain(table, "fewer than two rows")
    widths = Counter(len(row) for row in rows)
    width = max(widths)
    header_count = _header_count(table, rows)
    header_rows = rows[:header_count]
    body = rows[header_count:]
    if not body:
        return _uncertain(table, "no body rows")
    body_width = Counter(len(row) for row in body).most_common(1)[0][0]
    label_cols = _label_columns([row for row in body if len(row) == body_width], body_width, header_rows)
    first_figure_col = max(label_cols) + 1
    figure_cols = list(range(first_figure_col, width))
    if not figure_cols:
        return _uncertain(table, "no figure columns")

    aligned: list[tuple[int, tuple[Cell | None, ...], tuple[Cell, ...]]] = []
    misaligned = 0
    words_tail = _words_tail(body, width)
    for row in body:
        cells = _align(row, width, label_cols, len(figure_cols), words_tail)
        if cells is None:
            misaligned += 1
            cells = tuple(None for _ in figure_cols)
        aligned.append((rows.index(row), cells, row))
    if misaligned * 2 > len(body):
        return _uncertain(table, "rows of inconsistent length")

    scale_default = unit_scale(table.unit or "")
    if scale_default is None and table.context:
        scale_default = unit_scale(table.context.splitlines()[-1] if table.context.splitlines() else "")
    headers = [_header_text(header_rows, col) for col in figure_cols]
    if any(_rate_headed_amount(header) for header, _ in headers):
        return _uncertain(table, "header rows contradict each other (a rate column headed 金额 below)")
    if _collapsed_equity_instruments([header for header, _ in headers]):
        return _uncertain(table, "header lost columns (其他权益工具 printed as one column)")
    columns: list[Column] = []
    for position, col in enumerate(figure_cols):
        header, group = headers[position]
        column_cells = [cells[position] for _, cells, _ in aligned if cells[position] is not None]
        figures = [c for c in column_cells if c is not None and c.quantity is not None]
        percent = sum(1 for c in figures if c.quantity is not None and c.quantity.is_percent)
        texts = [c for c in column_cells if c is not None and c.text.strip() and not c.blank]
        kind = column_kind(header, percent / len(figures) if figures else 0.0)
        if texts and len(figures) * 2 < len(texts):
            kind = ColumnKind.OTHER  # mostly words: a description column, not figures
        scale = _column_scale(header_rows, col, header)
        columns.append(
            Column(
                index=col,
                header=header,
                kind=kind,
                group=group,
                period=column_period(header),
                scale=scale if scale is not None else scale_default,
            )
        )
    if not any(c.kind is not ColumnKind.OTHER for c in columns):
        return _uncertain(table, "no figure columns")

    # The decimals figures are printed with: the column's when clear, else the whole table's.
    by_column: list[list[Cell]] = [
        [c for _, row_cells, _ in aligned if (c := row_cells[p]) is not None] for p in range(len(columns))
    ]
    table_decimals = _dominant_decimals(
        [c for found in by_column for c in found if c.quantity is None or not c.quantity.is_percent]
    )
    decimals = [_dominant_decimals(found, table_decimals) for found in by_column]
    if _counts_quantities(header_rows, label_cols):
        decimals = [0] * len(columns)  # no figure was cut: quantities print the decimals they need
    body_rows: list[Row] = []
    previous_raw: tuple[Cell, ...] | None = None
    in_of_which_block = False
    for grid_index, cells, raw in aligned:
        # A row of counts prints whole numbers among amounts with decimals ("研发人员数量（人）
        # 443 405 9.38%" over "研发投入金额（元） 122,548,224.53 …"): none of them is an artifact.
        counted = bool(_COUNT_LABEL.search(_squeeze(_row_label(raw, label_cols)[0])))
        cleaned = tuple(
            None if cell is not None and _is_artifact(cell, 0 if counted else decimals[p]) else cell
            for p, cell in enumerate(cells)
        )
        printed_figures = any(
            c is not None and (c.quantity is not None or c.text.strip() in _DASH_ARTIFACTS) for c in cells
        )
        label, _ = _row_label(raw, label_cols)
        specific = _specific_label(raw, previous_raw, label_cols)
        previous_raw = raw
        role = row_kind(specific)
        if not _squeeze(label) and grid_index in table.layout_totals:
            role = RowKind.TOTAL
        # A figure printed but unread (its column unknown) still makes the row an item with
        # figures, never a heading over the rows below.
        has_figures = any(c is not None and (c.quantity is not None or c.unread) for c in cleaned)
        if _looks_like_repeated_header(raw, header_rows) or (printed_figures and not has_figures):
            role = RowKind.OTHER  # a repeated header, or a wrapped line's figure fragments
        elif (
            not has_figures
            and role is RowKind.ITEM
            and (_is_heading(specific) or grid_index in table.layout_headings)
        ):
            role = RowKind.SECTION
        elif not has_figures and role is RowKind.ITEM and _names_figures(cleaned, columns):
            role = RowKind.SECTION  # a sub-header inside the body ("专业构成类别 | 专业构成人数")
        if role is RowKind.OF_WHICH and _squeeze(specific).rstrip(":：") == "其中":
            in_of_which_block = True  # "其中：" alone: the rows below break down the row above
        elif role in (RowKind.TOTAL, RowKind.SUBTOTAL, RowKind.SECTION, RowKind.OTHER):
            in_of_which_block = False
        elif role is RowKind.ITEM and in_of_which_block:
            role = RowKind.OF_WHICH
        body_rows.append(
            Row(
                index=grid_index,
                label=label,
                kind=role,
                cells=cleaned,
                level=label_level(specific) or _serial_level(raw, label_cols),
                sign_word=sign_word(specific),
            )
        )
    _mark_group_heads(body_rows)
    _mark_aging_breakdowns(body_rows)
    transposed = _is_transposed(body_rows, columns)
    return place_short_rows(
        AnalyzedTable(
            table=table,
            columns=tuple(columns),
            rows=tuple(body_rows),
            header_row_count=header_count,
            scale=scale_default,
            label_columns=tuple(label_cols),
            transposed=transposed,
        )
    )


_AGING_OPEN = re.compile(r"^(\d+)\s*年以上")
_AGING_FIRST = re.compile(r"^其中[:：]?\s*\d+\s*(?:年|个月)以内")
_AGING_RANGE = re.compile(r"^(\d+)\s*(?:至|-|~|到)\s*\d+\s*年|^(\d+)\s*年以上")


def _mark_group_heads(rows: list[Row]) -> None:
    """A named total amid the items of a table that a 合计 closes further down, with its 其中
    rows right under it ("政府补助" / "非流动资产报废合计" / "其中：固定资产报废利得" / … / "合计"),
    heads a breakdown: it is an item of that 合计, not a total closing the rows above it. A bare
    合计 / 总计, and a named total opening its block ("资产总计" / "其中：流动资产"), stay totals."""
    for position in range(1, len(rows) - 1):
        row = rows[position]
        if row.kind is not RowKind.TOTAL or rows[position + 1].kind is not RowKind.OF_WHICH:
            continue
        if rows[position - 1].kind is not RowKind.ITEM or _BARE_TOTAL.match(
            _squeeze(row.label).rstrip(":：")
        ):
            continue
        if any(later.kind is RowKind.TOTAL for later in rows[position + 2 :]):
            rows[position] = replace(row, kind=RowKind.ITEM)


_BARE_TOTAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.．])?(?:合计|总计|小计|总额|合计数|总合计|共计)$")


def _mark_aging_breakdowns(rows: list[Row]) -> None:
    """An aging row "3年以上" followed by "3至4年", "4至5年", "5年以上": those rows break it down
    (an implicit 其中), they are not further addends. Likewise the bands after "其中：1年以内"
    ("1-2年", "2-3年", "5年以上"): the 其中 opens the whole aging breakdown of the row above."""
    for position, row in enumerate(rows):
        if row.kind is RowKind.OF_WHICH and _AGING_FIRST.match(_squeeze(row.label)):
            following = position + 1
            while (
                following < len(rows)
                and rows[following].kind is RowKind.ITEM
                and _AGING_RANGE.match(_squeeze(rows[following].label))
            ):
                rows[following] = replace(rows[following], kind=RowKind.OF_WHICH)
                following += 1
            continue
        opened = _AGING_OPEN.match(_squeeze(row.label))
        if row.kind is not RowKind.ITEM or opened is None:
            continue
        floor = int(opened.group(1))
        following = position + 1
        while following < len(rows) and rows[following].kind is RowKind.ITEM:
            ranged = _AGING_RANGE.match(_squeeze(rows[following].label))
            if ranged is None or int(ranged.group(1) or ranged.group(2)) < floor:
                break
            rows[following] = replace(rows[following], kind=RowKind.OF_WHICH)
            following += 1


def _words_tail(body: Sequence[Sequence[Cell]], width: int) -> int:
    """How many last columns hold only words in the rows printed full width: a 说明 column that
    plain text prints only where a row has a note ("销售费用 … 36.18% 主要系佣金增加所致")."""
    full = [row for row in body if len(row) == width]
    count = 0
    while count < width - 1 and full:
        cells = [row[width - 1 - count] for row in full]
        if any(c.quantity is not None or c.unread or c.blank or not has_cjk(c.text) for c in cells):
            break
        count += 1
    return count


def _align(
    row: Sequence[Cell], width: int, label_cols: Sequence[int], figure_count: int, words_tail: int = 0
) -> tuple[Cell | None, ...] | None:
    """The row's figure cells, one per figure column; None when a ragged row cannot be aligned.
    A ragged row may leave out the ``words_tail`` last columns (notes it does not have)."""
    first = max(label_cols) + 1
    if len(row) == width:
        return tuple(row[first:])
    # A ragged row (plain text): its figure cells are the cells after its leading words.
    start = 0
    while start < len(row) and row[start].quantity is None and not row[start].blank:
        start += 1
    start = max(start, min(1, len(row)))
    figures = list(row[start:])
    if len(figures) == figure_count:
        return tuple(figures)
    if figure_count - words_tail <= len(figures) < figure_count and all(
        c.quantity is not None or c.blank for c in figures
    ):
        return (*figures, *(None for _ in range(figure_count - len(figures))))
    if not any(c.quantity is not None or c.unread for c in figures):
        return tuple(None for _ in range(figure_count))  # a heading row: nothing to place
    return None


def _is_transposed(rows: Sequence[Row], columns: Sequence[Column]) -> bool:
    """Periods down the rows (labels are years) and no period in the column headers."""
    if not rows or any(column.period for column in columns):
        return False
    periods = sum(1 for row in rows if column_period(row.label) and len(_squeeze(row.label)) <= 14)
    return periods * 2 > len(rows)


def _uncertain(table: Table, reason: str) -> AnalyzedTable:
    return AnalyzedTable(table=table, columns=(), rows=(), header_row_count=0, uncertain=reason)
