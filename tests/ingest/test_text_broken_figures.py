"""Figures broken by a cell wrap in PDF-extracted text: rejoined, or kept as text without a quantity.

Fixtures are whole pages cut from the corpus reports' full text (see tests/fixtures/README.md).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from hecha.engine import check_document
from hecha.ingest import text
from hecha.ingest.lines import is_figure_piece, join_figure_pieces
from hecha.ingest.numbers import parse_quantity
from hecha.model.document import Document, Table
from hecha.rules.registry import select_rules

FIXTURES = Path(__file__).parent.parent / "fixtures" / "text"
# An amount with one decimal is what a wrap leaves of a two-decimal amount ("673,335.0" / "7").
ONE_DECIMAL_AMOUNT = re.compile(r"-?\d{1,3}(?:,\d{3})+\.\d")
# Goldens read off the printed page 125 of jinyu_2020_annual.pdf (应收票据 按坏账计提方法分类披露).
JINYU_P125_ROWS = {
    "商业承兑": [
        "6,753,711.00", "30.46", "136,382.20", "2.02", "6,617,328.80",
        "23,551,230.00", "96.01", "673,335.07", "2.86", "22,877,894.93",
    ],
    "合计": [
        "22,172,721.00", "/", "136,382.20", "/", "22,036,338.80",
        "24,528,730.00", "/", "673,335.07", "/", "23,855,394.93",
    ],
}  # fmt: skip


def _read(name: str) -> Document:
    path = FIXTURES / name
    return text.read(str(path), path.read_bytes())


def _row(table: Table, label: str) -> list[str]:
    """The figures of the last row whose label holds ``label``.

    Known gap: pdfplumber's label pieces land on the neighbouring row ("汇票合计"), so labels are
    matched by containment here and checked exactly only for pypdfium2 below.
    """
    for row in reversed(table.rows):
        if label in row[0].text.replace(" ", ""):
            return [cell.text for cell in row[1:]]
    raise AssertionError(f"no row {label!r}")


@pytest.mark.parametrize("name", ["jinyu_p125.pdfium.txt", "jinyu_p125.pdfplumber.txt"])
def test_wrapped_amounts_are_rejoined(name: str) -> None:
    # pypdfium2 puts "673,335.0" / "7" on two lines; pdfplumber prints the ends on a line below.
    table = _read(name).tables[0]
    for label, figures in JINYU_P125_ROWS.items():
        assert _row(table, label) == figures, label


def test_rejoined_row_has_its_label_printed_before_it() -> None:
    table = _read("jinyu_p125.pdfium.txt").tables[0]
    labels = [row[0].text for row in table.rows]
    assert labels[:5] == ["按组合计提坏账准备", "其中：", "商业承兑汇票", "银行承兑汇票", "合计"]


@pytest.mark.parametrize(
    "name",
    [
        "jinyu_p125.pdfium.txt",
        "jinyu_p125.pdfplumber.txt",
        "haixiang_p25.pdfplumber.txt",
        "haixiang_p96.pdfium.txt",
    ],
)
def test_no_fragment_is_read_as_a_figure(name: str) -> None:
    for table in _read(name).tables:
        for row in table.rows:
            for cell in row:
                if cell.quantity is not None:
                    assert not ONE_DECIMAL_AMOUNT.fullmatch(cell.text), cell.text
                    assert not is_figure_piece(cell.text), cell.text


def test_pieces_below_a_wrapped_row_complete_its_figures() -> None:
    # haixiang p25: "货物及技术 30,000,000.0 69,541,379.7 …" two lines above "进出口 0 5 3 0 5".
    # Its rows print different numbers of figures and no two print the most (wrapped company
    # names and business scopes), so no row is placed: the rejoined figures are compared word by
    # word in the row's one unread cell.
    table = _read("haixiang_p25.pdfplumber.txt").tables[0]
    assert _row(table, "货物及技术")[0].split() == [
        "30,000,000.00",
        "69,541,379.75",
        "69,007,694.13",
        "-1,190,555.10",
        "-1,177,557.05",
    ]


def test_unmatched_pieces_keep_their_text_without_a_quantity() -> None:
    # "1,905,943,80" wraps its end "5.66" onto the line below: neither may become a figure.
    document = _read("haixiang_p25.pdfplumber.txt")
    cells = [cell for table in document.tables for row in table.rows for cell in row]
    pieces = [cell for cell in cells if cell.text in {"5.66", "6.90", "2.53"}]
    assert pieces
    assert all(cell.quantity is None for cell in pieces)


def test_three_line_break_is_one_figure() -> None:
    # haixiang p96 (pypdfium2): "1,618" / ",820," / "253.0" / "0".
    # Its rows print different numbers of figures: a row printing fewer is kept unread, its figures
    # together in one cell, so the figures are compared word by word.
    document = _read("haixiang_p96.pdfium.txt")
    texts = {word for t in document.tables for r in t.rows for cell in r for word in cell.text.split()}
    assert "1,618,820,253.00" in texts
    assert "-24,369,047.78" in texts
    values = {quantity.value for printed in texts if (quantity := parse_quantity(printed)) is not None}
    assert Decimal("1618820253.00") in values


@pytest.mark.parametrize(
    ("head", "tail", "alone", "expected"),
    [
        ("23,855", ",394.9", True, "23,855,394.9"),
        ("673,335.0", "7", True, "673,335.07"),
        ("673,335.0", "7", False, None),  # "7" followed by more cells: not a wrapped end
        ("21,676,5", "80.12", False, "21,676,580.12"),
        ("9,047.", "78", True, "9,047.78"),
        ("-477,935,704", ".64", True, "-477,935,704.64"),
        ("2,000.00", "15", True, None),  # a complete amount stays apart
        ("2019", "12", True, None),
    ],
)
def test_join_figure_pieces(head: str, tail: str, alone: bool, expected: str | None) -> None:
    assert join_figure_pieces(head, tail, tail_alone=alone) == expected


def test_figures_without_a_label_over_a_total_are_that_total_not_an_item() -> None:
    # baicheng_pharma_2024_annual.pdfplumber.txt lines 7118-7133 (p.165 按单项计提坏账准备): the
    # 合计 row prints its 期末 figures on a line of their own above "合计 350,000.00 350,000.00"
    # ("32,303,741.1 16,476,870.5" with their last digits "5 8" below). Summed as an item, that
    # line made the 合计 look wrong by 31,953,741.15; it is kept unread.
    document = _read("baicheng_2024_single_provision.pdfplumber.txt")
    table = next(
        t for t in document.tables if any(r[0].text == "合计" and "350,000.00" in r[1].text for r in t.rows)
    )
    above = [row for row in table.rows if len(row) > 1 and "32,303,741.15" in row[1].text]
    assert above and all(cell.unread for cell in above[0][1:])
    result = check_document(document, select_rules(None))
    assert not [d for d in result.diagnostics if d.location.table == table.index]
