"""Table rows the plain-text reader cannot rebuild never become prose.

Fixtures are pypdfium2 text of single pages of the corpus reports (tests/fixtures/README.md):
jinyu p.35 (a two-column table "境内会计师事务所报酬 110"), p.54 (the directors' list, each row
wrapped over several lines), pp.153–154 (government grants, rows that end in words), haixiang p.72
(internal-control criteria printed in narrow cells) and p.75 (an auditor's report page whose
sentences wrap before their figures). The PDF reader puts all those rows in tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hecha.extract.table_roles import analyze_table
from hecha.ingest.lines import counted_figures, figures_dominate, reads_as_sentence
from hecha.ingest.loader import load
from hecha.model.document import Document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "text"


def _load(name: str) -> Document:
    return load(str(FIXTURES / name))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _prose(document: Document) -> str:
    return "\n".join(_compact(paragraph.text) for paragraph in document.paragraphs)


def _table_texts(document: Document) -> list[str]:
    """Each table row's text; a row whose figures could not be placed prints them once, not in
    every column its unread cell spans."""
    return [
        _compact("".join(cell.text for cell in row if not cell.spanned))
        for table in document.tables
        for row in table.rows
    ]


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("jinyu_p35.pdfium.txt", "境内会计师事务所报酬 110"),
        ("jinyu_p54.pdfium.txt", "张晓琳 监事 女 46 2019 年 5"),
        ("jinyu_p54.pdfium.txt", "刘国英 监事 女 52 2019 年 5"),
        ("jinyu_p153-154.pdfium.txt", "大气污染治理 2,100,000.00 300,000.00 1,800,000.00 与资产相关"),
        ("jinyu_p153-154.pdfium.txt", "S 蔗糖项目经费 150,000.00 150,000.00 与资产相关"),
        ("jinyu_p153-154.pdfium.txt", "3,000,000.00 3,000,000.00 与资产相关"),
        ("haixiang_p72.pdfium.txt", "错报≥利润总额的 5%<利润总额的 10%或"),
        ("haixiang_p72.pdfium.txt", "财务报告重大缺陷数量（个） 0"),
    ],
)
def test_a_table_row_is_in_a_table_and_not_in_prose(name: str, row: str) -> None:
    document = _load(name)
    assert _compact(row) not in _prose(document)
    # One table row holds the line's words and figures in order (its label may be longer: a
    # wrapped label's other lines join it).
    assert any(_compact(row) in text for text in _table_texts(document))


def test_rows_that_cannot_be_placed_in_columns_are_words_only_and_uncertain() -> None:
    document = _load("jinyu_p35.pdfium.txt")
    [table] = [t for t in document.tables if any(c.text == "境内会计师事务所报酬" for r in t.rows for c in r)]
    assert all(cell.quantity is None for row in table.rows for cell in row)
    assert analyze_table(table).uncertain is not None


def test_titles_and_notes_around_the_rows_stay_prose() -> None:
    document = _load("jinyu_p35.pdfium.txt")
    prose = _prose(document)
    assert "境内会计师事务所名称致同会计师事务所（特殊普通合伙）" in prose  # no figure: not a row
    assert "单位：万元币种：人民币" in prose
    assert "□适用√不适用" in prose  # an answer printed at many page edges is no running title
    criteria = _prose(_load("haixiang_p72.pdfium.txt"))
    assert (
        "我们认为，海翔药业公司按照深圳证券交易所《中小企业板上市公司规范运作指引(2015年修订)》" in criteria
    )


def test_a_sentence_wrapped_before_its_figure_on_a_narrow_page_stays_one_paragraph() -> None:
    prose = _prose(_load("haixiang_p75.pdfium.txt"))
    assert "海翔药业公司合并财务报表中商誉的账面价值为757,736,770.14元。管理层于每年年度终了" in prose


@pytest.mark.parametrize(
    "sentence",
    [
        # chengbang_2025_inquiry_reply.md l.63 and jinyu p.13: figures in prose, never a row.
        "（1）公司生态环境建设业务2024年度、2025年度营业收入分别为23,730.48万元、16,307.97 万元",
        "报告期内，公司实现营业收入 158,191 万元，同比增加 40.39%",
        "2024年度、2025年度营业收入分别为 23,730.48 万元 16,307.97 万元",
    ],
)
def test_sentences_with_many_figures_read_as_sentences(sentence: str) -> None:
    assert reads_as_sentence(sentence)
    assert not figures_dominate(sentence)


def test_rows_are_told_by_their_figures_not_by_years_and_dates() -> None:
    assert figures_dominate("存货 350,661,798.80 5.59 245,294,801.84 4.39 42.96 报告期原材料与在产")
    assert not figures_dominate("2019 年 11 月 12 日至 2020 年")
    assert counted_figures("本公司对于自 2020 年 1 月 1 日起发生的房屋租赁的相关租金减") == 0
    assert counted_figures("张翀宇 董事长 男 67 2019 年 5") == 2
    assert not reads_as_sentence("境内会计师事务所报酬 110")
