"""Every finding of the prose (C001–C003), cross-reference (X001–X003) and domain rules D001, D003
and D005 carries the relation that failed, and that relation is the one the rule judged: rebuilt
from its terms alone it gives the finding's expected figure within the finding's tolerance.

Inputs: every failing case of tests/rules/cases/{C00*,X00*,D001,D003,D005}.yaml (cut from
chengbang_2025_inquiry_reply.md and the annual reports), and hand-built fact bases with the
figures of chengbang_2025_inquiry_reply.md lines 35-43 and 369-373 for the change forms the YAML
cases do not reach (a loss that widened, percentage points, an amount's change, a multiple).
Diagnosis searches around these relations: a term missing, mis-signed or in the wrong unit would
send it after the wrong cause, and rebuilding the figure is what catches that.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from case_support import Case, assert_rebuilds, case_findings, case_ids, case_named, load_cases

from hecha.extract.factbase import FactBase
from hecha.ingest.numbers import parse_quantity
from hecha.model.diagnostic import Diagnostic, RelationForm
from hecha.model.document import Document, Location
from hecha.model.facts import Claim, ClaimKind, Fact, FactSource, Period
from hecha.model.quantity import Quantity
from hecha.rules.base import CheckStats, Rule, RuleContext
from hecha.rules.prose.change_mismatch import ProseChangeMismatch
from hecha.rules.prose.share_mismatch import ProseShareMismatch

RULES = ("C001", "C002", "C003", "X001", "X002", "X003", "D001", "D003", "D005")

# The forms each rule states a failure in.
FORMS = {
    "C001": {RelationForm.CHANGE, RelationForm.DIFFERENCE, RelationForm.RATIO, RelationForm.EQUAL},
    "C002": {RelationForm.RATIO, RelationForm.EQUAL},
    "C003": {RelationForm.EQUAL},
    "X001": {RelationForm.EQUAL},
    "X002": {RelationForm.EQUAL},
    "X003": {RelationForm.EQUAL},
    "D001": {RelationForm.PRODUCT},
    "D003": {RelationForm.RATIO},
    "D005": {RelationForm.RATIO},
}


# ---------------------------------------------------------------------- the YAML cases


CASES = load_cases(RULES, failing_only=True)


def findings_of(rule: str, name: str) -> list[Diagnostic]:
    return case_findings(case_named(CASES, rule, name))[1]


def test_every_rule_has_a_failing_case() -> None:
    assert {case.rule for case in CASES} == set(RULES)


@pytest.mark.parametrize("case", CASES, ids=case_ids(CASES))
def test_failing_case_relation_gives_the_expected_figure(case: Case) -> None:
    _, found = case_findings(case)
    assert len(found) == len(case.spec["expect"])
    for finding in found:
        if finding.code == "X003" and "同比变动" in finding.message:
            # A quoted rate that differs from the reply's carries no relation: which figures the
            # exchange used is for the document to explain, not for diagnosis to guess.
            assert finding.relation is None
            continue
        relation = assert_rebuilds(finding)
        assert relation.form in FORMS[case.rule]


def test_c001_change_rate_is_a_change_of_the_two_table_figures() -> None:
    (finding,) = findings_of("C001", "revenue-growth-altered")
    relation = assert_rebuilds(finding)
    assert relation.form is RelationForm.CHANGE and relation.scale == 100
    current, prior = relation.terms
    assert (current.role, current.value, current.decimals) == ("current", Decimal("50356.55"), 2)
    assert (prior.role, prior.value, prior.decimals) == ("prior", Decimal("34789.38"), 2)
    assert current.location.table is not None and prior.location.table is not None


def test_c002_share_is_part_over_whole() -> None:
    (finding,) = findings_of("C002", "research-share-altered-in-prose")
    relation = assert_rebuilds(finding)
    assert relation.form is RelationForm.RATIO and relation.scale == 100
    assert [term.role for term in relation.terms] == ["numerator", "denominator"]


def test_c003_table_figure_is_given_in_the_prose_figures_unit() -> None:
    # The prose prints 亿元 ("15.28"), the table 元: the term is the table figure in 亿元, its
    # decimals moved with it so that its rounding stays the printed one.
    (finding,) = findings_of("C003", "revenue-in-yi-altered")
    relation = assert_rebuilds(finding)
    (term,) = relation.terms
    assert term.location.table is not None
    printed = parse_quantity(term.location.quote)
    assert printed is not None
    assert term.value == printed.value.scaleb(-8)
    assert term.decimals == printed.decimals + 8


def test_x002_precise_figure_in_the_coarse_unit() -> None:
    # 5.03 亿元 against 50,356.55 万元: the term is 5.035655 (six decimals), not its rounding 5.04.
    (finding,) = findings_of("X002", "revenue-in-yi-truncated")
    (term,) = assert_rebuilds(finding).terms
    assert (term.value, term.decimals) == (Decimal("5.035655"), 6)


def test_x001_other_table_figure() -> None:
    (finding,) = findings_of("X001", "revenue-retyped-in-second-table")
    (term,) = assert_rebuilds(finding).terms
    assert term.value == Decimal("50356.55") and term.location.table != finding.location.table


def test_d001_net_is_gross_over_one_plus_the_rate() -> None:
    (finding,) = findings_of("D001", "contract-net-amount-wrong")
    relation = assert_rebuilds(finding)
    (gross,) = relation.terms
    assert gross.value == Decimal("3390.00")
    assert abs(relation.scale * Decimal("1.13") - 1) < Decimal("1e-20")  # × 1 / (1 + 13%)


def test_d003_provision_over_gross_balance() -> None:
    (finding,) = findings_of("D003", "aging-ratio-wrong")
    relation = assert_rebuilds(finding)
    provision, gross = relation.terms
    assert (provision.role, provision.value) == ("numerator", Decimal("4716765.24"))
    assert (gross.role, gross.value) == ("denominator", Decimal("53155317.39"))
    assert relation.scale == 100


def test_d005_learned_power_of_ten_is_the_scale() -> None:
    (finding,) = findings_of("D005", "per-capita-row-wrong")
    relation = assert_rebuilds(finding)
    assert [term.role for term in relation.terms] == ["numerator", "denominator"]


# ---------------------------------------------------------------------- hand-built fact bases

SOURCE = "chengbang_2025_inquiry_reply.md"
Y2025 = Period("2025", "2025年度")
Y2024 = Period("2024", "2024年度")
Q4_2024 = Period("2024-10~2024-12", "2024年10-12月")
ENV = "生态环境建设业务"


def _quantity(text: str) -> Quantity:
    parsed = parse_quantity(text)
    assert parsed is not None, text
    return parsed


def _cell(
    metric: str, text: str, period: Period, entity: str, row: int, col: int, scale: int | None = 4
) -> Fact:
    figure = _quantity(text)
    location = Location(SOURCE, line=35, table=0, row=row, col=col, quote=text)
    scale = None if figure.is_percent else scale
    return Fact(metric, metric, entity, period, figure, scale, location, FactSource.TABLE)


def _claim(
    kind: ClaimKind, metric: str, text: str, sentence: str, entity: str, *, direction: int = 0, line: int = 39
) -> Claim:
    figure = _quantity(text)
    # A change compares with the year before (the 2024年10-12月 quarter for 境内毛利率); a share
    # is of the same period's whole.
    base_period = {ClaimKind.PP_CHANGE: Q4_2024, ClaimKind.SHARE: None}.get(kind, Y2024)
    return Claim(
        kind=kind,
        metric=metric,
        metric_text=metric,
        entity=entity,
        period=Y2025,
        quantity=figure,
        location=Location(SOURCE, line=line, quote=text),
        sentence=sentence,
        source=FactSource.PROSE,
        direction=direction,
        base_period=base_period,
        base_metric="营业收入" if kind is ClaimKind.SHARE else "",
        scale=figure.scale,
    )


def _run(rule: Rule, facts: list[Fact], claim: Claim) -> Diagnostic:
    base = FactBase(facts=tuple(facts), claims=(claim,), report_year=2025)
    ctx = RuleContext(Document(SOURCE, "markdown", None), (), CheckStats(), build_facts=lambda: base)
    (finding,) = list(rule.check(ctx))
    return finding


def test_c001_loss_that_widened_is_a_change_of_the_losses_sizes() -> None:
    # 净利润 -13,054.12 against -10,470.81 万元: 增亏 24.67% (altered to 24.76%) is |c| / |p| − 1,
    # each loss entering with sign −1.
    losses = [
        _cell("净利润", "-13,054.12", Y2025, ENV, row=11, col=1),
        _cell("净利润", "-10,470.81", Y2024, ENV, row=11, col=2),
    ]
    stated = _claim(
        ClaimKind.CHANGE_RATE, "净利润", "24.76%", "净利润-13,054.12 万元，同比增亏24.76%", ENV, direction=1
    )
    relation = assert_rebuilds(_run(ProseChangeMismatch(), losses, stated))
    assert relation.form is RelationForm.CHANGE
    assert [term.sign for term in relation.terms] == [-1, -1]


def test_c001_amount_change_in_the_stated_unit() -> None:
    gross = [
        _cell("营业毛利", "−1,674.44", Y2025, ENV, row=4, col=1),
        _cell("营业毛利", "933.66", Y2024, ENV, row=4, col=2),
    ]
    stated = _claim(
        ClaimKind.DIFFERENCE, "营业毛利", "2,680.09万元", "①营业毛利减少 2,680.09 万元", ENV, direction=-1
    )
    relation = assert_rebuilds(_run(ProseChangeMismatch(), gross, stated))
    assert relation.form is RelationForm.DIFFERENCE
    assert [(t.role, t.value, t.decimals) for t in relation.terms] == [
        ("current", Decimal("-1674.44"), 2),
        ("prior", Decimal("933.66"), 2),
    ]


def test_c001_amount_change_stated_in_yuan_moves_the_table_figures() -> None:
    # The same change stated in 元: the 万元 figures become 元, their decimals −2 (rounding kept).
    gross = [
        _cell("营业毛利", "−1,674.44", Y2025, ENV, row=4, col=1),
        _cell("营业毛利", "933.66", Y2024, ENV, row=4, col=2),
    ]
    stated = _claim(
        ClaimKind.DIFFERENCE, "营业毛利", "26,800,900元", "营业毛利减少 26,800,900 元", ENV, direction=-1
    )
    relation = assert_rebuilds(_run(ProseChangeMismatch(), gross, stated))
    assert [(t.value, t.decimals) for t in relation.terms] == [
        (Decimal("-16744400"), -2),
        (Decimal("9336600"), -2),
    ]


def test_c001_percentage_points_are_a_difference_of_the_printed_rates() -> None:
    margins = [
        _cell("毛利率", "22.13%", Y2025, "境内", row=3, col=2),
        _cell("毛利率", "1.91%", Q4_2024, "境内", row=3, col=3),
    ]
    sentence = "境内业务毛利率为 22.13%，比 2024 年 10-12 月增加20.12 个百分点"
    stated = _claim(ClaimKind.PP_CHANGE, "毛利率", "20.12个百分点", sentence, "境内", direction=1, line=373)
    relation = assert_rebuilds(_run(ProseChangeMismatch(), margins, stated))
    assert relation.form is RelationForm.DIFFERENCE and relation.scale == 1


def test_c001_multiple_is_a_ratio() -> None:
    revenue = [
        _cell("营业收入", "34,048.57", Y2025, "半导体存储业务", row=2, col=3),
        _cell("营业收入", "11,058.91", Y2024, "半导体存储业务", row=2, col=4),
    ]
    stated = _claim(ClaimKind.MULTIPLE, "营业收入", "2.50倍", "收入是上年的2.50倍", "半导体存储业务", line=15)
    relation = assert_rebuilds(_run(ProseChangeMismatch(), revenue, stated))
    assert relation.form is RelationForm.RATIO and relation.scale == 1


def test_c002_operands_in_two_units_meet_in_the_coarser() -> None:
    # A part in 万元 and a whole in 元: both are given in 万元, so no decimals turn negative.
    facts = [
        _cell("直销收入", "18,564.22", Y2025, "", row=2, col=1),
        _cell("营业收入", "338,655,800.00", Y2025, "", row=4, col=1, scale=0),
    ]
    stated = _claim(ClaimKind.SHARE, "直销收入", "45.82%", "2025 年直销收入占营业收入比重为 45.82%", "")
    relation = assert_rebuilds(_run(ProseShareMismatch(), facts, stated))
    part, whole = relation.terms
    assert (part.value, part.decimals) == (Decimal("18564.22"), 2)
    assert (whole.value, whole.decimals) == (Decimal("33865.58"), 6)
