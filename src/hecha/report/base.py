"""What every reporter receives and the registry that picks one by name.

A run checks one or more files. Each file ends as a ``FileReport``: the engine's ``CheckResult``
when the file could be read, and the errors that kept hecha from checking it fully (an input it
cannot read, a rule that crashed). Reporters only render; they never decide exit codes or what
counts as a finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from hecha.engine import CheckResult


class ErrorKind(StrEnum):
    INPUT = "input"  # the file could not be read: missing, empty, corrupt, encrypted, scanned…
    RULE = "rule"  # a rule raised: a bug in hecha, reported apart from findings
    INTERNAL = "internal"  # anything else that went wrong inside hecha for this file


@dataclass(frozen=True, slots=True)
class FileError:
    """Why a file was not (fully) checked, in Chinese and in English."""

    kind: ErrorKind
    message: str
    message_en: str
    rule: str | None = None  # the crashed rule's code when ``kind`` is RULE

    def text(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message


@dataclass(frozen=True, slots=True)
class FileReport:
    """One input file of the run: its path as the user gave it, its result, its errors."""

    path: str
    result: CheckResult | None
    errors: tuple[FileError, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportOptions:
    lang: str = "zh"  # "zh" or "en": which message of each Diagnostic to show
    show_uncertain: bool = False  # list each table hecha could not understand (text format)


class Reporter(Protocol):
    """Turns the reports of a run into the text written to stdout or ``--output``."""

    def render(self, files: list[FileReport], options: ReportOptions) -> str: ...


_REPORTERS: dict[str, Callable[[], Reporter]] = {}


def register_reporter(name: str, factory: Callable[[], Reporter]) -> None:
    if name in _REPORTERS:
        raise ValueError(f"reporter {name} is registered twice")
    _REPORTERS[name] = factory


def _load() -> None:
    # The built-in formats register themselves on import.
    import hecha.report.json
    import hecha.report.text  # noqa: F401


def reporter_names() -> list[str]:
    _load()
    return sorted(_REPORTERS)


def get_reporter(name: str) -> Reporter:
    """The reporter called ``name``; KeyError when there is none."""
    _load()
    return _REPORTERS[name]()


def plain_decimal(value: Decimal) -> str:
    """A Decimal as positional digits, never in exponent form (``1E+2`` → ``100``), every digit kept."""
    return format(value, "f")
