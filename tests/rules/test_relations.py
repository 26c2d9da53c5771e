"""Every finding of a table rule (T001–T007) carries the relation that failed, and that relation is
the one the rule judged: rebuilt from its terms alone it gives the finding's expected figure.

The failing cases of tests/rules/cases/T00*.yaml are the inputs (each a table cut from a real
document). Diagnosis searches around these relations, so a term that is missing, mis-signed or in
the wrong unit would send it after the wrong cause; rebuilding the figure from the terms is what
catches that. A few cases also pin the form, the roles and the cells of the terms.
"""

from __future__ import annotations

import pytest
from case_support import Case, case_findings, case_ids, load_cases, rebuild

from hecha.model.diagnostic import Relation, RelationForm

# The forms each rule may state a failure in.
FORMS = {
    "T001": {RelationForm.SUM},
    "T002": {RelationForm.RATIO, RelationForm.SUM},
    "T003": {RelationForm.CHANGE, RelationForm.RATIO, RelationForm.DIFFERENCE},
    "T004": {RelationForm.DIFFERENCE, RelationForm.CHANGE, RelationForm.RATIO},
    "T005": {RelationForm.MEAN, RelationForm.MEDIAN},
    "T006": {RelationForm.MARGIN, RelationForm.SUM},
    "T007": {RelationForm.SUM, RelationForm.RATIO, RelationForm.PRODUCT, RelationForm.CHANGE},
}


CASES = load_cases(FORMS, failing_only=True)


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_relation_rebuilds_the_expected_figure(case: Case) -> None:
    document, findings = case_findings(case)
    assert findings
    grid = document.tables[0].rows
    for finding in findings:
        relation = finding.relation
        assert relation is not None, finding.message
        assert relation.form in FORMS[case.rule]
        assert finding.expected is not None and finding.tolerance is not None and finding.stated is not None
        figure = min(rebuild(relation), key=lambda reading: abs(reading - (finding.expected or 0)))
        assert abs(figure - finding.expected) <= finding.tolerance, (figure, finding.expected)
        # The relation fails: its exact value lies outside the stated figure's rounding interval.
        stated = grid[finding.location.row or 0][finding.location.col or 0].quantity
        assert stated is not None and abs(figure - finding.stated) > stated.half_ulp
        for term in relation.terms:
            location = term.location
            assert location.row is not None and location.col is not None
            cell = grid[location.row][location.col]
            assert cell.quantity is not None, term
            # The printed figure, moved by whole powers of ten into the relation's unit.
            shift = cell.quantity.decimals - term.decimals
            assert cell.quantity.value.scaleb(shift) == term.value, term
            assert term.sign in (1, -1)


def _only(case_name: str, row: int, col: int) -> Relation:
    case = next(c for c in CASES if c.name == case_name)
    _, findings = case_findings(case)
    found = [d for d in findings if (d.location.row, d.location.col) == (row, col)]
    assert len(found) == 1 and found[0].relation is not None
    return found[0].relation


def _shape(relation: Relation) -> list[tuple[str, int | None, int | None, int]]:
    return [(t.role, t.location.row, t.location.col, t.sign) for t in relation.terms]


def test_footing_with_a_less_row_subtracts_it() -> None:
    relation = _only("non-recurring-items-less-tax-item-altered", 7, 1)
    assert relation.form is RelationForm.SUM and relation.scale == 1
    assert _shape(relation) == [("addend", r, 1, 1) for r in range(1, 6)] + [("addend", 6, 1, -1)]


def test_column_total_adds_the_same_period_of_each_group() -> None:
    relation = _only("segment-total-column-altered", 3, 5)
    assert _shape(relation) == [("addend", 3, 1, 1), ("addend", 3, 3, 1)]


def test_total_footing_reads_the_subtotals_it_closes() -> None:
    relation = _only("quarterly-revenue-total-altered", 11, 1)
    assert _shape(relation) == [("addend", 6, 1, 1), ("addend", 10, 1, 1)]


def test_share_of_a_mistyped_total_is_over_the_sum_of_the_items() -> None:
    relation = _only("mistyped-total-breaks-every-share", 12, 2)
    assert relation.form is RelationForm.RATIO and relation.scale == 100
    assert _shape(relation) == [("numerator", 12, 1, 1)] + [("denominator", r, 1, 1) for r in range(1, 12)]


def test_share_over_its_total_row() -> None:
    relation = _only("mode-share-wrong", 2, 2)
    assert _shape(relation) == [("numerator", 2, 1, 1), ("denominator", 3, 1, 1)]


def test_change_rate_and_its_signed_variant() -> None:
    rate = _only("revenue-rate-wrong", 3, 2)
    assert rate.form is RelationForm.CHANGE and rate.scale == 100
    assert _shape(rate) == [("current", 3, 1, 1), ("prior", 3, 3, 1)]
    # On a negative prior this column divides by the prior itself, (c − p) / p: the same CHANGE,
    # whose second reading is the one the finding's expected figure follows.
    case = next(c for c in CASES if c.name == "cash-flow-negative-prior-altered")
    finding = next(d for d in case_findings(case)[1] if (d.location.row, d.location.col) == (3, 3))
    signed = finding.relation
    assert signed is not None and signed.form is RelationForm.CHANGE and signed.scale == 100
    assert _shape(signed) == [("current", 3, 1, 1), ("prior", 3, 2, 1)]
    by_prior, by_its_absolute_value = rebuild(signed)[1], rebuild(signed)[0]
    assert finding.expected is not None and finding.tolerance is not None
    assert abs(by_prior - finding.expected) <= finding.tolerance
    assert abs(by_its_absolute_value - finding.expected) > finding.tolerance


def test_percentage_points_are_a_difference() -> None:
    relation = _only("margin-change-wrong", 2, 3)
    assert relation.form is RelationForm.DIFFERENCE and relation.scale == 1
    assert _shape(relation) == [("current", 2, 1, 1), ("prior", 2, 2, 1)]


def test_mean_leaves_out_the_peer_without_a_figure() -> None:
    relation = _only("not-applicable-peer-counted-as-zero", 4, 2)
    assert relation.form is RelationForm.MEAN
    assert _shape(relation) == [("item", 1, 2, 1), ("item", 2, 2, 1)]


def test_margin_and_gross_profit() -> None:
    margin = _only("mode-margin-wrong", 2, 4)
    assert margin.form is RelationForm.MARGIN and margin.scale == 100
    assert _shape(margin) == [("revenue", 2, 1, 1), ("cost", 2, 3, 1)]
    gross = _only("transposed-gross-profit-wrong", 3, 3)
    assert gross.form is RelationForm.SUM
    assert _shape(gross) == [("addend", 1, 3, 1), ("addend", 2, 3, -1)]


def test_learned_roll_forward_keeps_its_signs() -> None:
    relation = _only("vat-roll-forward-altered", 6, 3)
    assert relation.form is RelationForm.SUM
    signs = [t.sign for t in relation.terms]
    assert signs == [1, 1, -1, -1, -1]
