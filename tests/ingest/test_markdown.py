"""The Markdown reader on cuts of the chengbang inquiry reply (golden JSON checked by eye against
the source) and on the whole reply, plus small inline cases for HTML shapes the reply lacks."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from hecha.engine import check_document
from hecha.extract.table_roles import analyze_table
from hecha.ingest import markdown
from hecha.ingest.loader import load
from hecha.model.document import Cell, Document, Table
from hecha.model.quantity import Unit
from hecha.rules.registry import select_rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"
REPLY = Path(__file__).resolve().parents[2] / "examples" / "chengbang_2025_inquiry_reply.md"
GOLDEN_CUTS = (
    "chengbang_revenue_by_segment",
    "chengbang_segment_profit",
    "chengbang_product_continued",
    "chengbang_bad_debt_provision",
)


def _cell_json(cell: Cell) -> dict[str, object]:
    """The golden form of a cell: text, parsed value and unit, and the blank/spanned flags."""
    out: dict[str, object] = {"text": cell.text}
    if cell.quantity is not None:
        out["value"] = str(cell.quantity.value)
        if cell.quantity.unit is not Unit.NUMBER:
            out["unit"] = cell.quantity.unit.value
    if cell.blank:
        out["blank"] = True
    if cell.spanned:
        out["spanned"] = True
    return out


def _table_json(table: Table) -> dict[str, object]:
    return {
        "line": table.location.line,
        "header_rows": table.header_rows,
        "unit": table.unit,
        "title": table.title,
        "rows": [[_cell_json(cell) for cell in row] for row in table.rows],
    }


def _parse(text: str) -> Document:
    return markdown.parse(text, source="case.md")


@pytest.mark.parametrize("name", GOLDEN_CUTS)
def test_cut_matches_golden_tables(name: str) -> None:
    path = FIXTURES / f"{name}.md"
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    document = markdown.read(str(path), path.read_bytes())
    assert document.format == "markdown"
    assert document.page_count is None
    assert document.warnings == ()
    assert [paragraph.location.line for paragraph in document.paragraphs] == expected["paragraph_lines"]
    assert [p.location.line for p in document.paragraphs if p.heading] == expected["heading_lines"]
    assert [_table_json(table) for table in document.tables] == expected["tables"]


@pytest.mark.parametrize("name", GOLDEN_CUTS)
def test_cut_cells_point_back_to_their_source(name: str) -> None:
    path = FIXTURES / f"{name}.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    document = markdown.read(str(path), path.read_bytes())
    for table in document.tables:
        assert table.location.line is not None
        assert "<table" in lines[table.location.line - 1]
        for row_index, row in enumerate(table.rows):
            for col, cell in enumerate(row):
                location = cell.location
                assert (location.table, location.row, location.col) == (table.index, row_index, col)
                assert location.source == str(path)
                assert location.quote == cell.text
                assert location.line == table.location.line
                if not cell.spanned:
                    # The quote is what the file prints (spaces inside figures included).
                    assert cell.text in lines[table.location.line - 1]


def test_gb18030_file_reads_like_its_utf8_original() -> None:
    utf8 = FIXTURES / "chengbang_revenue_by_segment.md"
    gb = FIXTURES / "chengbang_revenue_by_segment.gb18030.md"
    from_utf8 = markdown.read("x.md", utf8.read_bytes())
    from_gb = markdown.read("x.md", gb.read_bytes())
    assert from_gb == from_utf8


# --- the whole reply --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reply() -> Document:
    return load(str(REPLY))


def test_reply_has_every_html_table(reply: Document) -> None:
    source = REPLY.read_text(encoding="utf-8")
    assert len(reply.tables) == source.count("<table>") == 29
    assert reply.warnings == ()
    assert [table.index for table in reply.tables] == list(range(29))


def test_reply_tables_are_rectangular_and_located(reply: Document) -> None:
    lines = REPLY.read_text(encoding="utf-8").split("\n")
    for table in reply.tables:
        widths = {len(row) for row in table.rows}
        assert len(widths) == 1, f"table {table.index} is ragged: {widths}"
        assert table.location.line is not None and "<table" in lines[table.location.line - 1]
        for row_index, row in enumerate(table.rows):
            for col, cell in enumerate(row):
                assert (cell.location.table, cell.location.row, cell.location.col) == (
                    table.index,
                    row_index,
                    col,
                )


def test_reply_keeps_one_origin_cell_per_td(reply: Document) -> None:
    # Every non-empty <td> of the source is the origin of exactly one grid cell.
    lines = REPLY.read_text(encoding="utf-8").split("\n")
    for table in reply.tables:
        assert table.location.line is not None
        source_line = lines[table.location.line - 1]
        printed = [text for text in re.findall(r"<td[^>]*>(.*?)</td>", source_line) if text.strip()]
        origins = [cell for row in table.rows for cell in row if not cell.spanned and cell.text]
        assert len(origins) == len(printed), f"table {table.index}"


def test_reply_paragraphs_are_lines_outside_tables(reply: Document) -> None:
    lines = REPLY.read_text(encoding="utf-8").split("\n")
    expected = [number for number, line in enumerate(lines, start=1) if line.strip() and "<table" not in line]
    assert [paragraph.location.line for paragraph in reply.paragraphs] == expected
    headings = [paragraph for paragraph in reply.paragraphs if paragraph.heading]
    assert len(headings) == sum(1 for line in lines if line.startswith("#"))
    assert headings[0].text.startswith("诚邦智芯科技股份有限公司关于上海证券交易所")
    assert not any(paragraph.text.startswith("#") for paragraph in reply.paragraphs)


def test_reply_units_come_from_lines_sections_and_headers(reply: Document) -> None:
    tables = reply.tables
    assert tables[0].unit == "单位：万元"
    assert tables[4].unit == "单位：人民币万元"
    assert tables[20].unit == "金额单位：万元"
    # "除特殊注明外，本节内容金额单位均为人民币万元。" holds for the tables of its section.
    assert tables[21].unit is not None and "本节内容金额单位均为人民币万元" in tables[21].unit
    assert tables[23].unit == tables[21].unit
    assert tables[21].title == "（一）前十大项目情况"
    # No unit line, but the header states 万元 for every amount column.
    assert tables[5].unit == "收入金额（万元）"
    # Percentages only: no unit at all, and none taken from the table before.
    assert tables[15].unit is None
    assert tables[16].unit is None


def test_reply_continuation_title(reply: Document) -> None:
    # "续：<title>" names the table after it; a bare "续：" does not.
    assert reply.tables[7].title == "续：2024 年前十大但 2025 年非前十大客户相关信息"
    assert reply.tables[12].title == reply.tables[11].title


def test_reply_rowspan_label_column_repeats_the_label(reply: Document) -> None:
    # Table 17: 境内 spans three rows (直销, 贸易商, 小计) in column 0.
    table = reply.tables[17]
    assert table.header_rows == 2
    column = [row[0] for row in table.rows[2:5]]
    assert [cell.text for cell in column] == ["境内", "境内", "境内"]
    assert [cell.spanned for cell in column] == [False, True, True]
    # 合计 spans two columns.
    total = table.rows[8]
    assert (total[0].text, total[1].text, total[1].spanned) == ("合计", "合计", True)


# --- figures as converters print them ---------------------------------------------------------


def test_split_figures_and_unicode_minus(reply: Document) -> None:
    revenue = reply.tables[0].rows[4]
    assert revenue[3].text == "34, 789. 38"
    assert revenue[3].quantity is not None
    assert (revenue[3].quantity.value, revenue[3].quantity.decimals) == (Decimal("34789.38"), 2)
    assert revenue[2].quantity is not None and revenue[2].quantity.unit is Unit.PERCENT
    assert revenue[2].quantity.value == Decimal("44.75")
    margin = reply.tables[1].rows[4][1]
    assert margin.text == "−1,674. 44"
    assert margin.quantity is not None and margin.quantity.value == Decimal("-1674.44")


def test_latex_figures_in_cells() -> None:
    document = _parse(
        "<table><tr><td>项目</td><td>占比</td><td>金额</td></tr>"
        r"<tr><td>直销</td><td>$1 6 . 6 \%$</td><td>$- 1 , 2 3 4 . 5 0$</td></tr></table>"
    )
    share, amount = document.tables[0].rows[1][1:]
    assert share.text == r"$1 6 . 6 \%$"
    assert share.location.quote == r"$1 6 . 6 \%$"
    assert share.quantity is not None
    assert (share.quantity.value, share.quantity.decimals, share.quantity.unit) == (
        Decimal("16.6"),
        1,
        Unit.PERCENT,
    )
    assert amount.quantity is not None and amount.quantity.value == Decimal("-1234.50")
    assert document.tables[0].header_rows == 1


def test_blank_cells() -> None:
    document = _parse("<table><tr><td>项目</td><td>2025年</td></tr><tr><td>A</td><td>-</td></tr></table>")
    cell = document.tables[0].rows[1][1]
    assert cell.blank and cell.quantity is None


# --- spans and HTML shapes ----------------------------------------------------------------------


def test_spans_quoted_and_unquoted_expand_to_a_rectangle() -> None:
    document = _parse(
        "<table><tr><td rowspan=2>项目</td><td colspan='2'>2025年</td><td rowspan=\"2\">2024年</td></tr>"
        "<tr><td>金额</td><td>占比</td></tr>"
        "<tr><td>A</td><td>1.00</td><td>10%</td><td>2.00</td></tr></table>"
    )
    table = document.tables[0]
    texts = [[cell.text for cell in row] for row in table.rows]
    assert texts == [
        ["项目", "2025年", "2025年", "2024年"],
        ["项目", "金额", "占比", "2024年"],
        ["A", "1.00", "10%", "2.00"],
    ]
    spanned = [[cell.spanned for cell in row] for row in table.rows]
    assert spanned == [
        [False, False, True, False],
        [True, False, False, True],
        [False, False, False, False],
    ]
    assert table.header_rows == 2


def test_rowspan_past_the_last_row_is_clipped_and_short_rows_are_padded() -> None:
    document = _parse(
        "<table><tr><td>项目</td><td>金额</td><td>备注</td></tr>"
        "<tr><td>A</td><td rowspan=9>5.00</td></tr><tr><td>B</td></tr></table>"
    )
    table = document.tables[0]
    assert len(table.rows) == 3
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["项目", "金额", "备注"],
        ["A", "5.00", ""],
        ["B", "5.00", ""],
    ]
    filler = table.rows[1][2]
    assert filler.blank and not filler.spanned and filler.location.col == 2


def test_header_rows_grow_to_cover_a_header_rowspan() -> None:
    # The 2024 header cell spans down into the row where figures start: that row is header too.
    document = _parse(
        "<table><tr><td>项目</td><td>2025年</td><td rowspan=3>2024年</td></tr>"
        "<tr><td></td><td>1,000.00</td></tr>"
        "<tr><td>A</td><td>2.00</td></tr>"
        "<tr><td>B</td><td>3.00</td><td>4.00</td></tr></table>"
    )
    assert document.tables[0].header_rows == 3


def test_year_headers_are_not_figures() -> None:
    document = _parse(
        "<table><tr><td>项目</td><td>2025</td><td>2024</td></tr>"
        "<tr><td>收入</td><td>1,000.00</td><td>900.00</td></tr></table>"
    )
    assert document.tables[0].header_rows == 1


def test_section_row_ends_the_header() -> None:
    document = _parse(
        "<table><tr><td>项目</td><td>期末余额</td></tr>"
        "<tr><td>一、流动资产</td><td></td></tr>"
        "<tr><td>货币资金</td><td>1,000.00</td></tr></table>"
    )
    assert document.tables[0].header_rows == 1


def test_thead_and_th_mark_header_rows() -> None:
    with_thead = _parse(
        "<table><thead><tr><td>项目</td><td>2025</td></tr><tr><td></td><td>金额</td></tr></thead>"
        "<tbody><tr><td>A</td><td>1.00</td></tr></tbody></table>"
    )
    assert with_thead.tables[0].header_rows == 2
    with_th = _parse("<table><tr><th>项目</th><th>金额</th></tr><tr><td>A</td><td>1.00</td></tr></table>")
    assert with_th.tables[0].header_rows == 1


def test_table_spread_over_lines_locates_cells_by_their_line() -> None:
    text = "\n".join(
        [
            "## 标题",  # 1
            "",  # 2
            "单位：元",  # 3
            "<table>",  # 4
            "  <tr><td>项目</td><td>金额</td></tr>",  # 5
            "  <tr><td>A</td>",  # 6
            "      <td>1,234.56</td></tr>",  # 7
            "</table> 表后文字",  # 8
            "注：测试。",  # 9
        ]
    )
    document = _parse(text)
    table = document.tables[0]
    assert table.location.line == 4
    assert [row[0].location.line for row in table.rows] == [5, 6]
    # A cell on a line of its own points to that line, not to its row's <tr>.
    assert table.rows[1][1].location.line == 7
    assert table.unit == "单位：元"
    assert table.title == "标题"
    assert [(p.location.line, p.text) for p in document.paragraphs] == [
        (1, "标题"),
        (3, "单位：元"),
        (8, "表后文字"),
        (9, "注：测试。"),
    ]


def test_two_tables_on_one_line_and_wrappers() -> None:
    # Different headers: a second table under the very header of the first, with nothing between,
    # is that table continued (test_table_under_a_repeated_header_continues_the_one_above).
    document = _parse(
        "<html><body><table><tr><td>项目</td><td>金额</td></tr><tr><td>A</td><td>1.00</td></tr></table>"
        "<table><tr><td>项目</td><td>数量</td></tr><tr><td>B</td><td>2.00</td></tr></table></body></html>"
    )
    assert [table.rows[1][0].text for table in document.tables] == ["A", "B"]
    assert [table.index for table in document.tables] == [0, 1]
    assert document.tables[1].rows[1][1].location.table == 1
    assert document.paragraphs == ()


def test_nested_table_text_stays_in_its_cell() -> None:
    document = _parse(
        "<table><tr><td>项目</td><td>说明</td></tr>"
        "<tr><td>A</td><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>"
    )
    table = document.tables[0]
    assert len(table.rows) == 2 and len(table.rows[1]) == 2
    assert table.rows[1][1].text == "x y"


def test_entities_and_br_in_cells() -> None:
    document = _parse("<table><tr><td>项目&amp;说明</td><td>金额<br/>（万元）</td></tr></table>")
    assert [cell.text for cell in document.tables[0].rows[0]] == ["项目&说明", "金额 （万元）"]


def test_unclosed_table_is_kept_with_a_warning() -> None:
    document = _parse("文字\n<table><tr><td>项目</td><td>金额</td></tr><tr><td>A</td><td>1.00")
    assert len(document.tables) == 1
    assert document.tables[0].rows[1][1].text == "1.00"
    assert len(document.warnings) == 1 and "</table>" in document.warnings[0].message


def test_pipe_table_goes_through_grid() -> None:
    document = _parse("单位：万元\n\n| 项目 | 金额 |\n| --- | --- |\n| A | 1,000.00 |\n| 合计 | 1,000.00 |\n")
    table = document.tables[0]
    assert table.header_rows == 1
    assert table.unit == "单位：万元"
    assert table.location.line == 3
    assert table.rows[2][1].quantity is not None
    assert table.rows[2][1].location.line == 6


def test_pipe_lines_without_separator_stay_prose() -> None:
    document = _parse("| 不是表格 | 只是文字 |\n| 第二行 | 文字 |")
    assert document.tables == ()
    assert len(document.paragraphs) == 2


def test_headings_images_and_comments() -> None:
    document = _parse("# 一级标题 #\n\n![](images/a.jpg)\n<!-- image -->\n### 三级\n正文")
    assert [(p.text, p.heading) for p in document.paragraphs] == [
        ("一级标题", True),
        ("三级", True),
        ("正文", False),
    ]


def test_table_split_by_a_page_break_is_joined_and_its_first_row_is_data() -> None:
    # tongrentang_2023_annual.md (a PDF converted to Markdown): the 销售费用 table breaks after
    # 仓储保管费; the converter put a stray line between and made "| 修理费 | 1,380.07 | 0.40 |"
    # the header of a second table. The 合计 343,663.20 closes all twelve items.
    path = FIXTURES / "tongrentang_selling_expenses_split.md"
    document = markdown.read(str(path), path.read_bytes())
    assert len(document.tables) == 1
    labels = [row[0].text for row in document.tables[0].rows]
    assert labels[1:3] == ["职工薪酬", "市场拓展费"] and "修理费" in labels and labels[-1] == "合计"
    assert [cell.location.row for cell in document.tables[0].rows[-1]] == [len(labels) - 1] * 3


def test_continuation_under_an_empty_placeholder_header_is_joined() -> None:
    # tongrentang_2023_annual.md lines 6291-6312 (销售费用 note): the converter split the table at a
    # page break and gave the continuation an empty header row "|  |  | |"; 保险费 … 合计 go on
    # the 12-item table above.
    path = FIXTURES / "tongrentang_selling_expenses_empty_header.md"
    document = markdown.read(str(path), path.read_bytes())
    assert len(document.tables) == 1
    labels = [row[0].text for row in document.tables[0].rows]
    assert "保险费" in labels and "职工薪酬" in labels and labels[-1] == "合计"
    assert "" not in labels


def test_table_under_a_repeated_header_continues_the_one_above() -> None:
    # tongrentang_2024_halfyear.md lines 4455-4500 (计入递延收益的政府补助的明细): the converter split
    # the table at a page break, repeated its header, and left the row at the break without its
    # figures. One table: its 合计 is not read against the continuation's rows alone.
    path = FIXTURES / "tongrentang_2024h_deferred_income.md"
    document = markdown.read(str(path), path.read_bytes())
    grants = [t for t in document.tables if any(c.text == "156,937,451.14" for r in t.rows for c in r)]
    assert len(grants) == 1
    table = grants[0]
    assert sum(1 for row in table.rows if row[0].text == "项目名称") == 1
    assert any(row[0].text == "土地款返还资金" for row in table.rows)
    assert any(row[0].text == "污水预处理站项目" for row in table.rows)
    result = check_document(document, select_rules(None))
    assert not [d for d in result.diagnostics if d.location.table == table.index]


def test_table_right_under_another_it_cannot_join_may_continue_it() -> None:
    # tongrentang_2024_halfyear.md lines 6510-6534 (对子公司投资): the converter split the table at a
    # page break, dropped three of its columns and headed the rest "金额一 金额二 金额三". The 合计
    # under it closes both parts (751,236,151.02 of 期初 stands in the first), so it is not read
    # against the second part's rows alone; the rows that do add up are still checked.
    path = FIXTURES / "tongrentang_2024h_subsidiary_investments.md"
    document = markdown.read(str(path), path.read_bytes())
    assert [table.opens_page for table in document.tables] == [False, True]
    result = check_document(document, select_rules(None))
    assert not result.diagnostics
    assert {key[0] for key in result.verified_cells} == {0, 1}


def test_a_garbled_figure_makes_its_table_unread() -> None:
    # tongrentang_2023_annual.md lines 5270-5283 (重要在建工程项目本期变动情况): the OCR converter printed
    # 147,661.41 as "147.661.41" and moved that row's 本期其他减少 and the 合计 row's under 期末余额.
    # The grid cannot be trusted: every figure is kept as printed but unread, none is checked.
    path = FIXTURES / "tongrentang_construction_garbled_figure.md"
    document = markdown.read(str(path), path.read_bytes())
    (table,) = document.tables
    figures = [cell for row in table.rows for cell in row[1:] if any(ch.isdigit() for ch in cell.text)]
    assert figures and all(cell.unread and cell.quantity is None for cell in figures)
    assert [row[0].text for row in table.rows if row[0].text == "合计"] == ["合计"]
    result = check_document(document, select_rules(None))
    assert not result.diagnostics
    assert result.stats.unread_figures == len(figures)


def test_a_rate_column_headed_amount_below_is_a_misaligned_header() -> None:
    # tongrentang_2023_annual.md lines 7928-7942 (母公司应收账款 按坏账计提方法分类披露): the converter
    # dropped one of the five columns of each period from the lower header row, so "计提比例(%)"
    # stands over "金额" and 41,649,292.55 under 计提比例. The table is reported as not rebuilt.
    path = FIXTURES / "tongrentang_bad_debt_misaligned_header.md"
    document = markdown.read(str(path), path.read_bytes())
    (table,) = document.tables
    analyzed = analyze_table(table)
    assert analyzed.uncertain is not None and "金额" in analyzed.uncertain
    assert not check_document(document, select_rules(None)).diagnostics
    # The ordinary two-row header (an amount group over 金额 / 计提比例) is read.
    reply = FIXTURES / "chengbang_bad_debt_provision.md"
    for other in markdown.read(str(reply), reply.read_bytes()).tables:
        assert analyze_table(other).uncertain is None


def test_equity_instruments_in_one_column_is_a_flattened_header() -> None:
    # tongrentang_2023_annual.md lines 2799-2832 (母公司所有者权益变动表): 其他权益工具 stands as one
    # column, so the converter lost two of the statement's columns and 资本公积 1,353,754,682.55 is
    # missing from 一、上年年末余额. Lines 2760-2770 (the 2022 合并 statement) repeat 其他权益工具 over
    # its three columns and are read and checked.
    path = FIXTURES / "tongrentang_parent_equity_collapsed.md"
    document = markdown.read(str(path), path.read_bytes())
    (table,) = document.tables
    assert "其他权益工具" in (analyze_table(table).uncertain or "")
    assert not check_document(document, select_rules(None)).diagnostics
    path = FIXTURES / "tongrentang_equity_three_instrument_columns.md"
    document = markdown.read(str(path), path.read_bytes())
    (table,) = document.tables
    assert analyze_table(table).uncertain is None
    assert check_document(document, select_rules(None)).verified_cells
