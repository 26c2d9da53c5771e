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
    """The likely cause of a failure.

    ``kind`` is short and stable (``sign-flip``, ``transposition``, ``unit-slip``, ``wrong-base``,
    ``omitted-row``, ``double-counted``, ``prior-base``, ``copied-neighbour``, ``explained``…),
    ``sentence`` says it in Chinese and ``sentence_en`` in English; ``evidence`` gives the places
    of the alternative formula that reproduces the stated figure (with what each one is), and
    ``alternatives`` the other kinds that fit equally well (then the sentence says so).
    """

    kind: str
    sentence: str
    sentence_en: str = ""
    evidence: tuple[Related, ...] = ()
    alternatives: tuple[str, ...] = ()


class RelationForm(StrEnum):
    """The shape of the relation a rule recomputed (what diagnosis searches around)."""

    SUM = "sum"  # stated = Σ sign × term (footings, roll-forwards, learned sums)
    RATIO = "ratio"  # stated = numerator / denominator × scale (shares, margins as ratios, rates)
    CHANGE = "change"  # stated = (current − prior) / |prior| × scale
    DIFFERENCE = "difference"  # stated = current − prior (个百分点, 变动额)
    MEAN = "mean"  # stated = Σ terms / n
    MEDIAN = "median"  # stated = the middle term (the mean of the two middle ones for an even n)
    MARGIN = "margin"  # stated = (revenue − cost) / revenue × scale
    PRODUCT = "product"  # stated = term × term × scale
    EQUAL = "equal"  # stated = the one term (a restatement, a quote)


@dataclass(frozen=True, slots=True)
class Term:
    """One operand of a Relation: its role ("addend", "numerator", "denominator", "current",
    "prior", "revenue", "cost", "item", "other"), where it stands, its printed value and decimals,
    and for sums its sign (+1, or -1 for a 减：row).

    In every form the operand is ``sign × value`` (a cost printed as a negative deduction is a
    MARGIN cost with sign -1). A value moved into the relation's unit keeps its rounding: its
    decimals move with it (12.34万元 as 元 is 123400 with decimals -2)."""

    role: str
    location: Location
    value: Decimal
    decimals: int
    sign: int = 1


@dataclass(frozen=True, slots=True)
class Relation:
    """The relation that failed, in numbers: ``form`` over ``terms``, times ``scale`` (100 when the
    stated figure is a percentage). Term values are in one unit per relation (the stated figure's
    unit for SUM, MEAN, DIFFERENCE and EQUAL; any common unit for the ratios, where it cancels).
    A RATIO is Σ numerator terms / Σ denominator terms (a share of the sum of the items has one
    denominator term per item). A CHANGE on a negative prior may be divided by |p| or by p itself
    (documents do both): the reading nearer the finding's ``expected`` is the rule's. PRODUCT
    terms have the role "other"; T007 folds its operands' units into ``scale``."""

    form: RelationForm
    terms: tuple[Term, ...]
    scale: Decimal = Decimal(1)


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
    relation: Relation | None = None  # the failed relation in numbers, for diagnosis

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
