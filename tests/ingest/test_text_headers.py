"""Header lines of plain-text tables: a header cell never moves off the column it heads.

Regressions cut from the corpus text; each misplaced header once made a fact of one period stand
for another, and X001 compared it with the right one (false 同一数据两处不一致 findings).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hecha.engine import check_document
from hecha.ingest import text
from hecha.model.document import Table
from hecha.rules.registry import select_rules

FIXTURES = Path(__file__).parent.parent / "fixtures" / "text"


def _table_with(name: str, figure: str) -> Table:
    path = FIXTURES / name
    document = text.read(str(path), path.read_bytes())
    return next(t for t in document.tables if any(c.text == figure for r in t.rows for c in r))


def _column_over(table: Table, figure: str) -> str:
    header = table.rows[0]
    row = next(r for r in table.rows if any(c.text == figure for c in r))
    col = next(i for i, c in enumerate(row) if c.text == figure)
    return header[col].text.replace(" ", "")


@pytest.mark.parametrize(
    ("fixture", "figure", "year"),
    [
        # zhangjiajie_tourism_2016_annual.pdfplumber.txt p.19: "2016年 2015年 同比增减 重大变动说明".
        ("zhangjiajie_p19.pdfplumber.txt", "34,217,537.88", "2016年"),
        ("zhangjiajie_p19.pdfplumber.txt", "31,372,869.76", "2015年"),
        # csg_nanbo_2018_annual.txt: " 2018 年 2017 年 同比增减 重大变动说明 ".
        ("csg_nanbo_expenses.txt", "354,983,459", "2018年"),
        ("csg_nanbo_expenses.txt", "336,131,723", "2017年"),
    ],
)
def test_unfilled_description_column_does_not_shift_the_years(fixture: str, figure: str, year: str) -> None:
    # The label column's header cell is empty and the last header cell heads a description column
    # that the row with figures leaves empty: the years stay over their own figures.
    assert _column_over(_table_with(fixture, figure), figure) == year


def test_header_wrapped_around_its_first_line_keeps_the_years_in_place() -> None:
    # jinyu_2020_annual.pdfplumber.txt p.5 主要会计数据: "本期" / "比上" / "主要会计数据 2020年 2019年 年同
    # 2018年" / "期增" / "减(%)": the change column's header wraps above and below the line of
    # years. Joining "主要会计数据 2020年" into one label cell put 2019年 over 2020's figures.
    table = _table_with("jinyu_p1-5-13.pdfplumber.txt", "1,581,905,632.48")
    assert _column_over(table, "1,581,905,632.48") == "2020年"
    assert _column_over(table, "1,126,782,253.35") == "2019年"
    assert _column_over(table, "1,896,608,630.19") == "2018年"


def test_table_continued_under_its_repeated_header_with_a_wrapped_label_is_one_table() -> None:
    # china_baoan_2018_annual.txt lines 8057-8170 (pp.182-186; 应付债券的增减变动 续表 over
    # pp.184-185): the header (every cell wrapped, one character a line) is repeated on p.185,
    # and the first row there
    # prints its label "17 宝安集" / "MTN001" on two lines above its figures. The bond codes
    # "16 宝安 01" end labels; they are not figures.
    path = FIXTURES / "china_baoan_bonds.txt"
    document = text.read(str(path), path.read_bytes())
    table = next(t for t in document.tables if any(c.text == "216,000,000.00" for r in t.rows for c in r))
    labels = [row[0].text for row in table.rows if any(c.quantity is not None for c in row[1:])]
    assert labels == ["16 宝安 01", "17 宝安 02", "17 宝安集MTN001", "合 计"]
    result = check_document(document, select_rules(None))
    assert not [d for d in result.diagnostics if d.location.table == table.index]
    assert any(key[0] == table.index for key in result.verified_cells)


@pytest.mark.parametrize("extractor", ["pdfplumber", "pdfium"])
def test_segment_names_wrapped_around_their_figures_stay_with_their_rows(extractor: str) -> None:
    # wuxi_apptec_2024_q3_report.pdf p.4-5 经营分部: each segment prints its Chinese name, its
    # figures and its English name in brackets. pdfplumber puts the English name under the
    # figures, pypdfium2 above them; "高端治疗 CTDMO 业务" comes with spaces around the Latin word.
    # Fixtures: the first six pages of the pdfplumber twin, and of the PDF's pypdfium2 text
    # (get_text_range, pages joined by a form feed, as benchmarks/corpus.py writes it).
    path = FIXTURES / f"wuxi_segments.{extractor}.txt"
    document = text.read(str(path), path.read_bytes())
    table = next(t for t in document.tables if any(c.text == "2,770,200.23" for r in t.rows for c in r))
    labels = {row[1].text: row[0].text.replace(" ", "") for row in table.rows[table.header_rows or 0 :]}
    assert labels["461,832.02"] == "测试业务（WuXiTesting）"
    assert labels["85,303.65"] == "高端治疗CTDMO业务（WuXiATU）"
    assert labels["2,119.40"] == "其他（Others）"
    result = check_document(document, select_rules(None))
    assert not [d for d in result.diagnostics if d.location.table == table.index]


def test_one_line_cells_centred_between_wrapped_cells_alternate_as_the_figures_say() -> None:
    # maipu 2024 pdfplumber text p.21 (营业成本构成): "2024年 2023年" / "行业分类 项目 占营业成本
    # 占营业成本 同比增减" / "金额 金额" / "比重 比重". The 金额 cells stand over the amounts, the
    # joined 占营业成本比重 cells over the shares, each pair under its year.
    table = _table_with("maipu_2024_p21_cost_structure.pdfplumber.txt", "28,771,881.84")
    assert [c.text for c in table.rows[0][1:]] == ["2024年", "2024年", "2023年", "2023年", "同比增减"]
    assert [c.text for c in table.rows[1][1:]] == [
        "金额",
        "占营业成本比重",
        "金额",
        "占营业成本比重",
        "同比增减",
    ]
    document = text.read(
        str(FIXTURES / "maipu_2024_p21_cost_structure.pdfplumber.txt"),
        (FIXTURES / "maipu_2024_p21_cost_structure.pdfplumber.txt").read_bytes(),
    )
    result = check_document(document, select_rules(["T003"]))
    rate = next(r for r in table.rows if r[0].text.startswith("植入医疗器械 直接材料"))[-1].location
    assert (rate.table, rate.row, rate.col) in result.verified_cells
