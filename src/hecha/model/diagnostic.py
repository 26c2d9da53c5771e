"""The one output type: every rule yields Diagnostics and every reporter renders them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from hecha.model.document import Location


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Related:
    """An operand of the failed relation: where it stands and what it is (e.g. "加数 营业收入")."""

    location: Location
    label: str


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The likely cause of a failure: a short kind (``sign-flip``) and one sentence."""

    kind: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A figure that does not hold.

    ``stated`` is the printed value, ``expected`` the recomputed one (midpoint of its interval),
    ``difference`` = stated − expected, ``tolerance`` the half-width of the combined rounding
    intervals (plus any absolute tolerance option): the finding exists because
    ``|difference| > tolerance``. ``message`` is the Chinese text, ``message_en`` the English one.
    """

    code: str
    rule: str
    severity: Severity
    message: str
    message_en: str
    location: Location
    stated: Decimal | None = None
    expected: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    related: tuple[Related, ...] = ()
    diagnosis: Diagnosis | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across runs and unaffected by line shifts elsewhere in the document.

        Built from the rule, the source file name, the table title, the row/col and the quote of
        the stated figure and of its operands, not from line numbers or page positions.
        """
        loc = self.location
        parts = [
            self.code,
            loc.source.rsplit("/", 1)[-1],
            str(loc.row),
            str(loc.col),
            loc.quote,
            str(self.stated),
            *sorted(r.location.quote + "|" + r.label for r in self.related),
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
