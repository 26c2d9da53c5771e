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


def _page_tokens(source: str, page: int, text: str) -> list[tuple[str, TokenClass]]:
    paragraphs = (Paragraph(text, Location(source, page=page)),)
    _, tokens = extract_claims(Document(source, "pdf", None, paragraphs), 2020)
    return [(token.text.replace(" ", ""), token.token_class) for token in tokens]


def test_running_footer_and_table_of_contents_are_pages() -> None:
    # jinyu_2020_annual.pdf p.41 footer and p.3 contents; haixiang_2019_annual.alltxt p.3 contents.
    assert _page_tokens("jinyu.pdf", 41, "41/195") == [("41", TokenClass.PAGE), ("195", TokenClass.PAGE)]
    assert _page_tokens("jinyu.pdf", 3, "第四节经营情况讨论与分析11") == [("11", TokenClass.PAGE)]
    leader = "第四节经营情况讨论与分析" + "." * 40 + "14"
    assert [cls for _, cls in _page_tokens("haixiang.alltxt", 3, leader)] == [TokenClass.PAGE]
    # A footer's numbers are pages only on their own page: elsewhere "41/195" stays a figure.
    assert _page_tokens("jinyu.pdf", 40, "41/195")[0][1] is not TokenClass.PAGE


def test_glued_heading_numbers_are_ordinals() -> None:
    # jinyu_2020_annual.pdf p.134: PDF extraction moves the 、 of "13、其他流动资产" after the title.
    text = (
        "□适用√不适用13其他流动资产、√适用□不适用单位：元币种：人民币14债权投资、(1).债权投资情况"
        "□适用√不适用(2).期末重要的债权投资□适用√不适用"
    )
    assert _page_tokens("jinyu.pdf", 134, text) == [
        ("13", TokenClass.ORDINAL),
        ("14", TokenClass.ORDINAL),
        ("1", TokenClass.ORDINAL),
        ("2", TokenClass.ORDINAL),
    ]
    assert _page_tokens("jinyu.pdf", 94, "应收票据组合1：银行承兑汇票") == [("1", TokenClass.ORDINAL)]


def test_document_note_and_standard_numbers_are_identifiers() -> None:
    # haixiang_2019_annual.alltxt l.789; jinyu_2020_annual.pdf p.63 and p.47.
    tokens = _page_tokens(
        "haixiang.alltxt",
        32,
        "1.本公司根据财政部《关于修订印发2019年度一般企业财务报表格式的通知》(财会〔2019〕6号)和企业会计准则",
    )
    # Years inside period words are classified first, then the clause's other figures.
    assert tokens == [
        ("2019", TokenClass.YEAR),
        ("1", TokenClass.ORDINAL),
        ("2019", TokenClass.IDENTIFIER),
        ("6", TokenClass.IDENTIFIER),
    ]
    notes = _page_tokens("jinyu.pdf", 63, "相关信息披露详见财务报表附注五38及附注七61、、。")
    assert notes == [("38", TokenClass.IDENTIFIER), ("61", TokenClass.IDENTIFIER)]
    standard = _page_tokens(
        "jinyu.pdf",
        47,
        "1，废水排放执行《生物工程类制药工业水污染排放标准》GB21907-2008表2标准后，排至市政管网最终排入园区污水处理厂。",
    )
    assert ("-2008", TokenClass.IDENTIFIER) in standard


def test_ranks_are_ordinals_but_ranges_of_years_are_not_identifiers() -> None:
    # haixiang_2019_annual.alltxt l.1306; chengbang_2025_inquiry_reply.md l.513.
    ranks = _tokens("公司前10名普通股股东、前10名无限售条件普通股股东在报告期内是否进行约定购回交易")
    assert ranks == [("10名", TokenClass.ORDINAL), ("10名", TokenClass.ORDINAL)]
    years = _tokens("公司2019-2020 年度对致达金控累计提供借款")
    assert [cls for _, cls in years] == [TokenClass.YEAR, TokenClass.YEAR]


def _classes(text: str, year: int = 2019) -> dict[str, TokenClass]:
    paragraphs = (Paragraph(text, Location("t.alltxt", page=1, line=1)),)
    _, tokens = extract_claims(Document("t.alltxt", "alltxt", None, paragraphs), year)
    return {token.text.replace(" ", ""): token.token_class for token in tokens}


def test_policy_thresholds_are_definitions() -> None:
    # haixiang_2019_annual.alltxt l.2865 and l.5219, jinyu_2020_annual.pdf p.102 (lease and
    # significant-influence tests of the accounting policies).
    lease = _classes(
        "(3)即使资产的所有权不转移，但租赁期占租赁资产使用寿命的大部分[通常占租赁资产使用寿命的75%以上(含75%)]；"
    )
    assert lease == {"3": TokenClass.ORDINAL, "75%": TokenClass.DEFINITION}
    vote = _classes("持有20%以下表决权但具有重大影响，或者持有20%或以上表决权但不具有重大影响的依据：")
    assert vote == {"20%": TokenClass.DEFINITION}
    influence = _classes(
        "当本公司直接或通过子公司间接拥有被投资单位20%(含20%)以上但低于50%的表决权股份时，一般认为具有重大影响。"
    )
    assert set(influence.values()) == {TokenClass.DEFINITION}
    heading = _classes("(2)占公司营业收入或营业利润10%以上的行业、产品或地区情况")
    assert heading["10%"] is TokenClass.DEFINITION


def test_dividend_basis_and_assumptions_are_definitions() -> None:
    # haixiang_2019_annual.alltxt l.722 and l.5344, jinyu_2020_annual.pdf p.112.
    dividend = _classes(
        "2019年度公司拟以总股本1,555,709,365股为基数，向全体股东每10股派发现金红利3元(含税)。"
    )
    assert dividend["10"] is TokenClass.DEFINITION
    assert dividend["1,555,709,365"] is not TokenClass.IDENTIFIER  # a share count is a figure
    assumed = _classes(
        "在其他变量不变的假设下，假定利率变动50个基准点，不会对本公司的利润总额产生重大的影响。"
    )
    assert assumed["50个"] is TokenClass.DEFINITION
    nominal = _classes("公允价值不能够可靠取得的，按照名义金额1元计量。")
    assert nominal["1元"] is TokenClass.DEFINITION


def test_company_bounds_are_not_definitions() -> None:
    # jinyu_2020_annual.pdf p.12: "提高50%以上" is the company's own (approximate) figure.
    capacity = _classes(
        "新园区产能较原有产能提高50%以上，但受非洲猪瘟等疫情间歇性发生的影响，生猪出栏量尚未恢复。", 2020
    )
    assert capacity["50%"] is TokenClass.CLAIM  # a claim with its approximation noted (以上)


def test_bounds_of_a_rule_stay_out_of_claims() -> None:
    # haixiang_2019_annual.pdf p.163: "不超过6.9元/股" is the ceiling of a buyback plan, not
    # "超过" with a stray 不; jinyu_2020_annual.pdf p.32: a term's definition.
    paragraphs = (
        Paragraph("公司以集中竞价交易方式回购公司股份，回购价格不超过6.9元/股。", Location("t", line=1)),
        Paragraph(
            "本项所称“重大资金支出”是指预计在未来一个会计年度一次性或累计投资总额或现金支出超过5000万元。",
            Location("t", line=2),
        ),
    )
    claims, tokens = extract_claims(Document("t", "alltxt", None, paragraphs), 2020)
    assert claims == []
    assert {t.text: t.token_class for t in tokens}["5000万元"] is TokenClass.DEFINITION


def test_rough_figures_keep_their_unit_and_word() -> None:
    # haixiang_2019_annual.pdf p.14: "70余个产品调研", "60多项小试".
    paragraphs = (
        Paragraph(
            "对全球仿制药、专利药的生命周期和市场需求进行跟踪分析，开展70余个产品调研，为今后公司研发项目选择提供信息支持。",
            Location("t", line=1),
        ),
    )
    claims, _ = extract_claims(Document("t", "alltxt", None, paragraphs), 2019)
    assert [(c.metric, c.quantity.text, c.approximate) for c in claims] == [("开展产品调研", "70个", "余")]


def test_counts_and_share_counts_are_claims() -> None:
    # haixiang_2019_annual.alltxt l.280 and l.1117; jinyu_2020_annual.pdf p.60.
    paragraphs = (
        Paragraph(
            "报告期内，外沙厂区和川南药业通过6次官方检查，33次客户检查，川南药业连续第4次通过美国FDA的现场检查。",
            Location("t", line=1),
        ),
        Paragraph(
            "报告期内公司召开5次董事会，各位董事以诚信、勤勉、尽责的态度履行职责。", Location("t", line=2)
        ),
    )
    claims, tokens = extract_claims(Document("t", "alltxt", None, paragraphs), 2019)
    assert [(claim.metric, str(claim.quantity.value)) for claim in claims] == [
        ("通过官方检查", "6"),
        ("客户检查", "33"),
        ("召开董事会", "5"),
    ]
    assert [t.token_class for t in tokens if t.text == "4次"] == [TokenClass.ORDINAL]  # 第4次


def test_bracketed_comparative_keeps_the_carried_period() -> None:
    # jinyu_2020_annual.pdf p.178: the bracket's period is the comparative's only.
    paragraphs = (
        Paragraph(
            "截至2020年12月31日，本公司的资产负债率为16.17%(2019年12月31日：12.83%)，银行借款为0.00万元。",
            Location("t", line=1),
        ),
    )
    claims, _ = extract_claims(Document("t", "alltxt", None, paragraphs), 2020)
    periods = [(claim.metric, claim.period.key if claim.period else None) for claim in claims]
    assert periods == [("资产负债率", "2020-12-31"), ("资产负债率", "2019-12-31"), ("银行借款", "2020-12-31")]


def test_rank_and_durations_are_not_counts() -> None:
    # haixiang_2019_annual.alltxt l.411 and l.2676.
    ranks = _classes("公司前5名供应商资料")
    assert ranks["5名"] is TokenClass.ORDINAL
    months = _classes("公司经营业务的营业周期较短，以12个月作为资产和负债的流动性划分标准。")
    assert months["12个"] is TokenClass.DATE
