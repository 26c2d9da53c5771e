"""C002 prose-share-mismatch: a share the prose states (占营业收入的比重为 67.61%, 占比 54.82%, 收入占比
由 19.36% 提升至 38.74%) that the part and the whole it names do not give."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from hecha.extract import metrics
from hecha.extract.factbase import FactBase
from hecha.model.diagnostic import Diagnostic, Relation, RelationForm
from hecha.model.document import Location
from hecha.model.facts import Claim, ClaimKind, Fact, FactSource, Period
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
from hecha.rules.prose._linking import (
    HUNDRED,
    FigureKind,
    MetricPeriods,
    Operand,
    TableFigures,
    TabulatedRate,
    claim_location,
    claim_scale,
    common_scale,
    counted_tabulated,
    fact_kind,
    fact_term,
    judged,
    lookup,
    related_of,
    resolve,
    restated_relation,
    same_metric,
    shown,
    subject,
    tabulated_rate,
    typo_apart,
)
from hecha.rules.registry import register

_KINDS = (FigureKind.AMOUNT, FigureKind.NUMBER)


@dataclass(frozen=True)
class _Share:
    """One stated share with the part and whole it was recomputed from."""

    stated: Quantity
    location: Location
    part: Operand
    whole: Operand
    recomputed: Interval


@register
class ProseShareMismatch(Rule):
    """A share the prose states that its part and whole do not give.

    What it checks:
        Every share claim of the document's own prose (占…的比重/比例为 X%, 占比 X%, and the two
        ends of "占比由 A% 提升至 B%") against part / whole × 100, where the part is the fact of
        the claim's metric, entity and period and the whole the fact of the metric it is a share
        of, for the same entity, or for the whole company when the claim is a segment's share of
        the company's figure of the same metric. A whole the sentence itself prints
        (占全年收入 33,865.58 万元的比重) is used when no other statement of it is linked. Figures
        stated several times count once, at their most precise (tables decide; prose only when
        no table states the figure); figures that disagree make the claim unjudged, and so does
        a failing share that a table prints unless the two are a digit apart (the prose quotes
        that cell; a wrong table share is T002's), one that the part gives with another entity's
        or period's whole (the whole was linked wrongly), or a sentence naming another scope.
        Quotes of the exchange's letter are X003's.

    Why it matters:
        A share computed on the wrong denominator (营业收入 for 主营业务收入, a segment for the
        group) is the most common slip in replies, and the exchange reads shares as evidence of
        concentration and mix.

    Failing example:
        "2025 年直销收入 18,564.22 万元，占全年收入比重为 45.82%。" with 全年收入 33,865.58 万元:
        the share is 54.82%.

    Passing example:
        The same sentence with 54.82%, or a share within the rounding of the two figures.

    Options:
        absolute_tolerance: extra percentage points of slack (default 0).
    """

    code = "C002"
    name = "prose-share-mismatch"
    summary = "正文所述占比与其部分和总额计算结果不符"
    summary_en = "A share stated in prose does not follow from its part and whole"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: ProseShareMismatch.Options = self.options  # type: ignore[assignment]
        facts = ctx.facts
        printed = TableFigures(facts)
        subjects = MetricPeriods(facts)
        for claim in facts.claims:
            if not judged(claim):
                continue
            shares = self._shares(facts, claim)
            if not shares and claim.kind is ClaimKind.SHARE and claim.quantity.unit is Unit.PERCENT:
                restated = tabulated_rate(
                    facts,
                    claim,
                    claim.metric + metrics.SHARE_SUFFIX,
                    claim.quantity.interval,
                    options.absolute_tolerance,
                )
                if restated is not None:
                    differs = counted_tabulated(ctx, claim, restated)
                    if differs is not None:
                        yield self._tabulated_finding(claim, restated, differs)
            for share in shares:
                comparison = compare(share.stated, share.recomputed, options.absolute_tolerance)
                in_a_table = printed.prints(share.stated.value, share.stated, None, FigureKind.PERCENT)
                if comparison is not None:
                    near = typo_apart(comparison.stated, share.stated.decimals, comparison.expected)
                    if (in_a_table and not near) or self._other_whole(claim, share, subjects):
                        continue
                cells = [share.location]
                if not in_a_table:
                    # A changed operand makes the claim fail; when a table prints the share too,
                    # the failure is taken for a wrong link (above), so only the prose is vouched for.
                    cells += [op.best.location for op in (share.part, share.whole) if op.sole]
                ctx.stats.relation(held=comparison is None, cells=cells)
                if comparison is not None:
                    yield self._finding(claim, share, comparison)

    def _tabulated_finding(self, claim: Claim, restated: TabulatedRate, comparison: Comparison) -> Diagnostic:
        decimals = claim.quantity.decimals
        stated = format_decimal(comparison.stated, decimals)
        printed = format_decimal(comparison.expected, max(decimals, restated.table.best.quantity.decimals))
        what = subject(claim)
        return self.diagnostic(
            message=f"正文所述{what}占比为 {stated}%，表格列示为 {printed}%",
            message_en=f"Prose states the share of {what} as {stated}%; the table prints {printed}%",
            location=claim_location(claim),
            comparison=comparison,
            related=tuple(related_of("表格", restated.table)),
            relation=restated_relation(restated),
        )

    def _shares(self, facts: FactBase, claim: Claim) -> list[_Share]:
        if claim.kind is ClaimKind.SHARE:
            share = self._share(
                facts, claim, claim.quantity, claim_location(claim), claim.period, claim.base_period
            )
            return [share] if share is not None else []
        if claim.kind is ClaimKind.FROM_TO and claim.base_metric and claim.base_quantity is not None:
            found = []
            to_share = self._share(facts, claim, claim.quantity, claim_location(claim), claim.period, None)
            if to_share is not None:
                found.append(to_share)
            from_place = replace(claim.location, quote=claim.base_quantity.text)
            from_share = self._share(facts, claim, claim.base_quantity, from_place, claim.base_period, None)
            if from_share is not None:
                found.append(from_share)
            return found
        return []

    def _share(
        self,
        facts: FactBase,
        claim: Claim,
        stated: Quantity,
        location: Location,
        period: Period | None,
        whole_period: Period | None,
    ) -> _Share | None:
        if stated.unit is not Unit.PERCENT or not claim.base_metric or period is None:
            return None
        part = lookup(facts, claim.metric, claim.entity, period, _KINDS, exclude=claim.location)
        whole = self._whole(facts, claim, whole_period or period)
        if part is None or whole is None or fact_kind(part.best) is not fact_kind(whole.best):
            return None
        if part.best.key == whole.best.key:
            return None  # a share of itself: the claim was linked to the wrong figure
        ratio = part.value / whole.value
        if ratio is None:
            return None
        return _Share(stated, location, part, whole, ratio.scaled(HUNDRED))

    def _whole(self, facts: FactBase, claim: Claim, period: Period) -> Operand | None:
        """The whole a share is of: the base metric of the claim's own entity, or of the company
        when a segment's figure is a share of the same metric (占合并营业收入比重)."""
        entity = claim.entity
        if same_metric(claim.base_metric, claim.metric):
            if not claim.entity:
                return None
            entity = ""
        found = lookup(facts, claim.base_metric, entity, period, _KINDS, exclude=claim.location)
        if found is not None:
            return found
        if claim.base_quantity is not None and claim.kind is ClaimKind.SHARE:
            # The sentence prints the whole itself: "占全年存储主营业务收入 33,865.58 万元的比重".
            printed = Fact(
                claim.base_metric, claim.base_metric, entity, period, claim.base_quantity,
                claim.base_quantity.scale if claim.base_quantity.scale is not None else claim_scale(claim),
                replace(claim.location, quote=claim.base_quantity.text), FactSource.PROSE,
            )  # fmt: skip
            return resolve([printed], _KINDS)
        return None

    @staticmethod
    def _other_whole(claim: Claim, share: _Share, subjects: MetricPeriods) -> bool:
        """The stated share is the part's share of another entity's or period's figure of the
        whole's metric: the whole was likely linked wrongly (the group for a segment, the year
        for a quarter)."""
        whole = share.whole.best
        for entity in subjects.entities(whole.metric):
            for key, group in subjects.periods(whole.metric, entity).items():
                if entity == whole.entity and whole.period is not None and key == whole.period.key:
                    continue
                other = resolve(group, _KINDS)
                if other is None or fact_kind(other.best) is not fact_kind(share.part.best):
                    continue
                ratio = share.part.value / other.value
                if ratio is not None and ratio.scaled(HUNDRED).overlaps(share.stated.interval):
                    return True
        return False

    def _finding(self, claim: Claim, share: _Share, comparison: Comparison) -> Diagnostic:
        decimals = share.stated.decimals
        stated = format_decimal(comparison.stated, decimals)
        expected = format_decimal(comparison.expected, decimals)
        part, whole = shown(share.part.best), shown(share.whole.best)
        what = subject(claim)
        base = share.whole.best.metric_text or claim.base_metric
        message = f"正文所述{what}占{base}的比例为 {stated}%，按 {part} / {whole} 计算为 {expected}%"
        message_en = f"Prose states {what} as {stated}% of {base}; {part} / {whole} gives {expected}%"
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=share.location,
            comparison=comparison,
            related=(*related_of("部分", share.part), *related_of("总额", share.whole)),
            relation=self._relation(share),
        )

    @staticmethod
    def _relation(share: _Share) -> Relation:
        """part / whole × 100, both in the coarser of their units (the share is unit-free)."""
        unit_scale = common_scale(share.part.best, share.whole.best)
        terms = (
            fact_term("numerator", share.part.best, unit_scale),
            fact_term("denominator", share.whole.best, unit_scale),
        )
        return Relation(RelationForm.RATIO, terms, HUNDRED)
