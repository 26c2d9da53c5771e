"""Searches the candidate explanations of one failed relation and keeps the simplest that
reproduces the stated figure within its rounding interval.

Placeholder until the diagnosis work lands: no explanation.
"""

from __future__ import annotations

from dataclasses import dataclass

from hecha.extract.roles import AnalyzedTable
from hecha.model.diagnostic import Diagnosis, Diagnostic
from hecha.model.document import Document


@dataclass(frozen=True)
class DiagnosisContext:
    """What an explanation may look at beyond the relation itself: the document and its tables
    (another column's total, last year's figure, the net instead of the gross balance…)."""

    document: Document
    tables: tuple[AnalyzedTable, ...]


def explain(diagnostic: Diagnostic, context: DiagnosisContext) -> Diagnosis | None:
    """The likely cause of ``diagnostic``'s failure, or None when no candidate reproduces it."""
    return None
