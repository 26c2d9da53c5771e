"""Frozen value types shared by every stage. Imports nothing else from hecha."""

from hecha.model.diagnostic import Diagnosis, Diagnostic, Related, Relation, RelationForm, Severity, Term
from hecha.model.document import BBox, Cell, Document, Location, Paragraph, Table
from hecha.model.quantity import Interval, Quantity, Unit, interval_sum

__all__ = [
    "BBox",
    "Cell",
    "Diagnosis",
    "Diagnostic",
    "Document",
    "Interval",
    "Location",
    "Paragraph",
    "Quantity",
    "Related",
    "Relation",
    "RelationForm",
    "Severity",
    "Table",
    "Term",
    "Unit",
    "interval_sum",
]
