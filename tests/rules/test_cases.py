"""Runs every rule case in tests/rules/cases/*.yaml.

A case file belongs to one rule (``rule: T001``) and lists named cases. A case gives its input as
one of:
- ``table:`` an inline pipe table (with an optional ``unit:`` such as 万元 and ``title:``);
- ``document:`` an inline Markdown document (prose lines, unit lines, pipe or HTML tables), read by
  the Markdown reader: the input of prose and cross-reference rules;
- ``fixture:`` a file under tests/fixtures (with ``table_index:`` to keep one table).
``expect:`` lists the findings expected from that rule: each with the stated figure's place, either
{row, col} (grid indices in its table, header rows included, the pipe separator line excluded) or
{line} (1-based line of an inline document, for a figure in prose; ``quote:`` optionally names
it), and optionally ``stated``/``expected`` (``expected_within`` widens the comparison) and
``diagnosis`` (the kind of the likely cause the finding must carry, e.g. sign-flip; null for none).
``expect: []`` is a passing case. Every rule must have at least one failing and one passing case.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from case_support import Case, case_document, case_ids, load_cases

from hecha.engine import check_document
from hecha.rules.registry import all_rules, get_rule

CASES = load_cases()


def _decimal(value: object) -> Decimal:
    return Decimal(str(value).replace(",", ""))


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_rule_case(case: Case) -> None:
    rule_class = get_rule(case.rule)
    assert rule_class is not None, f"no rule {case.rule}"
    document = case_document(case)
    result = check_document(document, [rule_class()])
    assert not result.rule_failures, result.rule_failures
    if case.spec.get("uncertain"):
        assert result.stats.uncertain_tables == 1, "expected the table to be counted as uncertain"
    found_all = result.diagnostics
    found = sorted(
        (
            _place(d.location.row, d.location.col, d.location.line),
            d.stated,
            d.expected,
            d.location.quote,
            d.diagnosis.kind if d.diagnosis else None,
        )
        for d in result.diagnostics
        if d.code == case.rule
    )
    expected = sorted(
        case.spec.get("expect") or [], key=lambda i: _place(i.get("row"), i.get("col"), i.get("line"))
    )
    assert [place for place, *_ in found] == [
        _place(item.get("row"), item.get("col"), item.get("line")) for item in expected
    ], f"findings: {[(d.location.row, d.location.col, d.location.line, d.message) for d in found_all]}"
    for (_, stated, recomputed, quote, diagnosis), item in zip(found, expected, strict=True):
        if "diagnosis" in item:
            assert diagnosis == item["diagnosis"], f"diagnosis {diagnosis!r}, expected {item['diagnosis']!r}"
        if "quote" in item:
            assert item["quote"] in quote
        if "stated" in item:
            assert stated == _decimal(item["stated"])
        if "expected" in item:
            assert recomputed is not None
            tolerance = _decimal(item.get("expected_within", "0.01"))
            assert abs(recomputed - _decimal(item["expected"])) <= tolerance


def _place(row: int | None, col: int | None, line: int | None) -> tuple[int, int, int]:
    """Where a finding stands: a table cell by (row, col), a prose figure by its line."""
    if row is not None and col is not None:
        return (0, row, col)
    return (1, line or 0, 0)


def test_every_rule_has_failing_and_passing_cases() -> None:
    by_rule: dict[str, list[Case]] = {}
    for case in CASES:
        by_rule.setdefault(case.rule, []).append(case)
    for rule in all_rules():
        cases = by_rule.get(rule.code, [])
        assert any(c.spec.get("expect") for c in cases), f"{rule.code} has no failing case"
        assert any(not c.spec.get("expect") for c in cases), f"{rule.code} has no passing case"
