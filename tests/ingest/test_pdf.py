"""PDF ingest against golden tables cut from the corpus, and bad inputs that must fail cleanly."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from hecha.ingest import pdf
from hecha.ingest.errors import IngestError
from hecha.model.document import Document

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pdf"
GOLDEN = ["jinyu_2020_p14-15", "haixiang_2019_p77-78"]


def _read(name: str) -> Document:
    path = FIXTURES / name
    return pdf.read(str(path), path.read_bytes())


@pytest.mark.parametrize("name", GOLDEN)
def test_tables_match_golden(name: str) -> None:
    document = _read(f"{name}.pdf")
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    assert len(document.tables) == len(expected)
    for table, want in zip(document.tables, expected, strict=True):
        assert [[cell.text for cell in row] for row in table.rows] == want["rows"]
        assert [row[0].location.page for row in table.rows] == want["row_pages"]
        assert list(table.pages) == want["pages"]
        assert table.title == want["title"]
        assert table.unit == want["unit"]
        assert table.header_rows == want["header_rows"]


@pytest.mark.parametrize("name", GOLDEN)
def test_cells_carry_locations_and_quantities(name: str) -> None:
    document = _read(f"{name}.pdf")
    assert document.format == "pdf"
    assert document.page_count == 2
    for table in document.tables:
        width = len(table.rows[0])
        for row_index, row in enumerate(table.rows):
            assert len(row) == width  # rectangular
            for col_index, cell in enumerate(row):
                location = cell.location
                assert (location.table, location.row, location.col) == (table.index, row_index, col_index)
                assert location.bbox is not None
                x0, top, x1, bottom = location.bbox
                assert x0 <= x1 and top <= bottom
                assert location.quote == cell.text
                assert cell.blank == (cell.text in {"", "-", "—"}) or cell.quantity is None


def test_minus_sign_drawn_apart_is_glued_to_its_figure() -> None:
    table = _read("jinyu_2020_p14-15.pdf").tables[0]
    finance = next(row for row in table.rows if row[0].text == "财务费用")
    assert finance[1].quantity is not None
    assert finance[1].quantity.value == Decimal("-19572506.45")


def test_wrapped_change_cell_is_one_cell() -> None:
    table = _read("jinyu_2020_p14-15.pdf").tables[1]
    cells = [row[-1] for row in table.rows if row[0].text == "生物制药"]
    assert cells and all(cell.quantity is not None for cell in cells)
    assert cells[0].quantity is not None and cells[0].quantity.value == Decimal("-2.07")


def test_running_header_and_page_number_are_not_prose() -> None:
    document = _read("jinyu_2020_p14-15.pdf")
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert not any("年度报告" in text for text in texts)
    assert not any(text.replace(" ", "") in {"14/195", "15/195"} for text in texts)


def test_balance_sheet_continues_across_page_break() -> None:
    table = _read("haixiang_2019_p77-78.pdf").tables[0]
    assert table.pages == (1, 2)
    labels = [row[0].text for row in table.rows]
    # The label wrapped over two lines inside one cell comes back as one row.
    assert "以公允价值计量且其变动计入当期损益的金融资产" in labels
    assert labels.index("货币资金") < labels.index("应收账款")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("image_only.pdf", "OCR"),
        ("encrypted.pdf", "加密"),
        ("truncated.pdf", "损坏"),
    ],
)
def test_bad_input_raises_ingest_error(name: str, message: str) -> None:
    with pytest.raises(IngestError) as raised:
        _read(name)
    assert message in str(raised.value)
    assert raised.value.message_en


def test_garbage_bytes_raise_ingest_error() -> None:
    with pytest.raises(IngestError):
        pdf.read("x.pdf", b"%PDF-1.4\nnot really a pdf")
