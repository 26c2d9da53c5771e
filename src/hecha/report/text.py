"""The human format: one compiler-style line per finding, then a summary line per file and a total.

    path:LINE: CODE message      for formats with lines (text, markdown, alltxt)
    path:pPAGE: CODE message     for PDFs, where a finding has a page but no line
    path: CODE message           when the finding has neither

A diagnosis, when hecha found the likely cause, follows on an indented line (its kind and
sentence, in English with ``--lang en``), then one line per evidence figure: what it is, where
it stands (table, row, column) and the figure as printed. Messages are the
Diagnostic's own (Chinese, or English with ``--lang en``), so figures appear as the rule wrote
them from the document's printed text.
"""

from __future__ import annotations

from hecha.engine import CheckResult
from hecha.model.diagnostic import Diagnostic
from hecha.model.document import Location
from hecha.report.base import ErrorKind, FileReport, ReportOptions, register_reporter


def position(path: str, page: int | None, line: int | None) -> str:
    """``path:12`` (a line), ``path:p12`` (a PDF page) or ``path`` (neither)."""
    if line is not None:
        return f"{path}:{line}"
    if page is not None:
        return f"{path}:p{page}"
    return path


def _finding(path: str, diagnostic: Diagnostic, lang: str) -> list[str]:
    location: Location = diagnostic.location
    message = diagnostic.message_en if lang == "en" else diagnostic.message
    lines = [f"{position(path, location.page, location.line)}: {diagnostic.code} {message}"]
    diagnosis = diagnostic.diagnosis
    if diagnosis is not None:
        label = "diagnosis" if lang == "en" else "诊断"
        sentence = diagnosis.sentence_en if lang == "en" and diagnosis.sentence_en else diagnosis.sentence
        lines.append(f"    {label} ({diagnosis.kind}): {sentence}")
        word = "evidence" if lang == "en" else "依据"
        for related in diagnosis.evidence:
            lines.append(f"      {word}: {related.label} ({_place(path, related.location, lang)})")
    return lines


def _place(path: str, location: Location, lang: str) -> str:
    """Where an evidence figure stands: file position, table cell and the figure as printed."""
    where = position(path, location.page, location.line)
    if location.table is not None and location.row is not None and location.col is not None:
        if lang == "en":
            where += f" table {location.table} row {location.row} col {location.col}"
        else:
            where += f" 表{location.table} 第{location.row}行第{location.col}列"
    return f"{where}: {location.quote}" if location.quote else where


def _summary(path: str, result: CheckResult, rule_failures: int, lang: str) -> str:
    stats = result.stats
    findings = len(result.diagnostics)
    if lang == "en":
        parts = [] if stats.pages is None else [f"{stats.pages} pages"]
        parts += [
            f"{stats.tables_found} tables found",
            f"{stats.tables_checked} checked",
            f"{stats.relations_checked} relations checked",
            f"{stats.uncertain_tables} uncertain tables",
            f"{findings} finding" + ("" if findings == 1 else "s"),
        ]
        if stats.unread_figures:
            parts.insert(-1, f"{stats.unread_figures} figures unread (column unknown or broken; not checked)")
        if rule_failures:
            parts.append(f"{rule_failures} rule(s) failed internally")
        return f"{path}: " + ", ".join(parts)
    parts = [] if stats.pages is None else [f"{stats.pages} 页"]
    parts += [
        f"发现表格 {stats.tables_found} 个",
        f"已核查 {stats.tables_checked} 个",
        f"核查关系 {stats.relations_checked} 项",
        f"无法解析表格 {stats.uncertain_tables} 个",
        f"发现问题 {findings} 项",
    ]
    if stats.unread_figures:
        parts.insert(-1, f"未能读取的数字 {stats.unread_figures} 个（所在列无法确定或数字被拆断，未核查）")
    if rule_failures:
        parts.append(f"{rule_failures} 条规则内部出错")
    return f"{path}: " + "，".join(parts)


def _notices(path: str, result: CheckResult, lang: str) -> list[str]:
    """What the reader said about the whole file, once each, under its summary line."""
    if lang == "en":
        return [f"{path}: note: {notice.message_en}" for notice in result.document.warnings]
    return [f"{path}: 提示：{notice.message}" for notice in result.document.warnings]


def _uncertain(path: str, result: CheckResult, lang: str) -> list[str]:
    word = "uncertain table" if lang == "en" else "无法解析的表格"
    return [
        f"{position(path, table.page, table.line)}: {word} #{table.table}: {table.reason}"
        for table in result.uncertain
    ]


def _total(files: list[FileReport], lang: str) -> str:
    findings = sum(len(report.result.diagnostics) for report in files if report.result is not None)
    unreadable = sum(1 for report in files for error in report.errors if error.kind is ErrorKind.INPUT)
    failed_rules = sum(1 for report in files for error in report.errors if error.kind is not ErrorKind.INPUT)
    if lang == "en":
        text = f"total: {len(files)} file" + ("" if len(files) == 1 else "s")
        text += f", {findings} finding" + ("" if findings == 1 else "s")
        if unreadable:
            text += f", {unreadable} not readable"
        if failed_rules:
            text += f", {failed_rules} internal error(s)"
        return text
    text = f"合计：{len(files)} 个文件，发现问题 {findings} 项"
    if unreadable:
        text += f"，{unreadable} 个文件无法读取"
    if failed_rules:
        text += f"，内部错误 {failed_rules} 个"
    return text


class TextReporter:
    def render(self, files: list[FileReport], options: ReportOptions) -> str:
        lines: list[str] = []
        for report in files:
            if report.result is None:
                reasons = "; ".join(error.text(options.lang) for error in report.errors)
                word = "not checked" if options.lang == "en" else "未核查"
                lines.append(f"{report.path}: {word}: {reasons}")
                continue
            for diagnostic in report.result.diagnostics:
                lines.extend(_finding(report.path, diagnostic, options.lang))
            if options.show_uncertain:
                lines.extend(_uncertain(report.path, report.result, options.lang))
            failures = sum(1 for error in report.errors if error.kind is not ErrorKind.INPUT)
            lines.append(_summary(report.path, report.result, failures, options.lang))
            lines.extend(_notices(report.path, report.result, options.lang))
        lines.append(_total(files, options.lang))
        return "\n".join(lines) + "\n"


register_reporter("text", TextReporter)
