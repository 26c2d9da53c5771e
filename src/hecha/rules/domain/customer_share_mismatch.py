"""D006 customer-share-mismatch: a share of 年度销售总额 (前五名客户合计, each of the five customers)
that the customers' sales and the year's revenue do not give."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.factbase import FactBase
from hecha.extract.roles import AnalyzedTable, ColumnKind, Row, RowKind
from hecha.ingest.numbers import squeezed, unit_scale
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Location
from hecha.model.facts import ClaimKind, FactSource, Period
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
from hecha.rules.prose._linking import (
    FigureKind,
    Operand,
    claim_location,
    claim_scale,
    fact_interval,
    fact_kind,
    fact_scale,
    in_base_units,
    judged,
    lookup,
    shown,
)
from hecha.rules.registry import register
from hecha.rules.tables._columns import figure, scale_of, show

HUNDRED = Decimal(100)

_OF_SALES = "占年度销售总额"
_SALES = re.compile(r"销售额|销售金额")
_TOP_FIVE_TOTAL = "前五名客户合计销售金额"
# The bases a company may mean by 年度销售总额, most common first: the template's 营业收入, the
# 主营业务收入 many companies use, and 营业总收入 where a group also earns interest or premiums.
_BASES = ("营业收入", "主营业务收入", "营业总收入")


@dataclass(frozen=True)
class _Share:
    """One stated share of 年度销售总额 and the sales it is a share of."""

    what: str
    stated: Quantity
    location: Location
    sales: Quantity
    sales_location: Location
    sales_scale: int
    table: int | None


@dataclass(frozen=True)
class _Base:
    metric: str
    operand: Operand


def _first_figure(row: Row) -> tuple[int, Quantity, Location] | None:
    for position, cell in enumerate(row.cells):
        found = figure(row, position)
        if found is not None and cell is not None:
            return position, found[1], found[0].location
    return None


def _summary_shares(table: AnalyzedTable) -> list[_Share]:
    """The two-row summary of the Shenzhen template: "前五名客户合计销售金额（元）" and
    "前五名客户合计销售金额占年度销售总额比例"."""
    sales: tuple[Quantity, Location, int] | None = None
    shares = []
    for row in table.rows:
        label = squeezed(row.label)
        if _TOP_FIVE_TOTAL not in label:
            continue
        found = _first_figure(row)
        if found is None:
            continue
        position, quantity, location = found
        if _OF_SALES in label:
            if sales is not None and quantity.unit is Unit.PERCENT:
                amount, where, scale = sales
                shares.append(
                    _Share("前五名客户合计", quantity, location, amount, where, scale, table.table.index)
                )
        elif quantity.unit is not Unit.PERCENT:
            column = table.columns[position]
            own = unit_scale(row.label)
            scale = own if own is not None else scale_of(table, column)
            sales = (quantity, location, scale if scale is not None else 0)
    return shares


def _list_shares(table: AnalyzedTable) -> list[_Share]:
    """The five customers' list: a 销售额 column and its 占年度销售总额比例 column, row by row."""
    headers = [squeezed(column.header) for column in table.columns]
    share_at = [p for p, header in enumerate(headers) if _OF_SALES in header]
    sales_at = [
        p
        for p, header in enumerate(headers)
        if _SALES.search(header) and "占" not in header and table.columns[p].kind is not ColumnKind.LABEL
    ]
    if len(share_at) != 1 or len(sales_at) != 1:
        return []
    column = table.columns[sales_at[0]]
    own = unit_scale(column.header)
    scale = own if own is not None else scale_of(table, column)
    shares = []
    for row in table.rows:
        if row.kind not in (RowKind.ITEM, RowKind.TOTAL, RowKind.SUBTOTAL):
            continue
        stated, sales = figure(row, share_at[0]), figure(row, sales_at[0])
        if stated is None or sales is None or stated[1].unit is not Unit.PERCENT:
            continue
        if sales[1].unit is Unit.PERCENT:
            continue
        shares.append(
            _Share(
                row.label.strip() or "合计",
                stated[1],
                stated[0].location,
                sales[1],
                sales[0].location,
                scale if scale is not None else 0,
                table.table.index,
            )
        )
    return shares


def _prose_shares(facts: FactBase) -> list[_Share]:
    """ "前五名客户销售额 27,614.37 万元，占年度销售总额 18.20%": the share claim and the sales the
    same sentence states for the same metric."""
    shares = []
    claims = [claim for claim in facts.claims if judged(claim) and claim.period is None]
    for claim in claims:
        if claim.kind is not ClaimKind.SHARE or _OF_SALES[1:] not in squeezed(claim.base_metric):
            continue
        if not claim.metric.startswith("前五名客户"):
            continue
        amounts = [
            other
            for other in claims
            if other.kind is ClaimKind.VALUE
            and other.metric == claim.metric
            and other.sentence == claim.sentence
            and other.location.line == claim.location.line
            and other.location.page == claim.location.page
        ]
        if len(amounts) != 1:
            continue
        amount = amounts[0]
        scale = claim_scale(amount)
        if scale is None:
            continue
        shares.append(
            _Share(
                claim.metric,
                claim.quantity,
                claim_location(claim),
                amount.quantity,
                claim_location(amount),
                scale,
                None,
            )
        )
    return shares


def _bases(facts: FactBase) -> list[_Base]:
    """The report year's consolidated revenue, by each metric the document states it as."""
    if facts.report_year is None:
        return []
    year = Period(str(facts.report_year), f"{facts.report_year}年")
    found = []
    for metric in _BASES:
        operand = lookup(facts, metric, "", year, (FigureKind.AMOUNT,), (FactSource.TABLE,))
        if operand is not None:
            found.append(_Base(metric, operand))
    return found


_UNIT_NAMES = {0: "元", 3: "千元", 4: "万元", 8: "亿元"}
_SCOPED = re.compile(r"^表\d+行\d+列\d+:?")


def _revenue_figures(facts: FactBase) -> list[Interval]:
    """Every figure the document states for the report year's (or an unnamed period's) revenue,
    however it names it: the 营业收入 / 营业总收入 lines and the 主营业务 rows of the revenue note
    ("主营业务 | 收入", "其中：主营业务收入" in a segment table), and the prose's 营业(总)收入. A
    share that one of them gives is not reported: hecha cannot tell which the company meant."""
    year = str(facts.report_year)
    found = []
    for fact in facts.facts:
        if fact_kind(fact) is not FigureKind.AMOUNT:
            continue
        if fact.period is not None and fact.period.key != year:
            continue
        entity = _SCOPED.sub("", fact.entity)
        if fact.source is FactSource.PROSE:
            # Prose names a segment's revenue without its segment often enough ("其中，生物制药产业实现
            # 主营收入 151,753 万元" read as the company's): only the company's 营业(总)收入 is taken.
            if fact.metric in ("营业收入", "营业总收入") and not entity:
                found.append(fact_interval(fact))
        elif ("主营" in entity + fact.metric and "收入" in entity + fact.metric) or (
            fact.metric in _BASES and not entity
        ):
            found.append(fact_interval(fact))
    return found


def _ratio(share: _Share, base: Interval) -> Interval | None:
    ratio = in_base_units(share.sales, share.sales_scale) / base
    return None if ratio is None else ratio.scaled(HUNDRED)


_TOTALS = ("合计", "前五名客户合计")


def _listed_sum(shares: list[_Share]) -> Decimal | None:
    """The sum of the listed customers' shares as printed: what a 合计 share rounded from them is."""
    items = [share for share in shares if share.table is not None and share.what not in _TOTALS]
    return sum((share.stated.value for share in items), Decimal(0)) if len(items) >= 2 else None


@register
class CustomerShareMismatch(Rule):
    """Top-five customers' shares of 年度销售总额 that their sales and the year's revenue do not give.

    What it checks:
        An annual report states its five largest customers' sales and their share of the year's
        sales (年度销售总额): in a sentence ("前五名客户销售额 27,614.37 万元，占年度销售总额
        18.20%"), in the two-row summary ("前五名客户合计销售金额（元）" / "前五名客户合计销售金额
        占年度销售总额比例") and in the list of the five customers (销售额 | 占年度销售总额比例).
        Each share must equal the sales / the report year's consolidated revenue × 100. Companies
        mean by 年度销售总额 their 营业收入, their 主营业务收入 or their 营业总收入: a share that
        any figure the document states for one of them gives (the statements, the revenue note's
        主营业务 row, the prose's 营业收入) holds; one that none gives is a finding, recomputed on
        the 营业收入 (else the first of the others) the tables state. A total share that is the sum
        of the five listed shares as printed holds, and so does a listed share one unit of its last
        digit off when the five add up to a total that holds (a rounding plug). A sentence with a
        period of its own (a reply's "2024 年前五名客户…") is left to the prose rules.

    Why it matters:
        Customer concentration is read from this share and questioned by inquiry letters; a share
        computed on a segment's revenue, or not updated with the sales, misstates it.

    Failing example:
        "前五名客户销售额 27,614.37 万元，占年度销售总额 18.20%" with 营业收入 1,581,905,632.48 元
        and 主营业务收入 1,567,317,578.69 元: 17.46% (17.62% of 主营业务收入).

    Passing example:
        The same sentence with 17.46%.

    Options:
        absolute_tolerance: extra percentage points of slack (default 0).
    """

    code = "D006"
    name = "customer-share-mismatch"
    summary = "前五名客户销售额占年度销售总额比例与销售额 / 营业收入计算结果不符"
    summary_en = "Top-five customers' share of annual sales does not equal their sales over revenue"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: CustomerShareMismatch.Options = self.options  # type: ignore[assignment]
        shares = [share for table in ctx.tables for share in (*_summary_shares(table), *_list_shares(table))]
        facts = ctx.facts
        shares.extend(_prose_shares(facts))
        if not shares:
            return
        bases = _bases(facts)
        if not bases:
            return
        revenues = _revenue_figures(facts)
        # Per share: its ratio to each base a finding may name, and to every other revenue figure.
        on_bases = {
            id(share): [
                (base, value) for base in bases if (value := _ratio(share, base.operand.value)) is not None
            ]
            for share in shares
        }
        on_revenues = {
            id(share): [value for revenue in revenues if (value := _ratio(share, revenue)) is not None]
            for share in shares
        }

        def fits(share: _Share, slack: Decimal = Decimal(0)) -> bool:
            stated = share.stated.interval.widened(options.absolute_tolerance + slack)
            ratios = [value for _, value in on_bases[id(share)]] + on_revenues[id(share)]
            return any(stated.overlaps(value) for value in ratios)

        listed = _listed_sum(shares)
        totals = [share for share in shares if share.what in _TOTALS]
        # The preparer made the five shares add up to a total that holds: one of them is off by
        # one unit of its last digit (2.22% for 2.21%), a rounding plug (百诚 2023, 神州高铁 2018).
        plugged = listed is not None and any(total.stated.value == listed and fits(total) for total in totals)
        for share in shares:
            computed = on_bases[id(share)]
            if not computed:
                continue
            held = fits(share)
            if share.what in _TOTALS:
                # A total share summed from the five rounded shares (73.67% + … = 83.34%; 83.35% unrounded).
                held = held or share.stated.value == listed
            elif plugged and share.table is not None:
                held = held or fits(share, Decimal(1).scaleb(-share.stated.decimals))
            places = [share.location, share.sales_location]
            ctx.stats.relation(share.table, held=held, cells=places)
            if held:
                continue
            base, value = computed[0]
            comparison = compare(share.stated, value, options.absolute_tolerance)
            if comparison is not None:
                yield self._finding(share, base, computed, comparison)

    def _finding(
        self,
        share: _Share,
        base: _Base,
        computed: list[tuple[_Base, Interval]],
        comparison: Comparison,
    ) -> Diagnostic:
        digits = max(share.stated.decimals, 2)
        sales = show(share.sales)
        sales += "" if "元" in sales else _UNIT_NAMES.get(share.sales_scale, "")
        others = "、".join(
            f"按{other.metric} {shown(other.operand.best)}为 {format_decimal(value.mid, digits)}%"
            for other, value in computed[1:]
        )
        expected = format_decimal(computed[0][1].mid, digits)
        message = (
            f"{share.what}占年度销售总额比例列示 {share.stated.text}，按销售额 {sales} / {base.metric} "
            f"{shown(base.operand.best)} 计算为 {expected}%" + (f"（{others}）" if others else "")
        )
        message_en = (
            f"{share.what}: share of annual sales stated as {share.stated.text}; sales {sales} / "
            f"{base.metric} {shown(base.operand.best)} gives {expected}%"
        )
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=share.location,
            comparison=comparison,
            related=(
                Related(share.sales_location, "销售额"),
                Related(base.operand.best.location, base.metric),
            ),
            relation=self._relation(share, base),
        )

    @staticmethod
    def _relation(share: _Share, base: _Base) -> Relation:
        """sales / revenue × 100, both in the coarser of their units."""
        base_scale = fact_scale(base.operand.best) or 0
        unit = max(share.sales_scale, base_scale)
        sales_shift = share.sales_scale - unit
        base_shift = base_scale - unit
        best = base.operand.best.quantity
        terms = (
            Term(
                "numerator",
                share.sales_location,
                share.sales.value.scaleb(sales_shift),
                share.sales.decimals - sales_shift,
            ),
            Term(
                "denominator",
                base.operand.best.location,
                best.value.scaleb(base_shift),
                best.decimals - base_shift,
            ),
        )
        return Relation(RelationForm.RATIO, terms, HUNDRED)
