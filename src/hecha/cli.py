"""The ``hecha`` command: parses arguments, runs the engine on each file, renders a report and
sets the exit code. Nothing is decided here that the engine or a reporter should decide.

Exit codes: 0 no findings; 1 findings; 2 an input could not be read, a rule failed internally, or
the command line was wrong (2 wins over 1); 130 interrupted.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from hecha import __version__
from hecha.engine import analyze_tables, check_file
from hecha.extract.facts import build_fact_base
from hecha.ingest.errors import IngestError
from hecha.ingest.loader import FORMATS, load
from hecha.model.diagnostic import Severity
from hecha.report.base import (
    ErrorKind,
    FileError,
    FileReport,
    ReportOptions,
    get_reporter,
    reporter_names,
)
from hecha.report.facts import FactsReport
from hecha.report.facts import render_json as render_facts_json
from hecha.report.facts import render_text as render_facts_text
from hecha.rules.base import Rule
from hecha.rules.registry import all_rules, get_rule, select_rules

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A command line that parses but asks for something that does not exist."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True)
class _Say:
    """Writes ``hecha: …`` lines to stderr in the chosen language."""

    lang: str

    def error(self, message: str, message_en: str, subject: str | None = None) -> None:
        text = message_en if self.lang == "en" else message
        prefix = "hecha: " if subject is None else f"hecha: {subject}: "
        print(prefix + text, file=sys.stderr)


def _codes(values: list[str] | None) -> list[str]:
    """``--select T001,T002 --select T0`` → ["T001", "T002", "T0"]."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of messages: zh (Chinese, default) or en (English)",
    )
    parser = argparse.ArgumentParser(
        prog="hecha",
        description="核查 hecha: checks the arithmetic of Chinese listed-company disclosure documents.",
    )
    parser.add_argument("--version", action="version", version=f"hecha {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser(
        "check",
        parents=[common],
        help="check one or more documents",
        description="Check the tables of each FILE; findings go to stdout, errors to stderr.",
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--format", choices=reporter_names(), default="text", help="output format")
    check.add_argument(
        "--input-format", choices=FORMATS, default=None, help="read FILEs as this format (default: detect)"
    )
    check.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="only rules whose code starts with one of these comma-separated prefixes (T001,T0)",
    )
    check.add_argument(
        "--ignore", action="append", metavar="CODES", help="skip rules whose code starts with these prefixes"
    )
    check.add_argument("--output", metavar="PATH", help="write the report to PATH instead of stdout")
    check.add_argument(
        "--show-uncertain", action="store_true", help="list the tables hecha could not understand"
    )

    facts = commands.add_parser(
        "facts",
        parents=[common],
        help="list the facts and claims hecha reads in one or more documents",
        description="Export every fact (tables, prose) and every prose claim of each FILE.",
    )
    facts.add_argument("files", nargs="+", metavar="FILE")
    facts.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    facts.add_argument(
        "--input-format", choices=FORMATS, default=None, help="read FILEs as this format (default: detect)"
    )
    facts.add_argument("--output", metavar="PATH", help="write the list to PATH instead of stdout")

    rules = commands.add_parser(
        "rules",
        parents=[common],
        help="list the rules, or show one rule's documentation",
        description="Without CODE: list every rule. With CODE (T001 or its name): print its documentation.",
    )
    rules.add_argument("code", nargs="?", metavar="CODE")
    return parser


def _check_prefixes(option: str, prefixes: list[str], known: list[type[Rule]]) -> None:
    for prefix in prefixes:
        if not any(rule.code.startswith(prefix.upper()) for rule in known):
            raise UsageError(f"{option} {prefix}：没有这样的规则", f"{option} {prefix}: no such rule")


def _check_one(path: str, rules: list[Rule], input_format: str | None, say: _Say) -> FileReport:
    try:
        result = check_file(path, rules, input_format)
    except IngestError as error:
        say.error(error.message, error.message_en, path)
        return FileReport(path, None, (FileError(ErrorKind.INPUT, error.message, error.message_en),))
    except Exception as error:
        # An unexpected failure on one file is a bug in hecha; it must not stop the other files.
        detail = f"{type(error).__name__}: {error}"
        message = f"内部错误（hecha 的缺陷，不是文档的问题）：{detail}"
        message_en = f"internal error (a bug in hecha, not in the document): {detail}"
        say.error(message, message_en, path)
        return FileReport(path, None, (FileError(ErrorKind.INTERNAL, message, message_en),))
    errors = []
    for failure in result.rule_failures:
        message = (
            f"规则 {failure.code} 内部出错（hecha 的缺陷，不是文档的问题），其结果未计入：{failure.error}"
        )
        message_en = (
            f"rule {failure.code} failed internally (a bug in hecha, not in the document); "
            f"its checks are missing from this report: {failure.error}"
        )
        say.error(message, message_en, path)
        errors.append(FileError(ErrorKind.RULE, message, message_en, rule=failure.code))
    return FileReport(path, result, tuple(errors))


def _write(text: str, output: str | None, say: _Say) -> bool:
    """Write the report; False when the output file cannot be written."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return True
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        say.error(
            f"无法写入输出文件（{error.strerror}）", f"cannot write the output ({error.strerror})", output
        )
        return False
    return True


def run_check(args: argparse.Namespace) -> int:
    say = _Say(args.lang)
    select, ignore = _codes(args.select), _codes(args.ignore)
    known = all_rules()
    _check_prefixes("--select", select, known)
    _check_prefixes("--ignore", ignore, known)
    rules = select_rules(select or None, ignore or None)
    reports = [_check_one(path, rules, args.input_format, say) for path in args.files]
    text = get_reporter(args.format).render(reports, ReportOptions(args.lang, args.show_uncertain))
    if not _write(text, args.output, say):
        return EXIT_ERROR
    if any(report.errors for report in reports):
        return EXIT_ERROR
    # Info findings (an explained difference, the effective rate of a schedule) inform; they do
    # not make a document fail.
    if any(
        report.result is not None and any(d.severity is not Severity.INFO for d in report.result.diagnostics)
        for report in reports
    ):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _facts_of(path: str, input_format: str | None, say: _Say) -> FactsReport:
    try:
        document = load(path, input_format)
    except IngestError as error:
        say.error(error.message, error.message_en, path)
        return FactsReport(path, None, error.message_en if say.lang == "en" else error.message)
    return FactsReport(path, build_fact_base(document, analyze_tables(document)))


def run_facts(args: argparse.Namespace) -> int:
    say = _Say(args.lang)
    reports = [_facts_of(path, args.input_format, say) for path in args.files]
    text = render_facts_json(reports) if args.format == "json" else render_facts_text(reports, args.lang)
    if not _write(text, args.output, say):
        return EXIT_ERROR
    return EXIT_ERROR if any(report.facts is None for report in reports) else EXIT_CLEAN


def run_rules(args: argparse.Namespace) -> int:
    english = args.lang == "en"
    if args.code is None:
        known = all_rules()
        width = max((len(rule.name) for rule in known), default=0)
        for rule in known:
            summary = getattr(rule, "summary_en", rule.summary) if english else rule.summary
            print(f"{rule.code}  {rule.name.ljust(width)}  {summary}")
        return EXIT_CLEAN
    found = get_rule(args.code)
    if found is None:
        raise UsageError(
            f"没有规则 {args.code}（`hecha rules` 列出全部规则）",
            f"no rule {args.code} (`hecha rules` lists them all)",
        )
    print(f"{found.code} {found.name}")
    print()
    print(inspect.cleandoc(found.__doc__ or ""))
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = "en" if _asks_english(arguments) else "zh"
    # Chinese must never crash a terminal with a narrower encoding: unprintable characters are escaped.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        args = build_parser().parse_args(arguments)
        lang = args.lang
        if args.command == "rules":
            return run_rules(args)
        if args.command == "facts":
            return run_facts(args)
        return run_check(args)
    except UsageError as error:
        _Say(lang).error(error.message, error.message_en)
        return EXIT_ERROR
    except KeyboardInterrupt:
        _Say(lang).error("已中断", "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``hecha check … | head``): stop quietly. Pointing stdout at devnull keeps
        # Python's own flush at exit from raising a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR


def _asks_english(arguments: list[str]) -> bool:
    """Whether ``--lang en`` is on the command line, for errors raised before parsing finishes."""
    for index, argument in enumerate(arguments):
        if argument == "--lang=en" or (argument == "--lang" and arguments[index + 1 : index + 2] == ["en"]):
            return True
    return False
