"""Helpers shared by the reporter, CLI and end-to-end tests: the JSON shape checker (the executable
form of docs/json-format.md) and snapshot comparison.

Snapshots live in tests/snapshots/. Set HECHA_UPDATE_SNAPSHOTS=1 to rewrite them from the current
output; otherwise a missing or different snapshot fails the test with a diff.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from hecha.engine import CheckResult, DocumentStats, UncertainTable
from hecha.model.diagnostic import Diagnosis, Diagnostic, Related, Severity
from hecha.model.document import Document, Location
from hecha.report.base import ErrorKind, FileError, FileReport

REPO = Path(__file__).resolve().parents[2]
SNAPSHOTS = REPO / "tests" / "snapshots"

Check = Callable[[object, str], list[str]]


def _type(*kinds: type) -> Check:
    def check(value: object, where: str) -> list[str]:
        # bool is an int in Python but never a valid count or index here.
        if isinstance(value, bool) and bool not in kinds:
            return [f"{where}: expected {'/'.join(k.__name__ for k in kinds)}, got bool"]
        if not isinstance(value, kinds):
            return [f"{where}: expected {'/'.join(k.__name__ for k in kinds)}, got {type(value).__name__}"]
        return []

    return check


def _nullable(inner: Check) -> Check:
    return lambda value, where: [] if value is None else inner(value, where)


def _decimal_string(value: object, where: str) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: expected a Decimal string, got {type(value).__name__}"]
    try:
        Decimal(value)
    except InvalidOperation:
        return [f"{where}: {value!r} is not a decimal number"]
    if "E" in value.upper():
        return [f"{where}: {value!r} is in exponent form"]
    return []


def _non_negative_int(value: object, where: str) -> list[str]:
    problems = _type(int)(value, where)
    if not problems and isinstance(value, int) and value < 0:
        problems.append(f"{where}: negative")
    return problems


def _enum(*allowed: str) -> Check:
    def check(value: object, where: str) -> list[str]:
        return [] if value in allowed else [f"{where}: {value!r} not one of {allowed}"]

    return check


def _pattern(regex: str) -> Check:
    def check(value: object, where: str) -> list[str]:
        if not isinstance(value, str) or not re.fullmatch(regex, value):
            return [f"{where}: {value!r} does not match {regex}"]
        return []

    return check


def _bbox(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or len(value) != 4:
        return [f"{where}: expected a list of 4 numbers"]
    return [p for i, edge in enumerate(value) for p in _type(int, float)(edge, f"{where}[{i}]")]


def _object(fields: dict[str, Check]) -> Check:
    """Exactly these keys (documented fields are never missing, unknown ones are flagged)."""

    def check(value: object, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        problems = [f"{where}: missing {key}" for key in fields if key not in value]
        problems += [f"{where}: undocumented field {key}" for key in value if key not in fields]
        for key, field_check in fields.items():
            if key in value:
                problems += field_check(value[key], f"{where}.{key}")
        return problems

    return check


def _list(item: Check) -> Check:
    def check(value: object, where: str) -> list[str]:
        if not isinstance(value, list):
            return [f"{where}: expected a list, got {type(value).__name__}"]
        return [p for i, element in enumerate(value) for p in item(element, f"{where}[{i}]")]

    return check


_nullable_int = _nullable(_non_negative_int)
_LOCATION = _object(
    {
        "file": _type(str),
        "page": _nullable_int,
        "line": _nullable_int,
        "table": _nullable_int,
        "row": _nullable_int,
        "col": _nullable_int,
        "bbox": _nullable(_bbox),
        "quote": _type(str),
    }
)
_FINDING = _object(
    {
        "code": _pattern(r"[A-Z][0-9]{3}"),
        "rule": _pattern(r"[a-z0-9]+(-[a-z0-9]+)*"),
        "severity": _enum("error", "warning", "info"),
        "message": _type(str),
        "message_en": _type(str),
        "location": _LOCATION,
        "stated": _nullable(_decimal_string),
        "expected": _nullable(_decimal_string),
        "difference": _nullable(_decimal_string),
        "tolerance": _nullable(_decimal_string),
        "related": _list(_object({"location": _LOCATION, "label": _type(str)})),
        "diagnosis": _nullable(
            _object(
                {
                    "kind": _type(str),
                    "sentence": _type(str),
                    "sentence_en": _type(str),
                    "evidence": _list(_object({"location": _LOCATION, "label": _type(str)})),
                    "alternatives": _list(_type(str)),
                }
            )
        ),
        "fingerprint": _pattern(r"[0-9a-f]{16}"),
    }
)
_UNCERTAIN = _object(
    {"table": _non_negative_int, "page": _nullable_int, "line": _nullable_int, "reason": _type(str)}
)
_STATS = _object(
    {
        "pages": _nullable_int,
        "tables_found": _non_negative_int,
        "tables_checked": _non_negative_int,
        "relations_checked": _non_negative_int,
        "uncertain_tables": _non_negative_int,
        "unread_figures": _non_negative_int,
    }
)
_FILE = _object(
    {
        "file": _type(str),
        "format": _nullable(_enum("pdf", "text", "alltxt", "markdown")),
        "stats": _nullable(_STATS),
        "findings": _list(_FINDING),
        "uncertain": _list(_UNCERTAIN),
        "notices": _list(_object({"message": _type(str), "message_en": _type(str)})),
        "errors": _list(
            _object(
                {
                    "kind": _enum("input", "rule", "internal"),
                    "rule": _nullable(_pattern(r"[A-Z][0-9]{3}")),
                    "message": _type(str),
                    "message_en": _type(str),
                }
            )
        ),
    }
)
_RUN = _object(
    {
        "schema": _enum("hecha-check"),
        "version": _enum(1),
        "hecha_version": _type(str),
        "files": _list(_FILE),
    }
)


def json_shape_problems(document: object) -> list[str]:
    """Every way ``document`` departs from docs/json-format.md; empty when it conforms."""
    problems = _RUN(document, "$")
    # Cross-field rules the types alone cannot say.
    if isinstance(document, dict):
        for index, entry in enumerate(document.get("files") or []):
            if not isinstance(entry, dict):
                continue
            where = f"$.files[{index}]"
            if entry.get("stats") is None and not entry.get("errors"):
                problems.append(f"{where}: a file without stats must carry an error")
            stats = entry.get("stats")
            if isinstance(stats, dict) and stats.get("uncertain_tables") != len(entry.get("uncertain") or []):
                problems.append(f"{where}: stats.uncertain_tables differs from len(uncertain)")
    return problems


def assert_snapshot(name: str, actual: str) -> None:
    """Compare ``actual`` with tests/snapshots/``name`` (or rewrite it under HECHA_UPDATE_SNAPSHOTS=1)."""
    path = SNAPSHOTS / name
    if os.environ.get("HECHA_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"snapshot {path} is missing: run the tests with HECHA_UPDATE_SNAPSHOTS=1 and review it")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"snapshots/{name}",
                tofile="actual",
            )
        )
        pytest.fail(f"output differs from snapshot {name} (HECHA_UPDATE_SNAPSHOTS=1 rewrites it):\n{diff}")


def sample_reports() -> list[FileReport]:
    """A run over four files, built by hand so the reporter tests do not depend on ingest or rules.

    The figures are those of the hand-altered fixture tests/fixtures/e2e/chengbang_margin_altered.md
    (cost 合计 printed 28,861.71 where the rows add up to 28,816.71) and of a PDF page.
    """
    md = "tests/fixtures/e2e/chengbang_margin_altered.md"
    total = Location(md, line=17, table=0, row=4, col=3, quote="28,861.71")
    finding = Diagnostic(
        code="T001",
        rule="total-mismatch",
        severity=Severity.ERROR,
        message="合计 28,861.71 与明细之和 28,816.71 不符，差异 45.00",
        message_en="total 28,861.71 differs from the sum of its rows 28,816.71 by 45.00",
        location=total,
        stated=Decimal("28861.71"),
        expected=Decimal("28816.710"),
        difference=Decimal("45.000"),
        tolerance=Decimal("0.015"),
        related=(
            Related(Location(md, line=17, table=0, row=2, col=3, quote="14,191.50"), "加数 直销"),
            Related(Location(md, line=17, table=0, row=3, col=3, quote="14, 625. 21"), "加数 贸易"),
        ),
        diagnosis=Diagnosis(
            "transposition",
            "差异 45.00 可被 9 整除，疑为相邻数字颠倒（28,816.71 → 28,861.71）。",
            "The difference 45.00 is a multiple of 9: two adjacent digits may be transposed "
            "(28,816.71 → 28,861.71).",
            evidence=(Related(total, "列示数"),),
            alternatives=("typo",),
        ),
    )
    markdown = CheckResult(
        document=Document(source=md, format="markdown", page_count=None),
        diagnostics=(finding,),
        stats=DocumentStats(
            pages=None, tables_found=2, tables_checked=1, relations_checked=9, uncertain_tables=1
        ),
        uncertain=(UncertainTable(table=1, page=None, line=21, reason="表头无法识别"),),
    )
    pdf = "examples/haixiang_2019_annual.pdf"
    share = Diagnostic(
        code="T002",
        rule="share-mismatch",
        severity=Severity.WARNING,
        message="占比 12.30% 与 1,234.00 / 10,000.00 = 12.34% 不符",
        message_en="share 12.30% differs from 1,234.00 / 10,000.00 = 12.34%",
        location=Location(
            pdf, page=12, bbox=(100.5, 200.0, 150.25, 212.0), table=3, row=2, col=2, quote="12.30%"
        ),
        stated=Decimal("0.1230"),
        expected=Decimal("0.1234"),
        difference=Decimal("-0.0004"),
        tolerance=Decimal("5E-5"),
    )
    annual = CheckResult(
        document=Document(source=pdf, format="pdf", page_count=204),
        diagnostics=(share,),
        stats=DocumentStats(
            pages=204, tables_found=310, tables_checked=120, relations_checked=2400, uncertain_tables=0
        ),
    )
    crash = FileError(ErrorKind.RULE, "规则 T005 内部出错", "rule T005 failed internally", rule="T005")
    clean = CheckResult(
        document=Document(source="clean.txt", format="text", page_count=None),
        diagnostics=(),
        stats=DocumentStats(
            pages=None, tables_found=1, tables_checked=1, relations_checked=3, uncertain_tables=0
        ),
    )
    return [
        FileReport(md, markdown),
        FileReport(pdf, annual),
        FileReport("clean.txt", clean, (crash,)),
        FileReport("missing.pdf", None, (FileError(ErrorKind.INPUT, "文件不存在", "file not found"),)),
    ]
