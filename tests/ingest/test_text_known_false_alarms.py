"""Plain-text tables that once raised false alarms while the text reader was being widened.

Each fixture is cut from a corpus document (tests/fixtures/README.md) where a reverted change
(8a06182: wide wrapped labels, page continuations, short rows placed by signed totals; 2ce8119: a
lone trailing blank read as a 说明 dash) produced a finding that the published figures do not
support. They hold what the reader must not do, whatever it learns next:

- shenzhou_great_wall 2018 合并现金流量表 (text): items printed with empty cells
  ("处置子公司及其他营业单位收到的现金净额", "投资活动现金流入小计" …) merged into one label that
  reads as a 小计, so that 投资活动现金流出小计 seemed to miss 65,440.00;
- shenzhen_grain 2018 递延收益 grants (text): rows of three figures under a header of seven figure
  columns, beside a 合计 whose first and last amounts wrapped onto lines of their own
  ("101,474,523." / "26"), placed by position and taken to break 期初 − 计入 = 期末;
- dingtai 2016 restructuring plan (pdfplumber text, 资产抵押 table): 无 / 中国建设银行贷款抵押 in the
  last column, and a 合计 of the whole list judged against the rows of one page's part.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hecha.engine import check_document
from hecha.ingest.loader import load
from hecha.rules.registry import select_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "text"


@pytest.mark.parametrize(
    "name",
    [
        "shenzhou_great_wall_2018_cash_flow.txt",
        "shenzhen_grain_2018_grants.txt",
        "dingtai_2016_buildings.pdfplumber.txt",
    ],
)
def test_no_finding_on_tables_the_text_cannot_place(name: str) -> None:
    document = load(str(FIXTURES / name))
    assert document.tables
    findings = check_document(document, select_rules()).diagnostics
    assert [(d.code, d.message) for d in findings] == []
