"""The fact base of one document: every Fact and Claim extract found, indexed for the rules, and
the classification of every figure in the prose (what the coverage benchmark counts).

``build_fact_base`` (hecha.extract.facts) fills it; rules only read it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from hecha.model.document import Location
from hecha.model.facts import Claim, Fact


class TokenClass(StrEnum):
    """What a figure in prose is. CLAIM and FACT count as linked; the rest are excluded
    from the coverage ratio (they are not figures a reviewer recomputes) except UNLINKED."""

    CLAIM = "claim"  # part of a parsed Claim
    FACT = "fact"  # a figure linked to a Fact stated elsewhere (same value, metric found)
    YEAR = "year"  # 2025年, 2023 年至 2025 年
    DATE = "date"  # 2025年12月31日, 10 月份
    ORDINAL = "ordinal"  # 问题 1, 第三节, （1）, 1、 list and section numbers
    IDENTIFIER = "identifier"  # stock codes, 上证公函【2026】0555 号, phone numbers, article numbers
    PAGE = "page"  # page numbers and references to pages
    # A parameter of a definition, a rule or a policy text, not a figure of the company: the
    # thresholds of accounting policies ("持有20%以下表决权", "75%以上（含75%）"), the "每10股" basis of
    # a dividend, the bounds of disclosure headings ("10%以上的行业"), an assumed sensitivity
    # ("假定利率变动50个基准点").
    DEFINITION = "definition"
    UNLINKED = "unlinked"  # a figure hecha could not tie to a fact or a claim


@dataclass(frozen=True, slots=True)
class NumericToken:
    text: str
    location: Location
    token_class: TokenClass


@dataclass(frozen=True)
class FactBase:
    facts: tuple[Fact, ...] = ()
    claims: tuple[Claim, ...] = ()
    tokens: tuple[NumericToken, ...] = ()
    report_year: int | None = None  # the fiscal year the document reports on (本期)
    _index: dict[tuple[str, str, str | None], list[Fact]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _by_section_item: dict[tuple[str, str, str | None], list[Fact]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: defaultdict[tuple[str, str, str | None], list[Fact]] = defaultdict(list)
        by_item: defaultdict[tuple[str, str, str | None], list[Fact]] = defaultdict(list)
        for fact in self.facts:
            index[fact.key].append(fact)
            if ":" in fact.entity and not fact.entity.startswith(("表", "段")):
                metric, _, period = fact.key
                by_item[(metric, fact.entity.rsplit(":", 1)[1], period)].append(fact)
        self._index.update(index)
        self._by_section_item.update(by_item)

    def lookup(self, metric: str, entity: str = "", period: str | None = None) -> list[Fact]:
        """Facts stating ``metric`` of ``entity`` for the period with key ``period``."""
        return list(self._index.get((metric, entity, period), ()))

    def lookup_in_section(self, metric: str, entity: str, period: str | None) -> list[Fact]:
        """Facts of ``entity`` listed under one section row of a table ("分地区" / "国内" keyed
        "分地区:国内"), when the document lists it under exactly one section: the prose names the
        item without its section ("国内业务收入")."""
        found = self._by_section_item.get((metric, entity, period), [])
        return list(found) if len({fact.entity for fact in found}) == 1 else []

    def groups(self) -> list[list[Fact]]:
        """Facts grouped by key: every group of two or more is one fact stated several times."""
        return [facts for facts in self._index.values()]
