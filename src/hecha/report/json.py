"""The machine format: one JSON document per run, schema ``hecha-check`` version 1.

The shape is documented in docs/json-format.md and checked by tests/report/json_shape.py. Figures
(stated, expected, difference, tolerance) are Decimal strings so that no digit is lost to binary
floating point; fields without a value are null, never missing. Bump ``SCHEMA_VERSION`` whenever a
field is removed or changes meaning; adding a field keeps the version.
"""

from __future__ import annotations

import json
from decimal import Decimal

from hecha import __version__
from hecha.engine import CheckResult, UncertainTable
from hecha.model.diagnostic import Diagnostic
from hecha.model.document import Location
from hecha.report.base import FileError, FileReport, ReportOptions, plain_decimal, register_reporter

SCHEMA_NAME = "hecha-check"
SCHEMA_VERSION = 1

# JSON values as the json module accepts them; recursive, so spelled out rather than Any.
JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else plain_decimal(value)


def location_json(location: Location) -> dict[str, JsonValue]:
    return {
        "file": location.source,
        "page": location.page,
        "line": location.line,
        "table": location.table,
        "row": location.row,
        "col": location.col,
        "bbox": None if location.bbox is None else [float(edge) for edge in location.bbox],
        "quote": location.quote,
    }


def finding_json(diagnostic: Diagnostic) -> dict[str, JsonValue]:
    diagnosis: JsonValue = None
    if diagnostic.diagnosis is not None:
        diagnosis = {
            "kind": diagnostic.diagnosis.kind,
            "sentence": diagnostic.diagnosis.sentence,
            "sentence_en": diagnostic.diagnosis.sentence_en,
            "evidence": [
                {"location": location_json(related.location), "label": related.label}
                for related in diagnostic.diagnosis.evidence
            ],
            "alternatives": list(diagnostic.diagnosis.alternatives),
        }
    return {
        "code": diagnostic.code,
        "rule": diagnostic.rule,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "message_en": diagnostic.message_en,
        "location": location_json(diagnostic.location),
        "stated": _decimal(diagnostic.stated),
        "expected": _decimal(diagnostic.expected),
        "difference": _decimal(diagnostic.difference),
        "tolerance": _decimal(diagnostic.tolerance),
        "related": [
            {"location": location_json(related.location), "label": related.label}
            for related in diagnostic.related
        ],
        "diagnosis": diagnosis,
        "fingerprint": diagnostic.fingerprint,
    }


def _uncertain_json(table: UncertainTable) -> dict[str, JsonValue]:
    return {"table": table.table, "page": table.page, "line": table.line, "reason": table.reason}


def _error_json(error: FileError) -> dict[str, JsonValue]:
    return {
        "kind": error.kind.value,
        "rule": error.rule,
        "message": error.message,
        "message_en": error.message_en,
    }


def _stats_json(result: CheckResult) -> dict[str, JsonValue]:
    stats = result.stats
    return {
        "pages": stats.pages,
        "tables_found": stats.tables_found,
        "tables_checked": stats.tables_checked,
        "relations_checked": stats.relations_checked,
        "uncertain_tables": stats.uncertain_tables,
        "unread_figures": stats.unread_figures,
    }


def file_json(report: FileReport) -> dict[str, JsonValue]:
    result = report.result
    return {
        "file": report.path,
        "format": None if result is None else result.document.format,
        "stats": None if result is None else _stats_json(result),
        "findings": [] if result is None else [finding_json(d) for d in result.diagnostics],
        "uncertain": [] if result is None else [_uncertain_json(t) for t in result.uncertain],
        "notices": []
        if result is None
        else [{"message": n.message, "message_en": n.message_en} for n in result.document.warnings],
        "errors": [_error_json(error) for error in report.errors],
    }


def run_json(files: list[FileReport]) -> dict[str, JsonValue]:
    return {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "hecha_version": __version__,
        "files": [file_json(report) for report in files],
    }


class JsonReporter:
    def render(self, files: list[FileReport], options: ReportOptions) -> str:
        # ``options`` does not change the JSON: both languages and every uncertain table are always
        # included, so one file serves every consumer.
        return json.dumps(run_json(files), ensure_ascii=False, indent=2) + "\n"


register_reporter("json", JsonReporter)
