"""Interval arithmetic: the recomputed interval always contains the exact result of any operands
drawn from the operands' intervals (the property that makes rounding never a finding)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from hecha.model.quantity import Interval, Quantity, interval_sum
from hecha.rules.base import compare

values = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=3)
radii = st.decimals(min_value=0, max_value=10, allow_nan=False, allow_infinity=False, places=3)
fractions = st.decimals(min_value=0, max_value=1, allow_nan=False, allow_infinity=False, places=3)


@st.composite
def interval_and_member(draw: st.DrawFn) -> tuple[Interval, Decimal]:
    center, radius, position = draw(values), draw(radii), draw(fractions)
    interval = Interval(center - radius, center + radius)
    return interval, interval.low + (interval.high - interval.low) * position


@given(interval_and_member(), interval_and_member())
def test_operations_contain_pointwise_results(
    a: tuple[Interval, Decimal], b: tuple[Interval, Decimal]
) -> None:
    (ia, xa), (ib, xb) = a, b
    for result, exact in ((ia + ib, xa + xb), (ia - ib, xa - xb), (ia * ib, xa * xb)):
        assert result.low <= exact <= result.high
    quotient = ia / ib
    if quotient is None:
        assert ib.contains_zero()
    else:
        assume(xb != 0)
        assert quotient.low - Decimal("1e-20") <= xa / xb <= quotient.high + Decimal("1e-20")
    assert ia.abs().low <= abs(xa) <= ia.abs().high


@given(st.lists(interval_and_member(), min_size=1, max_size=8))
def test_sum_contains_sum_of_members(items: list[tuple[Interval, Decimal]]) -> None:
    total = interval_sum([interval for interval, _ in items])
    exact = sum((member for _, member in items), Decimal(0))
    assert total.low <= exact <= total.high


def test_rounding_difference_is_not_a_failure() -> None:
    # chengbang reply: 16,307.97 + 34,048.57 = 50,356.54, printed total 50,356.55 (note: 四舍五入差异).
    parts = [Quantity(Decimal("16307.97"), 2), Quantity(Decimal("34048.57"), 2)]
    recomputed = interval_sum([q.interval for q in parts])
    assert compare(Quantity(Decimal("50356.55"), 2), recomputed) is None


def test_real_difference_fails_with_numbers_in_fields() -> None:
    parts = [Quantity(Decimal("16307.97"), 2), Quantity(Decimal("34048.57"), 2)]
    recomputed = interval_sum([q.interval for q in parts])
    failure = compare(Quantity(Decimal("50456.55"), 2), recomputed)
    assert failure is not None
    assert failure.expected == Decimal("50356.54")
    assert failure.difference == Decimal("100.01")
    assert failure.tolerance == Decimal("0.015")


def test_absolute_tolerance_widens_never_narrows() -> None:
    stated = Quantity(Decimal("100.05"), 2)
    recomputed = Interval.exact(Decimal("100.00"))
    assert compare(stated, recomputed) is not None
    assert compare(stated, recomputed, absolute_tolerance=Decimal("0.05")) is None
