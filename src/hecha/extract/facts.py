"""Builds a document's fact base: facts from tables and prose, claims from prose, and the link
between prose figures and the facts they restate.

A table fact is one figure cell: its metric and entity come from the row label, the column's
header and group, and the table's title and context; its period from the column (or, in a
transposed table, the row), else the table's context. A fact whose metric hecha cannot name from
the synonym table (an unknown row label, a 合计/其他 row) keeps its label as metric but gets an
entity scoped to its table and row ("表12行3"), so that it can only be "the same fact" as itself:
false alarms cost more than misses.
"""

from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from hecha.extract import metrics
from hecha.extract.factbase import FactBase, NumericToken, TokenClass
from hecha.extract.periods import find_periods, parse_period, report_year
from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row, RowKind
from hecha.ingest.numbers import parse_quantity
from hecha.model.document import Document, Location, Table
from hecha.model.facts import Claim, ClaimKind, Fact, FactSource, Period
from hecha.model.quantity import Interval, Quantity, Unit

# What a column of each kind states about the row's metric.
_KIND_SUFFIX: dict[ColumnKind, str] = {
    ColumnKind.SHARE: metrics.SHARE_SUFFIX,
    ColumnKind.CHANGE_RATE: metrics.CHANGE_RATE_SUFFIX,
    ColumnKind.PP_CHANGE: metrics.PP_CHANGE_SUFFIX,
    ColumnKind.DIFFERENCE: metrics.DIFFERENCE_SUFFIX,
}
_RATIO_KINDS = frozenset(
    {ColumnKind.SHARE, ColumnKind.CHANGE_RATE, ColumnKind.PP_CHANGE, ColumnKind.MARGIN, ColumnKind.PERCENT}
)
# Words of a header that say how a column measures, not what: dropped before naming the metric.
_MEASURE_WORDS = re.compile(
    r"(?:同比变动|同比增减|同比增长率?|同比变化|变动比例|变动幅度|变动率|增减比例|增减幅度|增长率|"
    r"变动金额|变动额|增减额|增减变动|增减|变动|变化|占比|比例|比重|百分点|金额|余额|发生额|"
    r"数额|数值|合计数|本期数|上期数|期末数|期初数|增长|下降|增加|减少|数|额)$"
)
_RING_WORDS = ("环比",)
# Row labels that name no item of their own: a total, a remainder, an average.
_GENERIC_LABELS = frozenset(
    [
        "合计",
        "总计",
        "小计",
        "其他",
        "其它",
        "其中",
        "平均",
        "平均值",
        "均值",
        "中位数",
        "行业平均",
        "可比公司平均",
        "项目",
        "总额",
        "差异",
        "差额",
        "变动",
        "增减",
        "小计数",
    ]
)
_TOTAL_SUFFIX = re.compile(r"(?<=..)(?:小计|合计|总计)$")


@dataclass(frozen=True, slots=True)
class _ColumnReading:
    """What a column says about its cells: period, metric, entity, and how it measures."""

    period: Period | None
    metric: str  # a known metric the header names, or ""
    vague_metric: str  # "收入" / "成本" when the header says only that
    entity: str | None  # None: the header names no entity; "" the company itself (合计)
    qualifier: str  # an unknown header word that makes the column's metric its own
    suffix: str  # 变动比例 / 占比 / … for derived columns
    ratio: bool
    compared: bool = False  # a change "比上年增减": about the report year, compared with the last


def build_fact_base(document: Document, tables: Sequence[AnalyzedTable]) -> FactBase:
    """Every fact the document states in its tables and prose, its claims, and its prose
    figures classified (linked to a claim or a fact, excluded as a year/ordinal/…, or unlinked)."""
    year = report_year(document)
    facts: list[Fact] = []
    scopes = table_scopes(document)
    for analyzed in tables:
        facts.extend(table_facts(analyzed, year, scopes.get(analyzed.table.index)))
    aliases = entity_aliases(document, facts)
    facts = [replace(fact, entity=aliases[fact.entity]) if fact.entity in aliases else fact for fact in facts]
    claims, tokens = _extract_claims(document, year)
    claims = resolve_claims(claims, facts, document, year, aliases)
    facts.extend(prose_facts(claims))
    linked = link_tokens(tokens, facts)
    return FactBase(facts=tuple(facts), claims=tuple(claims), tokens=tuple(linked), report_year=year)


# --- claims (written by another module; absent until it lands) -------------------------------

_ClaimExtractor = Callable[[Document, int | None], tuple[list[Claim], list[NumericToken]]]


def _claim_extractor() -> _ClaimExtractor | None:
    try:
        module = importlib.import_module("hecha.extract.claims")
    except ImportError:
        return None
    extractor: _ClaimExtractor | None = getattr(module, "extract_claims", None)
    return extractor


def _extract_claims(document: Document, year: int | None) -> tuple[list[Claim], list[NumericToken]]:
    extractor = _claim_extractor()
    if extractor is None:
        return [], []
    claims, tokens = extractor(document, year)
    return list(claims), list(tokens)


# --- the statement or section a table stands in ---------------------------------------------

# A parent company's statements and their notes repeat the consolidated labels (货币资金,
# 营业收入…) with other figures; a segment note repeats them per segment. The scope a table stands
# in is read from the headings above it, in reading order, and carried until another heading
# changes it: continuation pages and "(续)" tables carry no heading of their own.
_HEADING_NUMBER = r"、?(?:第[一二三四五六七八九十]+节|[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]?)?"
_STATEMENT_NAME = (
    r"(?P<scope>母公司|合并)"
    r"(?:资产负债表|利润表|现金流量表|所有者权益变动表|股东权益变动表|财务报表)(?P<rest>.{0,16})$"
)
_STATEMENT_HEADING = re.compile(r"^" + _HEADING_NUMBER + _STATEMENT_NAME)
# Text extraction may glue the next statement's heading to the signatures closing the previous
# one ("…会计机构负责人：袁宏母公司资产负债表2020 年 12 月 31 日").
_SIGNED_STATEMENT_HEADING = re.compile(r"负责人[:：].{0,60}?" + _STATEMENT_NAME)
# "十八、补充资料" / "第十一节 …": a heading of the top level ends the 母公司 notes.
_TOP_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+节|[一二三四五六七八九十]{1,3}、)\S{1,30}$")
# Lines of a statement a text reader left outside its table ("五、其他综合收益的税后净额",
# "一、经营活动产生的现金流量：") are numbered like top-level headings but end nothing.
_STATEMENT_LINE_WORDS = re.compile(
    r"收入|成本|利润|收益|损失|费用|现金|资产|负债|权益|股本|资本|公积|余额|变动|每股|综合|净额|合计|总额|分配"
)
# "6、分部信息" / "（2）报告分部的财务信息": a numbered heading of any level opens or closes a section.
_SUB_HEADING = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．])\S{1,30}$"
)
PARENT_SCOPE = "母公司"
SEGMENT_SCOPE = "分部"


@dataclass(frozen=True, slots=True)
class TableScope:
    """Where a table stands: ``entity`` the scope prefix of its facts ("母公司", "分部", "" in the
    consolidated statements), ``heading`` the note heading above it ("22、在建工程")."""

    entity: str = ""
    heading: str = ""


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where the reading stands: under a parent-company heading, under a segment heading."""

    parent: bool = False
    segment: bool = False

    @property
    def entity(self) -> str:
        return "·".join(
            word for word, on in ((PARENT_SCOPE, self.parent), (SEGMENT_SCOPE, self.segment)) if on
        )

    def after(self, line: str) -> _Scope:
        """The scope after reading ``line`` (a paragraph, a title line, a heading row)."""
        compact = _compact_text(line)
        if not compact:
            return self
        statement = _STATEMENT_HEADING.match(compact) if len(compact) <= 40 else None
        if statement is None and "负责人" in compact:
            statement = _SIGNED_STATEMENT_HEADING.search(compact)
        if statement is not None and not re.search(r"[，。；;、]", statement.group("rest")):
            return _Scope(parent=statement.group("scope") == "母公司", segment=False)
        if len(compact) > 40:
            return self
        if _TOP_HEADING.match(compact) and not _STATEMENT_LINE_WORDS.search(compact):
            return _Scope()
        if _SUB_HEADING.match(compact):
            return replace(self, segment="分部" in compact)
        return self


def _compact_text(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _block_position(location: Location) -> tuple[int, int, int]:
    top = int(location.bbox[1]) if location.bbox is not None else 0
    return (location.page or 0, location.line or 0, top)


def table_scopes(document: Document) -> dict[int, TableScope]:
    """Where each table (by index) starts: its entity prefix, "母公司" under a parent company
    statement or its notes, "分部" under a segment note, "" in the consolidated statements and
    elsewhere; and the note heading ("22、在建工程") it stands under. Headings are read in
    reading order, from paragraphs, from the tables' titles and context lines, and from heading
    rows inside tables (a reader may join the consolidated and the parent-company balance sheet
    into one table)."""
    blocks: list[tuple[tuple[int, int, int], int, int]] = [
        (_block_position(paragraph.location), 0, position)
        for position, paragraph in enumerate(document.paragraphs)
    ]
    blocks += [
        (_block_position(table.location), 1, position) for position, table in enumerate(document.tables)
    ]
    blocks.sort()
    scope = _Scope()
    heading = ""
    found: dict[int, TableScope] = {}
    for _, kind, position in blocks:
        if kind == 0:
            text = document.paragraphs[position].text
            scope = scope.after(text)
            heading = _heading_after(heading, text)
            continue
        table = document.tables[position]
        for line in [*table.context.splitlines(), table.title]:
            scope = scope.after(line)
            heading = _heading_after(heading, line)
        found[table.index] = TableScope(scope.entity, heading)
        for row_scope in _row_scopes(table, scope).values():
            scope = row_scope
    return found


# "22、在建工程" (PDF text may print "21固定资产、"): a note of the financial statements.
_NOTE_HEADING = re.compile(r"^\d{1,2}(?:[、.．]\D{1,20}|[^\d、.．]{1,20}、)$")


def _heading_after(heading: str, line: str) -> str:
    """The note heading in force after ``line``: a new note heading, "" after a top-level one."""
    compact = _compact_text(line)
    if len(compact) > 24:
        return heading
    if _NOTE_HEADING.match(compact):
        return compact
    if _TOP_HEADING.match(compact) and not _STATEMENT_LINE_WORDS.search(compact):
        return ""
    return heading


def _row_scopes(table: Table, start: _Scope) -> dict[int, _Scope]:
    """The scope from each heading row of ``table`` on ({} when it has none)."""
    changes: dict[int, _Scope] = {}
    scope = start
    for index, row in enumerate(table.rows):
        label = " ".join(cell.text for cell in row if cell.quantity is None and cell.text.strip())
        if "表" not in label and "注释" not in label:
            continue
        changed = scope.after(label.replace("单位：元", "").replace("单位:元", ""))
        if changed != scope:
            changes[index] = scope = changed
    return changes


def _scope_entity(scope: str, entity: str) -> str:
    """``entity`` within a scope ("母公司", "母公司·芯存科技"); cell-scoped entities stay as they are."""
    if not scope or entity.startswith(("表", "段")):
        return entity
    return scope + (f"·{entity}" if entity else "")


def prose_facts(claims: Iterable[Claim]) -> list[Fact]:
    """The VALUE claims of prose, as facts (source PROSE or INQUIRY)."""
    found = []
    for claim in claims:
        if claim.kind is not ClaimKind.VALUE or not claim.metric or claim.approximate:
            continue  # an approximate figure (逾140亿元) is no statement of the fact's value
        scale = claim.scale if claim.scale is not None else claim.quantity.scale
        if claim.quantity.unit in (Unit.PERCENT, Unit.PERCENT_POINT, Unit.COUNT, Unit.MULTIPLE):
            scale = None
        entity = claim.entity
        if not _comparable_metric(claim.metric):
            # A metric the synonym table does not know ("计提比例", "回款") may mean different
            # things in two sentences: the fact is only the same as itself.
            where = claim.location.line if claim.location.line is not None else claim.location.page
            entity = f"段{where}" + (f":{entity}" if entity else "")
        found.append(
            Fact(
                metric=claim.metric,
                metric_text=claim.metric_text,
                entity=entity,
                period=claim.period,
                quantity=claim.quantity,
                scale=scale,
                location=claim.location,
                source=claim.source,
            )
        )
    return found


def _comparable_metric(metric: str) -> bool:
    """A metric two statements can share: a known one, or the segment "收入"/"成本"."""
    for suffix in (metrics.CHANGE_RATE_SUFFIX, metrics.SHARE_SUFFIX, metrics.PP_CHANGE_SUFFIX):
        if metric.endswith(suffix) and metric != suffix:
            metric = metric[: -len(suffix)]
            break
    return metrics.is_known_metric(metric) or metric in metrics.VAGUE_METRICS


# --- tables -----------------------------------------------------------------------------------


def table_facts(analyzed: AnalyzedTable, year: int | None, scope: TableScope | None = None) -> list[Fact]:
    """One fact per figure cell of ``analyzed`` (blank and unparsed cells state none).

    ``scope`` is where the table stands (see ``table_scopes``): its entity prefix ("母公司",
    "分部"), which heading rows inside the table ("母公司资产负债表") change from that row on, and
    the heading that names what the table itemizes.
    """
    if not analyzed.columns or not analyzed.rows:
        return []
    scope = scope or TableScope()
    start = _Scope(parent=PARENT_SCOPE in scope.entity, segment=SEGMENT_SCOPE in scope.entity)
    scope_changes = _row_scopes(analyzed.table, start)
    row_scope = start.entity
    table = analyzed.table
    context_period = _context_period(table.title, table.unit or "", table.context, year)
    column_year = _titled_year(context_period, year)
    readings = _with_group_periods(analyzed.columns, [_read_column(c, column_year) for c in analyzed.columns])
    readings = _with_sibling_metric(_with_compared_period(readings))
    row_metrics = [_known_metric(row.label) for row in analyzed.rows]
    base_metric = _table_metric(analyzed, row_metrics) or _column_metric(readings)
    parts = _part_rows(analyzed, row_metrics, scope.heading)
    adjustment = _ADJUSTMENT_TABLE.search(
        _compact_text(" ".join([table.title, table.unit or "", *table.context.splitlines()[-2:]]))
    )
    found: list[Fact] = []
    # In a table of sections ("一、账面原值 … 二、累计折旧 … 四、账面价值"), rows before the first
    # section row stand under a section the header named, which hecha does not read.
    section: str | None = None if any(row.kind is RowKind.SECTION for row in analyzed.rows) else ""
    for row, row_metric in zip(analyzed.rows, row_metrics, strict=True):
        for index in [index for index in scope_changes if index <= row.index]:
            row_scope = scope_changes.pop(index).entity
        if row.kind is RowKind.SECTION or (
            row.label
            and all(cell is None or cell.quantity is None for cell in row.cells)
            and not any(cell is not None and cell.unread for cell in row.cells)
        ):
            # "分行业" / "分产品" / "分地区": the same label ("染料") under two sections is two items.
            section = metrics.clean_label(row.label)
            continue
        row_period = parse_period(row.label, year) if analyzed.transposed or not row_metric else None
        for position, (column, reading) in enumerate(zip(analyzed.columns, readings, strict=True)):
            if column.kind in (ColumnKind.LABEL, ColumnKind.OTHER):
                continue
            cell = row.cells[position] if position < len(row.cells) else None
            if cell is None or cell.blank or cell.quantity is None:
                continue
            fact = _cell_fact(
                analyzed,
                row,
                row_metric,
                column,
                reading,
                base_metric,
                row_period,
                context_period,
                section,
                cell.quantity,
                year,
            )
            if fact is not None:
                entity = _scope_entity(row_scope, fact.entity)
                if adjustment is not None or row.index in parts:
                    entity = _scoped(analyzed, row, column, entity)
                found.append(replace(fact, entity=entity, quantity=cell.quantity, location=cell.location))
    return _unique_in_rows(analyzed, found)


_PLACEHOLDER = Quantity(Decimal(0), 0)
# A table of the effects of a change of policy or a restatement ("受影响的报表项目 | 影响金额"):
# its figures are differences, not the items' balances.
_ADJUSTMENT_TABLE = re.compile(r"影响金额|影响数|调整金额|调整数|累积影响")


def _part_rows(analyzed: AnalyzedTable, row_metrics: list[str], heading: str) -> frozenset[int]:
    """Rows that are one part of the item the table's heading names: under "22、在建工程" a table
    of 在建工程 / 工程物资 / 合计 itemizes the balance-sheet line, and its row "在建工程" is the
    projects alone, not the line."""
    table = analyzed.table
    subject = _metric_in_text(heading) or _metric_in_text(
        " ".join([table.title, *table.context.splitlines()[-2:]])
    )
    if not subject:
        return frozenset()
    has_total = any(
        row.kind is RowKind.TOTAL and metrics.clean_label(row.label) in ("合计", "总计")
        for row in analyzed.rows
    )
    if not has_total:
        return frozenset()
    return frozenset(
        row.index for row, metric in zip(analyzed.rows, row_metrics, strict=True) if metric == subject
    )


def _cell_fact(
    analyzed: AnalyzedTable,
    row: Row,
    row_metric: str,
    column: Column,
    reading: _ColumnReading,
    base_metric: str,
    row_period: Period | None,
    context_period: Period | None,
    section: str | None = "",
    quantity: Quantity = _PLACEHOLDER,
    year: int | None = None,
) -> Fact | None:
    label = _clean_label(row.label)
    row_entity: str | None = None
    metric = row_metric
    metric_text = label
    period_row = False
    if not metric:
        entity_part, metric_part = _split_entity(row.label)
        known = _known_metric(metric_part)
        # "主营业务" under "收入" (the revenue note's 主营业务 / 其他业务 rows): the company's
        # 主营业务收入, not the revenue of a segment "主营".
        line_metric = _known_metric(label + reading.vague_metric) if reading.vague_metric else ""
        if line_metric and not reading.metric:
            metric = line_metric
        elif known and entity_part:
            metric, row_entity = known, entity_part
        elif row_period is not None and analyzed.transposed:
            metric = ""  # the row is a period; the column names the metric
            period_row = True
        elif reading.metric or base_metric or reading.vague_metric:
            row_entity = _row_entity(label)
    if not metric:
        metric = reading.metric or _refine(reading.vague_metric, base_metric)
        metric_text = metric_text if row_entity is not None else (reading.metric or metric_text)
    resolved = bool(metric)
    if not metric:
        metric = label or metrics.clean_label(column.header)
    if reading.qualifier:
        # A column that measures something the synonym table does not know: its own metric.
        metric = f"{metric}·{reading.qualifier}"
        resolved = False
    if reading.suffix:
        metric += reading.suffix
    elif column.kind is ColumnKind.MARGIN and metric != "毛利率":
        metric = "毛利率" if resolved else metric + "·毛利率"
    if row_entity and section:
        row_entity = f"{section}:{row_entity}"
    if period_row:
        # "期末余额" under "二、累计折旧" is the balance of accumulated depreciation, not of the
        # asset: the section is the entity; a movement row ("本期增加金额") is a flow, not the
        # period's balance, and its own fact.
        if section is None or not _is_balance_row(label, year):
            resolved = False
        elif section:
            row_entity = section
    entity = _combine_entities(reading.entity, row_entity)
    if row_entity == "" and (label in _GENERIC_LABELS or not label):
        # A total row, or a row whose label a reader split onto another line: no item of its own.
        resolved = False
    if row_period is not None and not analyzed.transposed and _relative(row.label):
        # "上年年末余额" in an equity statement is relative to its section (本期 or 上期), which
        # the table does not say: the period is not known.
        resolved = False
    if column.kind is ColumnKind.PERCENT and not reading.metric:
        # A percentage column whose header names no metric: a rate of what, hecha cannot say.
        resolved = False
    if not _kind_agrees(column.kind, quantity):
        # A misread header (a share column holding 2,941,412,770.30): name nothing.
        resolved = False
    period = reading.period or row_period or context_period
    if analyzed.transposed and row_period is not None:
        period = row_period
    if period is None and not reading.ratio:
        # An amount of no known period: two tables' "染料 营业成本" may be two different years.
        resolved = False
    if not resolved or entity is None:
        entity = _scoped(analyzed, row, column, entity)
    scale = None if reading.ratio else (column.scale if column.scale is not None else analyzed.scale)
    return Fact(
        metric=metric,
        metric_text=metric_text,
        entity=entity,
        period=period,
        quantity=_PLACEHOLDER,
        scale=scale,
        location=analyzed.table.location,
        source=FactSource.TABLE,
    )


_BALANCE_WORDS = frozenset({"", "余额", "金额", "数", "账面余额", "账面价值", "发生额", "合计"})


@lru_cache(maxsize=4096)
def _is_balance_row(label: str, year: int | None) -> bool:
    """True for a period row that states the period's amount itself ("期末余额", "2019年12月31日"),
    not a movement within it ("本期增加金额", "本期计提")."""
    compact = _compact_text(metrics.clean_label(label))
    for found in reversed(list(find_periods(compact, year))):
        compact = compact[: found.start] + compact[found.end :]
    return compact.strip("：:") in _BALANCE_WORDS


def _relative(label: str) -> bool:
    return not any(char.isdigit() for char in label)


def _scoped(analyzed: AnalyzedTable, row: Row, column: Column, entity: str | None) -> str:
    """An entity that makes a fact's key its cell's own ("表12行3列2"): nothing else can be
    "the same fact" as a figure whose metric or entity hecha could not name."""
    scope = f"表{analyzed.table.index + 1}行{row.index + 1}列{column.index + 1}"
    return scope + (f":{entity}" if entity else "")


def _unique_in_rows(analyzed: AnalyzedTable, facts: list[Fact]) -> list[Fact]:
    """Two cells of one row with one key mean hecha misread a header (two columns both "2019");
    two cells of one table with one key and different values mean it misread a label (two
    "押金保证金" rows of two debtors, a movement row read as a balance): neither is trusted as
    that fact."""
    in_row: dict[tuple[int | None, tuple[str, str, str | None]], int] = {}
    in_table: dict[tuple[str, str, str | None], list[Fact]] = {}
    for fact in facts:
        marker = (fact.location.row, fact.key)
        in_row[marker] = in_row.get(marker, 0) + 1
        in_table.setdefault(fact.key, []).append(fact)
    conflicting = {
        key
        for key, same in in_table.items()
        if len(same) > 1 and not _all_overlap([fact.base_interval() for fact in same])
    }
    rows = {row.index: row for row in analyzed.rows}
    columns = {column.index: column for column in analyzed.columns}
    kept = []
    for fact in facts:
        row = rows.get(fact.location.row if fact.location.row is not None else -1)
        column = columns.get(fact.location.col if fact.location.col is not None else -1)
        ambiguous = in_row[(fact.location.row, fact.key)] > 1 or fact.key in conflicting
        if ambiguous and row is not None and column is not None:
            fact = replace(fact, entity=_scoped(analyzed, row, column, fact.entity))
        kept.append(fact)
    return kept


def _all_overlap(intervals: list[Interval]) -> bool:
    return max(interval.low for interval in intervals) <= min(interval.high for interval in intervals)


def _kind_agrees(kind: ColumnKind, quantity: Quantity) -> bool:
    """False when a cell cannot be what its column's kind says: a percentage in an amount
    column, or an amount of thousands in a share/rate column (a header hecha misread)."""
    if kind is ColumnKind.AMOUNT or kind is ColumnKind.DIFFERENCE:
        return not quantity.is_percent
    if kind in _RATIO_KINDS:
        return quantity.is_percent or abs(quantity.value) < 1000
    return True


def _with_group_periods(columns: Sequence[Column], readings: list[_ColumnReading]) -> list[_ColumnReading]:
    """A change column without a period of its own ("年度收入 / 同比变动") is about the period of
    the first amount column of its group (the current one: tables print it first)."""
    first_period: dict[str, Period] = {}
    for column, reading in zip(columns, readings, strict=True):
        if column.kind is ColumnKind.AMOUNT and reading.period is not None and column.group:
            first_period.setdefault(column.group, reading.period)
    # "本期数 | 上年同期数 | 变动比例" without groups: the change compares the two periods the
    # amount columns name, and is about the later one. With three periods or more it is not known
    # which two it compares.
    periods = {
        reading.period.key: reading.period
        for column, reading in zip(columns, readings, strict=True)
        if column.kind is ColumnKind.AMOUNT and reading.period is not None and not column.group
    }
    if len(periods) == 2 and not first_period and all(re.fullmatch(r"\d{4}", key) for key in periods):
        first_period[""] = periods[max(periods)]
    return [
        replace(reading, period=first_period[column.group])
        if reading.period is None and reading.suffix and column.group in first_period
        else reading
        for column, reading in zip(columns, readings, strict=True)
    ]


def _with_compared_period(readings: list[_ColumnReading]) -> list[_ColumnReading]:
    """The columns of a table that prints their changes "比上年增减" but names no period of its own
    ("营业收入 | 营业成本 | 毛利率 | 营业收入比上年增减"): the figures the changes are computed
    from are the report year's."""
    compared = {
        reading.period.key: reading.period for reading in readings if reading.compared and reading.period
    }
    if len(compared) != 1 or any(reading.period is not None for reading in readings if not reading.suffix):
        return readings
    period = next(iter(compared.values()))
    return [
        replace(reading, period=period) if reading.period is None and not reading.suffix else reading
        for reading in readings
    ]


def _with_sibling_metric(readings: list[_ColumnReading]) -> list[_ColumnReading]:
    """A change column that names no metric ("2025年度收入 | 2024年度收入 | 变动比例") is about the
    metric its table's amount columns name, not about one its heading mentions."""
    named = _column_metric(readings)
    if not named:
        return readings
    known = metrics.is_known_metric(named)
    return [
        replace(reading, metric=named if known else "", vague_metric="" if known else named)
        if reading.suffix and not reading.metric and not reading.vague_metric
        else reading
        for reading in readings
    ]


def _column_metric(readings: list[_ColumnReading]) -> str:
    """The one metric (or vague "收入") the column headers name, when they name exactly one."""
    named = {reading.metric or reading.vague_metric for reading in readings} - {""}
    return named.pop() if len(named) == 1 else ""


@lru_cache(maxsize=8192)
def _row_entity(label: str) -> str:
    """The entity a row label names in a table of one metric ("半导体存储业务" → "半导体存储");
    "" for a total or average row, which the caller scopes to its table."""
    if label in _GENERIC_LABELS or not label:
        return ""
    stripped = _TOTAL_SUFFIX.sub("", label)
    return metrics.entity_name(stripped) or ""


def _combine_entities(column_entity: str | None, row_entity: str | None) -> str | None:
    if column_entity is None:
        return row_entity if row_entity is not None else ""
    if not row_entity:
        return column_entity
    if not column_entity:
        return row_entity
    return f"{column_entity}·{row_entity}"


def _refine(vague: str, base: str) -> str:
    """The table's metric when a header says only "收入"; else the vague word itself."""
    if not vague:
        return base
    if base in metrics.VAGUE_METRICS.get(vague, ()):
        return base
    return vague


@lru_cache(maxsize=8192)
def _clean_label(label: str) -> str:
    return metrics.clean_label(label)


@lru_cache(maxsize=8192)
def _split_entity(label: str) -> tuple[str, str]:
    return metrics.split_entity(label)


@lru_cache(maxsize=8192)
def _known_metric(text: str) -> str:
    """The canonical metric ``text`` names when the synonym table knows it; else ""."""
    name = metrics.normalize_metric(text)
    return name if metrics.is_known_metric(name) else ""


def _table_metric(analyzed: AnalyzedTable, row_metrics: list[str]) -> str:
    """The one metric a table is about when its rows are items of it ("收入增长主要来源…"
    over rows 半导体存储业务 / 生态环境建设业务 / 营业收入): its last row's metric when only that row
    names one, else the one metric its title, unit line or context names."""
    named = [metric for metric in row_metrics if metric]
    if len(named) == 1 and row_metrics[-1] and len(row_metrics) > 1:
        return named[0]
    if named:
        return ""
    table = analyzed.table
    lines = [table.title, table.unit or ""]
    if table.context:
        lines.append(table.context.splitlines()[-1] if table.context.splitlines() else "")
    return _metric_in_text(" ".join(lines))


@lru_cache(maxsize=4096)
def _metric_in_text(text: str) -> str:
    """The one known metric a heading names ("分季度、分业务类别营业收入列示" → 营业收入); "" when
    it names none or several."""
    found = metrics.find_metrics(text)
    return found[0] if len(set(found)) == 1 else ""


_YEAR_OR_YEAR_END = re.compile(r"^((?:19|20)\d{2})(?:-12-31)?$")


def _titled_year(context_period: Period | None, year: int | None) -> int | None:
    """The year a table's 年初/年末/本年/上年 columns count from: the report year, or the one
    earlier year its title names ("于2015年12月31日，涉及政府补助的项目如下" in a 2016 report,
    whose 年末余额 is that of 2015)."""
    match = _YEAR_OR_YEAR_END.match(context_period.key) if context_period is not None else None
    if match is None or year is None:
        return year
    titled = int(match.group(1))
    return titled if titled < year else year


@lru_cache(maxsize=4096)
def _context_period(title: str, unit: str, context: str, year: int | None) -> Period | None:
    """The one period a table's title or context names, when it names exactly one."""
    last_lines = context.splitlines()[-2:] if context else []
    keys: dict[str, Period] = {}
    for text in (title, unit, *last_lines):
        for found in find_periods(text, year):
            keys.setdefault(found.period.key, found.period)
    return next(iter(keys.values())) if len(keys) == 1 else None


# A change column's header names the period it compares with, not its own: "营业收入比上年同期增减
# （%）" is this year's change over 上年同期. Such a column is about the report year.
_COMPARED_WITH = re.compile(r"(?:比|较|与|对比)(?:上年同期|上年度|上年|上期|去年同期|去年)")


@lru_cache(maxsize=8192)
def _read_column_cached(
    header: str, group: str, period_text: str | None, kind: ColumnKind, year: int | None
) -> _ColumnReading:
    compared = kind in (ColumnKind.CHANGE_RATE, ColumnKind.PP_CHANGE, ColumnKind.DIFFERENCE) and bool(
        _COMPARED_WITH.search(_compact_text(header))
    )
    if compared:
        header = _COMPARED_WITH.sub("", _compact_text(header))
        period_text = str(year) if year is not None else None
    period = parse_period(period_text, year) if period_text else None
    parts = [part for part in header.split(" / ") if part.strip()]
    if period is None:
        for part in reversed(parts):
            period = parse_period(part, year)
            if period is not None:
                break
    metric = ""
    vague = ""
    entity: str | None = None
    qualifiers: list[str] = []
    ring = any(word in header for word in _RING_WORDS)
    for index, part in enumerate(parts):
        residue = _residue(part, year)
        if not residue:
            if group and part.strip() == group.strip() and metrics.clean_label(part) in ("合计", "总计"):
                entity = ""
            continue
        known = _known_metric(residue)
        if known:
            metric = known
            continue
        if residue in metrics.VAGUE_METRICS:
            vague = residue
            continue
        entity_part, metric_part = metrics.split_entity(residue)
        known = _known_metric(metric_part)
        if known and entity_part:
            metric, entity = known, entity_part
            continue
        is_group = index == 0 and group and part.strip() == group.strip() and len(parts) > 1
        if is_group:
            entity = metrics.entity_name(residue)
        else:
            qualifiers.append(residue)
    suffix = _KIND_SUFFIX.get(kind, "")
    ratio = kind in _RATIO_KINDS
    if ring and suffix:
        suffix = metrics.RING_PREFIX + suffix
    return _ColumnReading(
        period=period,
        metric=metric,
        vague_metric=vague,
        entity=entity,
        qualifier="·".join(qualifiers),
        suffix=suffix,
        ratio=ratio,
        compared=compared,
    )


def _read_column(column: Column, year: int | None) -> _ColumnReading:
    return _read_column_cached(column.header, column.group, column.period, column.kind, year)


@lru_cache(maxsize=8192)
def _residue(part: str, year: int | None) -> str:
    """A header part without its period, unit, measure words: what it says the column is about."""
    cleaned = metrics.clean_label(part)
    spans = list(find_periods(cleaned, year))
    compact = re.sub(r"\s+", "", cleaned)
    for found in reversed(spans):
        compact = compact[: found.start] + compact[found.end :]
    compact = re.sub(r"^(?:全年|年度|第|年)", "", compact)
    compact = compact.replace("（万元）", "").replace("（元）", "").strip("/（）()：: ")
    if compact in ("合计", "总计"):
        return ""
    for _ in range(3):
        stripped = _MEASURE_WORDS.sub("", compact)
        if stripped == compact:
            break
        compact = stripped
    compact = re.sub(r"^(?:同比|环比|较上年|比上年|本年比上年|与上年相比)", "", compact)
    return compact.strip("/（）()：:、 ")


# --- linking prose figures to facts ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ValueIndex:
    """Fact intervals of one unit family, sorted by their low end, for overlap queries."""

    lows: list[Decimal]
    intervals: list[Interval]
    widest: Decimal

    @staticmethod
    def build(intervals: Iterable[Interval]) -> _ValueIndex:
        ordered = sorted(intervals, key=lambda interval: interval.low)
        widest = max((interval.high - interval.low for interval in ordered), default=Decimal(0))
        return _ValueIndex([interval.low for interval in ordered], ordered, widest)

    def overlaps(self, target: Interval) -> bool:
        end = bisect.bisect_right(self.lows, target.high)
        start = bisect.bisect_left(self.lows, target.low - self.widest)
        return any(self.intervals[i].high >= target.low for i in range(start, end))


def _family(quantity: Quantity, fact_scale: int | None) -> str:
    if quantity.unit is Unit.PERCENT:
        return "percent"
    if quantity.unit is Unit.PERCENT_POINT:
        return "pp"
    if quantity.unit in (Unit.COUNT, Unit.MULTIPLE):
        return quantity.unit.value
    return "amount" if (quantity.scale is not None or fact_scale is not None) else "plain"


def _fact_intervals(facts: Sequence[Fact]) -> dict[str, _ValueIndex]:
    grouped: dict[str, list[Interval]] = {}
    for fact in facts:
        quantity = fact.quantity
        family = _family(quantity, fact.scale)
        interval = fact.base_interval() if family == "amount" else quantity.interval
        grouped.setdefault(family, []).append(interval)
        if family == "amount":
            # A table figure is also compared as printed (a bare "50,356.55" in prose).
            grouped.setdefault("plain", []).append(quantity.interval)
        elif family == "plain":
            grouped.setdefault("count", []).append(quantity.interval)
        elif family == "percent":
            # Ratio columns may print 44.75 under a "(%)" header and prose 44.75%.
            grouped.setdefault("plain", []).append(quantity.interval)
    return {family: _ValueIndex.build(intervals) for family, intervals in grouped.items()}


def _significant_digits(quantity: Quantity) -> int:
    digits = quantity.text.replace(",", "")
    return sum(char.isdigit() for char in digits.lstrip("-+0.").split("%")[0])


_TOKEN_FIGURE = re.compile(
    r"[-+]?\d[\d,]*(?:\.\d+)?\s*(?:个百分点|百分点|%|亿元|万元|元|亿|万|倍|人|家|台|个)?"
)


def _token_quantity(text: str) -> Quantity | None:
    quantity = parse_quantity(text)
    if quantity is None:
        match = re.search(
            r"[-+]?\d[\d,]*(?:\.\d+)?\s*(?:个百分点|百分点|%|亿元|万元|元|亿|万|倍|人|家|台|个)?", text
        )
        quantity = parse_quantity(match.group(0)) if match else None
    return quantity


def link_tokens(tokens: Sequence[NumericToken], facts: Sequence[Fact]) -> list[NumericToken]:
    """Marks FACT every UNLINKED prose figure that equals a fact of the document (within
    rounding, after unit conversion). Figures with fewer than three significant digits are too
    common to link by value alone and stay unlinked."""
    unlinked = [token for token in tokens if token.token_class is TokenClass.UNLINKED]
    if not unlinked:
        return list(tokens)
    indexes = _fact_intervals(facts)
    linked = []
    for token in tokens:
        if token.token_class is TokenClass.UNLINKED and _equals_a_fact(token.text, indexes):
            token = replace(token, token_class=TokenClass.FACT)
        linked.append(token)
    return linked


def _equals_a_fact(text: str, indexes: dict[str, _ValueIndex]) -> bool:
    quantity = _token_quantity(text)
    if quantity is None or _significant_digits(quantity) < 3:
        return False
    family = _family(quantity, None)
    index = indexes.get(family)
    if index is None:
        return False
    target = quantity.in_base_units() if family == "amount" else quantity.interval
    if index.overlaps(target):
        return True
    return family == "amount" and quantity.value < 0 and index.overlaps(-target)


# --- claims to facts ---------------------------------------------------------------------------


def claim_fact_keys(claim: Claim) -> list[tuple[str, str, str | None]]:
    """The fact keys a claim speaks about: the stated fact for a value; the current and base
    period of its metric (and its tabulated change) for a change; the part and the whole for a
    share."""
    period = claim.period.key if claim.period else None
    base = claim.base_period.key if claim.base_period else None
    keys: list[tuple[str, str, str | None]] = [(claim.metric, claim.entity, period)]
    if claim.kind in (ClaimKind.CHANGE_RATE, ClaimKind.PP_CHANGE, ClaimKind.FROM_TO, ClaimKind.DIFFERENCE):
        if base is not None:
            keys.append((claim.metric, claim.entity, base))
        suffix = {
            ClaimKind.CHANGE_RATE: metrics.CHANGE_RATE_SUFFIX,
            ClaimKind.PP_CHANGE: metrics.PP_CHANGE_SUFFIX,
            ClaimKind.DIFFERENCE: metrics.DIFFERENCE_SUFFIX,
        }.get(claim.kind)
        if suffix:
            keys.append((claim.metric + suffix, claim.entity, period))
    elif claim.kind is ClaimKind.SHARE:
        if claim.base_metric:
            keys.append((claim.base_metric, "", period))
        keys.append((claim.metric + metrics.SHARE_SUFFIX, claim.entity, period))
    elif claim.kind is ClaimKind.MULTIPLE and base is not None:
        keys.append((claim.metric, claim.entity, base))
    return keys


def linked_facts(facts: FactBase, claim: Claim) -> list[Fact]:
    """Facts of ``facts`` the claim speaks about (never the claim's own prose fact)."""
    found: list[Fact] = []
    for metric, entity, period in claim_fact_keys(claim):
        if not metric:
            continue
        for fact in facts.lookup(metric, entity, period):
            if fact.location != claim.location and fact not in found:
                found.append(fact)
    return found


# --- claims resolved against the document -------------------------------------------------------

# What a claim compares with when the sentence says only "同比" / "较上年".
_YEAR_ON_YEAR = re.compile(r"同比|较上年|比上年|较去年|比去年|与上年相比|较上年同期|比上年同期")
_CHANGE_KINDS = (ClaimKind.CHANGE_RATE, ClaimKind.PP_CHANGE, ClaimKind.DIFFERENCE)
# "占合并营业收入比重" / "占公司营业收入": the whole is the company's own metric.
_COMPANY_WHOLE = re.compile(r"^(?:合并报表|合并|本公司|公司整体|公司)")
# "占全年收入的 39.29%" said of a quarter: the whole is the year's figure of the same metric.
_WHOLE_YEAR = re.compile(r"^(?:全年度|全年|当年度|当年|本年度|本年|年度)")
_REVENUE_METRICS = frozenset({"营业收入", "主营业务收入"})
# "（以下简称“芯存科技”）": a short name the document defines for a company.
_DEFINED_NAME = re.compile(
    r"(?P<full>[\u4e00-\u9fff（）()A-Za-z]{4,40}?(?:有限公司|股份有限公司|有限责任公司|集团|合伙企业（有限合伙）))"
    r"[（(]\s*(?:以下)?简称\s*[“\"「]?(?P<short>[\u4e00-\u9fffA-Za-z]{2,12})[”\"」]?"
)
# "（原名：…，以下简称“诚邦股份”或“公司”）", "以下简称“公司”“发行人”“德力股份”": the names the
# document gives itself, listed together with 公司 / 发行人 / 上市公司.
_SHORT_NAMES = re.compile(r"简称((?:[“\"「][^”\"」]{2,12}[”\"」][、或和及，,]?)+)")
_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,12})[”\"」]")
_NAME_SEPARATORS = frozenset("-－—–·（(")


def _own_names(text: str) -> set[str]:
    """The short names ``text`` defines for the reporting company itself."""
    found: set[str] = set()
    for match in _SHORT_NAMES.finditer(text):
        names = _QUOTED.findall(match.group(1))
        if any(metrics.entity_name(name) == "" for name in names):
            found.update(name for name in names if metrics.entity_name(name) != "")
    return found


_REPLY_TITLE = re.compile(r"问询函|回复|核查意见|审核问询")


def resolve_claims(
    claims: Sequence[Claim],
    facts: Sequence[Fact],
    document: Document,
    year: int | None,
    aliases: dict[str, str] | None = None,
) -> list[Claim]:
    """``claims`` with their metric, entity, period and base read as the document means them, where
    the document leaves no doubt:

    - a metric named without its possessive or cut short ("归属于上市公司股东净利润" split into an
      entity "归属于上市公司股东" and 净利润; "现金流量净额" of "经营活动产生的现金流量净额");
    - an entity under the name the tables use for it (``entity_aliases``);
    - in an annual report, a change said "同比" without a period: the report year against the
      year before (an inquiry reply discusses several years; its claims are left as they are);
    - the whole of a share: "合并营业收入" is the company's 营业收入; "全年收入" said of a quarter's
      revenue is the same metric for the whole year.
    """
    if aliases is None:
        aliases = entity_aliases(document, facts)
    annual = year is not None and _is_annual_report(document, claims)
    resolved = []
    for claim in claims:
        claim = _resolve_metric(claim)
        entity = aliases.get(claim.entity, claim.entity)
        if entity != claim.entity:
            claim = replace(claim, entity=entity)
        if annual and year is not None:
            claim = _resolve_period(claim, year)
        resolved.append(_resolve_base(claim))
    return resolved


def _is_annual_report(document: Document, claims: Sequence[Claim]) -> bool:
    """An annual report's own text, not a reply to the exchange (which quotes its questions)."""
    if any(claim.source is FactSource.INQUIRY for claim in claims):
        return False
    titles = " ".join(paragraph.text for paragraph in document.paragraphs[:5])
    return not _REPLY_TITLE.search(titles)


def _resolve_metric(claim: Claim) -> Claim:
    text = claim.metric_text
    if claim.entity and text and claim.entity in _compact_text(text):
        # The entity was cut out of a metric's own name ("归属于上市公司股东" + 净利润).
        whole = metrics.normalize_metric(text)
        if metrics.is_known_metric(whole) and whole != claim.metric:
            return replace(claim, metric=whole, entity="")
    if claim.metric and not metrics.is_known_metric(claim.metric) and text:
        # "现金流量净额" printed as the end of "经营活动产生的现金流量净额".
        sentence = _compact_text(claim.sentence)
        figure = _compact_text(claim.quantity.text)
        end = sentence.find(figure) if figure else -1
        at = sentence.rfind(_compact_text(text), 0, end if end >= 0 else len(sentence))
        if at >= 0:
            before = sentence[: at + len(_compact_text(text))]
            longer = metrics.metric_ending(before[-40:])
            if longer and len(longer) > len(_compact_text(text)) and longer.endswith(_compact_text(text)):
                return replace(claim, metric=longer, metric_text=longer)
    return claim


def _resolve_period(claim: Claim, year: int) -> Claim:
    """An annual report's "同比" change without a period is the report year's over the prior one."""
    if claim.period is not None or claim.kind not in _CHANGE_KINDS:
        return claim
    if not _YEAR_ON_YEAR.search(_words_before_figure(claim)):
        return claim
    return replace(
        claim,
        period=Period(str(year), "本期"),
        base_period=claim.base_period or Period(str(year - 1), "上年同期"),
    )


def _words_before_figure(claim: Claim) -> str:
    sentence = claim.sentence
    figure = claim.quantity.text
    at = sentence.find(figure) if figure else -1
    return sentence[:at] if at >= 0 else sentence


def _resolve_base(claim: Claim) -> Claim:
    """The metric (and period) the whole of a share names, in the fact base's words."""
    if claim.kind is not ClaimKind.SHARE or not claim.base_metric:
        return claim
    words = _compact_text(claim.base_metric)
    whole_year = _WHOLE_YEAR.match(words)
    if whole_year is not None:
        words = words[whole_year.end() :]
    words = _COMPANY_WHOLE.sub("", words)
    base = metrics.normalize_metric(words) if words else ""
    if not metrics.is_known_metric(base):
        if words != "收入" or claim.metric not in _REVENUE_METRICS:
            return claim
        base = claim.metric  # "占全年收入" said of 营业收入: the year's 营业收入
    base_period = claim.base_period
    if whole_year is not None:
        if claim.period is None or not re.fullmatch(r"\d{4}(?:Q[1-4]|-\d{2}~\d{4}-\d{2})", claim.period.key):
            return claim  # "全年" of a year is the year itself; of anything else, unclear
        base_period = Period(claim.period.key[:4], claim.base_metric)
    if base == claim.base_metric and base_period == claim.base_period:
        return claim
    return replace(claim, base_metric=base, base_period=base_period)


def entity_aliases(document: Document, facts: Sequence[Fact]) -> dict[str, str]:
    """Names the document gives one entity, mapped to the name its tables use.

    Three sources, all the document's own: a short name it defines ("深圳芯存科技有限公司（以下简称
    “芯存科技”）": the full name is the short one); the names it gives itself beside 公司
    ("以下简称“诚邦股份”或“公司”": 诚邦股份 is the company itself, and a peer table's row
    "诚邦股份-半导体存储业务" its segment); and a table name that is the tail of another
    table's or the prose's longer name ("环境建设" in a segment table's header, "生态环境建设" in
    another table), taken only when every figure both names state for one metric and period agrees
    and no other longer name ends the same way.
    """
    aliases: dict[str, str] = {}
    own: set[str] = set()
    for paragraph in document.paragraphs:
        if "简称" not in paragraph.text:
            continue
        compact = _compact_text(paragraph.text)
        for match in _DEFINED_NAME.finditer(compact):
            full = metrics.entity_name(match.group("full"))
            short = metrics.entity_name(match.group("short"))
            if full and short and full != short and short not in ("公司", "本公司"):
                aliases.setdefault(full, short)
        own.update(_own_names(compact))
    for name in own:
        aliases[name] = ""
    for entity in {fact.entity for fact in facts}:
        for name in own:
            rest = entity[len(name) :] if entity.startswith(name) else ""
            if rest[:1] in _NAME_SEPARATORS and (segment := rest[1:].strip("）)")):
                # "诚邦股份-半导体存储业务" in a peer table: the company's own segment.
                aliases[entity] = segment
    values: dict[str, dict[tuple[str, str], list[Interval]]] = {}
    for fact in facts:
        entity = aliases.get(fact.entity, fact.entity)
        if fact.source is not FactSource.TABLE or not entity or fact.period is None:
            continue
        if entity.startswith(("表", "段")) or "·" in entity or ":" in entity:
            continue
        values.setdefault(entity, {}).setdefault((fact.metric, fact.period.key), []).append(
            fact.base_interval()
        )
    names = sorted(values, key=len)
    for short in names:
        longer = [name for name in names if len(name) > len(short) and name.endswith(short)]
        if len(longer) != 1:
            continue
        long = longer[0]
        shared = set(values[short]) & set(values[long])
        if shared and all(_all_overlap(values[short][key] + values[long][key]) for key in shared):
            aliases.setdefault(short, long)
    return aliases
