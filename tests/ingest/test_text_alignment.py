"""Plain text cannot place a row that prints fewer figures than the others by position: ingest
keeps its figures unread, and extract places them only where the columns' kinds and totals leave
one way (hecha.extract.placement). And a header whose cells all wrap must still name every
column: regressions cut from the pypdfium2 text of the corpus reports, each of which gave a false
合计 finding before."""

from __future__ import annotations

from pathlib import Path

import pytest

from hecha.engine import check_document
from hecha.extract.roles import ColumnKind
from hecha.extract.table_roles import analyze_table
from hecha.ingest import text
from hecha.model.document import Document, Table
from hecha.report import FileReport, ReportOptions
from hecha.report.text import TextReporter
from hecha.rules.registry import select_rules

FIXTURES = Path(__file__).parent.parent / "fixtures" / "text"


def _read(name: str) -> Document:
    path = FIXTURES / name
    return text.read(str(path), path.read_bytes())


def _table_with(document: Document, figure: str) -> Table:
    return next(t for t in document.tables if any(figure in c.text.split() for r in t.rows for c in r))


@pytest.mark.parametrize(
    ("fixture", "label", "figure", "placed"),
    [
        # 期初 only; read into 期末, 流动负债合计 期初 lacked it (diff 44,365,875.00). Every block
        # of this page's balance sheet holds a short row and no placement is the only best one:
        # the row stays unread.
        ("haixiang_p82.pdfium.txt", "一年内到期的非流动负债", "44,365,875.00", None),
        # 本期增加 and 本期减少 of a four-column roll-forward; 合计 diff 26,656.73 when misplaced.
        ("haixiang_p152.pdfium.txt", "三、辞退福利", "26,656.73", ("", "26,656.73", "26,656.73", "")),
        # 上期 only; 筹资活动现金流出小计 上期 diff 505,529,282.56 when misplaced.
        ("jinyu_p75.pdfium.txt", "支付其他与筹资活动有关的现金", "505,529,282.56", ("", "505,529,282.56")),
        # 上期 only; 资产减值损失 合计 上期 diff -15,030,127.35 when misplaced.
        ("jinyu_p162.pdfium.txt", "十一、商誉减值损失", "-15,030,127.35", ("", "-15,030,127.35")),
    ],
)
def test_row_with_fewer_figures_is_placed_only_where_the_totals_leave_one_way(
    fixture: str, label: str, figure: str, placed: tuple[str, ...] | None
) -> None:
    document = _read(fixture)
    table = _table_with(document, figure)
    row = next(r for r in table.rows if r[0].text.startswith(label))
    # Ingest keeps the short row's figures together as one unread cell over every figure
    # column (no column takes them for its own, none takes the row for empty) and marks the row
    # for extract to place.
    assert all(cell.unread and cell.quantity is None and figure in cell.text for cell in row[1:])
    assert table.rows.index(row) in table.unplaced_rows
    analyzed = analyze_table(table)
    cells = next(r.cells for r in analyzed.rows if r.label.startswith(label))
    if placed is None:
        assert all(cell is not None and cell.unread for cell in cells)
    else:
        assert tuple(cell.text if cell is not None else None for cell in cells) == placed
        assert all(cell is not None and (cell.quantity is not None or cell.blank) for cell in cells)
    # The finding this table once gave (the row summed into the wrong column) is gone, and the
    # table is checked wherever the row was placed.
    result = check_document(document, select_rules(None))
    verified = [key for key in result.verified_cells if key[0] == table.index]
    assert bool(verified) is (placed is not None)
    assert not [d for d in result.diagnostics if d.location.table == table.index]


def test_table_whose_rows_print_the_same_figures_keeps_them() -> None:
    # jinyu p75 母公司现金流量表, first rows: two figures on every row.
    table = _table_with(_read("jinyu_p75.pdfium.txt"), "20,519,023.02")
    figures = [cell for r in table.rows[table.header_rows or 0 :] for cell in r[1:]]
    assert figures
    assert all(cell.quantity is not None for cell in figures)


def test_header_of_wrapped_cells_names_every_column() -> None:
    # jinyu p15 成本分析表: "分行业 成本构成" / "项目 本期金额" / "本期占" / "总成本" / "比例" / "(%)" /
    # "上年同期金额" / … / "情况" / "说明"; the change-rate column was read as an amount under 小计.
    table = _table_with(_read("jinyu_p15-16.pdfium.txt"), "46.13")
    assert table.header_rows == 1
    assert [cell.text for cell in table.rows[0]] == [
        "分行业 成本构成项目",
        "本期金额",
        "本期占总成本比例(%)",
        "上年同期金额",
        "上年同期占总成本比例(%)",
        "本期金额较上年同期变动比例(%)",
    ]
    subtotal = next(r for r in table.rows if r[0].text == "小计" and r[-1].text == "46.13")
    assert [cell.text for cell in subtotal[1:]] == [
        "562,220,894.56",
        "100.00",
        "384,737,396.05",
        "100.00",
        "46.13",
    ]


def test_unread_row_is_never_taken_for_a_header_row() -> None:
    # haixiang p142 (pypdfium2), 在建工程: the label "台州振港公司 / 250 吨美罗培南 / 侧链项目" wraps above
    # its row, which prints two of four figures and no label. Read as a sub-header, the unread
    # figures named the columns and the 合计 below summed nothing above it (false T001 findings).
    document = _read("haixiang_p142.pdfium.txt")
    table = _table_with(document, "44,267,447.48")
    analyzed = analyze_table(table)
    unread_rows = [row.index for row in analyzed.rows if any(c is not None and c.unread for c in row.cells)]
    assert unread_rows, "the short row stays in the body"
    assert all("44,267,447.48" not in column.header for column in analyzed.columns)
    result = check_document(document, select_rules(None))
    assert not [d for d in result.diagnostics if d.location.table == table.index]


def test_statement_goes_on_past_an_empty_line_after_a_short_row() -> None:
    # shenzhen_grain_2018_annual.txt lines 4507-4650 (pp.89-91, 母公司资产负债表 with the running
    # headers): "短期借款  10,000,000.00" (its 期末 cell empty) and an empty line after the next,
    # wrapped item; the rows below print both periods. The table went on; it ended there, and
    # 流动负债合计 was read against its rows without 短期借款.
    path = FIXTURES / "shenzhen_grain_parent_balance_sheet.txt"
    document = text.read(str(path), path.read_bytes())
    table = _table_with(document, "313,821,546.05")
    labels = [row[0].text for row in table.rows]
    assert any(label.startswith("短期借款") for label in labels)
    assert any(label.startswith("货币资金") for label in labels)
    result = check_document(document, select_rules(None))
    assert not [d for d in result.diagnostics if d.location.table == table.index]


def test_unread_figures_are_counted_and_said_in_the_summary() -> None:
    # haixiang p82 (pypdfium2): 其他非流动资产, 其中：应付利息 and 一年内到期的非流动负债 each print one
    # of two figures. The reviewer is told how many figures were not checked, apart from findings.
    document = _read("haixiang_p82.pdfium.txt")
    result = check_document(document, select_rules(None))
    unread = [c for t in document.tables for r in t.rows for c in r if c.unread and not c.spanned]
    assert result.stats.unread_figures == len(unread) >= 3
    report = FileReport(path="haixiang_p82.pdfium.txt", result=result)
    zh = TextReporter().render([report], ReportOptions())
    en = TextReporter().render([report], ReportOptions(lang="en"))
    assert f"未能读取的数字 {len(unread)} 个" in zh
    assert f"{len(unread)} figures unread" in en


@pytest.mark.parametrize(
    "fixture",
    ["maipu_2024_p178_deferred_income.pdfplumber.txt", "baicheng_2023_deferred_income.pdfplumber.txt"],
)
def test_trailing_description_column_no_row_fills_does_not_shift_the_header(fixture: str) -> None:
    # 递延收益: "项目 期初余额 本期增加 本期减少 期末余额 形成原因" over rows of four figures whose
    # 形成原因 is printed empty (maipu) or wrapped into the label (baicheng). The header once kept
    # six cells for five columns and the table was dropped as rows of inconsistent length.
    document = _read(fixture)
    table = _table_with(document, "合计")
    assert [cell.text for cell in table.rows[0]] == ["项目", "期初余额", "本期增加", "本期减少", "期末余额"]
    result = check_document(document, select_rules(None))
    total_row = next(i for i, r in enumerate(table.rows) if r[0].text == "合计")
    assert {key[1] for key in result.verified_cells if key[0] == table.index} >= {total_row}
    assert not result.diagnostics


@pytest.mark.parametrize(
    ("fixture", "headers", "change_column"),
    [
        # 营业成本构成: "2016年 2015年" / "产品分类 项目 同比增减" / "金额 占营业成本比重 金额 占营业成本比重"
        # over rows of two label cells and five figures.
        (
            "zhangjiajie_2016_p17_cost_by_product.pdfplumber.txt",
            [
                "2016年 / 金额",
                "2016年 / 占营业成本比重",
                "2015年 / 金额",
                "2015年 / 占营业成本比重",
                "同比增减",
            ],
            ColumnKind.CHANGE_RATE,
        ),
        # 资产构成重大变动情况: "本报告期末 上年末" / "比重增减 重大变动说明" / "金额 占总资产比例 …", the
        # description column printed empty and a description piece wrapped under the header.
        (
            "maipu_2023h1_p18_assets.pdfplumber.txt",
            [
                "本报告期末 / 金额",
                "本报告期末 / 占总资产比例",
                "上年末 / 金额",
                "上年末 / 占总资产比例",
                "比重增减",
            ],
            ColumnKind.PP_CHANGE,
        ),
    ],
)
def test_periods_over_repeated_leaf_cells_name_every_column(
    fixture: str, headers: list[str], change_column: ColumnKind
) -> None:
    # Placed from the left, the periods and leaves stood over the wrong figures: "占营业成本比重"
    # over amounts, and the change column unnamed.
    document = _read(fixture)
    table = document.tables[0]
    analyzed = analyze_table(table)
    assert [column.header for column in analyzed.columns] == headers
    assert [column.kind for column in analyzed.columns] == [
        ColumnKind.AMOUNT,
        ColumnKind.SHARE,
        ColumnKind.AMOUNT,
        ColumnKind.SHARE,
        change_column,
    ]
    # Every full row's change (a rate of the amounts, or the difference of the shares) is
    # recomputed, and holds.
    result = check_document(document, select_rules(None))
    checked_rows = {row for t, row, col in result.verified_cells if t == table.index and col == 5}
    full_rows = {
        index
        for index, row in enumerate(table.rows)
        if index >= table.header_rows and all(cell.quantity is not None for cell in row[1:])
    }
    assert full_rows and full_rows <= checked_rows
    assert not result.diagnostics


@pytest.mark.parametrize(
    ("fixture", "figure", "change_headers"),
    [
        # "营业收入比上年 营业成本比上年 毛利率比上年同" / "营业收入 营业成本 毛利率" / "同期增减 同期增减
        # 期增减": the long cells wrap around the short ones.
        (
            "haixiang_p15-16.pdfplumber.txt",
            "983,149,430.95",
            ["营业收入比上年同期增减", "营业成本比上年同期增减", "毛利率比上年同期增减"],
        ),
        # "营业收入 营业成本 毛利率 营业收入比上 营业成本比上 毛利率比上年同期" / "年同期增减 年同期增减
        # 增减（个百分点）": a full line, then the last cells' second halves.
        # A complete first line, then each later cell in two pieces closed by 增减 (extracted
        # text of another company's report).
        (
            "csg_nanbo_2018_p14_segments.txt",
            "5,400,796,739",
            ["营业收入比上年同期增减", "营业成本比上年同期增减", "毛利率比上年同期增减"],
        ),
        (
            "shenzhen_energy_2016_p14_segments.pdfplumber.txt",
            "7,566,607,035.87",
            ["营业收入比上年同期增减", "营业成本比上年同期增减", "毛利率比上年同期增减(个百分点)"],
        ),
    ],
)
def test_header_cells_wrapped_around_a_line_name_every_column(
    fixture: str, figure: str, change_headers: list[str]
) -> None:
    # Placed line by line from the left, "年同期增减" stood over 营业收入 and the margin's change
    # over 营业成本; no change or margin of these rows was recomputed.
    document = _read(fixture)
    table = _table_with(document, figure)
    analyzed = analyze_table(table)
    assert [column.header for column in analyzed.columns] == [
        "营业收入",
        "营业成本",
        "毛利率",
        *change_headers,
    ]
    assert [column.kind for column in analyzed.columns][:4] == [
        ColumnKind.AMOUNT,
        ColumnKind.AMOUNT,
        ColumnKind.MARGIN,
        ColumnKind.CHANGE_RATE,
    ]
    # The section word under the header opens the body.
    assert any(row.label == "分行业" for row in analyzed.rows)
    result = check_document(document, select_rules(None))
    row = next(i for i, r in enumerate(table.rows) if any(c.text == figure for c in r))
    assert {(row, col) for t, r, col in result.verified_cells if t == table.index and r == row} >= {
        (row, 3),
        (row, 6),
    }
    assert not [d for d in result.diagnostics if d.location.table == table.index]


def test_labels_printed_above_their_figures_in_two_label_columns_stay_in_the_table() -> None:
    # pegbio_2025_hk_annual (pypdfium2 text, p.69-70, 獎勵詳情): each grantee's name and post
    # ("王小軍女士 執行董事兼" / "財務總監") print above the row's figures. Two words side by side
    # were taken for a new table's header, and "董事小計 28,116,782" was read against 907,262
    # alone (27,209,520 stood in the table before).
    document = _read("pegbio_2025_p69-70.pdfium.txt")
    table = _table_with(document, "28,116,782")
    assert _table_with(document, "27,209,520") is table
    grantee = next(row for row in table.rows if any(cell.text == "907,262" for cell in row))
    assert grantee[0].text == "王小軍女士 執行董事兼財務總監"
    result = check_document(document, select_rules(None))
    subtotal = next(i for i, row in enumerate(table.rows) if row[0].text == "董事小計")
    assert (table.index, subtotal, 2) in result.verified_cells
    assert not result.diagnostics


def test_label_line_opening_with_a_row_marker_starts_the_next_rows_label() -> None:
    # haixiang 2019 pdfplumber text, p.84: "投资收益（损失以“－”号填" / its figures / "列）" /
    # "其中：对联营企业和合营企业" / its figures / "的投资收益". "列）" ends the row above; the line
    # opening with 其中： is the next row's label, not the tail of the row above.
    document = _read("haixiang_2019_p84_income_statement.pdfplumber.txt")
    labels = {row[0].text: [cell.text for cell in row[1:]] for table in document.tables for row in table.rows}
    assert labels["投资收益（损失以“－”号填列）"] == ["-15,240,062.55", "-9,359,378.55"]
    assert labels["其中：对联营企业和合营企业的投资收益"] == ["-16,759,549.80", "-6,923,938.93"]
    # Whole items printed with empty cells between the wrapped labels are rows of their own.
    for item in (
        "以摊余成本计量的金融资产终止确认收益",
        "汇兑收益（损失以“-”号填列）",
        "净敞口套期收益（损失以“－”号填列）",
    ):
        assert labels[item] == ["", ""]
    assert "公允价值变动收益（损失以“－”号填列）" in labels


def test_table_going_on_under_label_lines_at_the_top_of_a_page_is_one_table() -> None:
    # haixiang 2019 pdfplumber text: 合并利润表 breaks after "其中：营业成本" (p.83); p.84 opens with
    # 利息支出 … 分保费用 (items printed with empty cells) before "税金及附加 26,841,009.21 …". The
    # statement stays one table, those lines its rows (营业利润's operands stand on both pages).
    document = _read("haixiang_2019_p82-84_statements.pdfplumber.txt")
    statement = next(t for t in document.tables if any(r[0].text == "一、营业总收入" for r in t.rows))
    labels = [row[0].text for row in statement.rows]
    assert labels.index("其中：营业成本") < labels.index("利息支出") < labels.index("税金及附加")
    assert "三、营业利润（亏损以“－”号填列）" in labels
    assert all(cell.text == "" for cell in statement.rows[labels.index("利息支出")][1:])
    # The first figure row on p.84 stays under the statement's header: its columns are the years.
    assert analyze_table(statement).columns[0].period == "2019年度"


def test_number_ending_a_label_is_no_figure_where_the_table_has_no_column_for_it() -> None:
    # china_baoan 2018 text, 其他应收款 by 坏账准备 method: "组合 1 132,334,084.59 13.89 40,221,889.04
    # 30.39 92,112,195.55" prints one figure more than the table's columns, "组合 2" one fewer
    # than its "2" would make it: the numbers end the labels. The 计提比例 column (no %, its header
    # lost) is the ratio of two amount columns and is never summed.
    document = _read("china_baoan_2018_other_receivables.txt")
    table = next(t for t in document.tables if any(r[0].text == "组合 1" for r in t.rows))
    labels = [row[0].text for row in table.rows]
    assert "组合 2" in labels
    assert [c.text for c in table.rows[labels.index("组合 1")][1:]] == [
        "132,334,084.59",
        "13.89",
        "40,221,889.04",
        "30.39",
        "92,112,195.55",
    ]
    result = check_document(document, select_rules(["T001"]))
    total = table.rows[labels.index("合 计")][1].location
    assert (total.table, total.row, total.col) in result.verified_cells
    assert not result.diagnostics


def test_small_amount_in_a_column_of_whole_numbers_stays_a_figure() -> None:
    # dingtai 2016 pdfplumber text p.114 (泰海投资 股权结构): "于国强 10 1.00" under "王卫 990 99.00"
    # and "合计 1,000 100.00". The 注册资本 column prints whole numbers: 10 is its figure.
    document = _read("dingtai_2016_p114_shareholders.pdfplumber.txt")
    rows = {row[0].text: [cell.text for cell in row[1:]] for table in document.tables for row in table.rows}
    assert rows["于国强"] == ["10", "1.00"]
    result = check_document(document, select_rules(["T001"]))
    assert not result.diagnostics


def test_continued_part_after_the_closing_total_is_a_table_of_its_own() -> None:
    # zhenye 2018 text (其他应收款分类披露): the 期末余额 part closes with "合计 3,006,806,029.56 …";
    # "续表", the header again and the 期初余额 part follow. That part is a table of its own, so
    # its 组合小计 is not read against the 期末 items above the first 合计.
    document = _read("zhenye_2018_other_receivables.txt")
    closing = next(t for t in document.tables if any("3,006,806,029.56" in c.text for r in t.rows for c in r))
    assert not any("3,245,946,008.09" in c.text for r in closing.rows for c in r)
    result = check_document(document, select_rules(["T001"]))
    assert not result.diagnostics
