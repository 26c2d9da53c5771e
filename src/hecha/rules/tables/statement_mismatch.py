"""T009 statement-line-mismatch: a line of a financial statement (利润总额, 净利润, 综合收益总额,
现金流量净额, 负债和所有者权益总计 …) that the lines the statement's format computes it from do not give."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.metrics import clean_label
from hecha.extract.roles import AnalyzedTable, Row, RowKind
from hecha.extract.script import simplified
from hecha.model.diagnostic import Diagnostic, Related
from hecha.model.document import Cell, Location
from hecha.rules.base import Rule, RuleContext
from hecha.rules.registry import register
from hecha.rules.tables.total_mismatch import (
    SUMMABLE,
    Outcome,
    cell_scale,
    evaluate,
    printed,
    stated_figure,
    sum_relation,
)

UP, DOWN = -1, 1
# From this many checkable columns on, a relation must hold in two thirds of them to be trusted.
_MANY_COLUMNS = 4
# How far (in rows) a line's operands may stand from it: a statement's lines are printed close
# together; the cash flow statement's 净增加额 is about forty lines below 经营活动 净额.
_REACH = 60
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
_SPACES = re.compile(r"\s+")


def line_name(label: str) -> str:
    """A statement line's label without numbering, 加：/减：/其中：, brackets ("（或股东权益）",
    "（亏损以“－”号填列）"), spaces and traditional characters: "四、利润总额（…）" → 利润总额."""
    cleaned = simplified(clean_label(label))
    previous = None
    while previous != cleaned:  # nested or repeated brackets
        previous, cleaned = cleaned, _BRACKETED.sub("", cleaned)
    # A bracket wrapped onto the next line is left open: "资产处置收益（损失以“-”号".
    cleaned = re.sub(r"[（(][^）)]*$", "", cleaned)
    # "公允价值变动收益 / (损失)": the bracketed alternative is gone, its slash with it.
    return _SPACES.sub("", cleaned).strip("：:/／")


def _names(*patterns: str) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(patterns) + ")$")


# The statement lines the relations below name, each recognised by its whole cleaned label.
LINES: dict[str, re.Pattern[str]] = {
    "营业利润": _names("营业利润"),
    "营业外收入": _names("营业外收入"),
    "营业外支出": _names("营业外支出"),
    "利润总额": _names("利润总额"),
    "所得税费用": _names("所得税费用", "所得税"),
    "净利润": _names("净利润"),
    "持续经营净利润": _names("持续经营净利润"),
    "终止经营净利润": _names("终止经营净利润"),
    "归属于母公司的净利润": _names("归属于(?:母公司|上市公司)(?:所有者|股东|普通股股东)?的?净利润"),
    "少数股东损益": _names("少数股东损益"),
    "其他综合收益的税后净额": _names("其他综合收益的?税后净额"),
    "归属于母公司的其他综合收益": _names("归属于?母公司(?:所有者|股东)?的?其他综合收益的?税后净额"),
    "归属于少数股东的其他综合收益": _names("归属于?少数股东的?其他综合收益的?税后净额"),
    "不能重分类进损益的其他综合收益": _names("(?:以后)?不能重分类进损益的其他综合收益"),
    "将重分类进损益的其他综合收益": _names("(?:以后)?将重分类进损益的其他综合收益"),
    "综合收益总额": _names("综合收益总额"),
    "归属于母公司的综合收益总额": _names("归属于?母公司(?:所有者|股东)?的?综合收益总额"),
    "归属于少数股东的综合收益总额": _names("归属于?少数股东的?综合收益总额"),
    **{
        f"{activity}活动现金流入小计": _names(f"{activity}活动现金流入小计")
        for activity in ("经营", "投资", "筹资")
    },
    **{
        f"{activity}活动现金流出小计": _names(f"{activity}活动现金流出小计")
        for activity in ("经营", "投资", "筹资")
    },
    **{
        f"{activity}活动产生的现金流量净额": _names(f"{activity}活动产生的现金流量净额")
        for activity in ("经营", "投资", "筹资")
    },
    "汇率变动对现金的影响": _names("汇率变动对现金及现金等价物的影响(?:额)?"),
    "现金及现金等价物净增加额": _names("现金及现金等价物净(?:增加|增加/减少|减少)额"),
    "期初现金及现金等价物余额": _names("期初现金及现金等价物余额"),
    "期末现金及现金等价物余额": _names("期末现金及现金等价物余额"),
    "现金的期末余额": _names("现金的期末余额"),
    "现金的期初余额": _names("现金的期初余额"),
    "现金等价物的期末余额": _names("现金等价物的期末余额"),
    "现金等价物的期初余额": _names("现金等价物的期初余额"),
    "调整前期末未分配利润": _names("调整前(?:上年)?(?:期末|年末)未分配利润"),
    "调整期初未分配利润合计数": _names("调整(?:期初|年初)未分配利润合计数?"),
    "调整后期初未分配利润": _names("调整后(?:期初|年初)未分配利润"),
    "期初未分配利润": _names("(?:期初|年初)未分配利润"),
    "期末未分配利润": _names("(?:期末|年末)未分配利润"),
    "上年期末余额": _names("上年(?:期末|年末)余额"),
    "本年期初余额": _names("本(?:年|期)(?:期初|年初)余额"),
    "本期增减变动金额": _names("本(?:期|年)增减变动金额"),
    "本期期末余额": _names("本(?:期|年)(?:期末|年末)余额"),
    "负债合计": _names("负债合计"),
    "所有者权益合计": _names("(?:所有者|股东)权益合计"),
    "负债和所有者权益总计": _names("负债(?:和|及)(?:所有者|股东)权益(?:总计|合计)"),
    "资产总计": _names("资产总计"),
}


# 营业利润's operands by the format's words. The 2018 format prints 资产减值损失 among the costs (a
# positive cost, subtracted); from 2019 it stands among the gains (a loss printed negative, added).
_REVENUE_LINES = frozenset({"营业收入"})
_COST_LINES = frozenset(
    {
        "营业成本",
        "税金及附加",
        "营业税金及附加",
        "销售费用",
        "管理费用",
        "研发费用",
        "财务费用",
        "资产减值损失",
        "信用减值损失",
    }
)
_GAIN_LINES = frozenset(
    {
        "其他收益",
        "投资收益",
        "净敞口套期收益",
        "公允价值变动收益",
        "信用减值损失",
        "资产减值损失",
        "资产处置收益",
        "汇兑收益",
    }
)
# Breakdowns of the line above them (财务费用's 利息费用/利息收入, 投资收益's parts): never operands.
_BREAKDOWN_LINES = frozenset(
    {"利息费用", "利息收入", "对联营企业和合营企业的投资收益", "以摊余成本计量的金融资产终止确认收益"}
)
_FIRST_GAINS = frozenset({"其他收益", "投资收益", "公允价值变动收益", "净敞口套期收益", "汇兑收益"})


@dataclass(frozen=True)
class Operand:
    name: str
    sign: int
    direction: int  # UP: printed above the line it computes, DOWN: below it
    optional: bool = False  # a format may leave the line out (then it adds nothing)


@dataclass(frozen=True)
class StatementRelation:
    """``target`` = Σ sign × operand, as the statement's format defines the line."""

    target: str
    operands: tuple[Operand, ...]
    # Lines whose presence between the target and its operands means another format, in which
    # the relation does not hold as written (归属于母公司的其他综合收益 between OCI and its parts).
    absent: tuple[str, ...] = ()

    def formula(self) -> str:
        parts = []
        for number, operand in enumerate(self.operands):
            sign = "" if number == 0 and operand.sign > 0 else ("+ " if operand.sign > 0 else "− ")
            parts.append(f"{sign}{operand.name}")
        return " ".join(parts)


def _relation(
    target: str, *operands: tuple[str, int, int] | Operand, absent: tuple[str, ...] = ()
) -> StatementRelation:
    return StatementRelation(
        target,
        tuple(o if isinstance(o, Operand) else Operand(*o) for o in operands),
        absent,
    )


RELATIONS: tuple[StatementRelation, ...] = (
    _relation("利润总额", ("营业利润", 1, UP), ("营业外收入", 1, UP), ("营业外支出", -1, UP)),
    _relation("净利润", ("利润总额", 1, UP), ("所得税费用", -1, UP)),
    _relation(
        "净利润",
        ("持续经营净利润", 1, DOWN),
        Operand("终止经营净利润", 1, DOWN, optional=True),
    ),
    _relation("净利润", ("归属于母公司的净利润", 1, DOWN), ("少数股东损益", 1, DOWN)),
    _relation("综合收益总额", ("净利润", 1, UP), ("其他综合收益的税后净额", 1, UP)),
    _relation(
        "综合收益总额", ("归属于母公司的综合收益总额", 1, DOWN), ("归属于少数股东的综合收益总额", 1, DOWN)
    ),
    _relation(
        "其他综合收益的税后净额",
        ("归属于母公司的其他综合收益", 1, DOWN),
        ("归属于少数股东的其他综合收益", 1, DOWN),
    ),
    _relation(
        "归属于母公司的其他综合收益",
        ("不能重分类进损益的其他综合收益", 1, DOWN),
        ("将重分类进损益的其他综合收益", 1, DOWN),
    ),
    _relation(
        "其他综合收益的税后净额",
        ("不能重分类进损益的其他综合收益", 1, DOWN),
        ("将重分类进损益的其他综合收益", 1, DOWN),
        absent=("归属于母公司的其他综合收益",),
    ),
    *(
        _relation(
            f"{activity}活动产生的现金流量净额",
            (f"{activity}活动现金流入小计", 1, UP),
            (f"{activity}活动现金流出小计", -1, UP),
        )
        for activity in ("经营", "投资", "筹资")
    ),
    _relation(
        "现金及现金等价物净增加额",
        ("经营活动产生的现金流量净额", 1, UP),
        ("投资活动产生的现金流量净额", 1, UP),
        ("筹资活动产生的现金流量净额", 1, UP),
        # Required: a summary of the statement in the 经营情况讨论 leaves the line out, not nil.
        ("汇率变动对现金的影响", 1, UP),
    ),
    _relation(
        "期末现金及现金等价物余额",
        ("现金及现金等价物净增加额", 1, UP),
        ("期初现金及现金等价物余额", 1, UP),
    ),
    _relation(
        "现金及现金等价物净增加额",
        ("现金的期末余额", 1, UP),
        ("现金的期初余额", -1, UP),
        ("现金等价物的期末余额", 1, UP),
        ("现金等价物的期初余额", -1, UP),
    ),
    _relation("调整后期初未分配利润", ("调整前期末未分配利润", 1, UP), ("调整期初未分配利润合计数", 1, UP)),
    _relation("本期期末余额", ("本年期初余额", 1, UP), ("本期增减变动金额", 1, UP)),
    _relation("负债和所有者权益总计", ("负债合计", 1, UP), ("所有者权益合计", 1, UP)),
    _relation("负债和所有者权益总计", ("资产总计", 1, UP)),
)


@dataclass(frozen=True)
class _Reading:
    """One relation read in one table: the target row and its operand rows with their signs."""

    relation: StatementRelation
    target: int
    members: tuple[tuple[int, int], ...]  # (position in table.rows, sign)


def _known(name: str) -> str:
    """The LINES key ``name`` matches, or ``name`` itself when 营业利润's operands use it; else ""."""
    key = next((key for key, pattern in LINES.items() if pattern.match(name)), "")
    if key:
        return key
    operating = ("营业总收入", "营业总成本", *_REVENUE_LINES, *_COST_LINES, *_GAIN_LINES, *_BREAKDOWN_LINES)
    return name if name in operating else ""


def _named_rows(rows: Sequence[Row]) -> list[str]:
    """The statement line each row prints ("" for none). A label wrapped over two rows, its first
    piece printing no figure ("（一）归属母公司所有者的其他综合收" / "益的税后净额 -3,156,713.02"), names
    the row of its figures, not the first piece ("五、净利润（净亏损以“－”号填" reads as 净利润 alone)."""
    names = [_known(line_name(row.label)) for row in rows]
    for number in range(1, len(rows)):
        above, row = rows[number - 1], rows[number]
        if names[number] or _prints_figures(above) or not _prints_figures(row):
            continue
        joined = _known(line_name(above.label + row.label))
        if joined:
            names[number - 1], names[number] = "", joined
    return names


def _prints_figures(row: Row) -> bool:
    return any(cell is not None and (cell.quantity is not None or cell.unread) for cell in row.cells)


def _nearest(names: Sequence[str], start: int, operand: Operand, target: str) -> int | None:
    """The row of ``operand`` nearest ``start`` in its direction, not past another ``target`` line
    (the next statement) and within reach."""
    position = start + operand.direction
    while 0 <= position < len(names) and abs(position - start) <= _REACH:
        if names[position] == operand.name:
            return position
        if names[position] == target:
            return None
        position += operand.direction
    return None


def readings(table: AnalyzedTable) -> list[_Reading]:
    """Every relation whose target and required operands the table prints."""
    names = _named_rows(table.rows)
    found = []
    for target, name in enumerate(names):
        block = _BLOCKS.get(name)
        if block is not None and (reading := block(table.rows, names, target)) is not None:
            found.append(reading)
        if not name:
            continue
        for relation in RELATIONS:
            if relation.target != name:
                continue
            members: list[tuple[int, int]] = []
            for operand in relation.operands:
                position = _nearest(names, target, operand, name)
                if position is None:
                    if operand.optional:
                        continue
                    break
                members.append((position, operand.sign))
            else:
                rows = [target, *(p for p, _ in members)]
                if any(names[p] in relation.absent for p in range(min(rows), max(rows) + 1)):
                    continue
                found.append(_Reading(relation, target, tuple(members)))
    return found


def _operating_profit(rows: Sequence[Row], names: Sequence[str], target: int) -> _Reading | None:
    """营业利润 = 营业总收入 − 营业总成本 (or 营业收入 − each cost) + each gain, read from the lines
    above it up to the statement's first line; None when a line there is not one the format
    names and prints a figure (a wrapped or unknown line: the reading would be a guess)."""
    top = max(0, target - _REACH)
    top = next((p + 1 for p in range(target - 1, top - 1, -1) if names[p] == "营业利润"), top)
    # The consolidated format's 营业总收入 heads its breakdown (其中：营业收入): the total is the operand.
    start = next((p for p in range(top, target) if names[p] == "营业总收入"), None)
    if start is None:
        start = next((p for p in range(top, target) if names[p] == "营业收入"), None)
    if start is None:
        return None
    consolidated = names[start] == "营业总收入"
    members: list[tuple[int, int]] = [(start, 1)]
    operands: list[Operand] = [Operand(names[start], 1, UP)]
    gains_begun = False
    position = start + 1
    if consolidated:
        cost = next((p for p in range(start + 1, target) if names[p] == "营业总成本"), None)
        if cost is None:
            return None
        members.append((cost, -1))
        operands.append(Operand("营业总成本", -1, UP))
        # The total's breakdown (其中：营业成本 … 财务费用) stands between: the gains start after it.
        position = next((p for p in range(cost + 1, target) if names[p] in _FIRST_GAINS), target)
        gains_begun = True
    for p in range(position, target):
        name, row = names[p], rows[p]
        gains_begun = gains_begun or name in _FIRST_GAINS
        if name in _BREAKDOWN_LINES or row.kind is RowKind.OF_WHICH:
            continue
        if gains_begun and name in _GAIN_LINES:
            sign = 1
        elif not gains_begun and name in _COST_LINES:
            sign = -1
        elif _prints_nonzero(row):
            return None
        else:
            continue
        members.append((p, sign))
        operands.append(Operand(name, sign, UP))
    if len(members) < 3:
        return None
    return _Reading(StatementRelation("营业利润", tuple(operands)), target, tuple(members))


def _indirect_operating_cash_flow(rows: Sequence[Row], names: Sequence[str], target: int) -> _Reading | None:
    """The 补充资料's 经营活动产生的现金流量净额 = 净利润 + every adjustment printed below it (each
    signed as printed: 投资损失（收益以“－”号填列） −24,006,244.36 is added)."""
    start = next((p for p in range(target - 1, max(-1, target - _REACH), -1) if names[p] == "净利润"), None)
    if start is None or any(names[p].startswith("经营活动现金") for p in range(start, target)):
        return None
    members = tuple((p, 1) for p in range(start, target) if rows[p].kind is not RowKind.OF_WHICH)
    if len(members) < 3:
        return None
    operands = (Operand("净利润", 1, UP), Operand("各项调整", 1, UP))
    return _Reading(StatementRelation("经营活动产生的现金流量净额", operands), target, members)


def _retained_earnings(rows: Sequence[Row], names: Sequence[str], target: int) -> _Reading | None:
    """期末未分配利润 = 调整后期初未分配利润 (or 期初未分配利润) + 加： lines − 减： lines, a 减：/加：
    applying to the lines below it until the next (减：提取法定盈余公积 / 提取任意盈余公积 / 应付股利)."""
    above = range(target - 1, max(-1, target - _REACH), -1)
    start = next((p for p in above if names[p] == "调整后期初未分配利润"), None)
    if start is None:
        start = next((p for p in above if names[p] == "期初未分配利润"), None)
    if start is None or target - start < 2:
        return None
    members: list[tuple[int, int]] = [(start, 1)]
    sign = 1
    for p in range(start + 1, target):
        word = rows[p].sign_word
        sign = -1 if word == "减" else 1 if word == "加" else sign
        if rows[p].kind is not RowKind.OF_WHICH:
            members.append((p, sign))
    operands = (Operand(names[start], 1, UP), Operand("加项", 1, UP), Operand("减项", -1, UP))
    return _Reading(StatementRelation("期末未分配利润", operands), target, tuple(members))


def _opening_equity(rows: Sequence[Row], names: Sequence[str], target: int) -> _Reading | None:
    """The equity statement's 本年期初余额 = 上年期末余额 + the adjustments printed between them
    (加：会计政策变更, 前期差错更正, 同一控制下企业合并, 其他)."""
    start = next((p for p in range(target - 1, max(-1, target - 12), -1) if names[p] == "上年期末余额"), None)
    if start is None:
        return None
    members = tuple((p, 1) for p in range(start, target) if rows[p].kind is not RowKind.OF_WHICH)
    operands = (Operand("上年期末余额", 1, UP), Operand("各项调整", 1, UP))
    return _Reading(StatementRelation("本年期初余额", operands), target, members)


_BLOCKS = {
    "本年期初余额": _opening_equity,
    "营业利润": _operating_profit,
    "经营活动产生的现金流量净额": _indirect_operating_cash_flow,
    "期末未分配利润": _retained_earnings,
}


def _prints_nonzero(row: Row) -> bool:
    return any(
        cell is not None and (cell.unread or (cell.quantity is not None and cell.quantity.value != 0))
        for cell in row.cells
    )


def _first_causes(
    found: Sequence[_Reading], outcomes: dict[tuple[int, int], Outcome], failed: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The failures to report: one per stated figure, and none whose difference is an operand's
    own failure passed on (a 利润总额 printed wrong also breaks 净利润 = 利润总额 − 所得税费用 by the
    same amount: the 利润总额 is the finding)."""
    kept: list[tuple[int, int]] = []
    targets: set[tuple[int, int]] = set()
    for number, position in failed:
        reading = found[number]
        if (reading.target, position) in targets:
            continue
        difference = abs(_difference(outcomes[(number, position)]))
        passed_on = any(
            (other, position) in failed
            and found[other].target == operand
            and abs(_difference(outcomes[(other, position)])) == difference
            for operand, _ in reading.members
            for other in range(len(found))
        )
        if not passed_on:
            kept.append((number, position))
            targets.add((reading.target, position))
    return kept


def _difference(outcome: Outcome) -> Decimal:
    return outcome.comparison.difference if outcome.comparison is not None else Decimal(0)


@register
class StatementLineMismatch(Rule):
    """Lines of the income, cash flow and balance sheet statements that do not follow from the
    lines the statement's format computes them from.

    What it checks:
        In a table printing a financial statement's lines (合并/母公司 利润表, 现金流量表, 资产负债表,
        in annual, half-year and quarterly reports, prospectuses and replies), in every amount column:
        利润总额 = 营业利润 + 营业外收入 − 营业外支出; 净利润 = 利润总额 − 所得税费用 = 持续经营净利润 +
        终止经营净利润 = 归属于母公司的净利润 + 少数股东损益; 综合收益总额 = 净利润 + 其他综合收益的税后净额 =
        归属于母公司 + 归属于少数股东的综合收益总额; 其他综合收益的税后净额 = its 母公司 and 少数股东
        parts, and the 母公司 part (or, without it, the whole) = 不能重分类 + 将重分类进损益的其他综合收益;
        each activity's 现金流量净额 = 现金流入小计 − 现金流出小计; 现金及现金等价物净增加额 = the three 净额
        + 汇率变动的影响; 期末现金及现金等价物余额 = 期初余额 + 净增加额; in the 补充资料, 经营活动产生的
        现金流量净额 = 净利润 + every adjustment below it, and 现金及现金等价物净增加额 = 现金的期末余额 −
        期初余额 + 现金等价物的期末余额 − 期初余额; 营业利润 = 营业总收入 − 营业总成本 (or 营业收入 − each
        cost) + each gain line; 期末未分配利润 = 调整后期初未分配利润 + 加： lines − 减： lines (a 减：
        carries to the lines below it), 调整后期初 = 调整前期末 + 调整合计数; in the 所有者权益变动表,
        本年期初余额 = 上年期末余额 + the adjustments between them and 本期期末余额 = 本年期初余额 +
        本期增减变动金额, in every column; 负债和所有者权益总计 = 负债合计 + 所有者权益合计 = 资产总计.
        Lines are recognised by their whole label (numbering, 加：/减：, brackets such as
        （亏损以“－”号填列） and traditional characters aside); an operand is the nearest line of its name
        above or below, within the same statement. Figures are taken as printed (a loss printed negative is
        added as negative); a printed nil is zero. A failure is reported only when the table's reading is
        vouched for: the same relation holds in another column, or two other relations hold in the same
        column; otherwise a misread table could be the cause. In a table of four or more checkable
        columns (an equity statement), a relation failing in more than a third of them is a misread
        grid and is not reported.

    Why it matters:
        The statements are the figures every other part of a report restates; a line that does not
        follow from its operands means a typo in the statement or a line left out of the sum.

    Failing example:
        | 项目 | 2019年度 | 2018年度 |, rows 三、营业利润 918,821,355.42 | 710,852,435.16; 加：营业外收入
        1,125,654.53 | 1,713,286.09; 减：营业外支出 7,494,029.68 | 15,270,110.20; 四、利润总额
        912,452,980.27 | 698,295,611.05: the 2018 利润总额 computes to 697,295,611.05.

    Passing example:
        The same rows with 697,295,611.05 (haixiang 2019 合并利润表 as published).

    Options:
        absolute_tolerance: an extra allowance added to the rounding interval (default 0).
    """

    code = "T009"
    name = "statement-line-mismatch"
    summary = "报表项目与其勾稽项目计算结果不符"
    summary_en = "A financial statement line does not follow from the lines it is computed from"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: StatementLineMismatch.Options = self.options  # type: ignore[assignment]
        for table in ctx.tables:
            found = readings(table)
            if not found:
                continue
            columns = [p for p, column in enumerate(table.columns) if column.kind in SUMMABLE]
            outcomes = {
                (number, position): self._outcome(table, reading, position, options.absolute_tolerance)
                for number, reading in enumerate(found)
                for position in columns
            }
            held_in = [
                {position: outcomes[(number, position)].held for position in columns}
                for number in range(len(found))
            ]
            # An equity statement's dozen columns: a reading that fails in more than a third of them
            # is a misread grid (cells shifted by a column), not errors in each.
            misread = {
                number
                for number, checked in enumerate(held_in)
                if len(tested := [held for held in checked.values() if held is not None]) >= _MANY_COLUMNS
                and sum(tested) * 3 < len(tested) * 2
            }
            reported: list[tuple[int, int]] = []
            for (number, position), outcome in outcomes.items():
                if outcome.held is None:
                    continue
                vouched = number not in misread and (
                    any(held for other, held in held_in[number].items() if other != position)
                    or sum(1 for other in range(len(found)) if other != number and held_in[other][position])
                    >= 2
                )
                ctx.stats.relation(
                    table.table.index,
                    held=bool(outcome.held) and vouched,
                    cells=self._cells(table, found[number], position),
                )
                if not outcome.held and vouched:
                    reported.append((number, position))
            for number, position in _first_causes(found, outcomes, reported):
                yield self._finding(table, found[number], position, outcomes[(number, position)])

    @staticmethod
    def _outcome(table: AnalyzedTable, reading: _Reading, position: int, tolerance: Decimal) -> Outcome:
        target_cell = table.rows[reading.target].cells[position]
        stated = stated_figure(target_cell)
        if stated is None or target_cell is None or target_cell.unread:
            return Outcome(None)
        column = table.columns[position]
        cells = [(table.rows[p].cells[position], sign, column.scale) for p, sign in reading.members]
        return evaluate(stated, cell_scale(target_cell, column), cells, tolerance)

    @staticmethod
    def _cells(table: AnalyzedTable, reading: _Reading, position: int) -> list[Location]:
        rows = [reading.target, *(p for p, _ in reading.members)]
        return [cell.location for p in rows if (cell := table.rows[p].cells[position]) is not None]

    def _finding(
        self, table: AnalyzedTable, reading: _Reading, position: int, outcome: Outcome
    ) -> Diagnostic:
        row = table.rows[reading.target]
        target_cell = row.cells[position]
        assert target_cell is not None and target_cell.quantity is not None and outcome.comparison
        column = table.columns[position]
        figures = [target_cell.quantity]
        related = []
        addends: list[tuple[Cell | None, int, int | None]] = []
        for p, sign in reading.members:
            cell = table.rows[p].cells[position]
            addends.append((cell, sign, column.scale))
            if cell is None:
                continue
            if cell.quantity is not None:
                figures.append(cell.quantity)
            word = "加数" if sign > 0 else "减数"
            related.append(Related(location=cell.location, label=f"{word}：{table.rows[p].label}"))
        comparison = outcome.comparison
        stated = target_cell.text.strip().replace(" ", "")
        expected = printed(comparison.expected, figures)
        difference = printed(comparison.difference, figures)
        header = f"（{column.header}）" if column.header else ""
        header_en = f" ({column.header})" if column.header else ""
        formula = reading.relation.formula()
        return self.diagnostic(
            message=(
                f"「{row.label}」{header}与报表勾稽关系不符：列示 {stated}，"
                f"按 {formula} 计算为 {expected}（差异 {difference}）"
            ),
            message_en=(
                f'"{row.label}"{header_en} does not follow from the statement: stated {stated}, '
                f"{formula} gives {expected} (difference {difference})"
            ),
            location=target_cell.location,
            comparison=comparison,
            related=tuple(related),
            relation=sum_relation(target_cell, column, addends),
        )
