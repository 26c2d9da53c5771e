"""PDF table layouts the ruled-grid reader once got wrong, each on a one- or two-page corpus cut:
a three-line table with a long unruled body, labels sharing one ruled band, spanning headers,
two figures reported as one text run, and a continuation whose empty columns differ."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hecha.engine import check_document
from hecha.ingest import pdf
from hecha.ingest.pdf_page import Run, _join_glyphs
from hecha.model.document import Document, Table
from hecha.rules.registry import select_rules

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pdf"


def _read(name: str) -> Document:
    path = FIXTURES / name
    return pdf.read(str(path), path.read_bytes())


def _texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def test_three_line_table_with_long_body_keeps_every_row() -> None:
    document = _read("jinyu_2020_p85.pdf")
    assert len(document.tables) == 1
    rows = _texts(document.tables[0])
    assert rows[0] == ["序号", "子公司名称", "简称"]
    assert len(rows) == 17
    assert rows[1] == ["1", "金宇保灵生物药品有限公司", "金宇保灵"]
    assert rows[12] == ["12", "Onebiol,LLC", "Onebiol"]
    assert rows[16] == ["16", "金宇博沃润泽生物技术有限公司", "博沃润泽"]
    # The rows are no longer left as prose.
    assert not any("扬州优邦" in paragraph.text for paragraph in document.paragraphs)


def test_labels_in_one_band_stay_separate_rows() -> None:
    tables = _read("jinyu_2020_p75.pdf").tables
    rows = {row[0].text: row for table in tables for row in table.rows}
    assert "投资活动产生的现金流量净额" in rows
    assert "三、筹资活动产生的现金流量：" in rows
    assert all(cell.quantity is None for cell in rows["三、筹资活动产生的现金流量："][1:])
    paid = rows["分配股利、利润或偿付利息支付的现金"][1].quantity
    assert paid is not None and paid.value == Decimal("68085852.36")
    assert "其中：子公司支付给少数股东的股利、利润" in rows
    # A wrapped label comes back whole; the empty row under it is not glued onto it.
    assert "一、经营活动产生的现金流量：" in rows
    sales = rows["销售商品、提供劳务收到的现金"]
    assert [cell.text for cell in sales[-2:]] == ["20,519,023.02", "25,897,408.45"]
    assert "收到的税费返还" in rows


def test_two_figures_in_one_run_become_two_cells() -> None:
    table = _read("haixiang_2019_p200.pdf").tables[1]
    total = next(row for row in table.rows if row[0].text == "合计")
    values = [cell.quantity.value if cell.quantity else None for cell in total[1:]]
    assert values == [
        Decimal("3270768394.33"),
        Decimal("23347592.79"),
        Decimal("3247420801.54"),
        Decimal("3273904445.64"),
        Decimal("23347592.79"),
        Decimal("3250556852.85"),
    ]


def test_spanning_header_is_repeated_into_covered_columns() -> None:
    table = _read("haixiang_2019_p200.pdf").tables[1]
    top, sub = table.rows[0], table.rows[1]
    assert [cell.text for cell in top[1:]] == ["期末余额"] * 3 + ["期初余额"] * 3
    # Exactly one cell of each group is the original, the others are marked as copies.
    assert [cell.spanned for cell in top[1:4]].count(False) == 1
    assert [cell.spanned for cell in top[4:7]].count(False) == 1
    assert [cell.text for cell in sub[1:4]] == ["账面余额", "减值准备", "账面价值"]
    assert not any(cell.spanned for cell in sub)
    # Body rows are never spanned.
    assert not any(cell.spanned for row in table.rows[2:] for cell in row)


def test_continuation_with_dropped_empty_columns_is_joined() -> None:
    document = _read("jinyu_2020_p190-191.pdf")
    table = next(t for t in document.tables if any(row[0].text == "对子公司投资" for row in t.rows))
    assert table.pages == (1, 2)
    width = len(table.rows[0])
    assert width == 7 and all(len(row) == width for row in table.rows)
    associate = next(row for row in table.rows if row[0].text == "对联营、合营企业投资")
    assert associate[0].location.page == 2
    figures = [cell.text for cell in associate]
    # 账面余额 and 账面价值 of both years, 减值准备 empty: the columns line up with page 190's header.
    assert figures == [
        "对联营、合营企业投资",
        "264,201,598.64",
        "",
        "264,201,598.64",
        "262,950,536.58",
        "",
        "262,950,536.58",
    ]
    assert table.rows[-1][0].text == "合计"


def _rows_with(document: Document, label: str) -> list[list[str]]:
    return [
        [cell.text for cell in row if cell.text.strip()]
        for table in document.tables
        for row in table.rows
        if row[0].text.strip() == label or (len(row) > 1 and row[1].text.strip() == label)
    ]


def test_figures_broken_inside_narrow_cells_are_one_figure_again() -> None:
    # maipu 2023 half-year p.135 (母公司长期股权投资), no rules: "41,045,311.1" wraps its "8" onto
    # a line of its own; "40,000,000" | ".00" and "1,045,311." | "18" come as two runs side by side.
    document = _read("maipu_2023_p135.pdf")
    texts = [cell.text for table in document.tables for row in table.rows for cell in row]
    assert texts.count("41,045,311.18") >= 8
    assert "40,000,000.00" in texts and "1,045,311.18" in texts
    assert not any(text.strip() in {"8", ".00", "18", ".18"} for text in texts)


def test_row_printed_over_three_lines_is_one_row() -> None:
    # haixiang 2019 p.146 (无形资产, 累计摊销 continued from p.145): "4.期末" / the centred
    # figures / "余额" with the wrapped last digits of the first, second and last columns.
    document = _read("haixiang_2019_p146.pdf")
    closing = _rows_with(document, "4.期末余额")
    assert closing[0][:4] == ["4.期末余额", "66,692,271.75", "95,011,592.74", "960,760.16"]
    assert closing[0][-1] == "168,113,512.65"
    assert _rows_with(document, "2.本期增加金额")[0][-1] == "30,277,923.13"


def test_label_wrapped_over_two_lines_is_one_label_on_its_row() -> None:
    # maipu 2023 half-year p.108 (应付职工薪酬): "1、工资、奖金、津贴" over "和补贴 13,661,386.86 …";
    # "二、离职后福利-设定" over "提存计划 …"; "5、工会经费和职工教" over "育经费 …".
    labels = [row[0].text for table in _read("maipu_2023_p108.pdf").tables for row in table.rows]
    assert "1、工资、奖金、津贴和补贴" in labels
    assert "二、离职后福利-设定提存计划" in labels
    assert "5、工会经费和职工教育经费" in labels
    assert "和补贴" not in labels and "提存计划" not in labels


def test_bare_of_which_line_stays_a_row_and_split_cells_join() -> None:
    # jinyu 2020 p.125 (应收票据 按坏账计提方法): two-character label cells; "其中：" alone on its line
    # opens the breakdown, "按组" / "合计提坏账准备" is one label whose figures wrapped with it.
    document = _read("jinyu_2020_p125.pdf")
    rows: dict[str, list[str]] = {}
    for table in document.tables:
        for row in table.rows:
            rows.setdefault(row[0].text, [cell.text for cell in row[1:] if cell.text.strip()])
    assert "其中：" in rows
    assert rows["按组合计提坏账准备"][:3] == ["22,172,721.00", "100.00", "136,382.20"]
    assert rows["银行承兑汇票"][0] == "15,419,010.00"
    assert rows["合计"][-1] == "23,855,394.93"


def test_figures_flush_right_in_a_continued_table_share_one_column() -> None:
    # baicheng 2024 half-year p.117-118 (在建工程 summary continued on p.118): 823,509.02 under
    # 447,992,952.25, the two flush right, used to land in two columns of the lined-up grid.
    document = _read("baicheng_2024h_p117-118.pdf")
    summary = next(t for t in document.tables if any(row[0].text == "工程物资" for row in t.rows))
    rows = {row[0].text: row for row in summary.rows}
    materials = [p for p, cell in enumerate(rows["工程物资"]) if cell.text == "823,509.02"]
    works = [p for p, cell in enumerate(rows["在建工程"]) if cell.text == "447,992,952.25"]
    assert materials == works


def _table_titled(document: Document, title: str) -> Table:
    return next(table for table in document.tables if table.title.startswith(title))


def test_glyph_runs_join_into_figures_and_stacked_tables_stay_apart() -> None:
    # maipu 2024 p.187: every glyph is a run of its own, the comma and point below the digits'
    # centre line ("2 600 000 00,,." before); 49、资产处置收益 and 50、营业外收入 are two ruled
    # tables whose rules stack within reach of each other, a "单位：元" line between them.
    document = _read("maipu_2024_p187.pdf")
    disposal = _table_titled(document, "49、资产处置收益")
    assert _texts(disposal) == [
        ["资产处置收益的来源", "本期发生额", "上期发生额"],
        ["固定资产处置收益", "790.78", ""],
    ]
    income = _table_titled(document, "50、营业外收入")
    total = next(row for row in income.rows if row[0].text == "合计")
    assert [cell.quantity.value if cell.quantity else None for cell in total[1:]] == [
        Decimal("2613416.10"),
        Decimal("267755.75"),
        Decimal("2613416.10"),
    ]


def test_figures_left_broken_keep_their_table_unread() -> None:
    # maipu 2024 p.214 长期股权投资: "41,045,311.1" over "8" (the cells wrap and are not joined)
    # beside 合计 "41,045,311.18": which piece belongs to which row is not known, so no figure of
    # the table is read (the 合计 against "41,045,311.1" was a false finding).
    table = _table_titled(_read("maipu_2024_p214.pdf"), "3、长期股权投资")
    body = table.rows[table.header_rows or 0 :]
    figures = [cell for row in body for cell in row[1:] if cell.text.strip()]
    assert figures
    assert all(cell.unread and cell.quantity is None for cell in figures)


def test_minus_sign_wrapped_above_its_figure_is_kept() -> None:
    # baicheng 2024 p.171/172 本期计提坏账准备情况: the 计提 cell prints "-" alone on its first
    # line and "1,101,529.02" on the next, the row's label centred between them.
    table = _table_titled(_read("baicheng_2024_p171-172.pdf"), "本期计提坏账准备情况")
    provisions = {row[0].text: row[2].quantity for row in table.rows if row[0].text in ("账龄组合", "合计")}
    assert provisions["账龄组合"] is not None and provisions["账龄组合"].value == Decimal("-1101529.02")
    assert provisions["合计"] is not None and provisions["合计"].value == Decimal("-1101529.02")


def test_check_boxes_between_stacked_grids_end_a_table() -> None:
    # baicheng 2023 p.38: 3、费用 ends where "4、研发投入 □适用 √不适用" stands; the project table
    # below (words in every column) was read as more rows of the expenses table.
    document = _read("baicheng_2023_p38.pdf")
    expenses = _table_titled(document, "3、费用")
    labels = [row[0].text for row in expenses.rows if row[0].text]
    assert labels == ["销售费用", "管理费用", "财务费用", "研发费用"]
    assert any(table.title.startswith("4、研发投入") for table in document.tables)


def test_row_with_every_cell_wrapped_over_four_ruled_lines_is_one_row() -> None:
    # baicheng 2024 p.124 合并所有者权益变动表: sixteen narrow columns, every printed line ruled;
    # "108," / "919," / "903." / "00" beside "一、" / "上年" / "期末" / "余额", and "-" over
    # "19,863,254.72" (减少以"－"号填列).
    document = _read("baicheng_2024_p124.pdf")
    table = next(t for t in document.tables if any(r[0].text == "一、上年期末余额" for r in t.rows))
    rows = {row[0].text: row for row in table.rows}
    opening = rows["一、上年期末余额"]
    assert opening[2].quantity is not None and opening[2].quantity.value == Decimal("108919903.00")
    assert [cell.text for cell in opening[6:9]] == ["2,126,676,428.24", "49,998,224.77", "-136,186.95"]
    assert not any(cell.unread for cell in opening)
    change = rows["三、本期增减变动金额（减少以“－”号填列）"]
    assert change[2].text == "308,381.00" and change[6].text == "-19,863,254.72"


def test_broken_figure_row_is_no_header_and_its_pieces_join() -> None:
    # baicheng 2024 p.186 受限资产: "12,466,13" over "9.14" beside "汇票保证" over "金"; the row
    # was taken for a header row (no whole figure in it) and summed out of 合计.
    table = _table_titled(_read("baicheng_2024_p186.pdf"), "21、所有权或使用权受到限制的资产")
    body = table.rows[table.header_rows or 0 :]
    first = next(row for row in body if row[0].text == "货币资金")
    assert first[1].text == "12,466,139.14" and first[6].text == "103,418,472.60"
    assert sum(1 for row in body if row[0].text == "货币资金") == 4


def test_figures_centred_between_a_wrapped_labels_two_lines_join_its_row() -> None:
    # maipu 2024 p.104 (合并利润表): "三、营业利润（亏损以“－”号填" / "91,722,045.56 48,267,260.45"
    # on a line of their own / "列）"; the three lines are one row, and no row is left empty-labelled.
    document = _read("maipu_2024_p104.pdf")
    assert _rows_with(document, "三、营业利润（亏损以“－”号填列）")[0] == [
        "三、营业利润（亏损以“－”号填列）",
        "91,722,045.56",
        "48,267,260.45",
    ]
    labels = [row[0].text for table in document.tables for row in table.rows]
    assert "列）" not in labels and "三、营业利润（亏损以“－”号填" not in labels


def test_label_first_line_without_figures_joins_the_line_printing_them() -> None:
    # baicheng 2024 p.119 (合并利润表, an empty ruled column left of the labels): "四、利润总额（亏损
    # 总额以“－”号" over "填列） -36,060,972.55 295,679,490.19" is one row.
    document = _read("baicheng_2024_p119.pdf")
    assert _rows_with(document, "四、利润总额（亏损总额以“－”号填列）")[0] == [
        "四、利润总额（亏损总额以“－”号填列）",
        "-36,060,972.55",
        "295,679,490.19",
    ]
    labels = [row[0].text for table in document.tables for row in table.rows]
    assert not any(label.startswith(("填列）", "列）")) for label in labels)


def test_list_stacked_under_summary_lines_in_one_grid_is_a_table_of_its_own() -> None:
    # haixiang 2019 p.18-19 (前五名客户, 前五名供应商): the 合计销售金额 lines, "公司前5 | 大客户资料"
    # and the list under "序号 | 客户名称 | 销售额（元） | 占年度销售总额比例" share one ruled grid. The
    # list is a table of its own, its 合计 a total of its five rows; the supplier list goes on at
    # the top of p.19 although one column edge moved there.
    document = _read("haixiang_2019_p18-19.pdf")
    customers = next(t for t in document.tables if any(r[1].text == "客户1" for r in t.rows if len(r) > 1))
    assert [c.text for c in customers.rows[1]] == ["序号", "客户名称", "销售额（元）", "占年度销售总额比例"]
    assert [c.text for c in customers.rows[-1]] == ["合计", "--", "649,326,403.37", "22.08%"]
    suppliers = next(t for t in document.tables if any(r[1].text == "供应商1" for r in t.rows if len(r) > 1))
    assert [r[1].text for r in suppliers.rows[2:7]] == [f"供应商{n}" for n in range(1, 6)]
    assert suppliers.pages == (1, 2)
    result = check_document(document, select_rules(["T001"]))
    for table in (customers, suppliers):
        total = table.rows[-1][2].location
        assert (total.table, total.row, total.col) in result.verified_cells
    assert not result.diagnostics


def test_figures_wrapped_around_a_centred_line_and_lone_decimal_points_join() -> None:
    # baicheng_pharma_2024_annual.pdf p.34 (营业成本构成): "研发技术成果" / "转化" stands in a
    # narrow cell with "33,309,586.2" on its first line and "3" on its last, "直接材料 … 8.65% …
    # -2.84%" centred between; "3.37%" is drawn as "3", ".", "37%" with the point below the
    # digits' centre line. Each item is one row with whole figures, and the 小计 rows foot.
    document = _read("baicheng_2024_p34.pdf")
    rows = [[cell.text for cell in row] for table in document.tables for row in table.rows]
    assert ["CRO行业", "制造费用", "48,557,286.73", "12.61%", "46,974,453.66", "13.39%", "3.37%"] in rows
    assert [
        "研发技术成果转化",
        "直接材料",
        "33,309,586.23",
        "8.65%",
        "34,284,290.41",
        "9.77%",
        "-2.84%",
    ] in rows
    assert [
        "研发技术成果转化",
        "小计",
        "76,846,872.44",
        "19.96%",
        "83,891,082.43",
        "23.92%",
        "-8.40%",
    ] in rows
    result = check_document(document, select_rules(["T001"]))
    products = next(t for t in document.tables if any(r[0].text == "研发技术成果转化" for r in t.rows))
    subtotal = next(r for r in products.rows if r[0].text == "研发技术成果转化" and r[1].text == "小计")
    assert (products.index, subtotal[2].location.row, subtotal[2].location.col) in result.verified_cells
    assert not result.diagnostics


def test_a_row_heading_the_columns_anew_starts_a_table_of_its_own() -> None:
    # asymchem_2024_annual_summary.pdf pp.5-6 (主要会计数据): one grid holds the balances under
    # "2024年末 … 本年末比上年末增减", the results under "2024年 … 本年比上年增减" and the quarters
    # under "第一季度 … 第四季度". Read as one table, the third quarter's 营业收入 1,442,936,480.71
    # stood under 本年末比上年末增减 as a change rate. maipu_medical_2024_annual.pdf p.9 is the same
    # grid of another company.
    document = _read("asymchem_2024_summary_p5-6.pdf")
    headers = [[cell.text for cell in table.rows[0][1:]] for table in document.tables if table.rows]
    assert ["2024年末", "2023年末", "本年末比上年末增减", "2022年末"] in headers
    assert ["2024年", "2023年", "本年比上年增减", "2022年"] in headers
    assert ["第一季度", "第二季度", "第三季度", "第四季度"] in headers
    quarters = next(t for t in document.tables if t.rows and t.rows[0][1].text == "第一季度")
    assert quarters.unit == "单位：元" and "分季度主要会计数据" in quarters.title
    result = check_document(document, select_rules(None))
    # The one finding is the published document's: its 扣非 quarters add up to 849,537,214.54,
    # 0.42 short of the year's 849,537,214.96 (X004).
    assert [(d.code, "849,537,214.96" in d.message) for d in result.diagnostics] == [("X004", True)]
    balances = next(t for t in document.tables if t.rows and t.rows[0][1].text == "2024年末")
    assert any(key[0] == balances.index for key in result.verified_cells)
    maipu = _read("maipu_2024_p9.pdf")
    headers = [[cell.text for cell in table.rows[0][1:]] for table in maipu.tables if table.rows]
    assert ["2024年末", "2023年末", "本年末比上年末增减", "2022年末"] in headers
    assert not check_document(maipu, select_rules(None)).diagnostics


def test_glyph_joins_a_point_whatever_glyphs_of_other_lines_pass() -> None:
    # maipu 2024 p.26: a figure wrapped in its cell, "265,802" over ".37", every glyph a run of its
    # own (boxes as pdfium reports them). The comma of a row further down, at x 144.49, lies to
    # the right of the point at a gap beyond its own small reach; it once closed the point to
    # every later glyph, so that "3" and "7" made a word of their own and the point stood alone.
    glyphs = [
        ("2", 121.9, 627.58, 125.38, 633.75),
        ("6", 126.42, 627.58, 130.04, 633.82),
        ("5", 130.97, 627.64, 134.38, 633.82),
        (",", 135.49, 632.68, 136.72, 634.93),
        ("8", 139.82, 627.58, 143.41, 633.82),
        (".", 140.03, 644.79, 141.1, 645.85),
        ("0", 144.42, 627.58, 148.04, 633.82),
        (",", 144.49, 707.19, 145.72, 709.45),
        ("3", 144.53, 639.58, 147.94, 645.82),
        ("2", 148.9, 627.58, 152.38, 633.75),
        ("7", 149.01, 639.64, 152.41, 645.82),
    ]
    words = _join_glyphs([Run(*glyph) for glyph in glyphs])
    assert sorted(word.text for word in words) == [",", ".37", "265,802"]


def test_quantities_with_one_decimal_are_no_broken_figures() -> None:
    # haixiang 2019 p.16-17 产销量: "1,495,834.8 千克" beside "1,352,154.98" drops a trailing zero;
    # no digit stands alone in the table, so no figure lost its last digit and every one is read.
    document = _read("haixiang_2019_p16-17.pdf")
    table = next(t for t in document.tables if any(c.text == "1,495,834.8" for row in t.rows for c in row))
    figures = [cell for row in table.rows[1:] for cell in row[3:] if cell.text.strip()]
    assert len(figures) == 18
    assert all(cell.quantity is not None and not cell.unread for cell in figures)
    verified = check_document(document, select_rules()).verified_cells
    one_decimal = next(c for row in table.rows for c in row if c.text == "1,495,834.8").location
    assert (one_decimal.table, one_decimal.row, one_decimal.col) in verified
