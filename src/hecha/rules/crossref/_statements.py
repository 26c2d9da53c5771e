"""What the cross-reference rules share: the places a fact is stated (Statements), the scope each
place speaks of, and the judgement of two statements of one fact (agree, a rounding slip, a sign
flip, a different value).

A fact base groups facts by (metric, entity, period). That key alone does not make two figures
the same fact: a 母公司 statement repeats the consolidated labels, a restatement table prints
调整前 and 调整后 side by side, a reply quotes a figure "按全年完整口径". ``ScopeReader`` reads
the words around each place (table title and context, the column's header, the statement heading
the table stands under, the sentence of a prose figure) and two places are compared only when
they name the same scope markers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from hecha.extract.claims import paragraph_sources
from hecha.extract.metrics import entity_name, normalize_metric, split_entity
from hecha.ingest.numbers import normalize
from hecha.model.diagnostic import Related, Relation, RelationForm, Term
from hecha.model.document import Cell, Document, Location, Paragraph, Table
from hecha.model.facts import Claim, ClaimKind, Fact, FactSource
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import RuleContext

# Words that put a figure in another scope than the plain consolidated, as-reported one. Each
# pattern maps to the marker two places must share to be compared.
_SCOPE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # 母公司 statements, but not the consolidated metric 归属于母公司股东/所有者 …
    (re.compile(r"(?<!归属于)(?<!归属)母公司(?!股东|所有者|普通股|的股东|的所有者)"), "母公司"),
    (re.compile(r"调整前|更正前|重述前|追溯调整前"), "调整前"),
    (re.compile(r"调整后|更正后|重述后|追溯调整后"), "调整后"),
    (re.compile(r"调整数|调整金额|影响数|影响金额"), "调整数"),
    (re.compile(r"重述|追溯调整|差错更正|会计政策变更"), "重述"),
    (re.compile(r"模拟|备考"), "模拟"),
    # A loan or bond's current portion ("2.一年内到期的长期借款" over 抵押借款 138,000,000.00)
    # against its whole balance ("1.长期借款分类": 抵押借款 547,600,000.00).
    (re.compile(r"一年内到期"), "一年内到期"),
    # A liquidity-risk maturity analysis prints undiscounted contractual cash flows under the
    # balance sheet's item names (短期借款 | 1年以内 | … | 合计): not the carrying amounts.
    (re.compile(r"流动性风险|未折现|到期期限分析|合同现金流"), "到期分析"),
    # The reconciliation of liabilities arising from financing activities (筹资活动产生的各项负债变动
    # 情况) carries each loan with its current portion: not the balance sheet's 长期借款 line.
    (re.compile(r"筹资活动产生的各项负债|筹资活动相关的负债"), "筹资负债变动"),
    (re.compile(r"完整口径|全年口径|同口径|可比口径|口径调整|按.{0,6}口径"), "口径"),
    (re.compile(r"不含税"), "不含税"),
    (re.compile(r"(?<!不)含税"), "含税"),
    (re.compile(r"净额法|总额法|核算前|核算后"), "核算方法"),
    (re.compile(r"剔除|不考虑|假设|若"), "假设"),
    (re.compile(r"预测|预计|承诺|目标|计划|预算"), "预测"),
)
# The heading of a financial statement or of its notes: the statement a table belongs to until
# the next such heading (continuation pages of 母公司资产负债表 carry no title of their own).
_STATEMENT_HEADING = re.compile(
    r"(母公司|合并)\s*(资产负债表|利润表|现金流量表|所有者权益变动表|股东权益变动表|财务报表)|补充资料"
)
# The indirect method's reconciliation (现金流量表补充资料, or the 经营情况讨论's "净利润与经营活动产生的
# 现金流量金额差异调整"): a table printing 净利润, depreciation or amortization and the operating
# cash flow. Its two ends are the statements' figures; the rows between are adjustments.
_ADJUSTED_ITEM = re.compile(r"净利润|经营活动产生的现金流量净额")


def _reconciles_cash_flow(table: Table) -> bool:
    labels = [_compact(row[0].text) for row in table.rows if row]
    return (
        any(label.endswith("净利润") for label in labels)
        and any("经营活动产生的现金流量净额" in label for label in labels)
        and any("折旧" in label or "摊销" in label for label in labels)
    )


_HEADER_WORDS = (
    "收入",
    "成本",
    "毛利",
    "单价",
    "售价",
    "数量",
    "销量",
    "费用",
    "利润",
    "余额",
    "发生额",
    "回款",
)
_LOSS_WORDS = re.compile(r"亏损|净亏损|损失|为负|负值")
_SENTENCE_END = re.compile(r"[。；;\n]")
_SPACES = re.compile(r"\s+")


class Measure(StrEnum):
    AMOUNT = "amount"  # money with a known scale (元/万元/亿元)
    PERCENT = "percent"
    PERCENT_POINT = "pp"
    COUNT = "count"
    MULTIPLE = "multiple"
    NUMBER = "number"  # a plain figure without a known scale


def measure_of(fact: Fact) -> Measure:
    unit = fact.quantity.unit
    if unit is Unit.PERCENT:
        return Measure.PERCENT
    if unit is Unit.PERCENT_POINT:
        return Measure.PERCENT_POINT
    if unit is Unit.MULTIPLE:
        return Measure.MULTIPLE
    if unit is Unit.COUNT:
        return Measure.COUNT
    if fact.scale is not None:
        return Measure.AMOUNT
    return Measure.NUMBER


@dataclass(frozen=True)
class Statement:
    """One place a fact is stated, with what the cross-reference rules need to compare it."""

    fact: Fact
    measure: Measure
    interval: Interval  # base units (元) for amounts, as printed otherwise
    quantum: Decimal  # one unit of the last printed digit, in the same units as ``interval``
    scope: frozenset[str]
    sentence: str  # the sentence of a prose figure; the table's title for a table figure
    loss_worded: bool  # prose that states a loss as a positive figure ("亏损 1.20 亿元")
    table_rows: tuple[tuple[Cell, ...], ...]  # the grid of a table figure's table (empty for prose)
    header_words: frozenset[str]  # measure words of the table's header (收入 / 成本 …)
    verified: bool  # a table cell that took part in a relation that held (T rules)
    order: tuple[int, int, int]  # document position, for "the later place restates the earlier"

    @property
    def location(self) -> Location:
        return self.fact.location

    @property
    def source(self) -> FactSource:
        return self.fact.source

    @property
    def scale(self) -> int:
        return self.fact.scale if self.measure is Measure.AMOUNT and self.fact.scale is not None else 0

    @property
    def mid(self) -> Decimal:
        return self.interval.mid

    def in_units_of(self, other: Statement) -> Interval:
        """This statement's interval in ``other``'s printed unit (万元, 亿元 …)."""
        return self.interval.scaled(Decimal(1).scaleb(-other.scale))

    def place(self) -> str:
        """Where the statement stands, as a reviewer looks it up."""
        return place_of(self.location)


def place_of(location: Location) -> str:
    where = f"第{location.page}页" if location.page is not None else f"第{location.line}行"
    if location.table is not None and location.row is not None and location.col is not None:
        return f"{where}表{location.table + 1}第{location.row + 1}行第{location.col + 1}列"
    return where


def place_of_en(location: Location) -> str:
    where = f"p.{location.page}" if location.page is not None else f"line {location.line}"
    if location.table is not None and location.row is not None and location.col is not None:
        return f"{where} table {location.table + 1} r{location.row + 1} c{location.col + 1}"
    return where


def _compact(text: str) -> str:
    return _SPACES.sub("", normalize(text))


def scope_markers(text: str) -> frozenset[str]:
    compact = _compact(text)
    return frozenset(marker for pattern, marker in _SCOPE_PATTERNS if pattern.search(compact))


def _position(location: Location) -> tuple[int, int, int]:
    top = int(location.bbox[1]) if location.bbox is not None else 0
    return (location.page or 0, location.line or 0, top)


class ScopeReader:
    """Reads the words around every place of one document (built once per rule run)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._paragraphs = document.paragraphs
        # Paragraphs and tables in reading order, for neighbours and statement headings.
        blocks: list[tuple[tuple[int, int, int], int, int]] = [
            (_position(p.location), 0, i) for i, p in enumerate(document.paragraphs)
        ]
        blocks += [(_position(t.location), 1, t.index) for t in document.tables]
        blocks.sort()
        self._blocks = blocks
        self._block_of_table = {index: n for n, (_, kind, index) in enumerate(blocks) if kind == 1}
        self._statement_scope: dict[int, frozenset[str]] = {}
        heading: frozenset[str] = frozenset()
        for _, kind, index in blocks:
            if kind == 0:
                paragraph = document.paragraphs[index]
                match = _STATEMENT_HEADING.search(_compact(paragraph.text)[:40])
                if match is not None and len(_compact(paragraph.text)) <= 40:
                    heading = frozenset({"母公司"}) if match.group(1) == "母公司" else frozenset()
            else:
                self._statement_scope[index] = heading
        self._tables = {table.index: table for table in document.tables}
        self._reconciliations = frozenset(t.index for t in document.tables if _reconciles_cash_flow(t))
        sources = paragraph_sources(document.paragraphs)
        self._inquiry = {i for i, source in enumerate(sources) if source is FactSource.INQUIRY}
        self._by_line: dict[int, list[int]] = {}
        self._by_page: dict[int, list[int]] = {}
        for i, paragraph in enumerate(document.paragraphs):
            if paragraph.location.line is not None:
                self._by_line.setdefault(paragraph.location.line, []).append(i)
            if paragraph.location.page is not None:
                self._by_page.setdefault(paragraph.location.page, []).append(i)

    # ------------------------------------------------------------------ places

    def table(self, location: Location) -> Table | None:
        return self._tables.get(location.table) if location.table is not None else None

    def paragraph_index(self, location: Location) -> int | None:
        """The paragraph a prose figure stands in (by line, else by page and quote)."""
        quote = _compact(location.quote)
        candidates: list[int] = []
        if location.line is not None:
            candidates = self._by_line.get(location.line, [])
            if not candidates:
                # A paragraph spanning several lines starts before the figure's line.
                earlier = [line for line in self._by_line if line <= location.line]
                candidates = self._by_line.get(max(earlier), []) if earlier else []
        elif location.page is not None:
            candidates = self._by_page.get(location.page, [])
        for index in candidates:
            if not quote or quote in _compact(self._paragraphs[index].text):
                return index
        return candidates[0] if candidates else None

    def sentence(self, location: Location) -> str:
        """The sentence holding a prose figure (the whole paragraph when the quote is not found)."""
        index = self.paragraph_index(location)
        if index is None:
            return ""
        text = _compact(self._paragraphs[index].text)
        quote = _compact(location.quote)
        at = text.find(quote) if quote else -1
        if at < 0:
            return text
        starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, at)]
        start = starts[-1] if starts else 0
        end_match = _SENTENCE_END.search(text, at + len(quote))
        end = end_match.start() if end_match else len(text)
        return text[start:end]

    def table_text(self, location: Location, metric_text: str) -> str:
        """Title, context, the column's header cells and the row label of a table figure."""
        table = self.table(location)
        if table is None:
            return metric_text
        header_rows = table.header_rows if table.header_rows else 1
        parts = [table.title, table.context, metric_text]
        if location.col is not None:
            for row in table.rows[:header_rows]:
                if location.col < len(row):
                    parts.append(row[location.col].text)
        if location.row is not None and location.row < len(table.rows):
            # The label cells of the row (a restatement table may print 调整后 in a label column).
            row_cells = table.rows[location.row]
            parts.extend(cell.text for cell in row_cells[: min(2, len(row_cells))] if cell.quantity is None)
        return " ".join(parts)

    def scope(self, fact: Fact) -> frozenset[str]:
        location = fact.location
        if location.table is not None:
            markers = scope_markers(self.table_text(location, fact.metric_text))
            if location.table in self._reconciliations and _ADJUSTED_ITEM.search(fact.metric_text) is None:
                # An adjustment from 净利润 to operating cash flow: 财务费用 there is the financing
                # part of the expense only, not the income statement's line.
                markers |= {"现金流量调节项"}
            return markers | self._statement_in_table(location)
        return scope_markers(self.sentence(location))

    def _statement_in_table(self, location: Location) -> frozenset[str]:
        """The statement a table row belongs to: a heading row inside the table (a reader may join
        the consolidated and the 母公司 statement into one table) or the heading above it."""
        table = self.table(location)
        scope = (
            self._statement_scope.get(location.table, frozenset())
            if location.table is not None
            else frozenset()
        )
        if table is None or location.row is None:
            return scope
        for row in table.rows[: location.row + 1]:
            label = _compact(" ".join(cell.text for cell in row if cell.quantity is None))[:40]
            match = _STATEMENT_HEADING.search(label)
            if match is not None:
                scope = frozenset({"母公司"}) if match.group(1) == "母公司" else frozenset()
        return scope

    def neighbourhood(self, location: Location, reach: int = 3) -> list[Paragraph]:
        """Paragraphs within ``reach`` blocks of a place: notes under a table, sentences around
        a prose figure (where a document explains a figure's definition)."""
        if location.table is not None:
            centre = self._block_of_table.get(location.table)
        else:
            paragraph = self.paragraph_index(location)
            centre = (
                next((n for n, (_, k, i) in enumerate(self._blocks) if k == 0 and i == paragraph), None)
                if paragraph is not None
                else None
            )
        if centre is None:
            return []
        found = []
        for n in range(max(0, centre - reach), min(len(self._blocks), centre + reach + 1)):
            _, kind, index = self._blocks[n]
            if kind == 0:
                found.append(self._paragraphs[index])
        return found

    def sentences_near(self, location: Location, reach: int = 3) -> list[str]:
        """Sentences of the document's own paragraphs (not the exchange's question) near a place."""
        sentences: list[str] = []
        inquiry = {id(self._paragraphs[i]) for i in self._inquiry}
        for paragraph in self.neighbourhood(location, reach):
            if id(paragraph) not in inquiry:
                sentences.extend(s for s in _SENTENCE_END.split(_compact(paragraph.text)) if s)
        return sentences

    def is_spanned_copy(self, location: Location) -> bool:
        """A grid position repeating a merged cell (rowspan/colspan): not a place of its own."""
        table = self.table(location)
        if table is None or location.row is None or location.col is None:
            return False
        if location.row >= len(table.rows) or location.col >= len(table.rows[location.row]):
            return False
        return table.rows[location.row][location.col].spanned

    def header_words(self, location: Location) -> frozenset[str]:
        """The measure words of a table's header rows (收入, 成本, 单价 …): two tables whose headers
        name different ones print different measures under the same row labels."""
        table = self.table(location)
        if table is None:
            return frozenset()
        header_rows = table.header_rows if table.header_rows else 1
        text = _compact(" ".join(cell.text for row in table.rows[:header_rows] for cell in row))
        return frozenset(word for word in _HEADER_WORDS if word in text)


def statement(fact: Fact, reader: ScopeReader, ctx: RuleContext) -> Statement:
    measure = measure_of(fact)
    quantity = fact.quantity
    scale = fact.scale if measure is Measure.AMOUNT and fact.scale is not None else 0
    interval = quantity.interval.scaled(Decimal(1).scaleb(scale))
    location = fact.location
    in_table = location.table is not None
    sentence = reader.sentence(location) if not in_table else ""
    verified = (
        in_table
        and location.row is not None
        and location.col is not None
        and (location.table, location.row, location.col) in ctx.stats.verified_cells
    )
    return Statement(
        fact=fact,
        measure=measure,
        interval=interval,
        quantum=Decimal(1).scaleb(scale - quantity.decimals),
        scope=reader.scope(fact),
        sentence=sentence,
        loss_worded=not in_table and quantity.value > 0 and bool(_LOSS_WORDS.search(sentence)),
        table_rows=table.rows if (table := reader.table(location)) is not None else (),
        header_words=reader.header_words(location),
        verified=bool(verified),
        order=_position(location),
    )


def _place_key(location: Location) -> tuple[object, ...]:
    if location.table is not None:
        return ("t", location.table, location.row, location.col)
    return ("p", location.page, location.line, _compact(location.quote))


def claim_scale(claim: Claim) -> int | None:
    if claim.scale is not None:
        return claim.scale
    if claim.quantity.scale is not None:
        return claim.quantity.scale
    return 0 if claim.quantity.unit is Unit.CURRENCY else None


def claim_fact(claim: Claim) -> Fact:
    """A value claim as the fact it states (its place quoting the figure as printed)."""
    location = claim.location
    if not location.quote:
        location = replace(location, quote=claim.quantity.text)
    return Fact(
        metric=claim.metric,
        metric_text=claim.metric_text,
        entity=claim.entity,
        period=claim.period,
        quantity=claim.quantity,
        scale=claim_scale(claim),
        location=location,
        source=claim.source,
    )


def stated_facts(ctx: RuleContext, sources: Sequence[FactSource]) -> list[Fact]:
    """Every fact of the wanted sources, value claims included (a prose figure the fact base
    keeps as a claim only), each place once."""
    found: list[Fact] = []
    seen: set[tuple[object, ...]] = set()
    claimed = [
        claim_fact(claim)
        for claim in ctx.facts.claims
        if claim.kind is ClaimKind.VALUE and claim.source in sources
    ]
    for fact in (*ctx.facts.facts, *claimed):
        if fact.source not in sources or not fact.metric or fact.period is None:
            continue
        key = (*_place_key(fact.location), fact.key)
        if key in seen:
            continue
        seen.add(key)
        found.append(fact)
    return found


def labelled(fact: Fact) -> bool:
    """A table fact whose own row label names its metric ("营业收入", "半导体存储业务营业收入").
    A metric extract took from a title or a neighbouring row (a movement table's 期初余额 row read
    as 固定资产) is not sure enough to call two figures the same fact."""
    if fact.location.table is None:
        return True
    if normalize_metric(fact.metric_text) == fact.metric:
        return True
    _, metric_text = split_entity(fact.metric_text)
    if normalize_metric(metric_text) == fact.metric:
        return True
    # A segment row ("半导体存储业务") of a table whose title or column names the metric.
    return bool(fact.entity) and entity_name(fact.metric_text) == fact.entity


def scope_reader(ctx: RuleContext) -> ScopeReader:
    """The document's ScopeReader, built once and shared by the cross-reference rules."""
    return ctx.shared("crossref.scope_reader", lambda: ScopeReader(ctx.document))


def restatement_groups(ctx: RuleContext, reader: ScopeReader) -> list[list[Statement]]:
    """Groups of two or more places stating one fact in the document's own words (tables and the
    reply's prose, never the exchange's question): same metric, entity and period, same measure
    and same scope markers. Computed once per document (X001 and X002 both read them)."""
    return ctx.shared("crossref.restatement_groups", lambda: _restatement_groups(ctx, reader))


def _restatement_groups(ctx: RuleContext, reader: ScopeReader) -> list[list[Statement]]:
    by_key: dict[tuple[object, ...], list[Statement]] = {}
    for fact in stated_facts(ctx, (FactSource.TABLE, FactSource.PROSE)):
        if reader.is_spanned_copy(fact.location) or not labelled(fact):
            continue
        item = statement(fact, reader, ctx)
        by_key.setdefault((*fact.key, item.measure, item.scope), []).append(item)
    return [items for items in by_key.values() if len(items) >= 2]


# ---------------------------------------------------------------------- judging two statements


class Verdict(StrEnum):
    AGREE = "agree"
    DIFFERENT = "different"  # same precision, values apart beyond rounding
    SLIP = "slip"  # the coarser figure is one unit of its last digit off the correct rounding
    SIGN = "sign"  # the coarser (or same-precision) figure is the other's with the sign flipped
    GROSS = "gross"  # a coarser figure far from the correct rounding


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    correct: Decimal | None = None  # the correct rounding of the finer figure, in the coarse unit
    truncated: bool = False  # the coarser figure is the finer one cut off, not rounded


def comparable(a: Statement, b: Statement) -> bool:
    """Two places can be the same fact: not two cells of one table (a row's 金额 and 合计 columns
    that extract could not tell apart), and not tables whose headers name different measures."""
    if a.location.table is not None and a.location.table == b.location.table:
        return False
    return not (a.header_words and b.header_words and a.header_words != b.header_words)


def stated_in_table_of(item: Statement, other: Statement) -> bool:
    """``other``'s value stands in ``item``'s table column under another row: ``item`` is a part
    of it (a note's 在建工程 row beside 工程物资, closed by a 合计 equal to the balance sheet)."""
    location = item.location
    if location.table is None or location.col is None or item.measure is not Measure.AMOUNT:
        return False
    factor = Decimal(1).scaleb(item.scale)
    table_rows = item.table_rows
    for row in table_rows:
        if location.col < len(row) and row[location.col].quantity is not None:
            quantity = row[location.col].quantity
            assert quantity is not None
            if quantity.interval.scaled(factor).overlaps(other.interval):
                return True
    return False


def agree(a: Statement, b: Statement, absolute_tolerance: Decimal = Decimal(0)) -> bool:
    """The two places can state the same value: their rounding intervals overlap (a prose loss
    stated as a positive figure is read as negative)."""
    first = -a.interval if a.loss_worded and b.mid < 0 else a.interval
    second = -b.interval if b.loss_worded and a.mid < 0 else b.interval
    return first.widened(absolute_tolerance).overlaps(second)


def correct_rounding(fine: Statement, coarse: Statement) -> Decimal:
    """``fine`` rounded the way ``coarse`` is printed (its unit and decimals)."""
    value = fine.in_units_of(coarse).mid
    return value.quantize(Decimal(1).scaleb(-coarse.fact.quantity.decimals), rounding=ROUND_HALF_UP)


def judge(stated: Statement, reference: Statement, absolute_tolerance: Decimal = Decimal(0)) -> Judgement:
    """How ``stated`` relates to ``reference`` (a place taken as right, at least as precise).

    A coarser figure is a rounding slip when it is within one unit of its last digit of the
    precise one (5.03 亿元 for 50,356.55 万元: the correct rounding is 5.04); further off it is
    another value (GROSS), which for prose is C003's to report.
    """
    if agree(stated, reference, absolute_tolerance):
        return Judgement(Verdict.AGREE)
    value = stated.fact.quantity.value
    flipped = value != 0 and (-stated.interval).widened(absolute_tolerance).overlaps(reference.interval)
    if stated.quantum <= reference.quantum:
        return Judgement(Verdict.SIGN if flipped else Verdict.DIFFERENT)
    correct = correct_rounding(reference, stated)
    if flipped or (correct != 0 and value == -correct):
        return Judgement(Verdict.SIGN, correct)
    unit = Decimal(1).scaleb(-stated.fact.quantity.decimals)
    truncated = reference.in_units_of(stated).mid.quantize(unit, rounding=ROUND_DOWN) == value
    slack = stated.quantum / 2 + absolute_tolerance
    if stated.interval.widened(slack).overlaps(reference.interval):
        return Judgement(Verdict.SLIP, correct, truncated)
    return Judgement(Verdict.GROSS, correct, truncated)


def reference_cluster(statements: Sequence[Statement]) -> list[Statement]:
    """The places taken as right: among the finest-precision places, the largest set that agree
    with each other; ties go to verified table cells, then to tables over prose, then to the
    earliest place (a later place restates an earlier one)."""
    finest = min(s.quantum for s in statements)
    precise = [s for s in statements if s.quantum == finest]
    clusters: list[list[Statement]] = []
    for item in precise:
        cluster = [other for other in precise if agree(item, other)]
        if cluster not in clusters:
            clusters.append(cluster)

    def strength(cluster: list[Statement]) -> tuple[int, int, int, tuple[int, int, int]]:
        earliest = min(s.order for s in cluster)
        negated = (-earliest[0], -earliest[1], -earliest[2])
        return (
            len(cluster),
            sum(s.verified for s in cluster),
            sum(s.source is FactSource.TABLE for s in cluster),
            negated,
        )

    return max(clusters, key=strength)


def anchored_groups(
    ctx: RuleContext, min_tables: int
) -> Iterator[tuple[list[Statement], list[Statement], Statement]]:
    """The restatement groups with at least ``min_tables`` table places, each as (the group, its
    table places, the table place taken as right: the first of their ``reference_cluster``)."""
    reader = scope_reader(ctx)
    for group in restatement_groups(ctx, reader):
        tables = [item for item in group if item.source is FactSource.TABLE]
        if len(tables) < min_tables:
            continue
        yield group, tables, reference_cluster(tables)[0]


def different_subjects(ctx: RuleContext, a: Statement, b: Statement) -> bool:
    """The tables of ``a`` and ``b`` speak of different things (two companies of a restructuring,
    a business and its continuing part, two peers): every fact they share disagrees, two at least.

    A misprint in a restated table changes one figure and leaves the others in agreement; a table
    of another entity or scope under the same labels disagrees everywhere. Headings do not always
    say so ("明德控股最近两年的主要财务数据如下" names the entity only in a sentence), the figures do.
    """
    if a.location.table is None or b.location.table is None:
        return False
    counts = ctx.shared("crossref.table_pair_agreement", lambda: _table_pair_agreement(ctx))
    agreed, differed = counts.get(_pair(a.location.table, b.location.table), (0, 0))
    return agreed == 0 and differed >= _MIN_DISAGREEMENTS


_MIN_DISAGREEMENTS = 2


def _pair(first: int, second: int) -> tuple[int, int]:
    return (first, second) if first <= second else (second, first)


def _table_pair_agreement(ctx: RuleContext) -> dict[tuple[int, int], tuple[int, int]]:
    """For each two tables sharing facts: how many of the shared facts agree, how many do not."""
    agreed: Counter[tuple[int, int]] = Counter()
    differed: Counter[tuple[int, int]] = Counter()
    for group in restatement_groups(ctx, scope_reader(ctx)):
        places = [
            item for item in group if item.source is FactSource.TABLE and item.location.table is not None
        ]
        for at, first in enumerate(places):
            for second in places[at + 1 :]:
                assert first.location.table is not None and second.location.table is not None
                if first.location.table == second.location.table:
                    continue
                pair = _pair(first.location.table, second.location.table)
                if agree(first, second):
                    agreed[pair] += 1
                else:
                    differed[pair] += 1
    return {pair: (agreed[pair], differed[pair]) for pair in agreed.keys() | differed.keys()}


def judge_with_slack(item: Statement, anchor: Statement, slack: Decimal) -> Judgement:
    """``judge`` with an extra ``slack`` given in units of ``item``'s own scale (a rule's
    ``absolute_tolerance``)."""
    return judge(item, anchor, slack * Decimal(1).scaleb(item.scale))


def related_places(statements: Iterable[Statement], exclude: Statement | None = None) -> tuple[Related, ...]:
    """Every other place the fact is stated, labelled with how it is stated."""
    related = []
    for item in statements:
        if exclude is not None and item is exclude:
            continue
        label = "表格" if item.source is FactSource.TABLE else "正文"
        if item.source is FactSource.INQUIRY:
            label = "问询函原文"
        related.append(
            Related(
                location=item.location,
                label=f"{label} {item.fact.metric_text} {item.fact.quantity.text}".strip(),
            )
        )
    return tuple(related)


def subject(fact: Fact) -> str:
    """How a message names the fact: "生态环境建设业务营业收入", never the entity twice."""
    metric = fact.metric_text or fact.metric
    return metric if not fact.entity or fact.entity in metric else fact.entity + metric


def unit_word(scale: int) -> str:
    return {0: "元", 3: "千元", 4: "万元", 8: "亿元"}.get(scale, f"×10^{scale}")


def printed(value: Decimal, quantity: Quantity) -> str:
    """``value`` printed with ``quantity``'s decimals, with separators when it uses them."""
    quantized = value.quantize(Decimal(1).scaleb(-quantity.decimals), rounding=ROUND_HALF_UP)
    return f"{quantized:,}" if "," in quantity.text else f"{quantized}"


def as_printed(item: Statement, unit_of: Statement) -> str:
    """``item``'s value expressed in ``unit_of``'s unit, with ``item``'s own precision kept."""
    value = item.in_units_of(unit_of).mid
    shift = item.scale - unit_of.scale
    decimals = max(0, item.fact.quantity.decimals - shift)
    quantized = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{quantized:,}"


def restatement_relation(reference: Statement, stated: Statement) -> Relation:
    """The failed relation of two places of one fact: the stated place equals the reference's
    figure, given in the stated place's unit (50,356.55 万元 against 5.03 亿元 is 5.035655 with
    6 decimals, the rounding it was printed with); rates and counts as printed."""
    quantity = reference.fact.quantity
    shift = reference.scale - stated.scale
    value = quantity.value.scaleb(shift) if shift else quantity.value
    term = Term("other", reference.location, value, quantity.decimals - shift)
    return Relation(RelationForm.EQUAL, (term,))


def suffix(item: Statement) -> str:
    if item.measure is Measure.AMOUNT:
        return unit_word(item.scale)
    if item.measure is Measure.PERCENT:
        return "%"
    if item.measure is Measure.PERCENT_POINT:
        return "个百分点"
    return ""
