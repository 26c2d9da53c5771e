"""Short rows of plain-text tables placed by the columns' kinds and the table's totals.

Fixtures (tests/fixtures/README.md), cut unaltered from the pdfplumber twins of three companies'
reports: maipu_medical_2024_annual p.163 (预付款项) and p.173 (递延所得税资产/负债),
zhangjiajie_tourism_2016_annual p.110 (预付款项); baicheng_pharma_2024_halfyear p.167 (按组合计提坏账准备).
The placements were checked against the PDFs.
"""

from __future__ import annotations

from pathlib import Path

from hecha.engine import check_document
from hecha.extract.roles import AnalyzedTable, ColumnKind
from hecha.extract.table_roles import analyze_table
from hecha.ingest import text
from hecha.model.document import Document
from hecha.rules.tables.total_mismatch import TotalMismatch

FIXTURES = Path(__file__).parent.parent / "fixtures" / "text"


def _read(name: str) -> Document:
    path = FIXTURES / name
    return text.read(str(path), path.read_bytes())


def _analyzed(document: Document, label: str) -> AnalyzedTable:
    table = next(t for t in document.tables if any(r[0].text.startswith(label) for r in t.rows))
    return analyze_table(table)


def _cells(analyzed: AnalyzedTable, label: str) -> tuple[str | None, ...]:
    row = next(r for r in analyzed.rows if r.label.startswith(label))
    return tuple(cell.text if cell is not None else None for cell in row.cells)


def test_kinds_alone_place_amounts_among_shares() -> None:
    # 金额 | 比例 | 金额 | 比例: "合计 2,905,830.09 4,576,292.00" fits only the two 金额 columns.
    analyzed = _analyzed(_read("maipu_2024_p163_prepayments.pdfplumber.txt"), "1年以内")
    assert _cells(analyzed, "合计") == ("2,905,830.09", "", "4,576,292.00", "")
    # "3年以上 119.79 0.00%" fits 期末 or 期初; the 期末 合计 holds only with it there.
    assert _cells(analyzed, "3年以上") == ("119.79", "0.00%", "", "")


def test_totals_place_a_short_row_of_a_second_company() -> None:
    # "2至3年 129,785.00 2.03%": 6,024,321.09 + 239,508.10 + 129,785.00 + 9,025.00 = 6,402,639.19
    # (期末 合计); 期初 adds up without it.
    document = _read("zhangjiajie_2016_p110_prepayments.pdfplumber.txt")
    analyzed = _analyzed(document, "1年以内")
    assert _cells(analyzed, "2至3年") == ("129,785.00", "2.03%", "", "")
    result = check_document(document, [TotalMismatch()])
    assert not result.diagnostics
    assert {(row, col) for _, row, col in result.verified_cells} >= {(7, 1), (7, 3)}


def test_several_short_rows_and_temporary_differences() -> None:
    document = _read("maipu_2024_p173_deferred_tax.pdfplumber.txt")
    assets = _analyzed(document, "资产减值准备")
    # 可抵扣暂时性差异 is a balance, not a change: every column adds up.
    assert all(column.kind is ColumnKind.AMOUNT for column in assets.columns)
    assert _cells(assets, "跨期扣除费用") == ("912,537.77", "136,880.68", "", "")
    assert _cells(assets, "衍生金融负债公允价") == ("9,224.21", "1,383.63", "", "")
    # With 1,438.62 under 期末 the 递延所得税资产 合计 would be off by it: it is 期初's.
    assert _cells(assets, "销售返利") == ("", "", "9,590.80", "1,438.62")
    liabilities = _analyzed(document, "固定资产折旧")
    assert _cells(liabilities, "应收租赁款") == ("138,109.34", "20,716.40", "", "")
    result = check_document(document, [TotalMismatch()])
    assert not result.diagnostics
    verified_tables = {table for table, _, _ in result.verified_cells}
    assert {assets.table.index, liabilities.table.index} <= verified_tables


def test_a_misprinted_total_is_still_reported_where_the_other_columns_place_the_row() -> None:
    # The same table with its 期末 合计 changed by 100.00 (a digit error): the short rows are
    # placed by the columns that hold, and the changed total is reported.
    source = (FIXTURES / "zhangjiajie_2016_p110_prepayments.pdfplumber.txt").read_text(encoding="utf-8")
    assert "6,402,639.19" in source
    mutated = source.replace("6,402,639.19", "6,402,739.19")
    path = FIXTURES / "zhangjiajie_2016_p110_prepayments.pdfplumber.txt"
    document = text.read(str(path), mutated.encode("utf-8"))
    result = check_document(document, [TotalMismatch()])
    assert [d.location.col for d in result.diagnostics] == [1]
    assert "6,402,739.19" in result.diagnostics[0].message


def test_a_nil_rate_stands_without_the_amount_before_it() -> None:
    # baicheng_pharma_2024_halfyear p.167 (按组合计提坏账准备): "合并内关联方往来组合
    # 1,114,671,840.00 0.00%" under 账面余额 | 坏账准备 | 计提比例 leaves 坏账准备 empty: a 0.00%
    # rate needs no provision beside it. The pair rule (a share comes with the amount before it)
    # once forced the balance under 坏账准备, and both 合计 were reported off by 1,114,671,840.00.
    document = _read("baicheng_2024h1_p167_provision_by_group.pdfplumber.txt")
    analyzed = _analyzed(document, "账龄组合")
    assert _cells(analyzed, "合并内关联方往来组合") == ("1,114,671,840.00", "", "0.00%")
    result = check_document(document, [TotalMismatch()])
    assert not result.diagnostics
    total_row = next(i for i, r in enumerate(analyzed.table.rows) if r[0].text == "合计")
    assert {(row, col) for _, row, col in result.verified_cells} >= {(total_row, 1), (total_row, 2)}
