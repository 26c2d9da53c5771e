"""T004 percentage-point-mismatch: a 个百分点 change that is not the difference of two percentages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from hecha.model.diagnostic import Diagnostic, Related
from hecha.rules.base import Rule, RuleContext, compare, format_decimal
from hecha.rules.registry import register
from hecha.rules.tables._columns import (
    RELATIVE,
    RELATIVE_SIGNED,
    MappingOptions,
    RowCheck,
    change_mapping,
    change_positions,
    failures,
    show,
)


@register
class PercentagePointMismatch(Rule):
    """Percentage-point changes that are not the difference of the two percentages they compare.

    What it checks:
        A change column over two percentages (毛利率 this year and last, 占比 of two periods) states
        their difference in points: "增加 2.07", "减少1.11个百分点", "-1.11", or "0.70%" beside
        13.45% and 12.75%. Each row's figure must equal current − prior. The two percentage
        columns come from the headers (periods, groups, same measure) and are confirmed by the
        data: the mapping counts only when most rows satisfy it, or when its only failure is one
        row and another row holds to three significant digits. A rate row inside an amount table
        (研发人员数量占比 13.45% / 12.75% / 0.70%) is checked here too; a rate column may print
        such rows' changes as points or as relative changes, and the column's rows decide which.

    Why it matters:
        Margin and share movements are what inquiry letters ask about; a point change that does not
        match the two margins misstates the movement being explained.

    Failing example:
        | 细分产品 | 2025年度毛利率 | 2024年10-12月毛利率 | 变动 |, rows 固态硬盘类 13.34% | 2.99% |
        10.35% and 移动存储 29.78% | 30.99% | -2.21%: 29.78 − 30.99 = −1.21 points.

    Passing example:
        The same table with -1.21%, or "减少1.21个百分点".

    Options:
        absolute_tolerance: extra points of slack, default 0.
        min_rows_held: rows that must satisfy a mapping before it is trusted, default 2.
        min_held_share: share of tested rows that must satisfy it, default 2/3.
    """

    code = "T004"
    name = "percentage-point-mismatch"
    summary = "百分点变动与两期百分比之差不符"
    summary_en = "Percentage-point change does not equal the difference of the two percentages"

    @dataclass(frozen=True)
    class Options(MappingOptions):
        """The shared mapping tunables, documented above."""

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: PercentagePointMismatch.Options = self.options  # type: ignore[assignment]
        for table in ctx.tables:
            for change in change_positions(table):
                checks = change_mapping(table, change, options.absolute_tolerance)
                if not options.trusts(checks):
                    continue
                points = (check for check in checks if check.relation == "pp")
                for check in failures(ctx, table, points):
                    yield self._finding(check, options.absolute_tolerance)

    def _finding(self, check: RowCheck, tolerance: Decimal) -> Diagnostic:
        comparison = compare(check.stated, check.nearest, tolerance)
        current, prior = check.operands
        now, before = show(current.quantity), show(prior.quantity)
        computed = format_decimal(check.nearest.mid, max(check.stated.decimals, 2))
        stated = check.stated_cell.text.strip() or show(check.stated)
        label = check.row.label
        if check.denominator_label in (RELATIVE, RELATIVE_SIGNED):
            # The column prints its percentage rows' changes as rates, not points.
            base = before if check.denominator_label == RELATIVE_SIGNED else f"|{before}|"
            message = f"{label}变动比例列示 {stated}，按 ({now} − {before}) / {base} 计算为 {computed}%"
            message_en = (
                f"{label}: change rate stated as {stated}, ({now} − {before}) / {base} gives {computed}%"
            )
        else:
            message = f"{label}百分点变动列示 {stated}，按 {now} − {before} 计算为 {computed} 个百分点"
            message_en = (
                f"{label}: percentage-point change stated as {stated}, "
                f"{now} − {before} gives {computed} points"
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
