"""Runs the diagnosis cases in tests/diagnose/cases/<kind>.yaml.

Each case gives an inline pipe table cut from a real document (``source`` says where; the
figure changed to inject the error is named in ``source`` too), the failed relation over its
cells (``relation``: form, scale, the stated cell and the operand cells with their roles and
signs) and what the diagnosis must be: ``diagnosis`` (a kind, or null for none), optionally
``evidence`` (the grid places the diagnosis must name first, in order) and ``not`` (kinds that
must not be the diagnosis; ``alternatives``, kinds that must be listed as alternatives).

The Diagnostic is built by hand from the relation, as a rule would build it, and explained with
the document's analyzed tables. When the full engine flags the stated cell with a relation of
its own, its diagnosis must name the same kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from hecha.diagnose import DiagnosisContext, explain
from hecha.engine import analyze_tables, check_document
from hecha.ingest.grid import pipe_table
from hecha.model.diagnostic import Diagnostic, Relation, RelationForm, Severity, Term
from hecha.model.document import Cell, Document

CASES_DIR = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    spec: dict[str, Any]


def _load() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for spec in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            cases.append(Case(path.stem, spec["name"], spec))
    return cases


CASES = _load()


def _document(case: Case) -> Document:
    lines = [line for line in case.spec["table"].splitlines() if line.strip()]
    unit = case.spec.get("unit")
    table = pipe_table(
        lines,
        source=f"{case.file}.yaml:{case.name}",
        first_line=1,
        index=0,
        unit=f"单位：{unit}" if unit else None,
        title=case.spec.get("title", ""),
    )
    return Document(source=table.location.source, format="case", page_count=None, tables=(table,))


def _cell(document: Document, place: dict[str, int]) -> Cell:
    cell = document.tables[0].rows[place["row"]][place["col"]]
    assert cell.quantity is not None, f"no figure at {place}"
    return cell


def _diagnostic(document: Document, spec: dict[str, Any]) -> Diagnostic:
    stated = _cell(document, spec["stated"])
    terms = []
    for term in spec["terms"]:
        cell = _cell(document, term)
        assert cell.quantity is not None
        terms.append(
            Term(
                role=term.get("role", "addend"),
                location=cell.location,
                value=cell.quantity.value,
                decimals=cell.quantity.decimals,
                sign=term.get("sign", 1),
            )
        )
    assert stated.quantity is not None
    relation = Relation(RelationForm(spec["form"]), tuple(terms), Decimal(str(spec.get("scale", 1))))
    return Diagnostic(
        code="T000",
        rule="case",
        severity=Severity.ERROR,
        message="",
        message_en="",
        location=stated.location,
        stated=stated.quantity.value,
        relation=relation,
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}-{c.name}" for c in CASES])
def test_diagnosis_case(case: Case) -> None:
    document = _document(case)
    context = DiagnosisContext(document=document, tables=tuple(analyze_tables(document)))
    diagnosis = explain(_diagnostic(document, case.spec["relation"]), context)
    expected = case.spec["diagnosis"]
    assert (diagnosis.kind if diagnosis else None) == expected, diagnosis
    if diagnosis is None:
        return
    assert diagnosis.sentence and diagnosis.sentence_en
    wanted = [(place["row"], place["col"]) for place in case.spec.get("evidence", [])]
    named = [(related.location.row, related.location.col) for related in diagnosis.evidence]
    assert named[: len(wanted)] == wanted
    for kind in case.spec.get("not", []):
        assert kind != diagnosis.kind
    for kind in case.spec.get("alternatives", []):
        assert kind in diagnosis.alternatives

    stated = case.spec["relation"]["stated"]
    for finding in check_document(document).diagnostics:
        at_stated = (finding.location.row, finding.location.col) == (stated["row"], stated["col"])
        if at_stated and finding.relation is not None and finding.diagnosis is not None:
            assert finding.diagnosis.kind == expected, (finding.code, finding.diagnosis)


def test_every_kind_has_a_case_file() -> None:
    from hecha.diagnose.candidate import TIER

    assert {path.stem for path in CASES_DIR.glob("*.yaml")} >= set(TIER) - {"wrong-count", "complement"}
