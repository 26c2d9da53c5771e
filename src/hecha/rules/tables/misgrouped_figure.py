"""T010 misgrouped-figure: a figure cell whose thousands separators leave a group short
("208,11,411"): a digit was lost or the separators misplaced, so its value cannot be known."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from hecha.extract.roles import ColumnKind
from hecha.ingest.numbers import squeezed
from hecha.model.diagnostic import Diagnostic, Severity
from hecha.rules.base import Rule, RuleContext
from hecha.rules.registry import register

# Groups of three after the first, except one of one or two digits between full groups: the
# shape of a lost digit. A group of four or more is left alone: text readers glue two figures
# ("459,781,5519") far more often than a document prints one.
_MISGROUPED = re.compile(r"^[-−(（]?(\d{1,3}(?:,\d{3})*,\d{1,2}(?:,\d{3})+)(\.\d+)?[)）]?$")
_FIGURE_COLUMNS = frozenset({ColumnKind.AMOUNT, ColumnKind.DIFFERENCE, ColumnKind.OTHER})


@register
class MisgroupedFigure(Rule):
    """A figure whose thousands separators leave a group short.

    What it checks:
        Every cell of a figure column of a table hecha understood that prints digits separated
        by commas where a group between two full groups of three holds only one or two digits
        ("208,11,411" beside 208,111,411 in the rows above). Such a figure is not read (its
        value is unknown, so no sum counts it) and is reported: a digit was most likely lost
        when it was typed. Groups of four digits or more are not reported, since extracted text
        glues neighbouring figures into that shape far more often than a document prints it.

    Why it matters:
        A figure missing a digit is a typing error a reader does not see at a glance, and the
        relations it stands in cannot be checked until it is corrected.

    Failing example:
        | 股东名称 | 认购股数（股） |, rows 中国节能 208,111,411, 中节能资本 -, 中国节能合计
        208,11,411: the last figure has a two-digit group.

    Passing example:
        The same table with 208,111,411.

    Options:
        none.
    """

    code = "T010"
    name = "misgrouped-figure"
    summary = "数字千分位分组有误，可能漏写或错写数字"
    summary_en = "A figure's thousands grouping is broken: a digit may be missing"
    default_severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for table in ctx.tables:
            for row in table.rows:
                for position, column in enumerate(table.columns):
                    cell = row.cells[position] if position < len(row.cells) else None
                    if column.kind not in _FIGURE_COLUMNS or cell is None or cell.quantity is not None:
                        continue
                    text = squeezed(cell.text)
                    match = _MISGROUPED.match(text)
                    if match is None:
                        continue
                    digits = match.group(1).replace(",", "")
                    where = f"「{row.label}」" + (f"（{column.header}）" if column.header else "")
                    where_en = f'"{row.label}"' + (f" ({column.header})" if column.header else "")
                    diagnostic = self.diagnostic(
                        message=(
                            f"{where}数字千分位分组有误：列示 {text}，其中一组不足三位，"
                            "可能漏写了数字，该数未参与核查"
                        ),
                        message_en=(
                            f"{where_en}: the figure {text} has a group of fewer than three digits "
                            "between its separators; a digit may be missing, and it was not checked"
                        ),
                        location=cell.location,
                    )
                    # The digits as printed, for whoever compares it with the figure it should be.
                    yield replace(diagnostic, stated=Decimal(digits))
