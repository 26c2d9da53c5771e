"""T003 change-rate-mismatch: a 变动比例 / 同比增减 figure that is not (current − prior) / |prior|."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.roles import AnalyzedTable
from hecha.model.diagnostic import Diagnostic, Related
from hecha.rules.base import Rule, RuleContext, compare
from hecha.rules.registry import register
from hecha.rules.tables._columns import (
    SIGNED,
    MappingOptions,
    RowCheck,
    change_mapping,
    change_positions,
    failures,
    show,
    show_percent,
)


@register
class ChangeRateMismatch(Rule):
    """Change rates and differences that do not follow from the two periods' amounts.

    What it checks:
        In a table with the same amount under two periods and a change column (变动比例, 同比增减,
        比上年增减, 增长率), each row's rate equals (current − prior) / |prior|; a difference column
        (变动额, 增减额) equals current − prior. When prior is negative a document divides by |p|
        or by p; the column's convention is the one its negative-prior rows follow (a lone such
        row sets it); a prior of zero or a printed 不适用 is skipped. Which columns are current
        and prior comes from the headers (periods, groups) and is confirmed by the data: the
        mapping counts only when most rows satisfy it, or when its only failure is one row and
        another row holds to three significant digits; a misread table gives no finding. Rows of
        rates inside such a table (研发人员数量占比) are left to T004.

    Why it matters:
        Replies restate growth rates in prose and the exchange quotes them back; a rate computed on
        the wrong base or with the periods swapped misstates the trend.

    Failing example:
        | 项目 | 2025年度金额 | 变动比例 | 2024年度金额 |, rows 半导体存储业务 34,048.57 | 207.88% |
        11,058.91 and 营业收入 50,356.55 | 54.75% | 34,789.38: the second rate computes to 44.75%.

    Passing example:
        The same table with 44.75%, or with a rounding difference within the printed precision.

    Options:
        absolute_tolerance: extra percentage points (or amount units) of slack, default 0.
        min_rows_held: rows that must satisfy a mapping before it is trusted, default 2.
        min_held_share: share of tested rows that must satisfy it, default 2/3.
    """

    code = "T003"
    name = "change-rate-mismatch"
    summary = "变动比例与两期金额计算结果不符"
    summary_en = "Change rate or difference does not match the two periods' amounts"

    @dataclass(frozen=True)
    class Options(MappingOptions):
        """The shared mapping tunables, documented above."""

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: ChangeRateMismatch.Options = self.options  # type: ignore[assignment]
        for table in ctx.tables:
            change_columns = change_positions(table)
            for change in change_columns:
                checks = change_mapping(table, change, options.absolute_tolerance)
                if not options.trusts(checks):
                    continue
                ours = (check for check in checks if check.relation in ("rate", "difference"))
                for check in failures(ctx, table, ours):
                    yield self._finding(table, check, options.absolute_tolerance)

    def _finding(self, table: AnalyzedTable, check: RowCheck, tolerance: Decimal) -> Diagnostic:
        comparison = compare(check.stated, check.nearest, tolerance)
        current, prior = check.operands
        now, before = show(current.quantity), show(prior.quantity)
        # "a − (−b)" reads right; "a − -b" looks like a typo in a message about typos.
        subtracted = f"({before})" if prior.quantity.value < 0 else before
        label = check.row.label
        if check.relation == "rate":
            computed = show_percent(check.nearest.mid)
            base = before if check.denominator_label == SIGNED else f"|{before}|"
            formula = f"({now} − {subtracted}) / {base}"
            message = f"{label}变动比例列示 {show(check.stated)}，按 {formula} 计算为 {computed}"
            message_en = f"{label}: change rate stated as {show(check.stated)}, {formula} gives {computed}"
        else:
            computed = show_percent(check.nearest.mid, check.stated.decimals).rstrip("%")
            message = f"{label}变动额列示 {show(check.stated)}，按 {now} − {subtracted} 计算为 {computed}"
            message_en = (
                f"{label}: difference stated as {show(check.stated)}, {now} − {subtracted} gives {computed}"
            )
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=check.stated_cell.location,
            comparison=comparison,
            relation=check.formula,
            related=(
                Related(current.cell.location, f"本期 {current.label}"),
                Related(prior.cell.location, f"上期 {prior.label}"),
            ),
        )
