"""A failed relation in the shape the diagnosis search works on.

The stated figure and every operand become a ``Figure`` (printed value, decimals, rounding
interval, label). ``Problem.evaluate`` recomputes the relation over any choice of operand
intervals, so that each candidate explanation is tested the same way the rule tested the
original: by whether its interval meets the stated figure's rounding interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from hecha.ingest.numbers import parse_quantity
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Location
from hecha.model.quantity import Interval, interval_median, interval_sum

ONE = Decimal(1)

# A candidate counts only when it pins the stated figure down much more tightly than the miss it
# explains: the fit window (rounding widths) must be at most this share of the shift the
# candidate makes. Below that, wide intervals (tiny figures, many rounded operands) would let
# some candidate fit by chance.
MAX_WINDOW_SHARE = Decimal("0.02")
_EXACT_FORMS = (RelationForm.SUM, RelationForm.DIFFERENCE, RelationForm.EQUAL)


@dataclass(frozen=True, slots=True)
class Figure:
    """A printed figure of the relation: the stated one (``index`` -1) or operand ``index``."""

    index: int
    location: Location
    label: str
    value: Decimal
    decimals: int
    role: str = "stated"
    sign: int = 1

    @property
    def half_ulp(self) -> Decimal:
        return Decimal(5).scaleb(-(self.decimals + 1))

    @property
    def interval(self) -> Interval:
        return around(self.value, self.half_ulp)

    @property
    def significant_digits(self) -> int:
        """Digits printed from the first non-zero one (0.05 has 1, 149,204,899.98 has 11)."""
        digits = digit_string(self.value, self.decimals).lstrip("0")
        return len(digits)


def around(value: Decimal, radius: Decimal) -> Interval:
    return Interval(value - radius, value + radius)


def digit_string(value: Decimal, decimals: int) -> str:
    """The printed digits of |value| at ``decimals`` places, without the point: 1,234.5 → "12345"."""
    quantized = abs(value).quantize(Decimal(1).scaleb(-decimals)) if decimals >= 0 else abs(value)
    return format(quantized, "f").replace(".", "")


def from_digits(digits: str, decimals: int, negative: bool) -> Decimal:
    magnitude = Decimal(int(digits)).scaleb(-decimals)
    return -magnitude if negative else magnitude


@dataclass(frozen=True)
class Problem:
    """The failed relation: its form and scale, the stated figure, the operands, and the
    recomputed interval ``expected`` (which misses the stated figure's interval)."""

    form: RelationForm
    scale: Decimal
    stated: Figure
    operands: tuple[Figure, ...]
    expected: Interval
    negative_prior_signed: bool = False

    def evaluate(self, intervals: Sequence[Interval]) -> Interval | None:
        """The relation recomputed over ``intervals`` (one per operand, in order)."""
        return evaluate(self.form, self.operands, intervals, self.scale, self.negative_prior_signed)

    def with_operand(self, index: int, replacement: Interval) -> Interval | None:
        """The relation recomputed with operand ``index`` read as ``replacement`` (and every other
        term standing at the same cell: a share of the sum of the items has its part twice)."""
        place = self.operands[index].location
        intervals = list(self.intervals)
        for position, operand in enumerate(self.operands):
            if position == index or operand.location == place:
                intervals[position] = replacement
        return self.evaluate(intervals)

    @cached_property
    def intervals(self) -> tuple[Interval, ...]:
        """The operands' rounding intervals, in order (computed once: the search recomputes the
        relation for every candidate)."""
        return tuple(operand.interval for operand in self.operands)

    def role(self, name: str) -> Figure | None:
        return next((operand for operand in self.operands if operand.role == name), None)

    def reproduces(self, candidate: Interval, shift: Decimal) -> bool:
        """``candidate`` meets the stated figure, and tightly enough for ``shift`` (how far the
        candidate moved the result) not to be a coincidence of wide intervals.

        A sum of printed figures is normally exact, so it also counts when its recomputed value
        lands within ``slack`` of the printed one and that slack is small beside the shift:
        a sum of many rounded items has a wide interval but no wide error."""
        if not candidate.overlaps(self.stated.interval):
            return False
        window = candidate.radius + self.stated.interval.radius
        if informative(window, shift):
            return True
        return (
            self.exact
            and informative(self.slack, shift)
            and abs(candidate.mid - self.stated.value) <= self.slack
        )

    @property
    def exact(self) -> bool:
        """The relation is normally exact in the printed figures (a footing, a difference, a
        restatement), not rounded like a mean or a ratio."""
        return self.form in _EXACT_FORMS and self.scale == ONE

    @property
    def slack(self) -> Decimal:
        """How far an exact relation may stand off its printed figures without an error: one unit
        of the last digit of its coarsest figure (a total of rounded items may be off by that)."""
        return max(figure.half_ulp for figure in (self.stated, *self.operands)) * 2


def informative(window: Decimal, shift: Decimal) -> bool:
    return informative_within(window, shift, MAX_WINDOW_SHARE)


def informative_within(window: Decimal, shift: Decimal, share: Decimal) -> bool:
    """The fit window is at most ``share`` of the shift the candidate makes."""
    return shift != 0 and window <= share * abs(shift)


def _by_role(
    operands: Sequence[Figure], intervals: Sequence[Interval], *roles: str
) -> tuple[Interval, ...] | None:
    """The intervals of the operands playing ``roles`` (in that order), else the first ones."""
    found: list[Interval] = []
    for position, role in enumerate(roles):
        match = next((iv for op, iv in zip(operands, intervals, strict=True) if op.role == role), None)
        if match is None:
            if len(intervals) != len(roles):
                return None
            match = intervals[position]
        found.append(match)
    return tuple(found)


def _ratio(operands: Sequence[Figure], intervals: Sequence[Interval]) -> Interval | None:
    """Σ numerators / Σ denominators (a share of the sum of the items has one denominator per
    item); two unlabelled operands are numerator and denominator in that order."""
    numerators = [iv for op, iv in zip(operands, intervals, strict=True) if op.role == "numerator"]
    denominators = [iv for op, iv in zip(operands, intervals, strict=True) if op.role == "denominator"]
    if not numerators or not denominators:
        pair = _by_role(operands, intervals, "numerator", "denominator")
        return pair[0] / pair[1] if pair else None
    return interval_sum(numerators) / interval_sum(denominators)


def relative_change(current: Interval, prior: Interval, signed: bool) -> Interval | None:
    """(c − p) / |p| as ±(c / p − 1), so that the prior's rounding is counted once."""
    quotient = current / prior
    if quotient is None:
        return None
    one = Interval.exact(ONE)
    return quotient - one if signed or prior.low > 0 else one - quotient


def evaluate(
    form: RelationForm,
    operands: Sequence[Figure],
    intervals: Sequence[Interval],
    scale: Decimal,
    negative_prior_signed: bool = False,
) -> Interval | None:
    """``form`` over ``intervals`` times ``scale``; None when a divisor may be zero."""
    result: Interval | None
    # Every form works on sign × value (a deduction printed positive, a cost with sign -1).
    intervals = [iv if op.sign >= 0 else -iv for op, iv in zip(operands, intervals, strict=True)]
    if form is RelationForm.SUM:
        result = interval_sum(intervals)
    elif form is RelationForm.MEAN:
        result = interval_sum(list(intervals)).scaled(ONE / len(intervals)) if intervals else None
    elif form is RelationForm.MEDIAN:
        result = interval_median(intervals) if intervals else None
    elif form is RelationForm.RATIO:
        result = _ratio(operands, intervals)
    elif form is RelationForm.CHANGE:
        pair = _by_role(operands, intervals, "current", "prior")
        result = relative_change(pair[0], pair[1], negative_prior_signed) if pair else None
    elif form is RelationForm.DIFFERENCE:
        pair = _by_role(operands, intervals, "current", "prior")
        result = pair[0] - pair[1] if pair else None
    elif form is RelationForm.MARGIN:
        pair = _by_role(operands, intervals, "revenue", "cost")
        quotient = pair[1] / pair[0] if pair else None
        result = Interval.exact(ONE) - quotient if quotient is not None else None
    elif form is RelationForm.PRODUCT:
        result = Interval.exact(ONE)
        for interval in intervals:
            result = result * interval
    else:  # EQUAL: the one term
        result = intervals[0] if intervals else None
    return result.scaled(scale) if result is not None else None


def _stated_figure(diagnostic: Diagnostic) -> Figure | None:
    """The stated figure in the relation's units, with the decimals it was printed with.

    Rules may give ``stated`` as a fraction for a printed percentage; the printed text decides
    the value's units and precision, ``stated`` its sign (增加/减少 words carry it in prose).
    """
    if diagnostic.stated is None:
        return None
    printed = parse_quantity(diagnostic.location.quote) if diagnostic.location.quote else None
    if printed is None:
        exponent = diagnostic.stated.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return Figure(-1, diagnostic.location, "列示数", diagnostic.stated, decimals)
    value = printed.value
    if diagnostic.stated != 0 and (diagnostic.stated < 0) != (value < 0):
        value = -value
    return Figure(-1, diagnostic.location, "列示数", value, max(printed.decimals, 0))


def _decimals(term: Term) -> int:
    return max(term.decimals, 0)


def build_problem(diagnostic: Diagnostic, labels: Sequence[str]) -> Problem | None:
    """The Problem of ``diagnostic``'s relation, or None when it cannot be searched: no relation
    or stated figure, or the relation as read here does not fail (then this reading is not the
    rule's, and any explanation built on it could be wrong)."""
    relation: Relation | None = diagnostic.relation
    stated = _stated_figure(diagnostic)
    if relation is None or stated is None or not relation.terms:
        return None
    operands = tuple(
        Figure(
            index=position,
            location=term.location,
            label=labels[position],
            value=term.value,
            decimals=_decimals(term),
            role=term.role,
            sign=-1 if term.sign < 0 else 1,
        )
        for position, term in enumerate(relation.terms)
    )
    readings = [False, True] if relation.form is RelationForm.CHANGE else [False]
    best: Problem | None = None
    for signed in readings:
        expected = evaluate(relation.form, operands, [op.interval for op in operands], relation.scale, signed)
        if expected is None or expected.overlaps(stated.interval):
            continue
        problem = Problem(relation.form, relation.scale, stated, operands, expected, signed)
        if best is None or _closer(problem, best, diagnostic):
            best = problem
    return best


def _closer(problem: Problem, other: Problem, diagnostic: Diagnostic) -> bool:
    """The reading whose recomputed value is nearer the rule's own ``expected``."""
    if diagnostic.expected is None:
        return False
    target = diagnostic.expected
    return abs(problem.expected.mid - target) < abs(other.expected.mid - target)


def subject(figure: Figure, label: str) -> Related:
    return Related(location=figure.location, label=label)


def needed(problem: Problem, figure: Figure) -> Interval | None:
    """The values ``figure`` could have held for the relation to reproduce the stated figure.

    For the stated figure that is the recomputed interval; for an operand of a linear relation
    (sum, mean, difference, restatement, unscaled) it is solved exactly; None for the others (then
    candidates are tested by recomputing the relation).
    """
    if figure.index < 0:
        return problem.expected
    if problem.scale != ONE:
        return None
    stated = problem.stated.interval
    others = [op for op in problem.operands if op.index != figure.index]
    if problem.form in (RelationForm.SUM, RelationForm.MEAN):
        target = (
            stated.scaled(Decimal(len(problem.operands))) if problem.form is RelationForm.MEAN else stated
        )
        rest = interval_sum([op.interval if op.sign >= 0 else -op.interval for op in others])
        own = target - rest
        return own if figure.sign >= 0 else -own
    if (
        problem.form is RelationForm.DIFFERENCE
        and len(problem.operands) == 2
        and others
        and all(op.sign >= 0 for op in problem.operands)
    ):
        other = others[0].interval
        return stated + other if figure.role == "current" or figure.index == 0 else other - stated
    if problem.form is RelationForm.EQUAL and len(problem.operands) == 1:
        return stated
    return None
