"""Diagnosis benchmark: inject an error of known kind into a verified table figure and see whether
the finding it causes names that kind as its likely cause.

A clean check of the document records every relation that held, rule by rule, with its cells
(stated figure first, then its operands, as rules pass them to ``CheckStats.relation``). One
figure at a time is then changed the way a known mistake would change it:

- ``sign-flip``: the sign of a verified figure flipped (an addend, or the stated total);
- ``transposition``: two adjacent different digits swapped;
- ``unit-slip``: the figure ×10^4 or ÷10^4 (元 and 万元 confused), printed with the same decimals;
- ``wrong-base``: a share that held (T002) rewritten as part / another total of the same table
  (the other period's or segment's 合计, a subtotal), printed with the same decimals;
- ``dropped-row``: a total that held (T001) rewritten as the total minus one of its addends.

Only that table is re-checked (as the mutation mode does). The mutation is *located* when a new
finding stands at the mutated cell or names it; it is *diagnosed right* when one such finding's
``Diagnostic.diagnosis.kind`` is a kind the injection accepts, *wrong* when none does and one gives
another kind, *ambiguous* when the accepted kind is only among a diagnosis's ``alternatives``,
and *undiagnosed* when no located finding carries a diagnosis.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from benchmarks.mutation import (
    MIN_CHANGE_IN_LAST_DIGITS,
    CellKey,
    MutatedFigure,
    MutationKind,
    MutationRunner,
    MutationSkipped,
    find_cell,
    mutate_text,
    names_cell,
    rewritten,
)
from hecha.engine import analyze_tables
from hecha.extract.facts import build_fact_base
from hecha.extract.roles import AnalyzedTable, ColumnKind, RowKind
from hecha.ingest.numbers import is_blank, parse_quantity
from hecha.model.diagnostic import Diagnostic
from hecha.model.document import Cell, Document, Location
from hecha.model.quantity import Quantity, Unit
from hecha.rules.base import CheckStats, Rule, RuleContext
from hecha.rules.registry import select_rules

TOTAL_CODES = ("T001",)  # rules whose held relations are totals over addends (dropped-row)
SHARE_CODES = ("T002",)  # rules whose held relations are shares: stated, part, base (wrong-base)
TABLE_FAMILY = "T"  # rules whose verified cells the other kinds mutate

TARGET_RIGHT = 0.90
TARGET_WRONG = 0.02
UNIT_SLIP = Decimal(10) ** 4
# An alternative base within this share of the true one gives a share rounding may explain.
MIN_BASE_GAP = Decimal("0.01")


class InjectedKind(StrEnum):
    SIGN_FLIP = "sign-flip"
    TRANSPOSITION = "transposition"
    UNIT_SLIP = "unit-slip"
    WRONG_BASE = "wrong-base"
    DROPPED_ROW = "dropped-row"


INJECTED_KINDS = tuple(InjectedKind)

# The diagnosis kinds that name each injected error. A share on last year's total is also a
# share on a wrong base: prior-base is the more specific name of the same mistake.
ACCEPTED: dict[InjectedKind, frozenset[str]] = {
    InjectedKind.SIGN_FLIP: frozenset({"sign-flip"}),
    InjectedKind.TRANSPOSITION: frozenset({"transposition"}),
    InjectedKind.UNIT_SLIP: frozenset({"unit-slip"}),
    InjectedKind.WRONG_BASE: frozenset({"wrong-base", "prior-base"}),
    InjectedKind.DROPPED_ROW: frozenset({"omitted-row"}),
}


class Verdict(StrEnum):
    RIGHT = "right"
    WRONG = "wrong"
    AMBIGUOUS = "ambiguous"
    UNDIAGNOSED = "undiagnosed"
    NOT_LOCATED = "not-located"


# ---------------------------------------------------------------- relations that held


@dataclass(frozen=True)
class HeldRelation:
    """A relation a rule found to hold: its code and cells, the stated figure first."""

    code: str
    cells: tuple[CellKey, ...]


@dataclass
class _RecordingStats(CheckStats):
    """CheckStats that also keeps each held relation with the rule that checked it."""

    code: str = ""
    held_relations: list[HeldRelation] = field(default_factory=list)

    def relation(
        self,
        table: int | None = None,
        count: int = 1,
        held: bool = False,
        cells: Iterable[Location] = (),
    ) -> None:
        listed = list(cells)
        super().relation(table, count, held, listed)
        if not held:
            return
        keys = tuple(
            (loc.table, loc.row, loc.col)
            for loc in listed
            if loc.table is not None and loc.row is not None and loc.col is not None
        )
        if keys:
            self.held_relations.append(HeldRelation(self.code, keys))


def held_relations(document: Document, rules: Sequence[Rule]) -> list[HeldRelation]:
    """Every relation that held in a clean check of ``document`` by ``rules``, with its rule.

    Mirrors ``engine.check_document`` (understood tables only, facts built on demand); a rule that
    crashes contributes the relations it recorded before crashing.
    """
    analyzed = analyze_tables(document)
    stats = _RecordingStats()
    ctx = RuleContext(
        document=document,
        tables=tuple(table for table in analyzed if table.uncertain is None),
        stats=stats,
        build_facts=lambda: build_fact_base(document, analyzed),
    )
    for rule in rules:
        stats.code = rule.code
        try:
            for _ in rule.check(ctx):
                pass
        except Exception:  # the engine isolates crashing rules; the mutation mode counts them
            continue
    return stats.held_relations


# ---------------------------------------------------------------- the figures injected


def sign_flipped(text: str) -> MutatedFigure:
    return mutate_text(text, MutationKind.SIGN, random.Random(0))


def transposed(text: str, rng: random.Random) -> MutatedFigure:
    return mutate_text(text, MutationKind.TRANSPOSE, rng)


def _quantity(text: str) -> Quantity:
    if is_blank(text):
        raise MutationSkipped("printed blank (a rule took it as zero)")
    quantity = parse_quantity(text)
    if quantity is None:
        raise MutationSkipped("cell text is not one figure")
    return quantity


def unit_slipped(text: str, rng: random.Random) -> MutatedFigure:
    """``text`` ×10^4 or ÷10^4 (drawn at random; ÷ only when the result keeps three printed
    significant digits), printed with the same decimals. Percentages are not amounts: skipped."""
    quantity = _quantity(text)
    if quantity.unit in (Unit.PERCENT, Unit.PERCENT_POINT, Unit.MULTIPLE):
        raise MutationSkipped("a unit slip is of amounts, not of percentages")
    if quantity.value == 0:
        raise MutationSkipped("zero times 10^4 is zero")
    smallest_divisible = UNIT_SLIP * 100 * Decimal(1).scaleb(-quantity.decimals)
    divide = abs(quantity.value) >= smallest_divisible and rng.random() < 0.5
    return rewritten(text, quantity.value / UNIT_SLIP if divide else quantity.value * UNIT_SLIP)


def total_without(total_text: str, addend_text: str) -> MutatedFigure:
    """The total ``total_text`` rewritten as if it had left out the addend ``addend_text``."""
    total, addend = _quantity(total_text), _quantity(addend_text)
    if addend.value == 0:
        raise MutationSkipped("leaving out a zero addend changes nothing")
    if total.scale != addend.scale or total.unit != addend.unit:
        raise MutationSkipped("total and addend printed in different units")
    return rewritten(total_text, total.value - addend.value)


def share_on(share_text: str, part_text: str, base_text: str, other_text: str) -> MutatedFigure:
    """The share ``share_text`` (= part / base, as a percentage or a fraction) recomputed on the
    other base ``other_text`` and printed with the same decimals."""
    share, part = _quantity(share_text), _quantity(part_text)
    base, other = _quantity(base_text), _quantity(other_text)
    if base.value == 0 or other.value == 0:
        raise MutationSkipped("a base of zero")
    if base.scale != other.scale or base.unit != other.unit:
        raise MutationSkipped("the other base is printed in another unit")
    if abs(other.value - base.value) < MIN_BASE_GAP * abs(base.value):
        raise MutationSkipped("the other base is within 1% of the true one")
    ratio = part.value / base.value
    if ratio == 0:
        raise MutationSkipped("a share of zero is zero on any base")
    # A share printed as 45.18 (%) or as 0.4518: whichever reading the stated figure is nearer.
    factor = Decimal(100) if abs(share.value - 100 * ratio) < abs(share.value - ratio) else Decimal(1)
    return rewritten(share_text, part.value / other.value * factor)


# ---------------------------------------------------------------- candidates


@dataclass(frozen=True)
class _Roles:
    """Per cell of the analyzed tables: its row kind, column kind, column position and scale."""

    row_kind: dict[CellKey, RowKind]
    column_kind: dict[CellKey, ColumnKind]
    column: dict[CellKey, tuple[int, int | None]]  # (grid column, column scale)
    closing_cells: dict[int, list[CellKey]]  # table → amount cells of its 合计/小计 rows


def _key(cell: Cell | None) -> CellKey | None:
    if cell is None:
        return None
    loc = cell.location
    if loc.table is None or loc.row is None or loc.col is None:
        return None
    return (loc.table, loc.row, loc.col)


def _roles(tables: Sequence[AnalyzedTable]) -> _Roles:
    row_kind: dict[CellKey, RowKind] = {}
    column_kind: dict[CellKey, ColumnKind] = {}
    column: dict[CellKey, tuple[int, int | None]] = {}
    closing: dict[int, list[CellKey]] = {}
    for table in tables:
        for row in table.rows:
            for position, cell in enumerate(row.cells):
                key = _key(cell)
                if key is None or cell is None or position >= len(table.columns):
                    continue
                kind = table.columns[position].kind
                row_kind[key] = row.kind
                column_kind[key] = kind
                column[key] = (table.columns[position].index, table.columns[position].scale)
                closing_row = row.kind in (RowKind.TOTAL, RowKind.SUBTOTAL)
                if closing_row and kind is ColumnKind.AMOUNT and cell.quantity is not None:
                    closing.setdefault(key[0], []).append(key)
    return _Roles(row_kind, column_kind, column, closing)


@dataclass(frozen=True)
class Injection:
    """One planned mutation: the cell changed and the figure it will print."""

    kind: InjectedKind
    key: CellKey
    figure: MutatedFigure
    detail: str = ""  # the addend left out, the base used, ×/÷ …


class DiagnosisPlanner:
    """Which cells each kind may change, and how; built from one clean check of a document."""

    def __init__(
        self,
        runner: MutationRunner,
        relations: Sequence[HeldRelation],
        tables: Sequence[AnalyzedTable],
        total_codes: Sequence[str] = TOTAL_CODES,
        share_codes: Sequence[str] = SHARE_CODES,
        family: str = TABLE_FAMILY,
    ) -> None:
        self.runner = runner
        self.roles = _roles(tables)
        mine = [relation for relation in relations if relation.code.startswith(family)]
        self.verified = sorted({key for relation in mine for key in relation.cells})
        self.stated = frozenset(relation.cells[0] for relation in mine)
        self.totals = [r for r in relations if r.code in total_codes and len(r.cells) >= 3]
        self.shares = [
            r
            for r in relations
            if r.code in share_codes
            and len(r.cells) == 3
            and self.roles.column_kind.get(r.cells[0]) is ColumnKind.SHARE
        ]

    def candidates(self, kind: InjectedKind) -> list[object]:
        if kind is InjectedKind.DROPPED_ROW:
            return list(self.totals)
        if kind is InjectedKind.WRONG_BASE:
            return list(self.shares)
        return list(self.verified)

    def text(self, key: CellKey) -> str:
        table = self.runner.tables.get(key[0])
        if table is None:
            raise MutationSkipped("verified cell names a table the document does not have")
        return find_cell(table, key).text

    def inject(self, kind: InjectedKind, candidate: object, rng: random.Random) -> Injection:
        """The planned mutation of ``candidate`` (a cell, or a held relation); MutationSkipped
        when it cannot apply."""
        if isinstance(candidate, HeldRelation):
            if kind is InjectedKind.DROPPED_ROW:
                return self._dropped_row(candidate, rng)
            return self._wrong_base(candidate, rng)
        assert isinstance(candidate, tuple)
        key: CellKey = candidate
        text = self.text(key)
        if kind is InjectedKind.SIGN_FLIP:
            return Injection(kind, key, sign_flipped(text))
        if kind is InjectedKind.TRANSPOSITION:
            return Injection(kind, key, transposed(text, rng))
        figure = unit_slipped(text, rng)
        smaller = abs(figure.value) < abs(figure.original)
        return Injection(kind, key, figure, "÷10^4" if smaller else "×10^4")

    def _dropped_row(self, relation: HeldRelation, rng: random.Random) -> Injection:
        total_key, *addend_keys = relation.cells
        total = _quantity(self.text(total_key))
        # A printed blank is a zero addend: kept out of the sum, not a reason to skip.
        addends = [(key, _quantity(self.text(key))) for key in addend_keys if not is_blank(self.text(key))]
        # Only totals that are the plain sum of their addends as printed: a 减：row or an addend
        # in another unit would make "total − addend" a different mistake.
        slack = sum((q.half_ulp for _, q in addends), total.half_ulp)
        if abs(sum((q.value for _, q in addends), Decimal(0)) - total.value) > slack:
            raise MutationSkipped("total is not the plain sum of its printed addends")
        usable = [
            (key, q)
            for key, q in addends
            if q.value != 0 and abs(q.value) >= MIN_CHANGE_IN_LAST_DIGITS * Decimal(1).scaleb(-total.decimals)
        ]
        if len(usable) < 2:
            raise MutationSkipped("fewer than two non-zero addends to leave out")
        key, _ = rng.choice(usable)
        figure = total_without(self.text(total_key), self.text(key))
        return Injection(InjectedKind.DROPPED_ROW, total_key, figure, f"without r{key[1]} c{key[2]}")

    def _wrong_base(self, relation: HeldRelation, rng: random.Random) -> Injection:
        share_key, part_key, base_key = relation.cells
        base_scale = self.roles.column.get(base_key, (0, None))[1]
        closing = [
            key
            for key in self.roles.closing_cells.get(base_key[0], [])
            if key not in (base_key, part_key) and self.roles.column.get(key, (0, None))[1] == base_scale
        ]
        if not closing:
            raise MutationSkipped("no other total in the table to use as a wrong base")
        # The other period's (or segment's) 合计 first, the way the issue describes the mistake;
        # another 合计/小计 of the same column otherwise.
        same_row = [key for key in closing if key[1] == base_key[1]]
        pool = same_row or closing
        rng.shuffle(pool)
        share, part, base = self.text(share_key), self.text(part_key), self.text(base_key)
        reasons = []
        for other in pool:
            try:
                figure = share_on(share, part, base, self.text(other))
            except MutationSkipped as skip:
                reasons.append(skip.reason)
                continue
            return Injection(InjectedKind.WRONG_BASE, share_key, figure, f"base r{other[1]} c{other[2]}")
        raise MutationSkipped(Counter(reasons).most_common(1)[0][0])


# ---------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class DiagnosisOutcome:
    kind: str
    table: int
    row: int
    col: int
    original: str
    mutated: str
    detail: str
    role: str  # "stated" (the stated figure of a relation that held, e.g. a total) or "operand"
    located: bool
    verdict: str
    diagnoses: tuple[str, ...]  # diagnosis kind of each located new finding ("-" for none)
    evidence_names_cell: bool = False  # a right diagnosis lists the mutated cell in its evidence
    mixed: bool = False  # right, but another located finding gives another kind
    new_findings: tuple[str, ...] = ()
    sentence: str = ""  # the sentence of the diagnosis counted (right or wrong)
    rule_failures: tuple[str, ...] = ()


def judge(
    kind: InjectedKind, key: CellKey, new_findings: Sequence[Diagnostic]
) -> tuple[Verdict, tuple[str, ...], bool, bool, str]:
    """Verdict of one injection from the new findings of its re-check: (verdict, the located
    findings' diagnosis kinds, evidence names the cell, mixed, the sentence counted)."""
    located = [d for d in new_findings if names_cell(d, key)]
    if not located:
        return Verdict.NOT_LOCATED, (), False, False, ""
    accepted = ACCEPTED[kind]
    kinds = tuple(d.diagnosis.kind if d.diagnosis else "-" for d in located)
    right = [d for d in located if d.diagnosis is not None and d.diagnosis.kind in accepted]
    others = [d for d in located if d.diagnosis is not None and d.diagnosis.kind not in accepted]
    if right:
        names = any(
            (e.location.table, e.location.row, e.location.col) == key
            for d in right
            if d.diagnosis is not None
            for e in d.diagnosis.evidence
        )
        best = right[0].diagnosis
        return Verdict.RIGHT, kinds, names, bool(others), best.sentence if best else ""
    hedged = [d for d in others if d.diagnosis is not None and accepted & set(d.diagnosis.alternatives)]
    if hedged and len(hedged) == len(others):
        first = hedged[0].diagnosis
        return Verdict.AMBIGUOUS, kinds, False, False, first.sentence if first else ""
    if others:
        first = others[0].diagnosis
        return Verdict.WRONG, kinds, False, False, first.sentence if first else ""
    return Verdict.UNDIAGNOSED, kinds, False, False, ""


@dataclass(frozen=True)
class SkippedInjection:
    kind: str
    table: int
    row: int
    col: int
    reason: str


@dataclass(frozen=True)
class DiagnosisSummary:
    kind: str
    injected: int
    located: int
    right: int
    wrong: int
    ambiguous: int
    undiagnosed: int
    skipped: int
    evidence_names_cell: int = 0  # right diagnoses of operand injections whose evidence lists the cell
    right_operands: int = 0  # right diagnoses of operand injections (the flipped addend, …)
    mixed: int = 0

    @property
    def right_share(self) -> float | None:
        return self.right / self.injected if self.injected else None

    @property
    def wrong_share(self) -> float | None:
        return self.wrong / self.injected if self.injected else None


def summarize_diagnoses(
    outcomes: Iterable[DiagnosisOutcome], skipped: Iterable[SkippedInjection]
) -> tuple[DiagnosisSummary, ...]:
    """Counts per injected kind, plus an "all" line."""
    outcome_list, skipped_list = list(outcomes), list(skipped)
    lines = []
    for kind in [*[k.value for k in INJECTED_KINDS], "all"]:
        chosen = [o for o in outcome_list if kind in ("all", o.kind)]
        lines.append(
            DiagnosisSummary(
                kind=kind,
                injected=len(chosen),
                located=sum(o.located for o in chosen),
                right=sum(o.verdict == Verdict.RIGHT for o in chosen),
                wrong=sum(o.verdict == Verdict.WRONG for o in chosen),
                ambiguous=sum(o.verdict == Verdict.AMBIGUOUS for o in chosen),
                undiagnosed=sum(o.verdict == Verdict.UNDIAGNOSED for o in chosen),
                skipped=sum(1 for s in skipped_list if kind in ("all", s.kind)),
                evidence_names_cell=sum(o.evidence_names_cell and o.role == "operand" for o in chosen),
                right_operands=sum(o.verdict == Verdict.RIGHT and o.role == "operand" for o in chosen),
                mixed=sum(o.mixed for o in chosen),
            )
        )
    return tuple(lines)


@dataclass(frozen=True)
class DocumentDiagnoses:
    document: str
    candidates: dict[str, int]  # per kind: cells or relations it could draw from
    outcomes: tuple[DiagnosisOutcome, ...]
    skipped: tuple[SkippedInjection, ...]
    by_kind: tuple[DiagnosisSummary, ...] = ()

    def skip_reasons(self) -> Counter[str]:
        return Counter(f"{skip.kind}: {skip.reason}" for skip in self.skipped)


def _where(candidate: object) -> CellKey:
    if isinstance(candidate, HeldRelation):
        return candidate.cells[0]
    assert isinstance(candidate, tuple)
    return candidate


def run_diagnoses(
    name: str,
    document: Document,
    rules: list[Rule] | None,
    sample_per_kind: int,
    seed: int,
    total_codes: Sequence[str] = TOTAL_CODES,
    share_codes: Sequence[str] = SHARE_CODES,
    family: str = TABLE_FAMILY,
) -> DocumentDiagnoses:
    """Up to ``sample_per_kind`` injections of each kind into ``document``'s verified figures.

    Per kind the candidates are shuffled by a generator seeded from ``seed``, the document name
    and the kind, and tried in that order until the quota is met; the ones that cannot take the
    kind (or are not verified when their table is checked alone) are recorded with the reason.
    """
    active = rules if rules is not None else select_rules()
    table_rules = [rule for rule in active if rule.code.startswith(family)]
    runner = MutationRunner(document, table_rules)
    relations = held_relations(document, table_rules)
    planner = DiagnosisPlanner(runner, relations, analyze_tables(document), total_codes, share_codes, family)
    outcomes: list[DiagnosisOutcome] = []
    skipped: list[SkippedInjection] = []
    candidate_counts: dict[str, int] = {}
    for kind in INJECTED_KINDS:
        rng = random.Random(f"{seed}:{name}:{kind.value}")
        order = planner.candidates(kind)
        candidate_counts[kind.value] = len(order)
        rng.shuffle(order)
        seen: set[CellKey] = set()
        applied = 0
        for candidate in order:
            if applied >= sample_per_kind:
                break
            where = _where(candidate)
            if where in seen:  # a total may close a row and a column relation: inject it once
                continue
            seen.add(where)
            try:
                runner.table_alone(where)
                injection = planner.inject(kind, candidate, rng)
                new, result = runner.recheck(injection.key, injection.figure.text)
            except MutationSkipped as skip:
                skipped.append(SkippedInjection(kind.value, *where, reason=skip.reason))
                continue
            applied += 1
            verdict, kinds, names, mixed, sentence = judge(kind, injection.key, new)
            outcomes.append(
                DiagnosisOutcome(
                    kind=kind.value,
                    table=injection.key[0],
                    row=injection.key[1],
                    col=injection.key[2],
                    original=planner.text(injection.key),
                    mutated=injection.figure.text,
                    detail=injection.detail,
                    role="stated" if injection.key in planner.stated else "operand",
                    located=verdict is not Verdict.NOT_LOCATED,
                    verdict=verdict.value,
                    diagnoses=kinds,
                    evidence_names_cell=names,
                    mixed=mixed,
                    new_findings=tuple(
                        f"{d.code}@{d.location.table},{d.location.row},{d.location.col}"
                        + (f":{d.diagnosis.kind}" if d.diagnosis else "")
                        for d in new
                    ),
                    sentence=sentence,
                    rule_failures=tuple(f"{f.code}: {f.error}" for f in result.rule_failures),
                )
            )
    return DocumentDiagnoses(
        document=name,
        candidates=candidate_counts,
        outcomes=tuple(outcomes),
        skipped=tuple(skipped),
        by_kind=summarize_diagnoses(outcomes, skipped),
    )
