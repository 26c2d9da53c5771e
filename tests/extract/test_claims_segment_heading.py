"""A business line's heading on a line of its own ("玻璃业务板块：") puts the paragraphs under it
in that business line, and a paragraph there opening with a product name ("平板玻璃：") speaks of
that product; a numbered heading ends it. Paragraphs cut verbatim (line breaks joined) from
csg_nanbo_2018_annual.txt lines 340-349 and 359-361 (经营情况讨论与分析)."""

from __future__ import annotations

from decimal import Decimal

from hecha.extract.claims import extract_claims
from hecha.model.document import Document, Location, Paragraph
from hecha.model.facts import Claim, ClaimKind

SOURCE = "csg_nanbo_2018_annual.txt"
PARAGRAPHS = (
    (340, "玻璃业务板块："),
    (
        341,
        "玻璃业务是集团传统核心业务与利润支撑。2018 年，尽管面对房地产市场增速放缓，"
        "汽车行业负增长等下游不利的市场情形，南玻核心板块玻璃板块业务仍逆势增长。"
        "2018 年玻璃产业实现营业收入 74.54 亿元，同比增加 4.02亿元，增幅 5.7%。"
        "实现净利润 8.02 亿元，同比增加 0.93 亿元，增幅 13.17%。",
    ),
    (
        345,
        "平板玻璃：2018 年平板玻璃整体保持了较好的市场行情。公司大力推动技术革新、不断推进产品差异化，"
        "仍实现收入同比增长 5.45%，净利润同比增长 2.5%，"
        "超白、超长、超厚、超薄等产品市场份额与利润贡献持续上升。",
    ),
    (359, "电子玻璃及显示器件业务板块："),
    (
        360,
        "电子玻璃及显示器件业务是公司高成长业务板块，2018 年实现收入 9.60 亿元，"
        "同比增长 9.86%；实现净利润 1.42亿元，同比增长 140.26%。",
    ),
    (400, "四、主营业务分析"),
    (401, "2018 年，公司实现净利润 4.72 亿元，同比减少 3.56 亿元，降幅 43.01%。"),
)


def _claims() -> list[Claim]:
    paragraphs = tuple(Paragraph(text, Location(SOURCE, line=line)) for line, text in PARAGRAPHS)
    claims, _ = extract_claims(Document(SOURCE, "text", None, paragraphs), 2018)
    return claims


def _rate(claims: list[Claim], value: str) -> Claim:
    return next(c for c in claims if c.kind is ClaimKind.CHANGE_RATE and c.quantity.value == Decimal(value))


def test_paragraphs_under_a_segment_heading_speak_of_that_segment() -> None:
    claims = _claims()
    assert _rate(claims, "13.17").entity != ""
    assert _rate(claims, "2.5").entity == "平板玻璃"
    assert _rate(claims, "140.26").entity != ""


def test_a_numbered_heading_ends_the_segment() -> None:
    assert _rate(_claims(), "43.01").entity == ""
