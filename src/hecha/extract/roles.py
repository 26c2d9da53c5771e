"""Types for what extract learns about a table: which rows are headers, totals, 其中 breakdowns or
averages, and what each column measures (amount, share, change rate, percentage points, margin).

``analyze_table`` (in ``hecha.extract.table_roles``) fills these; rules only read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hecha.model.document import Cell, Table
from hecha.model.quantity import Quantity


class RowKind(StrEnum):
    ITEM = "item"  # an ordinary line item (an addend of the next total)
    TOTAL = "total"  # 合计 / 总计 / 总额: closes the items above it (and their subtotals)
    SUBTOTAL = "subtotal"  # 小计: closes the items since the previous subtotal/total
    OF_WHICH = "of_which"  # 其中 / 其中：xx: a breakdown of the row above it, not an addend
    AVERAGE = "average"  # 平均值 / 均值 / 行业平均: mean of the rows above it
    MEDIAN = "median"  # 中位数
    SECTION = "section"  # a heading row with a label and no figures ("流动资产：", "一、境内")
    OTHER = "other"  # a row hecha does not try to relate (notes, ratios printed as rows…)


class ColumnKind(StrEnum):
    LABEL = "label"
    AMOUNT = "amount"  # a money or count figure
    SHARE = "share"  # 占比 / 比例 / 比重: part / total
    CHANGE_RATE = "change_rate"  # 变动比例 / 同比 / 增长率 / 增减: (current − prior) / |prior|
    PP_CHANGE = "pp_change"  # 个百分点 / 变动(百分点): difference of two percentages
    MARGIN = "margin"  # 毛利率: (revenue − cost) / revenue
    DIFFERENCE = "difference"  # 变动额 / 增减额 / 差异: current − prior
    PERCENT = "percent"  # another percentage (a rate, a ratio) hecha does not relate by label
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Column:
    """One figure column of a table.

    ``header`` is the column's header text, every header row joined with " / " from top to
    bottom ("2025年度 / 金额"); ``group`` the top-level header when it spans several columns
    ("2025年度", or a segment like "环境建设"); ``period`` the period the column is about when a
    header names one ("2025年度", "2023年12月31日", "本期", "上年同期"); ``scale`` the power of ten of
    its amounts when known (4 for 万元).
    """

    index: int
    header: str
    kind: ColumnKind
    group: str = ""
    period: str | None = None
    scale: int | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One body row: its label, its role and its cells, one per ``AnalyzedTable.columns``.

    A cell is None when its value is unknown (a ragged row that could not be aligned, or a
    recognition artifact); a printed blank (-, 不适用, empty) is a Cell with ``blank`` set.
    """

    index: int
    label: str
    kind: RowKind
    cells: tuple[Cell | None, ...]
    level: int = 0  # nesting depth from numbering/indent ("1." < "(1)" < "①"), 0 when unknown
    # "减" or "加" when the label starts with 减：/加： (an operand of a computation, not a plain
    # addend of the next 合计); "" otherwise.
    sign_word: str = ""


@dataclass(frozen=True, slots=True)
class AnalyzedTable:
    """A table with its roles. ``uncertain`` names why hecha could not understand it (then rules
    skip it and it is counted as uncertain, never reported as wrong)."""

    table: Table
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    header_row_count: int
    scale: int | None = None
    uncertain: str | None = None
    label_columns: tuple[int, ...] = (0,)  # grid columns that hold the row labels
    transposed: bool = False  # periods run down the rows and metrics across the columns

    def quantity(self, row: Row, column_position: int) -> Quantity | None:
        """The figure of ``row`` in ``columns[column_position]``; None when blank or unknown."""
        cell = row.cells[column_position]
        return cell.quantity if cell is not None else None
