"""Renders the results of a ``hecha check`` run: one module per output format behind the one
``Reporter`` protocol, chosen by name from the registry in ``hecha.report.base``."""

from hecha.report.base import (
    FileError,
    FileReport,
    Reporter,
    ReportOptions,
    get_reporter,
    reporter_names,
)

__all__ = [
    "FileError",
    "FileReport",
    "ReportOptions",
    "Reporter",
    "get_reporter",
    "reporter_names",
]
