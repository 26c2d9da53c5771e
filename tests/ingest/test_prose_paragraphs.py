"""Prose paragraphs read exactly as printed, in every line-based reader.

The expected texts are the printed sentences (pypdfium2 ``get_text_range`` of the same pages with
the line breaks and the spaces the extractor puts around figures removed). Fixtures: pages 12–13
of jinyu_2020_annual.pdf and pages 14–15 and 162 of haixiang_2019_annual.pdf, as PDF cuts,
.alltxt records, pypdfium2 / pdftotext text and pypdfium2 text with an empty line after every
line (tests/fixtures/README.md).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from hecha.ingest.loader import load
from hecha.model.document import Document, Paragraph

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# jinyu p.13: the comma of 158,191 and the point of 83.76 are glyph runs of their own.
REVENUE = (
    "报告期内，公司实现营业收入158,191万元，同比增加40.39%；实现归属于上市公司股东"
    "的净利润40,620万元，同比增加83.76%。"
)
# jinyu p.12: one paragraph printed over six lines ("全年研发投入 2.07" / "亿元").
RESEARCH = (
    "2020年，公司研发投入创历史新高，自主研发项目数量和投入占比均提高。全年研发投入2.07"
    "亿元，同比增长35.30%，占营业收入的比重达到13.09%。其中，费用化研发投入1.31亿元，占"
    "比63.20%；资本化研发投入0.76亿元，占比36.80%。从显性研发成果来看：获得发明专利9项、"
    "实用新型3项，受理发明专利12项，实用新型1项，完成国际专利申请1项；获批新兽药证书3"
    "个，获批产品批准文号6个。公司部分主要在研的疫苗产品中，10个处于实验室研究阶段，5个"
    "处于中试阶段，4个处于临床试验阶段，11个处于申报新兽药证书阶段。"
)
# haixiang p.14–15: a paragraph broken by the page break, the running header and page number
# "浙江海翔药业股份有限公司 2019 年年度报告全文" / "15" printed in between.
RESEARCH_ACROSS_PAGES = (
    "公司依托现有国家级企业技术中心、国家级博士后工作站、省级院士工作站、海翔药业"
    "和台州前进两个省级企业研究院等科研平台，联合国内高等院校合作，积极探索技术创新，"
    "统筹推进研发工作。报告期内，公司新启动原料药及中间体研发项目11项，制剂研发项目5"
    "项，提交申请发明专利3项；对全球仿制药、专利药的生命周期和市场需求进行跟踪分析，开"
    "展70余个产品调研，为今后公司研发项目选择提供信息支持。除新产品研发外，公司还对现"
    "有产品的技术工艺方面进行了60多项小试、中试开发，积极探索技术创新，不断优化生产工"
    "艺，力求实现绿色、安全、低耗的工艺路线，部分产品降低了原料和能耗成本，产品毛利率"
    "提升。新建微通道反应实验室，探索微通道反应在高温、高压以及危险化学反应中的应用，"
    "降低风险提高反应效率，全年开展了10个项目研究实验，部分项目已经完成技术开发，进入"
    "工业化阶段。"
)
SAFETY_HEADING = "（四）深化安全综合治理，筑牢环保风险底线"


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _paragraph(document: Document, start: str) -> Paragraph:
    found = [p for p in document.paragraphs if _compact(p.text).startswith(_compact(start))]
    assert len(found) == 1, [p.text[:30] for p in document.paragraphs]
    return found[0]


def _pdf(name: str) -> Document:
    return load(str(FIXTURES / "pdf" / name))


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_keeps_thousands_separator_and_decimal_point() -> None:
    document = _pdf("jinyu_2020_p12-13.pdf")
    revenue = _paragraph(document, "报告期内，公司实现营业收入")
    assert revenue.text == REVENUE
    assert revenue.location.page == 2
    assert not revenue.heading


def test_pdf_joins_a_paragraph_wrapped_over_lines_and_locates_its_first_line() -> None:
    document = _pdf("jinyu_2020_p12-13.pdf")
    research = _paragraph(document, "2020年，公司研发投入创历史新高")
    assert research.text == RESEARCH
    assert research.location.page == 1
    # The bbox is the first printed line's: one line high, starting at the indent.
    assert research.location.bbox is not None
    x0, top, _, bottom = research.location.bbox
    assert bottom - top < 15
    assert x0 > 100  # the first line is indented two characters from the margin at 90 pt


def test_pdf_joins_a_paragraph_across_the_page_break_under_the_running_header() -> None:
    document = _pdf("haixiang_2019_p14-15.pdf")
    paragraph = _paragraph(document, "公司依托现有国家级企业技术中心")
    assert paragraph.text == RESEARCH_ACROSS_PAGES
    assert paragraph.location.page == 1
    assert not any("年度报告全文" in p.text for p in document.paragraphs)


def test_pdf_headings_stand_alone_and_are_marked() -> None:
    document = _pdf("haixiang_2019_p14-15.pdf")
    headings = [p.text for p in document.paragraphs if p.heading]
    assert headings[:4] == [
        "第四节经营情况讨论与分析",
        "一、概述",
        "（一）医药板块：夯实基础，扩大业务规模",
        "（二）染料板块：新项目建成，产品序列扩展",
    ]
    assert SAFETY_HEADING in headings
    # A full line ending in "。" runs on when the next line is not indented.
    safety = _paragraph(document, "公司深刻吸取江苏响水")
    assert "落到基层一线。加大安全环保投入，重点抓好工艺改造" in safety.text
    assert safety.text.endswith("为“新、改、扩”项目的安全条件审查提供数据和技术支撑。")


def test_pdf_year_on_the_first_line_of_a_page_is_not_taken_for_a_page_number() -> None:
    document = _pdf("haixiang_2019_p162.pdf")
    paragraph = _paragraph(document, "根据公司")
    assert paragraph.text.startswith(
        "根据公司2019年第一次临时股东大会决议，公司按照每股人民币2.25元向赵敏蔚等5人回购其所持有的"
    )


# Each cut's running header and page number as get_text_range gives them (whitespace removed);
# a one-page cut keeps its header (nothing repeats it), only the page number goes.
FURNITURE = {
    "jinyu_2020_p12-13.pdf": (r"^2020年年度报告\d{1,3}/195", ""),
    "haixiang_2019_p14-15.pdf": (r"^浙江海翔药业股份有限公司2019年年度报告全文1[45]", ""),
    "haixiang_2019_p162.pdf": (r"^(浙江海翔药业股份有限公司2019年年度报告全文)162", r"\1"),
}


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_pdf_prose_is_the_printed_text_in_order(name: str) -> None:
    """Every paragraph reads, character for character, as a stretch of the page text, and every
    printed character lands in a paragraph or a table cell (running header and page number aside)."""
    path = FIXTURES / "pdf" / name
    pdf = pdfium.PdfDocument(path)
    pages = [_compact(pdf[index].get_textpage().get_text_range()) for index in range(len(pdf))]
    pdf.close()
    pattern, replacement = FURNITURE[name]
    printed = "".join(re.sub(pattern, replacement, page) for page in pages)
    document = load(str(path))
    for paragraph in document.paragraphs:
        assert _compact(paragraph.text) in printed, paragraph.text
    extracted = Counter(_compact("".join(p.text for p in document.paragraphs)))
    for table in document.tables:
        for row in table.rows:
            extracted.update(_compact("".join(cell.text for cell in row if not cell.spanned)))
    missing = Counter(printed) - extracted
    assert sum(missing.values()) == 0, missing


# --- .alltxt ---------------------------------------------------------------------------------


def test_alltxt_joins_rows_cut_mid_sentence_and_across_the_page_break() -> None:
    document = load(str(FIXTURES / "alltxt" / "haixiang_p14-15.alltxt"))
    paragraph = _paragraph(document, "公司依托现有国家级企业技术中心")
    assert paragraph.text == RESEARCH_ACROSS_PAGES
    assert (paragraph.location.page, paragraph.location.line) == (14, 13)
    # "…实现净利润2.95" / "亿元，同比增长47.67%…" were two rows of one paragraph.
    overview = _paragraph(document, "2019年国内医疗体制改革")
    assert "实现净利润2.95亿元，同比增长47.67%；染料板块" in overview.text
    assert overview.text.endswith("实现归属母公司净利润7.71亿元，同比增长27.40%。")


def test_alltxt_headings_and_units_stay_paragraphs_of_their_own() -> None:
    document = load(str(FIXTURES / "alltxt" / "haixiang_p14-15.alltxt"))
    texts = [p.text for p in document.paragraphs]
    for alone in ("一、概述", SAFETY_HEADING, "1、概述", "（1）营业收入构成", "单位：元"):
        assert alone in texts
    assert [p.text for p in document.paragraphs if p.heading][:2] == ["第四节经营情况讨论与分析", "一、概述"]


# --- plain text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["haixiang_p14-15.pdfium.txt", "haixiang_p14-15.doubled.txt", "haixiang_p14-15.pdftotext.txt"]
)
def test_text_joins_a_paragraph_across_the_page_break(name: str) -> None:
    document = load(str(FIXTURES / "text" / name), "text")
    paragraph = _paragraph(document, "公司依托现有国家级企业技术中心")
    assert paragraph.text == RESEARCH_ACROSS_PAGES
    assert SAFETY_HEADING in [p.text for p in document.paragraphs if p.heading]


def test_text_layout_indents_join_a_full_line_ending_a_sentence() -> None:
    # pdftotext -layout keeps first-line indents: "…落到基层一线。" fills its line and the next
    # line is not indented, so the paragraph runs on (pypdfium2 text cannot tell).
    document = load(str(FIXTURES / "text" / "haixiang_p14-15.pdftotext.txt"), "text")
    safety = _paragraph(document, "公司深刻吸取江苏响水")
    assert "落到基层一线。加大安全环保投入" in safety.text


def test_text_keeps_figures_whole() -> None:
    document = load(str(FIXTURES / "text" / "jinyu_p12-13.pdfium.txt"), "text")
    revenue = _paragraph(document, "报告期内，公司实现营业收入")
    # The extractor's spaces around figures stay; no figure is split or glued to another.
    assert _compact(revenue.text) == REVENUE
    assert "158,191 万元" in revenue.text and "83.76%" in revenue.text
    research = _paragraph(document, "2020 年，公司研发投入创历史新高")
    assert _compact(research.text) == RESEARCH
    assert (research.location.page, research.location.line) == (1, 14)


def test_text_short_line_ends_a_paragraph() -> None:
    document = load(str(FIXTURES / "text" / "jinyu_p12-13.pdfium.txt"), "text")
    texts = [p.text for p in document.paragraphs]
    assert "报告期内，公司主要完成以下工作：" in texts
    assert "（三）升级智慧防疫增值服务，发挥大客户需求牵引作用" in texts
