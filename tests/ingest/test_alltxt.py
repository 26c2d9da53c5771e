""".alltxt ingest: excel rows become tables, page furniture is dropped, broken lines are reported."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from hecha.ingest import alltxt
from hecha.ingest.errors import IngestError
from hecha.model.document import Document

FIXTURE = Path(__file__).parent.parent / "fixtures" / "alltxt" / "haixiang_p15-16.alltxt"


def _read_fixture() -> Document:
    return alltxt.read(str(FIXTURE), FIXTURE.read_bytes())


def test_table_continued_over_page_is_joined() -> None:
    revenue = _read_fixture().tables[0]
    assert revenue.pages == (15, 16)
    assert revenue.unit == "单位：元"
    assert revenue.header_rows == 1
    labels = [row[0].text for row in revenue.rows]
    assert labels[1] == "营业收入合计" and labels[-1] == "国外"
    assert "浙江海翔药业股份有限公司2019年年度报告全文" not in labels
    assert all(len(row) == 6 for row in revenue.rows)


def test_two_header_rows_and_locations() -> None:
    table = _read_fixture().tables[1]
    assert table.header_rows == 2
    first_body = table.rows[3]
    assert first_body[0].text == "医药"
    cell = first_body[1]
    assert cell.quantity is not None and cell.quantity.value == Decimal("1608858743.47")
    # Line numbers are lines of the fixture file; the cell's quote is on that line.
    line = FIXTURE.read_text(encoding="utf-8").split("\n")[cell.location.line - 1]
    assert json.loads(line)["type"] == "excel" and cell.text in line
    assert cell.location.page == 16 and cell.location.row == 3 and cell.location.col == 1


def test_whole_report_reads(corpus: Path) -> None:
    report = corpus / "haixiang_2019_annual.alltxt"
    document = alltxt.read(str(report), report.read_bytes())
    assert document.page_count == 204
    assert len(document.tables) > 300
    assert not any(p.text == "年度报告全文" for p in document.paragraphs)


def test_rare_bad_line_is_skipped_with_warning() -> None:
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    lines[10] = '{"page": 15, "allrow": broken'
    document = alltxt.read("x.alltxt", "\n".join(lines).encode())
    assert len(document.warnings) == 1 and "11" in document.warnings[0].message


def test_mostly_broken_file_is_refused() -> None:
    data = "\n".join(["not json"] * 20 + ['{"page": 1, "allrow": 0, "type": "text", "inside": "x"}'])
    with pytest.raises(IngestError) as raised:
        alltxt.read("x.alltxt", data.encode())
    assert "1" in str(raised.value)


def test_excel_cells_are_never_evaluated() -> None:
    record = {"page": 1, "allrow": 0, "type": "excel", "inside": "__import__('os').system('true')"}
    ok = {"page": 1, "allrow": 1, "type": "text", "inside": "正文"}
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in [ok] * 30 + [record])
    document = alltxt.read("x.alltxt", data.encode())
    assert document.tables == () and len(document.warnings) == 1


def test_balance_sheet_printed_as_two_panels_is_two_tables() -> None:
    # vanke_2014_annual.alltxt page 73 (合并资产负债表): 资产 and 负债及所有者权益 side by side on
    # one grid; read as one table the right panel's rows were summed into 资产总计.
    path = Path(__file__).parent.parent / "fixtures" / "alltxt" / "vanke_p73_balance_sheet.alltxt"
    document = alltxt.read(str(path), path.read_bytes())
    sheets = [t for t in document.tables if any("总计" in row[0].text for row in t.rows)]
    assert len(sheets) == 2
    assets, claims = ([row[0].text for row in t.rows] for t in sheets)
    assert "资产总计" in assets and "递延所得税负债" not in assets
    assert "负债及所有者权益总计" in claims and "股本" in claims
    assert all(len(row) == 4 for t in sheets for row in t.rows)
    assert [t.index for t in document.tables] == list(range(len(document.tables)))


def test_figures_broken_over_two_grid_rows_are_one_row() -> None:
    # zhangjiajie_tourism_2016_annual.alltxt page 112 (其他应收款分类披露): each cell's figure
    # wraps, so every row comes as two grid rows ("1,562,08" over "8.83", "287,190.9" over "1",
    # "单项金额重大并单" over "独计提坏账准备的").
    path = Path(__file__).parent.parent / "fixtures" / "alltxt" / "zhangjiajie_p112_receivables.alltxt"
    table = alltxt.read(str(path), path.read_bytes()).tables[0]
    texts = [[cell.text for cell in row] for row in table.rows]
    first = next(row for row in texts if row[0].startswith("单项金额重大并单"))
    assert first[1] == "1,562,088.83" and first[5] == "287,190.91"
    assert first[0].startswith("单项金额重大并单独计提坏账准备的")
    assert not any(row[1] == "8.83" for row in texts)
