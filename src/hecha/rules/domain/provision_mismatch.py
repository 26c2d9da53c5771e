"""D003 provision-mismatch: a bad-debt provision ratio (计提比例, 预期信用损失率) that is not the
provision divided by the gross balance (账面余额) of its row."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from hecha.extract.roles import AnalyzedTable, ColumnKind, RowKind
from hecha.ingest.numbers import squeezed
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Rule, RuleContext, compare
from hecha.rules.registry import register
from hecha.rules.tables._columns import (
    MappingOptions,
    Operand,
    RowCheck,
    amount_interval,
    checked_cells,
    figure,
    label_of,
    ratio_percent,
    row_check,
    scale_of,
    show,
    show_percent,
)

# What each column of a provision table holds, read from its own header text.
_RATIO = re.compile(r"计提比例|损失率|计提率|坏账比例|减值比例|准备率")
_PROVISION = re.compile(r"坏账准备|减值准备|跌价准备|损失准备")
_NET = re.compile(r"账面价值|账面净额|净额")
_PERCENT_HEADER = re.compile(r"[%％]")
_AMOUNT_KINDS = (ColumnKind.AMOUNT, ColumnKind.DIFFERENCE)


@dataclass(frozen=True, slots=True)
class _Layout:
    """The columns of one provision relation: gross balance, provision, ratio, and the net book
    value when the table prints one (for the diagnosis of a ratio computed on the net)."""

    gross: int
    provision: int
    ratio: int
    net: int | None


def _last_part(header: str) -> str:
    parts = [part for part in header.split(" / ") if part.strip()]
    return squeezed(parts[-1]) if parts else ""


def _is_ratio_column(table: AnalyzedTable, position: int) -> bool:
    column = table.columns[position]
    return column.kind is not ColumnKind.LABEL and bool(_RATIO.search(squeezed(column.header)))


def _is_provision_amount(table: AnalyzedTable, position: int) -> bool:
    column = table.columns[position]
    header = squeezed(column.header)
    return column.kind in _AMOUNT_KINDS and bool(_PROVISION.search(header)) and not _RATIO.search(header)


def _is_net_amount(table: AnalyzedTable, position: int) -> bool:
    column = table.columns[position]
    return column.kind in _AMOUNT_KINDS and bool(_NET.search(_last_part(column.header)))


def _gross_left_of(table: AnalyzedTable, provision: int) -> int | None:
    """The nearest amount column left of ``provision`` that is neither a provision nor a net
    book value, without crossing into the previous period group (its ratio or 账面价值)."""
    for position in range(provision - 1, -1, -1):
        if _is_ratio_column(table, position) or _is_net_amount(table, position):
            return None
        if table.columns[position].kind in _AMOUNT_KINDS and not _is_provision_amount(table, position):
            return position
    return None


def layouts(table: AnalyzedTable) -> list[_Layout]:
    """Every (gross, provision, ratio) triple the headers propose: the ratio column, the nearest
    provision amount left of it, and the nearest other amount left of that (账面余额, 应收账款 …)."""
    found: list[_Layout] = []
    for ratio in range(len(table.columns)):
        if not _is_ratio_column(table, ratio):
            continue
        provision = next((p for p in range(ratio - 1, -1, -1) if _is_provision_amount(table, p)), None)
        if provision is None:
            continue
        gross = _gross_left_of(table, provision)
        if gross is None:
            continue
        net = next(
            (p for p in range(ratio + 1, len(table.columns)) if _is_net_amount(table, p)),
            None,
        )
        if net is not None and any(_is_ratio_column(table, p) for p in range(ratio + 1, net)):
            net = None  # the 账面价值 of the next period group, not this one's
        found.append(_Layout(gross, provision, ratio, net))
    return found


def _percent_interval(table: AnalyzedTable, position: int, stated: Quantity) -> Quantity | None:
    """The stated ratio as a percent figure: "8.19%" as printed, "8.19" under a (%) header or in
    a share column; None for a figure hecha cannot place (a multiple, an amount)."""
    if stated.unit is Unit.PERCENT:
        return stated
    column = table.columns[position]
    if stated.unit is Unit.NUMBER and (
        _PERCENT_HEADER.search(column.header) or column.kind in (ColumnKind.SHARE, ColumnKind.PERCENT)
    ):
        return stated
    return None


def _checks(table: AnalyzedTable, layout: _Layout, tolerance: Decimal) -> list[RowCheck]:
    """The ratio of every row that prints a ratio, a provision and a gross balance."""
    checks: list[RowCheck] = []
    seen: set[tuple[int | None, int | None]] = set()
    for row in table.rows:
        if row.kind in (RowKind.SECTION, RowKind.OTHER):
            continue
        stated = figure(row, layout.ratio)
        provision = figure(row, layout.provision)
        gross = figure(row, layout.gross)
        if stated is None or provision is None or gross is None:
            continue
        stated_cell, stated_quantity = stated
        if stated_cell.spanned:
            continue  # a copy of a cell spanning several rows: checked once, at its first row
        key = (stated_cell.location.row, stated_cell.location.col)
        if key in seen:
            continue
        seen.add(key)
        percent = _percent_interval(table, layout.ratio, stated_quantity)
        if percent is None or provision[1].unit is Unit.PERCENT or gross[1].unit is Unit.PERCENT:
            continue
        provision_value = amount_interval(table, table.columns[layout.provision], provision[1])
        gross_value = amount_interval(table, table.columns[layout.gross], gross[1])
        reading = ratio_percent(provision_value, gross_value)
        if reading is None:
            continue
        operands = (
            Operand(provision[0], provision[1], label_of(table, row, table.columns[layout.provision])),
            Operand(gross[0], gross[1], label_of(table, row, table.columns[layout.gross])),
        )
        checks.append(row_check("provision", row, (stated_cell, percent), operands, [reading], tolerance))
    return checks


def _net_reading(table: AnalyzedTable, layout: _Layout, check: RowCheck) -> Interval | None:
    """provision / net book value × 100: the wrong denominator a ratio is sometimes computed on."""
    provision = amount_interval(table, table.columns[layout.provision], check.operands[0].quantity)
    gross = amount_interval(table, table.columns[layout.gross], check.operands[1].quantity)
    net_figure = figure(check.row, layout.net) if layout.net is not None else None
    if net_figure is not None and layout.net is not None:
        net = amount_interval(table, table.columns[layout.net], net_figure[1])
    else:
        net = gross - provision
    return ratio_percent(provision, net)


def _relation(table: AnalyzedTable, layout: _Layout, check: RowCheck) -> Relation:
    """provision / gross balance × 100, both in the coarser of their printed units (the ratio is
    unit-free; no operand's decimals turn negative)."""
    provision, gross = check.operands
    provision_scale = _own_scale(table, layout.provision, provision.quantity)
    gross_scale = _own_scale(table, layout.gross, gross.quantity)
    unit = max(provision_scale, gross_scale)
    terms = (
        _term("numerator", provision.cell, provision.quantity, provision_scale - unit),
        _term("denominator", gross.cell, gross.quantity, gross_scale - unit),
    )
    return Relation(RelationForm.RATIO, terms, Decimal(100))


def _own_scale(table: AnalyzedTable, position: int, quantity: Quantity) -> int:
    """The power of ten of the figure's unit: its own scale word, else its column's."""
    return quantity.scale if quantity.scale is not None else scale_of(table, table.columns[position])


def _term(role: str, cell: Cell, quantity: Quantity, shift: int) -> Term:
    """A printed figure moved ``shift`` powers of ten, its decimals moved alike."""
    value = quantity.value.scaleb(shift) if shift else quantity.value
    return Term(role, cell.location, value, quantity.decimals - shift)


def _reportable_if_failed(checks: Sequence[RowCheck], index: int, options: ProvisionMismatch.Options) -> bool:
    """Would a failure of ``checks[index]`` still be reported? Only then are its cells verified."""
    failed = replace(checks[index], held=False, near=False)
    altered = [failed if i == index else check for i, check in enumerate(checks)]
    return options.trusts(altered)


@register
class ProvisionMismatch(Rule):
    """Provision ratios that are not the provision divided by the gross balance.

    What it checks:
        In a provision table (应收账款/应收票据/合同资产 按坏账计提方法分类披露, 按组合计提, 账龄组合,
        预期信用损失率 tables), a ratio column (计提比例, 预期信用损失率, 综合计提比例) beside a
        provision amount (坏账准备, 减值准备) and a gross balance (账面余额, 应收账款): each row's
        ratio equals provision / gross balance. The relation is trusted only when the table's
        other rows satisfy it (at least two, one of them a ratio other than 0% or 100%), so a
        misread table gives no finding. A failing ratio that equals provision / net book value
        (账面价值) is reported with that diagnosis. A row whose ratio is blank, "/" or "--" is
        not checked; a grid with cells hecha could not align is checked but never reported on.

    Why it matters:
        Inquiry letters ask whether provisions are sufficient by comparing ratios across aging
        buckets and with peers; a ratio on the wrong denominator (net instead of gross) or a
        stale figure understates or overstates the provisioning.

    Failing example:
        | 账龄 | 应收账款 | 坏账准备 | 计提比例（%） |, row 1至2年 53,155,317.39 | 4,716,765.24 |
        9.87: 4,716,765.24 / 53,155,317.39 = 8.87%.

    Passing example:
        The same table with 8.87 (and 1年以内 473,647,606.84 | 9,015,664.71 | 1.90 beside it).

    Options:
        absolute_tolerance: extra percentage points of slack, default 0.
        min_rows_held: rows that must satisfy the relation before it is trusted, default 2.
        min_held_share: share of checked rows that must satisfy it, default 2/3.
    """

    code = "D003"
    name = "provision-mismatch"
    summary = "坏账准备计提比例与坏账准备 / 账面余额不符"
    summary_en = "Provision ratio does not equal the provision divided by the gross balance"

    @dataclass(frozen=True)
    class Options(MappingOptions):
        """The shared mapping tunables, documented above."""

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: ProvisionMismatch.Options = self.options  # type: ignore[assignment]
        for table in ctx.tables:
            for layout in layouts(table):
                checks = _checks(table, layout, options.absolute_tolerance)
                if not options.trusts(checks):
                    continue
                # A grid with cells that could not be aligned may pair a ratio with another
                # row's amounts: its relations count, its failures are not reported.
                misread = any(
                    row.cells[p] is None
                    for row in table.rows
                    for p in (layout.gross, layout.provision, layout.ratio)
                )
                for index, check in enumerate(checks):
                    verified = not misread and _reportable_if_failed(checks, index, options)
                    ctx.stats.relation(
                        table.table.index,
                        held=check.held,
                        cells=checked_cells(check) if verified else (),
                    )
                    if not check.held and not misread:
                        yield self._finding(table, layout, check, options.absolute_tolerance)

    def _finding(
        self, table: AnalyzedTable, layout: _Layout, check: RowCheck, tolerance: Decimal
    ) -> Diagnostic:
        comparison = compare(check.stated, check.expected, tolerance)
        provision, gross = check.operands
        decimals = max(check.stated.decimals, 2)
        computed = show_percent(check.expected.mid, decimals)
        stated = show(check.stated) + ("" if check.stated.unit is Unit.PERCENT else "%")
        label = check.row.label
        message = (
            f"{label}计提比例列示 {stated}，按坏账准备 {show(provision.quantity)} / "
            f"账面余额 {show(gross.quantity)} 计算为 {computed}"
        )
        message_en = (
            f"{label}: provision ratio stated as {stated}, provision {show(provision.quantity)} / "
            f"gross balance {show(gross.quantity)} gives {computed}"
        )
        on_net = _net_reading(table, layout, check)
        if on_net is not None and check.stated.interval.widened(tolerance).overlaps(on_net):
            message += "；列示比例等于坏账准备 / 账面价值，分母应为账面余额"
            message_en += (
                "; the stated ratio is provision / net book value, the base should be the gross balance"
            )
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=check.stated_cell.location,
            comparison=comparison,
            related=(
                Related(provision.cell.location, f"分子 坏账准备 {provision.label}"),
                Related(gross.cell.location, f"分母 账面余额 {gross.label}"),
            ),
            relation=_relation(table, layout, check),
        )
