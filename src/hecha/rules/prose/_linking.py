"""What the prose rules share: turning a claim's operands into one agreed figure each.

A claim is compared only with facts that leave no doubt. ``resolve`` takes the facts the fact base
holds for one (metric, entity, period) and returns the figure they state together, or None when
they are absent, of another kind (a rate where an amount is needed) or disagree: a claim whose
operand is ambiguous is never judged. Figures are compared in base units (元 for amounts, as
printed for rates and counts), each with its rounding interval.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from hecha.extract.factbase import FactBase
from hecha.extract.metrics import VAGUE_METRICS
from hecha.model.diagnostic import Related, Relation, RelationForm, Term
from hecha.model.document import Location
from hecha.model.facts import Claim, Fact, FactSource, Period
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Comparison, RuleContext, format_decimal

HUNDRED = Decimal(100)


class FigureKind(StrEnum):
    """What a figure measures, for deciding whether two figures can be compared at all."""

    AMOUNT = "amount"  # a money amount with a known scale (元, 万元, 亿元)
    NUMBER = "number"  # a count or plain figure without a scale (人, 台, a headcount table)
    PERCENT = "percent"  # a rate or share (14.91%)
    POINTS = "points"  # a percentage-point change
    MULTIPLE = "multiple"  # 1.5倍


def figure_kind(quantity: Quantity, scale: int | None) -> FigureKind:
    if quantity.unit is Unit.PERCENT:
        return FigureKind.PERCENT
    if quantity.unit is Unit.PERCENT_POINT:
        return FigureKind.POINTS
    if quantity.unit is Unit.MULTIPLE:
        return FigureKind.MULTIPLE
    if scale is not None:
        return FigureKind.AMOUNT
    if quantity.unit is Unit.CURRENCY:
        return FigureKind.AMOUNT  # "元" printed next to the figure: scale 0 even if extract left None
    return FigureKind.NUMBER


def fact_scale(fact: Fact) -> int | None:
    """The fact's scale, or the one its own cell prints ("191.44万元" in a table without a unit
    line), or 0 for a figure printed with 元."""
    if fact.scale is not None:
        return fact.scale
    if fact.quantity.scale is not None:
        return fact.quantity.scale
    return 0 if fact.quantity.unit is Unit.CURRENCY else None


def fact_kind(fact: Fact) -> FigureKind:
    return figure_kind(fact.quantity, fact_scale(fact))


def fact_interval(fact: Fact) -> Interval:
    """The fact's rounding interval in base units."""
    return in_base_units(fact.quantity, fact_scale(fact))


def claim_scale(claim: Claim) -> int | None:
    if claim.scale is not None:
        return claim.scale
    if claim.quantity.scale is not None:
        return claim.quantity.scale
    return 0 if claim.quantity.unit is Unit.CURRENCY else None


def in_base_units(quantity: Quantity, scale: int | None) -> Interval:
    """The figure's rounding interval in base units (unchanged when it has no scale)."""
    return quantity.interval.scaled(Decimal(1).scaleb(scale)) if scale is not None else quantity.interval


def unit_in_base(quantity: Quantity, scale: int | None) -> Decimal:
    """One unit of the figure's last printed digit, in base units (0.01亿元 → 1,000,000)."""
    return Decimal(1).scaleb(-quantity.decimals + (scale or 0))


def fact_term(role: str, fact: Fact, unit_scale: int | None, sign: int = 1) -> Term:
    """``fact`` as an operand of a failed relation, at its place, its printed value moved into the
    unit 10^``unit_scale`` 元 (50,356.55 万元 as 亿元 is 5.035655 with 6 decimals: the rounding
    stays the printed one). Figures without a scale (rates, counts) and ``unit_scale`` None keep
    their printed value."""
    quantity = fact.quantity
    scale = fact_scale(fact)
    shift = scale - unit_scale if scale is not None and unit_scale is not None else 0
    value = quantity.value.scaleb(shift) if shift else quantity.value
    return Term(role, fact.location, value, quantity.decimals - shift, sign)


def common_scale(*facts: Fact) -> int | None:
    """The unit the operands of a ratio are given in: the coarsest of their scales (亿元 over
    万元), so that no operand's decimals turn negative; None for figures without a scale."""
    scales = [scale for fact in facts if (scale := fact_scale(fact)) is not None]
    return max(scales) if scales else None


@dataclass(frozen=True)
class Operand:
    """The figure a set of facts states together: the most precise one's interval, and every
    place it is stated (for a finding's ``related``)."""

    value: Interval
    best: Fact
    facts: tuple[Fact, ...]

    @property
    def sole(self) -> bool:
        return len(self.facts) == 1


def _agrees(fact: Fact, best: Fact) -> bool:
    """``fact`` can be ``best`` written at its own precision (a rounding off by one unit of its
    last digit counts: that slip is X002's to report, and the figure is still the same fact)."""
    own = fact_interval(fact).widened(unit_in_base(fact.quantity, fact_scale(fact)) / 2)
    return own.overlaps(fact_interval(best))


def resolve(
    candidates: Iterable[Fact],
    kinds: Sequence[FigureKind],
    sources: Sequence[FactSource] = (FactSource.TABLE, FactSource.PROSE),
    exclude: Location | None = None,
) -> Operand | None:
    """The one figure ``candidates`` of a wanted kind state, or None when none is stated or
    they disagree (two values for one fact: ambiguous, never a basis for a finding).

    Table cells are the primary statements: when tables state the fact, they decide its value
    and prose figures linked to the same key only join the related places when they agree (a
    prose figure's link is the less certain one). Prose figures decide only when no table
    states the fact."""
    usable = [
        fact
        for fact in candidates
        if fact.source in sources and fact_kind(fact) in kinds and not _same_place(fact.location, exclude)
    ]
    if len({fact_kind(fact) for fact in usable}) > 1:
        return None  # the same key stated as an amount and as a rate: extract is unsure what it is
    tables = [fact for fact in usable if fact.source is FactSource.TABLE]
    deciding = tables or usable
    if not deciding:
        return None
    best = min(deciding, key=lambda fact: fact_interval(fact).radius)
    if not all(_agrees(fact, best) for fact in deciding):
        return None
    agreeing = [fact for fact in usable if fact in deciding or _agrees(fact, best)]
    ordered = sorted(agreeing, key=lambda fact: fact is not best)
    return Operand(fact_interval(best), best, tuple(ordered))


def sentence_states_other(facts: FactBase, claim: Claim, current: Operand) -> bool:
    """The claim's own paragraph states its current figure, and not as the linked one does.

    "玻璃产业…实现净利润 8.02 亿元，同比增加 0.93 亿元，增幅 13.17%" speaks of a segment whose
    净利润 is 8.02 亿元; the company's 4.72 亿元 in the tables is another fact, whatever the
    labels say, and recomputing the change from it judges the wrong thing.
    """
    if claim.period is None:
        return False
    sentence = "".join(claim.sentence.split())
    own = [
        fact
        # A figure the sentence states without a period of its own is of the claim's period.
        for fact in [
            *facts.lookup(claim.metric, claim.entity, claim.period.key),
            *facts.lookup(claim.metric, claim.entity, None),
        ]
        if fact.source is FactSource.PROSE
        and fact.location.page == claim.location.page
        and fact.location.line == claim.location.line
        and fact.location.quote != claim.location.quote
        and bool(fact.location.quote)
        and "".join(fact.location.quote.split()) in sentence
    ]
    return bool(own) and not any(_agrees(fact, current.best) or _agrees(current.best, fact) for fact in own)


def _same_place(location: Location, other: Location | None) -> bool:
    if other is None:
        return False
    return (
        location.source == other.source
        and location.page == other.page
        and location.line == other.line
        and location.table == other.table
        and location.row == other.row
        and location.col == other.col
        and location.quote == other.quote
    )


def lookup(
    facts: FactBase,
    metric: str,
    entity: str,
    period: Period | None,
    kinds: Sequence[FigureKind],
    sources: Sequence[FactSource] = (FactSource.TABLE, FactSource.PROSE),
    exclude: Location | None = None,
) -> Operand | None:
    if not metric or period is None:
        return None
    found = facts.lookup(metric, entity, period.key)
    if not found and entity:
        found = facts.lookup_in_section(metric, entity, period.key)
        if not found and metric in VAGUE_METRICS:
            # "国内业务收入": the item's revenue, which its table names 营业收入 or 主营业务收入.
            named = [
                same for named in VAGUE_METRICS[metric] if (same := _stated(facts, named, entity, period.key))
            ]
            found = named[0] if len(named) == 1 else []
    return resolve(found, kinds, sources, exclude)


def same_metric(named: str, other: str) -> bool:
    """True when ``other`` is ``named`` or the word prose uses for it ("收入" for 营业收入)."""
    return named == other or named in VAGUE_METRICS.get(other, ())


def metric_words(metric: str) -> list[str]:
    """``metric`` and the vague words a table may print for it (营业收入 → 收入)."""
    return [metric, *(word for word, named in VAGUE_METRICS.items() if metric in named)]


def _stated(facts: FactBase, metric: str, entity: str, period: str) -> list[Fact]:
    return facts.lookup(metric, entity, period) or facts.lookup_in_section(metric, entity, period)


# Words that put a sentence's figures in another scope than the tables' plain consolidated,
# as-reported one ("按全年完整口径" but not "合并财务报表口径", 模拟, 剔除…影响, 母公司 but not
# 归属于母公司股东).
_OTHER_SCOPE = re.compile(
    r"(?<!合并)(?<!合并报表)(?<!合并财务报表)口径|模拟|备考|假设|剔除|不考虑|预计|预测|含税|调整前|调整后|"
    r"重述|追溯|"
    r"(?<!归属于)(?<!归属)母公司(?!股东|所有者|普通股|的股东|的所有者)"
)


def judged(claim: Claim) -> bool:
    """Claims the prose rules judge: the document's own prose, in the tables' scope. Figures
    quoted from the exchange's letter are compared with the reply by X003, which knows a quote
    may use another definition; a sentence naming another scope (全年完整口径, 模拟, 剔除…) speaks
    of figures the tables do not state; an approximate figure (逾, 约, 以上) is no figure to
    recompute."""
    if claim.approximate:  # "逾30%", "约50%": what the document says, not a figure to recompute
        return False
    return claim.source is FactSource.PROSE and not _OTHER_SCOPE.search(claim.sentence.replace(" ", ""))


def claim_location(claim: Claim) -> Location:
    """The stated figure's place, quoting the figure as printed."""
    if claim.location.quote:
        return claim.location
    return replace(claim.location, quote=claim.quantity.text or format_decimal(claim.quantity.value))


def words_before(claim: Claim, width: int = 14) -> str:
    """The characters of the sentence just before the stated figure (its verb: 增亏, 下降, 是…的)."""
    sentence = claim.sentence
    for needle in (claim.location.quote, claim.quantity.text):
        if needle and needle in sentence:
            start = sentence.index(needle)
            return sentence[max(0, start - width) : start]
    return ""


def signed_interval(claim: Claim) -> Interval | None:
    """The stated figure with the sign its words give (下降 31.28% → −31.28%), None when the words
    and the printed sign contradict each other ("下降 -5%": which one is meant is unclear)."""
    interval = claim.quantity.interval
    if claim.direction == 0:
        return interval
    if claim.quantity.value < 0:
        return None
    return interval if claim.direction > 0 else -interval


def source_label(fact: Fact) -> str:
    return {FactSource.TABLE: "表格", FactSource.PROSE: "正文", FactSource.INQUIRY: "问询函"}[fact.source]


def related_of(role: str, operand: Operand) -> list[Related]:
    """One Related per place the operand is stated: "本期 营业收入（表格）"."""
    return [
        Related(fact.location, f"{role} {fact.metric_text or fact.metric}（{source_label(fact)}）")
        for fact in operand.facts
    ]


def shown(fact: Fact) -> str:
    """A fact as printed, with its scale word when it has one (50,356.55万元, 14.91%)."""
    quantity = fact.quantity
    text = format_decimal(quantity.value, quantity.decimals)
    if quantity.unit is Unit.PERCENT:
        return text + "%"
    scale = fact_scale(fact)
    scale_word = {0: "元", 4: "万元", 8: "亿元"}.get(scale) if scale is not None else None
    return text + (scale_word or "")


def cells_of(claim: Claim, *operands: Operand) -> list[Location]:
    """The places a held relation vouches for: the claim, and each operand stated only once (a
    figure stated twice is not verified by this relation alone: changing one copy makes the
    operand ambiguous, and the claim is then skipped rather than reported)."""
    places = [claim.location]
    for operand in operands:
        if operand.sole:
            places.append(operand.best.location)
    return places


def subject(claim: Claim) -> str:
    """How a message names what the claim is about: "半导体存储业务营业收入"."""
    metric = claim.metric_text or claim.metric
    if claim.entity and not metric.startswith(claim.entity):
        return claim.entity + metric
    return metric


class TableFigures:
    """Every figure the document's tables print, by kind: a prose figure found among them is a
    restatement of that cell, whatever extract linked it to. When the linked facts then give
    another value, the link is the likelier mistake, and the claim is left unjudged."""

    def __init__(self, facts: FactBase) -> None:
        self._by_kind: dict[FigureKind, list[Interval]] = {}
        for fact in facts.facts:
            if fact.source is FactSource.TABLE:
                self._by_kind.setdefault(fact_kind(fact), []).append(fact_interval(fact))

    def prints(self, value: Decimal, quantity: Quantity, scale: int | None, kind: FigureKind) -> bool:
        """A table prints ``value`` (in base units) to at least the precision of ``quantity``."""
        half = unit_in_base(quantity, scale) / 2
        for interval in self._by_kind.get(kind, ()):
            if interval.radius <= half and abs(interval.mid - value) <= half:
                return True
        return False


def typo_apart(stated: Decimal, decimals: int, expected: Decimal) -> bool:
    """The stated figure (printed with ``decimals``) is one keystroke away from ``expected`` (in
    the stated figure's units): one digit changed, dropped, added, or two neighbours swapped, or
    the sign lost. A figure nothing like the expected one is more likely about something else
    (a fact linked wrongly) than a slip."""
    quantum = Decimal(1).scaleb(-decimals)
    written = f"{abs(stated).quantize(quantum)}".replace(".", "")
    wanted = f"{abs(expected).quantize(quantum)}".replace(".", "")
    if written == wanted:
        return (stated < 0) != (expected < 0)
    return _edit_distance(written, wanted) <= 1


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts as one edit)."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


class MetricPeriods:
    """The facts of each (metric, entity), by period key: to ask whether another pairing of
    periods or entities explains a stated change (then the claim's own link is in doubt)."""

    def __init__(self, facts: FactBase) -> None:
        self._by_subject: dict[tuple[str, str], dict[str, list[Fact]]] = {}
        self._by_metric: dict[str, set[str]] = {}
        for fact in facts.facts:
            if fact.period is None or fact.source is FactSource.INQUIRY:
                continue
            periods = self._by_subject.setdefault((fact.metric, fact.entity), {})
            periods.setdefault(fact.period.key, []).append(fact)
            self._by_metric.setdefault(fact.metric, set()).add(fact.entity)

    def periods(self, metric: str, entity: str) -> dict[str, list[Fact]]:
        return self._by_subject.get((metric, entity), {})

    def entities(self, metric: str) -> set[str]:
        return self._by_metric.get(metric, set())


@dataclass(frozen=True)
class TabulatedRate:
    """A rate the prose states compared with the table cell that prints the same rate (a change
    column's 变动比例, a share column's 占比): ``comparison`` is None when they agree."""

    table: Operand
    comparison: Comparison | None


_RATE_KINDS = (FigureKind.PERCENT, FigureKind.NUMBER)


def previous_year_key(key: str) -> str | None:
    """The same period a year earlier ("2025" → "2024", "2025Q4" → "2024Q4", "2025-12-31" →
    "2024-12-31"); None for keys of another shape."""
    match = re.fullmatch(r"(?P<year>\d{4})(?P<rest>(?:Q[1-4]|-\d{2}-\d{2})?)", key)
    if match is None:
        return None
    return f"{int(match.group('year')) - 1}{match.group('rest')}"


def tabulated_rate(
    facts: FactBase, claim: Claim, metric: str, stated: Interval, tolerance: Decimal = Decimal(0)
) -> TabulatedRate | None:
    """The table cell printing the rate ``claim`` states (``metric`` is the derived metric, e.g.
    营业收入变动比例), compared with the stated figure (signed as its words say).

    None (not judged) when no table states it, when the stated and printed rates agree in size but
    not in sign (documents differ on the sign of a narrowing loss: the words are not wrong), or
    when they differ by more than a keystroke (a figure nothing like the printed one is about
    something else more likely than mistyped)."""
    if claim.period is None:
        return None
    table = lookup(facts, metric, claim.entity, claim.period, _RATE_KINDS, sources=(FactSource.TABLE,))
    if table is None or table.best.quantity.unit is Unit.PERCENT_POINT:
        return None
    printed = table.value
    if stated.widened(tolerance).overlaps(printed):
        return TabulatedRate(table, None)
    if stated.abs().widened(tolerance).overlaps(printed.abs()):
        return None
    comparison = Comparison(
        stated=stated.mid,
        expected=printed.mid,
        difference=stated.mid - printed.mid,
        tolerance=stated.radius + printed.radius + tolerance,
    )
    if not typo_apart(comparison.stated, claim.quantity.decimals, comparison.expected):
        return None
    return TabulatedRate(table, comparison)


def restated_relation(restated: TabulatedRate) -> Relation:
    """The prose rate as a restatement of the table cell printing it (EQUAL, as printed)."""
    return Relation(RelationForm.EQUAL, (fact_term("other", restated.table.best, None),))


def counted_tabulated(ctx: RuleContext, claim: Claim, restated: TabulatedRate) -> Comparison | None:
    """Count the claim's comparison with the table cell printing the same rate in ``ctx.stats``
    (the cell is verified only when it is the sole one); its comparison, None when they agree."""
    cells = [claim_location(claim)] + ([restated.table.best.location] if restated.table.sole else [])
    ctx.stats.relation(held=restated.comparison is None, cells=cells)
    return restated.comparison
