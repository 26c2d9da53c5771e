"""D005 unit-figure-mismatch: a per-unit figure, yield or ratio row that is not the quotient of
the two figures it is computed from (人均, 单价, 平均利率 = 利息收入 / 平均余额, 职工薪酬/销售费用,
回款比例 (C=B/A))."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.roles import AnalyzedTable, Column, ColumnKind, Row, RowKind
from hecha.ingest.numbers import squeezed
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Rule, RuleContext, compare, format_decimal
from hecha.rules.registry import register
from hecha.rules.tables._columns import amount_interval, figure, scale_of, show

HUNDRED = Decimal(100)

# "(C=B/A)", "（C=A/B×100%）": a row or column that states its own formula over lettered rows.
_FORMULA = re.compile(r"[(（]\s*([A-Z])\s*[=＝]\s*([A-Z])\s*[/÷]\s*([A-Z])\s*(?:[×*]\s*100\s*[%％])?\s*[)）]")
_LETTER = re.compile(r"[(（]\s*([A-Z])\s*[)）]")
# Ratio rows: "职工薪酬/销售费用", "职工薪酬占销售费用比例".
_SLASH = re.compile(r"^(.{2,16}?)\s*[/÷]\s*(.{2,16})$")
_SHARE_OF = re.compile(r"^(.{2,16}?)占(.{2,16}?)的?(?:比例|比重|比率)$")
_PER_CAPITA = re.compile(r"^人均(.{2,12})$")
_HEADCOUNT = re.compile(r"(?:员工|职工|人员|在职|期末|平均)?(?:人数|总人数|数量（人）|人员数量)")
_UNIT_NOISE = re.compile(r"[(（][^)）]*[)）]|[:：\s]")
_PERCENT_LABEL = re.compile(r"[%％]|比例|比率|比重|占比|率")

# Column triples: (numerator words, denominator words, stated words).
_COLUMN_RELATIONS = (
    (
        "利息收入|利息支出|利息",
        "平均余额|日均余额|平均金额",
        "平均收益率|平均利率|平均成本率|收益率|付息率|利率",
    ),
    ("收入|销售额|金额", "销量|销售数量|数量", "单价|平均售价|平均价格|均价"),
    ("薪酬|工资|收入|产值", "人数", "人均"),
)
# Powers of ten a per-unit figure may stand at against its operands (万元 / 万件 → 元/件 …).
_FACTORS = tuple(Decimal(1).scaleb(k) for k in range(-8, 9))


def _bare(label: str) -> str:
    """A row label without units in brackets, punctuation and letter tags: what it names."""
    return _UNIT_NOISE.sub("", squeezed(label)).strip("：:")


@dataclass(frozen=True, slots=True)
class _Line:
    """One instance of a relation: stated = numerator / denominator × factor."""

    where: str
    stated: tuple[Cell, Quantity]
    numerator: tuple[Cell, Quantity, str]
    denominator: tuple[Cell, Quantity, str]
    numerator_value: Interval
    denominator_value: Interval
    numerator_scale: int  # power of ten from the printed figure to the value compared (its unit)
    denominator_scale: int


@dataclass(frozen=True, slots=True)
class _Relation:
    """Lines sharing one mapping (a ratio row across columns, a column triple down the rows).

    ``factors``: the powers of ten the stated figure may stand at (one when units fix it);
    ``explicit``: the document prints the formula, so a single line is enough to report on.
    """

    name: str
    lines: tuple[_Line, ...]
    factors: tuple[Decimal, ...]
    explicit: bool = False


def _own_scale(table: AnalyzedTable, column: Column, quantity: Quantity) -> int:
    """The power of ten ``_value`` applies: the figure's own scale word, else its column's (a
    headcount in a 万元 table included: the learned power of ten makes up for it)."""
    return quantity.scale if quantity.scale is not None else scale_of(table, column)


def _value(table: AnalyzedTable, column: Column, quantity: Quantity) -> Interval | None:
    if quantity.unit not in (Unit.NUMBER, Unit.CURRENCY, Unit.COUNT):
        return None
    return amount_interval(table, column, quantity)


def _stated_factors(row_label: str, header: str, stated: Quantity) -> tuple[Decimal, ...]:
    """Percent figures stand at ×100; other figures at whatever power of ten the data shows."""
    if stated.unit is Unit.PERCENT:
        return (HUNDRED,)
    if stated.unit is not Unit.NUMBER:
        return ()
    label = squeezed(row_label)
    if "%" in label or "％" in label or "%" in header or "％" in header:
        return (HUNDRED,)
    if _PERCENT_LABEL.search(label):
        return (HUNDRED, Decimal(1))
    return _FACTORS


def _row_relations(table: AnalyzedTable) -> list[_Relation]:
    """Ratio rows: lettered formulas, "X/Y", "X占Y比例" and "人均X" rows over rows of the table."""
    by_bare: dict[str, list[Row]] = {}
    by_letter: dict[str, list[Row]] = {}
    for row in table.rows:
        by_bare.setdefault(_bare(row.label), []).append(row)
        for letter in _LETTER.findall(squeezed(row.label)):
            by_letter.setdefault(letter, []).append(row)
    headcount = [
        row
        for row in table.rows
        if _HEADCOUNT.fullmatch(_bare(row.label)) and row.kind is not RowKind.SECTION
    ]
    relations = []
    for row in table.rows:
        compact = squeezed(row.label)
        operands: tuple[Row, Row] | None = None
        explicit = False
        formula = _FORMULA.search(compact)
        if formula:
            numerator, denominator = by_letter.get(formula.group(2), []), by_letter.get(formula.group(3), [])
            if len(numerator) == 1 and len(denominator) == 1:
                operands, explicit = (numerator[0], denominator[0]), True
        else:
            bare = _bare(row.label)
            match = _SLASH.match(bare) or _SHARE_OF.match(bare)
            if match:
                numerator, denominator = by_bare.get(match.group(1), []), by_bare.get(match.group(2), [])
                if len(numerator) == 1 and len(denominator) == 1:
                    # The label is the formula, its operands named exactly: as explicit as letters.
                    operands, explicit = (numerator[0], denominator[0]), True
            elif (capita := _PER_CAPITA.match(bare)) and len(headcount) == 1:
                named = capita.group(1)
                # "人均薪酬" over "职工薪酬" or "薪酬总额": the one row naming what is averaged.
                numerator = by_bare.get(named, []) or [
                    other
                    for bare_label, rows in by_bare.items()
                    if named in bare_label and not bare_label.startswith("人均")
                    for other in rows
                ]
                if len(numerator) == 1:
                    operands = (numerator[0], headcount[0])
        if operands is None or row in operands:
            continue
        lines = []
        factors: tuple[Decimal, ...] | None = None
        for position, column in enumerate(table.columns):
            line = _line(table, row, operands[0], operands[1], position, column)
            if line is None:
                continue
            lines.append(line)
            line_factors = _stated_factors(row.label, column.header, line.stated[1])
            factors = line_factors if factors is None else tuple(f for f in factors if f in line_factors)
        if lines and factors:
            relations.append(_Relation(row.label, tuple(lines), factors, explicit))
    return relations


def _line(
    table: AnalyzedTable, row: Row, top: Row, bottom: Row, position: int, column: Column
) -> _Line | None:
    if column.kind is ColumnKind.LABEL:
        return None
    stated, numerator = figure(row, position), figure(top, position)
    denominator = figure(bottom, position) or _count_figure(table, bottom, position)
    if stated is None or numerator is None or denominator is None or stated[0].spanned:
        return None
    numerator_value = _value(table, column, numerator[1])
    denominator_value = _value(table, column, denominator[1])
    if numerator_value is None or denominator_value is None:
        return None
    return _Line(
        where=f"{row.label} {column.header}".strip(),
        stated=stated,
        numerator=(numerator[0], numerator[1], top.label),
        denominator=(denominator[0], denominator[1], bottom.label),
        numerator_value=numerator_value,
        denominator_value=denominator_value,
        numerator_scale=_own_scale(table, column, numerator[1]),
        denominator_scale=_own_scale(table, column, denominator[1]),
    )


def _count_figure(table: AnalyzedTable, row: Row, position: int) -> tuple[Cell, Quantity] | None:
    """A headcount as printed: extract sets aside whole numbers in a column of 2-decimal amounts
    as artifacts, but in a row named 人数 a whole number is what is meant."""
    if row.cells[position] is not None or not _HEADCOUNT.fullmatch(_bare(row.label)):
        return None
    grid_row = table.table.rows[row.index] if row.index < len(table.table.rows) else ()
    column = table.columns[position].index
    cell = grid_row[column] if column < len(grid_row) else None
    if cell is None or cell.quantity is None or cell.quantity.decimals != 0:
        return None
    return cell, cell.quantity


def _column_relations(table: AnalyzedTable) -> list[_Relation]:
    """Column triples down the rows: 利息收入 / 平均余额 = 平均利率, 收入 / 销量 = 单价 …"""
    relations = []
    headers = [squeezed(c.header) for c in table.columns]
    for numerator_words, denominator_words, stated_words in _COLUMN_RELATIONS:
        for stated in range(len(table.columns)):
            if not re.search(stated_words, headers[stated]):
                continue
            same = [
                p for p in range(len(table.columns)) if _same_group(table.columns[p], table.columns[stated])
            ]
            numerators = [
                p
                for p in same
                if p != stated
                and re.search(numerator_words, headers[p])
                and not re.search(stated_words, headers[p])
            ]
            denominators = [
                p
                for p in same
                if p != stated
                and re.search(denominator_words, headers[p])
                and not re.search(stated_words, headers[p])
            ]
            if len(numerators) != 1 or len(denominators) != 1 or numerators == denominators:
                continue
            relations.append(_column_relation(table, numerators[0], denominators[0], stated))
    return [relation for relation in relations if relation.lines and relation.factors]


def _same_group(a: Column, b: Column) -> bool:
    return a.group == b.group and (a.period == b.period or a.period is None or b.period is None)


def _column_relation(table: AnalyzedTable, numerator: int, denominator: int, stated: int) -> _Relation:
    columns = table.columns
    lines = []
    factors: tuple[Decimal, ...] | None = None
    for row in table.rows:
        if row.kind in (RowKind.SECTION, RowKind.OTHER):
            continue
        found, top, bottom = figure(row, stated), figure(row, numerator), figure(row, denominator)
        if found is None or top is None or bottom is None or found[0].spanned:
            continue
        top_value = _value(table, columns[numerator], top[1])
        bottom_value = _value(table, columns[denominator], bottom[1])
        if top_value is None or bottom_value is None:
            continue
        lines.append(
            _Line(
                where=row.label,
                stated=found,
                numerator=(top[0], top[1], columns[numerator].header),
                denominator=(bottom[0], bottom[1], columns[denominator].header),
                numerator_value=top_value,
                denominator_value=bottom_value,
                numerator_scale=_own_scale(table, columns[numerator], top[1]),
                denominator_scale=_own_scale(table, columns[denominator], bottom[1]),
            )
        )
        line_factors = _stated_factors("", columns[stated].header, found[1])
        factors = line_factors if factors is None else tuple(f for f in factors if f in line_factors)
    return _Relation(columns[stated].header, tuple(lines), factors or ())


def _holds(line: _Line, factor: Decimal, tolerance: Decimal) -> bool:
    quotient = line.numerator_value / line.denominator_value
    if quotient is None:
        return False
    return line.stated[1].interval.widened(tolerance).overlaps(quotient.scaled(factor))


def _informative(line: _Line) -> bool:
    """A held quotient stated to three significant digits or more, not 0: a misread mapping
    matches it only by accident."""
    stated = line.stated[1]
    return stated.value != 0 and abs(stated.value) >= Decimal(100).scaleb(-stated.decimals)


def _relation(line: _Line, factor: Decimal) -> Relation:
    """numerator / denominator × the learned power of ten, both operands in the coarser of the
    units the rule reads them in (the quotient is the same in any common unit; no operand's
    decimals turn negative)."""
    unit = max(line.numerator_scale, line.denominator_scale)
    terms = (
        _term("numerator", line.numerator[0], line.numerator[1], line.numerator_scale - unit),
        _term("denominator", line.denominator[0], line.denominator[1], line.denominator_scale - unit),
    )
    return Relation(RelationForm.RATIO, terms, factor)


def _term(role: str, cell: Cell, quantity: Quantity, shift: int) -> Term:
    """A printed figure moved ``shift`` powers of ten, its decimals moved alike."""
    value = quantity.value.scaleb(shift) if shift else quantity.value
    return Term(role, cell.location, value, quantity.decimals - shift)


@register
class UnitFigureMismatch(Rule):
    """Per-unit figures, yields and ratio rows that are not the quotient they are computed from.

    What it checks:
        - A row that states its formula over lettered rows: "回款比例(C=B/A)（%）" with rows
          "(A)" and "(B)" in the same table;
        - a ratio row named after two rows of its table: "职工薪酬/销售费用", "研发费用占营业收入比例";
        - a per-capita row "人均X" beside a row X and one headcount row (员工人数);
        - column triples: 利息收入 / 平均余额 = 平均收益率 (平均利率, 付息率), 收入 / 销量 = 单价
          (平均售价), 薪酬 / 人数 = 人均.
        Each figure must equal numerator / denominator at one power of ten (×100 for a
        percentage; for per-unit figures, the power of ten the units put between them, 万元 and
        万件 giving 元/件). Which power applies is learned from the lines: it must hold on at least
        two lines (across the row's columns or down the triple's rows), one of them stated to
        three significant digits, and on two thirds of them; a line breaking it at every power of
        ten is a finding. A row that prints its own formula is reported even when it has one line.

    Why it matters:
        Replies argue from per-capita pay, average selling prices, yields on average balances and
        expense ratios; a quotient that does not follow from the figures beside it undermines the
        argument and is what inquiry letters ask about.

    Failing example:
        | 项目 | 2025年 | 2024年 |, rows 职工薪酬 1,200.00 | 1,000.00, 员工人数 100 | 80,
        人均薪酬 12.00 | 13.50: 1,000.00 / 80 = 12.50.

    Passing example:
        The same table with 人均薪酬 12.00 | 12.50.

    Options:
        absolute_tolerance: extra slack in the stated figure's units, default 0.
        min_lines_held: lines that must hold before a learned relation is trusted, default 2.
    """

    code = "D005"
    name = "unit-figure-mismatch"
    summary = "人均、单价、平均利率或比率行与其分子 / 分母计算结果不符"
    summary_en = "Per-unit figure, yield or ratio row does not equal its numerator divided by its denominator"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)
        min_lines_held: int = 2

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: UnitFigureMismatch.Options = self.options  # type: ignore[assignment]
        for table in ctx.tables:
            for relation in [*_row_relations(table), *_column_relations(table)]:
                yield from self._check_relation(ctx, table, relation, options)

    def _check_relation(
        self, ctx: RuleContext, table: AnalyzedTable, relation: _Relation, options: UnitFigureMismatch.Options
    ) -> Iterator[Diagnostic]:
        tolerance = options.absolute_tolerance
        factor, held = self._learned_factor(relation, tolerance)
        if factor is None:
            return
        lines = relation.lines
        informative = any(_informative(line) for line in held)
        enough = len(held) >= options.min_lines_held and len(held) * 3 >= len(lines) * 2 and informative
        single = relation.explicit and len(relation.factors) == 1
        if not (enough or single):
            return
        for line in lines:
            ok = line in held
            still = single or (
                len(held) - ok >= options.min_lines_held and (len(held) - ok) * 3 >= len(lines) * 2
            )
            ctx.stats.relation(
                table.table.index,
                held=ok,
                cells=[line.stated[0].location, line.numerator[0].location, line.denominator[0].location]
                if still
                else (),
            )
            if ok or any(_holds(line, other, tolerance) for other in relation.factors):
                continue  # a line at another power of ten is a units question, not a wrong figure
            yield from self._finding(line, factor, tolerance)

    @staticmethod
    def _learned_factor(relation: _Relation, tolerance: Decimal) -> tuple[Decimal | None, list[_Line]]:
        best: tuple[Decimal | None, list[_Line]] = (None, [])
        for factor in relation.factors:
            held = [line for line in relation.lines if _holds(line, factor, tolerance)]
            if len(held) > len(best[1]):
                best = (factor, held)
        if best[0] is None and len(relation.factors) == 1:
            return relation.factors[0], []
        return best

    def _finding(self, line: _Line, factor: Decimal, tolerance: Decimal) -> Iterator[Diagnostic]:
        quotient = line.numerator_value / line.denominator_value
        if quotient is None:
            return
        stated = line.stated[1]
        comparison = compare(stated, quotient.scaled(factor), tolerance)
        if comparison is None:
            return
        computed = format_decimal(comparison.expected, stated.decimals) + (
            "%" if stated.unit is Unit.PERCENT else ""
        )
        top, bottom = line.numerator, line.denominator
        yield self.diagnostic(
            message=(
                f"{line.where}列示 {show(stated)}，按{top[2]} {show(top[1])} / {bottom[2]} {show(bottom[1])} "
                f"计算为 {computed}"
            ),
            message_en=(
                f"{line.where}: stated {show(stated)}, {top[2]} {show(top[1])} / {bottom[2]} "
                f"{show(bottom[1])} gives {computed}"
            ),
            location=line.stated[0].location,
            comparison=comparison,
            related=(
                Related(top[0].location, f"分子 {top[2]}"),
                Related(bottom[0].location, f"分母 {bottom[2]}"),
            ),
            relation=_relation(line, factor),
        )
