"""X001 fact-restated-differently: one fact (metric, entity, period, scope) printed with different
values in two tables of the same document."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from hecha.model.diagnostic import Diagnosis, Diagnostic
from hecha.rules.base import Rule, RuleContext, compare
from hecha.rules.crossref._statements import (
    Statement,
    Verdict,
    anchored_groups,
    as_printed,
    comparable,
    different_subjects,
    judge_with_slack,
    place_of,
    place_of_en,
    related_places,
    restatement_relation,
    stated_in_table_of,
    subject,
    suffix,
)
from hecha.rules.registry import register


@register
class FactRestatedDifferently(Rule):
    """The same fact stated with different values in two tables.

    What it checks:
        Every fact the fact base finds in two or more tables (same metric, entity and period)
        whose places name the same scope: a place under a 母公司 statement, in a 调整前/调整后 or
        重述 column, "按全年完整口径", 模拟/备考, 含税/不含税, 净额法/总额法 or a forecast is compared
        only with places of that same scope. The places taken as right are the largest set of
        the most precise places that agree with each other (ties: cells verified by a table
        relation, then the earliest place); every other table place that differs from them by
        more than its rounding is reported, with every place of the fact as related. A coarser
        place one unit of its last digit off is a wrong rounding (X002); a prose figure that
        differs from the tables is C003's; a figure the exchange's letter quotes is X003's.

    Why it matters:
        Replies and annual reports repeat key figures (营业收入, 净利润, 期末余额) in several tables;
        a figure retyped by hand into one of them is a misstatement a reader cannot resolve.

    Failing example:
        营业收入 2025年度 = 50,356.55 万元 in the revenue table and 50,536.55 万元 in the segment
        table.

    Passing example:
        50,356.55 万元 in both tables; or 营业收入 of the 合并利润表 and of the 母公司利润表.

    Options:
        absolute_tolerance: extra slack in the reported place's unit (default 0).
    """

    code = "X001"
    name = "fact-restated-differently"
    summary = "同一数据在不同表格中列示不一致"
    summary_en = "The same fact is stated with different values in two tables"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: FactRestatedDifferently.Options = self.options  # type: ignore[assignment]
        for group, tables, anchor in anchored_groups(ctx, min_tables=2):
            for item in tables:
                if item is anchor or not comparable(item, anchor) or different_subjects(ctx, item, anchor):
                    continue
                judgement = judge_with_slack(item, anchor, options.absolute_tolerance)
                if item.quantum > anchor.quantum and judgement.verdict is not Verdict.GROSS:
                    continue  # a coarser place: its rounding is X002's to judge
                held = judgement.verdict is Verdict.AGREE
                if not held and (stated_in_table_of(item, anchor) or stated_in_table_of(anchor, item)):
                    continue  # one place is a part of the other's table: labels, not values, differ
                # Both places are verified: a misprint in either would break the pair. (The
                # mutation benchmark re-checks one table alone; it skips cells verified only so.)
                ctx.stats.relation(
                    table=item.location.table, held=held, cells=[item.location, anchor.location]
                )
                if not held:
                    finding = self._finding(
                        item, anchor, group, judgement.verdict, options.absolute_tolerance
                    )
                    if finding is not None:
                        yield finding

    def _finding(
        self,
        item: Statement,
        anchor: Statement,
        group: list[Statement],
        verdict: Verdict,
        absolute_tolerance: Decimal,
    ) -> Diagnostic | None:
        comparison = compare(item.fact.quantity, anchor.in_units_of(item), absolute_tolerance)
        if comparison is None:
            return None
        fact = item.fact
        what = subject(fact)
        period = fact.period.text if fact.period else ""
        unit = suffix(item)
        other = as_printed(anchor, item)
        message = (
            f"{what}（{period}）此处列示为 {fact.quantity.text}{unit}，而{place_of(anchor.location)}"
            f"列示为 {other}{unit}，同一数据两处不一致（差额 {comparison.difference:,}{unit}）"
        )
        message_en = (
            f"{what} ({period}) is {fact.quantity.text} here but {other} at "
            f"{place_of_en(anchor.location)}: the same fact stated with two values "
            f"(difference {comparison.difference:,})"
        )
        diagnostic = self.diagnostic(
            message=message,
            message_en=message_en,
            location=item.location,
            comparison=comparison,
            related=related_places(group, exclude=item),
            relation=restatement_relation(anchor, item),
        )
        if verdict is Verdict.SIGN:
            diagnostic = replace(
                diagnostic,
                diagnosis=Diagnosis(
                    kind="sign-flip", sentence="两处金额相同而符号相反 (the sign is flipped)"
                ),
            )
        return diagnostic
