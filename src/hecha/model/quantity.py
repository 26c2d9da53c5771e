"""Stated numbers and the rounding intervals they stand for.

A figure printed with ``d`` decimals stands for every value within half a unit of its last
digit: ``12.34`` means ``[12.335, 12.345]``. Relations are checked on these intervals (the rounding
rule of XBRL Calculations 1.1), which is what keeps rounding differences from becoming findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Unit(StrEnum):
    """What a figure measures. Scale (元/万元/亿元) is kept apart, in ``Quantity.scale``."""

    NUMBER = "number"  # a plain figure; its currency or count unit comes from the table
    PERCENT = "percent"  # 10.07%
    PERCENT_POINT = "pp"  # 9.19个百分点
    CURRENCY = "currency"  # 3.36亿元, 万元, 元 stated next to the figure
    COUNT = "count"  # 236人, 12家, 5台
    MULTIPLE = "multiple"  # 1.5倍


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval of Decimals; the arithmetic propagates rounding bounds."""

    low: Decimal
    high: Decimal

    @staticmethod
    def exact(value: Decimal) -> Interval:
        return Interval(value, value)

    @property
    def mid(self) -> Decimal:
        return (self.low + self.high) / 2

    @property
    def radius(self) -> Decimal:
        return (self.high - self.low) / 2

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.low - other.high, self.high - other.low)

    def __neg__(self) -> Interval:
        return Interval(-self.high, -self.low)

    def __mul__(self, other: Interval) -> Interval:
        products = (
            self.low * other.low,
            self.low * other.high,
            self.high * other.low,
            self.high * other.high,
        )
        return Interval(min(products), max(products))

    def scaled(self, factor: Decimal) -> Interval:
        a, b = self.low * factor, self.high * factor
        return Interval(min(a, b), max(a, b))

    def contains_zero(self) -> bool:
        return self.low <= 0 <= self.high

    def __truediv__(self, other: Interval) -> Interval | None:
        """Quotient interval, or None when the divisor's interval contains zero (unbounded)."""
        if other.contains_zero():
            return None
        quotients = (
            self.low / other.low,
            self.low / other.high,
            self.high / other.low,
            self.high / other.high,
        )
        return Interval(min(quotients), max(quotients))

    def abs(self) -> Interval:
        if self.low >= 0:
            return self
        if self.high <= 0:
            return -self
        return Interval(Decimal(0), max(-self.low, self.high))

    def widened(self, by: Decimal) -> Interval:
        return Interval(self.low - by, self.high + by)

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high

    def distance(self, other: Interval) -> Decimal:
        """Gap between the two intervals (0 when they overlap)."""
        if self.overlaps(other):
            return Decimal(0)
        return other.low - self.high if other.low > self.high else self.low - other.high


def interval_sum(intervals: list[Interval] | tuple[Interval, ...]) -> Interval:
    total = Interval.exact(Decimal(0))
    for item in intervals:
        total = total + item
    return total


def interval_median(intervals: list[Interval] | tuple[Interval, ...]) -> Interval:
    """The median of figures known to their rounding (the mean of the two middle ones for an even
    count). The median is monotone in every figure, so its bounds are the medians of the bounds."""

    def middle(values: list[Decimal]) -> Decimal:
        values.sort()
        half = len(values) // 2
        return values[half] if len(values) % 2 else (values[half - 1] + values[half]) / 2

    return Interval(middle([i.low for i in intervals]), middle([i.high for i in intervals]))


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as the document states it.

    ``value`` is the printed number (``50356.55`` for "50,356.55万元", ``10.07`` for "10.07%"),
    ``decimals`` the number of digits printed after the point, ``scale`` the power of ten that
    turns the value into base units when a scale word is attached (万 → 4, 亿 → 8, 元 → 0; None
    when the figure itself names no scale and the table's unit applies), ``unit`` what it measures
    and ``text`` the original characters.
    """

    value: Decimal
    decimals: int
    unit: Unit = Unit.NUMBER
    scale: int | None = None
    text: str = ""

    @property
    def half_ulp(self) -> Decimal:
        return Decimal(5).scaleb(-(self.decimals + 1))

    @property
    def interval(self) -> Interval:
        """The values the printed figure can stand for."""
        h = self.half_ulp
        return Interval(self.value - h, self.value + h)

    @property
    def is_percent(self) -> bool:
        return self.unit in (Unit.PERCENT, Unit.PERCENT_POINT)

    def in_base_units(self, default_scale: int = 0) -> Interval:
        """Interval scaled to base units (元), using ``default_scale`` when none is attached."""
        scale = self.scale if self.scale is not None else default_scale
        return self.interval.scaled(Decimal(1).scaleb(scale))
