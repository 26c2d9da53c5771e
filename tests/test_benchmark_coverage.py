"""The coverage benchmark's own logic on hand-made fact bases: the ratio leaves the excluded classes
out, claims are counted as linked, held and checked, and unlinked figures come with their sentence."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from hecha.engine import CheckResult, DocumentStats
from hecha.extract.factbase import FactBase, NumericToken, TokenClass
from hecha.ingest.numbers import parse_quantity
from hecha.model.diagnostic import Diagnostic, Severity
from hecha.model.document import Document, Location, Paragraph
from hecha.model.facts import Claim, ClaimKind

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # the benchmark lives beside src/, not inside the package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.coverage import document_coverage, overall, sentence_around  # noqa: E402

SOURCE = "reply.md"
FIRST = "2025年，公司实现营业收入5.01亿元，同比增长44.75%。研发人员为236人，占员工总数的12.50%。"
SECOND = "详见本回复第12页。公司股票代码为603316。"


def _document() -> Document:
    return Document(
        source=SOURCE,
        format="markdown",
        page_count=None,
        paragraphs=(
            Paragraph(FIRST, Location(SOURCE, line=3, quote=FIRST)),
            Paragraph(SECOND, Location(SOURCE, line=5, quote=SECOND)),
        ),
    )


def _at(line: int, text: str) -> Location:
    return Location(SOURCE, line=line, quote=text)


def _token(text: str, line: int, token_class: TokenClass) -> NumericToken:
    return NumericToken(text=text, location=_at(line, text), token_class=token_class)


def _claim(text: str, kind: ClaimKind) -> Claim:
    quantity = parse_quantity(text)
    assert quantity is not None
    return Claim(
        kind=kind,
        metric="营业收入",
        metric_text="营业收入",
        entity="",
        period=None,
        quantity=quantity,
        location=_at(3, text),
        sentence=FIRST,
    )


def _fact_base() -> FactBase:
    return FactBase(
        claims=(
            _claim("5.01亿元", ClaimKind.VALUE),
            _claim("44.75%", ClaimKind.CHANGE_RATE),
            _claim("12.50%", ClaimKind.SHARE),
        ),
        tokens=(
            _token("2025", 3, TokenClass.YEAR),
            _token("5.01亿元", 3, TokenClass.CLAIM),
            _token("44.75%", 3, TokenClass.CLAIM),
            _token("236人", 3, TokenClass.UNLINKED),
            _token("12.50%", 3, TokenClass.FACT),
            _token("12", 5, TokenClass.PAGE),
            _token("603316", 5, TokenClass.IDENTIFIER),
        ),
    )


def _result(held: set[Location], flagged: list[Location]) -> CheckResult:
    diagnostics = tuple(
        Diagnostic(
            code="C001",
            rule="stand-in",
            severity=Severity.ERROR,
            message="不符",
            message_en="mismatch",
            location=where,
            stated=Decimal(1),
        )
        for where in flagged
    )
    return CheckResult(
        document=_document(),
        diagnostics=diagnostics,
        stats=DocumentStats(
            pages=None, tables_found=0, tables_checked=0, relations_checked=0, uncertain_tables=0
        ),
        verified_locations=frozenset(held),
    )


def test_coverage_counts_linked_over_linked_and_unlinked_and_shows_the_excluded() -> None:
    coverage = document_coverage(SOURCE, _document(), _fact_base())
    assert coverage.count(TokenClass.CLAIM) == 2
    assert coverage.count(TokenClass.FACT) == 1
    assert coverage.unlinked == 1
    assert coverage.excluded == 3  # a year, a page number, a stock code
    assert coverage.counted == 4
    assert coverage.coverage == pytest.approx(0.75)
    # Every class is listed, including those with no token.
    assert {name for name, _ in coverage.by_class} == {c.value for c in TokenClass}
    assert coverage.count(TokenClass.DATE) == 0


def test_a_document_without_figures_has_no_coverage_rather_than_zero() -> None:
    empty = document_coverage(SOURCE, _document(), FactBase(tokens=(_token("2025", 3, TokenClass.YEAR),)))
    assert empty.coverage is None
    assert empty.excluded == 1


def test_claims_checked_are_those_held_or_flagged() -> None:
    base = _fact_base()
    value, _rate, share = base.claims
    result = _result(held={value.location}, flagged=[_at(3, "44.75%")])
    coverage = document_coverage(SOURCE, _document(), base, result)
    assert coverage.claims == 3
    assert coverage.claims_held == 1
    assert coverage.claims_checked == 2  # held: 5.01亿元; a finding stands at 44.75%
    # A finding on another line does not make the share checked.
    elsewhere = _result(held=set(), flagged=[_at(9, "12.50%")])
    assert document_coverage(SOURCE, _document(), base, elsewhere).claims_checked == 0
    assert share.location not in result.verified_locations


def test_unlinked_figures_are_shown_with_their_sentence() -> None:
    coverage = document_coverage(SOURCE, _document(), _fact_base(), examples=5)
    assert len(coverage.examples) == 1  # only one figure is unlinked
    example = coverage.examples[0]
    assert example.text == "236人"
    assert example.where == "l.3"
    assert "研发人员为236人" in example.sentence
    assert "5.01亿元" not in example.sentence  # the sentence, not the whole paragraph


def test_example_sample_is_bounded_and_repeatable() -> None:
    tokens = tuple(_token(f"{n}.5%", 3, TokenClass.UNLINKED) for n in range(30))
    base = FactBase(tokens=tokens)
    first = document_coverage(SOURCE, _document(), base, examples=4, seed=7).examples
    again = document_coverage(SOURCE, _document(), base, examples=4, seed=7).examples
    assert len(first) == 4
    assert first == again
    assert len({e.text for e in first}) == 4


def test_sentence_is_cut_around_the_figure_when_long() -> None:
    text = "甲" * 300 + "金额为7.5万元" + "乙" * 300 + "。"
    sentence = sentence_around(text, "7.5万元")
    assert "7.5万元" in sentence
    assert len(sentence) < 200


def test_overall_adds_the_documents() -> None:
    one = document_coverage(SOURCE, _document(), _fact_base())
    total = overall([one, one])
    assert total.count(TokenClass.CLAIM) == 4
    assert total.unlinked == 2
    assert total.coverage == pytest.approx(0.75)
    assert total.claims == 6
