"""C003 prose-restatement-mismatch: a figure the prose states (实现营业收入 5.01 亿元, 研发人员由 412 人
下降至 236 人) that differs from the table stating the same fact by more than a rounding slip."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from hecha.model.diagnostic import Diagnostic, Relation, RelationForm
from hecha.model.document import Location
from hecha.model.facts import Claim, ClaimKind, FactSource, Period
from hecha.model.quantity import Interval, Quantity
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
from hecha.rules.prose._linking import (
    Operand,
    TableFigures,
    claim_location,
    claim_scale,
    fact_term,
    figure_kind,
    judged,
    lookup,
    related_of,
    shown,
    subject,
    typo_apart,
    unit_in_base,
)
from hecha.rules.registry import register

_SCALE_WORDS = {0: "元", 4: "万元", 8: "亿元"}


@dataclass(frozen=True)
class _Restatement:
    stated: Quantity
    location: Location
    period: Period
    table: Operand
    comparison: Comparison | None


@register
class ProseRestatementMismatch(Rule):
    """A figure the prose states that differs from the table stating the same fact.

    What it checks:
        Every value claim of the document's own prose (实现/为/达到 X, each figure of 分别为 A、B、C,
        both ends of 由 A 下降至 B) against the table cells stating the same metric of the same
        entity for the same period, after converting units (5.04 亿元 against 50,356.55 万元). A
        correct rounding passes. A prose figure coarser than the table's and one unit of its last
        digit off (5.03 亿元 for 50,356.55 万元) is a wrong rounding that X002 reports: for a coarser
        figure this rule reports a difference of more than one unit of that digit; for a figure as
        precise as the table's, any difference beyond rounding. Tables that disagree make
        the claim unjudged (X001 reports them), and so does a prose figure that some table prints
        or that is nothing like the table's (see typos_only): extract linked it to the wrong fact
        more likely than the document mistyped it. Figures the exchange's letter quotes are left
        to X003.

    Why it matters:
        A reply restates its tables in prose; a figure that matches no table (a typo, an old
        version of the table, another definition) is what the exchange quotes back in its next
        letter.

    Failing example:
        "生态环境建设业务全年实现营业收入 16,370.97 万元" with the table's 16,307.97.

    Passing example:
        "全年实现营业收入 1.63 亿元" with the table's 16,307.97 万元.

    Options:
        absolute_tolerance: extra slack in the prose figure's unit, added to the one unit of its
            last digit (default 0).
        typos_only: report only figures one keystroke away from the table's (a digit changed,
            dropped, added or swapped with its neighbour, the sign lost); a figure nothing like
            the table's is more often about something else than wrong (default true).
    """

    code = "C003"
    name = "prose-restatement-mismatch"
    summary = "正文所述数据与表格列示不符"
    summary_en = "A figure stated in prose differs from the table stating the same fact"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)
        typos_only: bool = True

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: ProseRestatementMismatch.Options = self.options  # type: ignore[assignment]
        facts = ctx.facts
        printed = TableFigures(facts)
        for claim in facts.claims:
            if not judged(claim):
                continue
            for restatement in self._restatements(ctx, claim, options.absolute_tolerance):
                if restatement.comparison is not None and not self._judgeable(restatement, claim, printed):
                    continue
                held = restatement.comparison is None
                cells = [restatement.location]
                if restatement.table.sole:
                    cells.append(restatement.table.best.location)
                ctx.stats.relation(held=held, cells=cells)
                if restatement.comparison is not None:
                    yield self._finding(claim, restatement, restatement.comparison)

    def _restatements(self, ctx: RuleContext, claim: Claim, tolerance: Decimal) -> list[_Restatement]:
        if claim.kind is ClaimKind.VALUE:
            found = self._restatement(
                ctx, claim, claim.quantity, claim_location(claim), claim.period, tolerance
            )
            return [found] if found is not None else []
        if claim.kind is ClaimKind.FROM_TO and not claim.base_metric:
            ends = [
                self._restatement(ctx, claim, claim.quantity, claim_location(claim), claim.period, tolerance)
            ]
            if claim.base_quantity is not None:
                place = replace(claim.location, quote=claim.base_quantity.text)
                ends.append(
                    self._restatement(ctx, claim, claim.base_quantity, place, claim.base_period, tolerance)
                )
            return [end for end in ends if end is not None]
        return []

    def _restatement(
        self,
        ctx: RuleContext,
        claim: Claim,
        stated: Quantity,
        location: Location,
        period: Period | None,
        tolerance: Decimal,
    ) -> _Restatement | None:
        if period is None:
            return None
        scale = stated.scale if stated.scale is not None else claim_scale(claim)
        kind = figure_kind(stated, scale)
        table = lookup(ctx.facts, claim.metric, claim.entity, period, (kind,), sources=(FactSource.TABLE,))
        if table is None:
            return None
        # A prose figure coarser than the table's (亿元 for 万元, fewer decimals) one unit of its
        # last digit off is a wrong rounding, X002's to report: its interval is widened by half a
        # unit, which with its own half unit lets it pass here. As precise as the table, any
        # difference beyond rounding is this rule's.
        half_unit = unit_in_base(stated, scale) / 2
        coarser = half_unit > table.value.radius
        allowance = (half_unit if coarser else Decimal(0)) + tolerance * Decimal(1).scaleb(scale or 0)
        stated_interval = self._in_base(stated, scale)
        comparison = compare(stated, table.value, allowance, stated_interval)
        if comparison is not None:
            # Report in the prose figure's own unit (亿元 when it says 亿元).
            factor = Decimal(1).scaleb(-(scale or 0))
            comparison = Comparison(
                stated=comparison.stated * factor,
                expected=comparison.expected * factor,
                difference=comparison.difference * factor,
                tolerance=comparison.tolerance * factor,
            )
        return _Restatement(stated, location, period, table, comparison)

    def _judgeable(self, restatement: _Restatement, claim: Claim, printed: TableFigures) -> bool:
        """A differing figure is reported only when it looks like a slip of the table's figure:
        one keystroke apart (a digit changed, dropped or added, two swapped, the sign lost). A
        figure that another table prints, or that is nothing like the linked one, is more likely
        about another entity, period or definition than mistyped; it is left unjudged."""
        options: ProseRestatementMismatch.Options = self.options  # type: ignore[assignment]
        stated = restatement.stated
        scale = stated.scale if stated.scale is not None else claim_scale(claim)
        kind = figure_kind(stated, scale)
        if printed.prints(self._in_base(stated, scale).mid, stated, scale, kind):
            return False
        comparison = restatement.comparison
        assert comparison is not None
        return not options.typos_only or typo_apart(stated.value, stated.decimals, comparison.expected)

    @staticmethod
    def _in_base(stated: Quantity, scale: int | None) -> Interval:
        return stated.interval.scaled(Decimal(1).scaleb(scale)) if scale is not None else stated.interval

    def _finding(self, claim: Claim, restatement: _Restatement, comparison: Comparison) -> Diagnostic:
        stated = restatement.stated
        scale = stated.scale if stated.scale is not None else claim_scale(claim)
        unit = _SCALE_WORDS.get(scale, "") if scale is not None else ("%" if stated.is_percent else "")
        shown_stated = format_decimal(comparison.stated, stated.decimals) + unit
        table_text = shown(restatement.table.best)
        converted = format_decimal(comparison.expected, max(stated.decimals, 2)) + unit
        what = f"{restatement.period.text}{subject(claim)}"
        same_unit = table_text.endswith(unit) if unit else True
        table_words = table_text if same_unit else f"{table_text}（即 {converted}）"
        message = f"正文所述{what}为 {shown_stated}，表格列示为 {table_words}"
        message_en = f"Prose states {what} as {shown_stated}; the table states {table_words}"
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=restatement.location,
            comparison=comparison,
            related=tuple(related_of("表格", restatement.table)),
            # The table's figure in the prose figure's unit (50,356.55 万元 as 5.035655 亿元), the
            # unit the comparison is reported in; figures without a scale as printed.
            relation=Relation(RelationForm.EQUAL, (fact_term("other", restatement.table.best, scale),)),
        )
