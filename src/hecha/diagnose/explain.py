"""Searches the candidate explanations of one failed relation and keeps the simplest that
reproduces the stated figure within its rounding interval.

Search: every misprint of one figure (misprints.py) and every other formula over the document's
own figures (formulas.py) is recomputed with interval arithmetic; a candidate counts when its
interval meets the stated figure's rounding interval tightly enough not to be a coincidence of
wide intervals (``problem.MAX_WINDOW_SHARE``).

Policy (no diagnosis is better than a wrong one), over the candidates of the simplest tier that
has any (tiers in candidate.py):
- one candidate: it is the diagnosis;
- several of one kind about different figures (two operands whose sign flip both fit): one
  diagnosis of that kind naming every such figure, up to ``MAX_SUBJECTS``; more stay unexplained;
- wrong bases and prior bases together: one explanation (see ``_bases_merged``);
- candidates of different kinds: no diagnosis (the message stands alone).
The kinds that also fit in worse tiers go into ``alternatives`` and the sentence names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from hecha.diagnose.candidate import KIND_WORDS, Candidate
from hecha.diagnose.cells import label_of
from hecha.diagnose.formulas import formula_candidates
from hecha.diagnose.misprints import misprint_candidates
from hecha.diagnose.problem import build_problem
from hecha.extract.roles import AnalyzedTable
from hecha.model.diagnostic import Diagnosis, Diagnostic
from hecha.model.document import Document, Location

MAX_SUBJECTS = 3
# The role word rules put before an operand's label ("加数：应收账款", "减数 营业成本").
_ROLE_WORD = re.compile(r"^(?:加数|减数|分子|分母|本期|上期)[：:\s]+")
# A stated figure with fewer significant digits than this (0.00, 0.5, 7%) fits too many
# candidates by chance to be diagnosed.
MIN_STATED_DIGITS = 2


@dataclass(frozen=True)
class DiagnosisContext:
    """What an explanation may look at beyond the relation itself: the document and its tables
    (another column's total, last year's figure, the net instead of the gross balance…)."""

    document: Document
    tables: tuple[AnalyzedTable, ...]


def candidates(diagnostic: Diagnostic, context: DiagnosisContext) -> list[Candidate]:
    """Every explanation that reproduces ``diagnostic``'s stated figure, each once."""
    relation = diagnostic.relation
    if relation is None:
        return []
    labels = [_label(diagnostic, term.location, context) for term in relation.terms]
    problem = build_problem(diagnostic, labels)
    if problem is None or problem.stated.significant_digits < MIN_STATED_DIGITS:
        return []
    percent = "%" in diagnostic.location.quote or "％" in diagnostic.location.quote
    found: dict[object, Candidate] = {}
    for candidate in (
        *misprint_candidates(problem, percent),
        *formula_candidates(problem, context.tables, percent),
    ):
        found.setdefault(candidate.key, candidate)
    return sorted(found.values(), key=lambda candidate: candidate.tier)


def explain(diagnostic: Diagnostic, context: DiagnosisContext) -> Diagnosis | None:
    """The likely cause of ``diagnostic``'s failure, or None when no candidate reproduces it or
    the simplest candidates disagree."""
    fitting = candidates(diagnostic, context)
    if not fitting:
        return None
    best_tier = fitting[0].tier
    top = _bases_merged([candidate for candidate in fitting if candidate.tier == best_tier])
    kinds = {candidate.kind for candidate in top}
    if len(kinds) > 1 or len(top) > MAX_SUBJECTS:
        return None
    kind = top[0].kind
    alternatives = tuple(dict.fromkeys(c.kind for c in fitting if c.tier > best_tier and c.kind != kind))
    if len(top) == 1:
        sentence, sentence_en = top[0].sentence, top[0].sentence_en
        evidence = top[0].evidence
    else:
        sentence = "以下解释同样成立，无法确定是哪一项：" + "；".join(c.sentence for c in top)
        sentence_en = "These explanations fit equally; which one applies cannot be told: " + "; ".join(
            c.sentence_en for c in top
        )
        evidence = tuple(dict.fromkeys(related for c in top for related in c.evidence))
    if alternatives:
        sentence += "（其他可能：" + "、".join(KIND_WORDS[k][0] for k in alternatives) + "）"
        sentence_en += " (also possible: " + ", ".join(KIND_WORDS[k][1] for k in alternatives) + ")"
    return Diagnosis(
        kind=kind, sentence=sentence, sentence_en=sentence_en, evidence=evidence, alternatives=alternatives
    )


def _bases_merged(top: list[Candidate]) -> list[Candidate]:
    """Wrong bases and prior bases fitting together are one explanation, a wrong base: a base
    printing the same figure as the earlier period's line is that line (a 小计 of one item
    repeats it); when only prior bases remain the diagnosis is prior-base, else every base is
    named as a wrong base."""
    kinds = {candidate.kind for candidate in top}
    if kinds != {"prior-base", "wrong-base"}:
        return top
    prior_figures = {c.used for c in top if c.kind == "prior-base"}
    kept = [c for c in top if c.kind == "prior-base" or c.used not in prior_figures]
    if all(c.kind == "prior-base" for c in kept):
        return kept
    return [replace(c, kind="wrong-base") for c in kept]


def _label(diagnostic: Diagnostic, location: Location, context: DiagnosisContext) -> str:
    """An operand's label: the rule's own (without its role word), else its row and column."""
    for related in diagnostic.related:
        if related.location == location:
            return _ROLE_WORD.sub("", related.label, count=1) or related.label
    return label_of(context.tables, location)


# The role word rules put before an operand's name ("加数：应收账款", "分母 营业收入"): the
# diagnosis sentence names the item itself.
_ROLE_WORD = re.compile(r"^(?:加数|减数|分子|分母|被除数|除数|乘数|运算项)\s*[：:]?\s*")
