"""D004 roll-forward-mismatch: a balance that does not roll forward (期末 = 期初 + 增加 − 减少), a net
book value that is not cost − accumulated depreciation − impairment, working capital that is not
current assets − current liabilities, or an unused credit line that is not total − used.

T007 learns such relations from the figures when a table has enough rows; this rule reads them
from the labels, so that it also sees the sections of a fixed-asset movement table (账面原值 /
累计折旧 / 减值准备 / 账面价值 blocks of one table) and two-row tables nothing could learn from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.roles import AnalyzedTable, ColumnKind, RowKind
from hecha.ingest.numbers import normalize
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Unit
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
from hecha.rules.registry import register
from hecha.rules.tables.total_mismatch import UNKNOWN, cell_scale, operand

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\d+[.、．](?!\d)|[（(]\s*[\d一二三四五六七八九十]+\s*[)）]|[①-⑳])\s*"
)
_SUB_ITEM = re.compile(r"^(?:[（(]\s*[\d一二三四五六七八九十]+\s*[)）]|[①-⑳]|其中[:：])")
_SIGN_PREFIX = re.compile(r"^(?:加|减)[:：]")

# Row (or column) names of a roll-forward block, compared after numbering is stripped.
_START = re.compile(r"^(?:期初|年初|上年年末|上期期末)(?:账面)?(?:余额|数|金额)?$")
_END = re.compile(r"^(?:期末|年末)(?:账面)?(?:余额|数|金额)?$")
_INCREASE = re.compile(r"^(?:本期|本年)?(?:增加|计提)(?:金额|额|数)?$")
_DECREASE = re.compile(r"^(?:本期|本年)?减少(?:金额|额|数)?$")

# Sections of a movement table (固定资产、无形资产、投资性房地产、使用权资产 notes).
_COST = re.compile(r"^(?:账面原值|原值|原价|账面原价)(?:合计)?$")
_ACCUMULATED = re.compile(r"^累计(?:折旧|摊销|折耗)(?:和累计(?:折旧|摊销))?(?:合计)?$")
_IMPAIRMENT = re.compile(r"^(?:减值准备|跌价准备|坏账准备)(?:合计)?$")
_CARRYING = re.compile(r"^账面价值(?:合计)?$")
_CARRYING_END = re.compile(r"^期末账面价值$")
_CARRYING_START = re.compile(r"^期初账面价值$")

# Net book value among columns (or rows): 账面余额 − 坏账准备 = 账面价值.
_GROSS = re.compile(r"^(?:账面原值|原值|原价|账面余额)$")

_WORKING_CAPITAL = re.compile(r"^营运资金(?:净额)?$")
_CURRENT_ASSETS = re.compile(r"^流动资产(?:合计|总额)?$")
_CURRENT_LIABILITIES = re.compile(r"^流动负债(?:合计|总额)?$")

_CREDIT_TOTAL = re.compile(r"^(?:综合)?授信(?:总)?(?:额度|总额|金额)?(?:总额|合计)?$")
_CREDIT_USED = re.compile(r"^(?:授信额度)?已(?:使用|用|提用|提款)(?:授信)?(?:额度|金额)?$")
_CREDIT_LEFT = re.compile(r"^(?:授信额度)?(?:未使用|尚未使用|剩余|可用|未用)(?:授信)?(?:额度|金额)?$")

_CASH_END = re.compile(r"期末现金及现金等价物余额$")
_CASH_START = re.compile(r"期初现金及现金等价物余额$")
_CASH_NET = re.compile(r"现金及现金等价物净(?:增加|减少|增加/?（?减少）?|变动)额$")

# Column headers of a roll-forward whose rows are items (期初 | 增加 | 减少 | 期末).
_PLUS_WORDS = ("增加", "计提", "新增", "购置", "取得")
_MINUS_WORDS = (
    "减少",
    "转出",
    "转回",
    "核销",
    "转销",
    "处置",
    "支付",
    "摊销",
    "结转",
    "出售",
    "转入固定资产",
)

_ROW_INSTANCE_KINDS = frozenset({RowKind.ITEM, RowKind.TOTAL, RowKind.SUBTOTAL, RowKind.OF_WHICH})


def name_of(text: str) -> str:
    """A row label or column header reduced to its words: no numbering, spaces, 加：/减： or notes."""
    compact = "".join(normalize(text).split())
    compact = _SIGN_PREFIX.sub("", compact)
    compact = _NUMBERING.sub("", compact)
    compact = _SIGN_PREFIX.sub("", compact)
    return re.sub(r"[\[【（(](?:注\d*|附注[^)）\]】]*)[\]】)）]$", "", compact)


@dataclass(frozen=True, slots=True)
class LabelledRelation:
    """``target = Σ sign × term`` among variables of one table (rows when ``over_rows``, else
    columns), named by their labels. ``family`` groups the relations whose instances vouch for
    each other ("roll-forward", "breakdown", "net-book-value", …)."""

    family: str
    over_rows: bool
    target: int
    terms: tuple[tuple[int, int], ...]  # (row or column position, +1 / −1)


@dataclass(frozen=True, slots=True)
class Instance:
    """A relation evaluated at one column (for row relations) or one row (column relations)."""

    relation: LabelledRelation
    place: int
    held: bool
    informative: bool  # at least two printed, non-zero figures: 0 = 0 − 0 teaches nothing
    comparison: Comparison | None
    cells: tuple[Cell, ...]  # target first, then the terms that print a figure


# --- finding the relations ------------------------------------------------------------------


def _row_names(table: AnalyzedTable) -> list[str]:
    return [name_of(row.label) for row in table.rows]


def _is_sub_item(label: str) -> bool:
    return bool(_SUB_ITEM.match("".join(normalize(label).split())))


def movement_relations(table: AnalyzedTable) -> list[LabelledRelation]:
    """Roll-forward blocks among the rows (期初余额, 本期增加, 本期减少, 期末余额, with their
    (1)(2) sub-items), section by section, and the carrying amounts of a movement table."""
    names = _row_names(table)
    relations: list[LabelledRelation] = []
    section = "cost"
    section_ends: dict[str, int] = {}
    section_starts: dict[str, int] = {}
    start: int | None = None
    moves: list[tuple[int, int]] = []
    subs: dict[int, list[int]] = {}
    current_move: int | None = None
    carrying_end = carrying_start = None
    for position, (row, name) in enumerate(zip(table.rows, names, strict=True)):
        kind = _section_kind(name)
        if kind is not None and (row.kind is RowKind.SECTION or _has_no_figures(row.cells)):
            section, start, moves, subs, current_move = kind, None, [], {}, None
            continue
        if _START.match(name):
            start, moves, subs, current_move = position, [], {}, None
            section_starts.setdefault(section, position)
            continue
        if start is None:
            if section == "carrying":
                if _CARRYING_END.match(name):
                    carrying_end = position
                elif _CARRYING_START.match(name):
                    carrying_start = position
            continue
        if _is_sub_item(row.label) and current_move is not None:
            subs[current_move].append(position)
        elif _INCREASE.match(name) or _DECREASE.match(name):
            sign = 1 if _INCREASE.match(name) or _printed_negative(row.cells[1:]) else -1
            moves.append((position, sign))
            subs[position] = []
            current_move = position
        elif _END.match(name):
            if moves:
                relations.append(LabelledRelation("roll-forward", True, position, ((start, 1), *moves)))
                for move, members in subs.items():
                    if members:
                        relations.append(
                            LabelledRelation("breakdown", True, move, tuple((m, 1) for m in members))
                        )
                section_ends.setdefault(section, position)
            start = None
        else:
            start = None  # a line the block does not explain: not a roll-forward hecha can read
    if "accumulated" in section_ends or "impairment" in section_ends:
        for target, ends in ((carrying_end, section_ends), (carrying_start, section_starts)):
            if target is None or "cost" not in ends:
                continue
            terms = [(ends["cost"], 1)] + [
                (ends[part], -1) for part in ("accumulated", "impairment") if part in ends
            ]
            relations.append(LabelledRelation("net-book-value", True, target, tuple(terms)))
    return relations


def _section_kind(name: str) -> str | None:
    if _COST.match(name):
        return "cost"
    if _ACCUMULATED.match(name):
        return "accumulated"
    if _IMPAIRMENT.match(name):
        return "impairment"
    if _CARRYING.match(name):
        return "carrying"
    return None


def _has_no_figures(cells: Sequence[Cell | None]) -> bool:
    return all(cell is None or cell.quantity is None for cell in cells)


def _unique_match(names: Sequence[str], pattern: re.Pattern[str], among: Sequence[int]) -> int | None:
    found = [p for p in among if pattern.search(names[p])]
    return found[0] if len(found) == 1 else None


def named_relations(names: Sequence[str], groups: Sequence[str], over_rows: bool) -> list[LabelledRelation]:
    """Net book value, working capital, credit lines and cash among variables of one group."""
    relations: list[LabelledRelation] = []
    for group in dict.fromkeys(groups):
        members = [p for p, g in enumerate(groups) if g == group]
        carrying = _unique_match(names, _CARRYING, members)
        gross = _unique_match(names, _GROSS, members)
        deductions = [p for p in members if _ACCUMULATED.match(names[p]) or _IMPAIRMENT.match(names[p])]
        if carrying is not None and gross is not None and deductions:
            terms = ((gross, 1), *((p, -1) for p in deductions))
            relations.append(LabelledRelation("net-book-value", over_rows, carrying, terms))
        working = _unique_match(names, _WORKING_CAPITAL, members)
        assets = _unique_match(names, _CURRENT_ASSETS, members)
        liabilities = _unique_match(names, _CURRENT_LIABILITIES, members)
        if working is not None and assets is not None and liabilities is not None:
            relations.append(
                LabelledRelation("working-capital", over_rows, working, ((assets, 1), (liabilities, -1)))
            )
        left = _unique_match(names, _CREDIT_LEFT, members)
        total = _unique_match(names, _CREDIT_TOTAL, members)
        used = _unique_match(names, _CREDIT_USED, members)
        if left is not None and total is not None and used is not None:
            relations.append(LabelledRelation("credit-line", over_rows, left, ((total, 1), (used, -1))))
        if over_rows:
            end = _unique_match(names, _CASH_END, members)
            start = _unique_match(names, _CASH_START, members)
            net = _unique_match(names, _CASH_NET, members)
            if end is not None and start is not None and net is not None and net < end and start < end:
                relations.append(LabelledRelation("cash", True, end, ((start, 1), (net, 1))))
    return relations


def column_roll_forward(table: AnalyzedTable) -> list[LabelledRelation]:
    """期末 = 期初 + Σ increases − Σ decreases over columns, each row an instance. Every column
    between 期初 and 期末 must read as an increase or a decrease (其中 columns are left out);
    otherwise the table is not read as a roll-forward."""
    columns = table.columns
    starts = [p for p, c in enumerate(columns) if _START.match(name_of(_last_part(c.header)))]
    ends = [p for p, c in enumerate(columns) if _END.match(name_of(_last_part(c.header)))]
    if len(starts) != 1 or len(ends) != 1 or starts[0] >= ends[0] - 1:
        return []
    start, end = starts[0], ends[0]
    terms: list[tuple[int, int]] = [(start, 1)]
    for position in range(start + 1, end):
        column = columns[position]
        header = "".join(normalize(column.header).split())
        if "其中" in header:
            continue
        if column.kind is not ColumnKind.AMOUNT:
            return []
        sign = _movement_sign(header)
        if sign == 0:
            return []
        if sign < 0 and _printed_negative(
            [row.cells[position] for row in table.rows if row.kind in _ROW_INSTANCE_KINDS]
        ):
            sign = 1
        terms.append((position, sign))
    if len(terms) < 2:
        return []
    return [LabelledRelation("roll-forward", False, end, tuple(terms))]


def _printed_negative(cells: Sequence[Cell | None]) -> bool:
    """A decrease printed as a negative figure wherever it is not zero ("本年减少 / 转回
    (114,754.31)"): it is already subtracted and is added as printed, never subtracted twice."""
    values = [
        c.quantity.value for c in cells if c is not None and c.quantity is not None and c.quantity.value
    ]
    return bool(values) and all(value < 0 for value in values)


def _last_part(header: str) -> str:
    parts = [part for part in header.split(" / ") if part.strip()]
    return parts[-1] if parts else header


def _movement_sign(header: str) -> int:
    plus = "增加" in header
    minus = "减少" in header
    if plus != minus:
        return 1 if plus else -1
    if plus and minus:
        return 0
    if "转入" in header and re.search(r"转入(?:固定资产|无形资产|长期待摊|投资性房地产|存货)", header):
        return -1
    has_plus = any(word in header for word in _PLUS_WORDS)
    has_minus = any(word in header for word in _MINUS_WORDS)
    if has_plus != has_minus:
        return 1 if has_plus else -1
    return 0


def table_relations(table: AnalyzedTable) -> list[LabelledRelation]:
    """Every labelled relation of ``table``, rows and columns."""
    relations = movement_relations(table)
    row_names = _row_names(table)
    relations += [
        r
        for r in named_relations(row_names, [""] * len(row_names), over_rows=True)
        if not any(existing.target == r.target and existing.over_rows for existing in relations)
    ]
    column_names = [name_of(_last_part(c.header)) for c in table.columns]
    column_groups = [c.group for c in table.columns]
    relations += named_relations(column_names, column_groups, over_rows=False)
    relations += column_roll_forward(table)
    return relations


# --- evaluating them ------------------------------------------------------------------------


def evaluate(table: AnalyzedTable, relation: LabelledRelation, tolerance: Decimal) -> list[Instance]:
    """The relation at every column (row relations) or body row (column relations)."""
    instances = []
    if relation.over_rows:
        places = [p for p, c in enumerate(table.columns) if c.kind is ColumnKind.AMOUNT]
    else:
        places = [p for p, r in enumerate(table.rows) if r.kind in _ROW_INSTANCE_KINDS]
    for place in places:
        found = _instance(table, relation, place, tolerance)
        if found is not None:
            instances.append(found)
    return instances


def _cell(
    table: AnalyzedTable, relation: LabelledRelation, variable: int, place: int
) -> tuple[Cell | None, int]:
    """The cell of ``variable`` at ``place`` and its column position."""
    if relation.over_rows:
        return table.rows[variable].cells[place], place
    return table.rows[place].cells[variable], variable


def _instance(
    table: AnalyzedTable, relation: LabelledRelation, place: int, tolerance: Decimal
) -> Instance | None:
    target_cell, target_column = _cell(table, relation, relation.target, place)
    if target_cell is None or target_cell.quantity is None:
        return None
    stated = target_cell.quantity
    if stated.unit not in (Unit.NUMBER, Unit.CURRENCY):
        return None
    scale = cell_scale(target_cell, table.columns[target_column])
    total = Interval.exact(Decimal(0))
    cells = [target_cell]
    nonzero = 1 if stated.value != 0 else 0
    if relation.family == "breakdown" and all(
        not _printed(_cell(table, relation, variable, place)[0]) for variable, _ in relation.terms
    ):
        return None  # "（1）处置" left empty under a filled 本期减少: the breakdown is not given
    for variable, sign in relation.terms:
        cell, column = _cell(table, relation, variable, place)
        if cell is not None and cell.quantity is None and cell.text.strip() and not cell.blank:
            return None  # text that is neither a figure nor a printed blank
        value = operand(cell, scale, table.columns[column].scale)
        if value is UNKNOWN or not isinstance(value, Interval):
            return None
        if cell is not None and cell.quantity is not None:
            cells.append(cell)
            if cell.quantity.value != 0:
                nonzero += 1
        total = total + value if sign > 0 else total - value
    comparison = compare(stated, total, tolerance)
    return Instance(relation, place, comparison is None, nonzero >= 2, comparison, tuple(cells))


def _printed(cell: Cell | None) -> bool:
    """Something stands in the cell: a figure or a printed blank ("-"), not nothing at all."""
    return cell is not None and bool(cell.text.strip())


def addend(cell: Cell, sign: int, target_scale: int | None, column_scale: int | None) -> Term | None:
    """``cell`` as an addend of the failed sum, moved into the stated figure's unit as
    ``operand`` moves it (its decimals moved alike, so that its rounding stays the printed one);
    None for a cell without a figure (a printed blank adds nothing)."""
    quantity = cell.quantity
    if quantity is None:
        return None
    scale = quantity.scale if quantity.scale is not None else column_scale
    shift = scale - target_scale if scale is not None and target_scale is not None else 0
    value = quantity.value.scaleb(shift) if shift else quantity.value
    return Term("addend", cell.location, value, quantity.decimals - shift, sign)


@register
class RollForwardMismatch(Rule):
    """A balance that does not roll forward, or a net figure that is not gross − deductions.

    What it checks:
        Relations that labels name: 期末余额 = 期初余额 + 本期增加 − 本期减少 (rows of a block,
        section by section in a 固定资产/无形资产/投资性房地产 movement note, or columns 期初 | 增加 |
        减少 | 期末 with each row an instance); 本期增加金额 = its (1)(2)… sub-items; 期末(期初)账面价值
        = 账面原值 − 累计折旧(摊销) − 减值准备; 账面价值 = 账面余额 − 坏账(跌价、减值)准备 among
        columns or rows; 期末现金及现金等价物余额 = 期初余额 + 净增加额; 营运资金 = 流动资产 −
        流动负债; 未使用授信 = 授信总额 − 已使用. A figure fails only when its rounding interval and
        the recomputed interval do not overlap.

    Why it matters:
        A carrying amount or closing balance that does not follow from its movements means a
        movement was left out, mistyped or double-counted; reviewers recompute these in every
        fixed-asset note and every liquidity answer.

    Failing example:
        一、账面原值 … 4.期末余额 2,940,642,580.70; 二、累计折旧 4.期末余额 1,204,042,394.51; 三、减值准备
        4.期末余额 12,192,852.85; 四、账面价值 1.期末账面价值 1,742,407,333.34 (cost − depreciation −
        impairment = 1,724,407,333.34), while the other columns' carrying amounts agree.

    Passing example:
        The same note with 1,724,407,333.34. A relation is reported only where another column (or
        row) of the same table satisfies a relation of the same kind with figures of its own, and
        more instances hold than break; 0 = 0 − 0 vouches for nothing.

    Options:
        absolute_tolerance: an extra allowance added to the rounding interval (default 0).
        min_support: instances of the same kind in the table, with figures, that must hold besides
        the one that breaks (default 1).
    """

    code = "D004"
    name = "roll-forward-mismatch"
    summary = "期末余额、账面价值、营运资金或剩余授信额度与其构成项目计算不符"
    summary_en = (
        "A closing balance, carrying amount, working capital or unused credit line "
        "does not follow from its parts"
    )

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)
        min_support: int = 1

    options: Options

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for table in ctx.tables:
            relations = table_relations(table)
            if not relations:
                continue
            instances = [i for r in relations for i in evaluate(table, r, self.options.absolute_tolerance)]
            yield from self._judge(ctx, table, instances)

    def _judge(
        self, ctx: RuleContext, table: AnalyzedTable, instances: list[Instance]
    ) -> Iterator[Diagnostic]:
        support = self.options.min_support
        reported: set[tuple[int | None, int | None]] = set()
        # A wrong closing balance also breaks the carrying amount computed from it: the figure
        # that breaks a relation as its target is blamed, not the relations it feeds.
        broken_targets = {id(i.cells[0]) for i in instances if not i.held}
        for family in dict.fromkeys(i.relation.family for i in instances):
            members = [i for i in instances if i.relation.family == family]
            held = sum(1 for i in members if i.held and i.informative)
            broken = sum(1 for i in members if not i.held)
            for instance in members:
                if instance.held:
                    # Verified when this instance breaking would still be reported.
                    vouched = instance.informative and held - 1 >= support and held - 1 >= broken + 1
                    ctx.stats.relation(
                        table.table.index,
                        held=True,
                        cells=[c.location for c in instance.cells] if vouched else (),
                    )
                    continue
                ctx.stats.relation(table.table.index, held=False)
                if held < support or held < broken or instance.comparison is None:
                    continue
                key = (instance.cells[0].location.row, instance.cells[0].location.col)
                if key in reported or any(id(cell) in broken_targets for cell in instance.cells[1:]):
                    continue
                reported.add(key)
                yield self._finding(table, instance)

    def _finding(self, table: AnalyzedTable, instance: Instance) -> Diagnostic:
        relation = instance.relation
        comparison = instance.comparison
        assert comparison is not None
        target_cell = instance.cells[0]
        target_name = self._name(table, relation, relation.target, instance.place)
        _, target_column = _cell(table, relation, relation.target, instance.place)
        target_scale = cell_scale(target_cell, table.columns[target_column])
        related = []
        terms = []
        for variable, sign in relation.terms:
            cell, column = _cell(table, relation, variable, instance.place)
            if cell is None:
                continue
            word = "加数" if sign > 0 else "减数"
            related.append(
                Related(cell.location, f"{word}：{self._name(table, relation, variable, instance.place)}")
            )
            found = addend(cell, sign, target_scale, table.columns[column].scale)
            if found is not None:
                terms.append(found)
        formula = self._formula(table, relation)
        meaning, meaning_en = _FAMILY_WORDS[relation.family]
        decimals = max((c.quantity.decimals for c in instance.cells if c.quantity is not None), default=2)
        stated = format_decimal(comparison.stated, decimals)
        expected = format_decimal(comparison.expected, decimals)
        difference = format_decimal(comparison.difference, decimals)
        assert target_cell.quantity is not None
        return Diagnostic(
            code=self.code,
            rule=self.name,
            severity=self.default_severity,
            message=(
                f"「{target_name}」{meaning}不符（{formula}）：列示 {stated}，"
                f"计算为 {expected}（差异 {difference}）"
            ),
            message_en=(
                f'"{target_name}": {meaning_en} does not hold ({formula}): stated {stated}, '
                f"computed {expected} (difference {difference})"
            ),
            location=target_cell.location,
            stated=comparison.stated,
            expected=comparison.expected,
            difference=comparison.difference,
            tolerance=comparison.tolerance,
            related=tuple(related),
            relation=Relation(RelationForm.SUM, tuple(terms)),
        )

    @staticmethod
    def _name(table: AnalyzedTable, relation: LabelledRelation, variable: int, place: int) -> str:
        if relation.over_rows:
            label = table.rows[variable].label
            header = table.columns[place].header
            return f"{label}（{header}）" if header else label
        return f"{table.rows[place].label} {table.columns[variable].header}"

    @staticmethod
    def _formula(table: AnalyzedTable, relation: LabelledRelation) -> str:
        def word(variable: int) -> str:
            if relation.over_rows:
                return name_of(table.rows[variable].label)
            return name_of(_last_part(table.columns[variable].header))

        parts = [word(relation.terms[0][0])]
        for variable, sign in relation.terms[1:]:
            parts.append(("+ " if sign > 0 else "− ") + word(variable))
        return f"{word(relation.target)} = {' '.join(parts)}"


_FAMILY_WORDS = {
    "roll-forward": ("余额勾稽关系", "the roll-forward"),
    "breakdown": ("与其明细项目之和", "the sum of its sub-items"),
    "net-book-value": ("账面价值计算", "net book value = gross − deductions"),
    "working-capital": ("营运资金计算", "working capital = current assets − current liabilities"),
    "credit-line": ("授信额度计算", "unused credit = total − used"),
    "cash": ("现金及现金等价物余额勾稽关系", "the cash roll-forward"),
}
