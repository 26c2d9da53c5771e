"""Rows whose figures are followed by a note cell (a 重大变动说明 / 情况说明 column) in plain text.

Fixtures (tests/fixtures/README.md): page 19 of haixiang_2019_annual.pdf as pypdfium2 text and
page 36 of baicheng_pharma_2024_annual.pdf as its pdfplumber twin, both 3、费用 tables whose rows
print "销售费用 59,623,024.88 43,781,054.42 36.18% 主要系佣金增加所致" (baicheng's notes wrap
over the lines around their rows). Such a line is a row: its figures take their columns, its
note stays in the row, and the change rates are recomputed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from hecha.engine import check_document
from hecha.ingest.lines import split_figure_line
from hecha.ingest.loader import load
from hecha.rules.registry import select_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "text"


@pytest.mark.parametrize(
    ("name", "amount", "rate"),
    [
        ("haixiang_p19.pdfium.txt", "59,623,024.88", "36.18%"),
        ("baicheng_2024_p36.pdfplumber.txt", "14,961,617.19", "55.01%"),
    ],
)
def test_a_row_with_a_note_is_read_and_its_rate_checked(name: str, amount: str, rate: str) -> None:
    document = load(str(FIXTURES / name))
    table = next(t for t in document.tables if any(c.text == amount for row in t.rows for c in row))
    row = next(row for row in table.rows if any(c.text == amount for c in row))
    texts = [cell.text for cell in row]
    assert texts[1:4] == [amount, texts[2], rate]
    assert all(cell.quantity is not None for cell in row[1:4])
    verified = check_document(document, select_rules()).verified_cells
    rate_cell = row[3].location
    assert (rate_cell.table, rate_cell.row, rate_cell.col) in verified


def test_the_note_is_kept_after_the_figures() -> None:
    split = split_figure_line("销售费用 59,623,024.88 43,781,054.42 36.18% 主要系佣金增加所致")
    assert split is not None
    assert split.figures == ("59,623,024.88", "43,781,054.42", "36.18%")
    assert split.note == "主要系佣金增加所致"


@pytest.mark.parametrize(
    "line",
    [
        "公司本期营业收入 12.30 主要系",  # one figure before words: prose, not a row
        "2019 2018 变动原因",  # years only: a header
        "营业收入 1,234.00 5,678.00 万元",  # a unit word after the figures: prose
    ],
)
def test_words_after_too_few_figures_are_no_note(line: str) -> None:
    split = split_figure_line(line)
    assert split is None or not split.note


def test_a_blank_after_the_figures_is_a_cell_not_a_note() -> None:
    split = split_figure_line("财务费用 -19,572,506.45 -17,828,357.07 不适用")
    assert split is not None and split.note == ""
    assert split.figures[-1] == "不适用"
    assert Decimal(split.figures[0].replace(",", "")) < 0


def test_the_header_names_the_note_column_without_shifting_the_others() -> None:
    # shenzhen_energy_2016_annual.pdfplumber.txt p.203: "年初余额 本年新增 本年计入营业外收入 其他变动
    # 年末余额 与资产/收益相关" over rows of five figures and the note 资产.
    document = load(str(FIXTURES / "shenzhen_energy_2016_p203-204.pdfplumber.txt"))
    table = next(t for t in document.tables if any(c.text == "157,898,909.61" for row in t.rows for c in row))
    header = [cell.text for cell in table.rows[0]]
    assert header == [
        "",
        "年初余额",
        "本年新增",
        "本年计入营业外收入",
        "其他变动",
        "年末余额",
        "与资产/收益相关",
    ]
    row = next(row for row in table.rows if any(c.text == "157,898,909.61" for c in row))
    assert [cell.text for cell in row][5:] == ["157,898,909.61", "资产"]


def test_words_after_the_figures_without_a_note_column_are_the_next_rows_label() -> None:
    # maipu_medical_2024_annual.pdf pp.99-101 as pypdfium2 text (合并资产负债表): "盈余公积
    # 21,322,714.94 12,939,995.52 一般风险准备" sets the empty 一般风险准备 row beside 盈余公积's
    # figures, and the header (项目 期末余额 期初余额) names no note column. 一年内到期的非流动资产
    # prints one figure of two: it stays unread, and 流动资产合计 is not judged without it.
    document = load(str(FIXTURES / "maipu_2024_p99-101.pdfium.txt"))
    table = next(t for t in document.tables if any(c.text == "21,322,714.94" for row in t.rows for c in row))
    labels = [row[0].text for row in table.rows]
    reserve = labels.index("一般风险准备")
    assert labels[reserve - 1] == "盈余公积"
    assert not any(cell.text.strip() for cell in table.rows[reserve][1:])
    assert len(table.rows[reserve - 1]) == len(table.rows[reserve])
    findings = check_document(document, select_rules()).diagnostics
    assert not [d for d in findings if d.code == "T001"]
