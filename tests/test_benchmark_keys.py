"""The answer-key mode (benchmarks/keys.py): reading hand-made keys, matching hecha's findings to
the discrepancies they list, and mutating the relations they say hold, on a cut of a real corpus
document."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # the benchmark lives beside src/, not inside the package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.bench import main  # noqa: E402
from benchmarks.keys import (  # noqa: E402
    CheckedTask,
    FindingView,
    KeyFileError,
    Place,
    Where,
    evaluate_keys,
    figure_value,
    judge_discrepancy,
    judge_mutation,
    load_keys,
    locate,
    parse_key,
    plan_mutations,
    summarize_keys,
    within_rounding,
)

from hecha.engine import check_document  # noqa: E402
from hecha.ingest.loader import load  # noqa: E402

# chengbang_2025_inquiry_reply.md lines 15-27 (问题一 (一) 1): the prose summary (line 1 here), the
# revenue table as one HTML line (line 7; in the published reply the total's change rate prints
# "44. 75%", here mutated to 47.75% so that hecha's change-rate rule fails there), the rounding
# note and two prose paragraphs restating the table (lines 11 and 13).
CHENGBANG_CUT = """\
2025 年，公司实现营业收入 50,356.55 万元，同比增长 44.75%；归母净利润为-11,959.82 万元，同比增亏 20.23%。\
收入增长但净利润亏损扩大，主要系公司“半导体存储+生态环境建设”双主业战略推进阶段的阶段性特征，具有商业合理性，具体原因如下：

## 1、收入增长主要来源为半导体存储业务

单位：万元

<table><tr><td rowspan=2 colspan=1>项目</td><td rowspan=1 colspan=2>2025年度</td>\
<td rowspan=1 colspan=1>2024年度</td></tr><tr><td rowspan=1 colspan=1>金额</td>\
<td rowspan=1 colspan=1>变动比例</td><td rowspan=1 colspan=1>金额</td></tr>\
<tr><td rowspan=1 colspan=1>半导体存储业务</td><td rowspan=1 colspan=1>34,048.57</td>\
<td rowspan=1 colspan=1>207.88%</td><td rowspan=1 colspan=1>11,058.91</td></tr>\
<tr><td rowspan=1 colspan=1>生态环境建设业务</td><td rowspan=1 colspan=1>16,307.97</td>\
<td rowspan=1 colspan=1>-31.28%</td><td rowspan=1 colspan=1>23,730.48</td></tr>\
<tr><td rowspan=1 colspan=1>营业收入</td><td rowspan=1 colspan=1>50,356.55</td>\
<td rowspan=1 colspan=1>47.75%</td><td rowspan=1 colspan=1>34, 789. 38</td></tr></table>

注：明细项目加总与合计数核对不符，系四舍五入差异所致，下同。

公司2025 年聚焦半导体存储业务发展，全年实现收入34,048.57 万元，占合并营业收入比重达到 67.61%，\
已成为公司最主要的业务，是公司收入增长的来源。

生态环境建设业务受行业环境影响，公司主动采取收缩策略，全年实现营业收入 16,307.97 万元，同比下降 31.28%。
"""

KEY = """\
document: cut.md
scope: "lines 1-13"
source_for_positions: cut.md
audited_by: "test"
relations:
  - {id: r1, where: {line: 7}, kind: change, formula: "50,356.55/34,789.38-1", stated: "47.75%", holds: false}
  - {id: r2, where: {line: 7}, kind: total, formula: "34,048.57+16,307.97", stated: "50,356.55", holds: false}
  - {id: r3, where: {line: 7}, kind: change, formula: "34,048.57/11,058.91-1", stated: "207.88%", holds: true}
  - {id: r4, where: {line: 1}, kind: other, formula: "none here", stated: "-11,959.82 万元", holds: true}
discrepancies:
  - {id: d1, relation: r1, where: {line: 7}, stated: "47.75%", expected: "44.75%", class: material}
  - {id: d2, relation: r2, where: {line: 7}, stated: "50,356.55", expected: "50,356.54", class: explained}
  # Positions or figures that do not match hecha's finding: not found.
  - {id: d3, where: {line: 1}, stated: "47.75%", expected: "44.75%", class: material}
  - {id: d4, where: {line: 7}, stated: "34,048.57", expected: "34,048.58", class: rounding-level}
"""


@pytest.fixture
def cut(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = corpus / "cut.md"
    path.write_text(CHENGBANG_CUT, encoding="utf-8")
    assert CHENGBANG_CUT.split("\n")[6].startswith("<table>")
    return path


def test_figures_are_compared_by_value() -> None:
    assert figure_value("50,356.55万元") == (Decimal("50356.55"), 2)
    assert figure_value("34, 789. 38") == (Decimal("34789.38"), 2)
    assert figure_value("下降31.28%") == (Decimal("-31.28"), 2)
    assert figure_value("(1,234)") == (Decimal("-1234"), 0)
    assert figure_value("增亏 20.23%") == (Decimal("20.23"), 2)
    assert figure_value("营业收入") is None
    assert within_rounding(Decimal("160.3612896"), "160.36%")
    assert not within_rounding(Decimal("160.3612896"), "160.35%")
    # A key printing no sign compares magnitudes; a signed one compares signs too.
    assert within_rounding(Decimal("-31.2783"), "31.28%")
    assert not within_rounding(Decimal("31.2783"), "-31.28%")


def test_locate_a_figure_split_by_extraction_not_inside_a_longer_one() -> None:
    text = "甲 134,048.57\n营业收入 34, 048.57 万元 -5.00\n\f第二页 -5.00"
    start, end = locate(text, Where(line=2), "34,048.57") or (0, 0)
    assert text[start:end] == "34, 048.57"
    assert locate(text, Where(line=1), "34,048.57") is None
    assert locate(text, Where(line=9), "34,048.57") is None
    # A sign printed just before a figure the key wrote without one goes with it.
    start, end = locate(text, Where(page=2), "5.00") or (0, 0)
    assert text[start:end] == "-5.00" and start > text.index("\f")
    # ruixin_2025_annual_inquiry_reply.md line 9 prints its rates as LaTeX: taken whole, with $.
    latex = "实现营业收入 5.94 亿元，同比下降 $4 . 4 6 \\%$ ；净利润 3,259.77 万元"
    start, end = locate(latex, Where(line=1), "4.46%") or (0, 0)
    assert latex[start:end] == "$4 . 4 6 \\%$"
    start, end = locate(latex, Where(line=1), "3,259.77") or (0, 0)
    assert latex[start:end] == "3,259.77"
    # jinyu_2020_annual.pdfplumber.txt p.14 wraps "减少16.43个百分点" over three lines: the bare
    # figure is taken, never a match across lines.
    wrapped = "兽用疫苗 减少\n16.43个\n百分点"
    start, end = locate(wrapped, Where(page=1), "减少16.43个百分点") or (0, 0)
    assert wrapped[start:end] == "16.43"


def _finding(line: int, quote: str, expected: str | None, related: tuple[Place, ...] = ()) -> FindingView:
    return FindingView(
        code="T003",
        fingerprint=f"{line}{quote}",
        severity="error",
        place=Place(line, None, quote),
        stated=figure_value(quote)[0] if figure_value(quote) else None,
        expected=Decimal(expected) if expected else None,
        related=related,
        diagnosis="",
    )


def test_judging_one_discrepancy() -> None:
    key = parse_key("k.yaml", KEY)
    d1 = key.discrepancies[0]
    at = _finding(7, "47.75 %", "44.7469")
    assert judge_discrepancy(d1, [at]).found and judge_discrepancy(d1, [at]).diagnosed
    # Found but another expected figure: not diagnosed.
    wrong = judge_discrepancy(d1, [_finding(7, "47.75%", "44.70")])
    assert wrong.found and not wrong.diagnosed and wrong.hecha_expected == "44.7"
    # Another line, another figure, an informational finding: not found.
    assert not judge_discrepancy(d1, [_finding(8, "47.75%", "44.7469")]).found
    assert not judge_discrepancy(d1, [_finding(7, "207.88%", "44.7469")]).found
    info = FindingView("X003", "f", "info", Place(7, None, "47.75%"), None, None, (), "explained")
    assert not judge_discrepancy(d1, [info]).found
    # Named among a finding's related places: found, but its expected is not the key's figure's.
    named = _finding(9, "1.00%", "2.00", related=(Place(7, None, "47. 75%"),))
    outcome = judge_discrepancy(d1, [named])
    assert outcome.found and not outcome.diagnosed


def test_key_on_a_cut_of_the_chengbang_reply(cut: Path) -> None:
    key = parse_key("cut.md.yaml", KEY)
    result = check_document(load(str(cut)))
    [scored] = evaluate_keys([(key, cut, result)], (), seed=2025, jobs=1)
    outcomes = {o.id: o for o in scored.discrepancies}
    assert outcomes["d1"].found and outcomes["d1"].diagnosed
    assert outcomes["d1"].findings[0].startswith("T003@l.7 '47.75%'")
    assert not outcomes["d2"].found  # the explained rounding difference of the total
    assert not outcomes["d3"].found  # the right figure at the wrong line
    assert not outcomes["d4"].found
    summary = summarize_keys("all", [scored])
    assert (summary.material, summary.found, summary.diagnosed) == (2, 1, 1)
    assert (summary.explained, summary.explained_found, summary.rounding_found) == (1, 0, 0)
    assert summary.false_alarms == 0 and scored.alarms_on_held == ()
    assert scored.misplaced == ("d3 l.1 47.75%",)
    assert {m.relation for m in scored.mutations} == {"r3", "r4"}  # not r1, r2: they fail


# The same cut as published: the total's change rate printed "44. 75%", every relation holds.
CLEAN_KEY = """\
document: cut.md
relations:
  - {id: r1, where: {line: 7}, kind: change, stated: "44.75%", holds: true}
  - {id: r3, where: {line: 7}, kind: change, stated: "207.88%", holds: true}
  - {id: r4, where: {line: 1}, kind: other, stated: "-11,959.82 万元", holds: true}
"""


def test_key_mutations_on_the_published_cut(cut: Path) -> None:
    cut.write_text(CHENGBANG_CUT.replace("47.75%", "44. 75%"), encoding="utf-8")
    key = parse_key("cut.md.yaml", CLEAN_KEY)
    result = check_document(load(str(cut)))
    assert result.diagnostics == ()
    [scored] = evaluate_keys([(key, cut, result)], (), seed=2025, jobs=1)
    # The change rates of the table are recomputed and their mutations found there (44. 75%
    # found though printed split); the net loss in the prose enters no relation: missed.
    mutations = {m.relation: m for m in scored.mutations}
    assert set(mutations) == {"r1", "r3", "r4"}
    assert mutations["r1"].original == "44. 75%" and mutations["r1"].found
    assert mutations["r3"].found and mutations["r3"].where == "l.7"
    assert mutations["r3"].original == "207.88%" and mutations["r3"].mutated != "207.88%"
    assert mutations["r3"].findings and mutations["r3"].findings[0].startswith("T003@l.7")
    assert not mutations["r4"].found
    assert len({m.kind for m in scored.mutations}) == 3  # kinds in turn
    summary = summarize_keys("all", [scored])
    assert (summary.mutated, summary.mutations_found, summary.alarms_on_held) == (3, 2, 0)


def test_a_mutation_is_found_only_by_a_new_finding_at_its_figure(cut: Path) -> None:
    key = parse_key("cut.md.yaml", KEY)
    [planned] = [p for p in plan_mutations(key, cut, (), seed=1)[0] if p.relation == "r3"]
    value = figure_value(planned.mutated)
    assert value is not None
    at = _finding(7, planned.mutated, "207.88")
    assert judge_mutation(planned, CheckedTask((at,)), frozenset()).found
    # The same finding in the clean check (a sign flip keeps the magnitude): not new, not found.
    assert not judge_mutation(planned, CheckedTask((at,)), frozenset({at.fingerprint})).found
    assert not judge_mutation(planned, CheckedTask((_finding(8, planned.mutated, "1"),)), frozenset()).found
    assert not judge_mutation(planned, CheckedTask((_finding(7, "207.88%", "1"),)), frozenset()).found


def test_sampling_and_kinds_in_turn(cut: Path) -> None:
    text = KEY.replace("holds: false", "holds: true").split("discrepancies:")[0]
    key = parse_key("k.yaml", text + "discrepancies: []\n")
    planned, skipped = plan_mutations(key, cut, (), seed=3)
    assert len(planned) + len({s.relation for s in skipped} - {p.relation for p in planned}) == 4
    assert len({p.kind for p in planned}) == len(planned)  # kinds taken in turn
    assert plan_mutations(key, cut, (), seed=3) == (planned, skipped)  # seeded
    assert len(plan_mutations(key, cut, (), seed=3, sample=2)[0]) <= 2
    # A PDF without its pdfplumber twin: every mutation skipped, with the reason.
    pdf = parse_key(
        "p.yaml", "document: x.pdf\nrelations:\n  - {id: a, where: {page: 2}, stated: '1.00', holds: true}\n"
    )
    assert plan_mutations(pdf, None, (), seed=3)[1][0].reason.startswith("PDF without")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("document: [a\n", "invalid YAML at line 2"),
        ("- 1\n- 2\n", "expected a mapping"),
        ("relations: []\n", "'document' is missing"),
        ("document: a.md\nrelations: {id: r1}\n", "'relations' must be a list"),
        (
            "document: a.md\nrelations:\n  - {id: r1, where: {line: 3}, stated: '1.00'}\n",
            "relation 1 (r1): 'holds' must be true or false",
        ),
        (
            "document: a.md\nrelations:\n  - {id: r1, where: 3, stated: '1.00', holds: true}\n",
            "relation 1 (r1): 'where' must be a mapping",
        ),
        (
            "document: a.md\nrelations:\n  - {id: r1, where: {line: 0}, stated: '1.00', holds: true}\n",
            "where.line must be a positive whole number",
        ),
        (
            "document: a.pdf\nrelations:\n  - {id: r1, where: {line: 3}, stated: '1.00', holds: true}\n",
            "needs a 'page' (PDF page number) for a PDF document",
        ),
        (
            "document: a.md\nrelations:\n  - {id: r1, where: {line: 3}, stated: '合计', holds: true}\n",
            "'stated' '合计' is not a figure",
        ),
        (
            "document: a.md\nrelations:\n  - {id: r1, where: {line: 3}, stated: '1', holds: true}\n"
            "  - {id: r1, where: {line: 4}, stated: '2', holds: true}\n",
            "relation id 'r1' is used twice",
        ),
        (
            "document: a.md\ndiscrepancies:\n  - {id: d1, where: {line: 3}, stated: '1', class: typo}\n",
            "discrepancy 1 (d1): class 'typo' is not one of material, rounding-level, explained",
        ),
        (
            "document: a.md\ndiscrepancies:\n"
            "  - {id: d1, relation: r9, where: {line: 3}, stated: '1', class: material}\n",
            "relation 'r9' is not the id of a relation",
        ),
    ],
)
def test_a_malformed_key_gives_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(KeyFileError) as raised:
        parse_key("bad.yaml", text)
    line = str(raised.value)
    assert line.startswith("bad.yaml: ") and message in line and "\n" not in line


def test_the_mode_measures_the_good_keys_and_reports_the_bad_ones(
    cut: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "cut.md.yaml").write_text(KEY, encoding="utf-8")
    (keys / "broken.yaml").write_text("document: cut.md\nrelations: 3\n", encoding="utf-8")
    loaded, errors = load_keys(keys)
    assert [k.name for k in loaded] == ["cut.md.yaml"] and list(errors) == ["broken.yaml"]
    argv = ["keys", "--corpus", str(cut.parent), "--keys-dir", str(keys), "--no-write", "--jobs", "1"]
    assert main(argv) == 1  # a malformed key file fails the run; the good one is still measured
    captured = capsys.readouterr()
    assert captured.err.strip() == "error: broken.yaml: 'relations' must be a list"
    all_line = next(line for line in captured.out.splitlines() if line.startswith("all "))
    assert all_line.split()[1:5] == ["4", "2", "1", "50.0%"]
    (keys / "broken.yaml").unlink()
    assert main(argv) == 0
