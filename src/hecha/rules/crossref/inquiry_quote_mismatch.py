"""X003 inquiry-quote-mismatch: a figure the exchange's question quotes (年报显示，…收入 3.39 亿元) that
differs from the reply's figure for the same fact, kept but marked explained when the document
gives another definition or scope for it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from hecha.extract.metrics import CHANGE_RATE_SUFFIX, PP_CHANGE_SUFFIX
from hecha.model.diagnostic import Diagnosis, Diagnostic, Related, Relation, Severity
from hecha.model.document import Location
from hecha.model.facts import Claim, ClaimKind, Fact, FactSource
from hecha.model.quantity import Interval
from hecha.rules.base import Comparison, Rule, RuleContext, compare
from hecha.rules.crossref._statements import (
    Measure,
    ScopeReader,
    Statement,
    agree,
    labelled,
    place_of,
    place_of_en,
    related_places,
    restatement_relation,
    scope_markers,
    scope_reader,
    stated_facts,
    statement,
    subject,
    suffix,
)
from hecha.rules.registry import register

# A quote's metric may be vaguer than the reply's ("X业务收入": 营业收入 or 主营业务收入?). Each
# family lists the metrics a quote of that name can mean; a quote that matches none of them is a
# finding, one that matches another family member only is explained by that definition.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "收入": ("收入", "营业收入", "主营业务收入"),
    "营业收入": ("营业收入",),
    "主营业务收入": ("主营业务收入",),
    "成本": ("成本", "营业成本", "主营业务成本"),
    "营业成本": ("营业成本",),
    "主营业务成本": ("主营业务成本",),
    "毛利率": ("毛利率", "主营业务毛利率"),
    "毛利": ("毛利", "主营业务毛利"),
}
# Metrics that are another definition of the same thing: a reply figure under one of these that
# equals the quote explains the difference.
_OTHER_DEFINITIONS: dict[str, tuple[str, ...]] = {
    "收入": ("主营业务收入", "营业收入", "其他业务收入"),
    "营业收入": ("主营业务收入", "收入"),
    "主营业务收入": ("营业收入", "收入"),
    "成本": ("主营业务成本", "营业成本"),
    "营业成本": ("主营业务成本", "成本"),
    "主营业务成本": ("营业成本", "成本"),
    "毛利率": ("主营业务毛利率", "综合毛利率"),
}
# Sentences that give a figure another definition or scope.
_EXPLAINING = re.compile(
    r"口径|^注|［注|\[注|重述|追溯|定义|统计范围|合并范围|不含|剔除|差异系|差异主要|差异原因"
)
_ROUNDING_NOTE = re.compile(r"四舍五入|尾差")
# A reply's heading restating the question ("说明…的原因及合理性") explains nothing.
_REQUEST = re.compile(r"请公司|补充披露|说明.{0,40}(?:原因|合理性)")


@dataclass(frozen=True)
class _Explanation:
    sentence: str
    location: Location | None = None


@register
class InquiryQuoteMismatch(Rule):
    """A figure quoted in the exchange's question that differs from the reply's figure.

    What it checks:
        Every figure of the inquiry text inside a reply (the "问题 N." paragraphs) that the fact
        base ties to a metric, entity and period, against the reply's tables and prose stating
        that fact in the same scope, after unit conversion; a correct rounding passes (3.40 亿元
        for 34,048.57 万元). A quote of a vague metric ("半导体存储业务收入") passes when it matches
        any of the metrics it can mean (营业收入, 主营业务收入). A change rate the question quotes
        is compared with the reply's change-rate claims of the same metric and periods. A
        mismatch is kept but marked explained (severity info) when the document explains it: a
        figure of another definition (主营业务收入 against 营业收入) equals the quote, or a sentence
        near either figure speaks of 口径, 重述, a 注 or another scope. Naming 主营业务收入 somewhere
        else does not explain a vague quote: the reviewer still has to ask.

    Why it matters:
        The exchange reads the reply against the figures it quoted; a reply whose figures differ
        from the annual report without saying why invites a follow-up letter.

    Failing example:
        问题 quotes "研发人员为 15 人" and the reply's table says 研发人员 2025年末 16.

    Passing example:
        问题 quotes "归母净利润为-1.20 亿元" and the reply says -11,959.82 万元.

    Options:
        absolute_tolerance: extra slack in the quoted figure's unit (default 0).
        reach: paragraphs on either side of a figure searched for an explaining sentence (3).
    """

    code = "X003"
    name = "inquiry-quote-mismatch"
    summary = "问询函引用的数据与回复中的数据不一致"
    summary_en = "A figure quoted in the inquiry differs from the reply's figure for the same fact"
    default_severity = Severity.WARNING

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)
        reach: int = 3

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: InquiryQuoteMismatch.Options = self.options  # type: ignore[assignment]
        if not any(fact.source is FactSource.INQUIRY for fact in ctx.facts.facts) and not any(
            claim.source is FactSource.INQUIRY for claim in ctx.facts.claims
        ):
            return  # not a reply to an inquiry: nothing is quoted
        reader = scope_reader(ctx)
        reply = [
            statement(fact, reader, ctx)
            for fact in stated_facts(ctx, (FactSource.TABLE, FactSource.PROSE))
            if not reader.is_spanned_copy(fact.location) and labelled(fact)
        ]
        index: dict[tuple[str, str | None], list[Statement]] = {}
        for item in reply:
            index.setdefault((item.fact.entity, _period_key(item.fact)), []).append(item)
        for fact in stated_facts(ctx, (FactSource.INQUIRY,)):
            quote = statement(fact, reader, ctx)
            same = [
                item
                for item in index.get((fact.entity, _period_key(fact)), [])
                if item.measure is quote.measure and item.scope == quote.scope
            ]
            found = self._judge_value(ctx, reader, quote, same, reply, options)
            if found is not None:
                yield found
        yield from self._change_rates(ctx, reader, index, options)

    # ------------------------------------------------------------------ values

    def _judge_value(
        self,
        ctx: RuleContext,
        reader: ScopeReader,
        quote: Statement,
        same: Sequence[Statement],
        reply: Sequence[Statement],
        options: Options,
    ) -> Diagnostic | None:
        metric = quote.fact.metric
        family = _FAMILIES.get(metric, (metric,))
        candidates = [item for item in same if item.fact.metric in family]
        if not candidates:
            return None  # the reply does not state the fact: nothing to compare
        tolerance = options.absolute_tolerance * Decimal(1).scaleb(quote.scale)
        if any(agree(quote, item, tolerance) for item in candidates):
            ctx.stats.relation(held=True)
            return None
        # Only the reply's tables are trusted as the figure to match: a prose figure may carry a
        # subject over from an earlier clause (a segment's 税金及附加 read as the company's).
        # A table of the quoted metric itself decides; else a table of its family (a prose "收入"
        # beside a table's 营业收入 does not hide the table).
        in_tables = [item for item in candidates if item.source is FactSource.TABLE]
        tables = [item for item in in_tables if item.fact.metric == metric] or in_tables
        if not tables or not all(agree(item, tables[0]) for item in tables):
            return None  # no table states it, or the tables disagree (X001): nothing certain
        ctx.stats.relation(table=tables[0].location.table, held=False)
        reference = tables[0]
        comparison = compare(quote.fact.quantity, reference.in_units_of(quote), options.absolute_tolerance)
        if comparison is None:
            return None
        explanation = self._other_definition(quote, reply, tolerance) or self._explaining_sentence(
            reader,
            quote.fact.metric,
            quote.fact.entity,
            [quote.location, *(item.location for item in candidates)],
            options.reach,
        )
        fact = quote.fact
        what, period = subject(fact), fact.period.text if fact.period else ""
        message = (
            f"问询函引用{what}（{period}）为 {_shown(quote)}，回复中{place_of(reference.location)}"
            f"为 {_shown(reference)}（折合 {_rounded_like(reference, quote)}），两者不一致"
        )
        message_en = (
            f"The inquiry quotes {what} ({period}) as {_shown(quote)}; the reply states "
            f"{_shown(reference)} at {place_of_en(reference.location)} ({_rounded_like(reference, quote)})"
        )
        related = related_places(candidates)
        relation = restatement_relation(reference, quote)
        return self._finished(quote.location, comparison, message, message_en, related, explanation, relation)

    def _other_definition(
        self, quote: Statement, reply: Sequence[Statement], tolerance: Decimal
    ) -> _Explanation | None:
        """A reply figure under another definition of the quoted metric (主营业务收入 for 收入)
        that equals the quote. Only a label on a finding, so the entity and period are matched
        loosely (存储 for 半导体存储, the same year)."""
        metric = quote.fact.metric
        others = _OTHER_DEFINITIONS.get(metric, ())
        year = _period_key(quote.fact) or ""
        for item in reply:
            fact = item.fact
            if fact.metric not in others or item.measure is not quote.measure:
                continue
            if not _entity_like(fact.entity, quote.fact.entity) or not (_period_key(fact) or "").startswith(
                year[:4]
            ):
                continue
            if agree(quote, item, tolerance):
                text = item.sentence or f"表格列示{fact.metric_text or fact.metric} {fact.quantity.text}"
                return _Explanation(f"按{fact.metric}口径为 {fact.quantity.text}：{text}", item.location)
        return None

    def _explaining_sentence(
        self, reader: ScopeReader, metric: str, entity: str, places: Sequence[Location], reach: int
    ) -> _Explanation | None:
        # The sentence must speak of what was quoted: its segment (生态环境建设 for
        # 生态环境建设业务) or, for the company itself, its metric. "计税基础与收入口径不同" beside a
        # table explains the tax figures, not a quoted segment revenue.
        subject = entity.removesuffix("业务") if entity else metric
        near = [
            (sentence, location)
            for location in places
            for sentence in reader.sentences_near(location, reach)
            if not _ROUNDING_NOTE.search(sentence)
            and not _REQUEST.search(sentence)
            and subject
            and subject in sentence
        ]
        # A sentence that merely names 主营业务收入 near a vague quote explains nothing; it takes
        # words about the difference itself (口径, 重述, 注…) or an equal figure of the other
        # definition (_other_definition).
        for sentence, location in near:
            if _EXPLAINING.search(sentence):
                return _Explanation(sentence, location)
        # Only what the document itself says explains a difference: a vague quote in a document
        # that mentions 主营业务 somewhere is still unexplained (the reviewer must ask).
        return None

    def _finished(
        self,
        location: Location,
        comparison: Comparison,
        message: str,
        message_en: str,
        related: tuple[Related, ...],
        explanation: _Explanation | None,
        relation: Relation | None,
    ) -> Diagnostic:
        diagnostic = self.diagnostic(
            message=message,
            message_en=message_en,
            location=location,
            comparison=comparison,
            related=related,
            relation=relation,
        )
        if explanation is None:
            return diagnostic
        return replace(
            diagnostic,
            severity=Severity.INFO,
            message=diagnostic.message + "；文件对此有说明（口径不同）",
            message_en=diagnostic.message_en + "; the document explains it (another definition or scope)",
            diagnosis=Diagnosis(kind="explained", sentence=explanation.sentence),
        )

    # ------------------------------------------------------------------ change rates

    def _change_rates(
        self,
        ctx: RuleContext,
        reader: ScopeReader,
        index: dict[tuple[str, str | None], list[Statement]],
        options: Options,
    ) -> Iterator[Diagnostic]:
        """A change rate (or percentage-point change) the question quotes, against the reply's
        table column stating it (营业收入变动比例) and the reply's own change claims."""
        claims = ctx.facts.claims
        reply_claims = [c for c in claims if c.source is not FactSource.INQUIRY]
        for quote in claims:
            if quote.source is not FactSource.INQUIRY or quote.period is None:
                continue
            suffix_word = _RATE_SUFFIX.get(quote.kind)
            stated = _signed(quote)
            if suffix_word is None or stated is None:
                continue
            family = _FAMILIES.get(quote.metric, (quote.metric,))
            wanted = {name + suffix_word for name in family}
            tables = [
                item
                for item in index.get((quote.entity, quote.period.key), [])
                if item.source is FactSource.TABLE
                and item.fact.metric in wanted
                and item.measure in (Measure.PERCENT, Measure.PERCENT_POINT)
            ]
            prose = [
                s
                for c in reply_claims
                if c.kind is quote.kind
                and c.metric in family
                and c.entity == quote.entity
                and c.period is not None
                and c.period.key == quote.period.key
                and not _scoped(c)
                and (s := _signed(c)) is not None
            ]
            tolerance = options.absolute_tolerance
            if any(stated.widened(tolerance).overlaps(item.interval) for item in tables) or any(
                stated.widened(tolerance).overlaps(s) for s in prose
            ):
                ctx.stats.relation(held=True)
                continue
            if not tables or not all(agree(item, tables[0]) for item in tables):
                continue
            reference = tables[0]
            ctx.stats.relation(table=reference.location.table, held=False)
            comparison = compare(quote.quantity, reference.interval, tolerance, stated_interval=stated)
            if comparison is None:
                continue
            explanation = self._rate_by_other_definition(ctx, quote, stated) or self._explaining_sentence(
                reader, quote.metric, quote.entity, [quote.location, reference.location], options.reach
            )
            metric_text = quote.metric_text or quote.metric
            what = metric_text if quote.entity in metric_text else quote.entity + metric_text
            stated_text = ("-" if quote.direction < 0 else "") + quote.quantity.text
            message = (
                f"问询函引用{what}同比变动 {stated_text}，回复中{place_of(reference.location)}"
                f"为 {reference.fact.quantity.text}，两者不一致"
            )
            message_en = (
                f"The inquiry quotes the change of {what} as {stated_text}; the reply states "
                f"{reference.fact.quantity.text} at {place_of_en(reference.location)}"
            )
            related = related_places(tables)
            # No relation for diagnosis: a quoted rate that differs from the reply's is a question
            # of which figures the exchange used (another basis, another period), which only the
            # document can answer (``explanation``); guessing a typo would mislead the reviewer.
            yield self._finished(quote.location, comparison, message, message_en, related, explanation, None)

    def _rate_by_other_definition(
        self, ctx: RuleContext, quote: Claim, stated: Interval
    ) -> _Explanation | None:
        """The quoted rate recomputed from another definition's facts (主营业务收入 of both
        periods) equals the quote."""
        if quote.period is None or quote.base_period is None or quote.kind is not ClaimKind.CHANGE_RATE:
            return None
        for metric in _OTHER_DEFINITIONS.get(quote.metric, ()):
            current = _amounts(ctx.facts.lookup(metric, quote.entity, quote.period.key))
            prior = _amounts(ctx.facts.lookup(metric, quote.entity, quote.base_period.key))
            for now in current:
                for before in prior:
                    ratio = (now.base_interval() - before.base_interval()) / before.base_interval().abs()
                    if ratio is not None and ratio.scaled(Decimal(100)).overlaps(stated):
                        return _Explanation(
                            f"按{metric}计算：({now.quantity.text} − {before.quantity.text}) / "
                            f"{before.quantity.text} 与所引变动一致",
                            now.location,
                        )
        return None


_RATE_SUFFIX = {ClaimKind.CHANGE_RATE: CHANGE_RATE_SUFFIX, ClaimKind.PP_CHANGE: PP_CHANGE_SUFFIX}


def _period_key(fact: Fact) -> str | None:
    return fact.period.key if fact.period else None


def _entity_like(one: str, other: str) -> bool:
    if one == other:
        return True
    return bool(one and other and (one in other or other in one))


def _shown(item: Statement) -> str:
    text = item.fact.quantity.text
    unit = suffix(item)
    return text if not unit or text.rstrip().endswith(unit) else f"{text}{unit}"


def _rounded_like(item: Statement, like: Statement) -> str:
    """``item`` in ``like``'s unit and decimals (34,048.57 万元 → 3.40 亿元)."""
    value = item.in_units_of(like).mid
    quantized = value.quantize(Decimal(1).scaleb(-like.fact.quantity.decimals), rounding=ROUND_HALF_UP)
    return f"{quantized:,}{suffix(like)}"


def _scoped(claim: Claim) -> bool:
    """The claim's sentence names another scope (按全年完整口径 … 同比增长 7.26%)."""
    return bool(scope_markers(claim.sentence))


def _signed(claim: Claim) -> Interval | None:
    interval = claim.quantity.interval
    if claim.direction == 0:
        return interval
    if claim.quantity.value < 0:
        return None
    return interval if claim.direction > 0 else -interval


def _amounts(facts: Sequence[Fact]) -> list[Fact]:
    return [fact for fact in facts if fact.scale is not None and fact.source is not FactSource.INQUIRY]
