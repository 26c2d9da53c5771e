"""A total printed on the page after the first rows of its table.

When ingest joins the two parts, the total is checked over all its rows; when it cannot (nothing
tells the parts belong together), the part that opens its page says so (``Table.opens_page``) and a
total whose reading runs up to its top is not reported. Fixtures, cut unaltered from the corpus
(tests/fixtures/README.md): dingtai_sf_express_2016_restructuring_plan pages 133-134 (PDF and its
pdfplumber twin) and zhangjiajie_tourism_2016_annual.alltxt pages 170-171.
"""

from __future__ import annotations

from pathlib import Path

from hecha.engine import check_document
from hecha.ingest.loader import load
from hecha.rules.tables.total_mismatch import TotalMismatch

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_pdf_part_that_opens_its_page_is_not_summed_alone() -> None:
    # 员工年龄分布: 16-20岁 278 and 20-29岁 54,794 at the foot of p.133; 30-39岁 … and 合计 121,882
    # at the top of p.134 under a repeated header. Summed alone the p.134 rows give 66,810.
    document = load(str(FIXTURES / "pdf" / "dingtai_2016_p133-134.pdf"))
    continuation = next(t for t in document.tables if any(r[0].text.startswith("30-39") for r in t.rows))
    assert continuation.opens_page
    assert not check_document(document, [TotalMismatch()]).diagnostics


def test_text_chapter_page_numbers_are_furniture_and_the_parts_join() -> None:
    # The pdfplumber twin ends p.133 with "1-132": no longer a one-cell table between the parts.
    document = load(str(FIXTURES / "text" / "dingtai_p133-134.pdfplumber.txt"))
    assert not any(cell.text == "1-132" for t in document.tables for r in t.rows for cell in r)
    ages = next(t for t in document.tables if any(r[0].text == "16-20岁" for r in t.rows))
    labels = [row[0].text for row in ages.rows]
    assert {"20-29岁", "30-39岁", "合计"} <= set(labels)
    result = check_document(document, [TotalMismatch()])
    assert not result.diagnostics
    assert any(table == ages.index for table, _, _ in result.verified_cells)


def test_alltxt_part_that_opens_its_page_is_not_summed_alone() -> None:
    # 对子公司投资: "张家界易程天下… 199,218,503.23" on p.170, the other subsidiaries and 合计
    # 257,971,165.37 / 331,971,165.37 on p.171 (its empty columns dropped, so the parts differ).
    document = load(str(FIXTURES / "alltxt" / "zhangjiajie_p170-171_subsidiaries.alltxt"))
    assert any(table.opens_page for table in document.tables)
    assert not check_document(document, [TotalMismatch()]).diagnostics
