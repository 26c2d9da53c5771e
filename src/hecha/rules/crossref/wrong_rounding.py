"""X002 wrong-rounding: a figure restated in a coarser unit or with fewer decimals (5.03 亿元 for
50,356.55 万元, 512.4 for 512.47) that is not the correct rounding of the precise figure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from hecha.model.diagnostic import Diagnosis, Diagnostic
from hecha.model.facts import FactSource
from hecha.rules.base import Comparison, Rule, RuleContext
from hecha.rules.crossref._statements import (
    Judgement,
    Statement,
    Verdict,
    agree,
    anchored_groups,
    comparable,
    judge_with_slack,
    place_of,
    place_of_en,
    related_places,
    restatement_relation,
    subject,
    suffix,
)
from hecha.rules.registry import register


@register
class WrongRounding(Rule):
    """A rounded restatement that is not the correct rounding of the precise figure.

    What it checks:
        For every fact stated in two or more places of the same scope (see X001), the places
        printed coarser than the precise table figure (亿元 against 万元, one decimal against
        two) must equal the precise figure rounded half-up to their own unit and decimals, after
        converting units. A coarser figure one unit of its last digit off (5.03 for 5.0357: cut
        off instead of rounded, or rounded the wrong way) is reported with the correct rounding;
        a coarser table figure printing the precise one with its sign flipped is reported too.
        A figure further off is another value: X001 (tables) or C003 (prose) report it. When the
        precise tables disagree among themselves the correct rounding is unknown and nothing is
        judged.

    Why it matters:
        A reply's prose and summary tables round the detailed tables' figures; a figure rounded
        the wrong way is the kind of slip a reader takes for a second, different number.

    Failing example:
        "营业收入 5.03 亿元" with the table's 50,356.55 万元 (correct rounding 5.04 亿元); 512.4 in
        one table and 512.47 in another (512.47 rounds to 512.5).

    Passing example:
        "营业收入 5.04 亿元" with 50,356.55 万元; "归母净利润亏损 1.20 亿元" with -11,959.82 万元.

    Options:
        absolute_tolerance: extra slack in the rounded figure's unit (default 0).
    """

    code = "X002"
    name = "wrong-rounding"
    summary = "取整后的数据不是精确数据的正确四舍五入"
    summary_en = "A rounded restatement is not the correct rounding of the precise figure"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: WrongRounding.Options = self.options  # type: ignore[assignment]
        for group, tables, anchor in anchored_groups(ctx, min_tables=1):
            precise = [item for item in tables if item.quantum == anchor.quantum and comparable(item, anchor)]
            if not all(agree(item, anchor) for item in precise):
                continue  # the precise tables disagree (X001): the correct rounding is unknown
            for item in group:
                if item.quantum <= anchor.quantum or not comparable(item, anchor):
                    continue
                judgement = judge_with_slack(item, anchor, options.absolute_tolerance)
                if judgement.verdict is Verdict.GROSS:
                    continue  # another value, not a rounding: X001 / C003
                if judgement.verdict is Verdict.SIGN and item.source is not FactSource.TABLE:
                    continue  # a prose figure with another sign differs by more than a rounding (C003)
                held = judgement.verdict is Verdict.AGREE
                ctx.stats.relation(
                    table=item.location.table if item.location.table is not None else anchor.location.table,
                    held=held,
                    cells=[item.location, anchor.location],
                )
                if not held:
                    yield self._finding(item, anchor, group, judgement)

    def _finding(
        self, item: Statement, anchor: Statement, group: list[Statement], judgement: Judgement
    ) -> Diagnostic:
        fact = item.fact
        quantity = fact.quantity
        correct = judgement.correct if judgement.correct is not None else anchor.in_units_of(item).mid
        unit = suffix(item)
        printed_text = quantity.text if quantity.text.rstrip().endswith(unit) else quantity.text + unit
        precise = f"{anchor.fact.quantity.text}{suffix(anchor)}"
        what = subject(fact)
        period = fact.period.text if fact.period else ""
        correct_text = f"{correct:,}" if "," in quantity.text else f"{correct}"
        how = ""
        how_en = ""
        if judgement.verdict is Verdict.SIGN:
            how, how_en = "（符号相反）", " (sign flipped)"
        elif judgement.truncated:
            how, how_en = "（系截位而非四舍五入）", " (truncated instead of rounded)"
        message = (
            f"{what}（{period}）列示为 {printed_text}，按{place_of(anchor.location)}的 {precise} "
            f"四舍五入应为 {correct_text}{unit}{how}"
        )
        message_en = (
            f"{what} ({period}) is printed {quantity.text}; {precise} at {place_of_en(anchor.location)} "
            f"rounds to {correct_text}{how_en}"
        )
        comparison = Comparison(
            stated=quantity.value,
            expected=correct,
            difference=quantity.value - correct,
            tolerance=quantity.half_ulp,
        )
        diagnostic = self.diagnostic(
            message=message,
            message_en=message_en,
            location=item.location,
            comparison=comparison,
            related=related_places(group, exclude=item),
            # The precise figure itself (not its rounding), for diagnosis to recompute.
            relation=restatement_relation(anchor, item),
        )
        if judgement.verdict is Verdict.SIGN:
            return replace(diagnostic, diagnosis=Diagnosis("sign-flip", "与精确数据金额相同、符号相反"))
        if judgement.truncated:
            return replace(diagnostic, diagnosis=Diagnosis("truncated", "精确数据被直接截位，未四舍五入"))
        return diagnostic
