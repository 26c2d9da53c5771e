"""The independent recall mode (benchmarks/recall.py): roles of scanned figures, rewriting a figure
in the source, and judging whether hecha found the mutation, on cuts of the real corpus files."""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # the benchmark lives beside src/, not inside the package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.mutation import MutationSkipped  # noqa: E402
from benchmarks.recall import (  # noqa: E402
    RECALL_KINDS,
    RecallRunner,
    candidates,
    mutated_figure,
    quotas,
    rewrite,
    run_recall,
    summarize_recall,
)
from benchmarks.table_scan import scan_alltxt, scan_markdown, scan_text  # noqa: E402

# haixiang_2019_annual.pdfplumber.txt lines 455-468 (p.15, 营业收入构成): a total row, two share
# columns headed 占营业收入比重, a change column headed on a line further up (同比增减).
HAIXIANG_P15 = """（1）营业收入构成
单位：元
2019年 2018年
同比增减
金额 占营业收入比重 金额 占营业收入比重
营业收入合计 2,941,412,770.30 100% 2,718,608,796.51 100% 8.20%
分行业
医药 1,608,858,743.47 54.70% 1,441,591,423.51 53.03% 11.60%
染料 1,316,830,162.67 44.77% 1,249,940,574.56 45.98% 5.35%
其他 15,723,864.16 0.53% 27,076,798.44 1.00% -41.93%
"""

# haixiang_2019_annual.pdfplumber.txt lines 159-160 and 170-171 (p.7): a change column headed
# 本年比上年增减; the 2017 column enters no relation.
HAIXIANG_P7 = """2019年 2018年 本年比上年增减 2017年
营业收入（元） 2,941,412,770.30 2,718,608,796.51 8.20% 2,308,922,170.29
基本每股收益（元/股） 0.48 0.38 26.32% 0.22
稀释每股收益（元/股） 0.48 0.38 26.32% 0.21
"""


def test_roles_total_rows_ratio_columns_and_items() -> None:
    chosen = candidates(scan_text(HAIXIANG_P15))
    roles = {(c.figure.line, c.figure.column): c.role for c in chosen}
    assert [roles[6, column] for column in range(5)] == ["total"] * 5
    assert [roles[8, column] for column in range(5)] == ["item", "ratio", "item", "ratio", "item"]
    assert next(c.header for c in chosen if (c.figure.line, c.figure.column) == (8, 1)) == "占营业收入比重"
    # A table with neither a total row nor a ratio column gives no candidate.
    assert candidates(scan_text("甲 1.00 2.00\n乙 3.00 4.00\n")) == []


def test_rewrite_keeps_lines_and_checks_the_characters() -> None:
    scan = scan_text("\f" + HAIXIANG_P15)  # the page break sits in front of line 1
    figure = scan.tables[0].rows[1].figures[1]  # 54.70% on line 8
    assert figure.text == "54.70%"
    mutated = rewrite("\f" + HAIXIANG_P15, figure, "45.70%", alltxt=False)
    lines = mutated.split("\n")
    assert lines[7] == "医药 1,608,858,743.47 45.70% 1,441,591,423.51 53.03% 11.60%"
    assert len(lines) == len(HAIXIANG_P15.split("\n")) and mutated.startswith("\f")
    with pytest.raises(MutationSkipped):
        rewrite(HAIXIANG_P15.replace("54.70%", "54.71%"), figure, "45.70%", alltxt=False)


def test_rewrite_an_alltxt_cell_and_a_markdown_cell() -> None:
    # haixiang_2019_annual.alltxt line 148 (p.7), as the second line of a cut.
    record = {
        "page": 7,
        "allrow": 147,
        "type": "excel",
        "inside": "['营业收入（元）', '2,941,412,770.30', '2,718,608,796.51', '8.20%', '2,308,922,170.29']",
    }
    second = dict(record, allrow=148, inside="['净利润', '1.00', '2.00', '3.00%', '4.00']")
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in (record, second))
    figure = scan_alltxt(text).tables[0].rows[0].figures[2]
    rewritten = json.loads(rewrite(text, figure, "9.20%", alltxt=True).split("\n")[0])
    assert (
        rewritten["inside"]
        == "['营业收入（元）', '2,941,412,770.30', '2,718,608,796.51', '9.20%', '2,308,922,170.29']"
    )
    # tongrentang_2023_annual.md l.160-161 (分季度主要财务数据), two rows of its pipe table.
    markdown = (
        "| 营业收入合计 | 514,306.97 | 461,762.65 |\n"
        "| 经营活动产生的现金流量净额 | 114,542.79 | -52,485.01 |\n"
    )
    cell = scan_markdown(markdown).tables[0].rows[1].figures[1]
    assert rewrite(markdown, cell, "52,485.01", alltxt=False).split("\n")[1].endswith("| 52,485.01 |")


def test_every_kind_rewrites_a_figure_or_says_why_not() -> None:
    rng = random.Random(7)
    for kind in RECALL_KINDS:
        mutated = mutated_figure("2,941,412,770.30", kind, rng)
        assert mutated.value != mutated.original
    slipped = mutated_figure("2,941,412,770.30", "unit", rng)
    assert slipped.value in (Decimal("29414127703000.00"), Decimal("294141.28"))
    with pytest.raises(MutationSkipped, match="percentages"):
        mutated_figure("8.20%", "unit", rng)
    assert sum(quotas(20).values()) == 20 and quotas(4) == {"total": 2, "ratio": 1, "item": 1}


def test_a_wrong_change_rate_is_found_and_a_figure_in_no_relation_is_not(tmp_path: Path) -> None:
    path = tmp_path / "haixiang_p7.txt"
    path.write_text(HAIXIANG_P7, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    runner = RecallRunner(path, None, work)
    scan = runner.prepare()
    table = scan.tables[0]
    by_place = {(c.figure.line, c.figure.column): c for c in candidates(scan)}
    rate = by_place[2, 2]  # 8.20%
    assert rate.role == "ratio"
    found = runner.apply(rate, table, "times-ten", random.Random(1))
    assert (found.original, found.mutated) == ("8.20%", "82.00%")
    assert found.found and found.table_checked and found.table_read
    assert any(code.startswith("T003@l.2") for code in found.new_findings)
    old = by_place[2, 3]  # 2,308,922,170.29 (2017): no relation reads it
    missed = runner.apply(old, table, "digit", random.Random(1))
    assert not missed.found and missed.table_checked
    summary = summarize_recall("x", [_document(found, missed)])
    assert (summary.applied, summary.found, summary.in_checked, summary.missed_unread) == (2, 1, 2, 0)


def _document(*outcomes: object) -> object:
    from benchmarks.recall import DocumentRecall, RecallOutcome

    assert all(isinstance(o, RecallOutcome) for o in outcomes)
    return DocumentRecall("x", 2, (), outcomes=tuple(outcomes))  # type: ignore[arg-type]


def test_run_recall_samples_by_role_and_skips_pdfs(tmp_path: Path) -> None:
    path = tmp_path / "haixiang_p15.txt"
    path.write_text(HAIXIANG_P15, encoding="utf-8")
    result = run_recall("haixiang_p15.txt", path, None, sample_size=6, seed=2025)
    assert dict(result.by_role) == {"total": 5, "ratio": 6, "item": 9}
    assert len(result.outcomes) == 6
    assert sorted(o.role for o in result.outcomes) == ["item", "item", "ratio", "ratio", "total", "total"]
    assert len({o.kind for o in result.outcomes}) >= 4  # kinds rotate over the document
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert "not mutated" in run_recall("report.pdf", pdf, None, 6, 2025).note
