"""The text and JSON reporters on a hand-built run (independent of ingest and rules): line format,
languages, Decimal strings, errors kept apart from findings, the documented JSON shape, snapshots."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hecha_test_support import assert_snapshot, json_shape_problems, sample_reports

from hecha.report import ReportOptions, get_reporter, reporter_names
from hecha.report.base import plain_decimal
from hecha.report.text import position


def render(name: str, lang: str = "zh", show_uncertain: bool = False) -> str:
    return get_reporter(name).render(sample_reports(), ReportOptions(lang, show_uncertain))


def test_registry_names_the_built_in_formats() -> None:
    assert {"text", "json"} <= set(reporter_names())
    with pytest.raises(KeyError):
        get_reporter("sarif-that-does-not-exist")


@pytest.mark.parametrize(
    ("page", "line", "expected"),
    [(None, 17, "a.md:17"), (12, None, "a.pdf:p12"), (None, None, "a.md"), (3, 40, "a.md:40")],
)
def test_position_prefers_the_line_and_marks_pdf_pages_with_p(
    page: int | None, line: int | None, expected: str
) -> None:
    assert position(expected.split(":")[0], page, line) == expected


def test_text_lines_are_compiler_style_in_chinese_by_default() -> None:
    lines = render("text").splitlines()
    assert lines[0] == (
        "tests/fixtures/e2e/chengbang_margin_altered.md:17: "
        "T001 合计 28,861.71 与明细之和 28,816.71 不符，差异 45.00"
    )
    assert lines[1].startswith("    诊断 (transposition): 差异 45.00")
    assert (
        "examples/haixiang_2019_annual.pdf:p12: T002 占比 12.30% 与 1,234.00 / 10,000.00 = 12.34% 不符"
        in lines
    )
    assert lines[-1] == "合计：4 个文件，发现问题 2 项，1 个文件无法读取，内部错误 1 个"


def test_text_in_english_uses_message_en_and_english_summaries() -> None:
    text = render("text", lang="en")
    assert "chengbang_margin_altered.md:17: T001 total 28,861.71 differs" in text
    assert "examples/haixiang_2019_annual.pdf: 204 pages, 310 tables found, 120 checked" in text
    assert "missing.pdf: not checked: file not found" in text
    assert "合计" not in text.replace("28,861.71", "")  # no Chinese text of hecha's own
    assert text.splitlines()[-1] == "total: 4 files, 2 findings, 1 not readable, 1 internal error(s)"


def test_summary_line_per_file_counts_what_was_checked() -> None:
    text = render("text")
    assert (
        "tests/fixtures/e2e/chengbang_margin_altered.md: 发现表格 2 个，已核查 1 个，核查关系 9 项，"
        "无法解析表格 1 个，发现问题 1 项"
    ) in text
    # A file without pages has no page count; a PDF has one.
    assert "examples/haixiang_2019_annual.pdf: 204 页，" in text
    # A crashed rule is reported beside the file, never as a finding.
    assert (
        "clean.txt: 发现表格 1 个，已核查 1 个，核查关系 3 项，无法解析表格 0 个，"
        "发现问题 0 项，1 条规则内部出错" in text
    )


def test_uncertain_tables_are_listed_only_when_asked() -> None:
    line = "tests/fixtures/e2e/chengbang_margin_altered.md:21: 无法解析的表格 #1: 表头无法识别"
    assert line not in render("text")
    assert line in render("text", show_uncertain=True)


def test_json_conforms_to_the_documented_shape() -> None:
    document = json.loads(render("json"))
    assert json_shape_problems(document) == []


def test_json_checker_catches_departures() -> None:
    document = json.loads(render("json"))
    finding = document["files"][0]["findings"][0]
    finding["stated"] = 28861.71  # a float: digits could be lost
    del finding["location"]["quote"]
    document["files"][3]["errors"] = []
    problems = json_shape_problems(document)
    assert "$.files[0].findings[0].stated: expected a Decimal string, got float" in problems
    assert "$.files[0].findings[0].location: missing quote" in problems
    assert "$.files[3]: a file without stats must carry an error" in problems


def test_json_keeps_figures_as_exact_decimal_strings() -> None:
    files = json.loads(render("json"))["files"]
    finding = files[0]["findings"][0]
    assert (finding["stated"], finding["expected"], finding["difference"]) == (
        "28861.71",
        "28816.710",
        "45.000",
    )
    assert [r["location"]["quote"] for r in finding["related"]] == ["14,191.50", "14, 625. 21"]
    # 5E-5 must not leak out in exponent form.
    assert files[1]["findings"][0]["tolerance"] == "0.00005"
    assert files[1]["findings"][0]["location"]["bbox"] == [100.5, 200.0, 150.25, 212.0]


def test_json_separates_errors_from_findings() -> None:
    files = json.loads(render("json"))["files"]
    assert files[2]["findings"] == []
    assert files[2]["errors"] == [
        {
            "kind": "rule",
            "rule": "T005",
            "message": "规则 T005 内部出错",
            "message_en": "rule T005 failed internally",
        }
    ]
    assert files[3]["stats"] is None and files[3]["format"] is None
    assert files[3]["errors"][0]["kind"] == "input"


def test_json_is_the_same_in_either_language() -> None:
    assert render("json", lang="en") == render("json", lang="zh")


@pytest.mark.parametrize("value", ["0.00005", "-45.000", "123456789012.34", "100"])
def test_plain_decimal_round_trips_without_exponent(value: str) -> None:
    written = plain_decimal(Decimal(value).normalize())
    assert "E" not in written.upper()
    assert Decimal(written) == Decimal(value)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_snapshot(lang: str) -> None:
    assert_snapshot(f"report_sample.{lang}.txt", render("text", lang=lang, show_uncertain=True))


def test_json_snapshot() -> None:
    assert_snapshot("report_sample.json", render("json"))
