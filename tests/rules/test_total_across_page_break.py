"""A total printed on the page after the first rows of its table.

When ingest joins the two parts, the total is checked over all its rows; when it cannot (nothing
tells the parts belong together), the part that opens its page says so (``Table.opens_page``) and a
total whose reading runs up to its top is not reported. Fixtures, cut unaltered from the corpus
(tests/fixtures/README.md): dingtai_sf_express_2016_restructuring_plan pages 133-134 and 313-314
(PDF and its pdfplumber twin), zhangjiajie_tourism_2016_annual.alltxt pages 170-171 and
haixiang_2019_annual.alltxt pages 128-129.

A page that ends in prose (a sentence, a lead-in "如下：", a heading, a unit line) cannot leave a
table's first rows behind: the table first on the next page starts there, and its totals are
reported like any other.
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


def _hefei_totals(path: Path) -> list[str]:
    document = load(str(path))
    hefei = [t for t in document.tables if any(c.text.strip() == "26,427.29" for r in t.rows for c in r)]
    assert hefei and not any(table.opens_page for table in hefei)
    return [d.message for d in check_document(document, [TotalMismatch()]).diagnostics]


def test_pdf_table_after_a_lead_in_is_not_a_continuation() -> None:
    # p.313 ends "…拟以募集资金投入26,427.29万元。具体如下："; the 合肥 table opens p.314 and its
    # 合计 row prints 8,133.38 / 6,150.38 / 12,143.53 over columns summing to 6,150.38 /
    # 12,143.53 / 26,427.29 (checked on the page image).
    messages = _hefei_totals(FIXTURES / "pdf" / "dingtai_2016_p313-314.pdf")
    assert sum("8,133.38" in m or "6,150.38" in m or "12,143.53" in m for m in messages) == 3


def test_text_table_after_a_lead_in_is_not_a_continuation() -> None:
    messages = _hefei_totals(FIXTURES / "text" / "dingtai_p313-314.pdfplumber.txt")
    assert sum("8,133.38" in m or "6,150.38" in m or "12,143.53" in m for m in messages) == 3


def test_alltxt_table_after_a_unit_line_is_not_a_continuation() -> None:
    # A second company: p.128 ends "8、其他应收款" / "单位：元"; its table opens p.129.
    document = load(str(FIXTURES / "alltxt" / "haixiang_p128-129_unit_line.alltxt"))
    receivables = next(t for t in document.tables if any(r[0].text == "其他应收款" for r in t.rows))
    assert receivables.rows[0][0].location.page == 129
    assert not receivables.opens_page
