"""The last step of every reader: the same checks on the tables of every format.

In order: a table a converter damaged is made unread (damage), tables stacked in one grid under
headers of their own are split apart (restated_headers), and tables printed as two panels side
by side are split in two and every table renumbered in reading order (panels).
"""

from __future__ import annotations

from hecha.ingest.damage import mark_damaged_tables
from hecha.ingest.panels import split_panels
from hecha.ingest.restated_headers import split_at_new_headers
from hecha.model.document import Table


def finished(tables: list[Table]) -> tuple[Table, ...]:
    return tuple(split_panels(split_at_new_headers(mark_damaged_tables(tables))))
