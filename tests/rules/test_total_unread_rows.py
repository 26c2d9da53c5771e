"""T001 over tables with figures hecha could not place (text without column positions).

A total whose readings run over an unread figure is not reported: the reading that takes that
figure in cannot be evaluated and may be the right one. When other columns of the same total
hold the reported reading exactly, a reading that fails there even with its unread figures taken
as empty is ruled out and no longer stands in the way; one that holds there with them empty (the
unread row prints its one figure in another column) still does. Fixture, cut unaltered from the corpus
(tests/fixtures/README.md): haixiang_2019_annual.pdfplumber.txt lines 2960-3060 (母公司资产负债表,
p.80), where "应收股利" prints one figure that fits either column and stays unread.
"""

from __future__ import annotations

from pathlib import Path

from hecha.engine import check_document
from hecha.ingest import text
from hecha.rules.tables.total_mismatch import TotalMismatch

FIXTURE = (
    Path(__file__).parent.parent
    / "fixtures"
    / "text"
    / "haixiang_2019_p80_parent_balance_sheet.pdfplumber.txt"
)


def _findings(data: bytes) -> list[str]:
    document = text.read(str(FIXTURE), data)
    return [d.message for d in check_document(document, [TotalMismatch()]).diagnostics]


def test_a_section_total_is_checked_past_an_unread_figure_above_its_rows() -> None:
    original = FIXTURE.read_bytes()
    assert _findings(original) == []
    # 非流动资产合计 2018 multiplied by ten: its rows (债权投资 … 其他非流动资产) hold exactly in
    # the 2019 column, and the unread 应收股利 stands above them, in the current assets.
    altered = original.replace(b"3,519,853,167.02", b"35,198,531,670.20")
    assert any(
        "非流动资产合计" in message and "35,198,531,670.20" in message for message in _findings(altered)
    )


def test_an_unread_figure_among_the_rows_still_holds_the_total_back() -> None:
    # 流动负债合计 2018: 一年内到期的非流动负债 44,365,875.00 prints one figure that fits either
    # column; the 2019 column holds without it, and holds with it taken as empty too, so the
    # reading that takes it in is not ruled out: in 2018 the reading that leaves it out fails by
    # exactly its amount, and nothing is reported.
    assert not [message for message in _findings(FIXTURE.read_bytes()) if "流动负债合计" in message]
