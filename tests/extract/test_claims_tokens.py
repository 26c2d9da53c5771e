"""Every figure of the prose gets a TokenClass: sentences from chengbang_2025_inquiry_reply.md."""

from __future__ import annotations

from hecha.extract.claims import extract_claims
from hecha.extract.factbase import TokenClass
from hecha.model.document import Document, Location, Paragraph
from hecha.model.facts import FactSource


def _tokens(*texts: str) -> list[tuple[str, TokenClass]]:
    paragraphs = tuple(Paragraph(text, Location("t.md", line=n)) for n, text in enumerate(texts, 1))
    _, tokens = extract_claims(Document("t.md", "markdown", None, paragraphs), 2025)
    return [(token.text.replace(" ", ""), token.token_class) for token in tokens]


def test_letter_number_and_year_are_not_figures() -> None:
    tokens = _tokens(
        "于近日收到上海证券交易所下发的《关于诚邦生态环境股份有限公司 2025 年年度报告的信息披露监管问询函》"
        "（上证公函【2026】0555 号，以下简称“《监管问询函》”）。"
    )
    assert tokens == [
        ("2025", TokenClass.YEAR),
        ("2026", TokenClass.IDENTIFIER),
        ("0555", TokenClass.IDENTIFIER),
    ]


def test_question_number_ordinal_and_inquiry_source() -> None:
    paragraphs = (
        Paragraph(
            "问题 1.关于收入和净利润。年报显示，2025 年，公司实现主营业务收入 5.01亿元。",
            Location("t", line=1),
        ),
        Paragraph("【公司回复】", Location("t", line=2), heading=True),
        Paragraph("2025 年，公司实现营业收入 50,356.55 万元。", Location("t", line=3)),
    )
    claims, tokens = extract_claims(Document("t", "markdown", None, paragraphs), 2025)
    assert [(t.text.replace(" ", ""), t.token_class) for t in tokens] == [
        ("1", TokenClass.ORDINAL),
        ("2025", TokenClass.YEAR),
        ("5.01亿元", TokenClass.CLAIM),
        ("2025", TokenClass.YEAR),
        ("50,356.55万元", TokenClass.CLAIM),
    ]
    assert [claim.source for claim in claims] == [FactSource.INQUIRY, FactSource.PROSE]
    assert claims[1].location.line == 3


def test_unreadable_list_stays_unlinked() -> None:
    # Four amounts against three enumerated items (the 、 before 其他非流动资产 is missing):
    # no mapping is guessed.
    tokens = _tokens(
        "2025 年末，公司应收账款、合同资产、一年内到期非流动资产(合同资产部分)其他非流动资产(合同资产部分)"
        "坏账准备分别为 2.16亿元、0.40 亿元、0.19 亿元和 0.11 亿元。"
    )
    amounts = [cls for text, cls in tokens if "亿元" in text]
    assert amounts == [TokenClass.UNLINKED] * 4


def test_durations_and_dates() -> None:
    tokens = _tokens("前 8 个月的月均产量明显低于 2024 年四季度月均产量，主要设备需 24 小时运行。")
    assert dict(tokens) == {"8个": TokenClass.DATE, "2024": TokenClass.YEAR, "24": TokenClass.DATE}
