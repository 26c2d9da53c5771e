"""The prose mutation benchmark's own logic: figures are found where printed (full-width digits,
split figures), rewritten in place, direction words flipped, and detected/located is decided on a
hand-made Document, FactBase and a stand-in rule that checks one prose sentence against a table."""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from hecha.extract.factbase import FactBase
from hecha.ingest.grid import pipe_table
from hecha.ingest.numbers import normalize, parse_quantity
from hecha.model.diagnostic import Diagnostic, Related
from hecha.model.document import Document, Location, Paragraph
from hecha.model.facts import Claim, ClaimKind, Fact, FactSource, Period
from hecha.model.quantity import Interval, Quantity
from hecha.rules.base import Rule, RuleContext, compare

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # the benchmark lives beside src/, not inside the package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.mutation import MutationKind, MutationSkipped  # noqa: E402
from benchmarks.prose_mutation import (  # noqa: E402
    CLAIM,
    RESTATEMENT,
    FigureSpan,
    locate_figure,
    original_offsets,
    prose_edit,
    run_prose_mutations,
    with_paragraph_edit,
)

SOURCE = "reply.md"
SENTENCE = "2025年公司营业收入1,200.00万元，同比增长20.00%。"
OTHER = "公司所处行业竞争加剧。"


# ---------------------------------------------------------------- finding and rewriting figures


def _one_paragraph(text: str, line: int = 10) -> Document:
    return Document(
        source=SOURCE,
        format="markdown",
        page_count=None,
        paragraphs=(Paragraph(text, Location(SOURCE, line=line, quote=text)),),
    )


def test_offsets_map_normalized_characters_back_to_the_printed_ones() -> None:
    text = "收入３４, ７８９. ３８万元"
    offsets = original_offsets(text)
    normalized = normalize(text)
    assert normalized == "收入34,789.38万元"
    assert len(offsets) == len(normalized) + 1
    assert [text[offsets[i]] for i in range(len(normalized))] == list("收入３４,７８９.３８万元")


def test_figure_is_found_where_printed_even_in_full_width_digits() -> None:
    text = "年报显示，公司实现营业收入５０，３５６．５５万元，同比增长４４．７５％。"
    document = _one_paragraph(text)
    span = locate_figure(document, Location(SOURCE, line=10), Decimal("50356.55"), 2, text)
    assert text[span.start : span.end] == "５０，３５６．５５万元"
    rate = locate_figure(document, Location(SOURCE, line=10), Decimal("44.75"), 2, "")
    assert text[rate.start : rate.end] == "４４．７５％"


def test_the_sentence_picks_the_figure_among_equal_ones() -> None:
    text = "2024年收入增长10.00%。2025年毛利率为10.00%，较上年提高1.50个百分点。"
    document = _one_paragraph(text)
    span = locate_figure(
        document,
        Location(SOURCE, line=10),
        Decimal("10.00"),
        2,
        "2025年毛利率为10.00%，较上年提高1.50个百分点。",
    )
    assert span.start == text.index("10.00%，较")
    with pytest.raises(MutationSkipped, match="more than once"):
        locate_figure(document, Location(SOURCE, line=10), Decimal("10.00"), 2, "")


def test_a_figure_on_another_line_or_absent_is_skipped() -> None:
    document = _one_paragraph(SENTENCE)
    with pytest.raises(MutationSkipped, match="not found"):
        locate_figure(document, Location(SOURCE, line=5), Decimal("20.00"), 2, "")
    with pytest.raises(MutationSkipped, match="not found"):
        locate_figure(document, Location(SOURCE, line=10), Decimal("21.00"), 2, "")


def test_digit_change_rewrites_only_the_figure() -> None:
    document = _one_paragraph(SENTENCE)
    span = locate_figure(document, Location(SOURCE, line=10), Decimal("1200.00"), 2, SENTENCE)
    for seed in range(30):
        edit = prose_edit(SENTENCE, span, MutationKind.DIGIT, random.Random(seed))
        mutated = with_paragraph_edit(document, edit).paragraphs[0]
        assert mutated.text.startswith("2025年公司营业收入")
        assert mutated.text.endswith("万元，同比增长20.00%。")
        figure = mutated.text[len("2025年公司营业收入") : -len("，同比增长20.00%。")]
        reparsed = parse_quantity(figure)
        assert reparsed is not None and reparsed.value != Decimal("1200.00")
        assert edit.figure in normalize(figure)
        assert mutated.location.quote == mutated.text  # the paragraph's quote follows its text


@pytest.mark.parametrize(
    ("text", "figure", "expected"),
    [
        ("营业收入同比增长了 44.75%。", "44.75", "营业收入同比下降了 44.75%。"),
        ("毛利率较上年减少2.71个百分点。", "2.71", "毛利率较上年增加2.71个百分点。"),
        ("归母净利润同比增亏20.23%。", "20.23", "归母净利润同比减亏20.23%。"),
        ("归母净利润为-1.20亿元。", "1.20", "归母净利润为1.20亿元。"),
    ],
)
def test_sign_flip_turns_the_direction_word_or_the_sign(text: str, figure: str, expected: str) -> None:
    document = _one_paragraph(text)
    value = Decimal(figure)
    span = locate_figure(document, Location(SOURCE, line=10), value, 2, "")
    edit = prose_edit(text, span, MutationKind.SIGN, random.Random(0))
    assert with_paragraph_edit(document, edit).paragraphs[0].text == expected
    assert edit.figure == figure


def test_sign_flip_without_word_or_sign_is_skipped() -> None:
    document = _one_paragraph(SENTENCE)
    span = locate_figure(document, Location(SOURCE, line=10), Decimal("1200.00"), 2, "")
    with pytest.raises(MutationSkipped, match="direction word"):
        prose_edit(SENTENCE, span, MutationKind.SIGN, random.Random(0))


def test_only_the_edited_paragraph_changes() -> None:
    document = Document(
        source=SOURCE,
        format="markdown",
        page_count=None,
        paragraphs=(
            Paragraph(OTHER, Location(SOURCE, line=8, quote=OTHER)),
            Paragraph(SENTENCE, Location(SOURCE, line=10, quote=SENTENCE)),
        ),
    )
    span = locate_figure(document, Location(SOURCE, line=10), Decimal("20.00"), 2, "")
    assert span == FigureSpan(paragraph=1, start=SENTENCE.index("20.00"), end=SENTENCE.index("%") + 1)
    edit = prose_edit(SENTENCE, span, MutationKind.TIMES_TEN, random.Random(0))
    mutated = with_paragraph_edit(document, edit)
    assert mutated.paragraphs[0] == document.paragraphs[0]
    assert mutated.paragraphs[1].text == "2025年公司营业收入1,200.00万元，同比增长200.00%。"


# ---------------------------------------------------------------- accounting on a whole document

_PATTERN = re.compile(
    r"营业收入(?P<value>-?[\d,]+(?:\.\d+)?万元),同比(?P<word>增长|下降)(?P<rate>-?[\d,]+(?:\.\d+)?%)"
)


class ProseAgainstTable(Rule):
    """Stand-in prose rule: the sentence's revenue restates table 0's 2025 cell, and its change
    rate is (2025 - 2024) / 2024 of the table. Each comparison is a relation; a failure is
    reported at the prose figure (quote = the figure as printed) with the cells it used, or, with
    ``report_elsewhere``, at line 1 with no related places."""

    code = "C990"
    name = "stand-in-prose"
    summary = summary_en = "test rule"

    def __init__(self, report_elsewhere: bool = False) -> None:
        super().__init__()
        self.report_elsewhere = report_elsewhere

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        row = ctx.document.tables[0].rows[1]
        current, prior = row[1], row[2]
        if current.quantity is None or prior.quantity is None:
            return
        for paragraph in ctx.document.paragraphs:
            match = _PATTERN.search(normalize(paragraph.text))
            if match is None:
                continue
            value, rate = parse_quantity(match["value"]), parse_quantity(match["rate"])
            assert value is not None and rate is not None
            line = paragraph.location.line
            value_at = prose_location(line, match["value"])
            failed = compare(value, current.quantity.interval)
            ctx.stats.relation(held=failed is None, cells=[value_at, current.location])
            if failed is not None:
                yield self._finding(value_at, failed, (current.location,))
            sign = -1 if match["word"] == "下降" else 1
            stated = Quantity(value=sign * rate.value, decimals=rate.decimals)
            change = (current.quantity.interval - prior.quantity.interval) / prior.quantity.interval
            assert change is not None
            recomputed = Interval(change.low * 100, change.high * 100)
            rate_at = prose_location(line, match["rate"])
            failed = compare(stated, recomputed)
            ctx.stats.relation(held=failed is None, cells=[rate_at, current.location, prior.location])
            if failed is not None:
                yield self._finding(rate_at, failed, (current.location, prior.location))

    def _finding(self, where: Location, failed: object, cells: tuple[Location, ...]) -> Diagnostic:
        if self.report_elsewhere:
            return self.diagnostic(message="不符", message_en="mismatch", location=Location(SOURCE, line=1))
        return self.diagnostic(
            message="不符",
            message_en="mismatch",
            location=where,
            related=tuple(Related(cell, "表格") for cell in cells),
        )


def prose_location(line: int | None, printed: str) -> Location:
    return Location(SOURCE, line=line, quote=printed)


def _document() -> Document:
    table = pipe_table(
        ["| 项目 | 2025年 | 2024年 |", "|---|---|---|", "| 营业收入 | 1,200.00 | 1,000.00 |"],
        source=SOURCE,
        first_line=1,
        index=0,
    )
    return Document(
        source=SOURCE,
        format="markdown",
        page_count=None,
        paragraphs=(
            Paragraph(OTHER, Location(SOURCE, line=8, quote=OTHER)),
            Paragraph(SENTENCE, Location(SOURCE, line=10, quote=SENTENCE)),
        ),
        tables=(table,),
    )


def _quantity(text: str) -> Quantity:
    quantity = parse_quantity(text)
    assert quantity is not None
    return quantity


def _fact_base(document: Document) -> FactBase:
    """What an extractor would find: two claims, and revenue 2025 stated in the table and the prose."""
    year, prior_year = Period("2025", "2025年"), Period("2024", "2024年")
    cell, prior_cell = document.tables[0].rows[1][1], document.tables[0].rows[1][2]

    def claim(kind: ClaimKind, printed: str) -> Claim:
        return Claim(
            kind=kind,
            metric="营业收入",
            metric_text="营业收入",
            entity="",
            period=year,
            quantity=_quantity(printed),
            location=prose_location(10, printed),
            sentence=SENTENCE,
            base_period=prior_year if kind is ClaimKind.CHANGE_RATE else None,
        )

    def fact(quantity: Quantity, where: Location, period: Period, source: FactSource) -> Fact:
        return Fact("营业收入", "营业收入", "", period, quantity, 4, where, source)

    assert cell.quantity is not None and prior_cell.quantity is not None
    return FactBase(
        facts=(
            fact(cell.quantity, cell.location, year, FactSource.TABLE),
            fact(prior_cell.quantity, prior_cell.location, prior_year, FactSource.TABLE),
            fact(_quantity("1,200.00万元"), prose_location(10, "1,200.00万元"), year, FactSource.PROSE),
        ),
        claims=(
            claim(ClaimKind.VALUE, "1,200.00万元"),
            claim(ClaimKind.CHANGE_RATE, "20.00%"),
            # Stated nowhere else and checked by no rule: never a target.
            Claim(
                kind=ClaimKind.VALUE,
                metric="员工人数",
                metric_text="员工人数",
                entity="",
                period=year,
                quantity=_quantity("236人"),
                location=prose_location(8, "236人"),
                sentence=OTHER,
            ),
        ),
    )


def test_prose_and_restatement_mutations_are_detected_and_located() -> None:
    document = _document()
    result = run_prose_mutations(
        SOURCE, document, [ProseAgainstTable()], _fact_base(document), 12, 12, seed=1
    )
    assert result.verified_claims == 2
    assert result.restated_facts == 1  # revenue 2025; 2024 is stated once
    targets = {o.target for o in result.outcomes}
    assert targets == {CLAIM, RESTATEMENT}
    for outcome in result.outcomes:
        assert outcome.detected and outcome.located, outcome
        assert set(outcome.located_by) == {"C990"}
        assert outcome.original != outcome.mutated
    # The change rate's direction word is flipped; the revenue figure has none to flip.
    flips = [o for o in result.outcomes if o.kind == "sign"]
    assert any(o.original == "增长" and o.mutated == "下降" for o in flips)
    assert any(s.target == CLAIM and "direction word" in s.reason for s in result.skipped)
    # Restatements mutate the table cell or the prose figure, whichever the draw picks.
    places = {o.where for o in result.outcomes if o.target == RESTATEMENT}
    assert places <= {"l.10", "l.3 t0 r1 c1"}
    summary = result.summary(CLAIM)[-1]
    assert summary.kind == "all" and summary.applied == summary.located > 0


def test_claims_never_checked_are_not_mutated() -> None:
    document = _document()
    result = run_prose_mutations(SOURCE, document, [ProseAgainstTable()], _fact_base(document), 40, 0, seed=2)
    assert all(o.where == "l.10" for o in result.outcomes)
    assert not any("236" in o.original for o in result.outcomes)


def test_a_finding_that_does_not_name_the_figure_is_detected_but_not_located() -> None:
    document = _document()
    result = run_prose_mutations(
        SOURCE, document, [ProseAgainstTable(report_elsewhere=True)], _fact_base(document), 8, 8, seed=3
    )
    assert result.outcomes
    assert all(o.detected and not o.located for o in result.outcomes)


def test_a_rule_that_never_reports_detects_nothing() -> None:
    class Silent(ProseAgainstTable):
        def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
            for _ in super().check(ctx):
                pass  # relations are still counted; findings are dropped
            yield from ()

    document = _document()
    result = run_prose_mutations(SOURCE, document, [Silent()], _fact_base(document), 8, 8, seed=4)
    assert result.verified_claims == 2
    assert result.outcomes
    assert not any(o.detected or o.located for o in result.outcomes)


def test_same_seed_same_sample() -> None:
    document = _document()
    first = run_prose_mutations(SOURCE, document, [ProseAgainstTable()], _fact_base(document), 8, 8, seed=5)
    again = run_prose_mutations(SOURCE, document, [ProseAgainstTable()], _fact_base(document), 8, 8, seed=5)
    assert first.outcomes == again.outcomes
    assert first.skipped == again.skipped
