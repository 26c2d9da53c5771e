"""X004 quarter-sum-mismatch: the four quarters of a year do not add up to the year's figure the
document states elsewhere (分季度主要财务指标 against 主要会计数据)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.facts import Fact, FactSource
from hecha.model.quantity import interval_sum
from hecha.rules.base import Comparison, Rule, RuleContext, compare
from hecha.rules.crossref._statements import (
    Measure,
    Statement,
    agree,
    place_of,
    place_of_en,
    printed,
    scope_reader,
    statement,
    subject,
    suffix,
)
from hecha.rules.registry import register

_QUARTERS = ("Q1", "Q2", "Q3", "Q4")


@register
class QuarterSumMismatch(Rule):
    """The quarters of a year add up to a figure other than the year's.

    What it checks:
        Every row of a table that states an amount for each of the four quarters of one year
        (营业收入, 归属于上市公司股东的净利润, 扣除非经常性损益后的净利润, 经营活动产生的现金流量净额 in
        分季度主要财务指标) against every place another table states the same metric of the same
        entity for that whole year, in the same scope (a 母公司 figure is another scope). The
        quarters' sum, with the rounding of each quarter, must meet the year's figure with its
        rounding. A year printed with different values in two places is X001's to report; this
        rule then stays silent.

    Why it matters:
        Annual reports print the quarters beside the year and state that their sum agrees with
        the quarterly reports; a quarter retyped, restated or taken from a draft breaks the sum,
        and inquiry letters ask about exactly this.

    Failing example:
        营业收入 第一季度 1,399,808,311.93, 第二季度 1,297,543,785.07, 第三季度 1,442,936,480.71,
        第四季度 1,664,368,759.12 (sum 5,804,657,336.83) under a year of 5,804,657,336.92.

    Passing example:
        The same quarters with 第四季度 1,664,368,759.21: the sum is the year's 5,804,657,336.92.

    Options:
        absolute_tolerance: extra slack in the year's printed unit (default 0).
    """

    code = "X004"
    name = "quarter-sum-mismatch"
    summary = "分季度数据之和与全年数据不符"
    summary_en = "The four quarters do not add up to the year's figure"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: QuarterSumMismatch.Options = self.options  # type: ignore[assignment]
        reader = scope_reader(ctx)
        for quarters in _quarter_rows(ctx.facts.facts):
            first = quarters[0]
            year = first.period.key[:4] if first.period else ""
            places = [
                statement(fact, reader, ctx)
                for fact in ctx.facts.lookup(first.metric, first.entity, year)
                if fact.source is FactSource.TABLE and fact.location.table != first.location.table
            ]
            parts = [statement(fact, reader, ctx) for fact in quarters]
            scope = parts[0].scope
            years = [place for place in places if place.measure is Measure.AMOUNT and place.scope == scope]
            if not years or any(part.measure is not Measure.AMOUNT for part in parts):
                continue
            if any(not agree(place, years[0]) for place in years[1:]):
                continue  # the year itself is printed two ways: X001's
            # The quarters' sum in the year's printed unit, against the year with its rounding.
            total = interval_sum([part.interval for part in parts]).scaled(Decimal(1).scaleb(-years[0].scale))
            comparison = compare(years[0].fact.quantity, total, options.absolute_tolerance)
            cells = [part.location for part in parts]
            ctx.stats.relation(
                table=first.location.table,
                held=comparison is None,
                cells=[*cells, *(y.location for y in years)],
            )
            if comparison is not None:
                yield self._finding(parts, years[0], comparison)

    def _finding(self, parts: list[Statement], year: Statement, comparison: Comparison) -> Diagnostic:
        unit = suffix(year)
        what = subject(year.fact)
        period = year.fact.period.text if year.fact.period else ""
        quantity = year.fact.quantity
        summed = printed(comparison.expected, quantity)
        gap = printed(comparison.difference, quantity)
        message = (
            f"{what}全年数（{period}）在{place_of(year.location)}列示为 {quantity.text}{unit}，"
            f"四个季度合计为 {summed}{unit}，两者不符（差异 {gap}{unit}）"
        )
        message_en = (
            f"{what} for the year ({period}) is {quantity.text} at {place_of_en(year.location)} "
            f"but its four quarters add up to {summed} (difference {gap})"
        )
        terms = tuple(
            Term(
                "addend",
                part.location,
                part.fact.quantity.value.scaleb(part.scale - year.scale),
                part.fact.quantity.decimals - (part.scale - year.scale),
            )
            for part in parts
        )
        related = (
            Related(location=year.location, label=f"全年 {year.fact.metric_text} {year.fact.quantity.text}"),
            *(
                Related(location=part.location, label=f"{quarter} {part.fact.quantity.text}")
                for quarter, part in zip(("第一季度", "第二季度", "第三季度", "第四季度"), parts, strict=True)
            ),
        )
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=parts[-1].location,
            comparison=comparison,
            related=related,
            relation=Relation(RelationForm.SUM, terms),
        )


def _quarter_rows(facts: tuple[Fact, ...]) -> list[list[Fact]]:
    """The facts of one table row that state the four quarters of one year, in quarter order."""
    rows: defaultdict[tuple[object, ...], dict[str, Fact]] = defaultdict(dict)
    for fact in facts:
        period = fact.period
        location = fact.location
        if (
            fact.source is not FactSource.TABLE
            or period is None
            or len(period.key) != 6
            or period.key[4:] not in _QUARTERS
            or location.table is None
        ):
            continue
        key = (location.table, location.row, fact.metric, fact.entity, period.key[:4])
        rows[key].setdefault(period.key[4:], fact)
    return [[found[q] for q in _QUARTERS] for found in rows.values() if len(found) == len(_QUARTERS)]
