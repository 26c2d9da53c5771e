"""The business line a paragraph announces a list of items about ("…本期增亏主要项目变动原因如下："),
carried into the headline of each item ("①营业毛利减少 2,608.09 万元") and never into the
explanations after it. Paragraphs cut verbatim from chengbang_2025_inquiry_reply.md lines 39-43."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from hecha.extract.claims import extract_claims
from hecha.model.document import Document, Location, Paragraph
from hecha.model.facts import Claim, ClaimKind

SOURCE = "chengbang_2025_inquiry_reply.md"
CORPUS_LINES = {
    39: (
        "2025 年受行业环境影响，公司生态环境建设业务规模收缩，营业收入同比下降，亏损"
        "金额有所增加，本期实现营业收入16,307.97 万元，同比下降31.28%；净"
        "利润-13,054.12 万元，同比增亏24.67%。本期增亏主要项目变动原因如"
        "下："
    ),
    41: (
        "①营业毛利减少 2,608.09 万元，主要原因包括：营业收入规模下降；部分工程"
        "项目因工期延误、整改等因素影响，实际投入成本增加；以及部分前期项目在本期完成竣工"
        "决算审计，存在价审调减。"
    ),
    43: (
        "②财务费用增加 1,133.43 万元，主要受两方面因素影响：一是存量 PPP "
        "项目因“贷款市场报价利率（LPR）”变动导致投资回报率调整，未实现融资收益减少，"
        "使得财务费用增加 2,035 万元；二是本期借款本金减少及借款利率随LPR 下行"
        "，相应减少借款利息费用 913.99 万元。"
    ),
}


def _claims(lines: list[int]) -> list[Claim]:
    paragraphs = tuple(Paragraph(CORPUS_LINES[line], Location(SOURCE, line=line)) for line in lines)
    claims, _ = extract_claims(Document(SOURCE, "markdown", None, paragraphs), 2025)
    return claims


def _at(claims: list[Claim], value: str) -> Claim:
    found = [claim for claim in claims if claim.quantity.value == Decimal(value)]
    assert len(found) == 1, [(claim.kind, claim.quantity.text) for claim in claims]
    return found[0]


def test_paragraphs_are_verbatim_from_the_corpus() -> None:
    corpus = Path("/work/shared/corpus") / SOURCE
    if not corpus.exists():
        pytest.skip("the shared corpus is not mounted")
    lines = corpus.read_text(encoding="utf-8").split("\n")
    for number, text in CORPUS_LINES.items():
        assert lines[number - 1] == text


def test_headline_of_each_item_takes_the_announced_segment_and_period() -> None:
    claims = _claims([39, 41, 43])
    for value, metric in (("2608.09", "毛利"), ("1133.43", "财务费用")):
        claim = _at(claims, value)
        assert claim.kind is ClaimKind.DIFFERENCE
        assert (claim.metric, claim.entity) == (metric, "生态环境建设")
        assert claim.period is not None and claim.period.key == "2025"
        assert claim.base_period is not None and claim.base_period.key == "2024"


def test_explanations_after_the_headline_keep_no_segment() -> None:
    part = _at(_claims([39, 41, 43]), "2035")  # a part of the 1,133.43 change, not the change
    assert part.entity == ""
    assert part.period is None


def test_items_without_the_announcing_paragraph_carry_nothing() -> None:
    claims = _claims([41, 43])
    headline = _at(claims, "2608.09")
    assert headline.entity == ""
    assert headline.period is None
