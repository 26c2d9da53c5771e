"""Metric and entity names: synonyms merge, different metrics stay apart, labels are cleaned."""

from __future__ import annotations

import pytest

from hecha.extract.metrics import clean_label, find_metrics, normalize_metric, split_entity


@pytest.mark.parametrize(
    ("label", "metric"),
    [
        ("归母净利润", "归属于上市公司股东的净利润"),
        ("归属于母公司所有者的净利润", "归属于上市公司股东的净利润"),
        ("归属于上市公司股东的净利润（元）", "归属于上市公司股东的净利润"),
        ("扣非净利润", "归属于上市公司股东的扣除非经常性损益的净利润"),
        ("营业总收入", "营业收入"),
        ("营业收入合计", "营业收入"),
        ("1、营业收入", "营业收入"),
        ("（一）营业收入（万元）", "营业收入"),
        ("减：营业成本", "营业成本"),
        ("营业税金及附加[注1]", "税金及附加"),
        ("经营活动产生的现金流量净额（元）", "经营活动产生的现金流量净额"),
        ("研发投入合计", "研发投入"),
        ("研发人员数量（人）", "研发人员数量"),
        ("综合毛利率", "毛利率"),
    ],
)
def test_synonyms_name_one_metric(label: str, metric: str) -> None:
    assert normalize_metric(label) == metric


def test_different_metrics_stay_apart() -> None:
    names = {normalize_metric(label) for label in ("营业收入", "主营业务收入", "净利润", "归母净利润")}
    assert len(names) == 4


def test_an_unknown_label_stays_its_own_metric() -> None:
    assert normalize_metric("（2）销项税额（B）[注1]") == "销项税额（B）"
    assert normalize_metric("2025") == ""


def test_clean_label_drops_numbering_notes_and_units() -> None:
    assert clean_label("（三）应收账款（万元）*") == "应收账款"


@pytest.mark.parametrize(
    ("text", "entity", "metric"),
    [
        ("半导体存储业务营业收入", "半导体存储", "营业收入"),
        ("芯存科技净利润", "芯存科技", "净利润"),
        ("公司营业收入", "", "营业收入"),
        ("本公司的营业收入", "", "营业收入"),
        ("营业收入", "", "营业收入"),
        # 问题2 quotes "半导体存储业务收入" (主营业务收入 in the annual report): the metric stays vague.
        ("半导体存储业务收入", "半导体存储", "收入"),
        ("税金及附加、销售费用、管理费用、研发费用", "", "税金及附加、销售费用、管理费用、研发费用"),
    ],
)
def test_split_entity(text: str, entity: str, metric: str) -> None:
    assert split_entity(text) == (entity, metric)


def test_find_metrics_in_a_heading() -> None:
    assert find_metrics("（一）分季度、分业务类别营业收入列示") == ["营业收入"]
    assert find_metrics("芯存科技境内外主营业务收入、毛利率及变动情况") == ["主营业务收入", "毛利率"]
