"""Tables printed without any ruling (accountants' layouts), read from their positioned text.

The fixtures are pages of shenzhen_energy_2016_annual.pdf, wuxi_apptec_2024_q3_report.pdf and
pegbio_2025_hk_annual.pdf cut unaltered by tests/fixtures/pdf/make_fixtures.py: before the unruled
reader, every table on them was prose or fragments.
"""

from __future__ import annotations

from pathlib import Path

from hecha.engine import analyze_tables, check_document
from hecha.extract.roles import RowKind
from hecha.extract.table_roles import sign_word
from hecha.ingest import pdf
from hecha.model.document import Document, Table

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pdf"


def _read(name: str) -> Document:
    path = FIXTURES / name
    return pdf.read(str(path), path.read_bytes())


def _labels(table: Table) -> list[str]:
    return [row[0].text for row in table.rows[table.header_rows or 0 :]]


def _verified_texts(document: Document) -> set[str]:
    result = check_document(document)
    assert not result.diagnostics, [d.message for d in result.diagnostics]
    cells = {
        (cell.location.table, cell.location.row, cell.location.col): cell
        for t in document.tables
        for row in t.rows
        for cell in row
    }
    return {cells[key].text for key in result.verified_cells if key in cells}


def test_table_continued_under_repeated_header_is_one_table_with_its_total() -> None:
    document = _read("shenzhen_energy_2016_p150-151.pdf")
    assert len(document.tables) == 1
    table = document.tables[0]
    assert table.pages == (1, 2)  # pages of the cut
    spanning = table.rows[0]
    # "本年变动" spans 追加投资 … 计提减值准备 (the rule under it covers six columns).
    assert [cell.text for cell in spanning[3:9]] == ["本年变动"] * 6
    assert [cell.spanned for cell in spanning[3:9]] == [False] + [True] * 5
    assert [cell.text for cell in table.rows[1][1:4]] == ["持股比例(%)", "年初余额", "追加投资"]
    labels = _labels(table)
    # Labels wrapped over two lines with a hanging indent, figures beside either line.
    assert "河北西柏坡发电有限责任公司（“西柏坡发电公司”）(注1)" in labels
    assert "国电深能四川华蓥山发电有限公司（“四川华蓥山公司”）(注3)" in labels
    # The header repeated on the second page is dropped; its section label stays a heading row.
    assert sum(1 for row in table.rows if row[1].text == "持股比例(%)") == 1
    assert labels.count("联营企业") == 2
    # Figures drawn glyph by glyph read whole.
    row = next(r for r in table.rows if r[0].text.startswith("深圳金岗电力"))
    assert row[2].text == "10,623,136.63"
    # The total has no label: the rules drawn over its figures mark it.
    assert table.layout_totals == (len(table.rows) - 1,)
    assert "5,774,515,724.15" in _verified_texts(document)


def test_narrow_label_column_fills_without_wrapping() -> None:
    document = _read("shenzhen_energy_2016_p181.pdf")
    assert [len(t.rows) for t in document.tables] == [13, 13]
    assert _labels(document.tables[0])[:5] == [
        "应收账款坏账准备",
        "其他应收款坏账准备",
        "存货跌价准备",
        "可供出售金融资产减值准备",
        "长期股权投资减值准备",
    ]
    # 本年减少 printed in brackets is added as printed: the roll-forward holds on every row.
    verified = _verified_texts(document)
    assert {"5,061,189.82", "135,186,054.68", "34,149,061.39"} <= verified


def test_digit_inside_label_is_no_column_and_previous_table_is_no_header() -> None:
    document = _read("shenzhen_energy_2016_p283.pdf")
    aging, provision = document.tables
    assert _labels(aging) == ["1年以内", "1至2年", "", "减：应收账款坏账准备", ""]
    assert [cell.text for cell in aging.rows[0]] == ["", "2016年", "2015年"]
    assert provision.header_rows == 3
    assert "371,812,402.62" not in {cell.text for row in provision.rows[:3] for cell in row}
    assert _labels(provision)[:2] == ["单项金额重大并单独计提坏账准备", "按信用风险特征组合计提坏账准备"]


def test_label_only_rows_of_a_table_with_nil_marks_are_headings() -> None:
    document = _read("shenzhen_energy_2016_p272-273.pdf")
    analyzed = analyze_tables(document)
    kinds = {row.label: row.kind for table in analyzed for row in table.rows}
    assert kinds["应付利息"] is RowKind.SECTION
    assert kinds["其他流动负债"] is RowKind.SECTION
    _verified_texts(document)  # and no finding: each creditor group sums under its own heading


def test_label_less_row_under_an_of_which_row_is_not_taken_for_a_total() -> None:
    document = _read("shenzhen_energy_2016_p196.pdf")
    table = document.tables[0]
    labels = _labels(table)
    first_total = labels.index("")
    assert labels[first_total + 1].startswith("其中")
    assert table.header_rows is not None
    assert table.layout_totals == (table.header_rows + first_total,)
    _verified_texts(document)


def test_small_form_colon_carries_the_deduction() -> None:
    document = _read("shenzhen_energy_2016_p214.pdf")
    labels = [label for table in document.tables for label in _labels(table)]
    assert "减﹕利息收入" in labels
    assert sign_word("减﹕利息收入") == "减"
    assert "820,999,866.37" in _verified_texts(document)


def test_second_company_statement_with_underlined_subtotals_is_one_table() -> None:
    document = _read("wuxi_apptec_2024_q3_p16-17.pdf")
    statement = document.tables[0]
    assert statement.pages == (1, 2)
    rows = {row[0].text: [cell.text for cell in row[1:]] for row in statement.rows}
    # The subtotals printed between underlines are rows of the statement, not tables of their own.
    assert rows["毛利"] == ["4,397,271", "4,515,791", "11,098,161", "12,071,476"]
    assert rows["经营溢利"][0] == "2,775,679"
    # Figures centred between the two lines of their label.
    assert rows["预期信用损失模式下的减值亏损(扣除拨回)"][0] == "(72,512)"
    assert rows["外币报表折算差额"][0] == "(429,330)"  # under a heading ending in a colon
    assert not any(
        all(cell.text and cell.text[0] in "(0123456789" for cell in t.rows[0]) for t in document.tables
    )
    _verified_texts(document)


def test_total_between_a_rule_and_a_double_rule_stays_with_its_items() -> None:
    # pegbio_2025_hk_annual.pdf p.19 (研發開支, 管理開支; traditional characters): no verticals, a
    # rule under the header, and each "總計" line drawn between a rule and a double rule. Those two
    # rules once made a one-row "table" of the total, and the items above it had none; the total
    # word itself is traditional (總計 for 总计).
    document = _read("pegbio_2025_p19.pdf")
    totals = [table for table in document.tables if _labels(table)[-1:] == ["總計"]]
    assert len(totals) == 2
    assert all(len(_labels(table)) >= 6 for table in totals)
    verified = _verified_texts(document)
    assert {"50,387", "95,427", "143,323", "185,282"} <= verified
