"""The independent table scan (benchmarks/table_scan.py) and its match against what hecha checked
(benchmarks/table_coverage.py), on cuts of the real corpus files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hecha.engine import check_document
from hecha.ingest.loader import load

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # the benchmark lives beside src/, not inside the package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.table_coverage import (  # noqa: E402
    HechaFigures,
    add_up,
    document_table_coverage,
    hecha_figures,
)
from benchmarks.table_scan import (  # noqa: E402
    figure_key,
    parse_figure,
    rows_from_words,
    scan_alltxt,
    scan_file,
    scan_markdown,
    scan_text,
    split_pages,
)

# haixiang_2019_annual.pdfplumber.txt lines 157-172 (p.7, 主要会计数据和财务指标): wrapped labels
# ("归属于上市公司股东的净利润" / figures / "（元）") between the rows.
HAIXIANG_P7 = """公司是否需追溯调整或重述以前年度会计数据
□ 是 √ 否
2019年 2018年 本年比上年增减 2017年
营业收入（元） 2,941,412,770.30 2,718,608,796.51 8.20% 2,308,922,170.29
归属于上市公司股东的净利润
770,782,185.09 605,003,820.78 27.40% 342,217,155.60
（元）
归属于上市公司股东的扣除非经
751,209,860.23 604,944,470.09 24.18% 301,310,316.13
常性损益的净利润（元）
经营活动产生的现金流量净额
612,399,095.31 791,449,237.66 -22.62% 118,141,514.53
（元）
基本每股收益（元/股） 0.48 0.38 26.32% 0.22
稀释每股收益（元/股） 0.48 0.38 26.32% 0.21
加权平均净资产收益率 14.07% 11.35% 2.72% 6.90%
"""


@pytest.mark.parametrize(
    ("token", "key"),
    [
        ("1,234.56", "1234.56"),
        ("(1,234)", "1234"),
        ("（1,234）", "1234"),  # full-width parentheses
        ("-12.3%", "12.3"),
        ("−5.00", "5.00"),  # U+2212 minus
        ("0.5", "0.5"),
        ("增加2.07个百分点", "2.07"),
        ("2019年", None),  # a year glued to 年 is not a figure
        ("002099", None),  # a stock code
        ("12,34", None),  # not grouped in threes
        ("(1,234", None),  # unbalanced
        ("1366号", None),
    ],
)
def test_figures_are_whole_number_tokens(token: str, key: str | None) -> None:
    assert parse_figure(token) == key


def test_ordinals_open_a_row_and_are_not_figures() -> None:
    assert parse_figure("（1）", first=True) is None
    assert parse_figure("12", first=True) is None
    assert parse_figure("12", first=False) == "12"
    assert parse_figure("1,234.00", first=True) == "1234.00"
    assert figure_key("(0,012.50)") == "12.50"


def test_text_table_with_wrapped_labels_is_one_table_under_its_header() -> None:
    scan = scan_text(HAIXIANG_P7)
    assert len(scan.tables) == 1
    table = scan.tables[0]
    assert [row.line for row in table.rows] == [4, 6, 9, 12, 14, 15, 16]
    assert table.rows[0].label == "营业收入（元）"
    assert len(table.figures) == 28
    assert table.header == ("2019年", "2018年", "本年比上年增减", "2017年")
    first = table.rows[0]
    rate = first.figures[2]
    assert (rate.text, rate.key, rate.column) == ("8.20%", "8.20", 2)
    assert table.header_of(first, rate) == "本年比上年增减"
    # The figure's characters in its line, for the recall mode to rewrite.
    line = HAIXIANG_P7.split("\n")[rate.line - 1]
    assert line[rate.start : rate.end] == "8.20%"


def test_prose_lines_years_and_lone_figures_are_not_rows() -> None:
    # haixiang_2019_annual.pdfplumber.txt l.405 (prose with four figures) and a header of years.
    text = (
        "实现营业收入29.41亿元，同比增长8.20%，实现归属母公司净利润7.71亿元，同比增长27.40%。\n"
        "项目 2019 2018\n"
        "营业收入 1,000.00 900.00\n"
    )
    assert scan_text(text).tables == ()
    # haixiang_2019_annual.txt (pdfminer twin) around l.465: one figure per line, empty lines between.
    pdfminer = "2,941,412,770.30\n\n2,718,608,796.51\n\n8.20% \n\n2,308,922,170.29\n\n2019 年 \n"
    scan = scan_text(pdfminer)
    assert scan.tables == () and scan.column_figures == 4


def test_a_page_break_ends_a_table_and_pages_come_from_form_feeds() -> None:
    lines, pages = split_pages("a 1.00 2.00\nb 3.00 4.00\n\fc 5.00 6.00\nd 7.00 8.00\n")
    assert pages[:4] == [1, 1, 2, 2] and lines[2] == "c 5.00 6.00"
    scan = scan_text("a 1.00 2.00\nb 3.00 4.00\n\fc 5.00 6.00\nd 7.00 8.00\n")
    assert [(t.page, t.line, len(t.rows)) for t in scan.tables] == [(1, 1, 2), (2, 3, 2)]


# haixiang_2019_annual.alltxt lines 146-156 (p.7, the same table as HAIXIANG_P7), shortened.
ALLTXT_LINES = [
    {"page": 7, "allrow": 145, "type": "text", "inside": "□是√否"},
    {
        "page": 7,
        "allrow": 146,
        "type": "excel",
        "inside": "['', '2019年', '2018年', '本年比上年增减', '2017年']",
    },
    {
        "page": 7,
        "allrow": 147,
        "type": "excel",
        "inside": "['营业收入（元）', '2,941,412,770.30', '2,718,608,796.51', '8.20%', '2,308,922,170.29']",
    },
    {"page": 7, "allrow": 148, "type": "页脚", "inside": "7"},
    {
        "page": 7,
        "allrow": 151,
        "type": "excel",
        "inside": "['基本每股收益（元/股）', '0.48', '0.38', '26.32%', '0.22']",
    },
    {"page": 7, "allrow": 156, "type": "text", "inside": ""},
    {"page": 8, "allrow": 157, "type": "excel", "inside": "['营业收入', '1.00', '2.00']"},
]


def test_alltxt_tables_are_runs_of_excel_records_on_one_page() -> None:
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in ALLTXT_LINES)
    scan = scan_alltxt(text)
    assert len(scan.tables) == 1  # the p.8 record stands alone
    table = scan.tables[0]
    assert [(row.line, row.page) for row in table.rows] == [(3, 7), (5, 7)]
    rate = table.rows[0].figures[2]
    assert (rate.text, rate.column, rate.cell) == ("8.20%", 3, 3)
    assert table.header_of(table.rows[0], rate) == "本年比上年增减"


# chengbang_2025_inquiry_reply.md l.83 (税金及附加测算), cut to its first 3 data rows: header cells
# with rowspan=2 and colspan=4.
CHENGBANG_L83 = (
    "<table><tr><td rowspan=2 colspan=1>项目</td><td rowspan=2 colspan=1>税率税率</td>"
    "<td rowspan=1 colspan=4>2023年度</td></tr><tr><td rowspan=1 colspan=1>计税依据</td>"
    "<td rowspan=1 colspan=1>税金及附加金额</td><td rowspan=1 colspan=1>测算金额</td>"
    "<td rowspan=1 colspan=1>差异</td></tr><tr><td rowspan=1 colspan=1>城建税</td>"
    "<td rowspan=1 colspan=1>5%</td><td rowspan=1 colspan=1>101.10</td><td rowspan=1 colspan=1>2.53</td>"
    "<td rowspan=1 colspan=1>2.53</td><td rowspan=1 colspan=1>-</td></tr><tr>"
    "<td rowspan=1 colspan=1>教育费附加</td><td rowspan=1 colspan=1>3%</td>"
    "<td rowspan=1 colspan=1>101.10</td>"
    "<td rowspan=1 colspan=1>1.52</td><td rowspan=1 colspan=1>1.52</td><td rowspan=1 colspan=1>1</td></tr>"
    "</table>"
)


def test_html_tables_in_markdown_expand_spans_and_keep_offsets() -> None:
    text = "问题 1\n\n" + CHENGBANG_L83 + "\n"
    scan = scan_markdown(text)
    assert len(scan.tables) == 1
    table = scan.tables[0]
    assert [len(row.figures) for row in table.rows] == [4, 5]
    assert table.header[:4] == ("项目", "税率税率", "计税依据", "税金及附加金额")
    first = table.rows[0]
    amount = first.figures[2]
    assert (amount.text, amount.line, amount.column) == ("2.53", 3, 3)
    assert table.header_of(first, amount) == "税金及附加金额"
    line = text.split("\n")[amount.line - 1]
    assert line[amount.start : amount.end] == "2.53"


# tongrentang_2023_annual.md l.157-163 (分季度主要财务数据), two of its rows.
TONGRENTANG_QUARTERS = """单位：万元  币种：人民币
|  | 第一季度（1-3月份） | 第二季度（4-6月份） | 第三季度（7-9月份） | 第四季度（10-12月份） |
| --- | --- | --- | --- | --- |
| 营业收入 | 514,306.97 | 461,762.65 | 396,068.38 | 413,951.15 |
| 经营活动产生的现金流量净额 | 114,542.79 | 122,134.80 | 2,756.61 | -52,485.01 |
季度数据与已披露定期报告数据差异说明□适用  √不适用
"""


def test_pipe_tables_in_markdown() -> None:
    scan = scan_markdown(TONGRENTANG_QUARTERS)
    assert len(scan.tables) == 1
    table = scan.tables[0]
    assert [row.line for row in table.rows] == [4, 5]
    last = table.rows[1].figures[-1]
    assert (last.text, last.key, last.column) == ("-52,485.01", "52485.01", 4)
    line = TONGRENTANG_QUARTERS.split("\n")[last.line - 1]
    assert line[last.start : last.end] == "-52,485.01"


def test_pdf_words_are_grouped_into_rows_by_their_top() -> None:
    # Words as pdfplumber's extract_words gives them (haixiang_2019_annual.pdf p.7, one row split
    # by a 1-point baseline difference, then the next row 12 points lower).
    words = [
        {"text": "2,941,412,770.30", "x0": 200.0, "top": 300.4},
        {"text": "营业收入（元）", "x0": 58.0, "top": 299.8},
        {"text": "8.20%", "x0": 330.0, "top": 300.9},
        {"text": "0.48", "x0": 200.0, "top": 312.5},
        {"text": "基本每股收益（元/股）", "x0": 58.0, "top": 312.0},
    ]
    assert rows_from_words(words) == [
        "营业收入（元） 2,941,412,770.30 8.20%",
        "基本每股收益（元/股） 0.48",
    ]


def test_a_pdf_is_scanned_through_its_pdfplumber_twin(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 not read")
    (tmp_path / "report.pdfplumber.txt").write_text("封面\n\f" + HAIXIANG_P7, encoding="utf-8")
    scan = scan_file(tmp_path / "report.pdf")
    assert scan.pages_keyed and scan.source == "report.pdfplumber.txt"
    assert scan.tables[0].page == 2 and scan.tables[0].rows[0].line is None
    (tmp_path / "report.pdfplumber.txt").unlink()
    try:
        import pdfplumber  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        lonely = scan_file(tmp_path / "report.pdf")
        assert lonely.tables == () and "not scanned" in lonely.notes[0]


def test_a_table_is_checked_when_one_of_its_figures_entered_a_relation(tmp_path: Path) -> None:
    path = tmp_path / "haixiang_p7.txt"
    path.write_text(HAIXIANG_P7, encoding="utf-8")
    scan = scan_file(path)
    result = check_document(load(str(path)))
    figures = hecha_figures(result, by_page=False)
    coverage = document_table_coverage("haixiang_p7.txt", scan, figures)
    # hecha reads the table and T003 recomputes its change rates from the two years' figures.
    assert coverage.tables == coverage.tables_read == coverage.tables_checked == 1
    assert 0 < coverage.figures_checked < coverage.figures == 28
    assert (4, "8.20") in figures.related and (4, "2308922170.29") in figures.read
    # Nothing recomputed: the same table is printed but not checked, and is listed as unchecked.
    nothing = HechaFigures(by_page=False, read=frozenset(), related=frozenset())
    unchecked = document_table_coverage("haixiang_p7.txt", scan, nothing, examples=3)
    assert (unchecked.tables_checked, unchecked.figures_checked, unchecked.tables_read) == (0, 0, 0)
    assert unchecked.unchecked[0].where == "l.4"
    assert unchecked.unchecked[0].first_row.startswith("营业收入（元） 2,941,412,770.30")
    total = add_up("all", [coverage, unchecked])
    assert (total.tables, total.tables_checked, total.documents) == (2, 1, 2)
    assert total.checked_share == pytest.approx(0.5)


def test_a_finding_puts_its_figures_among_the_related_ones(tmp_path: Path) -> None:
    # The same page with 8.20% misprinted as 9.20%: T003's finding names it and its operands.
    path = tmp_path / "haixiang_p7_wrong.txt"
    path.write_text(HAIXIANG_P7.replace("8.20%", "9.20%"), encoding="utf-8")
    result = check_document(load(str(path)))
    assert any(d.location.line == 4 for d in result.diagnostics)
    figures = hecha_figures(result, by_page=False)
    assert (4, "9.20") in figures.related and (4, "2941412770.30") in figures.related
