"""Golden facts of real tables and prose cut from the corpus: metric, entity, period, value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hecha.engine import analyze_tables
from hecha.extract.factbase import FactBase
from hecha.extract.facts import build_fact_base
from hecha.ingest.loader import load
from hecha.model.facts import FactSource

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _fact_base(name: str) -> FactBase:
    document = load(str(FIXTURES / name))
    return build_fact_base(document, analyze_tables(document))


def _table_values(base: FactBase, metric: str, entity: str, period: str) -> set[Decimal]:
    return {
        fact.quantity.value for fact in base.lookup(metric, entity, period) if fact.source is FactSource.TABLE
    }


def test_segment_revenue_table_rows_are_entities_of_its_total_metric() -> None:
    base = _fact_base("facts/chengbang_revenue_and_segments.md")
    assert base.report_year == 2025
    # Table 1: rows 半导体存储业务 / 生态环境建设业务 over the 营业收入 row.
    assert _table_values(base, "营业收入", "半导体存储", "2025") == {Decimal("34048.57")}
    assert _table_values(base, "营业收入", "半导体存储", "2024") == {Decimal("11058.91")}
    assert _table_values(base, "营业收入", "", "2025") == {Decimal("50356.55")}
    change = base.lookup("营业收入变动比例", "生态环境建设", "2025")
    assert [fact.quantity.value for fact in change] == [Decimal("-31.28")]
    assert change[0].scale is None


def test_segment_columns_name_the_entity_and_the_total_column_the_company() -> None:
    base = _fact_base("facts/chengbang_revenue_and_segments.md")
    # Table 2: 环境建设 / 半导体存储 / 合计 column groups over 2025年度 / 2024年度.
    assert _table_values(base, "营业成本", "环境建设", "2025") == {Decimal("17982.41")}
    assert _table_values(base, "净利润", "", "2024") == {Decimal("-10377.43")}
    facts = base.lookup("营业收入", "半导体存储", "2025")
    # The same fact, stated in both tables, in 万元.
    assert len([fact for fact in facts if fact.source is FactSource.TABLE]) == 2
    assert {fact.scale for fact in facts if fact.source is FactSource.TABLE} == {4}
    located = {(fact.location.table, fact.location.row, fact.location.col) for fact in facts}
    assert (0, 2, 1) in located and (1, 2, 3) in located


def test_a_row_of_several_metrics_names_no_entity() -> None:
    base = _fact_base("facts/chengbang_revenue_and_segments.md")
    listed = [fact for fact in base.facts if fact.metric_text.startswith("税金及附加、")]
    assert listed and all(fact.metric != "研发费用" for fact in listed)


def test_a_label_under_two_sections_is_two_items() -> None:
    base = _fact_base("text/haixiang_p15-16.pdfplumber.txt")
    by_industry = {f.key for f in base.facts if f.location.table == 0 and f.location.row == 6}
    by_product = {f.key for f in base.facts if f.location.table == 0 and f.location.row == 12}
    assert any("分行业:染料" in entity for _, entity, _ in by_industry)
    assert any("分产品:染料" in entity for _, entity, _ in by_product)
    assert by_industry and by_product and not by_industry & by_product


def test_misread_share_columns_state_no_named_fact() -> None:
    base = _fact_base("text/haixiang_p15-16.pdfplumber.txt")
    amount = [fact for fact in base.facts if fact.quantity.value == Decimal("2941412770.30")]
    assert amount and all(fact.entity.startswith("表") for fact in amount)
