"""What the rule-case tests share: the cases of tests/rules/cases/*.yaml, the Document a case
describes, the findings its rule gives on it, and a Relation's figure rebuilt from its terms.

A case file belongs to one rule (``rule: T001``) and lists named cases; test_cases.py describes the
keys. Not a test module (no ``test_`` prefix): the tests in this folder import it as a sibling.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from hecha.engine import check_document
from hecha.ingest.grid import pipe_table
from hecha.ingest.loader import load
from hecha.ingest.markdown import parse as parse_markdown
from hecha.model.diagnostic import Diagnostic, Relation, RelationForm
from hecha.model.document import Document
from hecha.rules.registry import get_rule

CASES_DIR = Path(__file__).parent / "cases"
FIXTURES_DIR = Path(__file__).parent.parent / "fixtures"


@dataclass(frozen=True)
class Case:
    """One named case of a rule's case file, its YAML mapping kept whole as ``spec``."""

    rule: str
    name: str
    spec: dict[str, Any]
    file: Path


def load_cases(rules: Iterable[str] | None = None, *, failing_only: bool = False) -> list[Case]:
    """The cases of every case file (sorted by file name), or of the files of ``rules`` in the
    order given; with ``failing_only`` only the cases that expect a finding."""
    paths = sorted(CASES_DIR.glob("*.yaml")) if rules is None else [CASES_DIR / f"{r}.yaml" for r in rules]
    cases: list[Case] = []
    for path in paths:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases.extend(
            Case(content["rule"], spec["name"], spec, path)
            for spec in content["cases"]
            if spec.get("expect") or not failing_only
        )
    return cases


def case_ids(cases: Iterable[Case]) -> list[str]:
    return [f"{case.rule}-{case.name}" for case in cases]


def case_named(cases: Iterable[Case], rule: str, name: str) -> Case:
    return next(case for case in cases if case.rule == rule and case.name == name)


def case_document(case: Case) -> Document:
    """The case's input: an inline ``document:`` read as Markdown, a ``fixture:`` file (cut to
    its ``table_index:`` table when given), or an inline pipe ``table:`` with its unit and title."""
    spec = case.spec
    source = f"{case.file.name}:{case.name}"
    if "document" in spec:
        return parse_markdown(spec["document"], source=source)
    if "fixture" in spec:
        document = load(str(FIXTURES_DIR / spec["fixture"]))
        if "table_index" in spec:
            wanted = document.tables[spec["table_index"]]
            document = Document(
                source=document.source,
                format=document.format,
                page_count=document.page_count,
                tables=(wanted,),
            )
        return document
    lines = [line for line in spec["table"].splitlines() if line.strip()]
    unit = spec.get("unit")
    table = pipe_table(
        lines,
        source=source,
        first_line=1,
        index=0,
        unit=f"单位：{unit}" if unit else None,
        title=spec.get("title", ""),
        context=spec.get("context", ""),
    )
    return Document(source=table.location.source, format="case", page_count=None, tables=(table,))


def case_findings(case: Case) -> tuple[Document, list[Diagnostic]]:
    """The case's Document and the findings of the case's own rule on it (run alone)."""
    rule_class = get_rule(case.rule)
    assert rule_class is not None, f"no rule {case.rule}"
    document = case_document(case)
    result = check_document(document, [rule_class()])
    return document, [d for d in result.diagnostics if d.code == case.rule]


def assert_rebuilds(finding: Diagnostic) -> Relation:
    """The finding's relation, read the form's own way (``rebuild``'s first reading), gives its
    expected figure within its tolerance, and each term stands on one of the finding's related
    places, never on the stated figure itself."""
    relation = finding.relation
    assert relation is not None, f"{finding.code} finding without a relation: {finding.message}"
    assert finding.expected is not None and finding.tolerance is not None
    rebuilt = rebuild(relation)[0]
    assert abs(rebuilt - finding.expected) <= finding.tolerance, (
        f"{finding.code}: {relation} gives {rebuilt}, the finding expects {finding.expected} "
        f"± {finding.tolerance}"
    )
    places = {related.location for related in finding.related}
    for term in relation.terms:
        assert term.location in places, f"{finding.code}: term {term} is not among the related places"
        assert term.location != finding.location, "a term is an operand, not the stated figure"
    return relation


def rebuild(relation: Relation) -> list[Decimal]:
    """Every figure the relation's form allows, from its terms alone (each operand is sign × value,
    as model/diagnostic.py defines the forms; a RATIO is Σ numerators / Σ denominators).

    One reading, except a CHANGE on a negative prior: (c − p) / |p| first, the form's definition,
    then (c − p) / p (documents use both)."""
    values = [term.sign * term.value for term in relation.terms]
    form = relation.form
    if form is RelationForm.SUM:
        return [sum(values, Decimal(0)) * relation.scale]
    if form is RelationForm.MEAN:
        return [sum(values, Decimal(0)) / len(values) * relation.scale]
    if form is RelationForm.MEDIAN:
        ordered, half = sorted(values), len(values) // 2
        middle = ordered[half] if len(values) % 2 else (ordered[half - 1] + ordered[half]) / 2
        return [middle * relation.scale]
    if form is RelationForm.RATIO:
        signed = list(zip(relation.terms, values, strict=True))
        numerator = sum((v for t, v in signed if t.role == "numerator"), Decimal(0))
        denominator = sum((v for t, v in signed if t.role == "denominator"), Decimal(0))
        return [numerator / denominator * relation.scale]
    if form is RelationForm.PRODUCT:
        product = Decimal(1)
        for value in values:
            product *= value
        return [product * relation.scale]
    by_role = {term.role: value for term, value in zip(relation.terms, values, strict=True)}
    if form is RelationForm.CHANGE:
        change, prior = by_role["current"] - by_role["prior"], by_role["prior"]
        readings = [change / abs(prior) * relation.scale]
        return [*readings, change / prior * relation.scale] if prior < 0 else readings
    if form is RelationForm.DIFFERENCE:
        return [(by_role["current"] - by_role["prior"]) * relation.scale]
    if form is RelationForm.MARGIN:
        return [(by_role["revenue"] - by_role["cost"]) / by_role["revenue"] * relation.scale]
    assert form is RelationForm.EQUAL and len(values) == 1, f"a restatement has one term: {relation}"
    return [values[0] * relation.scale]
