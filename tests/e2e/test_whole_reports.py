"""Whole published reports, end to end: hecha finds the errors they really contain and nothing else.

Every finding on the unmodified corpus reports must be one that a person inspected and recorded
as a real error of the published report in benchmarks/inspected.yaml (the benchmark's record);
a new finding fails this test until it is inspected there. The errors known to be in the reports
must keep being found.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from hecha.engine import check_file

REPO = Path(__file__).resolve().parents[2]
INSPECTED = REPO / "benchmarks" / "inspected.yaml"


def _true_errors() -> set[str]:
    entries = yaml.safe_load(INSPECTED.read_text(encoding="utf-8"))["findings"]
    return {str(e["fingerprint"]) for e in entries if e["verdict"] == "true-error"}


# (document, code, page, stated): errors printed in the published reports, checked on the page.
KNOWN_ERRORS = [
    # 海翔 p.120: 母公司 流动资产合计 (2019-01-01) misses 应收账款 moved by the 调整数 column.
    ("haixiang_2019_annual.pdf", "T001", 120, Decimal("2392583221.47")),
    ("haixiang_2019_annual.alltxt", "T001", 120, Decimal("2392583221.47")),
    # 金宇 p.40: 万联证券 principal + return ≠ amount recovered.
    ("jinyu_2020_annual.pdf", "T007", 40, Decimal("10475181.46")),
    # 金宇 p.154: a deferred-income row whose closing balance does not roll forward.
    ("jinyu_2020_annual.pdf", "T007", 154, Decimal("5000000.00")),
]

DOCUMENTS = sorted({name for name, *_ in KNOWN_ERRORS} | {"chengbang_2025_inquiry_reply.md"})


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_finding_is_an_inspected_real_error(corpus: Path, name: str) -> None:
    result = check_file(str(corpus / name))
    assert not result.rule_failures
    true_errors = _true_errors()
    uninspected = [
        f"{d.code} p{d.location.page} l{d.location.line}: {d.message} #{d.fingerprint}"
        for d in result.diagnostics
        if d.fingerprint not in true_errors
    ]
    assert uninspected == [], "findings not recorded as real errors in benchmarks/inspected.yaml"
    found = {(d.code, d.location.page, d.stated) for d in result.diagnostics}
    for document, code, page, stated in KNOWN_ERRORS:
        if document == name:
            assert (code, page, stated) in found, f"known error {code} p{page} {stated} not found"
    assert result.stats.relations_checked > 100
