"""Diagnosis: explains a failed relation (sign flip, wrong base, omitted row, transposition, …).

The engine calls ``explain`` on every finding whose rule gave its Relation and no Diagnosis of its
own; the result is attached as ``Diagnostic.diagnosis``.
"""

from hecha.diagnose.explain import DiagnosisContext, explain

__all__ = ["DiagnosisContext", "explain"]
