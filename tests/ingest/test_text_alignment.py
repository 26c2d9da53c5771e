"""Plain text cannot place a row that prints fewer figures than the others, and a header whose
cells all wrap must still name every column: regressions cut from the pypdfium2 text of the
corpus reports, each of which gave a false 合计 finding before."""

from __future__ import annotations

from pathlib import Path

import pytest

from hecha.ingest import text
from hecha.model.document import Document, Table

FIXTURES = Path(__file__).parent.parent / "fixtures" / "text"


def _read(name: str) -> Document:
    path = FIXTURES / name
    return text.read(str(path), path.read_bytes())


def _table_with(document: Document, figure: str) -> Table:
    return next(t for t in document.tables if any(c.text == figure for r in t.rows for c in r))


@pytest.mark.parametrize(
    ("fixture", "label", "figure"),
    [
        # 期初 only; read into 期末, 流动负债合计 期初 lacked it (diff 44,365,875.00).
        ("haixiang_p82.pdfium.txt", "一年内到期的非流动负债", "44,365,875.00"),
        # 本期增加 and 本期减少 of a four-column roll-forward; 合计 diff 26,656.73.
        ("haixiang_p152.pdfium.txt", "三、辞退福利", "26,656.73"),
        # 上期 only; 筹资活动现金流出小计 上期 diff 505,529,282.56.
        ("jinyu_p75.pdfium.txt", "支付其他与筹资活动有关的现金", "505,529,282.56"),
        # 上期 only; 资产减值损失 合计 上期 diff -15,030,127.35.
        ("jinyu_p162.pdfium.txt", "十一、商誉减值损失", "-15,030,127.35"),
    ],
)
def test_row_with_fewer_figures_leaves_its_table_unparsed(fixture: str, label: str, figure: str) -> None:
    table = _table_with(_read(fixture), figure)
    row = next(r for r in table.rows if r[0].text.startswith(label))
    assert figure in [cell.text for cell in row[1:]]
    body = table.rows[table.header_rows or 0 :]
    full_rows = [r for r in body if len(r) == max(len(b) for b in body) and r[1].text]
    assert full_rows, "the table also has rows that print every figure"
    # Every figure is kept as printed text and none is parsed: the table counts as uncertain.
    assert all(cell.quantity is None for r in body for cell in r[1:])
    assert any(cell.text for r in full_rows for cell in r[1:])


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
