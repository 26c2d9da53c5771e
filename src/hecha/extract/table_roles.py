"""Infers table roles (header rows, label column, totals, 其中 rows, averages, column kinds).

Placeholder until the roles work lands: every table is reported as uncertain.
"""

from hecha.extract.roles import AnalyzedTable
from hecha.model.document import Table


def analyze_table(table: Table) -> AnalyzedTable:
    return AnalyzedTable(table=table, columns=(), rows=(), header_row_count=0, uncertain="not analyzed yet")
