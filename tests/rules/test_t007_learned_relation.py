"""T007 on hand-built AnalyzedTables (cut from the corpus), independent of extract's role inference.

Each table is a pipe table; ``_analyzed`` gives it the roles a reader would: first column labels,
the other columns amounts (or the kind the test names), 合计 rows totals.
"""

from __future__ import annotations

from decimal import Decimal

from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row, RowKind
from hecha.ingest.grid import pipe_table
from hecha.model.diagnostic import Diagnostic, RelationForm
from hecha.model.document import Document
from hecha.rules.base import CheckStats, RuleContext
from hecha.rules.tables.learned_relation import LearnedRelationBroken

# chengbang_2025_inquiry_reply.md, 分部利润表 (万元), first four rows as published (4th label shortened).
SEGMENT = """
| 项目 | 环境建设 | 环境建设 | 半导体存储 | 半导体存储 | 合计 | 合计 |
| 项目 | 2025年度 | 2024年度 | 2025年度 | 2024年度 | 2025年度 | 2024年度 |
|---|---|---|---|---|---|---|
| 营业收入 | 16,307.97 | 23,730. 48 | 34,048.57 | 11,058.91 | 50,356. 55 | 34,789.38 |
| 减：营业成本 | 17, 982. 41 | 22,796.82 | 28,989.19 | 10, 596.92 | 46,971. 60 | 33,393. 74 |
| 营业毛利 | −1,674. 44 | 933.66 | 5,059.38 | 461.98 | 3,384.95 | {gross} |
| 减：税金及附加等 | 3,045.95 | 4,835.46 | 2,005.92 | 222.98 | 5,051.87 | 5,058.44 |
"""

# chengbang_2025_inquiry_reply.md, 应交增值税 roll-forward (万元), as published.
VAT = """
| 项目 | 2023年度 | 2024年度 | 2025年度 |
|---|---|---|---|
| 期初数（A） | -2.49 | -214.98 | -403.17 |
| 销项税额（B）[注1] | 656.94 | 4,307.79 | 4,689.28 |
| 进项税额（C) | 789.92 | 4,073.74 | 4,932.59 |
| 进项加计抵减（D） | - | 143.70 | 145.19 |
| 实际缴纳增值税(E) | 79.51 | 278.54 | 433.66 |
| 期末金额（F=A+B-C-D-E) | -214.98 | -403.17 | {end} |
"""

# haixiang_2019_annual.alltxt p.152-153, 短期薪酬列示 (元), as published.
SALARIES = """
| 项目 | 期初余额 | 本期增加 | 本期减少 | 期末余额 |
|---|---|---|---|---|
| 1、工资、奖金、津贴和补贴 | 38,780,553.62 | 273,368,159.46 | 267,353,757.95 | 44,794,955.13 |
| 2、职工福利费 | | 15,919,594.19 | 15,919,594.19 | |
| 3、社会保险费 | 2,440,565.13 | 8,976,976.99 | 8,845,418.72 | 2,572,123.40 |
| 其中：医疗保险费 | 1,731,912.00 | 7,358,904.85 | 7,221,509.07 | 1,869,307.78 |
| 工伤保险费 | 518,490.75 | 1,058,240.23 | 1,071,709.37 | 505,021.61 |
| 生育保险费 | 190,162.38 | 559,831.91 | 552,200.28 | 197,794.01 |
| 4、住房公积金 | 286,968.00 | 9,072,162.00 | 9,110,730.00 | {housing} |
| 5、工会经费和职工教育经费 | 132,082.69 | 2,529,511.30 | 1,766,967.57 | 894,626.42 |
| 合计 | 41,640,169.44 | 309,866,403.94 | 302,996,468.43 | 48,510,104.95 |
"""


def _analyzed(text: str, kinds: dict[int, ColumnKind] | None = None) -> AnalyzedTable:
    lines = [line for line in text.splitlines() if line.strip()]
    table = pipe_table(lines, source="t007", first_line=1, index=0)
    header_count = table.header_rows or 1
    width = len(table.rows[0])
    columns = tuple(
        Column(
            index=col,
            header=" / ".join(dict.fromkeys(table.rows[r][col].text for r in range(header_count))),
            kind=(kinds or {}).get(col, ColumnKind.AMOUNT),
        )
        for col in range(1, width)
    )
    rows = tuple(
        Row(
            index=r,
            label=table.rows[r][0].text,
            kind=RowKind.TOTAL if "合计" in table.rows[r][0].text else RowKind.ITEM,
            cells=tuple(table.rows[r][1:]),
        )
        for r in range(header_count, len(table.rows))
    )
    return AnalyzedTable(table=table, columns=columns, rows=rows, header_row_count=header_count)


def _check(analyzed: AnalyzedTable) -> tuple[list[Diagnostic], CheckStats]:
    document = Document(source="t007", format="case", page_count=None, tables=(analyzed.table,))
    stats = CheckStats()
    ctx = RuleContext(document=document, tables=(analyzed,), stats=stats)
    return list(LearnedRelationBroken().check(ctx)), stats


def test_segment_table_as_published_has_no_finding_and_verifies_gross_profit() -> None:
    findings, stats = _check(_analyzed(SEGMENT.format(gross="1,395.64")))
    assert findings == []
    # 营业毛利 合计 2024 (grid row 4, col 6) takes part in relations that held.
    assert (0, 4, 6) in stats.verified_cells


def test_segment_gross_profit_typo_is_reported_once_at_the_cell() -> None:
    findings, _ = _check(_analyzed(SEGMENT.format(gross="1,359.64")))
    assert [(d.location.row, d.location.col) for d in findings] == [(4, 6)]
    finding = findings[0]
    assert finding.stated == Decimal("1359.64")
    assert finding.expected is not None and abs(finding.expected - Decimal("1395.64")) <= Decimal("0.01")
    assert "1,359.64" in finding.message
    # Either relation the cell breaks names its operands: the two segments' 2024 gross profit
    # (合计 = 环境建设 + 半导体存储) or 营业收入 and 营业成本 of 合计 2024.
    operand_cells = {(r.location.row, r.location.col) for r in finding.related}
    assert operand_cells in ({(4, 2), (4, 4)}, {(2, 6), (3, 6)})


def test_vat_roll_forward_follows_its_stated_formula() -> None:
    findings, stats = _check(_analyzed(VAT.format(end="-1,225.34")))
    assert findings == []
    assert (0, 6, 3) in stats.verified_cells


def test_vat_roll_forward_typo_breaks_the_stated_formula() -> None:
    findings, _ = _check(_analyzed(VAT.format(end="-1,235.34")))
    assert [(d.location.row, d.location.col) for d in findings] == [(6, 3)]
    assert findings[0].expected is not None
    assert abs(findings[0].expected - Decimal("-1225.33")) <= Decimal("0.01")
    assert "F=A+B-C-D-E" in findings[0].message
    assert len(findings[0].related) == 5


def test_salary_roll_forward_learned_from_the_other_rows() -> None:
    findings, _ = _check(_analyzed(SALARIES.format(housing="284,400.00")))
    assert [(d.location.row, d.location.col) for d in findings] == [(7, 4)]
    assert findings[0].expected == Decimal("248400.00")
    assert "期末余额 = 期初余额 + 本期增加 − 本期减少" in findings[0].message


def test_salary_table_as_published_passes() -> None:
    findings, _ = _check(_analyzed(SALARIES.format(housing="248,400.00")))
    assert findings == []


def test_relation_with_too_little_support_is_not_learned() -> None:
    # Only the first three rows of the salary table: the roll-forward holds in two rows besides
    # the altered one, fewer than min_support.
    lines = SALARIES.format(housing="0").strip().splitlines()
    cut = "\n".join(lines[:4]).replace("38,780,553.62", "38,780,553.26")
    assert _check(_analyzed(cut))[0] == []


def test_labelled_change_column_is_left_to_its_rule() -> None:
    text = """
| 项目 | 2019年 | 2018年 | 变动额 |
|---|---|---|---|
| 医药 | 1,608.86 | 1,441.59 | 167.27 |
| 染料 | 1,316.83 | 1,249.94 | 66.89 |
| 其他 | 15.72 | 27.08 | -11.36 |
| 原料药 | 1,020.48 | 1,033.34 | -12.86 |
| 医药中间体 | 583.79 | 405.51 | 178.28 |
| 制剂 | 4.59 | 2.74 | 1.58 |
"""
    as_difference = _check(_analyzed(text, {3: ColumnKind.DIFFERENCE}))[0]
    as_amount = _check(_analyzed(text))[0]
    assert as_difference == []
    assert [(d.location.row, d.location.col) for d in as_amount] == [(6, 3)]


# haixiang_2019_annual.alltxt p.15-16, 营业收入构成 (元), as published but for the {share} and
# {rate} figures; read with every column an amount, so that T007 learns the share and the change.
REVENUE_MIX = """
| | 2019年金额 | 占营业收入比重 | 2018年金额 | 占营业收入比重 | 同比增减 |
|---|---|---|---|---|---|
| 营业收入合计 | 2,941,412,770.30 | 100% | 2,718,608,796.51 | 100% | 8.20% |
| 分行业 | | | | | |
| 医药 | 1,608,858,743.47 | {share} | 1,441,591,423.51 | 53.03% | 11.60% |
| 染料 | 1,316,830,162.67 | 44.77% | 1,249,940,574.56 | 45.98% | {rate} |
| 其他 | 15,723,864.16 | 0.53% | 27,076,798.44 | 1.00% | -41.93% |
| 分产品 | | | | | |
| 原料药 | 1,020,477,644.34 | 34.69% | 1,033,340,734.78 | 38.01% | -1.24% |
| 医药中间体 | 583,792,425.63 | 19.85% | 405,506,789.40 | 14.92% | 43.97% |
| 制剂 | 4,588,673.50 | 0.16% | 2,743,899.33 | 0.10% | 67.23% |
"""


def _relation_figure(finding: Diagnostic) -> Decimal:
    """The finding's relation evaluated from its terms (sign × value each)."""
    relation = finding.relation
    assert relation is not None
    values = {t.role: Decimal(t.sign) * t.value for t in relation.terms}
    if relation.form is RelationForm.RATIO:
        return values["numerator"] / values["denominator"] * relation.scale
    assert relation.form is RelationForm.CHANGE
    return (values["current"] - values["prior"]) / abs(values["prior"]) * relation.scale


def test_learned_share_is_reported_as_a_ratio_over_the_anchor_row() -> None:
    findings, _ = _check(_analyzed(REVENUE_MIX.format(share="54.07%", rate="5.35%")))
    assert [(d.location.row, d.location.col) for d in findings] == [(3, 2)]
    relation = findings[0].relation
    assert relation is not None and relation.form is RelationForm.RATIO and relation.scale == 100
    assert [(t.role, t.location.row, t.location.col) for t in relation.terms] == [
        ("numerator", 3, 1),
        ("denominator", 1, 1),
    ]
    expected, tolerance = findings[0].expected, findings[0].tolerance
    assert expected is not None and tolerance is not None
    assert abs(_relation_figure(findings[0]) - expected) <= tolerance


def test_learned_change_is_reported_as_a_change_of_the_two_years() -> None:
    findings, _ = _check(_analyzed(REVENUE_MIX.format(share="54.70%", rate="5.53%")))
    assert [(d.location.row, d.location.col) for d in findings] == [(4, 5)]
    relation = findings[0].relation
    assert relation is not None and relation.form is RelationForm.CHANGE and relation.scale == 100
    assert [(t.role, t.location.row, t.location.col) for t in relation.terms] == [
        ("current", 4, 1),
        ("prior", 4, 3),
    ]
    expected, tolerance = findings[0].expected, findings[0].tolerance
    assert expected is not None and tolerance is not None
    assert abs(_relation_figure(findings[0]) - expected) <= tolerance


# haixiang_2019_annual.alltxt p.152 (短期薪酬列示), rows 1, 3 and 4 as published.
SALARIES_THREE_ROWS = """
| 项目 | 期初余额 | 本期增加 | 本期减少 | 期末余额 |
|---|---|---|---|---|
| 1、工资、奖金、津贴和补贴 | 38,780,553.62 | 273,368,159.46 | 267,353,757.95 | 44,794,955.13 |
| 3、社会保险费 | 2,440,565.13 | 8,976,976.99 | 8,845,418.72 | 2,572,123.40 |
| 4、住房公积金 | 286,968.00 | 9,072,162.00 | 9,110,730.00 | 248,400.00 |
"""


def test_a_cell_is_verified_only_where_its_break_would_be_reported() -> None:
    # The roll-forward holds in three rows: learned, but a break in any one of them would leave two
    # other rows, too few to report it (min_support_to_report 3). No cell counts as verified.
    findings, stats = _check(_analyzed(SALARIES_THREE_ROWS))
    assert findings == []
    assert not stats.verified_cells
    # With the whole table, four other rows vouch for each row: its cells are verified.
    _, stats = _check(_analyzed(SALARIES.format(housing="248,400.00")))
    assert (0, 7, 4) in stats.verified_cells


# shenzhou_great_wall_2018_annual.txt lines 11886-11912 (外币货币性项目, 元), seven rows as published.
FOREIGN_CURRENCY = """
| 项目 | 期末外币余额 | 折算汇率 | 期末折算人民币余额 |
|---|---|---|---|
| 其中：美元 | 1,079,139.41 | 6.8632 | 7,406,349.58 |
| 港币 | 345,733.97 | 0.8762 | 302,932.10 |
| 卡塔尔里亚尔 | 48,391.43 | 1.8848 | 91,210.45 |
| 俄罗斯卢布 | 14,477,133.45 | 0.0986 | 1,427,445.36 |
| 其中：美元 | 61,883,264.10 | 6.8632 | 424,717,218.17 |
| 马来西亚林吉特 | 60,603,384.88 | 1.6479 | 99,868,923.99 |
| 其中：美元 | 3,495,233.16 | 6.8632 | 24,030,248.49 |
"""


def test_conversion_is_a_product_never_a_change() -> None:
    # 外币余额 ≈ (人民币余额 − 汇率) / 汇率 "holds" only because the 1 a change subtracts is lost in
    # the rounding of millions; the relation is 人民币余额 = 外币余额 × 汇率, and the document's
    # last row breaks it: 3,495,233.16 × 6.8632 = 23,988,484.22, printed 24,030,248.49.
    findings, _ = _check(_analyzed(FOREIGN_CURRENCY))
    assert [(d.location.row, d.location.col) for d in findings] == [(7, 3)]
    finding = findings[0]
    assert finding.relation is not None and finding.relation.form is RelationForm.PRODUCT
    assert finding.expected is not None and abs(finding.expected - Decimal("23988484.22")) <= Decimal("1")
