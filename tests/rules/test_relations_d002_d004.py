"""Every error finding of D002 (repayment and lease schedules) and D004 (roll-forwards, net book
values, working capital, credit lines) carries the relation that failed, and that relation is the
one the rule judged: rebuilt from its terms alone it gives the finding's expected figure within the
finding's tolerance, misses the stated figure, and each term stands on one of the finding's
related cells.

Inputs: every failing case of tests/rules/cases/D002.yaml and D004.yaml (the fixed-asset, idle-asset,
inventory-provision and cash tables are cut from haixiang_2019_annual.pdf; the schedules, working
capital and credit lines are built in the layouts banks and inquiry replies publish, as the cases
say). Diagnosis searches around these relations: a term missing, mis-signed or in the wrong unit
would send it after the wrong cause, and rebuilding the figure is what catches that.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from case_support import (
    Case,
    assert_rebuilds,
    case_findings,
    case_ids,
    case_named,
    load_cases,
    rebuild,
)

from hecha.ingest.numbers import parse_quantity
from hecha.model.diagnostic import Diagnostic, Relation, RelationForm, Severity, Term

RULES = ("D002", "D004")

# The forms each rule states a failure in: D002 sums (还款额, 期末余额), a carried balance (EQUAL)
# and interest (PRODUCT, or a SUM times the accrual factor when the first row lends closing +
# principal); D004 only sums with signs.
FORMS = {
    "D002": {RelationForm.SUM, RelationForm.PRODUCT, RelationForm.EQUAL},
    "D004": {RelationForm.SUM},
}


def assert_rebuilds_and_fails(finding: Diagnostic) -> Relation:
    """The finding's relation gives its expected figure and not the stated one; each term stands
    where the finding says an operand is, printed with the value and decimals it carries."""
    relation = assert_rebuilds(finding)
    # Both rules state sums, products and restatements only, each with one reading.
    assert relation.form in FORMS["D002"] | FORMS["D004"], relation
    assert finding.stated is not None and finding.tolerance is not None
    assert abs(rebuild(relation)[0] - finding.stated) > finding.tolerance, "the relation must fail"
    for term in relation.terms:
        assert term.sign in (1, -1)
        printed = parse_quantity(term.location.quote)
        assert printed is not None, term
        # A figure moved into the stated figure's unit moves its decimals alike.
        assert term.value == printed.value.scaleb(printed.decimals - term.decimals), term
    return relation


# ---------------------------------------------------------------------- the YAML cases


CASES = load_cases(RULES, failing_only=True)


def findings_of(rule: str, name: str) -> list[Diagnostic]:
    return case_findings(case_named(CASES, rule, name))[1]


def _only_error(rule: str, name: str) -> Diagnostic:
    (finding,) = [f for f in findings_of(rule, name) if f.severity is Severity.ERROR]
    return finding


def _signs(relation: Relation) -> list[int]:
    return [term.sign for term in relation.terms]


def _at(term: Term) -> tuple[int | None, int | None]:
    return term.location.row, term.location.col


def test_both_rules_have_failing_cases() -> None:
    assert {case.rule for case in CASES} == set(RULES)


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_failing_case_relation_gives_the_expected_figure(case: Case) -> None:
    _, found = case_findings(case)
    assert len(found) == len(case.spec["expect"])
    for finding in found:
        if finding.expected is None:
            # D002's note on a stated rate (nominal or effective, an IRR over all rows) compares
            # no cells of its own: it carries no relation.
            assert finding.code == "D002" and finding.relation is None
            continue
        relation = assert_rebuilds_and_fails(finding)
        assert relation.form in FORMS[case.rule]


# ---------------------------------------------------------------------- D002


def test_d002_payment_is_principal_plus_interest() -> None:
    finding = _only_error("D002", "loan-act360-payment-typo")
    relation = assert_rebuilds_and_fails(finding)
    assert relation.form is RelationForm.SUM and relation.scale == 1
    assert [(t.role, t.value, t.sign, _at(t)) for t in relation.terms] == [
        ("addend", Decimal("1000000.00"), 1, (4, 4)),
        ("addend", Decimal("88933.33"), 1, (4, 5)),
    ]


def test_d002_closing_balance_is_opening_less_principal() -> None:
    finding = _only_error("D002", "loan-closing-balance-typo")
    relation = assert_rebuilds_and_fails(finding)
    assert relation.form is RelationForm.SUM
    assert [(t.value, t.sign, _at(t)) for t in relation.terms] == [
        (Decimal("8000000.00"), 1, (4, 2)),
        (Decimal("1000000.00"), -1, (4, 4)),
    ]


def test_d002_interest_is_opening_balance_times_rate_and_days_in_the_scale() -> None:
    # 8,000,000.00 × 4.35% × 92 / 360: the rate is fitted from the other rows and the days come
    # from two dates, so only the opening balance is a term.
    finding = _only_error("D002", "loan-act360-interest-typo")
    relation = assert_rebuilds_and_fails(finding)
    assert relation.form is RelationForm.PRODUCT
    (opening,) = relation.terms
    assert (opening.role, opening.value, opening.decimals, _at(opening)) == (
        "other",
        Decimal("8000000.00"),
        2,
        (4, 2),
    )
    assert abs(relation.scale - Decimal("0.0435") * 92 / 360) < Decimal("1e-20")


def test_d002_interest_on_a_carried_balance_points_at_the_previous_rows_closing() -> None:
    # No opening column: 第5期 accrues on 第4期 剩余本金 (row 4), 0.5% a period.
    finding = _only_error("D002", "lease-no-rent-column-interest-transposed")
    relation = assert_rebuilds_and_fails(finding)
    assert relation.form is RelationForm.PRODUCT and relation.scale == Decimal("0.005")
    (opening,) = relation.terms
    assert (opening.value, _at(opening)) == (Decimal("605984.85"), (4, 3))


def test_d002_first_row_lends_closing_plus_principal() -> None:
    # 第1期 prints no opening balance: it is 剩余本金 + 本金, a sum times the periodic rate.
    finding = _only_error("D002", "lease-no-rent-column-first-interest-typo")
    relation = assert_rebuilds_and_fails(finding)
    assert relation.form is RelationForm.SUM and relation.scale == Decimal("0.005")
    assert sorted((t.value, t.sign) for t in relation.terms) == [
        (Decimal("147394.64"), 1),
        (Decimal("1052605.36"), 1),
    ]


def test_d002_carried_opening_balance_restates_the_previous_closing() -> None:
    finding = _only_error("D002", "loan-opening-balance-typo")
    relation = assert_rebuilds_and_fails(finding)
    assert relation.form is RelationForm.EQUAL
    (carried,) = relation.terms
    assert (carried.value, _at(carried)) == (Decimal("6000000.00"), (5, 6))


# ---------------------------------------------------------------------- D004


def test_d004_carrying_amount_is_cost_less_depreciation_and_impairment() -> None:
    (finding,) = findings_of("D004", "fixed-assets-carrying-amount-typo")
    relation = assert_rebuilds_and_fails(finding)
    assert [(t.value, t.sign) for t in relation.terms] == [
        (Decimal("2940642580.70"), 1),
        (Decimal("1204042394.51"), -1),
        (Decimal("12192852.85"), -1),
    ]


def test_d004_roll_forward_adds_increases_and_takes_off_decreases() -> None:
    (finding,) = findings_of("D004", "fixed-assets-depreciation-closing-typo")
    relation = assert_rebuilds_and_fails(finding)
    assert _signs(relation) == [1, 1, -1]
    assert [t.value for t in relation.terms] == [
        Decimal("571568602.36"),
        Decimal("99289757.27"),
        Decimal("35777262.22"),
    ]


def test_d004_column_roll_forward_leaves_printed_blanks_out() -> None:
    # 期初 + 计提 + 其他 (blank) − 转回或转销 − 其他 (blank): the blanks add nothing.
    (finding,) = findings_of("D004", "inventory-provision-closing-typo")
    relation = assert_rebuilds_and_fails(finding)
    assert _signs(relation) == [1, 1, -1]
    assert [_at(t) for t in relation.terms] == [(3, 1), (3, 2), (3, 4)]


def test_d004_working_capital_and_credit_lines_subtract() -> None:
    (working,) = findings_of("D004", "working-capital-typo")
    assert _signs(assert_rebuilds_and_fails(working)) == [1, -1]
    (credit,) = findings_of("D004", "credit-lines-typo")
    assert _signs(assert_rebuilds_and_fails(credit)) == [1, -1]


def test_d004_operand_in_another_unit_moves_into_the_stated_figures_unit() -> None:
    # 未使用额度 in 万元 = 1.00亿元 − 4,800.00万元: the 亿元 figure enters as 10,000 万元 with
    # decimals −2, keeping its printed rounding (± 50 万元).
    (finding,) = findings_of("D004", "credit-lines-own-units-typo")
    relation = assert_rebuilds_and_fails(finding)
    total, used = relation.terms
    assert (total.value, total.decimals, total.sign) == (Decimal("10000"), -2, 1)
    assert (used.value, used.decimals, used.sign) == (Decimal("4800.00"), 2, -1)
