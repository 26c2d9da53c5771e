"""What a rule is: a class with a code, a name, a doc with fixed sections, typed options, and a
``check`` generator of Diagnostics. Also the one comparison every rule uses to decide whether a
stated figure fails its recomputed value under the stated-precision interval rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import ClassVar, TypeVar, cast

from hecha.extract.factbase import FactBase
from hecha.extract.roles import AnalyzedTable
from hecha.model.diagnostic import Diagnostic, Related, Relation, Severity
from hecha.model.document import Document, Location
from hecha.model.quantity import Interval, Quantity

T = TypeVar("T")

DOC_SECTIONS = ("What it checks", "Why it matters", "Failing example", "Passing example", "Options")


@dataclass
class CheckStats:
    """Counters rules and the engine fill while checking one document."""

    relations_checked: int = 0
    tables_checked: set[int] = field(default_factory=set)
    # (table, row, col) of every cell that took part in a relation that held; the benchmark's
    # mutation mode changes these figures one at a time and expects a finding at or about them.
    verified_cells: set[tuple[int, int, int]] = field(default_factory=set)
    # Locations outside any table cell (prose figures: claims, facts stated in a sentence) that
    # took part in a relation that held; the mutation benchmark rewrites these in the prose.
    verified_locations: set[Location] = field(default_factory=set)

    def relation(
        self,
        table: int | None = None,
        count: int = 1,
        held: bool = False,
        cells: Iterable[Location] = (),
    ) -> None:
        """Count ``count`` relations checked in ``table``; when they ``held``, remember ``cells``."""
        self.relations_checked += count
        if table is not None:
            self.tables_checked.add(table)
        if held:
            for location in cells:
                if location.table is not None and location.row is not None and location.col is not None:
                    self.verified_cells.add((location.table, location.row, location.col))
                elif location.table is None:
                    self.verified_locations.add(location)


@dataclass(frozen=True)
class RuleContext:
    """What a rule reads: the document, its analyzed tables (understood ones only), counters,
    and the fact base (built on first use, so that table-only runs never pay for it)."""

    document: Document
    tables: tuple[AnalyzedTable, ...]
    stats: CheckStats
    build_facts: Callable[[], FactBase] = field(default=FactBase, repr=False)
    _shared: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def facts(self) -> FactBase:
        return self.build_facts()

    def shared(self, key: str, build: Callable[[], T]) -> T:
        """``build()``, computed once per document and shared by the rules that ask for ``key``
        (several rules read the same derived data, e.g. the groups of restated facts)."""
        if key not in self._shared:
            self._shared[key] = build()
        return cast(T, self._shared[key])


@dataclass(frozen=True)
class NoOptions:
    """A rule without tunables."""


class Rule:
    """Base class of every rule. Subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    summary_en: ClassVar[str]
    default_severity: ClassVar[Severity] = Severity.ERROR
    Options: ClassVar[type] = NoOptions

    def __init__(self, options: object | None = None) -> None:
        self.options = options if options is not None else self.Options()

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        raise NotImplementedError

    def diagnostic(
        self,
        *,
        message: str,
        message_en: str,
        location: Location,
        comparison: Comparison | None = None,
        related: tuple[Related, ...] = (),
        relation: Relation | None = None,
    ) -> Diagnostic:
        """A Diagnostic of this rule, with the numbers of ``comparison`` in its fields and the
        failed ``relation`` (its form and operands) for diagnosis to search around."""
        return Diagnostic(
            code=self.code,
            rule=self.name,
            severity=self.default_severity,
            message=message,
            message_en=message_en,
            location=location,
            stated=comparison.stated if comparison else None,
            expected=comparison.expected if comparison else None,
            difference=comparison.difference if comparison else None,
            tolerance=comparison.tolerance if comparison else None,
            related=related,
            relation=relation,
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    """A stated figure that does not overlap its recomputed interval."""

    stated: Decimal
    expected: Decimal
    difference: Decimal
    tolerance: Decimal


def compare(
    stated: Quantity,
    recomputed: Interval,
    absolute_tolerance: Decimal = Decimal(0),
    stated_interval: Interval | None = None,
) -> Comparison | None:
    """None when the stated figure can be the recomputed one; else the Comparison that fails.

    The stated figure's rounding interval (or ``stated_interval``, when the caller has converted
    it, e.g. a percentage to a fraction) is widened by ``absolute_tolerance`` and must overlap the
    recomputed interval, whose width comes from propagating every operand's rounding interval.
    """
    stated_range = stated_interval if stated_interval is not None else stated.interval
    if stated_range.widened(absolute_tolerance).overlaps(recomputed):
        return None
    expected = recomputed.mid
    tolerance = stated_range.radius + recomputed.radius + absolute_tolerance
    return Comparison(
        stated=stated_range.mid,
        expected=expected,
        difference=stated_range.mid - expected,
        tolerance=tolerance,
    )


def format_decimal(value: Decimal, decimals: int = 2) -> str:
    """A figure as a reviewer writes it: thousands separators, ``decimals`` places."""
    quantized = value.quantize(Decimal(1).scaleb(-decimals)) if decimals >= 0 else value
    return f"{quantized:,}"
