"""D001 vat-mismatch: a VAT-exclusive amount (不含税, revenue or cost recognised) that does not
follow from its VAT-inclusive amount (含税) by 1 + a VAT rate, while the other rows do."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row, RowKind
from hecha.ingest.numbers import squeezed
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Rule, RuleContext, compare
from hecha.rules.registry import register
from hecha.rules.tables._columns import amount_interval, figure, scale_of, show

# VAT rates in force since 2019 (13%, 9%, 6%, small-scale 3%), the 5% simplified rate, and the
# rates before April 2019 (17%/16%, 11%/10%), which older contracts and comparatives still show.
VAT_RATES = tuple(
    Decimal(r) for r in ("0.13", "0.09", "0.06", "0.03", "0.05", "0.16", "0.17", "0.10", "0.11")
)

_NET_WORDS = re.compile(r"收入|成本|采购额|销售额|营业额|结算额|价款")
_NOT_NET = re.compile(r"回款|收款|付款|税额|税金|比例|占比|率")
_RATE = re.compile(r"税率")


def _is_gross(text: str) -> bool:
    compact = squeezed(text)
    return "价税合计" in compact or ("含税" in compact and "不含税" not in compact)


def _is_exclusive(text: str) -> bool:
    return "不含税" in squeezed(text)


def _is_recognised(text: str) -> bool:
    compact = squeezed(text)
    return "含税" not in compact and bool(_NET_WORDS.search(compact)) and not _NOT_NET.search(compact)


@dataclass(frozen=True, slots=True)
class _Pair:
    """One VAT-inclusive and one VAT-exclusive figure of the same line, with the line's rate
    when the table prints one."""

    line: str
    gross: tuple[Cell, Quantity]
    net: tuple[Cell, Quantity]
    gross_value: Interval
    net_value: Interval
    net_scale: int  # power of ten from the printed VAT-exclusive figure to 元
    gross_scale: int  # the same for the VAT-inclusive figure
    rate: Interval | None = None


@dataclass(frozen=True, slots=True)
class _Fit:
    pair: _Pair
    rates: tuple[Decimal, ...]  # the standard rates that explain the pair


def _same_group(a: Column, b: Column) -> bool:
    return a.group == b.group and (a.period == b.period or a.period is None or b.period is None)


def _column_pairs(table: AnalyzedTable) -> list[tuple[int, int, int | None]]:
    """(gross, net, rate) column positions: a 含税 amount with the 不含税 (else the revenue or
    cost) amount of its header group, and a 税率 column when one stands in the same group."""
    found = []
    columns = table.columns
    amounts = [p for p, c in enumerate(columns) if c.kind in (ColumnKind.AMOUNT, ColumnKind.DIFFERENCE)]
    for gross in amounts:
        if not _is_gross(columns[gross].header):
            continue
        candidates = [p for p in amounts if p != gross and _same_group(columns[p], columns[gross])]
        exclusive = [p for p in candidates if _is_exclusive(columns[p].header)]
        recognised = [p for p in candidates if _is_recognised(columns[p].header)]
        chosen = exclusive or recognised
        if not chosen:
            continue
        net = min(chosen, key=lambda p: abs(p - gross))
        rate = next(
            (
                p
                for p, c in enumerate(columns)
                if _RATE.search(squeezed(c.header)) and _same_group(c, columns[gross])
            ),
            None,
        )
        found.append((gross, net, rate))
    return found


def _scale(table: AnalyzedTable, column: Column, quantity: Quantity) -> int:
    return quantity.scale if quantity.scale is not None else scale_of(table, column)


def _rate_of(row: Row, position: int | None) -> Interval | None:
    if position is None:
        return None
    found = figure(row, position)
    if found is None or found[1].unit not in (Unit.PERCENT, Unit.NUMBER):
        return None
    rate = found[1].value / 100
    # A statutory rate printed "6%" is exactly 6%, not anything that rounds to it.
    return Interval.exact(rate) if rate in VAT_RATES else found[1].interval.scaled(Decimal("0.01"))


def _pairs_by_columns(table: AnalyzedTable, gross: int, net: int, rate: int | None) -> list[_Pair]:
    pairs = []
    for row in table.rows:
        if row.kind in (RowKind.SECTION, RowKind.OTHER):
            continue
        g, n = figure(row, gross), figure(row, net)
        if g is None or n is None or g[0].spanned or n[0].spanned:
            continue
        if g[1].unit is Unit.PERCENT or n[1].unit is Unit.PERCENT:
            continue
        pairs.append(
            _Pair(
                line=row.label,
                gross=g,
                net=n,
                gross_value=amount_interval(table, table.columns[gross], g[1]),
                net_value=amount_interval(table, table.columns[net], n[1]),
                net_scale=_scale(table, table.columns[net], n[1]),
                gross_scale=_scale(table, table.columns[gross], g[1]),
                rate=_rate_of(row, rate),
            )
        )
    return pairs


def _pairs_by_rows(table: AnalyzedTable) -> list[list[_Pair]]:
    """A 含税 row above a 不含税 row: one pair per amount column (a transposed layout)."""
    found = []
    rows = table.rows
    for gross_index, gross_row in enumerate(rows):
        if not _is_gross(gross_row.label):
            continue
        net_row = next((r for r in rows[gross_index + 1 :] if _is_exclusive(r.label)), None)
        if net_row is None:
            continue
        pairs = []
        for position, column in enumerate(table.columns):
            if column.kind not in (ColumnKind.AMOUNT, ColumnKind.DIFFERENCE):
                continue
            g, n = figure(gross_row, position), figure(net_row, position)
            if g is None or n is None or g[1].unit is Unit.PERCENT or n[1].unit is Unit.PERCENT:
                continue
            pairs.append(
                _Pair(
                    line=column.header,
                    gross=g,
                    net=n,
                    gross_value=amount_interval(table, column, g[1]),
                    net_value=amount_interval(table, column, n[1]),
                    net_scale=_scale(table, column, n[1]),
                    gross_scale=_scale(table, column, g[1]),
                )
            )
        found.append(pairs)
    return found


def _explaining(pair: _Pair, rates: Sequence[Decimal], tolerance: Decimal) -> tuple[Decimal, ...]:
    """The rates r for which gross = net × (1 + r) within the figures' rounding."""
    found = []
    for rate in rates:
        expected = pair.net_value.scaled(1 + rate)
        if expected.widened(tolerance).overlaps(pair.gross_value):
            found.append(rate)
    return tuple(found)


def _expected_net(pair: _Pair, rate: Interval) -> Interval | None:
    return pair.gross_value / (Interval.exact(Decimal(1)) + rate)


def _relation(pair: _Pair, rate: Interval) -> Relation:
    """net = gross × 1 / (1 + r): the VAT-inclusive figure, moved into the VAT-exclusive one's
    unit (the stated figure's), is the one term; the rate, a statutory one or the line's, is no
    misprintable operand and goes into the scale (a printed rate other than a statutory one
    enters at its printed value)."""
    cell, quantity = pair.gross
    shift = pair.gross_scale - pair.net_scale
    value = quantity.value.scaleb(shift) if shift else quantity.value
    gross = Term("other", cell.location, value, quantity.decimals - shift)
    return Relation(RelationForm.PRODUCT, (gross,), Decimal(1) / (1 + rate.mid))


@register
class VatMismatch(Rule):
    """VAT-exclusive amounts that do not follow from the VAT-inclusive ones.

    What it checks:
        A table that prints a VAT-inclusive amount (含税金额, 含税销售额, 价税合计) beside the
        VAT-exclusive one (不含税金额, or the revenue or cost recognised from it), in columns or
        in a 含税 row above a 不含税 row: each pair must be related by gross = net × (1 + r) for a
        VAT rate r (13%, 9%, 6%, 3%, 5%, and the pre-2019 17%, 16%, 11%, 10%), or the rate the
        row prints in a 税率 column. The relation is trusted only when at least two other pairs of
        the table follow it non-trivially (gross ≠ net) and two thirds of the pairs follow some
        rate; a pair then fitting no rate at all is a finding, its expected VAT-exclusive amount
        computed with the rate most pairs share. A pair fitting another rate than the others
        (goods at 13% beside services at 6%) is not a finding; a pair printing the same amount
        twice (exempt or zero-rated) is neither counted nor reported.

    Why it matters:
        Inquiry replies restate contracts and top customers both with and without VAT; a
        VAT-exclusive amount that does not follow from the contract overstates or understates the
        revenue the reply argues from.

    Failing example:
        | 合同 | 含税金额 | 不含税金额 |, rows A 1,130.00 | 1,000.00, B 2,260.00 | 2,000.00,
        C 3,390.00 | 3,100.00: 3,390.00 / 1.13 = 3,000.00.

    Passing example:
        The same table with C 3,390.00 | 3,000.00.

    Options:
        absolute_tolerance: extra slack in the amounts' units (元 after scaling), default 0.
        min_pairs_held: pairs that must follow one rate before the relation is trusted, default 2.
    """

    code = "D001"
    name = "vat-mismatch"
    summary = "不含税金额与含税金额 / (1 + 增值税税率) 不符"
    summary_en = "VAT-exclusive amount does not equal the VAT-inclusive amount divided by 1 + a VAT rate"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)
        min_pairs_held: int = 2

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: VatMismatch.Options = self.options  # type: ignore[assignment]
        for table in ctx.tables:
            groups: list[list[_Pair]] = [
                _pairs_by_columns(table, gross, net, rate) for gross, net, rate in _column_pairs(table)
            ]
            groups.extend(_pairs_by_rows(table))
            for pairs in groups:
                yield from self._check_pairs(ctx, table, pairs, options)

    def _check_pairs(
        self, ctx: RuleContext, table: AnalyzedTable, pairs: Sequence[_Pair], options: VatMismatch.Options
    ) -> Iterator[Diagnostic]:
        tolerance = options.absolute_tolerance
        # Exempt or zero-rated lines print one amount twice: they say nothing about a rate.
        taxed = [p for p in pairs if not p.gross_value.overlaps(p.net_value)]
        fits = [_Fit(p, self._rates(p, tolerance)) for p in taxed]
        if not fits:
            return
        dominant, support = self._dominant(fits)
        fitting = sum(1 for fit in fits if fit.rates)
        if dominant is None or support < options.min_pairs_held or fitting * 3 < len(fits) * 2:
            return
        for fit in fits:
            held = bool(fit.rates)
            # Verified only when a failure here would still leave the rate corroborated.
            still_trusted = (
                support - (dominant in fit.rates) >= options.min_pairs_held
                and (fitting - held) * 3 >= len(fits) * 2
            )
            ctx.stats.relation(
                table.table.index,
                held=held,
                cells=[fit.pair.net[0].location, fit.pair.gross[0].location] if still_trusted else (),
            )
            if not held:
                rate = fit.pair.rate if fit.pair.rate is not None else Interval.exact(dominant)
                yield from self._finding(fit.pair, rate, tolerance)

    @staticmethod
    def _rates(pair: _Pair, tolerance: Decimal) -> tuple[Decimal, ...]:
        if pair.rate is None:
            return _explaining(pair, VAT_RATES, tolerance)
        expected = _expected_net(pair, pair.rate)
        if expected is not None and expected.widened(tolerance).overlaps(pair.net_value):
            return (pair.rate.mid,)
        return ()

    @staticmethod
    def _dominant(fits: Sequence[_Fit]) -> tuple[Decimal | None, int]:
        counts: dict[Decimal, int] = {}
        for fit in fits:
            for rate in fit.rates:
                counts[rate] = counts.get(rate, 0) + 1
        if not counts:
            return None, 0
        rate = max(counts, key=lambda r: (counts[r], -VAT_RATES.index(r) if r in VAT_RATES else 0))
        return rate, counts[rate]

    def _finding(self, pair: _Pair, rate: Interval, tolerance: Decimal) -> Iterator[Diagnostic]:
        expected = _expected_net(pair, rate)
        if expected is None:
            return
        net_cell, net = pair.net
        comparison = compare(net, expected.scaled(Decimal(1).scaleb(-pair.net_scale)), tolerance)
        if comparison is None:
            return
        percent = f"{(rate.mid * 100).normalize():f}%"
        shown = f"{comparison.expected:,.{max(net.decimals, 0)}f}"
        why = "该行列示的税率" if pair.rate is not None else f"其他各行均符合的 {percent} 税率"
        why_en = (
            "the rate the line prints"
            if pair.rate is not None
            else f"the {percent} rate the other lines follow"
        )
        yield self.diagnostic(
            message=(
                f"{pair.line}不含税金额列示 {show(net)}，按含税金额 {show(pair.gross[1])} / (1 + {percent}) "
                f"计算为 {shown}（{why}）"
            ),
            message_en=(
                f"{pair.line}: VAT-exclusive amount stated as {show(net)}, VAT-inclusive "
                f"{show(pair.gross[1])} / (1 + {percent}) gives {shown} ({why_en})"
            ),
            location=net_cell.location,
            comparison=comparison,
            related=(Related(pair.gross[0].location, f"含税金额 {pair.line}"),),
            relation=_relation(pair, rate),
        )
