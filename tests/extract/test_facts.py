"""Golden facts of real tables and prose cut from the corpus: metric, entity, period, value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hecha.engine import analyze_tables, check_document
from hecha.extract.factbase import FactBase
from hecha.extract.facts import build_fact_base
from hecha.ingest.loader import load
from hecha.model.facts import FactSource
from hecha.rules.registry import select_rules

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
    # Table 2: 环境建设 / 半导体存储 / 合计 column groups over 2025年度 / 2024年度. Table 1 names the
    # segment 生态环境建设业务 with the same 营业收入 for both years: one entity, under the longer name.
    assert _table_values(base, "营业成本", "生态环境建设", "2025") == {Decimal("17982.41")}
    assert not base.lookup("营业成本", "环境建设", "2025")
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
    dye_rows = [
        f.location.row for f in base.facts if f.location.table == 0 and f.quantity.value == Decimal("44.77")
    ]
    assert len(dye_rows) == 1  # 分行业 染料's share; 分产品 染料 prints 33.08%
    by_industry = {f.key for f in base.facts if f.location.table == 0 and f.location.row == dye_rows[0]}
    by_product = {f.key for f in base.facts if f.location.table == 0 and f.location.row == dye_rows[0] + 6}
    assert any("分行业:染料" in entity for _, entity, _ in by_industry)
    assert any("分产品:染料" in entity for _, entity, _ in by_product)
    assert by_industry and by_product and not by_industry & by_product


def test_amounts_under_stacked_period_headers_are_named_facts_of_their_period() -> None:
    # "2019年 2018年" / "同比增减" / "金额 占营业收入比重 金额 占营业收入比重": the periods span the
    # leaf pairs, so 营业收入合计 2,941,412,770.30 is 2019's revenue (once the header was placed
    # from the left, the columns misread, and the figure kept to its table).
    base = _fact_base("text/haixiang_p15-16.pdfplumber.txt")
    amount = [fact for fact in base.facts if fact.quantity.value == Decimal("2941412770.30")]
    assert amount and all(
        fact.metric == "营业收入"
        and fact.entity == ""
        and fact.period is not None
        and fact.period.key == "2019"
        for fact in amount
    )
    shares = [fact for fact in base.facts if fact.quantity.value == Decimal("54.70")]
    assert shares and all(fact.period is not None and fact.period.key == "2019" for fact in shares)


# --- scope: the statement, note or section a figure stands in ---------------------------------

SCOPES = "facts/haixiang_statement_scopes.alltxt"


def test_parent_company_statements_are_not_the_consolidated_ones() -> None:
    base = _fact_base(SCOPES)
    # p.77 合并资产负债表 and p.81 母公司资产负债表 both print 货币资金 2018年12月31日.
    assert _table_values(base, "货币资金", "", "2018-12-31") == {Decimal("1956089124.33")}
    assert _table_values(base, "货币资金", "母公司", "2018-12-31") == {Decimal("983565710.16")}
    # p.83 合并利润表; p.86 "…会计机构负责人：朱勇4、母公司利润表": the heading glued to the
    # signatures of the statement before still opens the parent company's statement.
    assert _table_values(base, "营业收入", "", "2019") == {Decimal("2941412770.30")}
    assert _table_values(base, "营业收入", "母公司", "2019") == {Decimal("812259638.86")}


def test_the_parent_company_scope_lasts_until_a_heading_ends_it() -> None:
    base = _fact_base(SCOPES)
    # p.119: the 首次执行新金融工具准则 table of the parent company, headed "母公司资产负债表".
    assert _table_values(base, "交易性金融资产", "母公司", "2019-01-01") == {Decimal("100000000.00")}
    assert not _table_values(base, "交易性金融资产", "", "2019-01-01")
    # p.123 "七、合并财务报表项目注释" ends it: the 在建工程 note (p.141) is consolidated …
    notes = [fact for fact in base.facts if fact.location.table == 6]
    assert notes and not any(fact.entity.startswith("母公司") for fact in notes)
    # … and p.194 "十七、母公司财务报表主要项目注释" opens the parent company's notes, whose
    # 其他应收款 table continues over the page break to p.197.
    parent_notes = [fact for fact in base.facts if fact.location.table == 7]
    assert parent_notes and all(fact.entity.startswith(("母公司", "表")) for fact in parent_notes)


def test_an_opening_balance_after_a_new_standard_is_its_own_instant() -> None:
    base = _fact_base(SCOPES)
    # p.119 prints 2018年12月31日 (as the balance sheet on p.81) beside 2019年01月01日 (after the new
    # financial instruments standard, what the notes call 期初): two instants, two keys.
    closing = base.lookup("货币资金", "母公司", "2018-12-31")
    opening = base.lookup("货币资金", "母公司", "2019-01-01")
    assert {fact.location.table for fact in closing} == {1, 4}
    assert [fact.location.col for fact in opening] == [2]
    # Its 调整数 column (应收账款 -149,204,899.98) is a difference, no balance of any period.
    adjustments = [fact for fact in base.facts if fact.quantity.value == Decimal("-149204899.98")]
    assert adjustments and all(fact.entity.startswith("表") for fact in adjustments)


def test_a_row_named_like_its_note_is_a_part_of_the_line_item() -> None:
    base = _fact_base(SCOPES)
    # p.141 "22、在建工程": 在建工程 535,836,082.97 + 工程物资 24,838,551.46 = 合计 560,674,634.43,
    # the balance sheet's 在建工程. The row 在建工程 is the projects alone.
    assert not _table_values(base, "在建工程", "", "2019-12-31") & {Decimal("535836082.97")}
    # p.196–197 母公司 其他应收款 note: 应收股利 722,088,153.34 + 其他应收款 320,967,765.38 = 合计
    # 1,043,055,918.72, the parent balance sheet's 其他应收款 at 2019年01月01日 (p.119).
    assert _table_values(base, "其他应收款", "母公司", "2019-01-01") == {Decimal("1043055918.72")}


def test_a_movement_table_keys_each_section_and_no_movement_as_a_balance() -> None:
    base = _fact_base(SCOPES)
    # p.139–140 固定资产情况: 期末余额 of 一、账面原值 (2,940,642,580.70), 二、累计折旧 and 三、减值准备
    # are three balances, none of them the balance sheet's 固定资产; 本期增加金额 is a flow.
    gross = [fact for fact in base.facts if fact.quantity.value == Decimal("2940642580.70")]
    depreciation = [fact for fact in base.facts if fact.quantity.value == Decimal("1204042394.51")]
    assert gross and depreciation
    assert {fact.key for fact in gross}.isdisjoint({fact.key for fact in depreciation})
    assert all(fact.entity for fact in gross + depreciation)
    additions = [fact for fact in base.facts if fact.quantity.value == Decimal("690001038.97")]
    assert additions and all(fact.entity.startswith("表") for fact in additions)


def test_no_key_of_the_cut_statements_holds_two_different_table_figures() -> None:
    base = _fact_base(SCOPES)
    for group in base.groups():
        tables = [fact for fact in group if fact.source is FactSource.TABLE]
        intervals = [fact.base_interval() for fact in tables]
        if len(intervals) > 1:
            assert max(i.low for i in intervals) <= min(i.high for i in intervals), tables[0].key


def test_a_change_column_is_about_the_metric_of_its_amount_columns() -> None:
    base = _fact_base("facts/chengbang_product_changes.md")
    # chengbang lines 313–319: 收入 / 成本 tables of one product breakdown, each with 变动比例,
    # under a sentence that names 毛利率. 141.71% is the change of revenue, 115.91% of cost.
    revenue = base.lookup("收入变动比例", "固态硬盘类", "2025")
    cost = base.lookup("成本变动比例", "固态硬盘类", "2025")
    assert [fact.quantity.value for fact in revenue] == [Decimal("141.71")]
    assert [fact.quantity.value for fact in cost] == [Decimal("115.91")]
    assert not base.lookup("毛利率变动比例", "固态硬盘类", "2025")


def test_a_change_column_compares_the_period_its_header_names_with_the_report_year() -> None:
    # jinyu p.14: "营业收入比上年增减（%）" is the report year's change, not a fact of 上年.
    base = _fact_base("facts/jinyu_p14_p17_change_columns.md")
    assert [f.quantity.value for f in base.lookup("营业收入变动比例", "生物制药", "2020")] == [
        Decimal("40.88")
    ]
    assert not base.lookup("营业收入变动比例", "生物制药", "2019")


def test_a_change_column_without_period_is_about_the_later_of_the_two_amount_columns() -> None:
    # jinyu p.14: 本期数 | 上年同期数 | 变动比例（%）.
    base = _fact_base("facts/jinyu_p14_p17_change_columns.md")
    assert _table_values(base, "销售费用变动比例", "", "2020") == {Decimal("25.92")}


def test_a_year_on_year_change_without_period_in_an_annual_report_is_the_report_year() -> None:
    # jinyu p.17: "销售费用同比增加25.92%" names no year; the annual report's year is meant.
    base = _fact_base("facts/jinyu_p14_p17_change_columns.md")
    [claim] = [claim for claim in base.claims if claim.metric == "销售费用"]
    assert claim.period is not None and claim.period.key == "2020"
    assert claim.base_period is not None and claim.base_period.key == "2019"


def test_section_word_under_a_header_opens_the_body() -> None:
    # shenzhen_energy_2016_annual.pdfplumber.txt p.158-159 (固定资产 2015年): "原价" under the
    # header, and "累计折旧" under the header repeated on the next page. Read as header lines they
    # were glued to the 合计 column's header ("合计原价"), so the sections named no row; the two
    # 转入在建工程 rows (446,827,709.66 of 原价, 379,837,252.33 of 累计折旧) were then compared
    # as one fact and reported as restated inconsistently (X001) in the whole report.
    name = "text/shenzhen_energy_2016_p158-159_fixed_assets.pdfplumber.txt"
    document = load(str(FIXTURES / name))
    for table, section in zip(document.tables, ("原价", "累计折旧"), strict=True):
        assert [cell.text for cell in table.rows[0]][-1] == "合计"
        assert table.rows[table.header_rows or 0][0].text == section
    base = _fact_base(name)
    keys = {
        fact.quantity.value: fact.key
        for fact in base.facts
        if fact.quantity.value in (Decimal("-446827709.66"), Decimal("-379837252.33"))
    }
    assert len(keys) == 2 and len(set(keys.values())) == 2
    result = check_document(document, select_rules(None))
    assert not [d for d in result.diagnostics if d.code == "X001"]


def test_a_table_titled_with_an_earlier_year_counts_its_year_end_from_it() -> None:
    # shenzhen_energy_2016_annual.pdfplumber.txt pp.203-204 (递延收益: the report's title lines, then
    # "于2016年12月31日，涉及政府补助的项目如下" and "于2015年12月31日，…", both headed 年初余额 …
    # 年末余额 and ending each row in the note 资产). The 2015 table's 年末 is 2015-12-31: it
    # restates the 2016 table's 年初 figures, never its 年末 ones.
    name = "text/shenzhen_energy_2016_p203-204.pdfplumber.txt"
    base = _fact_base(name)
    grant = "环保公司污泥、垃圾焚烧等设备补助"
    ends = {
        fact.period.key: fact.quantity.value
        for fact in base.facts
        if fact.source is FactSource.TABLE
        and grant in fact.metric_text
        and "年末" in (fact.period.text if fact.period else "")
    }
    assert ends == {"2016-12-31": Decimal("157898909.61"), "2015-12-31": Decimal("57527573.65")}
    document = load(str(FIXTURES / name))
    assert not [d for d in check_document(document, select_rules()).diagnostics if d.code == "X001"]
