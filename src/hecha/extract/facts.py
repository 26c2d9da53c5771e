"""Builds a document's fact base: facts from tables and prose, claims from prose.

Placeholder until the fact-base work lands: an empty fact base.
"""

from __future__ import annotations

from collections.abc import Sequence

from hecha.extract.factbase import FactBase
from hecha.extract.roles import AnalyzedTable
from hecha.model.document import Document


def build_fact_base(document: Document, tables: Sequence[AnalyzedTable]) -> FactBase:
    return FactBase()
