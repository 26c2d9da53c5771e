"""Mutation benchmark for prose: change a figure the prose states, or one of two statements of the
same fact, and see whether hecha notices and points at it.

Two kinds of target, both taken from a clean check of the whole document:

- ``claim``: a figure of a Claim that a rule checked and found to hold (its location is in
  ``CheckResult.verified_locations``);
- ``restatement``: one statement (a table cell or a prose figure) of a fact the document states
  in two or more places (``FactBase.groups()``), one of which took part in a relation that held.

A prose figure is rewritten inside its Paragraph's text (digit, sign or direction word, adjacent
digits transposed, ×10, as the table mutation does); a table cell is rebuilt as the table mode
does it. Facts come from tables and prose alike, so every mutation re-checks the whole document.
A mutation is *detected* when the re-check has a finding (by fingerprint) the clean check did not,
and *located* when such a finding stands at the mutated figure or lists it among its related
places: the same cell, or the same page/line with a quote that holds the mutated figure.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from benchmarks.mutation import (
    KindSummary,
    MutationKind,
    MutationSkipped,
    find_cell,
    mutate_text,
    names_cell,
    quotas,
    summarize,
    with_cell_text,
)
from hecha.engine import check_document
from hecha.extract.factbase import FactBase
from hecha.ingest.numbers import find_quantities, normalize
from hecha.model.diagnostic import Diagnostic
from hecha.model.document import Document, Location, Paragraph
from hecha.model.facts import Fact
from hecha.rules.base import Rule

CLAIM = "claim"
RESTATEMENT = "restatement"
TARGETS = (CLAIM, RESTATEMENT)

# Direction words and their opposites: the prose form of a sign.
DIRECTION_FLIPS = {
    "增长": "下降",
    "增加": "减少",
    "上升": "下降",
    "提高": "降低",
    "上涨": "下跌",
    "扩大": "缩小",
    "减少": "增加",
    "下降": "增长",
    "降低": "提高",
    "下跌": "上涨",
    "缩小": "扩大",
    "缩窄": "扩大",
    "下滑": "增长",
    "增亏": "减亏",
    "减亏": "增亏",
}
# A direction word governs the figure right after it, maybe across a few filler characters
# ("同比增长了 44.75%", "下降幅度为31.28%"), never across another figure or a clause break.
_DIRECTION_BEFORE = re.compile(
    "(?P<word>" + "|".join(DIRECTION_FLIPS) + r")(?:了|幅度|比例|为|约|达到|达|\s)*$"
)


@dataclass(frozen=True)
class FigureSpan:
    """Where a figure is printed in a paragraph: ``text[start:end]`` of paragraph ``paragraph``."""

    paragraph: int
    start: int
    end: int


def original_offsets(text: str) -> list[int]:
    """For each character of ``normalize(text)`` (and its end), the offset in ``text`` it came from.

    ``normalize`` maps characters one to one (full-width to half-width) and drops whitespace
    inside figures; it only rewrites more when the text holds LaTeX ("$…$"), which callers skip.
    """
    normalized = normalize(text)
    offsets: list[int] = []
    i = 0
    for ch in normalized:
        while i < len(text) and normalize(text[i]) != ch:
            i += 1
        if i >= len(text):
            raise MutationSkipped("paragraph text does not align with its normalized form")
        offsets.append(i)
        i += 1
    offsets.append(len(text) if not offsets else offsets[-1] + 1)
    return offsets


def _paragraph_candidates(document: Document, location: Location) -> list[int]:
    exact = [
        i
        for i, p in enumerate(document.paragraphs)
        if p.location.page == location.page and p.location.line == location.line
    ]
    if location.bbox is not None:
        exact.sort(key=lambda i: document.paragraphs[i].location.bbox != location.bbox)
    if location.line is None:
        return exact
    # A figure's line may be a later line of the paragraph that starts last above it.
    earlier = [
        i
        for i, p in enumerate(document.paragraphs)
        if p.location.page == location.page
        and p.location.line is not None
        and p.location.line < location.line
    ]
    if not earlier:
        return exact
    return [*exact, max(earlier, key=lambda i: document.paragraphs[i].location.line or 0)]


def locate_figure(
    document: Document, location: Location, value: Decimal, decimals: int, context: str
) -> FigureSpan:
    """The printed span of the figure ``value`` (``decimals`` places) at ``location``.

    ``context`` (the claim's sentence, or the location's quote) narrows the paragraph to the
    part that holds it. Raises MutationSkipped when the figure cannot be found exactly once.
    """
    context_text = normalize(context).strip()
    for index in _paragraph_candidates(document, location):
        text = document.paragraphs[index].text
        normalized = normalize(text)
        window_start, window_end = 0, len(normalized)
        if context_text:
            at = normalized.find(context_text)
            if at < 0:
                continue
            if normalized.find(context_text, at + 1) >= 0:
                raise MutationSkipped("the figure's sentence is printed twice in its paragraph")
            window_start, window_end = at, at + len(context_text)
        matches = [
            (start, end)
            for start, end, quantity in find_quantities(normalized[window_start:window_end])
            if abs(quantity.value) == abs(value) and quantity.decimals == decimals
        ]
        if not matches:
            continue
        if "$" in text:
            raise MutationSkipped("paragraph prints figures as LaTeX")
        if len(matches) > 1:
            raise MutationSkipped("figure printed more than once in its sentence")
        offsets = original_offsets(text)
        start, end = matches[0]
        first, last = offsets[window_start + start], offsets[window_start + end - 1] + 1
        while last > first and text[last - 1].isspace():
            last -= 1
        return FigureSpan(paragraph=index, start=first, end=last)
    raise MutationSkipped("figure not found in the paragraph at its location")


@dataclass(frozen=True)
class ProseEdit:
    """A rewrite of ``paragraph``'s text: ``text[start:end]`` becomes ``new``."""

    paragraph: int
    start: int
    end: int
    old: str
    new: str
    figure: str  # the mutated figure's digits as printed after the edit ("5.11", "44.75")
    large: bool


def _figure_digits(text: str) -> str:
    """The number body of a printed figure ("2,608.09" of "减少2,608.09万元")."""
    match = re.search(r"\d[\d,]*(?:\.\d+)?|\.\d+", normalize(text).replace(" ", ""))
    return match.group(0) if match else ""


def prose_edit(paragraph_text: str, span: FigureSpan, kind: MutationKind, rng: random.Random) -> ProseEdit:
    """The paragraph rewritten at ``span`` by ``kind``; raises MutationSkipped when it cannot be.

    A sign flip uses the figure's own sign when it has one, else flips the direction word just
    before it (增长 ↔ 下降, 增加 ↔ 减少, …); a figure with neither is skipped.
    """
    printed = paragraph_text[span.start : span.end]
    if kind is MutationKind.SIGN and not re.match(r"\s*[-−－(（]", printed):
        window_start = max(0, span.start - 12)
        before = _DIRECTION_BEFORE.search(paragraph_text[window_start : span.start])
        if before is None:
            raise MutationSkipped("no sign or direction word to flip")
        word_start = window_start + before.start()
        word = before.group("word")
        return ProseEdit(
            paragraph=span.paragraph,
            start=word_start,
            end=word_start + len(word),
            old=word,
            new=DIRECTION_FLIPS[word],
            figure=_figure_digits(printed),
            large=True,
        )
    mutated = mutate_text(printed, kind, rng)
    return ProseEdit(
        paragraph=span.paragraph,
        start=span.start,
        end=span.end,
        old=printed,
        new=mutated.text,
        figure=_figure_digits(mutated.text),
        large=mutated.large,
    )


def with_paragraph_edit(document: Document, edit: ProseEdit) -> Document:
    """``document`` with one paragraph's text rewritten; its location (and quote) follows."""
    paragraph = document.paragraphs[edit.paragraph]
    text = paragraph.text[: edit.start] + edit.new + paragraph.text[edit.end :]
    location = paragraph.location
    if location.quote == paragraph.text:
        location = replace(location, quote=text)
    paragraphs = list(document.paragraphs)
    paragraphs[edit.paragraph] = Paragraph(text=text, location=location, heading=paragraph.heading)
    return replace(document, paragraphs=tuple(paragraphs))


def names_prose_figure(diagnostic: Diagnostic, places: Iterable[Location], figure: str) -> bool:
    """True when the finding, or one of its related places, stands at one of ``places`` (same
    page and line, outside tables) with a quote that holds ``figure`` (or no quote)."""
    wanted = [(p.page, p.line) for p in places]
    for location in (diagnostic.location, *(r.location for r in diagnostic.related)):
        if location.table is not None or (location.page, location.line) not in wanted:
            continue
        quote = normalize(location.quote).replace(" ", "")
        if not quote or figure in quote:
            return True
    return False


@dataclass(frozen=True)
class ProseOutcome:
    target: str  # CLAIM or RESTATEMENT
    kind: str
    where: str  # "p.12" / "l.40" / "t3 r4 c2"
    original: str
    mutated: str
    detected: bool
    located: bool
    new_findings: tuple[str, ...]  # "code@where" of each new finding
    located_by: tuple[str, ...] = ()  # codes of the new findings that name the mutated figure
    rule_failures: tuple[str, ...] = ()
    large: bool = True


@dataclass(frozen=True)
class ProseSkip:
    target: str
    kind: str
    where: str
    reason: str


@dataclass(frozen=True)
class DocumentProseMutations:
    document: str
    verified_claims: int
    restated_facts: int  # groups of ≥ 2 places with one place in a relation that held
    outcomes: tuple[ProseOutcome, ...]
    skipped: tuple[ProseSkip, ...]

    def summary(self, target: str) -> tuple[KindSummary, ...]:
        return summarize_target(self.outcomes, self.skipped, target)


def summarize_target(
    outcomes: Iterable[ProseOutcome], skipped: Iterable[ProseSkip], target: str | None
) -> tuple[KindSummary, ...]:
    """Counts per mutation kind and an "all" line, for one target (None: both)."""
    chosen = [o for o in outcomes if target in (None, o.target)]
    skips = [s for s in skipped if target in (None, s.target)]
    return summarize(chosen, skips)


def describe(location: Location) -> str:
    parts = []
    if location.page is not None:
        parts.append(f"p.{location.page}")
    if location.line is not None:
        parts.append(f"l.{location.line}")
    if location.table is not None:
        parts.append(f"t{location.table} r{location.row} c{location.col}")
    return " ".join(parts) or "-"


def _is_cell(location: Location) -> bool:
    return location.table is not None and location.row is not None and location.col is not None


class ProseMutationRunner:
    """Applies prose and restatement mutations to one document, against one clean check."""

    def __init__(self, document: Document, rules: list[Rule] | None, fact_base: FactBase) -> None:
        self.document = document
        self.rules = rules
        self.fact_base = fact_base
        clean = check_document(document, rules)
        self.fingerprints = frozenset(d.fingerprint for d in clean.diagnostics)
        self.verified_cells = clean.verified_cells
        self.verified_locations = clean.verified_locations
        self.tables = {table.index: table for table in document.tables}

    def verified_claims(self) -> list[int]:
        """Indices into ``fact_base.claims`` of the claims a rule checked and found to hold."""
        return [i for i, c in enumerate(self.fact_base.claims) if c.location in self.verified_locations]

    def _verified(self, location: Location) -> bool:
        if _is_cell(location):
            return (location.table, location.row, location.col) in self.verified_cells
        return location in self.verified_locations

    def restated_groups(self) -> list[list[Fact]]:
        """Facts stated in ≥ 2 distinct places, one of which took part in a relation that held."""
        groups = []
        for group in self.fact_base.groups():
            places: dict[Location, Fact] = {}
            for fact in group:
                places.setdefault(fact.location, fact)
            if len(places) >= 2 and any(self._verified(place) for place in places):
                groups.append(list(places.values()))
        return groups

    def _recheck(self, mutated: Document) -> tuple[list[Diagnostic], tuple[str, ...]]:
        result = check_document(mutated, self.rules)
        new = [d for d in result.diagnostics if d.fingerprint not in self.fingerprints]
        return new, tuple(f"{f.code}: {f.error}" for f in result.rule_failures)

    def _prose(
        self,
        target: str,
        kind: MutationKind,
        location: Location,
        value: Decimal,
        decimals: int,
        context: str,
        rng: random.Random,
    ) -> ProseOutcome:
        span = locate_figure(self.document, location, value, decimals, context)
        edit = prose_edit(self.document.paragraphs[span.paragraph].text, span, kind, rng)
        new, failures = self._recheck(with_paragraph_edit(self.document, edit))
        places = [location, self.document.paragraphs[span.paragraph].location]
        located_by = tuple(d.code for d in new if names_prose_figure(d, places, edit.figure))
        return ProseOutcome(
            target=target,
            kind=kind.value,
            where=describe(location),
            original=edit.old,
            mutated=edit.new,
            detected=bool(new),
            located=bool(located_by),
            new_findings=tuple(f"{d.code}@{describe(d.location)}" for d in new),
            located_by=located_by,
            rule_failures=failures,
            large=edit.large,
        )

    def _cell(self, kind: MutationKind, location: Location, rng: random.Random) -> ProseOutcome:
        key = (location.table or 0, location.row or 0, location.col or 0)
        table = self.tables.get(key[0])
        if table is None:
            raise MutationSkipped("fact names a table the document does not have")
        original = find_cell(table, key).text
        mutated = mutate_text(original, kind, rng)
        tables = tuple(
            with_cell_text(t, key, mutated.text) if t.index == key[0] else t for t in self.document.tables
        )
        new, failures = self._recheck(replace(self.document, tables=tables))
        located_by = tuple(d.code for d in new if names_cell(d, key))
        return ProseOutcome(
            target=RESTATEMENT,
            kind=kind.value,
            where=describe(location),
            original=original,
            mutated=mutated.text,
            detected=bool(new),
            located=bool(located_by),
            new_findings=tuple(f"{d.code}@{describe(d.location)}" for d in new),
            located_by=located_by,
            rule_failures=failures,
            large=mutated.large,
        )

    def mutate_claim(self, index: int, kind: MutationKind, rng: random.Random) -> ProseOutcome:
        claim = self.fact_base.claims[index]
        context = claim.sentence or claim.location.quote
        return self._prose(
            CLAIM, kind, claim.location, claim.quantity.value, claim.quantity.decimals, context, rng
        )

    def mutate_statement(self, fact: Fact, kind: MutationKind, rng: random.Random) -> ProseOutcome:
        if _is_cell(fact.location):
            return self._cell(kind, fact.location, rng)
        if fact.location.table is not None:
            raise MutationSkipped("fact stands in a table but not at one cell")
        return self._prose(
            RESTATEMENT,
            kind,
            fact.location,
            fact.quantity.value,
            fact.quantity.decimals,
            fact.location.quote,
            rng,
        )


def run_prose_mutations(
    name: str,
    document: Document,
    rules: list[Rule] | None,
    fact_base: FactBase,
    claim_sample: int,
    restatement_sample: int,
    seed: int,
) -> DocumentProseMutations:
    """Up to ``claim_sample`` claim mutations and ``restatement_sample`` restatement mutations.

    Each sample is split evenly over the mutation kinds; per kind the candidates (verified claims;
    restated facts, one of their places drawn at random) are shuffled by a generator seeded from
    ``seed``, the document name, the target and the kind, and tried in that order until the
    kind's quota is met. Candidates that cannot be mutated are recorded with their reason.
    """
    runner = ProseMutationRunner(document, rules, fact_base)
    claims = runner.verified_claims()
    groups = runner.restated_groups()
    outcomes: list[ProseOutcome] = []
    skipped: list[ProseSkip] = []
    for kind, quota in quotas(claim_sample).items():
        rng = random.Random(f"{seed}:{name}:{CLAIM}:{kind.value}")
        order = list(claims)
        rng.shuffle(order)
        applied = 0
        for index in order:
            if applied >= quota:
                break
            try:
                outcomes.append(runner.mutate_claim(index, kind, rng))
                applied += 1
            except MutationSkipped as skip:
                where = describe(fact_base.claims[index].location)
                skipped.append(ProseSkip(CLAIM, kind.value, where, skip.reason))
    for kind, quota in quotas(restatement_sample).items():
        rng = random.Random(f"{seed}:{name}:{RESTATEMENT}:{kind.value}")
        order_groups = list(groups)
        rng.shuffle(order_groups)
        applied = 0
        for group in order_groups:
            if applied >= quota:
                break
            fact = rng.choice(group)
            try:
                outcomes.append(runner.mutate_statement(fact, kind, rng))
                applied += 1
            except MutationSkipped as skip:
                skipped.append(ProseSkip(RESTATEMENT, kind.value, describe(fact.location), skip.reason))
    return DocumentProseMutations(
        document=name,
        verified_claims=len(claims),
        restated_facts=len(groups),
        outcomes=tuple(outcomes),
        skipped=tuple(skipped),
    )
