"""analyze_table on tables cut from the corpus (chengbang .md, haixiang .alltxt), given as pipe tables
or as ragged/spanned cell rows the way the other readers deliver them."""

from __future__ import annotations

from hecha.engine import check_document
from hecha.extract.roles import ColumnKind, RowKind
from hecha.extract.table_roles import analyze_table, column_kind, column_period, row_kind
from hecha.ingest.grid import pipe_table
from hecha.ingest.numbers import is_blank, parse_quantity
from hecha.model.document import Cell, Document, Location, Table
from hecha.rules.registry import select_rules


def _pipe(text: str, unit: str | None = None) -> Table:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return pipe_table(lines, source="test", first_line=1, index=0, unit=unit)


def _cells_table(
    rows: list[list[str]], header_rows: int | None = None, spanned: frozenset[tuple[int, int]] = frozenset()
) -> Table:
    grid = tuple(
        tuple(
            Cell(
                text=text,
                location=Location(source="test", table=0, row=r, col=c, quote=text),
                quantity=parse_quantity(text),
                blank=is_blank(text),
                spanned=(r, c) in spanned,
            )
            for c, text in enumerate(row)
        )
        for r, row in enumerate(rows)
    )
    return Table(index=0, rows=grid, location=Location(source="test", table=0), header_rows=header_rows)


# chengbang_2025_inquiry_reply.md line 297 (分业务模式收入), two header rows.
MODE_TABLE = """
| 项目 | 2025年度收入 | 2025年度收入 | 2025年度成本 （万元） | 2025 年度毛利率 |
| 项目 | 金额（万元） | 占比 | 2025年度成本 （万元） | 2025 年度毛利率 |
|---|---|---|---|---|
| 直销 | 18,564.22 | 54.82% | 14,191.50 | 23.55% |
| 贸易 | 15,301.36 | 45.18% | 14, 625. 21 | 4.42% |
| 合 计 | 33,865.58 | 100.00% | 28,816.71 | 14.91% |
"""


def test_two_header_rows_give_groups_kinds_periods_and_scale() -> None:
    analyzed = analyze_table(_pipe(MODE_TABLE, unit="单位：万元"))
    assert analyzed.uncertain is None
    assert analyzed.header_row_count == 2
    kinds = [column.kind for column in analyzed.columns]
    assert kinds == [ColumnKind.AMOUNT, ColumnKind.SHARE, ColumnKind.AMOUNT, ColumnKind.MARGIN]
    first = analyzed.columns[0]
    assert first.header == "2025年度收入 / 金额（万元）"
    assert first.group == "2025年度收入"
    assert first.period == "2025年度"
    assert first.scale == 4
    assert [row.kind for row in analyzed.rows] == [RowKind.ITEM, RowKind.ITEM, RowKind.TOTAL]


def test_row_kinds_from_labels() -> None:
    assert row_kind("合 计") is RowKind.TOTAL
    assert row_kind("流动资产合计") is RowKind.TOTAL
    assert row_kind("负债和所有者权益总计") is RowKind.TOTAL
    assert row_kind("利润总额") is RowKind.ITEM
    assert row_kind("半导体存储业务小计") is RowKind.SUBTOTAL
    assert row_kind("其中：应收利息") is RowKind.OF_WHICH
    assert row_kind("可比公司平均") is RowKind.AVERAGE
    assert row_kind("平均售价") is RowKind.ITEM
    assert row_kind("中位数") is RowKind.MEDIAN


def test_traditional_labels_and_headers_read_as_their_simplified_words() -> None:
    # Hong Kong filings (pegbio_2025_hk_annual: "總計 50,387 95,427", "其中：", "佔比") print
    # traditional characters; hecha's label words are simplified.
    assert row_kind("總計") is RowKind.TOTAL
    assert row_kind("流動資產合計") is RowKind.TOTAL
    assert row_kind("經營分部小計") is RowKind.SUBTOTAL
    assert row_kind("其中：應收利息") is RowKind.OF_WHICH
    assert row_kind("經營活動所用淨現金") is RowKind.ITEM
    assert column_kind("佔比", 1.0) is ColumnKind.SHARE
    assert column_kind("變動比例", 1.0) is ColumnKind.CHANGE_RATE


def test_column_kinds_and_periods_from_headers() -> None:
    assert column_kind("2025年度 / 变动比例", 1.0) is ColumnKind.CHANGE_RATE
    assert column_kind("毛利率比上年增减", 1.0) is ColumnKind.PP_CHANGE
    assert column_kind("变动额", 0.0) is ColumnKind.DIFFERENCE
    assert column_kind("占营业收入比重", 1.0) is ColumnKind.SHARE
    assert column_kind("单价（元/件）", 0.0) is ColumnKind.OTHER
    # 主要会计数据: a year-end balance against the last one (annual, then half-year report)
    assert column_kind("本年末比上年末增减", 1.0) is ColumnKind.CHANGE_RATE
    assert column_kind("本报告期末比上年度末增减", 1.0) is ColumnKind.CHANGE_RATE
    assert column_period("2023 年 12 月 31 日") == "2023年12月31日"
    assert column_period("一季度收入 / 2025年一季度") == "2025年一季度"
    assert column_period("上年同期") == "上年同期"


# haixiang_2019_annual.alltxt page 78: 其中：应收利息 with blank figures, then 应收股利.
def test_sections_of_which_and_blank_items() -> None:
    table = _cells_table(
        [
            ["项目", "2019年12月31日", "2018年12月31日"],
            ["流动资产：", "", ""],
            ["其他应收款", "18,297,536.18", "10,817,853.96"],
            ["其中：应收利息", "", ""],
            ["应收股利", "", ""],
            ["减：库存股", "325,880,561.68", "325,880,561.68"],
            ["一、营业总收入", "", ""],
        ]
    )
    analyzed = analyze_table(table)
    kinds = [row.kind for row in analyzed.rows]
    assert kinds == [
        RowKind.SECTION,
        RowKind.ITEM,
        RowKind.OF_WHICH,
        RowKind.ITEM,
        RowKind.ITEM,
        RowKind.SECTION,
    ]
    assert analyzed.rows[4].sign_word == "减"
    assert analyzed.rows[5].level == 1


# haixiang_2019_annual.alltxt page 145: a wrapped cell leaves "55,429,191.3" and a row "余额 | 9".
def test_wrapped_cell_fragments_are_unknown_not_figures() -> None:
    table = _cells_table(
        [
            ["项目", "土地使用权", "专利权", "合计"],
            ["1.期初", "55,429,191.3", "77,337,200.93", "143,036,807.90"],
            ["余额", "9", "", ""],
            ["2.本期", "11,263,080.36", "17,674,391.81", "30,277,923.13"],
        ]
    )
    analyzed = analyze_table(table)
    assert analyzed.rows[0].cells[0] is None
    assert analyzed.rows[0].cells[1] is not None
    assert analyzed.rows[1].kind is RowKind.OTHER


# chengbang_2025_inquiry_reply.md line 479: "总计" spans three rows; its sub-rows are items.
def test_row_spanned_label_takes_role_from_specific_cell() -> None:
    table = _cells_table(
        [
            ["科目", "类别", "账面余额（万元）"],
            ["合同资产", "小计", "159,093.50"],
            ["总计", "按单项计提坏账准备", "17,692.29"],
            ["总计", "按组合计提坏账准备", "201,319.44"],
            ["总计", "合计", "219,011.73"],
        ],
        header_rows=1,
        spanned=frozenset({(3, 0), (4, 0)}),
    )
    analyzed = analyze_table(table)
    assert analyzed.label_columns == (0, 1)
    assert [row.kind for row in analyzed.rows] == [
        RowKind.SUBTOTAL,
        RowKind.ITEM,
        RowKind.ITEM,
        RowKind.TOTAL,
    ]


# Plain text: rows "label num num" where one row lost a figure.
def test_ragged_rows_align_only_when_the_count_matches() -> None:
    table = _cells_table(
        [
            ["项目", "2025年度", "2024年度"],
            ["营业收入", "50,356.55", "34,789.38"],
            ["营业成本", "46,971.60"],
            ["毛利", "3,384.95", "1,395.64"],
        ]
    )
    analyzed = analyze_table(table)
    assert analyzed.uncertain is None
    assert analyzed.rows[1].cells == (None, None)
    third = analyzed.rows[2].cells[1]
    assert third is not None and third.text == "1,395.64"


def test_aging_breakdown_rows_are_not_addends() -> None:
    table = _cells_table(
        [
            ["账龄", "账面余额"],
            ["2至3年", "4,521,732.29"],
            ["3年以上", "12,607,621.61"],
            ["3至4年", "8,370,022.99"],
            ["5年以上", "4,237,598.62"],
            ["合计", "500,776,838.93"],
        ]
    )
    kinds = [row.kind for row in analyze_table(table).rows]
    assert kinds == [RowKind.ITEM, RowKind.ITEM, RowKind.OF_WHICH, RowKind.OF_WHICH, RowKind.TOTAL]


def test_text_only_table_is_uncertain() -> None:
    table = _cells_table([["释义项", "指", "释义内容"], ["公司", "指", "浙江海翔药业股份有限公司"]])
    assert analyze_table(table).uncertain is not None


def test_transposed_table_with_periods_down_the_rows() -> None:
    table = _cells_table(
        [
            ["年度", "营业收入", "净利润"],
            ["2023年", "100.00", "10.00"],
            ["2024年", "120.00", "12.00"],
        ]
    )
    assert analyze_table(table).transposed


# jinyu_2020_annual.pdf 员工情况 (table 46), cut: a block of staff counts under its own heading rows.
STAFF_BLOCKS = """
| (一)员工情况 |  |
|---|---|
| 在职员工的数量合计 | 1,444 |
|  | 教育程度 |
| 教育程度类别 | 数量（人） |
| 硕士及以上 | 181 |
| 本科 | 536 |
| 大专 | 381 |
| 大专以下 | 346 |
| 合计 | 1,444 |
"""


def test_heading_rows_with_words_in_the_figure_column_open_a_section() -> None:
    analyzed = analyze_table(_pipe(STAFF_BLOCKS))
    kinds = [row.kind for row in analyzed.rows]
    assert kinds == [
        RowKind.SECTION,  # "(一)员工情况" names no column: the reader's header row is a heading
        RowKind.TOTAL,
        RowKind.SECTION,
        RowKind.SECTION,
        RowKind.ITEM,
        RowKind.ITEM,
        RowKind.ITEM,
        RowKind.ITEM,
        RowKind.TOTAL,
    ]


def test_a_remark_column_of_words_does_not_make_a_section() -> None:
    # haixiang_2019_annual.pdf 递延收益 (table 192), cut: 与资产相关 stands in a column of words.
    analyzed = analyze_table(
        _pipe(
            """
| 项目 | 期初余额 | 本期新增补助金额 | 期末余额 | 与资产相关/与收益相关 |
|---|---|---|---|---|
| 年产15000吨环保型活性艳蓝 |  |  |  | 与资产相关 |
| 催化净化处理塔建设项目 | 140,000.00 |  | 110,000.00 | 与资产相关 |
| 小计 | 140,000.00 |  | 110,000.00 |  |
"""
        )
    )
    assert analyzed.columns[-1].kind is ColumnKind.OTHER
    assert [row.kind for row in analyzed.rows] == [RowKind.ITEM, RowKind.ITEM, RowKind.SUBTOTAL]


def test_of_which_first_aging_band_opens_the_whole_breakdown() -> None:
    # baicheng_pharma_2024_annual.pdf p.171 按组合计提坏账准备 (期末: 账面余额, 坏账准备, 计提比例):
    # the 合计 repeats the group row; "其中：1年以内" and the bands after it break the group down.
    table = _cells_table(
        [
            ["名称", "账面余额", "坏账准备", "计提比例"],
            ["按组合计提坏账准备", "3,804,853.35", "647,288.11", "17.01%"],
            ["其中：1年以内", "1,936,480.61", "96,824.04", "5.00%"],
            ["1-2年", "1,425,980.74", "142,598.07", "10.00%"],
            ["2-3年", "31,650.00", "9,495.00", "30.00%"],
            ["3-4年", "24,742.00", "12,371.00", "50.00%"],
            ["5年以上", "386,000.00", "386,000.00", "100.00%"],
            ["合计", "3,804,853.35", "647,288.11", ""],
        ],
        header_rows=1,
    )
    kinds = [row.kind for row in analyze_table(table).rows]
    assert kinds == [RowKind.ITEM, *[RowKind.OF_WHICH] * 5, RowKind.TOTAL]


def test_named_total_over_its_of_which_rows_is_an_item() -> None:
    # maipu_medical_2024_annual.pdf p.187 50、营业外收入 (本期, 上期; the 非经常性损益 column left
    # out): "非流动资产报废合计" heads its 其中 row and is an item of the 合计.
    table = _cells_table(
        [
            ["项目", "本期发生额", "上期发生额"],
            ["政府补助", "2,600,000.00", ""],
            ["非流动资产报废合计", "", "830.09"],
            ["其中：固定资产报废利得", "", "830.09"],
            ["赔偿收入", "13,050.05", "266,328.77"],
            ["其他", "366.05", "596.89"],
            ["合计", "2,613,416.10", "267,755.75"],
        ],
        header_rows=1,
    )
    kinds = [row.kind for row in analyze_table(table).rows]
    assert kinds == [
        RowKind.ITEM,
        RowKind.ITEM,
        RowKind.OF_WHICH,
        RowKind.ITEM,
        RowKind.ITEM,
        RowKind.TOTAL,
    ]


def test_statement_note_column_is_neither_label_nor_amount() -> None:
    # vanke 2014 alltxt line 2478 (合并利润表): the 附注五 column's note numbers count up like a 序号
    # column; they are neither part of the labels nor amounts to add.
    table = analyze_table(
        _pipe(
            """
            | 项目 | 附注五 | 2014年 | 2013年 |
            |---|---|---|---|
            | 一、营业总收入 | 36 | 146,388,004,498.44 | 135,418,791,080.35 |
            | 其中：营业成本 | 36 | 102,557,063,731.11 | 92,797,650,762.81 |
            | 营业税金及附加 | 37 | 13,166,745,863.90 | 11,544,998,138.82 |
            | 销售费用 | 38 | 4,521,889,478.29 | 3,864,713,570.44 |
            """
        )
    )
    assert table.label_columns == (0,)
    assert [row.label for row in table.rows][:2] == ["一、营业总收入", "其中：营业成本"]
    kinds = [column.kind for column in table.columns]
    assert kinds == [ColumnKind.OTHER, ColumnKind.AMOUNT, ColumnKind.AMOUNT]


def test_heading_and_unit_printed_inside_the_top_rule_name_no_column() -> None:
    # jinyu 2020 PDF p.18 (资产及负债状况): the heading "1.资产及负债状况" split over two cells and
    # "单位：元" stand in the grid's first row. They are not part of the columns' headers, so the
    # 本期期末数 and 上期期末数 columns pair for the change rate (36.76% = 1,516,034,246.28 /
    # 1,108,509,231.31 − 1).
    table = analyze_table(
        _cells_table(
            [
                ["1.资产", "及负债状况", "", "", "", "", "单位：元"],
                [
                    "项目名称",
                    "本期期末数",
                    "本期期末数占总资产的比例（%）",
                    "上期期末数",
                    "上期期末数占总资产的比例（%）",
                    "本期期末金额较上期期末变动比例（%）",
                    "情况说明",
                ],
                [
                    "货币资金",
                    "1,516,034,246.28",
                    "24.15",
                    "1,108,509,231.31",
                    "19.84",
                    "36.76",
                    "存量同比增加",
                ],
                ["预付款项", "6,541,418.32", "0.10", "13,049,361.91", "0.23", "-49.87", "预付款结算所致"],
            ],
            header_rows=2,
        )
    )
    assert [column.header for column in table.columns][:3] == [
        "本期期末数",
        "本期期末数占总资产的比例（%）",
        "上期期末数",
    ]
    document = Document(source="test", format="pdf", page_count=1, tables=(table.table,))
    result = check_document(document, select_rules(["T003"]))
    rate = table.table.rows[2][5].location
    assert (rate.table, rate.row, rate.col) in result.verified_cells
