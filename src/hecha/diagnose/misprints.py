"""Explanations by one misprinted figure: the stated figure or one operand was printed with the
wrong sign (sign-flip), two adjacent digits swapped (transposition), a factor of 10^4, 10^8 or
1000 (unit-slip: 元/万元/亿元/千元), a factor of 10 or 100 (decimal-shift), or one wrong digit
(typo). Each is tested by reading the figure as intended and recomputing the relation.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from hecha.diagnose.candidate import Candidate, show
from hecha.diagnose.problem import Figure, Problem, around, digit_string, from_digits, informative, needed
from hecha.model.diagnostic import Related
from hecha.model.quantity import Interval

# printed = intended × 10^k
UNIT_POWERS = (4, -4, 8, -8, 3, -3)
DECIMAL_POWERS = (1, -1, 2, -2)
# Digit explanations need a figure with enough digits that a chance fit is unlikely.
MIN_DIGITS_FOR_DIGIT_KINDS = 3
# When the values a figure could have held span more printed values than this, digit kinds are
# not searched: such a wide range would fit some digit change by chance.
MAX_GRID_POINTS = 20
# A swap counts when the relation pins its figure down to this share of the spacing between the
# swaps of its place (see _transpositions).
SWAP_SPACING_SHARE = Decimal("0.25")


def misprint_candidates(problem: Problem, percent: bool) -> Iterator[Candidate]:
    for figure in (problem.stated, *problem.operands):
        if figure.value == 0 or figure.significant_digits < 2:
            continue
        yield from _figure_candidates(problem, figure, percent)


def _variants(figure: Figure) -> Iterator[tuple[str, Interval, str, str]]:
    """(kind, intended interval, zh note, en note) for the non-digit misprints of ``figure``."""
    h = figure.half_ulp
    yield "sign-flip", around(-figure.value, h), "符号相反", "opposite sign"
    for power, kind in [(p, "unit-slip") for p in UNIT_POWERS] + [
        (p, "decimal-shift") for p in DECIMAL_POWERS
    ]:
        factor = Decimal(1).scaleb(power)
        intended = figure.value / factor
        radius = max(h, h / factor)
        yield kind, around(intended, radius), f"相差 10^{power} 倍", f"off by a factor of 10^{power}"


def _digit_variants(figure: Figure, target: Interval | None) -> Iterator[tuple[str, Interval, Decimal]]:
    """(kind, intended interval, intended value) for a typo of ``figure``.

    With ``target`` known, only the printed values inside it are compared digit by digit;
    otherwise every one-digit change is proposed.
    """
    if figure.significant_digits < MIN_DIGITS_FOR_DIGIT_KINDS:
        return
    h = figure.half_ulp
    digits = digit_string(figure.value, figure.decimals)
    negative = figure.value < 0
    if target is not None:
        ulp = h * 2
        low = ((target.low - h) / ulp).to_integral_value(rounding="ROUND_CEILING")
        high = ((target.high + h) / ulp).to_integral_value(rounding="ROUND_FLOOR")
        if high - low + 1 > MAX_GRID_POINTS or high < low:
            return
        for step in range(int(low), int(high) + 1):
            value = Decimal(step) * ulp
            other = digit_string(value, figure.decimals).zfill(len(digits))
            if (value < 0) != negative or len(other) != len(digits):
                continue
            if _digit_kind(digits, other) == "typo":
                yield "typo", around(value, h), value
        return
    for position, digit in enumerate(digits):
        for replacement in "0123456789":
            if replacement == digit or (position == 0 and replacement == "0"):
                continue
            value = from_digits(
                digits[:position] + replacement + digits[position + 1 :], figure.decimals, negative
            )
            yield "typo", around(value, h), value


def swaps(figure: Figure) -> Iterator[tuple[Decimal, int]]:
    """(intended value, m) for every swap of two adjacent different digits of ``figure`` (the
    leading digit becomes 0 only as the units digit: 4.08 → 0.48); m is the two digits'
    difference, so the swap moves the figure by 9 × |m| × the lower digit's place."""
    if figure.significant_digits < MIN_DIGITS_FOR_DIGIT_KINDS:
        return
    digits = digit_string(figure.value, figure.decimals).lstrip("0")
    negative = figure.value < 0
    for position in range(len(digits) - 1):
        high, low = digits[position], digits[position + 1]
        integer_digits = len(digits) - max(figure.decimals, 0)
        if high == low or (position == 0 and low == "0" and integer_digits != 1):
            continue
        swapped = digits[:position] + low + high + digits[position + 2 :]
        yield from_digits(swapped, figure.decimals, negative), int(low) - int(high)


def _transpositions(
    problem: Problem, figure: Figure, target: Interval | None, percent: bool
) -> Iterator[Candidate]:
    """Adjacent-digit swaps of ``figure`` that reproduce the stated figure.

    A swap at one place moves the figure by 9 × m × place (m the digits' difference): the swaps
    of one place are 9 places apart. A swap counts only when the relation pins the figure down
    to within a quarter of that spacing (``SWAP_SPACING_SHARE``), so that the miss names one
    digit pair and not any of its neighbours.

    For a linear relation the figure's needed value is known exactly from the printed figures
    (``target``): the swap must land within ``Problem.slack`` of it (and inside the rounding
    interval), since totals are normally the sum of the printed items. Otherwise the
    relation is recomputed with the swapped figure and must meet the stated figure.
    """
    for value, difference in swaps(figure):
        shift = figure.value - value
        spacing = abs(shift) / abs(difference)
        if target is not None:
            slack = target.radius + figure.half_ulp
            if problem.exact:
                slack = min(slack, problem.slack)
            if abs(value - target.mid) > slack or slack > SWAP_SPACING_SHARE * spacing:
                continue
            result = (
                problem.expected
                if figure.index < 0
                else problem.with_operand(figure.index, around(value, figure.half_ulp))
            )
        else:
            result = problem.with_operand(figure.index, around(value, figure.half_ulp))
            if result is None or not result.overlaps(problem.stated.interval):
                continue
            window = result.radius + problem.stated.half_ulp
            moved = abs(result.mid - problem.expected.mid) / abs(difference)
            if window > SWAP_SPACING_SHARE * moved:
                continue
        if result is None:
            continue
        yield _candidate(
            problem,
            figure,
            "transposition",
            value,
            result,
            "相邻两位数字互换",
            "two adjacent digits swapped",
            percent,
        )


def _digit_kind(printed: str, intended: str) -> str | None:
    differing = [i for i, (a, b) in enumerate(zip(printed, intended, strict=True)) if a != b]
    if len(differing) == 1:
        return "typo"
    if (
        len(differing) == 2
        and differing[1] == differing[0] + 1
        and printed[differing[0]] == intended[differing[1]]
        and printed[differing[1]] == intended[differing[0]]
    ):
        return "transposition"
    return None


def _figure_candidates(problem: Problem, figure: Figure, percent: bool) -> Iterator[Candidate]:
    target = needed(problem, figure)
    proposals: list[tuple[str, Interval, Decimal, str, str]] = [
        (kind, interval, interval.mid, zh, en) for kind, interval, zh, en in _variants(figure)
    ]
    for kind, interval, value in _digit_variants(figure, target):
        proposals.append((kind, interval, value, "仅一位数字不同", "one digit different"))
    yield from _transpositions(problem, figure, target, percent)
    for kind, intended, value, note_zh, note_en in proposals:
        shift = figure.value - value
        if target is not None:
            if not _fits_target(problem, intended, target, shift):
                continue
            result = problem.expected if figure.index < 0 else problem.with_operand(figure.index, intended)
        else:
            result = problem.with_operand(figure.index, intended)
            if result is None or not problem.reproduces(result, result.mid - problem.expected.mid):
                continue
        if result is None:
            continue
        yield _candidate(problem, figure, kind, value, result, note_zh, note_en, percent)


def _fits_target(problem: Problem, intended: Interval, target: Interval, shift: Decimal) -> bool:
    """``intended`` lies in the values the figure needed, tightly enough for ``shift``; for an
    exact relation, within its slack of the value the printed figures need (see
    ``Problem.reproduces``)."""
    if not intended.overlaps(target):
        return False
    if informative(intended.radius + target.radius, shift):
        return True
    return (
        problem.exact
        and informative(problem.slack, shift)
        and abs(intended.mid - target.mid) <= problem.slack
    )


def _candidate(
    problem: Problem,
    figure: Figure,
    kind: str,
    intended: Decimal,
    result: Interval,
    note_zh: str,
    note_en: str,
    percent: bool,
) -> Candidate:
    stated = problem.stated
    stated_text = show(stated.value, stated.decimals, percent)
    recomputed = show(result.mid, stated.decimals, percent)
    printed = show(figure.value, figure.decimals)
    if kind in ("unit-slip", "decimal-shift"):
        intended_text = _plain(intended, figure.decimals)
    else:
        intended_text = show(intended, figure.decimals)
    cause_zh = {
        "sign-flip": "符号可能有误",
        "transposition": "可能在录入时相邻两位数字颠倒",
        "unit-slip": "可能存在单位换算错误（元/千元/万元/亿元）",
        "decimal-shift": "可能小数点位置错误",
        "typo": "可能有一位数字录入错误",
    }[kind]
    cause_en = {
        "sign-flip": "may have the wrong sign",
        "transposition": "may have two adjacent digits transposed",
        "unit-slip": "may carry a unit slip (元/千元/万元/亿元)",
        "decimal-shift": "may have its decimal point misplaced",
        "typo": "may have one mistyped digit",
    }[kind]
    if figure.index < 0:
        sentence = f"列示数 {stated_text} {cause_zh}：按公式计算为 {recomputed}，与列示数{note_zh}"
        sentence_en = (
            f"The stated figure {stated_text} {cause_en}: the relation gives {recomputed}, "
            f"which differs from it by {note_en}"
        )
        label = "列示数"
    else:
        sentence = (
            f"「{figure.label}」一项{cause_zh}：列示 {printed}，按 {intended_text}（{note_zh}）"
            f"重新计算为 {recomputed}，与列示数 {stated_text} 一致"
        )
        sentence_en = (
            f'"{figure.label}" {cause_en}: printed {printed}; read as {intended_text} ({note_en}) '
            f"the relation gives {recomputed}, as stated ({stated_text})"
        )
        label = figure.label
    return Candidate(kind, (Related(figure.location, label),), sentence, sentence_en)


def _plain(value: Decimal, decimals: int) -> str:
    """An intended figure after a scale slip, without trailing zeros beyond the printed decimals."""
    quantized = value.quantize(Decimal(1).scaleb(-decimals)) if abs(value) >= 1 else value.normalize()
    return f"{quantized:,}"
