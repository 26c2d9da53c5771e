"""Coverage benchmark: how much of the figures in a document's prose hecha ties to a fact or a claim.

The fact base classifies every figure in the prose (``FactBase.tokens``, one ``TokenClass`` each).
Years, dates, ordinals, identifiers and page numbers are not figures a reviewer recomputes: they
are counted and shown, and left out of the ratio. Coverage is

    (CLAIM + FACT) / (CLAIM + FACT + UNLINKED)

per document and over all documents. Claims are counted as extracted, linked (the extractor tied
them to facts) and checked (a rule compared them: the relation held, or a finding stands at them).
A sample of UNLINKED figures is kept with the sentence around them, for the extractor's authors.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from hecha.engine import CheckResult, analyze_tables
from hecha.extract.factbase import FactBase, NumericToken, TokenClass
from hecha.extract.facts import build_fact_base, linked_facts
from hecha.ingest.numbers import normalize
from hecha.model.document import Document, Location, Paragraph
from hecha.model.facts import Claim

LINKED_CLASSES = (TokenClass.CLAIM, TokenClass.FACT)
EXCLUDED_CLASSES = (
    TokenClass.YEAR,
    TokenClass.DATE,
    TokenClass.ORDINAL,
    TokenClass.IDENTIFIER,
    TokenClass.PAGE,
    TokenClass.DEFINITION,
)
TARGET_COVERAGE = 0.90

# A sentence ends at these; the example sentence of an unlinked figure is cut there.
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
# Example sentences longer than this are cut around the figure.
MAX_EXAMPLE_CHARACTERS = 160


@dataclass(frozen=True)
class UnlinkedExample:
    text: str
    where: str  # "p.12" / "l.40"
    sentence: str


@dataclass(frozen=True)
class DocumentCoverage:
    """Counts for one document (or all of them, ``document == "all"``)."""

    document: str
    by_class: tuple[tuple[str, int], ...]  # (TokenClass value, count), every class listed
    claims: int = 0
    claims_linked: int = 0  # the extractor tied the claim to at least one fact
    claims_checked: int = 0  # a rule compared the claim: it held, or a finding stands at it
    claims_held: int = 0
    facts: int = 0
    examples: tuple[UnlinkedExample, ...] = ()

    def count(self, token_class: TokenClass) -> int:
        return dict(self.by_class).get(token_class.value, 0)

    @property
    def linked(self) -> int:
        return sum(self.count(c) for c in LINKED_CLASSES)

    @property
    def unlinked(self) -> int:
        return self.count(TokenClass.UNLINKED)

    @property
    def excluded(self) -> int:
        return sum(self.count(c) for c in EXCLUDED_CLASSES)

    @property
    def counted(self) -> int:
        """The figures the ratio is about: linked + unlinked."""
        return self.linked + self.unlinked

    @property
    def coverage(self) -> float | None:
        return self.linked / self.counted if self.counted else None


def _class_counts(tokens: Iterable[NumericToken]) -> tuple[tuple[str, int], ...]:
    counts = Counter(token.token_class.value for token in tokens)
    return tuple((token_class.value, counts.get(token_class.value, 0)) for token_class in TokenClass)


def _same_place(a: Location, b: Location) -> bool:
    return a.page == b.page and a.line == b.line and a.table is None and b.table is None


def claim_is_linked(fact_base: FactBase, claim: Claim) -> bool:
    """True when the fact base ties the claim to at least one fact stated elsewhere."""
    return bool(linked_facts(fact_base, claim))


def paragraph_at(document: Document, location: Location, text: str) -> Paragraph | None:
    """The paragraph at ``location`` (same page and line) whose text holds ``text``, if any.

    Paragraph locations give the first character; a figure's location may give a later line of
    the same paragraph, so the closest paragraph starting at or before it is tried next.
    """
    wanted = normalize(text).replace(" ", "")
    same = [
        p
        for p in document.paragraphs
        if p.location.page == location.page and p.location.line == location.line
    ]
    if location.bbox is not None:
        same.sort(key=lambda p: p.location.bbox != location.bbox)
    for paragraph in same:
        if wanted in normalize(paragraph.text).replace(" ", ""):
            return paragraph
    if location.line is not None:
        before = [
            p
            for p in document.paragraphs
            if p.location.page == location.page
            and p.location.line is not None
            and p.location.line <= location.line
        ]
        for paragraph in reversed(before):
            if wanted in normalize(paragraph.text).replace(" ", ""):
                return paragraph
    return None


def sentence_around(text: str, figure: str) -> str:
    """The sentence of ``text`` holding ``figure`` (whole ``text`` when the figure is not in it)."""
    normalized = normalize(text)
    at = normalized.find(normalize(figure).strip())
    if at < 0:
        return normalized.strip()[:MAX_EXAMPLE_CHARACTERS]
    start = 0
    for match in _SENTENCE_END.finditer(normalized, 0, at):
        start = match.end()
    end_match = _SENTENCE_END.search(normalized, at)
    end = end_match.end() if end_match else len(normalized)
    sentence = normalized[start:end].strip()
    if len(sentence) > MAX_EXAMPLE_CHARACTERS:
        middle = at - start
        half = MAX_EXAMPLE_CHARACTERS // 2
        sentence = "…" + sentence[max(0, middle - half) : middle + half] + "…"
    return sentence


def _where(location: Location) -> str:
    parts = []
    if location.page is not None:
        parts.append(f"p.{location.page}")
    if location.line is not None:
        parts.append(f"l.{location.line}")
    return " ".join(parts) or "-"


def unlinked_examples(
    document: Document, tokens: Iterable[NumericToken], count: int, seed: int
) -> tuple[UnlinkedExample, ...]:
    """Up to ``count`` UNLINKED figures, drawn with a fixed seed, each with its sentence."""
    unlinked = [t for t in tokens if t.token_class is TokenClass.UNLINKED]
    rng = random.Random(f"{seed}:{document.source}")
    chosen = sorted(
        rng.sample(range(len(unlinked)), min(count, len(unlinked))),
    )
    examples = []
    for index in chosen:
        token = unlinked[index]
        paragraph = paragraph_at(document, token.location, token.text)
        source_text = paragraph.text if paragraph is not None else token.location.quote
        examples.append(
            UnlinkedExample(
                text=token.text,
                where=_where(token.location),
                sentence=sentence_around(source_text, token.text),
            )
        )
    return tuple(examples)


def document_coverage(
    name: str,
    document: Document,
    fact_base: FactBase,
    result: CheckResult | None = None,
    examples: int = 0,
    seed: int = 2025,
) -> DocumentCoverage:
    """Coverage figures of one document from its fact base (and, for "checked", its check result)."""
    held: frozenset[Location] = result.verified_locations if result is not None else frozenset()
    flagged = [d.location for d in result.diagnostics] if result is not None else []
    flagged += [r.location for d in (result.diagnostics if result else ()) for r in d.related]
    claims_held = sum(1 for claim in fact_base.claims if claim.location in held)
    checked = sum(
        1
        for claim in fact_base.claims
        if claim.location in held
        or any(_same_place(claim.location, f) and _quotes_meet(claim, f) for f in flagged)
    )
    return DocumentCoverage(
        document=name,
        by_class=_class_counts(fact_base.tokens),
        claims=len(fact_base.claims),
        claims_linked=sum(1 for claim in fact_base.claims if claim_is_linked(fact_base, claim)),
        claims_checked=checked,
        claims_held=claims_held,
        facts=len(fact_base.facts),
        examples=unlinked_examples(document, fact_base.tokens, examples, seed) if examples else (),
    )


def _quotes_meet(claim: Claim, location: Location) -> bool:
    """A finding's location is at the claim: one quote holds the other (or the finding has none)."""
    if not location.quote or not claim.location.quote:
        return True
    return claim.location.quote in location.quote or location.quote in claim.location.quote


def fact_base_of(document: Document) -> FactBase:
    """The fact base the rules see: built from the document and every analyzed table."""
    return build_fact_base(document, analyze_tables(document))


def overall(documents: list[DocumentCoverage]) -> DocumentCoverage:
    """The documents' counts added up."""
    totals: Counter[str] = Counter()
    for document in documents:
        totals.update(dict(document.by_class))
    return DocumentCoverage(
        document="all",
        by_class=tuple((c.value, totals.get(c.value, 0)) for c in TokenClass),
        claims=sum(d.claims for d in documents),
        claims_linked=sum(d.claims_linked for d in documents),
        claims_checked=sum(d.claims_checked for d in documents),
        claims_held=sum(d.claims_held for d in documents),
        facts=sum(d.facts for d in documents),
    )
