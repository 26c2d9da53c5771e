"""D002 schedule-mismatch: a row of a repayment or lease schedule (还款计划, 租金支付表) that breaks
payment = principal + interest, the balance roll-forward, or the interest formula the other rows
follow; and the effective annual rate implied by the schedule's cash flows next to a stated rate.

The day-count convention (actual days / 360, actual days / 365, or a fixed share per period) and
the nominal rate are not read from the document but inferred from the rows that agree: each row
gives an interval of rates compatible with its rounded figures, and the convention whose intervals
share a common rate across most rows wins. The effective rate is the IRR of the cash flows,
found by bisection in Decimals.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from hecha.extract.roles import AnalyzedTable, ColumnKind, Row, RowKind
from hecha.ingest.numbers import normalize, squeezed
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Severity, Term
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Unit
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
from hecha.rules.registry import register

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_STATED_RATE = re.compile(
    r"(?P<kind>实际|名义|内含|年化)?\s*(?:年)?(?:利率|费率|报酬率|收益率|IRR)\s*(?:为|是|：|:)?\s*(?P<value>\d+(?:\.\d+)?)\s*[%％]"
)


@dataclass(frozen=True, slots=True)
class ScheduleColumns:
    """Positions (in ``AnalyzedTable.columns``) of a schedule's columns; None when absent."""

    payment: int | None
    principal: int | None
    interest: int | None
    opening: int | None
    closing: int | None


def _header(text: str) -> str:
    return squeezed(text)


def schedule_columns(table: AnalyzedTable) -> ScheduleColumns | None:
    """The columns of a repayment or lease schedule, or None when the table is not one: it needs
    a principal column and an interest or balance column, each found exactly once."""
    found: dict[str, list[int]] = {
        "payment": [],
        "principal": [],
        "interest": [],
        "opening": [],
        "closing": [],
    }
    for position, column in enumerate(table.columns):
        if column.kind is not ColumnKind.AMOUNT:
            continue
        header = _header(column.header)
        if "其中" in header:
            continue
        balance = "余额" in header or "剩余" in header or "未偿" in header or "未还" in header
        if balance:
            opening = any(word in header for word in ("期初", "初始", "期前", "本期开始"))
            found["opening" if opening else "closing"].append(position)
        elif (
            "本息" in header
            or "租金" in header
            or "月供" in header
            or (
                ("还款" in header or "支付" in header or "偿还" in header)
                and "本金" not in header
                and "利息" not in header
            )
        ):
            found["payment"].append(position)
        elif "本金" in header:
            found["principal"].append(position)
        elif "利息" in header or "租息" in header or "融资费用" in header:
            found["interest"].append(position)
    if any(len(positions) > 1 for positions in found.values()):
        return None
    columns = ScheduleColumns(
        **{key: positions[0] if positions else None for key, positions in found.items()}
    )
    if columns.principal is None or (columns.interest is None and columns.closing is None):
        return None
    return columns


def row_date(table: AnalyzedTable, row: Row) -> date | None:
    """The date a schedule row prints (2024-04-15, 2024/4/15, 2024年4月15日, 2024.04.15)."""
    for cell in table.table.rows[row.index]:
        match = _DATE.search(normalize(cell.text))
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None
    return None


@dataclass(frozen=True, slots=True)
class _Line:
    """One schedule row: its figures (None when not printed) and its date."""

    row: Row
    when: date | None
    payment: Cell | None
    principal: Cell | None
    interest: Cell | None
    opening: Cell | None
    closing: Cell | None


def _figure(row: Row, position: int | None) -> Cell | None:
    if position is None:
        return None
    cell = row.cells[position]
    if cell is None or cell.quantity is None or cell.quantity.unit not in (Unit.NUMBER, Unit.CURRENCY):
        return None
    return cell


def _value(cell: Cell | None) -> Interval | None:
    if cell is None or cell.quantity is None:
        return None
    return cell.quantity.interval


@dataclass(frozen=True, slots=True)
class _Check:
    """A relation at one row: ``target`` = Σ sign × terms. ``family`` groups rows that vouch
    for each other."""

    family: str
    line: int
    target: Cell
    terms: tuple[tuple[Cell, int], ...]
    recomputed: Interval
    comparison: Comparison | None
    formula: str
    # For interest checks: rate × accrual fraction, the multiplier of the basis cells (the fitted
    # rate and the day count are read from no cell, so they are no operand).
    factor: Decimal | None = None

    @property
    def held(self) -> bool:
        return self.comparison is None

    @property
    def informative(self) -> bool:
        figures = [self.target.quantity, *(c.quantity for c, _ in self.terms)]
        return sum(1 for q in figures if q is not None and q.value != 0) >= 2


@dataclass(frozen=True, slots=True)
class Convention:
    """How interest accrues per row: ``basis`` days per year (360, 365) with actual days, or
    0 for a fixed share per period (the rate is then the periodic rate)."""

    basis: int

    def fraction(self, days: int | None) -> Decimal | None:
        if self.basis == 0:
            return Decimal(1)
        if days is None or days <= 0:
            return None
        return Decimal(days) / Decimal(self.basis)

    @property
    def words(self) -> tuple[str, str]:
        if self.basis == 0:
            return ("按期计息（每期利率相同）", "a fixed rate per period")
        return (f"实际天数/{self.basis}", f"actual days/{self.basis}")


CONVENTIONS = (Convention(360), Convention(365), Convention(0))


@dataclass(frozen=True, slots=True)
class RateFit:
    """The rate a convention gives to most rows: the common interval, the rows that agree and
    those that do not."""

    convention: Convention
    low: Decimal
    high: Decimal
    agreeing: tuple[int, ...]
    disagreeing: tuple[int, ...]

    @property
    def rate(self) -> Decimal:
        return (self.low + self.high) / 2


def fit_rate(rates: Sequence[tuple[int, Interval]], convention: Convention) -> RateFit | None:
    """The rate shared by most of the row intervals (a sweep over their ends)."""
    if not rates:
        return None
    events: list[tuple[Decimal, int]] = []
    for _, interval in rates:
        events.append((interval.low, 0))  # opening before closing at the same point
        events.append((interval.high, 1))
    events.sort()
    depth = best = 0
    best_low = best_high = Decimal(0)
    for index, (point, kind) in enumerate(events):
        if kind == 0:
            depth += 1
            if depth > best:
                best = depth
                best_low = point
                best_high = next(p for p, k in events[index:] if k == 1)
        else:
            depth -= 1
    agreeing = tuple(i for i, r in rates if r.low <= best_high and best_low <= r.high)
    disagreeing = tuple(i for i, _ in rates if i not in agreeing)
    return RateFit(convention, best_low, best_high, agreeing, disagreeing)


def _roundest(low: Decimal, high: Decimal) -> tuple[int, Decimal] | None:
    """The number in [low, high] with the fewest decimals (up to 8), with that count."""
    for decimals in range(9):
        step = Decimal(1).scaleb(-decimals)
        candidate = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
        if candidate <= high:
            return decimals, candidate
    return None


def _preference(fit: RateFit, stated: Decimal | None) -> tuple[int, int, int]:
    """Sort key among equally supported fits: the stated rate inside, then roundness, then order."""
    contains_stated = stated is not None and fit.convention.basis != 0 and fit.low <= stated <= fit.high
    roundest = _roundest(fit.low, fit.high)
    return (0 if contains_stated else 1, roundest[0] if roundest else 99, CONVENTIONS.index(fit.convention))


def _rounded(fit: RateFit) -> RateFit:
    """The fit narrowed to its roundest rate (4.35% rather than the midpoint 4.3500012%)."""
    roundest = _roundest(fit.low, fit.high)
    if roundest is None or roundest[0] > 6:
        return fit
    return RateFit(fit.convention, roundest[1], roundest[1], fit.agreeing, fit.disagreeing)


def effective_annual_rate(flows: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """The annual rate r at which Σ amount / (1 + r)^(years) = 0 over ``flows`` of (years from
    the first flow, amount), by bisection; None when the flows do not change sign once."""
    if len(flows) < 2:
        return None
    with localcontext() as context:
        context.prec = 34

        def present_value(rate: Decimal) -> Decimal:
            log = (1 + rate).ln()
            return sum((amount / (years * log).exp() for years, amount in flows), Decimal(0))

        low, high = Decimal("-0.99"), Decimal(10)
        low_value, high_value = present_value(low), present_value(high)
        if low_value == 0 or (low_value > 0) == (high_value > 0):
            return None
        for _ in range(200):
            middle = (low + high) / 2
            value = present_value(middle)
            if (value > 0) == (low_value > 0):
                low, low_value = middle, value
            else:
                high = middle
            if high - low < Decimal("1e-12"):
                break
        return (low + high) / 2


def _percent(rate: Decimal, decimals: int = 4) -> str:
    return f"{(rate * 100).quantize(Decimal(1).scaleb(-decimals))}%"


@register
class ScheduleMismatch(Rule):
    """A row of a repayment or lease schedule that breaks the arithmetic the other rows follow.

    What it checks:
        Tables with a principal column (本金) and an interest (利息、租息) or balance (余额、剩余本金)
        column, one row per payment: payment = principal + interest; closing balance = opening −
        principal; a row's opening balance = the previous row's closing one; interest = opening
        balance × nominal rate × days / 360 (or / 365, between the row dates, or a fixed share per
        period). The convention and the rate are inferred from the rows that agree. When the table's
        title or the text above it states a rate, the nominal rate and the effective annual rate of
        the cash flows (IRR) are reported beside it, saying which one the stated rate is.

    Why it matters:
        Schedules attached to loan and finance-lease disclosures back the interest expense and the
        maturity analysis; a row typed wrong changes both, and a stated "annual rate" that is
        neither the nominal nor the effective one misleads the reader about the cost of funds.

    Failing example:
        | 期数 | 还款日 | 期初本金余额 | 还款金额 | 偿还本金 | 支付利息 | 期末本金余额 |
        rows 2-4 accrue 4.35% × actual days / 360 on the opening balance; row 3 prints interest
        88,393.33 where 8,000,000.00 × 4.35% × 92 / 360 = 88,933.33: row 3 is reported.

    Passing example:
        The same schedule with 88,933.33; interest rounded to the cent on every row is explained
        by the rate interval all rows share. A stated 年利率 4.44% equal to the schedule's IRR is an
        effective rate, reported as information, not as an error.

    Options:
        absolute_tolerance: an extra allowance added to the rounding interval (default 0).
        min_support: rows that must agree on a relation (or a rate) before a row breaking it is
        reported (default 3).
        min_share: share of the rows that must agree (default 0.75).
    """

    code = "D002"
    name = "schedule-mismatch"
    summary = "还款计划或租金支付表中某期本金、利息、还款额或余额与其他各期遵循的计算关系不符"
    summary_en = "A row of a repayment or lease schedule breaks the arithmetic the other rows follow"
    default_severity = Severity.ERROR

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)
        min_support: int = 3
        min_share: float = 0.75

    options: Options

    _periods_per_year: Decimal | None = None

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for table in ctx.tables:
            columns = schedule_columns(table)
            if columns is None:
                continue
            self._periods_per_year = _stated_frequency(table)
            lines = [
                _Line(
                    row,
                    row_date(table, row),
                    _figure(row, columns.payment),
                    _figure(row, columns.principal),
                    _figure(row, columns.interest),
                    _figure(row, columns.opening),
                    _figure(row, columns.closing),
                )
                for row in table.rows
                if row.kind is RowKind.ITEM
            ]
            if sum(1 for line in lines if line.principal is not None) < 2:
                continue
            yield from self._check_schedule(ctx, table, lines)

    # --- relations ------------------------------------------------------------------------

    def _sum(
        self,
        family: str,
        index: int,
        target: Cell | None,
        terms: Sequence[tuple[Cell | None, int]],
        formula: str,
    ) -> _Check | None:
        if target is None or target.quantity is None or any(cell is None for cell, _ in terms):
            return None
        total = Interval.exact(Decimal(0))
        for cell, sign in terms:
            value = _value(cell)
            assert value is not None
            total = total + value if sign > 0 else total - value
        comparison = compare(target.quantity, total, self.options.absolute_tolerance)
        kept = tuple((cell, sign) for cell, sign in terms if cell is not None)
        return _Check(family, index, target, kept, total, comparison, formula)

    def _opening(self, lines: Sequence[_Line], index: int) -> Cell | None:
        line = lines[index]
        if line.opening is not None:
            return line.opening
        return lines[index - 1].closing if index > 0 else None

    def _check_schedule(
        self, ctx: RuleContext, table: AnalyzedTable, lines: Sequence[_Line]
    ) -> Iterator[Diagnostic]:
        checks: list[_Check] = []
        for index, line in enumerate(lines):
            found = [
                self._sum(
                    "payment",
                    index,
                    line.payment,
                    [(line.principal, 1), (line.interest, 1)],
                    "还款额 = 本金 + 利息",
                ),
                self._sum(
                    "balance",
                    index,
                    line.closing,
                    [(self._opening(lines, index), 1), (line.principal, -1)],
                    "期末余额 = 期初余额 − 本金",
                ),
            ]
            if index > 0 and line.opening is not None:
                found.append(
                    self._sum(
                        "carry",
                        index,
                        line.opening,
                        [(lines[index - 1].closing, 1)],
                        "期初余额 = 上期期末余额",
                    )
                )
            checks.extend(c for c in found if c is not None)
        stated = _stated_rate(table)
        fit, interest_checks = self._interest(lines, stated[1] / 100 if stated is not None else None)
        checks.extend(interest_checks)
        irr = self._irr(lines)
        yield from self._judge(ctx, table, lines, checks, fit, irr)
        if stated is not None and fit is not None:
            info = self._rate_note(table, lines, fit, irr, stated)
            if info is not None:
                yield info

    def _interest(
        self, lines: Sequence[_Line], stated: Decimal | None
    ) -> tuple[RateFit | None, list[_Check]]:
        """The convention and rate most rows share, and each row's interest checked against it."""
        fits: list[RateFit] = []
        for convention in CONVENTIONS:
            rates: list[tuple[int, Interval]] = []
            for index, line in enumerate(lines):
                opening, fraction = self._accrual(lines, index, convention)
                interest = _value(line.interest)
                if opening is None or fraction is None or interest is None or opening.low <= 0:
                    continue
                rate = interest / opening.scaled(fraction)
                quantity = line.interest.quantity if line.interest is not None else None
                if rate is not None and quantity is not None and quantity.value != 0:
                    rates.append((index, rate))
            fit = fit_rate(rates, convention)
            if fit is not None:
                fits.append(fit)
        if not fits:
            return None, []
        # Rows cannot tell actual/360 from actual/365 (nor, with equal periods, from a fixed share
        # per period): only rate / basis shows. Among the conventions that fit as many rows, the
        # one that makes the stated rate, or else the roundest rate, is taken.
        most = max(len(fit.agreeing) for fit in fits)
        tied = [fit for fit in fits if len(fit.agreeing) == most]
        best = min(tied, key=lambda fit: _preference(fit, stated))
        best = _rounded(best)
        support = len(best.agreeing)
        options = self.options
        if support < options.min_support or support < options.min_share * (support + len(best.disagreeing)):
            return None, []
        checks = []
        for index in (*best.agreeing, *best.disagreeing):
            line = lines[index]
            opening_cell = self._opening(lines, index)
            opening, fraction = self._accrual(lines, index, best.convention)
            assert opening is not None and fraction is not None and line.interest is not None
            assert line.interest.quantity is not None
            # The first row of a schedule without an opening column lends closing + principal.
            basis_cells = (
                ((opening_cell, 1),)
                if opening_cell is not None
                else tuple((cell, 1) for cell in (line.closing, line.principal) if cell is not None)
            )
            recomputed = opening.scaled(fraction) * Interval(best.low, best.high)
            comparison = compare(line.interest.quantity, recomputed, options.absolute_tolerance)
            words = best.convention.words[0]
            formula = f"利息 = 期初余额 × {_percent(best.rate)} × {words}"
            factor = fraction * best.rate
            checks.append(
                _Check("interest", index, line.interest, basis_cells, recomputed, comparison, formula, factor)
            )
        return best, checks

    def _accrual(
        self, lines: Sequence[_Line], index: int, convention: Convention
    ) -> tuple[Interval | None, Decimal | None]:
        opening = _value(self._opening(lines, index))
        if opening is None and index == 0:
            closing, principal = _value(lines[0].closing), _value(lines[0].principal)
            opening = closing + principal if closing is not None and principal is not None else None
        days = None
        when = lines[index].when
        previous = lines[index - 1].when if index > 0 else None
        if when is not None and previous is not None:
            days = (when - previous).days
        return opening, convention.fraction(days)

    # --- effective rate -------------------------------------------------------------------

    def _irr(self, lines: Sequence[_Line]) -> Decimal | None:
        """The effective annual rate of the cash flows: the first opening balance lent on the
        drawdown date (a row with a balance and no payment, or one period before the first
        payment when the periods are regular), the payments, and what is still owed at the end."""
        paying = [line for line in lines if line.payment is not None or line.principal is not None]
        dated = [line for line in paying if line.when is not None]
        if not dated and self._periods_per_year is not None and len(paying) >= 2:
            return self._periodic_irr(lines, paying, self._periods_per_year)
        if len(dated) != len(paying) or len(paying) < 2:
            return None
        first_index = lines.index(paying[0])
        opening = _value(self._opening(lines, first_index))
        if opening is None:
            first = paying[0]
            closing, principal = _value(first.closing), _value(first.principal)
            if closing is None or principal is None:
                return None
            opening = closing + principal
        start = lines[first_index - 1].when if first_index > 0 else None
        if start is None:
            gaps = [(b.when - a.when).days for a, b in itertools.pairwise(paying) if a.when and b.when]
            if not gaps or max(gaps) - min(gaps) > 3:
                return None
            start_ordinal = (
                paying[0].when.toordinal() - sorted(gaps)[len(gaps) // 2] if paying[0].when else None
            )
        else:
            start_ordinal = start.toordinal()
        if start_ordinal is None:
            return None
        flows: list[tuple[Decimal, Decimal]] = [(Decimal(0), -opening.mid)]
        for line in paying:
            assert line.when is not None
            amount = _value(line.payment)
            if amount is None:
                principal, interest = _value(line.principal), _value(line.interest)
                if principal is None or interest is None:
                    return None
                amount = principal + interest
            years = Decimal(line.when.toordinal() - start_ordinal) / Decimal(365)
            flows.append((years, amount.mid))
        remaining = _value(paying[-1].closing)
        if remaining is not None and remaining.mid != 0:
            flows.append((flows[-1][0], remaining.mid))
        return effective_annual_rate(flows)

    def _periodic_irr(
        self, lines: Sequence[_Line], paying: Sequence[_Line], per_year: Decimal
    ) -> Decimal | None:
        """IRR of an undated schedule paid ``per_year`` times a year, one period apart."""
        first = paying[0]
        opening = _value(self._opening(lines, lines.index(first)))
        if opening is None:
            closing, principal = _value(first.closing), _value(first.principal)
            if closing is None or principal is None:
                return None
            opening = closing + principal
        flows: list[tuple[Decimal, Decimal]] = [(Decimal(0), -opening.mid)]
        for number, line in enumerate(paying, start=1):
            amount = _value(line.payment)
            if amount is None:
                return None
            flows.append((Decimal(number) / per_year, amount.mid))
        return effective_annual_rate(flows)

    def _nominal_annual(self, lines: Sequence[_Line], fit: RateFit) -> Decimal | None:
        if fit.convention.basis:
            return fit.rate
        periods = self._periods_per_year
        if periods is None:
            dates = [line.when for line in lines if line.when is not None]
            gaps = sorted((b - a).days for a, b in itertools.pairwise(dates))
            if not gaps:
                return None
            per_year = Decimal(365) / Decimal(gaps[len(gaps) // 2])
            periods = min((Decimal(n) for n in (12, 4, 2, 1)), key=lambda n: abs(n - per_year))
        return fit.rate * periods

    def _rates_text(
        self, lines: Sequence[_Line], fit: RateFit | None, irr: Decimal | None
    ) -> tuple[str, str]:
        parts, parts_en = [], []
        if fit is not None:
            nominal = self._nominal_annual(lines, fit)
            words, words_en = fit.convention.words
            if nominal is not None:
                parts.append(f"各期隐含名义年利率 {_percent(nominal)}（{words}）")
                parts_en.append(f"nominal annual rate {_percent(nominal)} ({words_en})")
            else:
                parts.append(f"各期隐含每期利率 {_percent(fit.rate)}")
                parts_en.append(f"periodic rate {_percent(fit.rate)}")
        if irr is not None:
            parts.append(f"现金流实际年利率（IRR）{_percent(irr)}")
            parts_en.append(f"effective annual rate of the cash flows (IRR) {_percent(irr)}")
        return "，".join(parts), ", ".join(parts_en)

    def _rate_note(
        self,
        table: AnalyzedTable,
        lines: Sequence[_Line],
        fit: RateFit,
        irr: Decimal | None,
        stated: tuple[str, Decimal, int],
    ) -> Diagnostic | None:
        """An info finding naming the stated rate nominal or effective; a warning when it is neither."""
        text, value, decimals = stated
        half = Decimal(5).scaleb(-(decimals + 1)) / 100
        stated_interval = Interval(value / 100 - half, value / 100 + half)
        nominal = self._nominal_annual(lines, fit)
        nominal_interval = None
        if nominal is not None and fit.rate:
            nominal_interval = Interval(fit.low, fit.high).scaled(nominal / fit.rate)
        is_nominal = nominal_interval is not None and stated_interval.overlaps(nominal_interval)
        is_effective = irr is not None and stated_interval.widened(Decimal("0.000005")).overlaps(
            Interval.exact(irr)
        )
        if nominal_interval is None and irr is None:
            return None
        rates, rates_en = self._rates_text(lines, fit, irr)
        first = next((line.interest for line in lines if line.interest is not None), None)
        location = first.location if first is not None else table.table.location
        if is_nominal and is_effective and nominal is not None and irr is not None:
            # A stated 6% is within rounding of both 6.00% nominal and 6.17% effective: the nearer.
            closer_nominal = abs(value / 100 - nominal) < abs(value / 100 - irr)
            closer_effective = abs(value / 100 - irr) < abs(value / 100 - nominal)
            is_nominal, is_effective = (
                (closer_nominal or not closer_effective),
                (closer_effective or not closer_nominal),
            )
        if is_nominal and is_effective:
            verdict, verdict_en, severity = "与名义利率和实际利率均一致", "equals both", Severity.INFO
        elif is_nominal:
            verdict, verdict_en, severity = "为名义利率", "is the nominal rate", Severity.INFO
        elif is_effective:
            verdict = "为实际利率（与名义利率不同，不属错误）"
            verdict_en = "is the effective rate (it differs from the nominal one; not an error)"
            severity = Severity.INFO
        else:
            verdict, verdict_en, severity = "与名义利率和实际利率均不符", "matches neither", Severity.WARNING
        expected = irr if irr is not None and not is_nominal else (nominal if nominal is not None else irr)
        return Diagnostic(
            code=self.code,
            rule=self.name,
            severity=severity,
            message=f"文件所述「{text}」{verdict}：{rates}",
            message_en=f'The stated "{text}" {verdict_en}: {rates_en}',
            location=location,
            stated=value,
            expected=(expected * 100) if expected is not None and severity is Severity.WARNING else None,
        )

    # --- reporting ------------------------------------------------------------------------

    def _judge(
        self,
        ctx: RuleContext,
        table: AnalyzedTable,
        lines: Sequence[_Line],
        checks: Sequence[_Check],
        fit: RateFit | None,
        irr: Decimal | None,
    ) -> Iterator[Diagnostic]:
        options = self.options
        families = {c.family for c in checks}
        trusted: set[str] = set()
        # A wrong closing balance also breaks the next row's carried opening balance: a relation
        # that only breaks through another broken relation's target is not reported again, nor
        # counted against the relation's share.
        broken_targets = {id(c.target) for c in checks if not c.held}

        def knock_on(check: _Check) -> bool:
            return any(id(cell) in broken_targets for cell, _ in check.terms)

        for family in families:
            members = [c for c in checks if c.family == family]
            held = sum(1 for c in members if c.held and c.informative)
            breaks = sum(1 for c in members if not c.held and not knock_on(c))
            # Interest checks are already trusted by the rate fit (its support and share).
            if family == "interest" or (
                held >= options.min_support - 1 and held >= options.min_share * (held + breaks)
            ):
                trusted.add(family)
            for check in members:
                cells = [check.target.location, *(cell.location for cell, _ in check.terms)]
                vouched = (
                    family in trusted
                    and check.held
                    and check.informative
                    and (family == "interest" or held - 1 >= options.min_support - 1)
                )
                ctx.stats.relation(table.table.index, held=check.held, cells=cells if vouched else ())
        rates, rates_en = self._rates_text(lines, fit, irr)
        for index in sorted({c.line for c in checks if not c.held and c.family in trusted}):
            row_checks = [c for c in checks if c.line == index and c.family in trusted]
            broken = [c for c in row_checks if not c.held and not knock_on(c)]
            if not broken:
                continue
            verified = {
                id(cell) for c in row_checks if c.held for cell in (c.target, *(t for t, _ in c.terms))
            }
            counts: dict[int, int] = {}
            for check in broken:
                for cell in (check.target, *(t for t, _ in check.terms)):
                    if id(cell) not in verified:
                        counts[id(cell)] = counts.get(id(cell), 0) + 1
            # One finding per row: the relation whose target is the likeliest wrong figure.
            suspect = max(counts, key=lambda k: counts[k]) if counts else None
            chosen = next((c for c in broken if id(c.target) == suspect), broken[0])
            yield self._finding(lines[index], chosen, rates, rates_en)

    def _finding(self, line: _Line, check: _Check, rates: str, rates_en: str) -> Diagnostic:
        comparison = check.comparison
        assert comparison is not None and check.target.quantity is not None
        decimals = check.target.quantity.decimals
        stated = format_decimal(comparison.stated, decimals)
        expected = format_decimal(comparison.expected, decimals)
        difference = format_decimal(comparison.difference, decimals)
        where = line.row.label
        tail = f"；{rates}" if rates else ""
        tail_en = f"; {rates_en}" if rates_en else ""
        related = tuple(
            Related(cell.location, f"{'加数' if sign > 0 else '减数'}") for cell, sign in check.terms
        )
        return Diagnostic(
            code=self.code,
            rule=self.name,
            severity=self.default_severity,
            message=(
                f"「{where}」行不符合其他各期遵循的「{check.formula}」：列示 {stated}，"
                f"计算为 {expected}（差异 {difference}）{tail}"
            ),
            message_en=(
                f'Row "{where}" breaks "{check.formula}" that the other rows follow: stated {stated}, '
                f"computed {expected} (difference {difference}){tail_en}"
            ),
            location=check.target.location,
            stated=comparison.stated,
            expected=comparison.expected,
            difference=comparison.difference,
            tolerance=comparison.tolerance,
            related=related,
            relation=_relation(check),
        )


def _term(role: str, cell: Cell, sign: int = 1) -> Term:
    """A schedule figure as printed: the rule reads every column in the table's one unit."""
    assert cell.quantity is not None
    return Term(role, cell.location, cell.quantity.value, cell.quantity.decimals, sign)


def _relation(check: _Check) -> Relation:
    """The relation a schedule check recomputed, in the printed unit of the schedule.

    还款额 = 本金 + 利息 and 期末余额 = 期初余额 − 本金 are SUMs of addends (the principal repaid with
    sign −1). A carried opening balance (期初余额 = 上期期末余额) restates one figure: EQUAL. Interest
    is PRODUCT opening balance × scale, the scale being the fitted rate × days / basis (or the
    fixed share per period): the rate is inferred from the rows and the days from two dates, so
    neither is a misprintable figure of its own. A first row without an opening column lends
    closing + principal: SUM of those two addends times the same scale.
    """
    if check.factor is not None:
        if len(check.terms) == 1:
            cell, _ = check.terms[0]
            return Relation(RelationForm.PRODUCT, (_term("other", cell),), check.factor)
        addends = tuple(_term("addend", cell, sign) for cell, sign in check.terms)
        return Relation(RelationForm.SUM, addends, check.factor)
    if check.family == "carry":
        cell, _ = check.terms[0]
        return Relation(RelationForm.EQUAL, (_term("other", cell),))
    return Relation(RelationForm.SUM, tuple(_term("addend", cell, sign) for cell, sign in check.terms))


def _stated_rate(table: AnalyzedTable) -> tuple[str, Decimal, int] | None:
    """A rate stated in the table's title or the text above it: (its text, percent, decimals)."""
    for text in (table.table.title, table.table.context):
        match = _STATED_RATE.search(normalize(text))
        if match:
            value = match.group("value")
            decimals = len(value.split(".")[1]) if "." in value else 0
            return match.group(0).strip(), Decimal(value), decimals
    return None


_FREQUENCY = (
    ("按月", 12),
    ("每月", 12),
    ("按季", 4),
    ("每季", 4),
    ("每半年", 2),
    ("按半年", 2),
    ("按年", 1),
    ("每年", 1),
)


def _stated_frequency(table: AnalyzedTable) -> Decimal | None:
    """Payments per year the title or the text above says (按月 → 12), None when unsaid."""
    text = normalize(table.table.title + table.table.context)
    return next((Decimal(n) for word, n in _FREQUENCY if word in text), None)
