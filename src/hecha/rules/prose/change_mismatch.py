"""C001 prose-change-mismatch: a change the prose states (同比增长 44.75%, 减少 2.71 个百分点, 增亏
20.23%, 是上年的 1.5 倍, 增加 1,133.43 万元) that the figures it compares do not give."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from hecha.extract import metrics
from hecha.extract.factbase import FactBase
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm
from hecha.model.facts import Claim, ClaimKind, Fact, FactSource, Period
from hecha.model.quantity import Interval
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
from hecha.rules.prose._linking import (
    HUNDRED,
    FigureKind,
    MetricPeriods,
    Operand,
    TableFigures,
    TabulatedRate,
    cells_of,
    claim_location,
    claim_scale,
    common_scale,
    counted_tabulated,
    fact_kind,
    fact_term,
    figure_kind,
    judged,
    lookup,
    metric_words,
    previous_year_key,
    related_of,
    resolve,
    restated_relation,
    sentence_states_other,
    shown,
    signed_interval,
    subject,
    tabulated_rate,
    typo_apart,
    words_before,
)
from hecha.rules.registry import register

_OPERAND_KINDS = (FigureKind.AMOUNT, FigureKind.NUMBER, FigureKind.PERCENT)
_LOSS_WIDER = ("增亏", "亏损扩大", "亏损增加", "亏损额扩大", "亏损金额增加", "亏损进一步扩大")
_LOSS_NARROWER = ("减亏", "亏损缩窄", "亏损收窄", "亏损缩小", "亏损减少", "亏损额减少", "亏损金额减少")
_SCALE_WORDS = {0: "元", 4: "万元", 8: "亿元"}
_GROWTH_WORDS = ("增长", "增加", "提高", "上升", "提升")


@dataclass(frozen=True)
class _Evaluation:
    """One claim recomputed: the readings its figures allow (any holding is enough), the operands,
    and how the first reading is written in a message."""

    stated: Interval
    readings: tuple[Interval, ...]
    current: Operand
    prior: Operand
    formula: str
    unit: str  # "%", "个百分点", "倍" or the stated amount's unit word
    relation: Relation  # the first (usual) reading over the printed operands, for diagnosis
    # The stated figure as a table's change column would print it: −20.23% for "增亏 20.23%".
    conventional_sign: int = 1

    def comparison(self, tolerance: Decimal, claim: Claim) -> Comparison | None:
        """None when some reading holds; else the comparison with the first (usual) reading."""
        failures = [compare(claim.quantity, reading, tolerance, self.stated) for reading in self.readings]
        if any(failure is None for failure in failures):
            return None
        return failures[0]


def _rate(current: Interval, prior: Interval) -> Interval | None:
    """(current − prior) / |prior| × 100, written current / |prior| − sign(prior) so that the two
    operands' rounding intervals propagate without counting the prior twice."""
    if prior.contains_zero():
        return None
    quotient = current / prior.abs()
    if quotient is None:
        return None
    sign = Decimal(1) if prior.low > 0 else Decimal(-1)
    return (quotient - Interval.exact(sign)).scaled(HUNDRED)


def _from_to_operands(facts: FactBase, claim: Claim) -> tuple[Operand, Operand] | None:
    """The "from" and "to" figures of a 由 A 增长至 B claim in the same sentence, for a change the
    sentence states about them when no other statement of the two figures is linked."""
    for other in facts.claims:
        if (
            other.kind is ClaimKind.FROM_TO
            and other.sentence == claim.sentence
            and other.location.page == claim.location.page
            and other.location.line == claim.location.line
            and other.metric == claim.metric
            and other.entity == claim.entity
            and other.base_quantity is not None
        ):
            scale = claim_scale(other)
            to_fact = Fact(
                other.metric, other.metric_text, other.entity, other.period, other.quantity, scale,
                claim_location(other), FactSource.PROSE,
            )  # fmt: skip
            from_fact = Fact(
                other.metric, other.metric_text, other.entity, other.base_period, other.base_quantity, scale,
                replace(other.location, quote=other.base_quantity.text), FactSource.PROSE,
            )  # fmt: skip
            current = resolve([to_fact], _OPERAND_KINDS)
            prior = resolve([from_fact], _OPERAND_KINDS)
            if current is not None and prior is not None:
                return current, prior
    return None


def _change(current: Operand, prior: Operand, sign: int = 1) -> Relation:
    """(c − p) / |p| × 100 over the two figures in the coarser of their units (the rate is
    unit-free); ``sign`` −1 reads both as sizes of losses."""
    unit_scale = common_scale(current.best, prior.best)
    terms = (
        fact_term("current", current.best, unit_scale, sign),
        fact_term("prior", prior.best, unit_scale, sign),
    )
    return Relation(RelationForm.CHANGE, terms, HUNDRED)


def _difference(current: Operand, prior: Operand, unit_scale: int | None) -> Relation:
    """c − p in the stated figure's unit (10^``unit_scale`` 元; as printed for rates and counts)."""
    terms = (fact_term("current", current.best, unit_scale), fact_term("prior", prior.best, unit_scale))
    return Relation(RelationForm.DIFFERENCE, terms)


@register
class ProseChangeMismatch(Rule):
    """A change the prose states that the two figures it compares do not give.

    What it checks:
        Every change claim of the document's own prose, recomputed from the facts of its metric,
        entity and periods (table cells and figures stated in prose; a figure stated several times
        counts once, at its most precise; figures that disagree make the claim unjudged):
        同比增长/下降 X% = (current − prior) / |prior|, the direction word giving the sign; 增亏 /
        亏损扩大 X% on two losses = |current| / |prior| − 1, 减亏 / 亏损缩窄 X% its opposite; X 个百分点
        = the difference of two percentages; 增加/减少 X 万元 = current − prior; 是…的 X 倍 = A / B.
        With a negative prior and no loss word either sign is accepted (documents vary). A change
        stated beside 由 A 增长至 B is checked against A and B when nothing else states them.
        Tables decide a figure's value; a prose figure only when no table states it. A failing
        claim is left unjudged when a table prints the stated rate and the recomputed one is not
        a digit away from it (the prose quotes that cell: the link is the likelier mistake, and
        a wrong table rate is T003's) or when another
        pairing of the metric's periods or entities gives it (a wrong base period or entity
        linked), as is a sentence naming another scope (全年完整口径, 模拟, 剔除…). Figures the
        exchange's letter quotes are left to X003.

    Why it matters:
        Replies argue from trends; a growth rate that the reply's own tables do not give (a wrong
        base year, the periods swapped, a typo) undermines the explanation the exchange asked for.

    Failing example:
        "生态环境建设业务全年实现营业收入 16,307.97 万元，同比下降 31.82%。" with the table giving
        16,307.97 (2025) and 23,730.48 (2024): the change is −31.28%.

    Passing example:
        The same sentence with "同比下降 31.28%", or a rate within the rounding of the figures.

    Options:
        absolute_tolerance: extra slack in the stated figure's unit (default 0).
    """

    code = "C001"
    name = "prose-change-mismatch"
    summary = "正文所述变动与所比较数据计算结果不符"
    summary_en = "A change stated in prose does not follow from the figures it compares"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: ProseChangeMismatch.Options = self.options  # type: ignore[assignment]
        facts = ctx.facts
        printed = TableFigures(facts)
        subjects = MetricPeriods(facts)
        for claim in facts.claims:
            if not judged(claim):
                continue
            evaluation = self._evaluate(facts, claim)
            if evaluation is None:
                restated = self._tabulated(facts, claim, options.absolute_tolerance)
                if restated is not None:
                    differs = counted_tabulated(ctx, claim, restated)
                    if differs is not None:
                        yield self._tabulated_finding(claim, restated, differs)
                continue
            comparison = evaluation.comparison(options.absolute_tolerance, claim)
            in_a_table = self._printed_in_a_table(claim, evaluation, printed)
            if comparison is not None:
                # A near miss (one digit off) is a wrong figure even when a table prints it too:
                # a wrong link gives a figure nothing like the stated one.
                near = typo_apart(comparison.stated, claim.quantity.decimals, comparison.expected)
                if (in_a_table and not near) or self._other_pairing(claim, evaluation, subjects):
                    continue
            # When a table prints the rate too, a change to an operand leaves the claim unjudged
            # (see above): the relation then vouches for the prose figure only.
            operands = () if in_a_table else (evaluation.current, evaluation.prior)
            ctx.stats.relation(held=comparison is None, cells=cells_of(claim, *operands))
            if comparison is not None:
                finding = self._finding(claim, evaluation, comparison)
                yield finding
                yield from self._restated_in_tables(facts, claim, finding)

    @staticmethod
    def _restated_in_tables(facts: FactBase, claim: Claim, finding: Diagnostic) -> Iterator[Diagnostic]:
        """The same wrong rate printed in a table too (the company's own row of a peer table:
        "诚邦股份-半导体存储业务 | 15,093.17 | 36.48% | 160.34%"): the same finding at that cell."""
        if claim.kind is not ClaimKind.CHANGE_RATE or claim.period is None or claim.base_period is None:
            return
        ring = claim.base_period.key != previous_year_key(claim.period.key)
        suffix = (metrics.RING_PREFIX if ring else "") + metrics.CHANGE_RATE_SUFFIX
        stated = signed_interval(claim)
        if stated is None:
            return
        for metric in metric_words(claim.metric):
            for fact in facts.lookup(metric + suffix, claim.entity, claim.period.key):
                if fact.source is not FactSource.TABLE or fact.quantity.unit is not claim.quantity.unit:
                    continue
                if not fact.quantity.interval.overlaps(stated):
                    continue
                yield replace(
                    finding,
                    message="表格与正文同样列示" + finding.message.removeprefix("正文所述"),
                    message_en="A table repeats the prose: " + finding.message_en,
                    location=fact.location,
                    related=(Related(claim_location(claim), "正文所述"), *finding.related),
                )

    @staticmethod
    def _tabulated(facts: FactBase, claim: Claim, tolerance: Decimal) -> TabulatedRate | None:
        """A year-on-year rate whose two figures no table states, against the table that prints
        the rate itself (a 变动比例 column of the same metric, entity and period)."""
        if claim.kind is not ClaimKind.CHANGE_RATE or claim.period is None:
            return None
        if "环比" in words_before(claim, 24) or "环比" in claim.sentence:
            return None
        if claim.base_period is not None and claim.base_period.key != previous_year_key(claim.period.key):
            return None
        if any(term in words_before(claim) for term in (*_LOSS_WIDER, *_LOSS_NARROWER)):
            return None  # a loss's change: printed with either sign, its size is another reading
        stated = signed_interval(claim)
        if stated is None:
            return None
        return tabulated_rate(facts, claim, claim.metric + metrics.CHANGE_RATE_SUFFIX, stated, tolerance)

    def _tabulated_finding(self, claim: Claim, restated: TabulatedRate, comparison: Comparison) -> Diagnostic:
        what = subject(claim)
        decimals = claim.quantity.decimals
        stated = format_decimal(comparison.stated, decimals)
        printed = format_decimal(comparison.expected, max(decimals, restated.table.best.quantity.decimals))
        period = f"（{claim.period.text}）" if claim.period else ""
        period_en = f" ({claim.period.text})" if claim.period else ""
        return self.diagnostic(
            message=f"正文所述{what}{period}变动比例为 {stated}%，表格列示为 {printed}%",
            message_en=(
                f"Prose states the change rate of {what}{period_en} as {stated}%; the table prints {printed}%"
            ),
            location=claim_location(claim),
            comparison=comparison,
            related=tuple(related_of("表格", restated.table)),
            relation=restated_relation(restated),
        )

    def _evaluate(self, facts: FactBase, claim: Claim) -> _Evaluation | None:
        kinds = self._operand_kinds(claim)
        if not kinds or claim.period is None:
            return None
        base_metric, base_period = self._base(claim)
        if base_period is None or (base_metric, base_period.key) == (claim.metric, claim.period.key):
            return None
        place = claim.location
        current = lookup(facts, claim.metric, claim.entity, claim.period, kinds, exclude=place)
        prior = lookup(facts, base_metric, claim.entity, base_period, kinds, exclude=place)
        if (current is None or prior is None) and claim.kind is not ClaimKind.MULTIPLE:
            pair = _from_to_operands(facts, claim)
            if pair is not None:
                current, prior = pair
        if current is None or prior is None or sentence_states_other(facts, claim, current):
            return None
        if current.value.overlaps(prior.value) and claim.quantity.value != 0:
            # (A − A) / A: both periods linked to one figure (a mislabelled period); the claim
            # compares two different figures, so the link, not the document, is wrong.
            return None
        return self._readings(claim, current, prior)

    @staticmethod
    def _base(claim: Claim) -> tuple[str, Period | None]:
        """The metric and period the claim compares with (a multiple may name another metric)."""
        if claim.kind is ClaimKind.MULTIPLE:
            return claim.base_metric or claim.metric, claim.base_period or claim.period
        return claim.metric, claim.base_period

    @staticmethod
    def _operand_kinds(claim: Claim) -> tuple[FigureKind, ...]:
        if claim.kind is ClaimKind.CHANGE_RATE:
            return _OPERAND_KINDS
        if claim.kind is ClaimKind.PP_CHANGE:
            return (FigureKind.PERCENT,)
        if claim.kind is ClaimKind.MULTIPLE:
            return (FigureKind.AMOUNT, FigureKind.NUMBER)
        if claim.kind is ClaimKind.DIFFERENCE:
            kind = figure_kind(claim.quantity, claim_scale(claim))
            return (kind,) if kind in (FigureKind.AMOUNT, FigureKind.NUMBER) else ()
        return ()

    def _readings(self, claim: Claim, current: Operand, prior: Operand) -> _Evaluation | None:
        """The stated figure and the values the two operands allow for it."""
        kind = fact_kind(current.best)
        if kind is not fact_kind(prior.best) or kind not in self._operand_kinds(claim):
            return None
        now, before = current.value, prior.value
        this, that = shown(current.best), shown(prior.best)
        if claim.kind is ClaimKind.CHANGE_RATE:
            return self._change_rate(claim, current, prior)
        stated = signed_interval(claim)
        if claim.kind is ClaimKind.PP_CHANGE and stated is not None:
            # Two percentages as printed: their difference is the stated figure's unit.
            relation = _difference(current, prior, None)
            return _Evaluation(
                stated, (now - before,), current, prior, f"{this} − {that}", "个百分点", relation
            )
        if claim.kind is ClaimKind.DIFFERENCE and stated is not None:
            scale = claim_scale(claim)
            # Recompute in the stated figure's unit (万元 when it says 万元): the finding reads as printed.
            reading = (now - before).scaled(Decimal(1).scaleb(-(scale or 0)))
            # Preparers subtract the two figures as rounded to the stated unit (67,488.00 万元 −
            # 59,218.33 万元 = 8,269.67 万元 where the 元 figures give 8,269.68): each rounding
            # moves the difference by up to half a unit of the stated figure's last digit.
            rounded = reading.widened(Decimal(1).scaleb(-claim.quantity.decimals))
            unit = _SCALE_WORDS.get(scale, "") if scale is not None else ""
            relation = _difference(current, prior, scale)
            return _Evaluation(stated, (reading, rounded), current, prior, f"{this} − {that}", unit, relation)
        if claim.kind is ClaimKind.MULTIPLE:
            ratio = now / before
            if ratio is None:
                return None
            readings: tuple[Interval, ...] = (ratio,)
            if any(word in words_before(claim) for word in _GROWTH_WORDS):
                # "增长了 1.5 倍" is read as ×2.5 by some writers and as ×1.5 by others.
                readings = (ratio, ratio - Interval.exact(Decimal(1)))
            # A multiple is unit-free: both figures in the coarser of their units.
            unit_scale = common_scale(current.best, prior.best)
            relation = Relation(
                RelationForm.RATIO,
                (
                    fact_term("numerator", current.best, unit_scale),
                    fact_term("denominator", prior.best, unit_scale),
                ),
            )
            return _Evaluation(
                claim.quantity.interval, readings, current, prior, f"{this} / {that}", "倍", relation
            )
        return None

    def _change_rate(self, claim: Claim, current: Operand, prior: Operand) -> _Evaluation | None:
        now, before = current.value, prior.value
        magnitude = claim.quantity.interval.abs()
        loss_sign = self._loss_sign(words_before(claim))
        if now.high < 0 and before.high < 0 and loss_sign is not None:
            # Two losses described as a loss that grew or shrank: the rate is on the losses' sizes.
            change = now.abs() / before.abs()
            if change is None:
                return None
            formula = f"|{shown(current.best)}| / |{shown(prior.best)}| − 1"
            stated = magnitude if loss_sign > 0 else -magnitude
            reading = (change - Interval.exact(Decimal(1))).scaled(HUNDRED)
            # The change of the losses' sizes: each loss enters with sign −1 (|c| = −c).
            relation = _change(current, prior, sign=-1)
            return _Evaluation(
                stated, (reading,), current, prior, formula, "%", relation, conventional_sign=-1
            )
        stated_interval = signed_interval(claim)
        rate = _rate(now, before)
        if stated_interval is None or rate is None:
            return None
        readings: tuple[Interval, ...] = (rate,)
        if before.high < 0:
            readings = (rate, -rate)  # (c − p) / p is printed as often as (c − p) / |p|
        if fact_kind(current.best) is FigureKind.PERCENT:
            readings = (*readings, now - before)  # "毛利率增长 2%" may mean two points
        base = f"|{shown(prior.best)}|" if before.high < 0 else shown(prior.best)
        formula = f"({shown(current.best)} − {shown(prior.best)}) / {base}"
        return _Evaluation(stated_interval, readings, current, prior, formula, "%", _change(current, prior))

    @staticmethod
    def _loss_sign(words: str) -> int | None:
        """+1 when the words say the loss grew (增亏, 亏损扩大), −1 when it shrank (减亏, 亏损缩窄);
        None when they only mention a loss: the usual (current − prior) / |prior| reading applies."""
        wider = any(term in words for term in _LOSS_WIDER)
        narrower = any(term in words for term in _LOSS_NARROWER)
        if wider == narrower:
            return None
        return 1 if wider else -1

    @staticmethod
    def _printed_in_a_table(claim: Claim, evaluation: _Evaluation, printed: TableFigures) -> bool:
        """A table prints the stated rate (a change column): when the linked facts give another
        value, the prose is quoting that cell and the link is the likelier mistake (a wrong rate
        in the table itself is T003's)."""
        stated = claim.quantity
        kind = figure_kind(stated, claim_scale(claim))
        as_printed = evaluation.stated.mid * evaluation.conventional_sign
        return kind is FigureKind.PERCENT and printed.prints(as_printed, stated, None, kind)

    def _other_pairing(self, claim: Claim, evaluation: _Evaluation, subjects: MetricPeriods) -> bool:
        """Another pairing of the metric's periods or entities gives the stated figure: the claim
        is more likely linked to the wrong facts than wrong itself."""
        kinds = self._operand_kinds(claim)
        base_metric, base_period = self._base(claim)
        judged_pair = (
            claim.entity,
            claim.period.key if claim.period else None,
            base_period.key if base_period else None,
        )
        entities = {claim.entity} | (subjects.entities(claim.metric) & subjects.entities(base_metric))
        for entity in entities:
            nows = subjects.periods(claim.metric, entity)
            befores = subjects.periods(base_metric, entity)
            for now_key, now_facts in nows.items():
                for before_key, before_facts in befores.items():
                    if (base_metric, before_key) == (claim.metric, now_key):
                        continue
                    if (entity, now_key, before_key) == judged_pair:
                        continue
                    current, prior = resolve(now_facts, kinds), resolve(before_facts, kinds)
                    if current is None or prior is None:
                        continue
                    other = self._readings(claim, current, prior)
                    if other is not None and any(r.overlaps(other.stated) for r in other.readings):
                        return True
        return False

    def _finding(self, claim: Claim, evaluation: _Evaluation, comparison: Comparison) -> Diagnostic:
        what = subject(claim)
        stated = format_decimal(comparison.stated, claim.quantity.decimals)
        expected = format_decimal(comparison.expected, claim.quantity.decimals)
        unit = evaluation.unit
        kind_zh = {
            ClaimKind.CHANGE_RATE: "变动比例",
            ClaimKind.PP_CHANGE: "变动",
            ClaimKind.DIFFERENCE: "变动额",
            ClaimKind.MULTIPLE: "倍数",
        }[claim.kind]
        kind_en = {
            ClaimKind.CHANGE_RATE: "change rate",
            ClaimKind.PP_CHANGE: "change",
            ClaimKind.DIFFERENCE: "change",
            ClaimKind.MULTIPLE: "multiple",
        }[claim.kind]
        now, before = evaluation.current.best.period, evaluation.prior.best.period
        periods = f"（{now.text}较{before.text}）" if now and before else ""
        periods_en = f" ({now.text} vs {before.text})" if now and before else ""
        formula = evaluation.formula
        message = f"正文所述{what}{periods}{kind_zh}为 {stated}{unit}，按 {formula} 计算为 {expected}{unit}"
        message_en = (
            f"Prose states the {kind_en} of {what}{periods_en} as {stated}{unit}; "
            f"{formula} gives {expected}{unit}"
        )
        current_role = "本期" if claim.kind is not ClaimKind.MULTIPLE else "比较项"
        prior_role = "上期" if claim.kind is not ClaimKind.MULTIPLE else "基数"
        related: tuple[Related, ...] = (
            *related_of(current_role, evaluation.current),
            *related_of(prior_role, evaluation.prior),
        )
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=claim_location(claim),
            comparison=comparison,
            related=related,
            relation=evaluation.relation,
        )
