"""The ``hecha`` command line: exit codes, findings vs errors vs crashed rules, languages, output
options, ``hecha rules``, ``python -m hecha`` and a reader that goes away mid-run.

Most tests run ``main(argv)`` in-process with the engine's loader (or the rule selection) replaced
by a hand-built document and small stand-in rules, so they test the CLI's own contract whatever
the real rules find; the subprocess tests check the installed entry points.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "report"))
from hecha_test_support import REPO, json_shape_problems

import hecha.cli
import hecha.engine
from hecha.cli import main
from hecha.ingest.errors import IngestError
from hecha.model.diagnostic import Diagnostic, Severity
from hecha.model.document import Document, Location
from hecha.rules.base import DOC_SECTIONS, Rule, RuleContext
from hecha.rules.registry import all_rules

FIXTURE = "tests/fixtures/e2e/chengbang_margin_altered.md"


class _StandIn(Rule):
    """Stand-in rule. What it checks / Why it matters / Failing example / Passing example / Options."""

    code = "X901"
    name = "stand-in-finding"
    summary = "替身规则"
    summary_en = "stand-in rule"


class FindsOne(_StandIn):
    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        yield self.diagnostic(
            message="合计 28,861.71 与明细之和 28,816.71 不符",
            message_en="total 28,861.71 differs from the sum of its rows 28,816.71",
            location=Location(ctx.document.source, line=17, table=0, row=4, col=3, quote="28,861.71"),
        )


class InformsOnly(_StandIn):
    code = "X904"
    name = "stand-in-info"
    default_severity = Severity.INFO

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        yield self.diagnostic(
            message="年利率 4.90% 为名义利率",
            message_en="the 4.90% annual rate is the nominal rate",
            location=Location(ctx.document.source, line=3),
        )


class FindsNothing(_StandIn):
    code = "X902"
    name = "stand-in-clean"

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        return iter(())


class Crashes(_StandIn):
    code = "X903"
    name = "stand-in-crash"

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        raise ZeroDivisionError("division by zero")


def _document(path: str, input_format: str | None = None) -> Document:
    return Document(source=path, format="markdown", page_count=None)


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[type[Rule]]]:
    """Every file reads as an empty document; the run uses the rules the test puts in the list."""
    chosen: list[type[Rule]] = []
    monkeypatch.setattr(hecha.engine, "load", _document)
    monkeypatch.setattr(hecha.cli, "all_rules", lambda: [FindsOne, FindsNothing, Crashes])
    monkeypatch.setattr(hecha.cli, "select_rules", lambda select=None, ignore=None: [r() for r in chosen])
    yield chosen


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_clean_run_exits_0(stand_in: list[type[Rule]], capsys: pytest.CaptureFixture[str]) -> None:
    stand_in.append(FindsNothing)
    code, out, err = run(["check", "doc.md"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "合计：1 个文件，发现问题 0 项"


def test_info_findings_are_shown_but_exit_0(
    stand_in: list[type[Rule]], capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in.append(InformsOnly)
    code, out, err = run(["check", "doc.md"], capsys)
    assert (code, err) == (0, "")
    assert "X904 年利率 4.90% 为名义利率" in out


def test_findings_exit_1_and_print_compiler_style(
    stand_in: list[type[Rule]], capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in.append(FindsOne)
    code, out, err = run(["check", "doc.md"], capsys)
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == "doc.md:17: X901 合计 28,861.71 与明细之和 28,816.71 不符"


def test_lang_en_prints_english_messages(
    stand_in: list[type[Rule]], capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in.append(FindsOne)
    code, out, _ = run(["check", "--lang", "en", "doc.md"], capsys)
    assert code == 1
    assert out.splitlines()[0] == "doc.md:17: X901 total 28,861.71 differs from the sum of its rows 28,816.71"
    assert out.splitlines()[-1] == "total: 1 file, 1 finding"


def test_crashed_rule_is_an_internal_error_not_a_finding(
    stand_in: list[type[Rule]], capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in.extend([Crashes, FindsNothing])
    code, out, err = run(["check", "doc.md"], capsys)
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith("hecha: doc.md: 规则 X903 内部出错")
    assert "ZeroDivisionError: division by zero" in line
    assert "发现问题 0 项，1 条规则内部出错" in out
    assert not any(" X903 " in line for line in out.splitlines())  # never shown as a finding


def test_crashed_rule_wins_over_findings_and_shows_in_json(
    stand_in: list[type[Rule]], capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in.extend([Crashes, FindsOne])
    code, out, err = run(["check", "--format", "json", "--lang", "en", "doc.md"], capsys)
    assert code == 2
    assert err.startswith("hecha: doc.md: rule X903 failed internally")
    document = json.loads(out)
    assert json_shape_problems(document) == []
    entry = document["files"][0]
    assert [f["code"] for f in entry["findings"]] == ["X901"]
    assert [(e["kind"], e["rule"]) for e in entry["errors"]] == [("rule", "X903")]


def test_multi_file_run_checks_the_readable_file_and_exits_2(
    stand_in: list[type[Rule]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stand_in.append(FindsOne)
    missing = str(tmp_path / "missing.pdf")

    def load_or_fail(path: str, input_format: str | None = None) -> Document:
        if path == missing:
            raise IngestError("文件不存在", "file not found")
        return _document(path)

    monkeypatch.setattr(hecha.engine, "load", load_or_fail)
    code, out, err = run(["check", missing, "doc.md"], capsys)
    assert code == 2
    assert err == f"hecha: {missing}: 文件不存在\n"
    assert "doc.md:17: X901" in out
    assert out.splitlines()[-1] == "合计：2 个文件，发现问题 1 项，1 个文件无法读取"


def test_output_option_writes_the_report_to_a_file(
    stand_in: list[type[Rule]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    stand_in.append(FindsOne)
    target = tmp_path / "report.json"
    code, out, _ = run(["check", "--format", "json", "--output", str(target), "doc.md"], capsys)
    assert (code, out) == (1, "")
    assert json.loads(target.read_text(encoding="utf-8"))["files"][0]["findings"][0]["code"] == "X901"


def test_unwritable_output_is_an_error(
    stand_in: list[type[Rule]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    stand_in.append(FindsNothing)
    target = tmp_path / "no-such-dir" / "report.txt"
    code, _, err = run(["check", "--output", str(target), "doc.md"], capsys)
    assert code == 2
    assert err.startswith(f"hecha: {target}: 无法写入输出文件")


def test_select_and_ignore_reach_the_rule_selection(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[tuple[list[str] | None, list[str] | None]] = []
    monkeypatch.setattr(hecha.engine, "load", _document)
    monkeypatch.setattr(hecha.cli, "all_rules", lambda: [FindsOne, FindsNothing, Crashes])

    def select(select: list[str] | None = None, ignore: list[str] | None = None) -> list[Rule]:
        seen.append((select, ignore))
        return []

    monkeypatch.setattr(hecha.cli, "select_rules", select)
    code, _, _ = run(
        ["check", "--select", "X901,x90", "--select", "X9", "--ignore", "X903", "doc.md"], capsys
    )
    assert code == 0
    assert seen == [(["X901", "x90", "X9"], ["X903"])]


def test_select_of_an_unknown_code_is_a_usage_error(
    stand_in: list[type[Rule]], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["check", "--select", "Q123", "doc.md"], capsys)
    assert (code, out) == (2, "")
    assert err == "hecha: --select Q123：没有这样的规则\n"


def test_interrupt_exits_130_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(path: str, input_format: str | None = None) -> Document:
        raise KeyboardInterrupt

    monkeypatch.setattr(hecha.engine, "load", interrupted)
    code, _, err = run(["check", "--lang", "en", "doc.md"], capsys)
    assert (code, err) == (130, "hecha: interrupted\n")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["check"], ["check", "--format", "xml", "a.pdf"], ["frobnicate"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2, argv
    assert "usage: hecha" in capsys.readouterr().err


def test_rules_lists_every_registered_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0
    listed = [line.split()[:2] for line in out.splitlines()]
    assert listed == [[rule.code, rule.name] for rule in all_rules()]
    assert {"T001", "T002", "T003", "T004", "T005", "T006", "T007"} <= {code for code, _ in listed}


def test_rules_in_english_show_english_summaries(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["rules", "--lang", "en"], capsys)
    for rule in all_rules():
        assert f"{rule.code}  " in out and rule.summary_en in out


def test_rules_code_prints_the_rule_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules", "T001"], capsys)
    assert code == 0
    rule = next(rule for rule in all_rules() if rule.code == "T001")
    assert out.startswith(f"T001 {rule.name}\n")
    for section in DOC_SECTIONS:
        assert section in out
    # The rule's name finds the same documentation.
    assert run(["rules", rule.name], capsys)[1] == out


def test_unknown_rule_code_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["rules", "T999"], capsys)
    assert (code, out) == (2, "")
    assert err == "hecha: 没有规则 T999（`hecha rules` 列出全部规则）\n"
    code, _, err = run(["rules", "--lang", "en", "nonsense"], capsys)
    assert (code, err) == (2, "hecha: no rule nonsense (`hecha rules` lists them all)\n")


def _hecha(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hecha", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_python_dash_m_runs_the_command_line() -> None:
    done = _hecha("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"hecha {hecha.__version__}")
    done = _hecha("rules", "T999")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_reader_that_goes_away_causes_no_traceback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "hecha", "check", FIXTURE, FIXTURE, FIXTURE],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `hecha check … | head -0`: nobody reads what hecha writes
    error = process.stderr.read()
    assert process.wait() == 2
    assert "Traceback" not in error and "BrokenPipe" not in error
