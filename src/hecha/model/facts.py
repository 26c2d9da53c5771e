"""What a document states: Facts (a figure about an entity, a metric and a period) and Claims
(what a sentence of prose asserts about facts: a value, a change, a share, a multiple).

Extract builds them (hecha.extract.facts, hecha.extract.claims); the prose and cross-reference
rules compare them. A Fact's ``key`` is what makes two statements "the same fact".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from hecha.model.document import Location
from hecha.model.quantity import Interval, Quantity


class FactSource(StrEnum):
    TABLE = "table"  # a cell of a table
    PROSE = "prose"  # a figure in the document's own prose (a reply, a report's discussion)
    INQUIRY = "inquiry"  # a figure quoted in the exchange's question (问询函原文) inside a reply


@dataclass(frozen=True, slots=True)
class Period:
    """A normalized period: ``key`` like "2025" (a fiscal year), "2025-12-31" (an instant),
    "2025Q4", "2025-01~2025-06" (a range); ``text`` as printed ("2025年度", "上年同期")."""

    key: str
    text: str


@dataclass(frozen=True, slots=True)
class Fact:
    """A figure the document states, with what it is about.

    ``metric`` is the normalized metric name ("营业收入", "归属于上市公司股东的净利润"); ``entity``
    the company the figure is about: "" for the reporting company (合并 level), else a segment,
    a subsidiary or a named peer ("半导体存储业务", "芯存科技", "江波龙"); ``scale`` the power of
    ten that turns ``quantity.value`` into base units (4 for 万元), None for ratios and counts.
    """

    metric: str
    metric_text: str
    entity: str
    period: Period | None
    quantity: Quantity
    scale: int | None
    location: Location
    source: FactSource

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.metric, self.entity, self.period.key if self.period else None)

    def base_interval(self) -> Interval:
        """The figure's rounding interval in base units (元 for amounts, as printed otherwise)."""
        scale = self.scale if self.scale is not None else 0
        return self.quantity.interval.scaled(Decimal(1).scaleb(scale))


class ClaimKind(StrEnum):
    VALUE = "value"  # 实现营业收入 50,356.55 万元 / 为 / 达到
    CHANGE_RATE = "change_rate"  # 同比增长 44.75% / 较 2022 年度下降 31.28% / 增亏 20.23%
    PP_CHANGE = "pp_change"  # 毛利率减少了 2.71 个百分点
    SHARE = "share"  # 占营业收入的比重为 67.61% / 占比 67.62%
    MULTIPLE = "multiple"  # 是上年的 1.5 倍
    FROM_TO = "from_to"  # 由 412 人下降至 236 人
    DIFFERENCE = "difference"  # 营业毛利减少 2,608.09 万元 / 同比增加 1,133.43 万元


@dataclass(frozen=True, slots=True)
class Claim:
    """One assertion a sentence makes.

    ``quantity`` is the stated number (the value, the rate, the share…); ``direction`` is the sign
    the words give to the change (current − prior) / |prior|: +1 for 增长/增加/上升 and for a loss
    that narrows (减亏, 亏损缩窄), -1 for 下降/减少 and for a loss that widens (增亏, 亏损扩大), 0 when
    the words give none (the sign is then the quantity's own). ``period`` is the period the claim
    is about and ``base_period`` the period it compares with (上年, 2022年度), ``base_metric`` the
    metric a share is a share of (营业收入). Linking a claim to the facts it speaks about is the
    fact base's job (hecha.extract.facts.linked_facts).
    """

    kind: ClaimKind
    metric: str
    metric_text: str
    entity: str
    period: Period | None
    quantity: Quantity
    location: Location
    sentence: str
    source: FactSource = FactSource.PROSE
    direction: int = 0
    base_period: Period | None = None
    base_metric: str = ""
    base_quantity: Quantity | None = None  # FROM_TO: the "from" figure; DIFFERENCE: none
    scale: int | None = None
    # How the sentence qualifies the figure when it is not exact, as printed: 约, 逾, 近, 超过, 不足,
    # 以上, 左右, 余, 多, or the whole range ("1-2次") for each bound of a range; "" when exact. An
    # approximate claim says what the document states but is not a figure to recompute.
    approximate: str = ""
