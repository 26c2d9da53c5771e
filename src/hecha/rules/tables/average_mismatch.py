"""T005 average-mismatch: a 平均值 row (or column) that is not the mean of the figures it averages,
or a 中位数 row that is not their median."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hecha.extract.roles import AnalyzedTable, ColumnKind, Row, RowKind
from hecha.ingest.numbers import normalize, squeezed
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm
from hecha.model.document import Cell
from hecha.model.quantity import Interval, Quantity, interval_median, interval_sum
from hecha.rules.base import Comparison, Rule, RuleContext, compare
from hecha.rules.registry import register
from hecha.rules.tables._columns import term
from hecha.rules.tables.total_mismatch import printed

_AVERAGED = (
    ColumnKind.AMOUNT,
    ColumnKind.PERCENT,
    ColumnKind.SHARE,
    ColumnKind.MARGIN,
    ColumnKind.CHANGE_RATE,
)
_PEER_STOP = (RowKind.TOTAL, RowKind.SUBTOTAL, RowKind.SECTION, RowKind.AVERAGE, RowKind.MEDIAN)


@dataclass(frozen=True)
class _Mean:
    """The mean of the peers that print a figure; ``with_blanks`` counts blank peers as 0."""

    peers: tuple[tuple[Row, Cell], ...]
    blanks: tuple[Row, ...]
    mean: Interval
    with_blanks: Interval | None


def _mean(stated: Quantity, peers: Sequence[Row], position: int, median: bool = False) -> _Mean | None:
    """None when a peer's figure is unknown or not of the stated figure's unit. With ``median``
    the statistic is the peers' median (blank peers left out)."""
    figures: list[tuple[Row, Cell]] = []
    blanks: list[Row] = []
    for row in peers:
        cell = row.cells[position]
        if cell is None:
            return None
        if cell.quantity is None:
            if cell.blank or not cell.text.strip():
                blanks.append(row)
                continue
            return None
        if cell.quantity.unit is not stated.unit or cell.quantity.scale != stated.scale:
            return None
        figures.append((row, cell))
    if len(figures) < 2:
        return None
    intervals = [cell.quantity.interval for _, cell in figures if cell.quantity is not None]
    if median:
        return _Mean(tuple(figures), tuple(blanks), interval_median(intervals), None)
    total = interval_sum(intervals)
    mean = total.scaled(Decimal(1) / Decimal(len(intervals)))
    with_blanks = total.scaled(Decimal(1) / Decimal(len(intervals) + len(blanks))) if blanks else None
    return _Mean(tuple(figures), tuple(blanks), mean, with_blanks)


_PLAIN_LABELS = frozenset(
    {"平均值", "平均", "均值", "平均数", "可比公司平均", "可比公司平均值", "算术平均值", "中位数", "中值"}
)


@register
class AverageMismatch(Rule):
    """A 平均值 row that is not the mean of the rows above it.

    What it checks:
        Each 平均值 / 均值 / 可比公司平均 / 行业平均 row against the arithmetic mean of the rows above
        it (since the previous total, average or section heading), column by column. Peers that
        print 不适用, - or nothing are left out of the mean; when counting such a peer as zero
        would change the outcome, the message says so. A figure fails only when the rounding
        interval of the stated average and that of the recomputed mean do not overlap. A 中位数
        row is checked alike against the peers' median (the mean of the two middle figures for an
        even count); a 平均数 row printed above it does not end its peers.

    Why it matters:
        Peer comparisons (可比公司毛利率、坏账计提比例) carry the argument of an inquiry reply; a wrong
        average, or one that silently counts a 不适用 peer as zero, misstates the comparison.

    Failing example:
        | 公司简称 | 2025年度 |
        | 江波龙 | 19.40% |
        | 德明利 | 14.81% |
        | 佰维存储 | 21.45% |
        | 可比公司平均 | 19.55% |   (the mean is 18.55%)

    Passing example:
        | 公司简称 | 2025年度 |
        | 江波龙 | 19.40% |
        | 德明利 | 14.81% |
        | 佰维存储 | 21.45% |
        | 可比公司平均 | 18.55% |

    Options:
        absolute_tolerance: an extra allowance added to the rounding interval (default 0).
    """

    code = "T005"
    name = "average-mismatch"
    summary = "平均值与各项的算术平均不符"
    summary_en = "Average does not equal the mean of its items"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    @property
    def _tolerance(self) -> Decimal:
        options = self.options
        return options.absolute_tolerance if isinstance(options, AverageMismatch.Options) else Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for table in ctx.tables:
            for end, row in enumerate(table.rows):
                if row.kind in (RowKind.AVERAGE, RowKind.MEDIAN):
                    yield from self._average_row(ctx, table, end)

    def _average_row(self, ctx: RuleContext, table: AnalyzedTable, end: int) -> Iterator[Diagnostic]:
        median = table.rows[end].kind is RowKind.MEDIAN
        peers: list[Row] = []
        start = end - 1
        while start >= 0 and table.rows[start].kind in (RowKind.AVERAGE, RowKind.MEDIAN):
            start -= 1  # "平均数" then "中位数": both are of the peers above the first
        for position in range(start, -1, -1):
            row = table.rows[position]
            if row.kind in _PEER_STOP:
                break
            if row.kind is RowKind.ITEM:
                peers.append(row)
        peers.reverse()
        average = table.rows[end]
        results: list[tuple[int, _Mean, Comparison | None, bool]] = []
        for position, column in enumerate(table.columns):
            cell = average.cells[position]
            if column.kind not in _AVERAGED or cell is None or cell.quantity is None:
                continue
            mean = _mean(cell.quantity, peers, position, median)
            if mean is None:
                continue
            failure = compare(cell.quantity, mean.mean, self._tolerance)
            holds_with_blanks = mean.with_blanks is not None and (
                compare(cell.quantity, mean.with_blanks, self._tolerance) is None
            )
            results.append((position, mean, failure, holds_with_blanks))
        held = sum(1 for _, _, failure, _ in results if failure is None)
        # A mean that held counts its cells as verified only when its failure would be reported:
        # another column still holding, or the plain one-column list of peers.
        reportable = held >= 2 or (len(results) == 1 and self._plain(average))
        for position, mean, failure, _ in results:
            stated = average.cells[position]
            assert stated is not None
            locations = [stated.location, *(peer_cell.location for _, peer_cell in mean.peers)]
            ctx.stats.relation(table.table.index, held=failure is None, cells=locations if reportable else ())
        for position, mean, failure, holds_with_blanks in results:
            if failure is None:
                continue
            # Report when the reading is corroborated: the same peers average correctly in
            # another column, or the table is a plain list of peers with one figure column.
            if held == 0 and not (len(results) == 1 and self._plain(average)):
                continue
            yield self._finding(table, average, position, mean, failure, holds_with_blanks, median)

    @staticmethod
    def _plain(average: Row) -> bool:
        label = squeezed(average.label)
        return label in _PLAIN_LABELS

    def _finding(
        self,
        table: AnalyzedTable,
        average: Row,
        position: int,
        mean: _Mean,
        failure: Comparison,
        holds_with_blanks: bool,
        median: bool = False,
    ) -> Diagnostic:
        cell = average.cells[position]
        assert cell is not None and cell.quantity is not None
        figures = [cell.quantity, *(c.quantity for _, c in mean.peers if c.quantity is not None)]
        stated = normalize(cell.text).strip().replace(" ", "")
        suffix = "%" if cell.quantity.is_percent and stated.endswith("%") else ""
        expected = printed(failure.expected, figures) + suffix
        difference = printed(failure.difference, figures) + suffix
        header = table.columns[position].header
        where = f"「{average.label}」" + (f"（{header}）" if header else "")
        where_en = f'"{average.label}"' + (f" ({header})" if header else "")
        note = note_en = ""
        if mean.blanks:
            names = "、".join(row.label for row in mean.blanks)
            if holds_with_blanks:
                note = f"；若将未列示数值的「{names}」按0计入则相符，平均值可能误将其计入"
                note_en = f'; it matches if "{names}" (no figure) is counted as 0: the average may include it'
            else:
                note = f"；已剔除未列示数值的「{names}」"
                note_en = f'; "{names}" (no figure) left out'
        related = tuple(Related(location=c.location, label=f"样本：{row.label}") for row, c in mean.peers)
        # The mean over the peers that print a figure (every one in the stated figure's unit and
        # scale, or the mean is not taken): the blanks are left out, as the recomputation does.
        if median:
            return self.diagnostic(
                message=(
                    f"{where}中位数与各项的中位数不符：列示 {stated}，"
                    f"{len(mean.peers)}项的中位数为 {expected}（差异 {difference}）{note}"
                ),
                message_en=(
                    f"{where_en}: median does not equal the median of its {len(mean.peers)} items: "
                    f"stated {stated}, median {expected} (difference {difference}){note_en}"
                ),
                location=cell.location,
                comparison=failure,
                related=related,
                relation=Relation(
                    RelationForm.MEDIAN,
                    tuple(term("item", c, c.quantity) for _, c in mean.peers if c.quantity is not None),
                ),
            )
        relation = Relation(
            RelationForm.MEAN,
            tuple(term("item", c, c.quantity) for _, c in mean.peers if c.quantity is not None),
        )
        return self.diagnostic(
            message=(
                f"{where}平均值与各项的算术平均不符：列示 {stated}，"
                f"{len(mean.peers)}项平均 {expected}（差异 {difference}）{note}"
            ),
            message_en=(
                f"{where_en}: average does not equal the mean of its {len(mean.peers)} items: "
                f"stated {stated}, mean {expected} (difference {difference}){note_en}"
            ),
            location=cell.location,
            comparison=failure,
            related=related,
            relation=relation,
        )
