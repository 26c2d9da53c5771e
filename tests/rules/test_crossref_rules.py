"""Cross-reference rules beyond the YAML cases: severity and diagnosis of explained inquiry quotes,
the correct rounding a wrong-rounding finding names, every place in ``related``, scope markers."""

from __future__ import annotations

from pathlib import Path

import yaml

from hecha.engine import check_document
from hecha.ingest import pdf
from hecha.ingest.markdown import parse
from hecha.model.diagnostic import Diagnostic, Severity
from hecha.rules.crossref._statements import scope_markers
from hecha.rules.crossref.fact_restated_differently import FactRestatedDifferently
from hecha.rules.registry import get_rule

CASES = Path(__file__).parent / "cases"

PDF_FIXTURES = Path(__file__).parent.parent / "fixtures" / "pdf"


def _findings(code: str, case_name: str) -> list[Diagnostic]:
    spec = yaml.safe_load((CASES / f"{code}.yaml").read_text(encoding="utf-8"))
    case = next(c for c in spec["cases"] if c["name"] == case_name)
    rule = get_rule(code)
    assert rule is not None
    result = check_document(parse(case["document"], source=case_name), [rule()])
    assert not result.rule_failures
    return [d for d in result.diagnostics if d.code == code]


def test_quote_on_another_definition_is_kept_but_explained() -> None:
    (finding,) = _findings("X003", "segment-revenue-quote-on-main-business-basis")
    assert finding.severity is Severity.INFO
    assert finding.diagnosis is not None
    assert finding.diagnosis.kind == "explained"
    assert "33,865.58" in finding.diagnosis.sentence


def test_quote_without_explanation_is_a_warning() -> None:
    (finding,) = _findings("X003", "quote-differing-without-explanation")
    assert finding.severity is Severity.WARNING
    assert finding.diagnosis is None
    assert "1.63" in finding.message  # the reply's figure in the quote's unit and decimals
    assert {r.location.row for r in finding.related} == {2}


def test_wrong_rounding_names_the_correct_rounding_and_truncation() -> None:
    (finding,) = _findings("X002", "revenue-in-yi-truncated")
    assert "5.04" in finding.message
    assert finding.diagnosis is not None
    assert finding.diagnosis.kind == "truncated"
    assert [(r.location.row, r.location.col) for r in finding.related] == [(3, 1)]


def test_rounded_up_the_wrong_way_is_not_called_truncation() -> None:
    (finding,) = _findings("X002", "segment-revenue-rounded-up-wrongly")
    assert finding.diagnosis is None
    assert "1.63" in finding.message


def test_fact_restated_differently_lists_every_place() -> None:
    (finding,) = _findings("X001", "revenue-retyped-in-second-table")
    assert finding.location.table == 1
    assert [(r.location.table, r.location.row, r.location.col) for r in finding.related] == [(0, 3, 1)]


def test_sign_flip_between_tables_is_diagnosed() -> None:
    (finding,) = _findings("X001", "sign-flipped-in-second-table")
    assert finding.diagnosis is not None
    assert finding.diagnosis.kind == "sign-flip"


def test_liquidity_maturity_analysis_is_its_own_scope() -> None:
    # shenzhen_energy_2016 p.258: "流动性风险（续）" over 短期借款 | 1年以内 | … | 合计, undiscounted
    # cash flows, against the carrying amounts of the 金融工具分类 table on p.255.
    assert scope_markers("2.金融工具风险（续）流动性风险（续）2016年") == {"到期分析"}
    assert scope_markers("金融负债按未折现的合同现金流量所作的到期期限分析") == {"到期分析"}
    path = PDF_FIXTURES / "shenzhen_energy_2016_p255_p258.pdf"
    document = pdf.read(str(path), path.read_bytes())
    assert len(document.tables) >= 4  # both tables of each page are read
    result = check_document(document, [FactRestatedDifferently()])
    assert not result.diagnostics


def test_scope_markers_tell_parent_statements_from_the_parent_shareholders_metric() -> None:
    assert scope_markers("母公司资产负债表") == {"母公司"}
    assert scope_markers("归属于母公司股东的净利润") == frozenset()
    assert scope_markers("归属于母公司所有者权益合计") == frozenset()
    assert scope_markers("2019年调整后") == {"调整后"}
    assert "口径" in scope_markers("按全年完整口径，2024 年年度芯存科技实现收入 31,742.17 万元")
    assert scope_markers("含税销售额（万元）") == {"含税"}
    assert scope_markers("不含税金额") == {"不含税"}
